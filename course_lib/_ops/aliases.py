"""Function forms of Tensor methods (``course_lib.detach(x)``, ``course_lib.zero_(x)`` …) and
small composites (``diag``, ``logspace``, ``meshgrid`` …).

张量方法的函数形式，以及由基本运算组合成的小函数（梯度随之正确传播）。
"""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _type_name


def _method(name):
    def f(input, *args, **kwargs):
        if not isinstance(input, Tensor):  # torch's argument check
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                            f"{type(input).__name__}")
        return getattr(Tensor, name)(input, *args, **kwargs)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"``course_lib.{name}(x, …)`` is ``x.{name}(…)``."
    return f


detach, detach_, zero_, fill_, relu_, sqrt_, exp_, clamp_, clip_ = (
    _method(n) for n in ("detach", "detach_", "zero_", "fill_", "relu_", "sqrt_", "exp_",
                         "clamp_", "clip_"))
gcd_, lcm_ = (_method(n) for n in ("gcd_", "lcm_"))  # torch.gcd_(x, y): binary, by hand
is_nonzero, is_same_size, is_signed, get_device, is_complex = (
    _method(n) for n in ("is_nonzero", "is_same_size", "is_signed", "get_device", "is_complex"))
# torch's other module-level in-place functions (torch.sin_(x) …), by name
INPLACE = {n: _method(n) for n in (
    "abs_", "acos_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_",
    "arctanh_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "clamp_max_", "clamp_min_",
    "cos_", "cosh_", "deg2rad_", "erf_", "erfc_", "exp2_", "expm1_", "fix_", "floor_", "frac_",
    "ldexp_", "addmv_",
    "log_", "log10_", "log1p_", "log2_", "logit_", "nan_to_num_", "neg_", "negative_",
    "rad2deg_", "reciprocal_", "round_", "rsqrt_", "sigmoid_", "sin_", "sinc_", "sinh_",
    "square_", "tan_", "tanh_", "trunc_")}


def diag(input, diagonal=0):
    """1-D → a square matrix with it on the diagonal (``diagonal`` above or below the main one);
    2-D → a copy of that diagonal. 一维 → 对角矩阵；二维 → 对角线（副本）。"""
    from .products import diag_embed

    d = input._data
    if d.ndim == 1:
        return diag_embed(input, diagonal)
    if d.ndim != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {d.ndim}D")
    from .._tensor import _wrap
    from ..autograd.functions.linalg import DiagonalBackward0_copy
    from ..autograd.grad_mode import STATE
    from ..autograd.node import attach1
    from .linalg_api import _diagonal_view

    res = _wrap(_diagonal_view(d, diagonal, 0, 1).copy())
    if STATE[0] and input._requires_grad:
        node = DiagonalBackward0_copy()
        node.shape, node.offset, node.dims = d.shape, diagonal, (0, 1)
        attach1(res, node, input)
    return res


def diagflat(input, offset=0):
    """The flattened input on the diagonal of a square matrix. 展平后放到对角线上。"""
    return diag(input.contiguous().view(-1), offset)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    from .._creation import linspace

    t = base ** linspace(start, end, steps, dtype=dtype, device=device)
    return t.requires_grad_() if requires_grad else t


def meshgrid(*tensors, indexing="ij"):
    """Coordinate grids from 1-D tensors (``indexing="ij"`` or ``"xy"``). 网格坐标。"""
    from .shape import expand, reshape

    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    ts = list(tensors)
    if indexing == "xy" and len(ts) >= 2:
        ts[0], ts[1] = ts[1], ts[0]
    shape = [t.numel() for t in ts]
    out = []
    for i, t in enumerate(ts):
        view = [1] * len(ts)
        view[i] = -1
        out.append(expand(reshape(t, view), shape))
    if indexing == "xy" and len(out) >= 2:
        out[0], out[1] = out[1], out[0]
    return tuple(out)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    from .._creation import tensor
    from .._dtype import get_default_dtype

    return tensor(s, dtype=dtype or get_default_dtype(), device=device,
                  requires_grad=requires_grad)


def typename(obj):
    """``course_lib.FloatTensor`` for a float32 cpu tensor, else the Python type name."""
    if isinstance(obj, Tensor):
        return _type_name(obj)
    return type(obj).__module__ + "." + type(obj).__qualname__


Tensor.diag, Tensor.diagflat = diag, diagflat


# -- torch's own (aten) forms of nn.functional ops: torch.dropout(x, p, train) … ------------------
def _F():
    from ..nn import functional
    return functional


def _aten(f):
    """torch's argument-parser TypeError for missing arguments (its wording, number agreement
    included: "missing 1 required positional arguments")."""
    import functools
    import inspect

    required = [n for n, p in inspect.signature(f).parameters.items() if p.default is p.empty]

    @functools.wraps(f)
    def op(*args, **kwargs):
        if len(args) < len(required):
            missing = [n for n in required[len(args):] if n not in kwargs]
            if missing:
                k = len(missing)
                raise TypeError(f"{f.__name__}() missing {k} required positional argument"
                                f"{'s' if k == 1 else ''}: " + ", ".join(f'"{m}"' for m in missing))
        return f(*args, **kwargs)
    return op


def selu(input):
    return _F().selu(input)


@_aten
def celu(input, alpha=1.0):
    return _F().celu(input, alpha)


@_aten
def threshold(input, threshold, value):
    return _F().threshold(input, threshold, value)


@_aten
def dropout(input, p, train):
    """``torch.dropout(x, p, train)``: ``F.dropout`` with every argument required."""
    return _F().dropout(input, p, train)


@_aten
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True):
    return _F().layer_norm(input, normalized_shape, weight, bias, eps)


@_aten
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True):
    return _F().group_norm(input, num_groups, weight, bias, eps)


@_aten
def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
               cudnn_enabled):
    """``torch.batch_norm``: aten's argument order (weight and bias before the statistics)."""
    return _F().batch_norm(input, running_mean, running_var, weight, bias, training, momentum,
                           eps)


@_aten
def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """``torch.embedding(weight, indices)``: rows of ``weight`` (aten's order; -1 = no padding
    index)."""
    for pos, (name, v) in enumerate((("weight", weight), ("indices", indices)), 1):
        if not isinstance(v, Tensor):
            raise TypeError(f"embedding(): argument '{name}' (position {pos}) must be Tensor, "
                            f"not {type(v).__name__}")
    return _F().embedding(indices, weight, None if padding_idx == -1 else padding_idx,
                          scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


@_aten
def max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    return _F().max_pool1d(input, kernel_size, stride or None, padding, dilation, ceil_mode)


@_aten
def max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    return _F().max_pool2d(input, kernel_size, stride or None, padding, dilation, ceil_mode)


@_aten
def rms_norm(input, normalized_shape, weight=None, eps=None):
    return _F().rms_norm(input, normalized_shape, weight, eps)
