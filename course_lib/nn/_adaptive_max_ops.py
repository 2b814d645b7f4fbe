"""``adaptive_max_pool2d`` / ``adaptive_max_pool1d``: the maximum of each adaptive window.

自适应最大池化：输出的每个位置取输入中对应窗口（起点 ⌊i·H/out⌋，终点 ⌈(i+1)·H/out⌉）的最大值。
The windows may overlap, so the backward adds each output's gradient at the input position its
maximum came from (``indices``, flat in H·W as torch returns them).
"""
from __future__ import annotations

import math

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach1
from ._ops import _wrap


def _bounds(n_in, n_out):
    return ([math.floor(i * n_in / n_out) for i in range(n_out)],
            [math.ceil((i + 1) * n_in / n_out) for i in range(n_out)])


class AdaptiveMaxPool2DBackward0(Node):
    __slots__ = ("shape",)

    def backward(self, g):
        (idx,) = self.saved
        *lead, h, w = self.shape
        batched = len(lead) == 2
        g4 = g if batched else g[None]
        ix = idx if batched else idx[None]
        n, c = g4.shape[:2]
        out = np.zeros_like(g4, shape=(n, c, h * w))
        ni = np.arange(n).reshape(n, 1, 1, 1)
        ci = np.arange(c).reshape(1, c, 1, 1)
        np.add.at(out, (ni, ci, ix), g4)
        out = out.reshape(n, c, h, w)
        return (out if batched else out[0],)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    x = input._data
    if x.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: "
                           f"{list(x.shape)}")
    for d in range(1, x.ndim):
        if x.shape[d] == 0:
            raise RuntimeError("adaptive_max_pool2d(): Expected input to have non-zero size for "
                               f"non-batch dimensions, but input has sizes {list(x.shape)} with "
                               f"dimension {d} being empty")
    size = list(output_size) if isinstance(output_size, (tuple, list)) else [output_size] * 2
    if len(size) != 2:
        raise RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() must be 2")
    h, w = x.shape[-2:]
    oh, ow = (h if size[0] is None else int(size[0])), (w if size[1] is None else int(size[1]))
    if oh < 0 or ow < 0:
        bad = oh if oh < 0 else ow
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: "
                           f"{list(x.shape[:-2]) + [oh, ow]}")
    if x.dtype.kind != "f":
        from ._glue import dtype_name
        raise NotImplementedError(f"\"adaptive_max_pool2d\" not implemented for "
                                  f"'{dtype_name(input)}'")
    xp = xp_of(x)
    lead = x.shape[:-2]
    vals = xp.empty(lead + (oh, ow), dtype=x.dtype)
    idx = xp.empty(lead + (oh, ow), dtype=np.int64)
    (hs, he), (ws, we) = _bounds(h, oh), _bounds(w, ow)
    for i in range(oh):
        for j in range(ow):
            block = x[..., hs[i]:he[i], ws[j]:we[j]]
            bw = we[j] - ws[j]
            flat = block.reshape(lead + (-1,))
            k = flat.argmax(axis=-1)
            vals[..., i, j] = xp.take_along_axis(flat, k[..., None], -1)[..., 0]
            idx[..., i, j] = (hs[i] + k // bw) * w + ws[j] + k % bw
    out = _wrap(vals, x)
    if STATE[0] and input._requires_grad:
        node = AdaptiveMaxPool2DBackward0()
        node.shape, node.saved = x.shape, (idx,)
        attach1(out, node, input)
    return (out, _wrap(idx, x)) if return_indices else out


def adaptive_max_pool1d(input, output_size, return_indices=False):
    from ._conv_ops import _pool1d_input
    _pool1d_input(input, "adaptive_max_pool1d")
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != 1:
            raise RuntimeError("adaptive_max_pool1d() argument 'output_size' should contain one "
                               f"int (got {len(output_size)})")
        output_size = output_size[0]
    out, idx = adaptive_max_pool2d(input.unsqueeze(-2), (1, output_size), True)
    out = out.squeeze(-2)
    return (out, idx.squeeze(-2)) if return_indices else out
