"""Padding layers (``nn.ZeroPad2d``, ``nn.ReflectionPad2d`` …): ``F.pad`` as a module.

填充层：把 ``F.pad`` 包成模块。``padding`` 是一个整数（四周相同）或 (左, 右, 上, 下, …) 元组。
"""
from __future__ import annotations

from .. import functional as F
from .module import Module

__all__ = [f"{kind}Pad{n}d" for kind in ("Zero", "Constant", "Reflection", "Replication",
                                          "Circular") for n in (1, 2, 3)]


class _PadNd(Module):
    _n, _mode = 1, "constant"

    def __init__(self, padding):
        super().__init__()
        self.padding = ((padding,) * (2 * self._n) if isinstance(padding, int)
                        else tuple(padding))

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


def _zero_pad_init(self, padding):
    _ConstantPadNd.__init__(self, padding, 0.0)


def _zero_pad_repr(self):
    return f"{self.padding}"


class _ReflectionPadNd(_PadNd):
    _mode = "reflect"


class _ReplicationPadNd(_PadNd):
    _mode = "replicate"


class _CircularPadNd(_PadNd):
    _mode = "circular"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last 1 dimension of (C, W) or (N, C, W) with a constant value."""

    _n = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last 2 dimensions of (C, H, W) or (N, C, H, W) with a constant value."""

    _n = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last 3 dimensions of (C, D, H, W) or (N, C, D, H, W) with a constant value."""

    _n = 3


class ZeroPad1d(ConstantPad1d):
    """Pads the last 1 dimension of (C, W) or (N, C, W) with zeros (torch: a ConstantPad1d)."""

    __init__, extra_repr = _zero_pad_init, _zero_pad_repr


class ZeroPad2d(ConstantPad2d):
    """Pads the last 2 dimensions of (C, H, W) or (N, C, H, W) with zeros (a ConstantPad2d)."""

    __init__, extra_repr = _zero_pad_init, _zero_pad_repr


class ZeroPad3d(ConstantPad3d):
    """Pads the last 3 dimensions of (C, D, H, W) or (N, C, D, H, W) with zeros (a ConstantPad3d)."""

    __init__, extra_repr = _zero_pad_init, _zero_pad_repr


class ReflectionPad1d(_ReflectionPadNd):
    """Pads the last 1 dimension of (C, W) or (N, C, W) with the reflection of the input at its edge (the edge itself not repeated)."""

    _n = 1


class ReflectionPad2d(_ReflectionPadNd):
    """Pads the last 2 dimensions of (C, H, W) or (N, C, H, W) with the reflection of the input at its edge (the edge itself not repeated)."""

    _n = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Pads the last 3 dimensions of (C, D, H, W) or (N, C, D, H, W) with the reflection of the input at its edge (the edge itself not repeated)."""

    _n = 3


class ReplicationPad1d(_ReplicationPadNd):
    """Pads the last 1 dimension of (C, W) or (N, C, W) with copies of the edge element."""

    _n = 1


class ReplicationPad2d(_ReplicationPadNd):
    """Pads the last 2 dimensions of (C, H, W) or (N, C, H, W) with copies of the edge element."""

    _n = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Pads the last 3 dimensions of (C, D, H, W) or (N, C, D, H, W) with copies of the edge element."""

    _n = 3


class CircularPad1d(_CircularPadNd):
    """Pads the last 1 dimension of (C, W) or (N, C, W) with the input wrapped around."""

    _n = 1


class CircularPad2d(_CircularPadNd):
    """Pads the last 2 dimensions of (C, H, W) or (N, C, H, W) with the input wrapped around."""

    _n = 2


class CircularPad3d(_CircularPadNd):
    """Pads the last 3 dimensions of (C, D, H, W) or (N, C, D, H, W) with the input wrapped around."""

    _n = 3
