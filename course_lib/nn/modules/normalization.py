"""``nn.LayerNorm`` / ``nn.GroupNorm`` / ``nn.RMSNorm``: normalise each sample over its last
dims (or over groups of channels), then scale and shift (RMSNorm: divide by the root mean square,
then scale).

层归一化、组归一化与均方根归一化：对每个样本的最后几维（或每组通道）做归一化，再乘以 weight
（并加上 bias）。
"""
from __future__ import annotations

from .. import _glue as G
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["LayerNorm", "GroupNorm", "RMSNorm", "LocalResponseNorm"]


def _shape_and_weight(m, normalized_shape, eps, elementwise_affine, device, dtype):
    """LayerNorm's and RMSNorm's normalized_shape (a tuple), eps, elementwise_affine and
    weight (of normalized_shape, or a None parameter)."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    m.normalized_shape = tuple(normalized_shape)
    m.eps, m.elementwise_affine = eps, elementwise_affine
    if elementwise_affine:
        m.weight = Parameter(G.empty(m.normalized_shape, device, dtype))
    else:
        m.register_parameter("weight", None)


class LayerNorm(Module):
    """(*, *normalized_shape) → same shape; weight and bias have ``normalized_shape``."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        _shape_and_weight(self, normalized_shape, eps, elementwise_affine, device, dtype)
        if elementwise_affine and bias:
            self.bias = Parameter(G.empty(self.normalized_shape, device, dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        if self.elementwise_affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input):
        from ..functional import layer_norm
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine="
                f"{self.elementwise_affine}, bias={self.bias is not None}")


class GroupNorm(Module):
    """(N, C, *) → same shape; C split into num_groups groups; weight and bias have (C,)."""

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None,
                 dtype=None):
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = (num_groups, num_channels,
                                                                     eps, affine)
        if affine:
            self.weight = Parameter(G.empty((num_channels,), device, dtype))
            self.bias = Parameter(G.empty((num_channels,), device, dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        if self.affine:
            init.ones_(self.weight)
            init.zeros_(self.bias)

    def forward(self, input):
        from ..functional import group_norm
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class RMSNorm(Module):
    """(*, *normalized_shape) → same shape; x / √(mean(x²) + eps) times ``weight``."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__()
        _shape_and_weight(self, normalized_shape, eps, elementwise_affine, device, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        if self.elementwise_affine:
            init.ones_(self.weight)

    def forward(self, x):
        from ..functional import rms_norm
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class LocalResponseNorm(Module):
    """Normalise each value by the activity of ``size`` neighbouring channels (AlexNet).
    局部响应归一化。"""

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input):
        from ..functional import local_response_norm
        return local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
