"""``avg_pool2d`` and ``adaptive_avg_pool2d``: window means with torch's window rules.

平均池化：每个输出是输入中一个窗口的平均值（窗口规则与 torch 相同）。

Both are "sum over a rectangle / divisor" for every output (N, C, i, j). The rectangles are
given per output row and column (start, end) in input coordinates, so one implementation
serves both: window sums come from an integral image (cumulative sums in float64, so float32
inputs lose nothing), and the backward spreads g / divisor back over each rectangle with a
2-D difference array (add at the corners, cumulative-sum back); with create_graph the same
spread is R_hᵀ·g·R_w with 0/1 window matrices (products: differentiable again). Rules (torch's):
avg_pool2d: start = o·s − p, end = min(start + k, H + p); the divisor counts that clipped
window (count_include_pad) or only its part inside the input; windows are then clipped to the
input. adaptive: start = ⌊i·H/out⌋, end = ⌈(i+1)·H/out⌉.
"""
from __future__ import annotations

import math

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach1
from . import _glue as G
from ._conv_kernels import out_size
from ._conv_ops import _pool_pair
from ._ops import _keep_device, _wrap


def _window_sums(x, hs, he, ws, we):
    """x (..., H, W); bounds per output row/column → sums (..., Ho, Wo) in float64."""
    xp = xp_of(x)
    lead = x.shape[:-2]
    s = xp.zeros(lead + (x.shape[-2] + 1, x.shape[-1] + 1), dtype=np.float64)
    s[..., 1:, 1:] = x.astype(np.float64).cumsum(-2).cumsum(-1)
    a, b = xp.asarray(hs)[:, None], xp.asarray(he)[:, None]
    c, d = xp.asarray(ws)[None, :], xp.asarray(we)[None, :]
    return s[..., b, d] - s[..., a, d] - s[..., b, c] + s[..., a, c]


def _spread(g, shape, hs, he, ws, we):
    """The adjoint of _window_sums: each g[..., i, j] added over its rectangle (corners of a
    2-D difference array, then cumulative sums)."""
    xp = xp_of(g)
    h, w = shape[-2:]
    lead = g.shape[:-2]
    flat = xp.zeros(((h + 1) * (w + 1),) + lead, dtype=np.float64)
    vals = xp.moveaxis(g.astype(np.float64).reshape(lead + (-1,)), -1, 0)
    for rows, cols, sign in ((hs, ws, 1), (hs, we, -1), (he, ws, -1), (he, we, 1)):
        idx = xp.asarray((np.asarray(rows)[:, None] * (w + 1) + np.asarray(cols)[None, :])
                         .reshape(-1))
        if xp is np:
            np.add.at(flat, idx, sign * vals)
        else:  # pragma: no cover - needs a GPU
            import cupyx
            cupyx.scatter_add(flat, idx, sign * vals)
    diff = xp.moveaxis(flat, 0, -1).reshape(lead + (h + 1, w + 1))
    return diff.cumsum(-2).cumsum(-1)[..., :h, :w]


def _spread_matmul(g, shape, hs, he, ws, we):
    """_spread as R_hᵀ · g · R_w with the 0/1 matrices R[i, r] = [start_i ≤ r < end_i]: the
    same map written with differentiable products (what create_graph runs)."""
    xp = xp_of(g)

    def rects(start, end, size):
        pos = np.arange(size)[None, :]
        return xp.asarray(((pos >= start[:, None]) & (pos < end[:, None])).astype(g.dtype))
    return rects(hs, he, shape[-2]).T @ g @ rects(ws, we, shape[-1])


class _PoolBackward(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        shape, dtype, hs, he, ws, we, div = self.meta
        spread = _spread_matmul if getattr(g, "is_tarray", False) else _spread
        return (spread(g / div, shape, hs, he, ws, we).astype(dtype),)


class AvgPool2DBackward0(_PoolBackward):
    __slots__ = ()


class AdaptiveAvgPool2DBackward0(_PoolBackward):
    __slots__ = ()


def _finish(input, x, hs, he, ws, we, div, node_cls):
    sums = _window_sums(x, hs, he, ws, we)
    out = _wrap((sums / div).astype(x.dtype), x)
    if STATE[0] and input._requires_grad:
        node = node_cls()
        node.meta = (x.shape, x.dtype, hs, he, ws, we, div)
        attach1(out, node, input)
    return out


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """(N, C, H, W) or (C, H, W) → window means; stride defaults to kernel_size."""
    x = input._data
    if x.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if x.dtype.kind not in "f":
        raise NotImplementedError(f"\"avg_pool2d\" not implemented for '{G.dtype_name(input)}'")
    kh, kw = _pool_pair(kernel_size, "kernel_size",
                        "must either be a single int, or a tuple of two ints", "avg_pool2d")
    no_stride = stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0)
    sh, sw = (kh, kw) if no_stride else _pool_pair(
        stride, "stride", "must either be omitted, a single int, or a tuple of two ints",
        "avg_pool2d")
    ph, pw = _pool_pair(padding, "padding", "must either be a single int, or a tuple of two ints",
                        "avg_pool2d")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if ph > kh // 2 or pw > kw // 2:
        raise RuntimeError("pad should be at most half of effective kernel size, but got "
                           f"pad={max(ph, pw)}, kernel_size={max(kh, kw)} and dilation=1")
    h, w = x.shape[-2:]
    ho, wo = out_size(h, kh, sh, ph, 1, ceil_mode), out_size(w, kw, sw, pw, 1, ceil_mode)
    if ho <= 0 or wo <= 0:
        c = x.shape[-3]
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: "
                           f"({c}x{ho}x{wo}). Output size is too small")

    def bounds(n_out, size, k, s, p):
        start = np.arange(n_out) * s - p
        end = np.minimum(start + k, size + p)
        return start, end

    (hs, he), (ws, we) = bounds(ho, h, kh, sh, ph), bounds(wo, w, kw, sw, pw)
    if divisor_override is not None:
        div = float(divisor_override)
    elif count_include_pad:
        div = ((he - hs)[:, None] * (we - ws)[None, :]).astype(np.float64)
    hs, he = np.clip(hs, 0, h), np.clip(he, 0, h)
    ws, we = np.clip(ws, 0, w), np.clip(we, 0, w)
    if divisor_override is None and not count_include_pad:
        div = ((he - hs)[:, None] * (we - ws)[None, :]).astype(np.float64)
    if not isinstance(div, float):
        div = xp_of(x).asarray(div)
    return _finish(input, x, hs, he, ws, we, div, AvgPool2DBackward0)


def adaptive_avg_pool2d(input, output_size):
    """(N, C, H, W) or (C, H, W) → (…, out_h, out_w) means of near-equal windows."""
    x = input._data
    if x.ndim not in (3, 4) or 0 in x.shape[-2:]:
        raise RuntimeError("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
                           f"{list(x.shape)}")
    oh, ow = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    h, w = x.shape[-2:]
    oh, ow = h if oh is None else oh, w if ow is None else ow
    if (oh, ow) == (1, 1):  # torch takes the mean here (MeanBackward1)
        return input.mean((-1, -2), keepdim=True)
    hs = np.array([(i * h) // oh for i in range(oh)])
    he = np.array([math.ceil((i + 1) * h / oh) for i in range(oh)])
    ws = np.array([(j * w) // ow for j in range(ow)])
    we = np.array([math.ceil((j + 1) * w / ow) for j in range(ow)])
    div = xp_of(x).asarray(((he - hs)[:, None] * (we - ws)[None, :]).astype(np.float64))
    return _finish(input, x, hs, he, ws, we, div, AdaptiveAvgPool2DBackward0)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """(N, C, L) or (C, L) → window means: avg_pool2d of input.unsqueeze(-2), as torch."""
    from ._conv_ops import _pool1d_arg, _pool1d_input
    _pool1d_input(input, "avg_pool1d")

    def one(v, name, default=None):
        return _pool1d_arg(v, name, "avg_pool1d",
                           lambda n: f"avg_pool1d() argument '{name}' should contain one int "
                                     f"(got {n})", default)
    k = one(kernel_size, "kernel_size")
    s, p = one(stride, "stride", default=k), one(padding, "padding")
    if s == 0:
        raise RuntimeError("stride should not be zero")
    return avg_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), ceil_mode,
                      count_include_pad).squeeze(-2)


def adaptive_avg_pool1d(input, output_size):
    """(N, C, L) or (C, L) → (…, output_size): adaptive_avg_pool2d of input.unsqueeze(-2)."""
    from ._conv_ops import _pool1d_arg, _pool1d_input
    _pool1d_input(input, "adaptive_avg_pool1d")
    size = _pool1d_arg(output_size, "output_size", "adaptive_avg_pool1d",
                       lambda n: f"adaptive_avg_pool1d() argument 'output_size' should contain "
                                 f"one int (got {n})")
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, size)).squeeze(-2)
