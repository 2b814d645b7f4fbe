"""Backward nodes of matrix products (``MmBackward0``, ``AddmmBackward0``, ``BmmBackward0`` …).

矩阵乘法的反向节点。For ``C = A @ B``: ∂L/∂A = G @ Bᵀ, ∂L/∂B = Aᵀ @ G.
"""
from __future__ import annotations

import numpy as np

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

