"""Whole-tensor comparisons: ``equal``, ``allclose``, ``isclose``, ``isin``; ``is_tensor``, ``numel``.

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


_ISIN_SIGS = ("Tensor elements, Tensor test_elements, *, bool assume_unique = False, bool invert = "
              "False, Tensor out = None",
              "Number element, Tensor test_elements, *, bool assume_unique = False, bool invert = "
              "False, Tensor out = None",
              "Tensor elements, Number test_element, *, bool assume_unique = False, bool invert = "
              "False, Tensor out = None")


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """True where an element of ``elements`` occurs in ``test_elements`` (either may be a
    number); ``invert`` gives the opposite. 逐元素判断是否出现在另一组值中。"""
    from .pointwise import _invalid, _number

    et, tt = isinstance(elements, Tensor), isinstance(test_elements, Tensor)
    if not ((et and (tt or _number(test_elements))) or (tt and _number(elements))):
        raise _invalid("isin", (elements, test_elements), _ISIN_SIGS)
    if et and tt and type(elements._data) is not type(test_elements._data):
        same_device(elements, test_elements)
    e = elements._data if et else test_elements._data.dtype.type(elements)
    t = test_elements._data if tt else np.asarray(test_elements)
    from .._backend import xp_of

    xp = xp_of(e if et else t)
    return _wrap(xp.asarray(xp.isin(e, t, invert=invert)))


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
