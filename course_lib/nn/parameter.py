"""``nn.Parameter``: a Tensor that a Module registers as a learnable parameter; ``nn.Buffer``:
one that a Module registers as a buffer.

``nn.Parameter``：被 Module 自动注册为可学习参数的张量（默认 requires_grad=True）；
``nn.Buffer``：赋给 Module 属性时自动注册为缓冲区的张量。
"""
from __future__ import annotations

from . import _glue as G

__all__ = ["Parameter", "Buffer"]


class Parameter(G.Tensor):
    """Parameter(data=None, requires_grad=True): shares ``data``'s memory."""

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = G.empty((0,))
        if not isinstance(data, G.Tensor):
            raise TypeError(f"Parameter(): argument 'data' must be Tensor, not {type(data).__name__}")
        if requires_grad and data._data.dtype.kind not in "fc":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        p = G._wrap(data._data, bool(requires_grad), cls)
        p._ver = data._ver
        return p

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        new = type(self)(G._wrap(self._data.copy()), self.requires_grad)
        if self._grad is not None:
            new._grad = G._wrap(self._grad._data.copy())
        memo[id(self)] = new
        return new


class _BufferMeta(type):
    """``isinstance(t, Buffer)`` is True for a Tensor marked ``_is_buffer`` (what Buffer() returns)."""

    def __instancecheck__(cls, instance):
        if cls is Buffer and isinstance(instance, G.Tensor) and getattr(instance, "_is_buffer", False):
            return True
        return super().__instancecheck__(instance)


class Buffer(G.Tensor, metaclass=_BufferMeta):
    """Buffer(data=None, *, persistent=True): a Tensor that registers itself as a buffer when
    assigned to a Module attribute (``persistent=False``: left out of ``state_dict``). Like
    torch, ``Buffer(t)`` is a plain Tensor sharing ``t``'s memory, marked as a buffer.
    赋给 Module 属性时自动注册为缓冲区的张量（``persistent=False``：不进入 state_dict）。"""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = G.empty((0,))
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t
