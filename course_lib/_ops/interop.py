"""Tensor ↔ Python/numpy: ``item``, ``numpy``, ``__array__``, ``tolist`` (lessons 01 and 02).

张量与 Python 数字、列表、numpy 数组之间的转换（第 01、02 课的练习）。
"""
from __future__ import annotations

import numpy as np

import course_lib as torch  # the solution regions use the names a notebook has
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

    把只有一个元素的张量变成 Python 数。形状 ``()``、``(1,)``、``(1, 1)`` … 都可以；
    元素多于一个时抛出 ``RuntimeError``（与 torch 相同的信息）：
    ``a Tensor with 6 elements cannot be converted to Scalar``.
    ``float(t)``、``int(t)``、``bool(t)``、``if t:`` 都通过它取值 / all take the value from here.
    Hint / 提示：``self.numel()``; the array behind the tensor is ``self._data`` (its ``.item()``).
    """
    ### BEGIN SOLUTION
    n = self.numel()
    if n != 1:
        raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
    return self._data.item()
    ### END SOLUTION


def tolist(self):
    """The tensor as (nested) Python lists of numbers; a 0-d tensor gives a number.

    转成嵌套的 Python 列表（任何设备：先拷回主机）；0 维张量 → 一个数。
    """
    return self.detach().numpy(force=True).tolist()


@exercise("02_numpy", "numpy", key="course_lib.Tensor.numpy")
def numpy(self, *, force=False):
    """The numpy array behind this cpu tensor — the SAME memory, no copy.

    返回与张量共享内存的 numpy 数组（不拷贝），即 ``self._data``。和 torch 一样：
    需要梯度的张量抛 ``RuntimeError``（提示用 ``detach()``）；
    不在 cpu 上的张量抛 ``TypeError``（提示先 ``.cpu()``）。
    ``force=True`` 时先 ``detach()``，不在 cpu 上时再 ``cpu()``，然后照常返回。
    Like torch: a tensor that requires grad raises ``RuntimeError`` (use ``detach()``), one not on
    the cpu raises ``TypeError`` (use ``.cpu()``); ``force=True`` detaches and moves it to the cpu
    first. ``np.asarray(t)`` and ``tolist()`` come here.
    """
    ### BEGIN SOLUTION
    if force:
        t = self.detach()
        return (t if t.device.type == "cpu" else t.cpu()).numpy()
    if self.requires_grad:
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                           "Use tensor.detach().numpy() instead.")
    if self.device.type != "cpu":
        raise TypeError(f"can't convert {self.device} device type tensor to numpy. "
                        "Use Tensor.cpu() to copy the tensor to host memory first.")
    return self._data
    ### END SOLUTION


@exercise("02_numpy", "array", key="course_lib.Tensor.__array__")
def __array__(self, dtype=None, copy=None):
    """What numpy calls for ``np.asarray(t)``, ``np.array(t)``, ``np.mean(t)``, ``plt.plot(t)`` ….

    numpy 遇到张量时调用它：返回 ``self.numpy()``（共享内存）；给了 ``dtype`` 且不同时转换成它
    （``astype``，这会拷贝）；``copy=True`` 时总是返回拷贝。
    Return ``self.numpy()`` (shared memory); with a different ``dtype`` convert it (``astype``,
    a copy); ``copy=True`` always gives a copy. Errors come from ``numpy()`` itself.
    """
    ### BEGIN SOLUTION
    a = self.numpy()
    if dtype is not None and np.dtype(dtype) != a.dtype:
        return a.astype(dtype)
    return a.copy() if copy else a
    ### END SOLUTION


Tensor.item = item
Tensor.tolist = tolist
Tensor.numpy = numpy
Tensor.__array__ = __array__
_ = torch, _backend
