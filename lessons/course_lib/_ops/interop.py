"""Tensor ↔ Python/numpy: ``item``, ``tolist``, ``numpy`` (exercises of lessons 01 and 02).

张量与 Python 数字、列表、numpy 数组之间的转换（第 01、02 课的练习）。
"""
from __future__ import annotations

from .. import _backend
from .._tensor import Tensor
from ..exercises import exercise

ERR_NUMPY_GRAD = ("Can't call numpy() on Tensor that requires grad. "
                  "Use tensor.detach().numpy() instead.")
ERR_NUMPY_CUDA = ("can't convert {dev} device type tensor to numpy. "
                  "Use Tensor.cpu() to copy the tensor to host memory first.")


@exercise("01_tensors", "item", key="course_lib.Tensor.item")
def item(self):
    """The value of a one-element tensor as a Python number (float, int or bool).

    把只有一个元素的张量变成 Python 数字。形状 ``()``、``(1,)``、``(1, 1)`` … 都可以；
    元素多于一个时抛出 ``RuntimeError``（与 torch 相同的信息）：
    ``a Tensor with 6 elements cannot be converted to Scalar``.
    Hint / 提示：``self.numel()``，``self.numpy()`` 不适用于需要梯度的张量，用 ``self._data``。
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook

@exercise("02_numpy", "tolist", key="course_lib.Tensor.tolist")
def tolist(self):
    """The tensor as (nested) Python lists of numbers; a 0-d tensor gives a number.

    转成嵌套的 Python 列表：形状 ``(2, 3)`` → 2 个各含 3 个数的列表；0 维张量 → 一个数。
    Works for any device (copy the data to the host first). 任何设备都可以（先拷回主机）。
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook

@exercise("02_numpy", "numpy", key="course_lib.Tensor.numpy")
def numpy(self, *, force=False):
    """The numpy array behind this cpu tensor — the SAME memory, no copy.

    返回与张量共享内存的 numpy 数组（不拷贝）。和 torch 一样：
    需要梯度的张量抛 ``RuntimeError``（提示用 ``detach()``）；
    cuda 张量抛 ``TypeError``（提示先 ``.cpu()``）。``force=True`` 时先 detach 并拷到 cpu。
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


Tensor.item = item
Tensor.tolist = tolist
Tensor.numpy = numpy
