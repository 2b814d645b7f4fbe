"""``interpolate`` (nearest, nearest-exact, linear, bilinear, trilinear, bicubic; area is adaptive
average pooling): resizing as one constant matrix per spatial dim.

插值缩放：每个空间维度上，输出 = 一个常数插值矩阵 W（输出长度 × 输入长度）乘以输入。Every mode
torch has here is separable: the output along a dim is a fixed linear combination of input
positions, with weights from torch's index rules (float32 index arithmetic for nearest, the
input's precision for the others). So the forward is ``x ·ₐ Wᵀ`` dim by dim, and the backward
is ``g ·ₐ W`` — products with constants, so create_graph records them too.
"""
from __future__ import annotations

import math

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach1
from ._ops import _wrap

_CUBIC_A = -0.75


def _scale(n_in, n_out, align_corners, scale, dt):
    """torch's area_pixel_compute_scale, in the dtype ``dt``."""
    if align_corners:
        return dt(n_in - 1) / dt(n_out - 1) if n_out > 1 else dt(0)
    if scale is not None and scale > 0:
        return dt(1.0 / scale)
    return dt(n_in) / dt(n_out)


def _source(scale, dst, align_corners, cubic, dt):
    if align_corners:
        return scale * dst
    src = scale * (dst + dt(0.5)) - dt(0.5)
    return src if cubic else np.maximum(src, dt(0))


def _cubic(t):
    """The four cubic-convolution weights of taps −1, 0, 1, 2 at fraction t (A = −0.75)."""
    a = _CUBIC_A

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return [far(t + 1.0), near(t), near(1.0 - t), far(2.0 - t)]


def weights(n_in, n_out, mode, align_corners, scale, np_dtype):
    """The (n_out, n_in) matrix that maps an input line to an output line."""
    dt = np.float32 if np_dtype == np.float16 else np_dtype.type
    w = np.zeros((n_out, n_in), dtype=np.float64)
    rows = np.arange(n_out)
    if mode in ("nearest", "nearest-exact"):
        if mode == "nearest" and n_out == n_in:
            src = rows
        elif mode == "nearest" and n_out == 2 * n_in:
            src = rows >> 1
        else:
            s = np.float32(1.0 / scale) if scale is not None and scale > 0 else \
                np.float32(n_in) / np.float32(n_out)
            d = rows.astype(np.float32) + (np.float32(0.5) if mode == "nearest-exact" else 0)
            src = np.floor(d * s).astype(np.int64)
        w[rows, np.minimum(src, n_in - 1)] = 1.0
        return w
    s = _scale(n_in, n_out, align_corners, scale, dt)
    src = _source(s, rows.astype(dt), align_corners, mode == "bicubic", dt)
    i0 = np.floor(src).astype(np.int64)
    t = (src - i0.astype(dt)).astype(np.float64)
    if mode == "bicubic":
        for k, wk in zip(range(-1, 3), _cubic(t)):
            np.add.at(w, (rows, np.clip(i0 + k, 0, n_in - 1)), wk)
        return w
    i0 = np.minimum(i0, n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    np.add.at(w, (rows, i0), 1.0 - t)
    np.add.at(w, (rows, i1), t)
    return w


def _apply(x, mats, transpose):
    """x with its last len(mats) dims mapped by the matrices (Wᵀ forward, W backward)."""
    nd = len(mats)
    for k, m in enumerate(mats):
        ax = x.ndim - nd + k
        y = np.moveaxis(x, ax, -1) @ (m.T if transpose else m)
        x = np.moveaxis(y, -1, ax)
    return x


class _Upsample(Node):
    """Backward of a resize: the gradient mapped back by the same matrices, transposed."""

    __slots__ = ("mats",)

    def backward(self, g):
        return (_apply(g, self.mats, False),)


_NODE_NAMES = {("nearest", 1): "UpsampleNearest1DBackward0",
               ("nearest", 2): "UpsampleNearest2DBackward0",
               ("nearest", 3): "UpsampleNearest3DBackward0",
               ("nearest-exact", 1): "UpsampleNearestExact1DBackward0",
               ("nearest-exact", 2): "UpsampleNearestExact2DBackward0",
               ("nearest-exact", 3): "UpsampleNearestExact3DBackward0",
               ("linear", 1): "UpsampleLinear1DBackward0",
               ("bilinear", 2): "UpsampleBilinear2DBackward0",
               ("trilinear", 3): "UpsampleTrilinear3DBackward0",
               ("bicubic", 2): "UpsampleBicubic2DBackward0"}
NODES = {key: type(name, (_Upsample,), {"__slots__": ()}) for key, name in _NODE_NAMES.items()}
globals().update({cls.__name__: cls for cls in NODES.values()})  # one class per torch name


def resize(input, out_size, scales, mode, align_corners):
    """``input`` (N, C, *spatial) resized to ``out_size`` with ``mode``; ``scales``: the
    scale factors the user gave (they set the index rule, as in torch) or None."""
    x = input._data
    nd = len(out_size)
    if x.dtype.kind != "f":  # torch's kernel names for integer input
        from ._glue import dtype_name
        kernel = {"bilinear": "upsample_bilinear2d_channels_last",
                  "bicubic": "compute_indices_weights_cubic",
                  "linear": "compute_indices_weights_linear",
                  "trilinear": "compute_indices_weights_linear"}.get(
            mode, "upsample_nearest2d_channels_last" if nd == 2 else
            "compute_indices_weights_nearest")
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dtype_name(input)}\'')
    if any(n <= 0 for n in tuple(x.shape[2:]) + tuple(out_size)):
        names = "DHW"[3 - nd:]

        def sizes(ns):
            return ", ".join(f"{a}: {n}" for a, n in zip(names, ns))
        join = " and output" if nd == 1 else " output"
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"({sizes(x.shape[2:])}){join} ({sizes(out_size)})")
    mats = []
    for k in range(nd):
        m = weights(x.shape[2 + k], out_size[k], mode, align_corners,
                    None if scales is None else scales[k], x.dtype)
        mats.append(xp_of(x).asarray(m.astype(x.dtype)))
    y = _apply(x, mats, True)
    out = _wrap(np.ascontiguousarray(y) if xp_of(y) is np else y, x)
    if STATE[0] and input._requires_grad:
        node = NODES[(mode, nd)]()
        node.mats = mats
        attach1(out, node, input)
    return out


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    from . import functional as F
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        scales = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError("Input and output must have the same number of spatial "
                                 f"dimensions, but got input with spatial dimensions of "
                                 f"{list(input.shape[2:])} and output size of {size}. Please "
                                 "provide input tensor in (N, C, d1, d2, ...,dK) format and "
                                 "output size in (o1, o2, ...,oK) format.")
            if not all(_is_int(v) for v in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] "
                                "or Tuple[int, int, int], but got size with types "
                                f"{[type(v) for v in size]}")
            out_size = [int(v) for v in size]
        else:
            out_size = [int(size)] * dim
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError("Input and scale_factor must have the same number of spatial "
                                 f"dimensions, but got input with spatial dimensions of "
                                 f"{list(input.shape[2:])} and scale_factor of shape "
                                 f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, "
                                 "...,dK) format and scale_factor in (s1, s2, ...,sK) format.")
            scales = list(scale_factor)
        else:
            scales = [scale_factor] * dim
        out_size = None
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and out_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        out_size = [int(math.floor(input.size(i + 2) * scales[i])) for i in range(dim)]
        scales = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes "
                         "and requires a 4-D tensor as input")
    if antialias:
        raise NotImplementedError(
            "course_lib 的 interpolate 不支持 antialias=True；请不用 antialias，或用 PyTorch。\n"
            "course_lib's interpolate has no antialias=True; leave it out or use PyTorch.")
    if out_size is None:
        out_size = [int(input.size(i + 2) * scales[i]) for i in range(dim)]
    needs = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}
    if mode in ("nearest", "nearest-exact") and input.dim() in (3, 4, 5):
        return resize(input, out_size, scales, mode, None)
    if mode == "area" and input.dim() in (3, 4):
        pool = F.adaptive_avg_pool1d if input.dim() == 3 else F.adaptive_avg_pool2d
        return pool(input, out_size)
    if mode in needs and input.dim() == needs[mode]:
        return resize(input, out_size, scales, mode, align_corners)
    if mode in needs and input.dim() in (3, 4, 5):
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                  f"{needs[mode]}D input")
    if mode == "area" and input.dim() == 5:
        raise NotImplementedError(
            "course_lib 没有 adaptive_avg_pool3d（area 模式的 5 维输入）；请用 PyTorch。\n"
            "course_lib has no adaptive_avg_pool3d (area mode on 5-D input); use PyTorch.")
    raise NotImplementedError(
        "Input Error: Only 3D, 4D and 5D input Tensors supported"
        f" (got {input.dim()}D) for the modes: nearest | linear | bilinear | bicubic | trilinear "
        f"| lanczos | area | nearest-exact (got {mode})")
