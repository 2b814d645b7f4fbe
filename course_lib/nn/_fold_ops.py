"""``unfold`` (im2col) and ``fold`` (col2im), and ``pixel_shuffle`` / ``pixel_unshuffle``.

滑动窗口展开（im2col）与其逆（col2im，重叠处相加），以及像素重排。``unfold`` gives every
kernel-sized block of a (N, C, H, W) input as a column of (N, C·kh·kw, L): convolution is
``W @ unfold(x)``. ``fold`` sums such columns back into an image — the adjoint of ``unfold``,
so each one's backward is the other (their nodes ``Im2ColBackward0`` / ``Col2ImBackward0``).
"""
from __future__ import annotations

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach1
from ._conv_kernels import _col2im_add, im2col
from ._ops import _wrap


def _pairs(name, v):
    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(v)}")
        return tuple(int(i) for i in v)
    return (int(v), int(v))


def _check(kernel, dilation, padding, stride):
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    if kh <= 0 or kw <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: "
                           f"{kh} kernel_width: {kw}")
    if dh <= 0 or dw <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: {dh} "
                           f"dilation_width: {dw}")
    if ph < 0 or pw < 0:
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {ph} "
                           f"pad_width: {pw}")
    if sh <= 0 or sw <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got stride_height: {sh} "
                           f"stride_width: {sw}")


def _blocks(hw, kernel, dilation, padding, stride):
    return tuple((hw[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1
                 for i in range(2))


def _xp(a):
    return np if getattr(a, "is_tarray", False) else xp_of(a)


def _im2col(x, kernel, dilation, padding, stride, blocks):
    return im2col(_xp(x), x, kernel, stride, padding, dilation, *blocks)


def _col2im(cols, out_hw, kernel, dilation, padding, stride, blocks):
    n, ckk = cols.shape[0], cols.shape[1]
    c = ckk // (kernel[0] * kernel[1])
    g = cols.reshape(n, c, kernel[0], kernel[1], blocks[0], blocks[1])
    return _col2im_add(_xp(cols), cols, g, (n, c) + tuple(out_hw), blocks[0], blocks[1], stride,
                       padding, dilation)


class _FoldNode(Node):
    """``batched`` False: an unbatched input, handled as a batch of one."""

    __slots__ = ("hw", "kernel", "dilation", "padding", "stride", "blocks", "batched")

    def backward(self, g):
        r = self._formula(g if self.batched else g[None])
        return (r if self.batched else r[0],)


class Im2ColBackward0(_FoldNode):
    """unfold's backward: the column gradients folded back (overlaps add up)."""

    __slots__ = ()

    def _formula(self, g):
        return _col2im(g, self.hw, self.kernel, self.dilation, self.padding, self.stride,
                       self.blocks)


class Col2ImBackward0(_FoldNode):
    """fold's backward: the image gradient unfolded into columns."""

    __slots__ = ()

    def _formula(self, g):
        return _im2col(g, self.kernel, self.dilation, self.padding, self.stride, self.blocks)


def _graph(out, input, cls, hw, kernel, dilation, padding, stride, blocks, batched):
    if STATE[0] and input._requires_grad:
        node = cls()
        node.hw, node.kernel, node.dilation = hw, kernel, dilation
        node.padding, node.stride, node.blocks = padding, stride, blocks
        node.batched = batched
        attach1(out, node, input)
    return out


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    k, d = _pairs("kernel_size", kernel_size), _pairs("dilation", dilation)
    p, s = _pairs("padding", padding), _pairs("stride", stride)
    _check(k, d, p, s)
    x = input._data
    if x.ndim not in (3, 4) or (x.ndim == 3 and 0 in x.shape[1:]) or \
            (x.ndim == 4 and 0 in x.shape[1:]):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and "
                           f"other non-zero dimensions for input, but got: {list(x.shape)}")
    batched = x.ndim == 4
    x4 = x if batched else x[None]
    hw = x4.shape[2:]
    blocks = _blocks(hw, k, d, p, s)
    if blocks[0] < 1 or blocks[1] < 1:
        raise RuntimeError(f"Given input with spatial size ({hw[0]}, {hw[1]}), kernel_size=({k[0]}, "
                           f"{k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), "
                           f"calculated shape of the array of sliding blocks as ({blocks[0]}, "
                           f"{blocks[1]}), but its components must be at least one.")
    cols = _im2col(x4, k, d, p, s, blocks)
    out = _wrap(cols if batched else cols[0], x)
    return _graph(out, input, Im2ColBackward0, tuple(hw), k, d, p, s, blocks, batched)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    hw = _pairs("output_size", output_size)
    k, d = _pairs("kernel_size", kernel_size), _pairs("dilation", dilation)
    p, s = _pairs("padding", padding), _pairs("stride", stride)
    _check(k, d, p, s)
    x = input._data
    if x.ndim not in (2, 3) or 0 in x.shape[x.ndim - 2:]:
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 "
                           f"batch size and non-zero dimensions for input, but got: "
                           f"{list(x.shape)}")
    batched = x.ndim == 3
    x3 = x if batched else x[None]
    if x3.shape[1] % (k[0] * k[1]):
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={x3.shape[1]} and "
                           f"kernel_size=({k[0]}, {k[1]}).")
    blocks = _blocks(hw, k, d, p, s)
    if blocks[0] * blocks[1] != x3.shape[2]:
        raise RuntimeError(f"Given output_size=({hw[0]}, {hw[1]}), kernel_size=({k[0]}, {k[1]}), "
                           f"dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, "
                           f"{s[1]}), expected size of input's dimension 2 to match the "
                           f"calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
                           f"{blocks[0] * blocks[1]}, but got input.size(2)={x3.shape[2]}.")
    img = _col2im(x3, hw, k, d, p, s, blocks)
    out = _wrap(img if batched else img[0], x)
    return _graph(out, input, Col2ImBackward0, hw, k, d, p, s, blocks, batched)


def _shuffle_dims(name, x, factor, what):
    if factor <= 0:
        raise RuntimeError(f"{name} expects a positive {what}, but got {factor}")
    if x.ndim < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input "
                           f"with {x.ndim} dimension(s)")


def _shuffle(x, r):
    """(*, C·r², H, W) → (*, C, H·r, W·r)."""
    *lead, c, h, w = x.shape
    y = x.reshape(*lead, c // (r * r), r, r, h, w)
    n = len(lead)
    y = y.transpose(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return y.reshape(*lead, c // (r * r), h * r, w * r)


def _unshuffle(x, r):
    """(*, C, H·r, W·r) → (*, C·r², H, W)."""
    *lead, c, h, w = x.shape
    y = x.reshape(*lead, c, h // r, r, w // r, r)
    n = len(lead)
    y = y.transpose(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return y.reshape(*lead, c * r * r, h // r, w // r)


class PixelShuffleBackward0(Node):
    __slots__ = ("factor",)

    def backward(self, g):
        return (_unshuffle(g, self.factor),)


class PixelUnshuffleBackward0(Node):
    __slots__ = ("factor",)

    def backward(self, g):
        return (_shuffle(g, self.factor),)


def _finish(out, input, cls, factor):
    if STATE[0] and input._requires_grad:
        node = cls()
        node.factor = factor
        attach1(out, node, input)
    return out


def pixel_shuffle(input, upscale_factor):
    """(*, C·r², H, W) → (*, C, H·r, W·r): channels become r×r sub-pixel blocks (ESPCN).
    像素重排：把通道变成 r×r 的子像素块（上采样）。"""
    x = input._data
    r = int(upscale_factor)
    _shuffle_dims("pixel_shuffle", x, r, "upscale_factor")
    if x.shape[-3] % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be divisible "
                           f"by the square of upscale_factor, but input.size(-3)={x.shape[-3]} is "
                           f"not divisible by {r * r}")
    out = _wrap(np.ascontiguousarray(_shuffle(x, r)) if xp_of(x) is np else _shuffle(x, r), x)
    return _finish(out, input, PixelShuffleBackward0, r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H·r, W·r) → (*, C·r², H, W): the inverse of ``pixel_shuffle``. 像素重排的逆。"""
    x = input._data
    r = int(downscale_factor)
    _shuffle_dims("pixel_unshuffle", x, r, "downscale_factor")
    for side, k in (("height", -2), ("width", -1)):
        if x.shape[k] % r:
            raise RuntimeError(f"pixel_unshuffle expects {side} to be divisible by "
                               f"downscale_factor, but input.size({k})={x.shape[k]} is not "
                               f"divisible by {r}")
    y = _unshuffle(x, r)
    out = _wrap(np.ascontiguousarray(y) if xp_of(x) is np else y, x)
    return _finish(out, input, PixelUnshuffleBackward0, r)
