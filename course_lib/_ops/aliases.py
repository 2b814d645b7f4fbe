"""Function forms of Tensor methods (``course_lib.detach(x)``, ``course_lib.zero_(x)`` …) and
small composites (``diag``, ``logaddexp``, ``logspace``, ``meshgrid`` …).

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
# torch's other module-level in-place functions (torch.sin_(x) …), by name
INPLACE = {n: _method(n) for n in (
    "abs_", "acos_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_",
    "arctanh_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "clamp_max_", "clamp_min_",
    "cos_", "cosh_", "deg2rad_", "erf_", "erfc_", "exp2_", "expm1_", "fix_", "floor_", "frac_",
    "log_", "log10_", "log1p_", "log2_", "logit_", "nan_to_num_", "neg_", "negative_",
    "rad2deg_", "reciprocal_", "round_", "rsqrt_", "sigmoid_", "sin_", "sinc_", "sinh_",
    "square_", "tan_", "tanh_", "trunc_")}


def diag(input, diagonal=0):
    """1-D → a square matrix with it on the diagonal; 2-D → its diagonal. 对角矩阵 / 对角线。"""
    from .._creation import arange, eye
    from .shape import unsqueeze

    if input.dim() == 1:
        n = input.shape[0] + abs(diagonal)
        if diagonal == 0:
            return eye(n, dtype=input.dtype, device=input.device) * unsqueeze(input, 0)
        out = input.new_zeros((n, n))
        i = arange(input.shape[0], device=input.device)
        out[i + max(-diagonal, 0), i + max(diagonal, 0)] = input
        return out
    if input.dim() != 2:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " f"{input.dim()}D")
    r, c = input.shape
    k = min(r - max(-diagonal, 0), c - max(diagonal, 0))
    i = arange(max(k, 0), device=input.device)
    return input[i + max(-diagonal, 0), i + max(diagonal, 0)]


def logaddexp(input, other):
    """log(exp(a) + exp(b)) without overflow. 数值稳定的 log(eᵃ + eᵇ)。"""
    from .pointwise import exp, log, maximum

    m = maximum(input, other).detach()
    return m + log(exp(input - m) + exp(other - m))


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
