"""``course_lib.autograd.Variable``: the pre-0.4 wrapper, kept as torch keeps it.

旧版 PyTorch（0.4 之前）的 ``Variable``：今天它只是创建张量的旧写法。``Variable(t)`` 返回一个与 ``t``
共享内存、脱离计算图的新张量（``t.detach()``），``requires_grad=True`` 时它是一个新的叶子；
``isinstance(任意张量, Variable)`` 为 True。``volatile=True`` 已无作用，只给出 torch 的警告。
Old tutorials' ``Variable(t, requires_grad=True)``: a Tensor (``t.detach()``, sharing memory,
a new leaf when ``requires_grad``), never a Variable object; every tensor is an instance of it.
``volatile`` has no effect but torch's warning.
"""
from __future__ import annotations

import operator
import warnings

__all__ = ["VariableMeta", "Variable"]


class VariableMeta(type):
    def __instancecheck__(cls, other):
        from .._tensor import Tensor

        return isinstance(other, Tensor)


class Variable(metaclass=VariableMeta):
    """``Variable(data=None, requires_grad=False, volatile=False, _grad_fn=None, name=None)``."""

    def __new__(cls, data=None, requires_grad=False, volatile=False, _grad_fn=None, name=None):
        from .._creation import empty
        from .._tensor import Tensor

        requires_grad = bool(operator.index(requires_grad))  # torch parses both as C bytes
        volatile = bool(operator.index(volatile))
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` "
                          "instead.", UserWarning, stacklevel=2)
        if volatile and requires_grad:
            raise ValueError("Variable can't be volatile and require_grad at the same time!")
        if _grad_fn is not None:  # torch takes only a legacy Function object, which no longer exists
            raise TypeError("_grad_fn has to be a Function object or None, but got "
                            f"{type(_grad_fn).__name__}")
        if data is None:  # torch: an empty tensor of the default dtype (legacy deserialisation)
            t = empty(0, device="cpu")
        elif isinstance(data, Tensor):
            t = data.detach()
        else:
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        if requires_grad:
            if not t.is_floating_point():
                raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                                   "gradients")
            t.requires_grad_(True)
        return t
