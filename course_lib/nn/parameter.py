"""``nn.Parameter``: a Tensor that a Module registers as a learnable parameter.

``nn.Parameter``：被 Module 自动注册为可学习参数的张量（默认 requires_grad=True）。
"""
from __future__ import annotations

from . import _glue as G

__all__ = ["Parameter"]


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
