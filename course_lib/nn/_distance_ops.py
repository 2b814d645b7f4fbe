"""The ops behind ``F.normalize``, ``F.cosine_similarity`` and ``F.pairwise_distance``: torch's
compositions of norms and element-wise ops (their graphs are torch's), and ``at::norm(x, p, dim,
keepdim)`` with its NormBackward1 node, which pairwise_distance reaches in C++.

归一化、余弦相似度与成对距离：由范数和逐元素运算组合而成，计算图与 torch 相同。
"""
from __future__ import annotations

import numpy as np

from ..autograd.functions.pointwise import AddBackward1
from ..autograd.functions.reduction import NormBackward1
from ..autograd.grad_mode import STATE, no_grad
from ..autograd.node import attach1
from . import _glue as G
from ._ops import _arg_type_error, _wrap


def _tensors(fn, x1, x2):
    if not isinstance(x1, G.Tensor) or not isinstance(x2, G.Tensor):
        raise _arg_type_error(fn, ("x1", "x2"), (x1, x2))


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(‖input‖ₚ over ``dim``, eps): torch's DivBackward0 ← ExpandBackward0 ←
    ClampMinBackward0 ← the norm."""
    if out is None:
        denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
        return input / denom
    denom = input.norm(p, dim, keepdim=True).clamp_min_(eps).expand_as(input)
    return input.div(denom, out=out)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """Σ_dim (x1 / max(‖x1‖, eps)) · (x2 / max(‖x2‖, eps)), as aten's cosine_similarity: the
    inputs broadcast (both expanded when their shapes differ), each norm is cloned and clamped
    outside the graph (the gradient does not see the clamp)."""
    _tensors("cosine_similarity", x1, x2)
    if type(dim) is not int:
        raise TypeError(f"cosine_similarity(): argument 'dim' must be int, not "
                        f"{type(dim).__name__}")
    from .. import result_type
    common = result_type(x1, x2)
    if not common.is_floating_point:
        from .._dtype import scalar_name
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{scalar_name(common)}")
    x1, x2 = (x if x.is_floating_point() else x.to(common) for x in (x1, x2))
    s1, s2 = x1._data.shape, x2._data.shape
    if s1 != s2:
        shape = _broadcast(s1, s2)
        x1, x2 = x1.expand(*shape), x2.expand(*shape)
    n1 = x1.norm(2, dim, keepdim=True).clone()
    n2 = x2.norm(2, dim, keepdim=True).clone()
    with no_grad():
        n1.clamp_min_(eps)
        n2.clamp_min_(eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """‖x1 − x2 + eps‖ₚ over the last dim of the broadcast shape, as aten's pairwise_distance."""
    _tensors("pairwise_distance", x1, x2)
    if isinstance(p, bool) or not isinstance(p, (int, float)):
        raise TypeError(f"pairwise_distance(): argument 'p' must be float, not "
                        f"{type(p).__name__}")
    _broadcast(x1._data.shape, x2._data.shape)
    return norm(_add_number(x1 - x2, eps), float(p), max(x1.dim(), x2.dim()) - 1, keepdim)


def _add_number(input, other):
    """aten's ``input + number`` (a C++ Scalar, not Python's wrapped number): AddBackward1."""
    with no_grad():
        res = input + other
    if STATE[0] and input._requires_grad:
        node = AddBackward1()
        node.saved = ()
        attach1(res, node, input)
    return res


def _broadcast(s1, s2):
    try:
        return np.broadcast_shapes(s1, s2)
    except ValueError:
        from .._ops._util import broadcast_error
        raise broadcast_error(s1, s2) from None


def norm(input, p, dim, keepdim):
    """``at::norm(input, p, dim, keepdim)`` of a float tensor: one NormBackward1 node."""
    x = input._data
    xp = G.xp_of(x)
    dims = (G.norm_dim(dim, x.ndim),) if x.ndim else ()
    a = xp.abs(x)
    if p == 2:
        r = xp.sqrt((x * x).sum(axis=dims, keepdims=keepdim))
    elif np.isinf(p):
        if x.ndim and x.shape[dims[0]] == 0:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on the "
                               f"dimension {dims[0]}because this dimension is empty and the "
                               "operation does not have an identity")
        r = (a.max if p > 0 else a.min)(axis=dims, keepdims=keepdim)
    elif p == 0:
        r = (x != 0).sum(axis=dims, keepdims=keepdim).astype(x.dtype)
    elif p == 1:
        r = a.sum(axis=dims, keepdims=keepdim)
    else:
        with np.errstate(divide="ignore", over="ignore"):
            r = (a ** p).sum(axis=dims, keepdims=keepdim) ** (1.0 / p)
    res = _wrap(xp.asarray(r, dtype=x.dtype), x)
    if STATE[0] and input._requires_grad:
        node = NormBackward1()
        node.shape, node.dims, node.keepdim, node.p = x.shape, dims, keepdim, p
        node.saved = (x, res._data)
        node.save_versions(input, out=res)
        attach1(res, node, input)
    return res
