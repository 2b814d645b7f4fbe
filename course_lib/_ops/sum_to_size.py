"""``Tensor.sum_to_size``: the reverse of broadcasting (lesson 04 exercise).

``Tensor.sum_to_size``：广播的逆运算（第 04 课练习）。Every broadcasting op's backward sums its
gradient back to the input's shape through it (``course_lib.autograd.node.unbroadcast``/``fit``,
as torch's engine does after each node).
"""
from __future__ import annotations

from .._tensor import Tensor
from ..exercises import exercise


@exercise("04_autograd", "sum_to_size", key="course_lib.Tensor.sum_to_size")
def sum_to_size(self, *size):
    """把张量求和到形状 ``size``——广播的逆过程（反向传播里用它把梯度还原成输入的形状）。

    Sum this tensor down to shape ``size`` — the reverse of broadcasting.
    ``size`` must be broadcastable TO ``self.shape``: e.g. ``(2, 3, 4)`` → ``(3, 1)``:
    sum over the leading dim 0 (missing in ``size``) and, keeping it, over dim 2 (size 1).
    ``size`` 必须能广播成 ``self.shape``，否则抛出 ``RuntimeError``（``size {[3, 5]} is not
    expandable to size {[2, 3, 4]}.``）。Accepts ``sum_to_size(3, 1)`` or ``sum_to_size((3, 1))``.
    """
    ### BEGIN SOLUTION
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    shape = tuple(self.shape)
    lead = len(shape) - len(size)           # leading dims missing in size: summed away
    ok = lead >= 0
    dims = []                               # kept dims where size has 1: summed, keepdim
    for i, s in enumerate(size if ok else ()):
        if s != shape[lead + i]:
            ok = ok and s == 1
            dims.append(i)
    if not ok:
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
    out = self
    if lead > 0:
        out = out.sum(dim=tuple(range(lead)))
    if dims:
        out = out.sum(dim=tuple(dims), keepdim=True)
    return out
    ### END SOLUTION


Tensor.sum_to_size = sum_to_size
