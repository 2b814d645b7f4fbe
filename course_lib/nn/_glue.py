"""The one place where nn / optim / utils.data / serialization touch tensor-core internals.

nn、optim、utils.data 与序列化访问张量内核内部细节的唯一入口（私有）。
Everything here works on ``Tensor._data`` arrays; none of it is an exercise piece or a copy
of one (the pieces are reached through their public dispatchers).
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import _backend
from .._tensor import Tensor, _type_name, _wrap, _view_of  # noqa: F401
from ..autograd import grad_mode

xp_of = _backend.xp_of
to_host = _backend.to_numpy


def _cl():
    import course_lib
    return course_lib


# ---------------------------------------------------------------- dtypes / names
def _dt():
    from .. import _dtype
    return _dtype


def __getattr__(name):  # float32, float64, ... resolved lazily from the dtype module
    d = getattr(_dt(), name, None)
    if d is None:
        raise AttributeError(name)
    return d


def np_dtype(dtype):
    return dtype._np if hasattr(dtype, "_np") else np.dtype(dtype)


def dtype_name(t):
    return _type_name(t).rsplit(".", 1)[-1].replace("Tensor", "")


def typename(obj):
    """torch.typename: 'course_lib.FloatTensor' for tensors, else module.qualname."""
    if isinstance(obj, Tensor):
        return _type_name(obj)
    module = getattr(type(obj), "__module__", "") or ""
    qual = type(obj).__qualname__
    return qual if module in ("builtins", "__builtin__") else f"{module}.{qual}"


def size_of(t):
    return t.shape


def norm_dim(dim, ndim):
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


def warn_size(a, b):
    from .._size import Size
    warnings.warn(f"Using a target size ({Size(b)}) that is different to the input size "
                  f"({Size(a)}). This will likely lead to incorrect results due to broadcasting. "
                  "Please ensure they have the same size.", stacklevel=4)


# ---------------------------------------------------------------- grad mode
no_grad = grad_mode.no_grad
enable_grad = grad_mode.enable_grad




def zero_grad_of(p, set_to_none=True):
    g = p._grad
    if g is None:
        return
    if set_to_none:
        p._grad = None
    else:
        g.grad_fn = None
        g._requires_grad = False
        g._data[...] = 0
        g._ver[0] += 1


# ---------------------------------------------------------------- creation / arrays
def array(t):
    return t._data


def empty(shape, device=None, dtype=None):
    return _cl().empty(shape, device=device, dtype=dtype)


def zeros_like(t):
    """Zeros like ``t`` (an optimizer's state) through ``torch.zeros_like`` (lesson 03's
    ``empty_like`` decides shape, dtype and device)."""
    return _cl().zeros_like(t.detach())


def scalar_tensor(v):
    return _wrap(np.array(v, dtype=np.float32))


def randperm(n, generator=None):
    return _cl().randperm(n, generator=generator)


def randint(low, high, size, generator=None):
    return _cl().randint(low, high, size, generator=generator)


def clone_tensor(value, like=None):
    a = value._data
    if like is not None:
        la = like._data
        if a.dtype != la.dtype and la.dtype.kind == "f":
            a = a.astype(la.dtype)
        a = _backend.transfer(a, _backend.device_of(la))
    return _wrap(a.copy())


# ---------------------------------------------------------------- in-place helpers
def assign_inplace(dst, src):
    """``dst`` takes ``src``'s values and graph (what an in-place op does)."""
    dst._data[...] = src._data
    dst._ver[0] += 1
    if src.grad_fn is not None:
        dst.grad_fn, dst._requires_grad, dst._output_nr = src.grad_fn, True, src._output_nr
    return dst


def fill_const(t, val):
    with no_grad():
        t._data[...] = val
        t._ver[0] += 1


def _rng(generator=None):
    from ..random import rng
    return rng(generator)


def fill_random(t, kind, a, b, generator=None):
    """Fill ``t`` in place from course_lib's random stream (uniform(a, b) or normal(a, b))."""
    arr = t._data
    g = _rng(generator)
    if kind == "uniform":
        vals = g.random(arr.shape) * (b - a) + a
    else:
        vals = g.standard_normal(arr.shape) * b + a
    arr[...] = _backend.transfer(vals.astype(arr.dtype), _backend.device_of(arr)) \
        if not _backend.is_cpu(arr) else vals
    t._ver[0] += 1


def uniform_array(shape, dtype, like):
    """U[0, 1) samples from the global generator on ``like``'s device (for dropout)."""
    dt = dtype if dtype in (np.float32, np.float64) else np.float64
    r = _rng().random(shape, dtype=dt)
    if not _backend.is_cpu(like):
        r = _backend.transfer(r, _backend.device_of(like))
    return r


def copy_into(dst, src):
    """``dst.copy_(src)`` without autograd (load_state_dict)."""
    a = src._data
    if type(a) is not type(dst._data):
        a = _backend.transfer(a, _backend.device_of(dst._data))
    dst._data[...] = a
    dst._ver[0] += 1


# ---------------------------------------------------------------- devices (Module.to)
def parse_to_args(args, kwargs):
    from .._device import device as Device
    dtype_cls = _dt().dtype
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() received an invalid combination of arguments - got {sorted(kwargs)}")
    for a in args:
        if isinstance(a, dtype_cls):
            dtype = a
        elif isinstance(a, Tensor):
            device, dtype = a.device, a.dtype
        elif isinstance(a, (str, Device, int)) and not isinstance(a, bool):
            device = a
        elif isinstance(a, bool):
            continue
        else:
            raise TypeError(f"to() received an invalid combination of arguments - got ({type(a).__name__})")
    if device is not None:
        device = Device(device) if not isinstance(device, int) else Device("cuda", device)
    return device, dtype


def cuda_device(d):
    from .._device import device as Device
    if isinstance(d, int):
        return Device("cuda", d)
    return Device(d)


def move_array(t, device, dtype):
    """The array of ``t`` on ``device`` with ``dtype``, through the lesson-03 piece ``Tensor.to``."""
    return t.detach().to(device=device, dtype=dtype)._data


def convert_inplace(t, convert):
    new = convert(t)
    if new is not t._data:
        t._data = new


# ---------------------------------------------------------------- ops from the core
def relu_(x):
    return x.relu_()


def sigmoid(x):
    return x.sigmoid()


def tanh(x):
    return x.tanh()


def where(c, a, b):
    return _cl().where(c, a, b)


