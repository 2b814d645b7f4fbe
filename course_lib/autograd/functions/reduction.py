"""Backward nodes of reductions (sum, mean, max/min, prod, var/std, softmax, logsumexp).

归约运算的反向节点。``dims`` is a tuple of reduced axes (None = all), ``keepdim`` a bool.
"""
from __future__ import annotations

import numpy as np

from ..._backend import xp_of
from ..node import Node
from .formulas import unary_backward


def _expand(g, shape, dims, keepdim):
    """Broadcast the reduced gradient ``g`` back to ``shape``."""
    if dims is not None and not keepdim:
        g = np.expand_dims(g, dims)
    return np.broadcast_to(g, shape)


def _fill(g, shape):
    """A new array of ``shape`` filled with the 0-d gradient ``g`` (faster than broadcast_to)."""
    out = np.zeros_like(g, shape=shape)
    out += g
    return out


class _Reduce(Node):
    __slots__ = ("shape", "dims", "keepdim", "count")


class SumBackward0(_Reduce):
    """``x.sum()``: lesson 04's ``unary_backward`` copies the 0-d gradient to x's shape."""

    __slots__ = ()

    def backward(self, g):
        return (unary_backward("SumBackward0", g, (), self.shape, xp_of(g)),)


class SumBackward1(_Reduce):
    __slots__ = ()

    def backward(self, g):
        return (_expand(g, self.shape, self.dims, self.keepdim),)


class MeanBackward0(_Reduce):
    __slots__ = ()

    def backward(self, g):
        return (_fill(g / self.count, self.shape),)


class MeanBackward1(_Reduce):
    __slots__ = ()

    def backward(self, g):
        return (_expand(g / self.count, self.shape, self.dims, self.keepdim),)


class MaxBackward1(_Reduce):
    """Full max/min: the gradient is shared evenly among the tied extremes."""

    __slots__ = ()

    def backward(self, g):
        x, r = self.saved
        mask = x == r
        return (mask * (g / mask.sum()).astype(x.dtype),)


MinBackward1 = type("MinBackward1", (MaxBackward1,), {"__slots__": ()})


class MaxBackward0(_Reduce):
    """max/min along a dim: the gradient goes to the position of each index."""

    __slots__ = ()

    def backward(self, g):
        (idx,) = self.saved
        d = self.dims[0]
        if not self.keepdim:
            g = np.expand_dims(g, d)
            idx = np.expand_dims(idx, d)
        z = np.zeros_like(g, shape=self.shape)
        np.put_along_axis(z, idx, g, axis=d)
        return (z,)


MinBackward0 = type("MinBackward0", (MaxBackward0,), {"__slots__": ()})


class AmaxBackward0(_Reduce):
    __slots__ = ()

    def backward(self, g):
        x, r = self.saved
        if not self.keepdim:
            r = np.expand_dims(r, self.dims)
        mask = x == r
        cnt = mask.sum(axis=self.dims, keepdims=True)
        return (mask * _expand(g, self.shape, self.dims, self.keepdim) / cnt,)


AminBackward0 = type("AminBackward0", (AmaxBackward0,), {"__slots__": ()})


def _prod_others(x, axis):
    """Product of all other elements along ``axis`` (zero-safe, by exclusive cumprods)."""
    if getattr(x, "is_tarray", False):  # create_graph: products of an n×n masked copy
        n = x.shape[axis]
        xm = np.expand_dims(np.moveaxis(x, axis, -1), -2)  # (…, 1, n)
        others = np.where(np.eye(n, dtype=bool), 1, xm).prod(axis=-1)  # (…, n)
        return np.moveaxis(others, -1, axis)
    ones = np.ones_like(x.take([0], axis=axis))
    left = np.cumprod(np.concatenate([ones, x.take(range(x.shape[axis] - 1), axis=axis)],
                                     axis=axis), axis=axis)
    xr = np.flip(x, axis)
    right = np.cumprod(np.concatenate([ones, xr.take(range(x.shape[axis] - 1), axis=axis)],
                                      axis=axis), axis=axis)
    return left * np.flip(right, axis)


class ProdBackward0(_Reduce):
    __slots__ = ()

    def backward(self, g):
        (x,) = self.saved
        if x.size == 0:
            return (np.zeros_like(x),)
        return ((g * _prod_others(x.reshape(-1), 0)).reshape(self.shape),)


class ProdBackward1(_Reduce):
    __slots__ = ()

    def backward(self, g):
        (x,) = self.saved
        if not self.dims:  # a 0-d input: prod over its one dim is the identity
            return (g,)
        return (_expand(g, self.shape, self.dims, self.keepdim) * _prod_others(x, self.dims[0]),)


def _centred(x, dims):
    """x minus its mean over ``dims`` (None: all)."""
    return x - x.mean(axis=dims, keepdims=True)


class VarBackward0(_Reduce):
    """``count`` = N - correction; saved (x,)."""

    __slots__ = ()

    def backward(self, g):
        (x,) = self.saved
        xc = _centred(x, self.dims)
        g = _expand(g, self.shape, self.dims, self.keepdim)
        return (g * 2 * xc / self.count,)


class StdBackward0(_Reduce):
    __slots__ = ()

    def backward(self, g):
        x, std = self.saved
        xc = _centred(x, self.dims)
        if self.dims is not None and not self.keepdim:
            std = np.expand_dims(std, self.dims)
        g = _expand(g, self.shape, self.dims, self.keepdim)
        # like torch: where std == 0 (all values equal, so xc == 0) the gradient is 0, not nan
        return (g * xc / (self.count * (std + (std == 0))),)


class _Moments(_Reduce):
    """``var_mean`` / ``std_mean``: one node, two outputs (the spread, the mean); ``n`` = the
    number of values each mean averages, ``count`` = n − correction."""

    __slots__ = ("n",)
    n_outputs = 2

    def _mean_part(self, gm):
        return _expand(gm, self.shape, self.dims, self.keepdim) / self.n


class VarMeanBackward0(_Moments):
    __slots__ = ()

    def backward(self, gs):
        gv, gm = gs
        (x,) = self.saved
        r = None
        if gv is not None:
            r = _expand(gv, self.shape, self.dims, self.keepdim) * 2 * _centred(x, self.dims) \
                / self.count
        if gm is not None:
            r = self._mean_part(gm) if r is None else r + self._mean_part(gm)
        return (r,)


class StdMeanBackward0(_Moments):
    __slots__ = ()

    def backward(self, gs):
        gstd, gm = gs
        x, std = self.saved
        r = None
        if gstd is not None:
            if self.dims is not None and not self.keepdim:
                std = np.expand_dims(std, self.dims)
            g = _expand(gstd, self.shape, self.dims, self.keepdim)
            r = g * _centred(x, self.dims) / (self.count * (std + (std == 0)))
        if gm is not None:
            r = self._mean_part(gm) if r is None else r + self._mean_part(gm)
        return (r,)


class AminmaxBackward0(_Reduce):
    """``aminmax``: outputs (min, max); each one's gradient is shared by the values equal to it
    (as ``amin`` / ``amax``). ``saved`` = (x, min, max)."""

    __slots__ = ()
    n_outputs = 2

    def backward(self, gs):
        x, lo, hi = self.saved
        r = None
        for g, v in zip(gs, (lo, hi)):
            if g is None:
                continue
            if not self.keepdim:
                v = np.expand_dims(v, self.dims)
            mask = x == v
            part = mask * _expand(g, self.shape, self.dims, self.keepdim) \
                / mask.sum(axis=self.dims, keepdims=True)
            r = part if r is None else r + part
        return (r,)


class SoftmaxBackward0(_Reduce):
    __slots__ = ()

    def backward(self, g):
        (y,) = self.saved
        d = self.dims[0]
        return (y * (g - (g * y).sum(axis=d, keepdims=True)),)


class LogSoftmaxBackward0(_Reduce):
    """``saved``: the ``backward`` of lesson 05's row ``nn._loss_ops.log_softmax_vjp``;
    ``rerun``: (the row on the input, its array) — create_graph runs it again on a Tensor."""

    __slots__ = ("rerun",)

    def backward(self, g):
        return (self.saved(g),)


class LogsumexpBackward0(_Reduce):
    __slots__ = ()

    def backward(self, g):
        x, r = self.saved
        if not self.keepdim:
            r = np.expand_dims(r, self.dims)
            g = np.expand_dims(g, self.dims)
        return (g * np.exp(x - r),)


class CumsumBackward0(_Reduce):
    __slots__ = ()

    def backward(self, g):
        if not self.dims:  # a 0-d input
            return (g,)
        d = self.dims[0]
        return (np.flip(np.cumsum(np.flip(g, d), axis=d), d),)


class LinalgVectorNormBackward0(_Reduce):
    """``linalg.vector_norm(x, ord, dims)`` (and ``torch.norm``): torch's norm_backward over
    the reduced dims; saved (x, result). ``dtype=`` made the result wider than x: the formula
    runs in the result's dtype and the gradient comes back in x's."""

    __slots__ = ("ord",)

    def backward(self, g):
        x, r = self.saved
        if self.dims is not None and not self.keepdim:
            r = np.expand_dims(r, self.dims)
            g = np.expand_dims(g, self.dims)
        d = x if x.dtype == r.dtype else x.astype(r.dtype)
        gx = norm_backward(g, d, self.ord, r, self.dims)
        if gx is None:
            return (None,)
        return (gx if gx.dtype == x.dtype else gx.astype(x.dtype),)


ERR_UNDEFINED = ("Expected a proper Tensor but got None (or an undefined Tensor in C++) for "
                 "argument #0 'self'")


def norm_backward(g, d, p, norm, dims=None):
    """torch's ``norm_backward`` for the p-norm ``norm`` of ``d`` over ``dims`` (None: all; ``g``
    and ``norm`` keep the reduced dims) — None for p = 0."""
    if p == 0:
        return None
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if p == 1:
            return np.sign(d) * g
        if p == 2:
            return g * np.where(norm == 0, 0, d / norm)
        if np.isinf(p):  # the elements where |d| is the max (or nan) share the gradient
            a = np.abs(d)
            mask = ((a == norm) | np.isnan(a)).astype(d.dtype)
            return np.sign(d) * ((g / mask.sum(axis=dims, keepdims=True)) * mask)
        if p < 1:
            scaled = np.sign(d) * np.where(d == 0, 0, np.abs(d) ** (p - 1))
            return scaled * g * norm ** (1 - p)
        scale = np.where(norm == 0, 0, g / norm ** (p - 1))
        if p < 2:
            return np.sign(d) * np.abs(d) ** (p - 1) * scale
        return d * np.abs(d) ** (p - 2) * scale


class NormBackward1(_Reduce):
    """``at::norm(x, p, dim, keepdim)`` (pairwise_distance's): saved (x, result) and ``p``;
    torch's norm_backward along ``dims`` (no gradient for p = 0)."""

    __slots__ = ("p",)

    def backward(self, g):
        x, r = self.saved
        if not self.keepdim and x.ndim:
            g, r = np.expand_dims(g, self.dims), np.expand_dims(r, self.dims)
        gx = norm_backward(g, x, self.p, r, self.dims)
        return (None if gx is None else gx.astype(x.dtype, copy=False),)


class DistBackward0(Node):
    """``dist(a, b, p)`` = ‖a − b‖ₚ: saved (a, b, result) and ``p``; a gets norm_backward of
    a − b, b its negative (both summed to their shapes)."""

    __slots__ = ("p", "meta")

    def backward(self, g):
        a, b, r = self.saved
        gd = norm_backward(g, a - b, self.p, r)
        ea, eb = self.next_functions
        if gd is None:  # p = 0: no gradient, and torch fails negating it for b
            if eb[0] is not None:
                raise RuntimeError(ERR_UNDEFINED)
            return None, None
        from ..node import fit
        ma, mb = self.meta
        return (fit(gd, *ma) if ea[0] is not None else None,
                fit(-gd, *mb) if eb[0] is not None else None)


# -- order statistics: median, nanmedian, mode, kthvalue, cummax / cummin ------------------------
class _Evenly(_Reduce):
    """torch's ``evenly_distribute_backward``: the elements equal to the result (nan ones
    when it is nan) share the gradient; saved (x, result)."""

    __slots__ = ()

    def backward(self, g):
        x, r = self.saved
        mask = (x == r) | (np.isnan(x) & np.isnan(r)) if x.dtype.kind == "f" else x == r
        return (mask * (g / mask.sum()).astype(x.dtype),)


MedianBackward0 = type("MedianBackward0", (_Evenly,), {"__slots__": ()})
NanmedianBackward0 = type("NanmedianBackward0", (_Evenly,), {"__slots__": ()})
# one value picked per slice along a dim: torch's value_selecting_reduction_backward
MedianBackward1 = type("MedianBackward1", (MaxBackward0,), {"__slots__": ()})
NanmedianBackward1 = type("NanmedianBackward1", (MaxBackward0,), {"__slots__": ()})
KthvalueBackward0 = type("KthvalueBackward0", (MaxBackward0,), {"__slots__": ()})
ModeBackward0 = type("ModeBackward0", (MaxBackward0,), {"__slots__": ()})


class CummaxBackward0(_Reduce):
    """torch's ``cummaxmin_backward``: ``g`` scatter-added into zeros at the saved indices
    along ``dims[0]`` (an index picked by several positions gathers all their gradients)."""

    __slots__ = ()

    def backward(self, g):
        from .shape import _add_at, _along

        (idx,) = self.saved
        if not self.dims:  # a 0-d input
            return (g,)
        z = np.zeros_like(g, shape=self.shape)
        _add_at(z, _along(idx, self.dims[0]), g)
        return (z,)


CumminBackward0 = type("CumminBackward0", (CummaxBackward0,), {"__slots__": ()})


class LerpBackward1(Node):
    """``lerp(a, b, w)`` with a tensor ``w`` (quantile interpolates with it): saved (a, b, w),
    ``meta`` the (shape, dtype) of each input; each gradient summed to its input's shape."""

    __slots__ = ("meta",)

    def backward(self, g):
        from ..node import fit

        a, b, w = self.saved
        (ea, eb, ew), (ma, mb, mw) = self.next_functions, self.meta
        return (fit(g * (1 - w), *ma) if ea[0] is not None else None,
                fit(g * w, *mb) if eb[0] is not None else None,
                fit(g * (b - a), *mw) if ew[0] is not None else None)


# -- running products, log-cumsum-exp, nan-skipping sums --------------------------------------
def _cumprod_grad(x, out, g, d):
    """torch's cumprod_backward along axis ``d``: Σ_{k≥i} g_k ∂out_k/∂x_i, zero-safe. Rows
    without a zero: reversed cumsum of g·out divided by x; a row whose first zero is at z: that
    formula before z, left_z · (g_z + Σ_{k>z} g_k Π_{z<j≤k} x_j) at z, zero after z."""
    if getattr(x, "is_tarray", False):  # create_graph: cumprods of an n×n masked copy
        n = x.shape[d]
        xm = np.expand_dims(np.moveaxis(x, d, -1), -2)  # (…, 1, n): row i has x_i → 1
        eye = np.eye(n, dtype=bool)
        c = np.cumprod(np.where(eye, 1, xm), axis=-1)  # (…, i, k) = Π_{j≤k, j≠i} x_j
        upper = np.triu(np.ones((n, n), dtype=x.dtype))  # k ≥ i
        gm = np.expand_dims(np.moveaxis(g, d, -1), -2)
        return np.moveaxis((c * upper * gm).sum(axis=-1), -1, d)
    xs, gs, os = (np.moveaxis(a, d, -1) for a in (x, g, out))
    shp = xs.shape
    xs, gs, os = (a.reshape(-1, shp[-1]) for a in (xs, gs, os))
    with np.errstate(all="ignore"):
        res = np.flip(np.cumsum(np.flip(gs * os, -1), axis=-1), -1) / xs
    for r in np.nonzero((xs == 0).any(axis=-1))[0].tolist():
        xr, gr = xs[r], gs[r]
        z = int(np.argmax(xr == 0))
        row = np.zeros_like(xr)
        row[:z] = res[r, :z]
        row[z] = xr[:z].prod() * (gr[z] + (gr[z + 1:] * np.cumprod(xr[z + 1:])).sum())
        res[r] = row
    return np.moveaxis(res.reshape(shp), -1, d)


class CumprodBackward0(_Reduce):
    """Saved (x, result)."""

    __slots__ = ()

    def backward(self, g):
        x, out = self.saved
        if not self.dims or x.size == 0:  # a 0-d input: the identity
            return (g if g.dtype == x.dtype or not self.dims else g.astype(x.dtype),)
        return (_cumprod_grad(x, out, g, self.dims[0]),)


def _logcumsumexp(a, d):
    if getattr(a, "is_tarray", False):  # create_graph: the op itself, so it differentiates again
        from ...autograd.create_graph import TArray, tensor_of
        from ..._ops.reduce import logcumsumexp
        return TArray(logcumsumexp(tensor_of(a), d))
    return np.logaddexp.accumulate(a, axis=d)


class LogcumsumexpBackward0(_Reduce):
    """torch's logcumsumexp_backward: Σ_{k≥i} g_k exp(x_i − y_k), with the positive and the
    negative parts of g summed in log space (a reversed logcumsumexp) so nothing overflows;
    the formula is the op again, so it differentiates twice.
    Saved (x, result)."""

    __slots__ = ()

    def backward(self, g):
        x, y = self.saved
        if not self.dims or x.size == 0:
            return (g,)
        d = self.dims[0]
        lo = np.finfo(x.dtype).min  # torch's stand-in for log 0: -inf would make inf - inf
        with np.errstate(all="ignore"):
            parts = []
            for sign in (1, -1):
                lg = np.where(sign * g > 0, np.log(np.where(sign * g > 0, sign * g, 1)), lo)
                rev = np.flip(_logcumsumexp(np.flip(lg - y, d), d), d)
                parts.append(np.exp(rev + x))
        return (parts[0] - parts[1],)


class NansumBackward0(_Reduce):
    """g where x is not nan, 0 where it is. Saved (x,)."""

    __slots__ = ()

    def backward(self, g):
        (x,) = self.saved
        if self.dims is None:
            g = np.broadcast_to(g, self.shape)
        else:
            g = _expand(g, self.shape, self.dims, self.keepdim)
        with np.errstate(invalid="ignore"):  # an all-nan nanmean's gradient is nan, as torch's
            return (g * (x == x),)
