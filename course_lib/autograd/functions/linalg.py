"""Backward nodes of matrix products (``MmBackward0``, ``AddmmBackward0``, ``BmmBackward0`` …).

矩阵乘法的反向节点。For ``C = A @ B``: ∂L/∂A = G @ Bᵀ, ∂L/∂B = Aᵀ @ G.
"""
from __future__ import annotations

import numpy as np

from ..._backend import xp_of
from ..node import Node, unbroadcast
from .formulas import binary_backward


class MmBackward0(Node):
    """``(n, k) @ (k, m)``."""

    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        ea, eb = self.next_functions
        return binary_backward("MmBackward0", g, a, b, (ea[0] is not None, eb[0] is not None))


class AddmmBackward0(Node):
    """``beta * bias + alpha * (mat1 @ mat2)``; inputs (bias, mat1, mat2). The matrix part is
    lesson 04's ``MmBackward0`` formula, the bias's sum back to its shape ``sum_to_size``."""

    __slots__ = ("bias_shape", "alpha", "beta")

    def backward(self, g):
        m1, m2 = self.saved
        e0, e1, e2 = self.next_functions
        gb = None
        if e0[0] is not None:
            gb = unbroadcast(g if self.beta == 1 else g * self.beta, self.bias_shape)
        need1, need2 = e1[0] is not None, e2[0] is not None
        if need2 and not m2.flags.c_contiguous and m2.T.flags.c_contiguous:
            # mat2 = w.t() (nn.Linear): its gradient as (gᵀ·mat1)ᵀ, so w.grad is C-contiguous
            # like w (torch's layout rule for mm's mat2); same formula, transposed product
            ga = binary_backward("MmBackward0", g, m1, m2, (need1, False))[0]
            gm = binary_backward("MmBackward0", g.T, m2.T, m1.T, (True, False))[0].T
        else:
            ga, gm = binary_backward("MmBackward0", g, m1, m2, (need1, need2))
        if self.alpha != 1:
            ga = None if ga is None else ga * self.alpha
            gm = None if gm is None else gm * self.alpha
        return gb, ga, gm


class _AddProduct(Node):
    """``beta · input + alpha · product``; inputs (input, a, b). ``shape``: the input's."""

    __slots__ = ("shape", "alpha", "beta")

    def _bias(self, g):
        if self.next_functions[0][0] is None:
            return None
        return unbroadcast(g if self.beta == 1 else g * self.beta, self.shape)

    def _scaled(self, x):
        return x if self.alpha == 1 else x * self.alpha


class AddmvBackward0(_AddProduct):
    """mat @ vec: ∂mat = g ⊗ vec, ∂vec = matᵀ g."""

    __slots__ = ()

    def backward(self, g):
        mat, vec = self.saved
        e = self.next_functions
        gm = self._scaled(np.expand_dims(g, 1) * np.expand_dims(vec, 0)) if e[1][0] is not None else None
        gv = self._scaled(mat.T @ g) if e[2][0] is not None else None
        return self._bias(g), gm, gv


class AddrBackward0(_AddProduct):
    """vec1 ⊗ vec2: ∂vec1 = g vec2, ∂vec2 = gᵀ vec1."""

    __slots__ = ()

    def backward(self, g):
        v1, v2 = self.saved
        e = self.next_functions
        return (self._bias(g), self._scaled(g @ v2) if e[1][0] is not None else None,
                self._scaled(g.T @ v1) if e[2][0] is not None else None)


class BaddbmmBackward0(_AddProduct):
    """b1 @ b2 per batch: ∂b1 = g b2ᵀ, ∂b2 = b1ᵀ g."""

    __slots__ = ()

    def backward(self, g):
        b1, b2 = self.saved
        e = self.next_functions
        return (self._bias(g), self._scaled(g @ np.swapaxes(b2, 1, 2)) if e[1][0] is not None else None,
                self._scaled(np.swapaxes(b1, 1, 2) @ g) if e[2][0] is not None else None)


class AddbmmBackward0(_AddProduct):
    """Σ_b b1[b] @ b2[b]: every batch gets the same g."""

    __slots__ = ()

    def backward(self, g):
        b1, b2 = self.saved
        e = self.next_functions
        gb = np.expand_dims(g, 0)
        return (self._bias(g), self._scaled(gb @ np.swapaxes(b2, 1, 2)) if e[1][0] is not None else None,
                self._scaled(np.swapaxes(b1, 1, 2) @ gb) if e[2][0] is not None else None)


class MvBackward0(Node):
    __slots__ = ()

    def backward(self, g):
        m, v = self.saved
        return np.multiply.outer(g, v), m.T @ g


class DotBackward0(Node):
    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        return g * b, g * a


class BmmBackward0(Node):
    """Batched ``(..., n, k) @ (..., k, m)`` with broadcast batch dims summed back."""

    __slots__ = ("shapes",)

    def backward(self, g):
        a, b = self.saved
        sa, sb = self.shapes
        a2 = a if a.ndim > 1 else a[None, :]
        b2 = b if b.ndim > 1 else b[:, None]
        g2 = g
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        ga = g2 @ np.swapaxes(b2, -1, -2)
        gb = np.swapaxes(a2, -1, -2) @ g2
        # a 1-D operand took part as a row (1, k) / column (k, 1): sum to that, then drop it
        return (unbroadcast(ga, (1,) + sa if a.ndim == 1 else sa).reshape(sa),
                unbroadcast(gb, sb + (1,) if b.ndim == 1 else sb).reshape(sb))



# -- torch.linalg ------------------------------------------------------------------------------
def _inv_t(a):
    """inv(a)ᵀ of (a batch of) matrices: the backend's ``linalg.inv`` on arrays (a singular
    matrix: its pseudo-inverse, whose gradient factor is 0 there anyway), the recorded
    ``course_lib.linalg.inv`` on create_graph's TArray."""
    if getattr(a, "is_tarray", False):
        from ...linalg import inv
        return np.swapaxes(type(a)(inv(a.t)), -1, -2)
    xp = xp_of(a)
    try:
        r = xp.linalg.inv(a)
    except np.linalg.LinAlgError:
        r = xp.linalg.pinv(a)
    return np.swapaxes(r, -1, -2)


def _mat(x):
    """A batch of scalars as 1×1 matrices (to scale a batch of matrices)."""
    return np.expand_dims(x, (-2, -1))


class LinalgInvExBackward0(Node):
    """``linalg.inv``: saved the inverse X; ∂L/∂A = -Xᵀ G Xᵀ."""

    __slots__ = ()

    def backward(self, g):
        (x,) = self.saved
        xt = np.swapaxes(x, -1, -2)
        return (-(xt @ g @ xt),)


class LinalgDetBackward0(Node):
    """``linalg.det``: saved (A, det); ∂L/∂A = g · det · A⁻ᵀ."""

    __slots__ = ()

    def backward(self, g):
        a, d = self.saved
        return (_mat(g * d) * _inv_t(a),)


class LinalgSlogdetBackward0(Node):
    """``linalg.slogdet`` (two outputs: sign, log|det|): saved (A,); the sign has no
    gradient, ∂L/∂A = g_logabsdet · A⁻ᵀ."""

    __slots__ = ()
    n_outputs = 2

    def backward(self, gs):
        (a,) = self.saved
        g = gs[1]
        if g is None:
            return (None,)
        return (_mat(g) * _inv_t(a),)


class LinalgSolveExBackward0(Node):
    """``linalg.solve``: saved (A, X); A X = B gives ∂L/∂B = A⁻ᵀ G, ∂L/∂A = -∂L/∂B Xᵀ
    (``left=False``, X A = B: ∂L/∂B = G A⁻ᵀ, ∂L/∂A = -Xᵀ ∂L/∂B), summed to the inputs'
    (broadcast) shapes; a vector B is a column (a row for ``left=False``)."""

    __slots__ = ("left", "vector", "shapes")

    def backward(self, g):
        a, x = self.saved
        sa, sb = self.shapes
        if self.vector:  # a column
            x, g = np.expand_dims(x, -1), np.expand_dims(g, -1)
        ea, eb = self.next_functions
        ai = _inv_t(a)
        gb = ai @ g if self.left else g @ ai
        ga = None
        if ea[0] is not None:
            xt = np.swapaxes(x, -1, -2)
            ga = unbroadcast(-(gb @ xt) if self.left else -(xt @ gb), sa)
        if eb[0] is None:
            return ga, None
        if self.vector:
            gb = gb.squeeze(-1)
        return ga, unbroadcast(gb, sb)


def cross_product(a, b, axis):
    """a × b along ``axis`` (length 3) with the array API only, so the same formula runs on
    arrays and on create_graph's TArrays."""
    return (np.roll(a, -1, axis) * np.roll(b, -2, axis)
            - np.roll(a, -2, axis) * np.roll(b, -1, axis))


class LinalgCrossBackward0(Node):
    """``linalg.cross``: ∂L/∂a = b × G, ∂L/∂b = G × a (summed to the broadcast shapes)."""

    __slots__ = ("dim", "shapes")

    def backward(self, g):
        a, b = self.saved
        sa, sb = self.shapes
        ea, eb = self.next_functions
        return (unbroadcast(cross_product(b, g, self.dim), sa) if ea[0] is not None else None,
                unbroadcast(cross_product(g, a, self.dim), sb) if eb[0] is not None else None)


class DiagonalBackward0(Node):
    """``diagonal(offset, dim1, dim2)``: G (the diagonal, last axis) put back on the diagonal
    of zeros of the input's shape, as (P₁ · diag(G)) @ P₂ with constant 0/1 matrices that place
    the k diagonal entries at rows / columns — products only, so create_graph records it."""

    __slots__ = ("shape", "offset", "dims")

    def backward(self, g):
        a, b = self.dims
        n1, n2, off = self.shape[a], self.shape[b], self.offset
        xp = xp_of(g)
        k = xp.arange(g.shape[-1])
        p1 = (xp.arange(n1)[:, None] == (k + max(-off, 0))[None, :]).astype(g.dtype)
        p2 = ((k + max(off, 0))[:, None] == xp.arange(n2)[None, :]).astype(g.dtype)
        m = (np.expand_dims(g, -2) * p1) @ p2
        return (np.moveaxis(m, (-2, -1), (a, b)),)


class DiagonalBackward0_copy(DiagonalBackward0):  # noqa: N801 - torch's name (diag of 2-D)
    """``diag`` of a matrix: a copy of the diagonal, the same formula as ``diagonal``."""

    __slots__ = ()


class LinalgSvdBackward0(Node):
    """``linalg.svd`` / ``svdvals`` (three outputs U, S, Vh; reduced, k = min(m, n)): torch's
    svd_backward for real matrices. Only gS: ∂L/∂A = U diag(gS) Vh; with gU / gVh also the
    skew parts divided by E_jk = S_k² − S_j² and the terms outside U's / V's span.
    ``rerun`` computes U, S, Vh again with a recorded svd under create_graph."""

    __slots__ = ("rerun",)
    n_outputs = 3

    def backward(self, gs):
        gu, g_s, gvh = gs
        u, s, vh = self.saved
        k = s.shape[-1]
        if gu is not None and gu.shape[-1] != k:  # full_matrices: only the first k columns
            gu = gu[..., :k]
        if gvh is not None and gvh.shape[-2] != k:
            gvh = gvh[..., :k, :]
        u, vh = u[..., :k], vh[..., :k, :]
        if gu is None and gvh is None:
            return (None,) if g_s is None else ((u * np.expand_dims(g_s, -2)) @ vh,)
        m, n = u.shape[-2], vh.shape[-1]
        eye = xp_of(s).eye(k, dtype=s.dtype)
        s2 = s * s
        e = np.expand_dims(s2, -2) - np.expand_dims(s2, -1) + eye
        ret = 0
        if gu is not None:
            uhgu = np.swapaxes(u, -1, -2) @ gu
            ret = (uhgu - np.swapaxes(uhgu, -1, -2)) * np.expand_dims(s, -2)
        if gvh is not None:
            gv = np.swapaxes(gvh, -1, -2)
            vhgv = vh @ gv
            ret = ret + np.expand_dims(s, -1) * (vhgv - np.swapaxes(vhgv, -1, -2))
        ret = ret / e
        if g_s is not None:
            ret = ret + np.expand_dims(g_s, -1) * eye
        if m > n and gu is not None:
            gus = gu / np.expand_dims(s, -2)
            ga = (u @ ret + gus - u @ (np.swapaxes(u, -1, -2) @ gus)) @ vh
        elif m < n and gvh is not None:
            gvs = np.swapaxes(gv / np.expand_dims(s, -2), -1, -2)
            ga = u @ (ret @ vh + gvs - (gvs @ np.swapaxes(vh, -1, -2)) @ vh)
        else:
            ga = u @ (ret @ vh)
        return (ga,)


# -- tensor products, distances, rotations (course_lib/_ops/products.py, geometry.py) -----------
# ``vdot`` of real vectors: dot's formula (the conjugates are the vectors themselves)
VdotBackward0 = type("VdotBackward0", (DotBackward0,), {"__slots__": ()})


class BlockDiagBackward0(Node):
    """``block_diag``: each input's block of G (rows / columns of its place), in its shape and
    dtype; ``self.blocks`` = (row, col, rows, cols, shape, numpy dtype) per input."""

    __slots__ = ("blocks",)

    def backward(self, g):
        out = []
        for r, c, nr, nc, shape, dt in self.blocks:
            b = g[r:r + nr, c:c + nc].reshape(shape)
            out.append(b if b.dtype == dt else b.astype(dt))
        return tuple(out)


class DiagEmbedBackward0(Node):
    """``diag_embed(offset, dim1, dim2)``: the diagonal of G over dim1, dim2 (its last axis,
    as the input's)."""

    __slots__ = ("offset", "dims")

    def backward(self, g):
        return (np.diagonal(g, self.offset, *self.dims),)


def rot90_array(a, k, d0, d1):
    """``a`` turned k quarter turns from axis d0 towards d1 (torch's flip + transpose), with the
    array API only, so that it also runs on create_graph's TArrays."""
    k %= 4
    if k == 1:
        return np.swapaxes(np.flip(a, (d1,)), d0, d1)
    if k == 2:
        return np.flip(a, (d0, d1))
    if k == 3:
        return np.swapaxes(np.flip(a, (d0,)), d0, d1)
    return a


class Rot90Backward0(Node):
    """``rot90(k, dims)``: G turned back, ``rot90(-k, dims)``."""

    __slots__ = ("k", "dims")

    def backward(self, g):
        return (rot90_array(g, -self.k, *self.dims),)


def _safe(d):
    """``d`` with its zeros replaced by 1 (a denominator whose zero entries are masked)."""
    return np.where(d == 0, 1, d)


class CdistBackward0(Node):
    """``cdist`` (torch's _cdist_backward): with D = x1ᵢ − x2ⱼ and d = dist(i, j),
    ∂d/∂x1ᵢ = D/d (p=2), sign(D) (p=1), sign(D)·[|D| = d] (p=∞), 0 (p=0),
    sign(D)|D|^(p−1)/d^(p−1) (else; 0 where d = 0, and where D = 0 for p < 1); x2 gets the
    negated sum over i. Batch dims broadcast and are summed back."""

    __slots__ = ("p", "shapes")

    def backward(self, g):
        x1, x2, d = self.saved
        s1, s2 = self.shapes
        p = self.p
        if p == 0 or 0 in g.shape or 0 in x1.shape[-1:]:
            return np.zeros_like(x1), np.zeros_like(x2)
        diff = np.expand_dims(x1, -2) - np.expand_dims(x2, -3)  # (..., r1, r2, c)
        gg, dd = np.expand_dims(g, -1), np.expand_dims(d, -1)
        with np.errstate(all="ignore"):
            if p == 1:
                t = gg * np.sign(diff)
            elif p == 2:
                t = gg * diff / _safe(dd)
            elif np.isinf(p):
                t = np.where(np.abs(diff) == dd, gg * np.sign(diff), 0)
            elif p < 2:
                t = np.sign(diff) * np.abs(diff) ** (p - 1) * gg / _safe(dd) ** (p - 1)
                zero = (dd == 0) | ((diff == 0) & (p < 1))
                t = np.where(zero, 0, t)
            else:
                t = np.where(dd == 0, 0, diff * np.abs(diff) ** (p - 2) * gg / _safe(dd) ** (p - 1))
        e1, e2 = self.next_functions
        g1 = unbroadcast(t.sum(-2), s1) if e1[0] is not None else None
        g2 = unbroadcast(-t.sum(-3), s2) if e2[0] is not None else None
        return g1, g2


class EuclideanDistBackward0(Node):
    """``cdist``'s matrix-product path for p=2 (torch's _euclidean_dist_backward): R = G / d
    (0 where d = 0); ∂L/∂x1 = x1·ΣⱼR − R x2, ∂L/∂x2 = x2·ΣᵢR − Rᵀ x1 (summed to the shapes)."""

    __slots__ = ("shapes",)

    def backward(self, g):
        x1, x2, d = self.saved
        s1, s2 = self.shapes
        r = np.where(d == 0, 0, g / _safe(d))
        g1 = x1 * r.sum(-1, keepdims=True) - r @ x2
        g2 = x2 * np.expand_dims(r.sum(-2), -1) - np.swapaxes(r, -1, -2) @ x1
        return unbroadcast(g1, s1), unbroadcast(g2, s2)


class MulBackward1(Node):
    """aten's ``mul.Scalar`` (``tensor * double`` inside a composite op such as trapezoid):
    ∂L/∂x = g · s; one edge, as torch."""

    __slots__ = ("scalar",)

    def backward(self, g):
        return (g * self.scalar,)


class DivBackward1(Node):
    """aten's ``div.Scalar`` (``tensor / double`` inside a composite op): ∂L/∂x = g / s."""

    __slots__ = ("scalar",)

    def backward(self, g):
        return (g / self.scalar,)
