"""``nn.Dropout``: zero elements with probability p while training (scale the rest by 1/(1−p)).

训练时以概率 p 将元素置零（其余乘以 1/(1−p)）；eval() 模式下原样返回。
"""
from __future__ import annotations

from .._ops import _dropout
from .module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return _dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
