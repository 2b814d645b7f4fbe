"""``nn.Conv1d`` / ``nn.Conv2d`` (cross-correlation, vectorised with im2col) and
``nn.ConvTranspose1d`` / ``nn.ConvTranspose2d``. 一维、二维卷积层与转置卷积层。"""
from __future__ import annotations

import math

from .. import _glue as G
from .. import init
from .._conv_kernels import _pair
from .._conv_ops import _convolution
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d"]


def _ntuple(v, nd):
    return _pair(v) if nd == 2 else (tuple(int(i) for i in v) if isinstance(v, (tuple, list))
                                     else (int(v),))


class _ConvNd(Module):
    """What Conv1d / Conv2d / ConvTranspose1d / ConvTranspose2d share (torch's _ConvNd):
    arguments, parameters, initialisation and repr."""

    _nd, transposed = 2, False

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None,
                 output_padding=0):
        super().__init__()
        nd = self._nd
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            strings = {"valid", "same"}  # torch prints this set
            if padding not in strings:
                raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                                 f"{strings}")
            if padding == "same" and any(s != 1 for s in _ntuple(stride, nd)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        modes = {"zeros", "reflect", "replicate", "circular"}  # torch prints this set
        if padding_mode not in modes:
            raise ValueError(f"padding_mode must be one of {modes}, but got "
                             f"padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _ntuple(kernel_size, nd)
        self.stride = _ntuple(stride, nd)
        self.padding = padding if isinstance(padding, str) else _ntuple(padding, nd)
        self.dilation = _ntuple(dilation, nd)
        self.output_padding = _ntuple(output_padding, nd)
        self.groups = groups
        self.padding_mode = padding_mode
        # F.pad's (left, right, top, bottom) for padding_mode != 'zeros', as torch computes it
        if isinstance(self.padding, str):
            self._reversed_padding_repeated_twice = [0, 0] * nd
            if self.padding == "same":
                for d, k, i in zip(self.dilation, self.kernel_size, range(nd - 1, -1, -1)):
                    total = d * (k - 1)
                    self._reversed_padding_repeated_twice[2 * i:2 * i + 2] = [
                        total // 2, total - total // 2]
        else:
            self._reversed_padding_repeated_twice = [p for p in reversed(self.padding)
                                                     for _ in range(2)]
        shape = ((in_channels, out_channels // groups) if self.transposed
                 else (out_channels, in_channels // groups))
        self.weight = Parameter(G.empty(shape + self.kernel_size, device, dtype))
        if bias:
            self.bias = Parameter(G.empty((out_channels,), device, dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        if self.padding_mode != "zeros":  # pad first (reflect/replicate/circular), as torch
            from ..functional import pad
            return _convolution(pad(input, self._reversed_padding_repeated_twice,
                                    mode=self.padding_mode),
                                self.weight, self.bias, self.stride, (0,) * self._nd,
                                self.dilation, self.groups, self._nd)
        return _convolution(input, self.weight, self.bias, self.stride, self.padding,
                            self.dilation, self.groups, self._nd)

    def extra_repr(self):
        s = "{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}"
        if self.padding != (0,) * len(self.padding):
            s += ", padding={padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += ", dilation={dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += ", output_padding={output_padding}"
        if self.groups != 1:
            s += ", groups={groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += ", padding_mode={padding_mode}"
        return s.format(**self.__dict__)


class Conv1d(_ConvNd):
    """input (N, C_in, L) → (N, C_out, L_out); L_out = ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1. 一维卷积层。"""

    _nd = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device, dtype)


class Conv2d(_ConvNd):
    """input (N, C_in, H, W) → (N, C_out, H_out, W_out); H_out = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device, dtype)


class _ConvTransposeNd(_ConvNd):
    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for '
                             f'{type(self).__name__}')
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device, dtype, output_padding)

    def forward(self, input, output_size=None):
        output_padding = self._output_padding(input, output_size)
        return _convolution(input, self.weight, self.bias, self.stride, self.padding,
                            self.dilation, self.groups, self._nd, True, output_padding)

    def _output_padding(self, input, output_size):
        """torch's: the output padding that gives ``output_size`` (checked against the sizes
        this stride allows)."""
        nd = self._nd
        if output_size is None:
            return self.output_padding
        lead = 2 if input.dim() == nd + 2 else 1
        if len(output_size) == lead + nd:
            output_size = output_size[lead:]
        if len(output_size) != nd:
            raise ValueError(f"ConvTranspose{nd}D: for {input.dim()}D input, output_size must "
                             f"have {nd} or {lead + nd} elements (got {len(output_size)})")
        lo = [(input.size(d + lead) - 1) * self.stride[d] - 2 * self.padding[d]
              + self.dilation[d] * (self.kernel_size[d] - 1) + 1 for d in range(nd)]
        hi = [lo[d] + self.stride[d] - 1 for d in range(nd)]
        for size, a, b in zip(output_size, lo, hi):
            if size < a or size > b:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes "
                                 f"range from {lo} to {hi} (for an input of "
                                 f"{input.size()[lead:]})")
        return [output_size[d] - lo[d] for d in range(nd)]


class ConvTranspose1d(_ConvTransposeNd):
    """input (N, C_in, L) → (N, C_out, L_out); L_out = (L − 1)s − 2p + d(k−1) + output_padding
    + 1. 一维转置卷积层。"""

    _nd = 1


class ConvTranspose2d(_ConvTransposeNd):
    """input (N, C_in, H, W) → (N, C_out, H_out, W_out); H_out = (H − 1)s − 2p + d(k−1)
    + output_padding + 1. 二维转置卷积层。"""
