"""``nn.MaxPool2d`` / ``nn.AvgPool2d`` / ``nn.AdaptiveAvgPool2d``: the maximum or the mean of
each window. 二维最大池化与平均池化层。"""
from __future__ import annotations

from .._conv_ops import _max_pool1d
from .._ops import _max_pool2d
from .module import Module

__all__ = ["AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d",
           "AdaptiveAvgPool2d"]


class _MaxPoolNd(Module):
    """What MaxPool1d and MaxPool2d share (torch's _MaxPoolNd); stride defaults to kernel_size."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if (stride is not None) else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input):
        return self._op(input, self.kernel_size, self.stride, self.padding, self.dilation,
                        ceil_mode=self.ceil_mode, return_indices=self.return_indices)

    def extra_repr(self):
        return ("kernel_size={kernel_size}, stride={stride}, padding={padding}, "
                "dilation={dilation}, ceil_mode={ceil_mode}".format(**self.__dict__))


class MaxPool2d(_MaxPoolNd):
    """input (N, C, H, W) → (N, C, H_out, W_out); stride defaults to kernel_size."""

    _op = staticmethod(_max_pool2d)


class AvgPool2d(Module):
    """input (N, C, H, W) → (N, C, H_out, W_out): the mean of each window."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if (stride is not None) else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input):
        from ..functional import avg_pool2d
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad, self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptiveAvgPoolNd(Module):
    """What the adaptive average pools share (torch's _AdaptiveAvgPoolNd)."""

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """input (N, C, H, W) → (N, C, *output_size): means of near-equal windows."""

    def forward(self, input):
        from ..functional import adaptive_avg_pool2d
        return adaptive_avg_pool2d(input, self.output_size)


class MaxPool1d(_MaxPoolNd):
    """input (N, C, L) → (N, C, L_out); stride defaults to kernel_size. 一维最大池化层。"""

    _op = staticmethod(_max_pool1d)


class AvgPool1d(Module):
    """input (N, C, L) → (N, C, L_out): the mean of each window. 一维平均池化层。"""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input):
        from ..functional import avg_pool1d
        return avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad)

    extra_repr = AvgPool2d.extra_repr


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """input (N, C, L) → (N, C, output_size). 一维自适应平均池化层。"""

    def forward(self, input):
        from ..functional import adaptive_avg_pool1d
        return adaptive_avg_pool1d(input, self.output_size)


def _single(v):  # torch's _single: an int becomes a 1-tuple, a sequence a tuple
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)


class _AdaptiveMaxPoolNd(Module):
    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """The maximum of each adaptive window: any input size → ``output_size``. 自适应最大池化。"""

    def forward(self, input):
        from ..functional import adaptive_max_pool2d
        return adaptive_max_pool2d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    def forward(self, input):
        from ..functional import adaptive_max_pool1d
        return adaptive_max_pool1d(input, self.output_size, self.return_indices)
