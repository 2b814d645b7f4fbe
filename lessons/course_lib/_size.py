"""``course_lib.Size``: the shape of a tensor, a tuple of ints (torch.Size).

``course_lib.Size``：张量的形状，一个整数元组。
"""
from __future__ import annotations

import math

__all__ = ["Size"]


class Size(tuple):
    """A tuple subclass; ``repr`` is ``course_lib.Size([2, 3])``. 元组子类。"""

    __slots__ = ()

    def __repr__(self):
        return f"course_lib.Size({list(self)})"

    __str__ = __repr__

    def numel(self):
        """Number of elements a tensor of this shape has. 元素个数。"""
        return math.prod(self)

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return Size(r) if isinstance(i, slice) else r

    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(other, self))

    def __mul__(self, n):
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))
