"""Activation layers: ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax. 激活函数层。"""
from __future__ import annotations

from .. import _glue as G
from .. import _ops
from .module import Module

__all__ = ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Softmax2d"]


class ReLU(Module):
    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return G.relu_(input) if self.inplace else _ops._relu(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    def __init__(self, negative_slope=1e-2, inplace=False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input):
        from ..functional import leaky_relu
        return leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Sigmoid(Module):
    def forward(self, input):
        return G.sigmoid(input)


class Tanh(Module):
    def forward(self, input):
        return G.tanh(input)


class _Dim(Module):
    """Softmax, LogSoftmax and Softmin: the ``dim`` they normalise over (in torch three
    unrelated Modules)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def __setstate__(self, state):
        super().__setstate__(state)
        if not hasattr(self, "dim"):
            self.dim = None

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_Dim):
    def forward(self, input):
        from ..functional import softmax
        return softmax(input, self.dim, _stacklevel=5)


class Softmax2d(Module):
    """Softmax over the channels of (N, C, H, W) or (C, H, W) input, at every position.
    在每个位置对通道做 softmax。"""

    def forward(self, input):
        from ..functional import softmax
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D "
                             "instead")
        return softmax(input, -3, _stacklevel=5)


class LogSoftmax(_Dim):
    def forward(self, input):
        from ..functional import log_softmax
        return log_softmax(input, self.dim, _stacklevel=5)
