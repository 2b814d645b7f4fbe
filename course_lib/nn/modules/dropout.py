"""``nn.Dropout``: zero elements with probability p while training (scale the rest by 1/(1−p)).

训练时以概率 p 将元素置零（其余乘以 1/(1−p)）；eval() 模式下原样返回。
"""
from __future__ import annotations

from .._ops import _dropout
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
           "FeatureAlphaDropout"]


class _DropoutNd(Module):
    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    def forward(self, input):
        return _dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) input. 按通道置零。"""

    def forward(self, input):
        from ..functional import dropout1d
        return dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zero whole channels (feature maps) of (N, C, H, W) input. 按通道（特征图）置零。"""

    def forward(self, input):
        from ..functional import dropout2d
        return dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    def forward(self, input):
        from ..functional import dropout3d
        return dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout that keeps SELU's self-normalisation. 保持 SELU 自归一化的 dropout。"""

    def forward(self, input):
        from ..functional import alpha_dropout
        return alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    def forward(self, input):
        from ..functional import feature_alpha_dropout
        return feature_alpha_dropout(input, self.p, self.training)
