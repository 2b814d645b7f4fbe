"""Distances, rotations, integrals and covariances of samples: ``cdist``, ``rot90``,
``trapezoid`` / ``trapz`` / ``cumulative_trapezoid``, ``cov``, ``corrcoef``, as torch 2.13.

距离、旋转、数值积分与协方差。``cdist`` and ``rot90`` are single nodes as in torch
(``CdistBackward0``; for p = 2 with more than 25 points ``EuclideanDistBackward0``, torch's
matrix-product path; ``Rot90Backward0``); the integrals and ``cov`` / ``corrcoef`` are composed
of other ops exactly as torch composes them, so their graphs carry torch's node names.
"""
from __future__ import annotations

import warnings

import numpy as np

from .._backend import xp_of
from .products import zeros_on
from .._tensor import _dim
from ..autograd.functions import linalg as F
from ..autograd.node import attach
from ._util import STATE, Tensor, _wrap, numpy_axis

__all__ = ["cdist", "rot90", "trapezoid", "trapz", "cumulative_trapezoid", "cov", "corrcoef"]

_MODES = {"use_mm_for_euclid_dist_if_necessary": 0, "use_mm_for_euclid_dist": 1,
          "donot_use_mm_for_euclid_dist": 2}


def _scalar(t):
    from .._dtype import _by_np, scalar_name
    return scalar_name(_by_np[t._data.dtype])


# -- cdist ----------------------------------------------------------------------------------------
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """p-norm distances between each row vector of ``x1`` (…, P, M) and of ``x2`` (…, R, M):
    (…, P, R), batch dims broadcast. For p = 2 and P or R over 25 (or ``compute_mode=
    'use_mm_for_euclid_dist'``) through ‖a‖² − 2a·b + ‖b‖² (a matrix product), as torch.
    两组向量两两之间的 p-范数距离。"""
    if compute_mode not in _MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    mode = _MODES[compute_mode]
    for name, pos, t in (("x1", 1, x1), ("x2", 2, x2)):
        if not isinstance(t, Tensor):
            raise TypeError(f"cdist(): argument '{name}' (position {pos}) must be Tensor, not "
                            f"{type(t).__name__}")
    for name, t in (("X1", x1), ("X2", x2)):
        if t.dim() < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: "
                               f"{t.dim()}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    p = float(p)
    r1, r2 = x1.shape[-2], x2.shape[-2]
    mm = p == 2 and (mode == 1 or (mode == 0 and (r1 > 25 or r2 > 25)))
    if x1.numel() and x2.numel() and mm:
        return _cdist_mm(x1, x2)
    return _cdist_forward(x1, x2, p)


def _cdist_checks(x1, x2, p):
    """cdist_impl's checks; the broadcast batch shape."""
    from ._util import check_broadcast

    for name, t in (("X1", x1), ("X2", x2)):
        if t._data.dtype.kind != "f":
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{_scalar(t)}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    return check_broadcast(x1.shape[:-2], x2.shape[:-2])


def _cdist_forward(x1, x2, p):
    """aten's _cdist_forward: the distances straight from the differences; CdistBackward0."""
    batch = _cdist_checks(x1, x2, p)
    a, b = x1._data, x2._data
    if a.dtype != b.dtype:
        raise RuntimeError(f"expected scalar type {_scalar(x1)} but found {_scalar(x2)}")
    if a.dtype.itemsize < 4:
        raise NotImplementedError(f"\"cdist\" not implemented for '{_scalar(x1)}'")
    if type(a) is not type(b):
        from ._util import same_device
        a, b = same_device(x1, x2)
    shape = (*batch, a.shape[-2], b.shape[-2])
    if 0 in shape or a.shape[-1] == 0:
        r = zeros_on(a, shape, a.dtype)
    else:
        r = _distances(a, b, p).astype(a.dtype, copy=False)
        if r.shape != shape:
            r = np.broadcast_to(r, shape).copy()
    res = _wrap(r)
    if STATE[0] and (x1._requires_grad or x2._requires_grad):
        node = F.CdistBackward0()
        node.saved = (a, b, r)
        node.p, node.shapes = p, (a.shape, b.shape)
        node.save_versions(x1, x2, out=res)
        attach(res, node, (x1, x2))
    return res


def _distances(a, b, p):
    """‖aᵢ − bⱼ‖_p for every pair of rows (batches broadcast)."""
    diff = np.abs(np.expand_dims(a, -2) - np.expand_dims(b, -3))
    if p == 0:
        return (diff != 0).sum(-1).astype(a.dtype)
    if p == 1:
        return diff.sum(-1)
    if p == 2:
        return np.sqrt((diff * diff).sum(-1))
    if np.isinf(p):
        return diff.max(-1)
    return (diff ** p).sum(-1) ** (1 / p)


def _cdist_mm(x1, x2):
    """cdist_impl's matrix-product path: the batch dims expanded and flattened (unless there is
    one batch), _euclidean_dist, the result viewed in the output shape."""
    batch = _cdist_checks(x1, x2, 2.0)
    r1, r2, c = x1.shape[-2], x2.shape[-2], x1.shape[-1]
    shape = (*batch, r1, r2)
    if 0 in shape:
        from .._creation import empty
        return empty(*shape, dtype=x1.dtype, device=x1.device)
    if c == 0:
        from .._creation import zeros
        return zeros(*shape, dtype=x1.dtype, device=x1.device)
    nb = int(np.prod(batch))
    if nb == 1:
        d = _euclidean_dist(x1, x2)
    else:
        d = _euclidean_dist(x1.expand(*batch, r1, c).contiguous().view(nb, r1, c),
                            x2.expand(*batch, r2, c).contiguous().view(nb, r2, c))
    return d.view(*shape)


def _euclidean_dist(x1, x2):
    """aten's _euclidean_dist: sqrt(max(0, [−2a, ‖a‖², 1]·[b, 1, ‖b‖²]ᵀ)); one node."""
    a, b = x1._data, x2._data
    if a.dtype != b.dtype:  # the errors of torch's mm / bmm
        from .linalg import _name
        if a.ndim == 2 and b.ndim == 2:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                               f"{_name(x1)} != {_name(x2)}")
        raise RuntimeError(f"expected scalar type {_scalar(x2)} but found {_scalar(x1)}")
    if type(a) is not type(b):
        from ._util import same_device
        a, b = same_device(x1, x2)
    an = (a * a).sum(-1, keepdims=True)
    bn = (b * b).sum(-1, keepdims=True)
    xp = xp_of(a)
    a_ = xp.concatenate([a * -2, an, xp.ones_like(an)], -1)
    b_ = xp.concatenate([b, xp.ones_like(bn), bn], -1)
    r = np.sqrt(np.maximum(a_ @ np.swapaxes(b_, -1, -2), 0)).astype(a.dtype, copy=False)
    res = _wrap(r)
    if STATE[0] and (x1._requires_grad or x2._requires_grad):
        node = F.EuclideanDistBackward0()
        node.saved = (a, b, r)
        node.shapes = (a.shape, b.shape)
        node.save_versions(x1, x2, out=res)
        attach(res, node, (x1, x2))
    return res


# -- rot90 ----------------------------------------------------------------------------------------
def rot90(input, k=1, dims=(0, 1)):
    """``input`` turned by k quarter turns in the plane of ``dims`` (from the first towards the
    second). 在 dims 平面内旋转 k 个 90°。"""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"rot90(): argument 'k' (position 2) must be int, not "
                        f"{type(k).__name__}")
    dims = list(dims)
    nd = input.dim()
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if nd < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {nd}")
    d0, d1 = _dim(dims[0], nd), _dim(dims[1], nd)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} "
                           f"and dim1 = {dims[1]}")
    k = int(k) % 4
    x = input._data
    if k == 0:  # torch: a contiguous clone
        r = x.copy(order="C")
    else:  # flip keeps the input's layout (order K), then transpose's strides, as torch
        flipped = np.flip(x, (d1,) if k == 1 else (d0,) if k == 3 else (d0, d1)).copy(order="K")
        r = flipped if k == 2 else np.swapaxes(flipped, d0, d1)
    from .shape import _graph
    return _graph(_wrap(r), input, F.Rot90Backward0, k=k, dims=(d0, d1))


# -- trapezoid rule -------------------------------------------------------------------------------
def _by_scalar(t, s, node_cls):
    """``t * s`` (MulBackward1) or ``t / s`` (DivBackward1) with a Python number ``s``: aten's
    Scalar overloads, which torch's composite ops (the trapezoid rule) call."""
    from ..autograd.grad_mode import no_grad

    with no_grad():
        r = t * s if node_cls is F.MulBackward1 else t / s
    if STATE[0] and t._requires_grad:
        node = node_cls()
        node.scalar = s
        attach(r, node, (t,))
    return r


def _mul(t, s):
    return _by_scalar(t, s, F.MulBackward1)


def _div(t, s):
    return _by_scalar(t, s, F.DivBackward1)


def _combination(name, got, dx_type):
    """torch's TypeError for a bad combination of ``x`` / ``dx`` (its two overloads)."""
    x_form = " * (Tensor y, Tensor x, *, int dim = -1)\n"
    dx_form = f" * (Tensor y, *, {dx_type} dx = 1, int dim = -1)\n"
    forms = dx_form + x_form if name == "trapz" else x_form + dx_form
    return TypeError(f"{name}() received an invalid combination of arguments - got "
                     f"({', '.join(got)}), but expected one of:\n{forms}")


def _type_word(v):
    return "Tensor" if isinstance(v, Tensor) else type(v).__name__


def _parse(name, y, x, dx, dim, dx_type="Number"):
    """(x tensor or None, dx number or None) of a trapezoid call, with torch's TypeErrors."""
    got = ["Tensor"] + ([_type_word(x)] if x is not None else [])
    if x is not None and (dx is not None or not isinstance(x, Tensor)):
        if dx is not None:
            got.append(f"dx={_type_word(dx)}")
        raise _combination(name, got, dx_type)
    if dx is not None:
        if isinstance(dx, Tensor):
            dx = dx.item()
        if isinstance(dx, (bool, complex)):
            prefix = "trapezoid" if name == "trapz" else name
            raise RuntimeError(f"{prefix}: Currently, we only support dx as a real number.")
    return x, (1 if dx is None else dx) if x is None else None


def _no_dims(y, dim):
    """torch's IndexError for the size along ``dim`` of a 0-d ``y``."""
    if y.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")


def _along(t, dim, start, stop=None):
    """``t.slice(dim, start, stop)``: SliceBackward0."""
    return t[(slice(None),) * dim + (slice(start, stop),)]


def _x_viewed(y, x, dim, name):
    """x viewed so that its differences broadcast against y's along ``dim`` (torch's)."""
    if x.dim() == 1:
        if x.shape[0] != y.shape[dim]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        sizes = [1] * y.dim()
        sizes[dim] = x.shape[0]
        return x.view(sizes)
    if x.dim() < y.dim():
        return x.view([1] * (y.dim() - x.dim()) + list(x.shape))
    return x


@numpy_axis
def trapezoid(y, x=None, *, dx=None, dim=-1):
    """∫ y along ``dim`` by the trapezoid rule, at sample points ``x`` or spaced ``dx`` (1).
    梯形法数值积分。"""
    return _trapezoid("trapezoid", y, x, dx, dim)


@numpy_axis
def trapz(y, x=None, *, dx=None, dim=-1):
    """``torch.trapz``: ``trapezoid``'s older name. 梯形法数值积分（旧名）。"""
    return _trapezoid("trapz", y, x, dx, dim, "float")


def _trapezoid(name, y, x, dx, dim, dx_type="Number"):
    from .._creation import zeros
    from .reduce import sum as _sum

    x, dx = _parse(name, y, x, dx, dim, dx_type)
    if x is not None:
        dim = _dim(dim, y.dim())
    _no_dims(y, dim)
    dim = _dim(dim, y.dim())
    if y.shape[dim] == 0:
        return zeros([s for i, s in enumerate(y.shape) if i != dim], dtype=y.dtype,
                     device=y.device)
    if x is None:
        if y._data.dtype.kind == "b":
            raise RuntimeError("trapezoid: received a bool input for `y`, but bool is not "
                               "supported")
        return _mul(_sum(y, dim) - _mul(y.select(dim, 0) + y.select(dim, -1), 0.5), dx)
    if y._data.dtype.kind == "b" or x._data.dtype.kind == "b":
        raise RuntimeError("trapezoid: received a bool input for `x` or `y`, but bool is not "
                           "supported")
    xv = _x_viewed(y, x, dim, "trapezoid")
    step = _along(xv, dim, 1) - _along(xv, dim, 0, -1)
    return _div(_sum((_along(y, dim, 0, -1) + _along(y, dim, 1)) * step, dim), 2.)


@numpy_axis
def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running trapezoid-rule integral of y along ``dim`` (one fewer entry). 累积梯形积分。"""
    name = "cumulative_trapezoid"
    x, dx = _parse(name, y, x, dx, dim)
    if x is None:
        if y._data.dtype.kind == "b":
            raise RuntimeError(f"{name}: received a bool input for `y`, but bool is not "
                               "supported")
        if y.dim() == 0:
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        dim = _dim(dim, y.dim())
        return _mul(_along(y, dim, 0, -1) + _along(y, dim, 1), dx / 2.).cumsum(dim)
    dim = _dim(dim, y.dim())
    _no_dims(y, dim)
    if y._data.dtype.kind == "b" or x._data.dtype.kind == "b":
        raise RuntimeError(f"{name}: received a bool input for `x` or `y`, but bool is not "
                           "supported")
    xv = _x_viewed(y, x, dim, name)
    step = _along(xv, dim, 1) - _along(xv, dim, 0, -1)
    return _div(((_along(y, dim, 0, -1) + _along(y, dim, 1)) * step).cumsum(dim), 2.)


# -- cov, corrcoef --------------------------------------------------------------------------------
def _weights(w, name, n, floating):
    if not isinstance(w, Tensor):
        raise TypeError(f"cov(): argument '{name}' must be Tensor, not {type(w).__name__}")
    if w.dim() > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{name} with {w.dim()} dimensions")
    kind = w._data.dtype.kind
    if floating and kind != "f":
        raise RuntimeError(f"cov(): expected {name} to have floating point dtype but got "
                           f"{name} with {_scalar(w)} dtype")
    if not floating and kind not in "iu":
        raise RuntimeError(f"cov(): expected {name} to have integral dtype but got {name} "
                           f"with {_scalar(w)} dtype")
    if w.numel() != n:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {w.numel()} != {n}")
    if n and bool((w._data < 0).any()):
        raise RuntimeError(f"cov(): {name} cannot be negative")


def cov(input, *, correction=1, fweights=None, aweights=None):
    """Covariance matrix of the variables (rows) of ``input`` over its observations (columns),
    weighted by ``fweights`` (counts) and ``aweights`` (importance). 协方差矩阵。"""
    from .aliases import scalar_tensor as _full0
    from .linalg import mm
    from .reduce import sum as _sum

    if isinstance(correction, bool) or not isinstance(correction, (int, np.integer)):
        raise TypeError(f"cov(): argument 'correction' must be int, not "
                        f"{type(correction).__name__}")
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input.dim()} dimensions")
    if input._data.dtype.kind == "b":
        raise RuntimeError("cov(): bool dtype is not supported for input")
    from .. import int64
    x = input.view(1, -1) if input.dim() < 2 else input
    n = x.shape[1]
    w = None
    if fweights is not None:
        _weights(fweights, "fweights", n, False)
        w = fweights
    if aweights is not None:
        _weights(aweights, "aweights", n, True)
        w = w * aweights if w is not None else aweights
    w_sum = _sum(w) if w is not None else _full0(n, dtype=int64, device=input.device)
    if w is not None and not bool(w_sum._data != 0):
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = _sum(x * w if w is not None else x, 1) / w_sum
    if w is None:
        norm = _full0(n - correction, dtype=int64, device=input.device)
    elif correction == 0:
        norm = w_sum
    elif aweights is None:
        norm = w_sum - correction
    elif fweights is None and n == 1 and correction == 1:
        norm = _full0(0, dtype=int64, device=input.device)
    else:
        norm = w_sum - _mul(_sum(w * aweights), correction) / w_sum  # mul.Scalar
    if bool(norm._data <= 0):
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning, stacklevel=2)
        norm = norm.zero_()
    if n == 1 and (fweights is None) != (aweights is None):
        x.zero_()  # torch zeroes the one observation (of the input itself)
        if x._data.dtype.kind in "iu":
            from .. import float32
            x = x.to(float32)
    else:
        x = x - avg.unsqueeze(1)
    c = mm(x, (x * w if w is not None else x).t())
    return (c / norm).squeeze()


def corrcoef(input):
    """Pearson correlation coefficients of the variables (rows) of ``input``, clipped to
    [−1, 1]. 相关系数矩阵。"""
    from .pointwise import sqrt

    if input.dim() > 2:
        raise RuntimeError(f"corrcoef(): expected input to have two or fewer dimensions but got "
                           f"an input with {input.dim()} dimensions")
    c = cov(input)
    if c.dim() == 0:
        return c / c
    sd = sqrt(c.diagonal())
    c = c / sd.view(-1, 1)
    c = c / sd.view(1, -1)
    return c.clip(-1, 1)


def _attach_methods():
    Tensor.rot90 = rot90
    Tensor.corrcoef = corrcoef
    Tensor.cov = cov


_attach_methods()
