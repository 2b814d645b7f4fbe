"""Moving tensors between devices and dtypes: ``to``, ``cuda``, ``cpu``, ``float()`` …

在设备与数据类型之间转换张量。``_to`` is the private worker that library code uses.
"""
from __future__ import annotations

from .. import _backend
from .._device import device as _device
from .._dtype import (dtype as _dtype_cls, bool as _bool, float16,
                      float32, float64, int8, int16, int32, int64, uint8)
from ..autograd.functions.pointwise import ToCopyBackward0
from ..autograd.node import attach
from ..exercises import exercise
from ._util import STATE, Tensor, _wrap


def _to(self, device=None, dtype=None, copy=False):
    """``self`` on ``device`` with ``dtype``; the SAME object when nothing changes.

    Private worker of ``Tensor.to``/``cuda``/``cpu`` (library code calls this one).
    """
    x = self._data
    if dtype is not None and not isinstance(dtype, _dtype_cls):
        raise TypeError(f"to() received an invalid combination of arguments - got "
                        f"(dtype={type(dtype).__name__}, ), but expected one of: "
                        "(course_lib.device device, course_lib.dtype dtype) or "
                        "(course_lib.dtype dtype)")
    dev = None if device is None else _device(device)
    if dev is not None and dev.type == "cuda":
        _backend.require_cuda()
        if dev.index is not None and dev.index >= _backend.device_count():
            raise RuntimeError("CUDA error: invalid device ordinal")
    src = _backend.device_of(x)
    move = dev is not None and dev.type != src.type
    cast = dtype is not None and dtype._np != x.dtype
    if not move and not cast and not copy:
        return self
    r = _backend.transfer(x, dev) if move else x
    if cast:
        r = r.astype(dtype._np)
    elif not move:
        r = r.copy()
    res = _wrap(r)
    if STATE[0] and self._requires_grad and r.dtype.kind == "f":
        node = ToCopyBackward0()
        node.saved = None
        node.src_dtype, node.src_device = x.dtype, src
        attach(res, node, (self,))
    return res


@exercise("03_cuda", "to", key="course_lib.Tensor.to")
def to(self, *args, **kwargs):
    """Return this tensor on another device and/or with another dtype.

    把张量转到另一个设备和/或数据类型。和 torch 一样接受：
    ``t.to(course_lib.float64)``, ``t.to("cuda")``, ``t.to(course_lib.device("cuda:0"))``,
    ``t.to("cuda", course_lib.float16)``, ``t.to(other_tensor)`` (its device and dtype),
    keywords ``device=``, ``dtype=``, ``copy=False``, ``non_blocking=False`` (ignored).
    Returns ``self`` itself when nothing changes, else a new tensor (grad flows back).
    什么都不变时返回 ``self`` 本身。Parse the arguments, then call ``self._to(device, dtype, copy)``.
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


@exercise("03_cuda", "cuda", key="course_lib.Tensor.cuda")
def cuda(self, device=None, non_blocking=False):
    """A copy of this tensor on the GPU (``cuda:0`` or ``cuda:<device>``); self if already there.

    拷到 GPU 上（已在 GPU 上则返回自身）。``device`` may be None, an int or a device.
    Without a GPU it raises the ``RuntimeError`` of ``course_lib.cuda`` (no cupy / no GPU).
    没有 GPU 时抛出说明原因的 ``RuntimeError``。
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


@exercise("03_cuda", "cpu", key="course_lib.Tensor.cpu")
def cpu(self):
    """A copy of this tensor in host memory; ``self`` if it is already on the cpu.

    拷回主机内存（已在 cpu 上则返回自身）。
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


def _cast(dt):
    def method(self, memory_format=None):
        return _to(self, None, dt)
    return method


def type_as(self, other):
    return _to(self, None, other.dtype)


def _attach_methods():
    T = Tensor
    T._to = _to
    T.to, T.cuda, T.cpu, T.type_as = to, cuda, cpu, type_as
    for name, dt in (("float", float32), ("double", float64), ("half", float16),
                     ("int", int32), ("long", int64), ("short", int16), ("char", int8),
                     ("byte", uint8), ("bool", _bool)):
        setattr(T, name, _cast(dt))


_attach_methods()


def _view_dtype(self, dt):
    """``view(dtype)``: the same bytes read as another dtype (torch's rules and errors)."""
    from .._dtype import _by_np, dtype as _dtype_cls, scalar_name

    if not isinstance(dt, _dtype_cls):
        raise TypeError(f"view() received an invalid combination of arguments - got "
                        f"({type(dt).__name__}), but expected one of: (course_lib.dtype dtype) "
                        "or (tuple of ints size)")
    d = self._data
    if dt._np == d.dtype:
        from .shape import view
        return view(self, d.shape)
    a, b = d.dtype.itemsize, dt._np.itemsize
    what = f"to view {scalar_name(_by_np[d.dtype])} as {scalar_name(dt)} (different element sizes)"
    if a != b:
        if d.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if d.strides[-1] != a and d.shape[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {d.strides[-1] // a}")
        if b > a and d.shape[-1] % (b // a):
            raise RuntimeError(f"self.size(-1) must be divisible by {b // a} {what}, but got "
                               f"{d.shape[-1]}")
    from .._tensor import _view_of
    from .shape import view

    return _view_of(d.view(dt._np), self)
