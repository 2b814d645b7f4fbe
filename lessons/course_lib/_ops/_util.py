"""Shared helpers of the ops: operands, torch's result dtype, device checks, shape errors.

运算的公共工具：操作数处理、torch 的结果类型、设备检查、形状错误信息。
"""
from __future__ import annotations

import numbers

import numpy as np

from .. import _backend
from .._dtype import _by_np, _default, _promote, bool as _bool, int64
from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import STATE

__all__ = ["STATE", "Tensor", "_wrap", "prep", "as_tensor_operand", "needs_grad",
           "broadcast_error", "check_broadcast", "same_device"]

_NP_INT64 = np.dtype(np.int64)
_ndarray = np.ndarray


def _category(d):
    return 2 if d.is_floating_point else (0 if d is _bool else 1)


def result_dtype(a, b):
    """torch's result dtype for two tensors' arrays (dim-ful tensors beat 0-dim ones)."""
    da, db = _by_np[a.dtype], _by_np[b.dtype]
    a0, b0 = a.ndim == 0, b.ndim == 0
    if a0 == b0:
        return _promote(da, db)._np
    hi, lo = (db, da) if a0 else (da, db)
    if hi.is_floating_point:
        return hi._np
    if hi is _bool or lo.is_floating_point:
        return _promote(hi, lo)._np
    return hi._np


def scalar_dtype(x, s):
    """numpy dtype to cast array ``x`` to before combining it with Python scalar ``s``."""
    k = x.dtype.kind
    t = type(s)
    if t is float:  # the common cases first (isinstance with numbers ABCs is slow)
        return None if k == "f" else _default[0]._np
    if t is int:
        return _NP_INT64 if k == "b" else None
    if isinstance(s, bool):
        return None
    if isinstance(s, numbers.Integral):
        return _NP_INT64 if k == "b" else None
    if isinstance(s, numbers.Real):
        return _default[0]._np if k != "f" else None
    raise TypeError(f"unsupported operand type: {type(s).__name__}")


def same_device(a, b):
    """Arrays of Tensors ``a`` and ``b`` on one device (cpu 0-dim tensors may join cuda)."""
    x, y = a._data, b._data
    dx, dy = _backend.device_of(x), _backend.device_of(y)
    if dx == dy:
        return x, y
    if dy.type == "cpu" and y.ndim == 0:
        return x, _backend.transfer(y, dx)
    if dx.type == "cpu" and x.ndim == 0:
        return _backend.transfer(x, dy), y
    d1, d2 = (dx, dy) if dx.type == "cuda" else (dy, dx)
    raise RuntimeError("Expected all tensors to be on the same device, but found at least two "
                       f"devices, {d1} and {d2}!")


def as_tensor_operand(o, like):
    """Turn a non-Tensor operand (numpy array, list, numpy scalar) into a Tensor on like's device."""
    if isinstance(o, np.generic):
        o = o.item()
        return o
    if isinstance(o, (_ndarray, list, tuple)):
        from .._creation import _from_data

        t = _from_data(o, None, like.device)
        return t
    raise TypeError(f"unsupported operand type(s): 'Tensor' and '{type(o).__name__}'")


def prep(a, b):
    """Arrays for ``a (Tensor) ∘ b (Tensor or Python number)`` with torch's promotion.

    Returns ``(x, y, b_tensor_or_None)``; a Python scalar ``b`` comes back as is.
    """
    x = a._data
    tb = type(b)
    if tb is float:  # fast path: tensor ∘ Python float
        if x.dtype.kind != "f":
            x = x.astype(_default[0]._np)
        return x, b, None
    if tb is Tensor or isinstance(b, Tensor):
        y = b._data
        if x.dtype != y.dtype:
            dt = result_dtype(x, y)
            x = x.astype(dt, copy=False)
            y = y.astype(dt, copy=False)
        if type(x) is not type(y):
            x, y = same_device(_wrap(x), _wrap(y))
        return x, y, b
    if not isinstance(b, (int, float)):
        b = as_tensor_operand(b, a)
        if isinstance(b, Tensor):
            return prep(a, b)
    dt = scalar_dtype(x, b)
    if dt is not None:
        x = x.astype(dt)
    return x, b, None


def needs_grad(*ts):
    """True when grad mode is on and a Tensor among ``ts`` requires grad."""
    if not STATE[0]:
        return False
    for t in ts:
        if t is not None and type(t) is not int and type(t) is not float and t._requires_grad:
            return True
    return False


def broadcast_error(*shapes):
    """torch's RuntimeError for shapes that do not broadcast (``a`` = the shapes so far)."""
    sa = tuple(shapes[0])
    for sb in shapes[1:]:
        sb = tuple(sb)
        n = max(len(sa), len(sb))
        out = []
        for i in range(1, n + 1):
            x = sa[-i] if i <= len(sa) else 1
            y = sb[-i] if i <= len(sb) else 1
            if x != y and x != 1 and y != 1:
                return RuntimeError(f"The size of tensor a ({x}) must match the size of tensor "
                                    f"b ({y}) at non-singleton dimension {n - i}")
            out.append(y if x == 1 else x)
        sa = tuple(reversed(out))
    return RuntimeError(f"shapes {[list(s) for s in shapes]} cannot be broadcast")


def check_broadcast(*shapes):
    """Raise torch's error unless ``shapes`` broadcast together (cheap when all are equal)."""
    s0 = shapes[0]
    for s in shapes:
        if s != s0:
            try:
                np.broadcast_shapes(*shapes)
            except ValueError:
                raise broadcast_error(*shapes) from None
            return


def meta(t):
    """(shape, numpy dtype) of a Tensor, or None for a Python scalar."""
    if type(t) is int or type(t) is float or t is None or type(t) is bool:
        return None
    d = t._data
    return d.shape, d.dtype


_ = int64
