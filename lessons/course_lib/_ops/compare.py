"""Whole-tensor comparisons: ``equal``, ``allclose``, ``isclose``; ``is_tensor``, ``numel``.

整体比较：``equal``（形状与数值都相同）、``allclose``、``isclose``。
"""
from __future__ import annotations

import numpy as np

from ._util import Tensor, _wrap, prep, same_device


def _pair(a, b):
    if not isinstance(b, Tensor):
        raise TypeError(f"argument 'other' must be Tensor, not {type(b).__name__}")
    if type(a._data) is not type(b._data):
        same_device(a, b)
    return prep(a, b)[:2]


def equal(input, other):
    """True if both tensors have the same shape and values. 形状与数值都相同。"""
    x, y = _pair(input, other)
    return x.shape == y.shape and bool((x == y).all())


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Element-wise ``|a - b| <= atol + rtol * |b|``. 逐元素近似相等。"""
    x, y = _pair(input, other)
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(f"{input.dtype} did not match {other.dtype}")
    try:
        return _wrap(np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan))
    except ValueError:
        from ._util import broadcast_error
        raise broadcast_error(np.shape(x), np.shape(y)) from None


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if all elements are close (see ``isclose``). 全部近似相等。"""
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def numel(input):
    return input.numel()


Tensor.equal = equal
Tensor.isclose = isclose
Tensor.allclose = allclose
