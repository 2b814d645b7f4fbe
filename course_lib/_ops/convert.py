"""Moving tensors between devices and dtypes: ``to``, ``cuda``, ``cpu``, ``float()`` …

在设备与数据类型之间转换张量。Everything goes through the lesson-03 piece ``to``.
"""
from __future__ import annotations

from .. import _backend
from .._device import device as _device
from .._dtype import (dtype as _dtype_cls, bool as _bool, float16,
                      float32, float64, int8, int16, int32, int64, uint8)
from ..autograd.functions.pointwise import ToCopyBackward0
from ..autograd.node import attach
from ..exercises import exercise
import course_lib as torch  # the solution regions use the names a notebook has
from ._util import STATE, Tensor, _wrap


def _to_copy(self, device=None, dtype=None):
    """A NEW tensor with ``self``'s values on ``device`` with ``dtype`` (None: keep); grad flows
    back through ``ToCopyBackward0``. torch's ``aten::_to_copy``: the piece ``to`` decides
    whether a copy is needed at all and calls this one when it is."""
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
    r = _backend.transfer(x, dev) if dev is not None and dev.type != src.type else x
    if dtype is not None and dtype._np != r.dtype:
        r = r.astype(dtype._np)
    if r is x:
        r = x.copy()
    res = _wrap(r)
    if STATE[0] and self._requires_grad and r.dtype.kind == "f":
        node = ToCopyBackward0()
        node.saved = None
        node.src_dtype, node.src_device = x.dtype, src
        attach(res, node, (self,))
    return res


@exercise("03_cuda", "to", key="course_lib.Tensor.to")
def to(self, *args, **kwargs):
    """This tensor on another device and/or with another dtype; ``self`` when nothing changes.

    把张量转到另一个设备和/或数据类型。和 torch 一样接受：
    ``t.to(torch.float64)``、``t.to("cuda")``、``t.to(torch.device("cuda:0"))``、
    ``t.to("cuda", torch.float16)``、``t.to(other_tensor)``（取它的设备与 dtype）、
    关键字 ``device=``、``dtype=``、``copy=False``、``non_blocking=False``（忽略）。
    什么都不需要变（且没有 ``copy=True``）时返回 ``self`` 本身；否则返回
    ``self._to_copy(device, dtype)``（拷贝，梯度能流回）。设备 ``"cuda"``（不带编号）与 ``cuda:0`` 上的张量相同。
    Accepts the same arguments as torch; returns ``self`` itself when neither device nor dtype
    changes (and no ``copy=True``), else ``self._to_copy(device, dtype)`` (a copy grad flows
    back through). A device without an index (``"cuda"``) matches any index of that type.
    ``.cuda()``, ``.cpu()``, ``.float()``, ``.double()``, ``.type(...)``, ``Module.to`` and
    ``torch.as_tensor`` all come here.
    """
    ### BEGIN SOLUTION
    device = kwargs.get("device")
    dtype = kwargs.get("dtype")
    for a in args:
        if isinstance(a, torch.Tensor):
            device, dtype = a.device, a.dtype
        elif isinstance(a, torch.dtype):
            dtype = a
        elif isinstance(a, (str, int, torch.device)):
            device = a
        else:
            raise TypeError(f"to() received an invalid combination of arguments - got "
                            f"({type(a).__name__})")
    if device is not None:
        device = torch.device(device)
        here = self.device
        if device.type == here.type and device.index in (None, here.index):
            device = None  # already there
    if dtype is not None and dtype == self.dtype:
        dtype = None
    if device is None and dtype is None and not kwargs.get("copy", False):
        return self
    return self._to_copy(device, dtype)
    ### END SOLUTION


def cuda(self, device=None, non_blocking=False):
    """A copy of this tensor on the GPU (``cuda:0`` or ``cuda:<device>``); self if already there.

    拷到 GPU 上（已在 GPU 上则返回自身）。Through the piece ``to``.
    """
    if device is None:
        device = "cuda"
    elif isinstance(device, int):
        device = _device("cuda", device)
    return self.to(device)


def cpu(self):
    """A copy of this tensor in host memory; ``self`` if it is already on the cpu (``to``)."""
    return self.to("cpu")


def _cast(dt):
    def method(self, memory_format=None):
        return self.to(dt)
    return method


def type_as(self, other):
    return self.to(other.dtype)


def _attach_methods():
    T = Tensor
    T._to_copy = _to_copy
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
