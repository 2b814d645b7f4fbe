"""More activation layers (GELU, SiLU, ELU, SELU, CELU, Softplus, Mish, LogSigmoid, Hardtanh,
ReLU6, Hardswish, Hardsigmoid, Softsign, PReLU, Softmin, Hardshrink, Softshrink, Tanhshrink,
Threshold, GLU): ``nn.functional``'s as modules, torch's reprs.

更多激活层：把 ``nn.functional`` 中的函数包成模块（repr 与 torch 相同）。
"""
from __future__ import annotations

from .. import _glue as G
from .. import functional as F
from .. import init as _init
from ..parameter import Parameter
from .activation import _Dim
from .module import Module

__all__ = ["GELU", "SiLU", "ELU", "SELU", "CELU", "Softplus", "Mish", "LogSigmoid", "Hardtanh",
           "ReLU6", "Hardswish", "Hardsigmoid", "Softsign", "PReLU", "Softmin", "Hardshrink",
           "Softshrink", "Tanhshrink", "Threshold", "GLU"]


def _inplace(s, inplace):
    return (s + ", " if s and inplace else s) + ("inplace=True" if inplace else "")


class GELU(Module):
    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class _Inplace(Module):
    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def extra_repr(self):
        return _inplace("", self.inplace)


class SiLU(_Inplace):
    def forward(self, input):
        return F.silu(input, self.inplace)


class SELU(_Inplace):
    def forward(self, input):
        return F.selu(input, self.inplace)


class Mish(_Inplace):
    def forward(self, input):
        return F.mish(input, self.inplace)


class Hardswish(_Inplace):
    def forward(self, input):
        return F.hardswish(input, self.inplace)

    def extra_repr(self):  # torch prints no inplace here
        return ""


class Hardsigmoid(_Inplace):
    def forward(self, input):
        return F.hardsigmoid(input, self.inplace)

    extra_repr = Hardswish.extra_repr


class _Alpha(Module):
    """ELU and CELU: ``alpha`` and ``inplace`` (in torch two unrelated Modules)."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def extra_repr(self):
        return _inplace(f"alpha={self.alpha}", self.inplace)


class ELU(_Alpha):
    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)


class CELU(_Alpha):
    def forward(self, input):
        return F.celu(input, self.alpha, self.inplace)


class Softplus(Module):
    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class LogSigmoid(Module):
    def forward(self, input):
        return F.logsigmoid(input)


class Softsign(Module):
    def forward(self, input):
        return F.softsign(input)


class Hardtanh(Module):
    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        super().__init__()
        if min_val > max_val:
            raise ValueError("min_val cannot be greater than max_val")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        return _inplace(f"min_val={self.min_val}, max_val={self.max_val}", self.inplace)


class ReLU6(Hardtanh):
    def __init__(self, inplace=False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self):
        return _inplace("", self.inplace)


class PReLU(Module):
    """max(0, x) + weight · min(0, x), one learnable weight (or one per channel, dim 1)."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(G.empty((num_parameters,), device, dtype))
        self.reset_parameters()

    def reset_parameters(self):
        _init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class Softmin(_Dim):
    def forward(self, input):
        return F.softmin(input, self.dim, _stacklevel=5)


class _Lambd(Module):
    """Hardshrink and Softshrink: the threshold ``lambd`` (in torch two unrelated Modules)."""

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def extra_repr(self):
        return f"{self.lambd}"


class Hardshrink(_Lambd):
    def forward(self, input):
        return F.hardshrink(input, self.lambd)


class Softshrink(_Lambd):
    def forward(self, input):
        return F.softshrink(input, self.lambd)


class Tanhshrink(Module):
    def forward(self, input):
        return F.tanhshrink(input)


class Threshold(Module):
    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        return _inplace(f"threshold={self.threshold}, value={self.value}", self.inplace)


class GLU(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"
