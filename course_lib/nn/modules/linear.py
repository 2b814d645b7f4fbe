"""``nn.Linear`` and ``nn.Identity``. 全连接层与恒等层。"""
from __future__ import annotations

import math

from .. import _glue as G
from .. import init
from .. import functional as F
from ..parameter import Parameter
from .module import Module

__all__ = ["Linear", "Identity", "NonDynamicallyQuantizableLinear", "Bilinear"]


class Identity(Module):
    """Returns its input unchanged (any arguments are ignored). 原样返回输入。"""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """y = x Wᵀ + b.  input (*, in_features) → (*, out_features).

    Initialised like torch: W ~ kaiming_uniform_(a=√5) = U(−1/√in, 1/√in), b ~ U(−1/√in, 1/√in).
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(G.empty((out_features, in_features), device, dtype))
        if bias:
            self.bias = Parameter(G.empty((out_features,), device, dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        ps = self._parameters  # what self.weight / self.bias find, without __getattr__'s search
        if type(self) is Linear and "weight" in ps and "bias" in ps:
            return F.linear(input, ps["weight"], ps["bias"])
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class NonDynamicallyQuantizableLinear(Linear):
    """``MultiheadAttention.out_proj``: a Linear under the name torch gives it (torch keeps it
    out of dynamic quantization). 多头注意力的输出投影层。"""


class Bilinear(Module):
    """y = x1ᵀ A x2 + b: weight (out_features, in1_features, in2_features). 双线性层。"""

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None):
        super().__init__()
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        self.weight = Parameter(G.empty((out_features, in1_features, in2_features), device,
                                        dtype))
        if bias:
            self.bias = Parameter(G.empty((out_features,), device, dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        if self.in1_features <= 0:
            raise ValueError(f"in1_features must be > 0, but got (in1_features="
                             f"{self.in1_features})")
        bound = 1 / math.sqrt(self.weight.size(1))
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self):
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
