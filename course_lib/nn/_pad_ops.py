"""``nn.functional.pad``: constant, reflect, replicate and circular padding, with autograd.

填充：常数、反射、复制与循环填充（支持求导）。``pad`` 是从最后一维往前的 (左, 右) 对：
``pad(x, (1, 2))`` 在最后一维左边补 1 个、右边补 2 个；负数表示裁掉（仅常数模式）。

Forward with the array module's ``pad`` (modes constant / reflect / edge / wrap). Backward:
constant padding by ``p`` is undone by constant padding by ``-p`` (the gradient of the
padding is dropped, a crop gets zeros); the other modes copy input elements to several output
positions along each padded axis, a separable map ``out[i…] = in[m₁(i₁), m₂(i₂), …]``, so the
gradient is summed back axis by axis with the one-hot matrix of each map. grad_fn names are
torch's: ``ConstantPadNdBackward0``, ``ReflectionPad{1,2,3}DBackward0``,
``ReplicationPad{1,2,3}DBackward0``; circular padding is built from slice copies, as torch
builds it (its grad_fn is autograd's ``CopySlices``). With create_graph the formulas run on
Tensors (the one-hot product is a matmul; constant padding's gradient is the op itself).
"""
from __future__ import annotations

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach1
from . import _glue as G
from ._ops import _keep_device, _wrap

_NP_MODE = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


class ConstantPadNdBackward0(Node):
    __slots__ = ("pads",)

    @_keep_device
    def backward(self, g):
        back = [-p for p in self.pads]
        if getattr(g, "is_tarray", False):  # create_graph: the op itself, recorded
            return (type(g)(pad(g.t, back)),)
        return (_constant(g, back),)


class _MapPadBackward(Node):
    """reflect / replicate / circular: sum the gradient back through each axis' index map."""

    __slots__ = ("maps",)

    @_keep_device
    def backward(self, g):
        xp = xp_of(g)
        for axis, (m, n) in self.maps.items():
            onehot = xp.zeros((len(m), n), dtype=g.dtype)
            onehot[xp.arange(len(m)), xp.asarray(m)] = 1
            g = xp.moveaxis(xp.tensordot(g, onehot, axes=([axis], [0])), -1, axis)
        return (g,)


def _named(name):
    return type(name, (_MapPadBackward,), {"__slots__": ()})


_NODES = {(mode, k): _named(f"{base}{k}DBackward0")
          for mode, base in (("reflect", "ReflectionPad"), ("replicate", "ReplicationPad"))
          for k in (1, 2, 3)}


def _pairs(pad, ndim):
    """``{axis: (before, after)}`` from torch's last-dimension-first flat tuple."""
    return {ndim - 1 - i: (pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)}


def _constant(a, pad, value=0):
    xp = xp_of(a)
    pairs = _pairs(pad, a.ndim)
    crop = tuple(slice(max(-b, 0), a.shape[ax] - max(-e, 0)) if ax in pairs else slice(None)
                 for ax, (b, e) in ((ax, pairs.get(ax, (0, 0))) for ax in range(a.ndim)))
    a = a[crop]
    width = [(max(pairs.get(ax, (0, 0))[0], 0), max(pairs.get(ax, (0, 0))[1], 0))
             for ax in range(a.ndim)]
    if not any(b or e for b, e in width):
        return a.copy()
    return xp.pad(a, width, mode="constant", constant_values=value)


def _check(input, pad, mode, value):
    if not isinstance(input, G.Tensor):
        raise TypeError(f"pad(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if not isinstance(pad, (tuple, list)) or not all(
            isinstance(p, int) and not isinstance(p, bool) for p in pad):
        raise TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, not "
                        f"{type(pad).__name__}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    ndim = input.ndim
    if len(pad) // 2 > ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension "
                           f"{ndim}")
    if mode == "constant":
        return
    if mode not in _NP_MODE:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pad) // 2
    if not (k in (1, 2, 3) and ndim in (k + 1, k + 2)):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {ndim}D input tensor.\nSupported "
            "combinations for non-constant padding:\n  - 2D or 3D input: padding size = 2 (pads "
            "last dimension)\n  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n  - "
            "4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    shape = list(input.shape)
    if mode != "circular" and 0 in shape[1 if ndim == k + 2 else 0:]:
        raise RuntimeError(f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 "
                           f"batch size and other non-zero dimensions for input, but got: {shape}")
    for ax, (b, e) in _pairs(pad, ndim).items():
        if mode == "reflect" and (b >= shape[ax] or e >= shape[ax]):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({b}, {e}) at dimension {ax} "
                               f"of input {shape}")
        if mode == "circular" and (b > shape[ax] or e > shape[ax]):
            raise RuntimeError("Padding value causes wrapping around more than once.")


def pad(input, pad, mode="constant", value=None):
    """Pad ``input``: ``pad`` = (left, right) pairs from the last dimension backwards.

    (N, C, H, W) with ``pad=(1, 1, 2, 2)`` → (N, C, H + 4, W + 2).
    """
    _check(input, pad, mode, value)
    if mode == "circular":
        return _circular(input, _pairs(list(pad), input.ndim))
    a, pad = input._data, list(pad)
    if mode == "constant":
        out = _constant(a, pad, 0 if value is None else value)
        node = ConstantPadNdBackward0() if STATE[0] and input._requires_grad else None
        if node is not None:
            node.pads = pad
    else:
        xp = xp_of(a)
        pairs = _pairs(pad, a.ndim)  # a negative side crops first, as in torch
        keep = {ax: (max(-b, 0), a.shape[ax] - max(-e, 0)) for ax, (b, e) in pairs.items()}
        crop = tuple(slice(*keep[ax]) if ax in keep else slice(None) for ax in range(a.ndim))
        width = [tuple(max(p, 0) for p in pairs.get(ax, (0, 0))) for ax in range(a.ndim)]
        out = xp.pad(a[crop], width, mode=_NP_MODE[mode])
        node = None
        if STATE[0] and input._requires_grad:
            node = _NODES[mode, len(pad) // 2]()
            node.maps = {ax: (np.pad(np.arange(*keep[ax]), width[ax], mode=_NP_MODE[mode]),
                              a.shape[ax]) for ax, (b, e) in pairs.items() if b or e}
    res = _wrap(out, a)
    if node is not None:
        attach1(res, node, input)
    return res


def _circular(input, pairs):
    """Circular padding as torch builds it: the (cropped) input copied into the middle of a new
    tensor, then, last axis first, each side copied from the opposite end (item assignments:
    the graph is autograd's CopySlices)."""
    shape = input.shape
    size = {ax: shape[ax] + b + e for ax, (b, e) in pairs.items()}
    out = input.new_zeros([size.get(ax, n) for ax, n in enumerate(shape)])
    mid = tuple(slice(max(pairs[ax][0], 0), size[ax] - max(pairs[ax][1], 0)) if ax in pairs
                else slice(None) for ax in range(len(shape)))
    src = tuple(slice(max(-pairs[ax][0], 0), shape[ax] - max(-pairs[ax][1], 0)) if ax in pairs
                else slice(None) for ax in range(len(shape)))
    out[mid].copy_(input[src])  # views even when nothing is padded, as torch's

    def along(ax, lo, hi):
        return (slice(None),) * ax + (slice(lo, hi),)
    for ax in sorted(pairs, reverse=True):
        b, e = pairs[ax]
        n, right = size[ax], max(e, 0)
        if b > 0:  # (a copy: the source is part of ``out`` itself)
            out[along(ax, 0, b)] = out[along(ax, n - b - right, n - right)].clone()
        if e > 0:
            out[along(ax, n - e, n)] = out[along(ax, max(b, 0), max(b, 0) + e)].clone()
    return out
