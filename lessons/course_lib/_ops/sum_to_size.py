"""``Tensor.sum_to_size``: the reverse of broadcasting (lesson 04 exercise).

``Tensor.sum_to_size``：广播的逆运算（第 04 课练习）。Library code uses the private
``course_lib.autograd.node.unbroadcast`` on arrays instead.
"""
from __future__ import annotations

from .._tensor import Tensor
from ..exercises import exercise


@exercise("04_autograd", "sum_to_size", key="course_lib.Tensor.sum_to_size")
def sum_to_size(self, *size):
    """Sum this tensor down to shape ``size`` — the reverse of broadcasting.

    把张量求和到形状 ``size``——广播的逆过程（反向传播里用它把梯度还原成输入的形状）。
    ``size`` must be broadcastable TO ``self.shape``: e.g. ``(2, 3, 4)`` → ``(3, 1)``:
    sum over the leading dim 0 (missing in ``size``) and, keeping it, over dim 2 (size 1).
    ``size`` 必须能广播成 ``self.shape``，否则抛出 ``RuntimeError``（``size {[3, 5]} is not
    expandable to size {[2, 3, 4]}.``）。Accepts ``sum_to_size(3, 1)`` or ``sum_to_size((3, 1))``.
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


Tensor.sum_to_size = sum_to_size
