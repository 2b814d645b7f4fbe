"""Shared helpers of the ops: operands, torch's result dtype, device checks, shape errors.

运算的公共工具：操作数处理、torch 的结果类型、设备检查、形状错误信息。
"""
from __future__ import annotations

import functools
import numbers

import numpy as np

from .. import _backend
from .._device import common_device
from .._dtype import result_type
from .._tensor import Tensor, _wrap
from ..autograd.grad_mode import STATE
from ..functional import broadcast_shapes

__all__ = ["STATE", "Tensor", "_wrap", "prep", "as_tensor_operand", "needs_grad",
           "broadcast_error", "broadcast_shape", "check_broadcast", "fit", "same_device"]

_ndarray = np.ndarray


def result_dtype(a, b):
    """numpy dtype of ``a ∘ b`` for Tensors ``a``, ``b`` of different dtypes (the piece
    ``result_type`` decides: dim-ful tensors beat 0-dim ones)."""
    return result_type(a, b)._np


def scalar_dtype(a, s):
    """numpy dtype to cast Tensor ``a``'s array to before combining it with Python scalar ``s``
    (None: keep it). Same category as the tensor (or lower) keeps its dtype trivially; otherwise
    the piece ``result_type`` decides (``int tensor * 0.5``, ``bool tensor + 1``)."""
    k = a._data.dtype.kind
    t = type(s)
    if t is float:  # the common cases first (isinstance with numbers ABCs is slow)
        if k == "f":
            return None
    elif t is int:
        if k != "b":
            return None
    elif isinstance(s, bool):
        return None
    elif isinstance(s, numbers.Integral):
        if k != "b":
            return None
        s = int(s)
    elif isinstance(s, numbers.Real):
        if k == "f":
            return None
        s = float(s)
    else:
        raise TypeError(f"unsupported operand type: {type(s).__name__}")
    d = result_type(a, s)._np
    return None if d == a._data.dtype else d


def same_device(a, b):
    """Arrays of Tensors ``a`` and ``b`` on one device: the piece ``common_device`` says which
    (a cpu 0-dim tensor may join a cuda one) or raises torch's device-mismatch error."""
    dev = common_device(a, b)
    x, y = a._data, b._data
    if _backend.device_of(x) != dev:
        x = _backend.transfer(x, dev)
    if _backend.device_of(y) != dev:
        y = _backend.transfer(y, dev)
    return x, y


def as_tensor_operand(o, like):
    """Turn a non-Tensor operand (numpy array, list, numpy scalar) into a Tensor on like's device."""
    if isinstance(o, np.generic):
        o = o.item()
        return o
    if isinstance(o, _ndarray):
        from .._creation import as_tensor

        return as_tensor(o, device=like.device)
    if isinstance(o, (list, tuple)):
        from .._creation import _from_data

        return _from_data(o, None, like.device)
    raise TypeError(f"unsupported operand type(s): 'Tensor' and '{type(o).__name__}'")


def prep(a, b):
    """Arrays for ``a (Tensor) ∘ b (Tensor or Python number)`` with torch's promotion.

    Returns ``(x, y, b_tensor_or_None)``; a Python scalar ``b`` comes back as is. The result
    dtype comes from the piece ``result_type`` (equal dtypes need none), the device from the
    piece ``common_device`` (two cpu arrays need none).
    """
    x = a._data
    tb = type(b)
    if tb is float and x.dtype.kind == "f":  # fast path: float tensor ∘ Python float
        return x, b, None
    if tb is Tensor or isinstance(b, Tensor):
        y = b._data
        if x.dtype != y.dtype:
            dt = result_type(a, b)._np
            x = x.astype(dt, copy=False)
            y = y.astype(dt, copy=False)
        if type(x) is not _ndarray or type(y) is not _ndarray:
            x, y = same_device(_wrap(x), _wrap(y))
        return x, y, b
    if not isinstance(b, (int, float)):
        b = as_tensor_operand(b, a)
        if isinstance(b, Tensor):
            return prep(a, b)
    dt = scalar_dtype(a, b)
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
    """The broadcast shape of ``shapes`` from the piece ``broadcast_shapes`` (equal shapes need
    none), with torch's error of an op on shapes that do not broadcast."""
    s0 = tuple(shapes[0])
    for s in shapes:
        if tuple(s) != s0:
            return broadcast_shape(*shapes)
    return s0


def broadcast_shape(*shapes):
    """``broadcast_shapes(*shapes)`` (the piece) for shapes known to differ; torch's op error."""
    try:
        return broadcast_shapes(*shapes)
    except NotImplementedError:  # ExerciseNotDone: the student has not written it yet
        raise
    except RuntimeError:
        raise broadcast_error(*shapes) from None


def fit(r, shape):
    """The result array ``r`` of an op given the shape the piece ``broadcast_shapes`` chose
    (numpy broadcast the operands itself; a shape it did not reach is spread to or refused)."""
    if r.shape == shape:
        return r
    try:
        return np.broadcast_to(r, shape).copy()
    except ValueError:
        raise broadcast_error(r.shape, shape) from None


def meta(t):
    """(shape, numpy dtype) of a Tensor, or None for a Python scalar."""
    if type(t) is int or type(t) is float or t is None or type(t) is bool:
        return None
    d = t._data
    return d.shape, d.dtype



class _Required:
    """Default of a ``dim`` that torch requires but lets be named ``axis`` (numpy's name)."""

    def __repr__(self):
        return "<required>"


REQUIRED = _Required()


def numpy_axis(f):
    """``f`` also takes torch's numpy-style keyword ``axis=`` for its parameter ``dim`` (torch's
    argument parser maps one onto the other); naming both is torch's TypeError. For ops off the
    hot path; the reductions take ``axis`` in their signature (``numpy_dim``)."""
    code = f.__code__
    params = code.co_varnames[:code.co_argcount]
    pos = params.index("dim") if "dim" in params else None  # None: dim is keyword-only
    name = f.__name__

    @functools.wraps(f)
    def op(*args, **kwargs):
        if "axis" in kwargs:
            if "dim" in kwargs or (pos is not None and len(args) > pos):
                raise TypeError(f"{name}() got an unexpected keyword argument 'axis'")
            kwargs["dim"] = kwargs.pop("axis")
        return f(*args, **kwargs)
    return op


def numpy_dim(name, dim, axis, unset=None):
    """``dim`` from torch's numpy-style keyword ``axis=`` (torch's parser maps it onto ``dim``);
    naming both, or neither where ``dim`` is required, is torch's TypeError."""
    if axis is None:
        if dim is REQUIRED:
            raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
        return dim
    if dim is not unset:
        raise TypeError(f"{name}() got an unexpected keyword argument 'axis'")
    return axis
