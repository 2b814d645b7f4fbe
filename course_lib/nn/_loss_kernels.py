"""Array kernels of the binary cross-entropy losses (forward + fused backward).

二元交叉熵损失的数组内核（前向 + 融合反向）。The softmax family, nll, cross entropy, mse
and l1 are written with tensor ops in ``functional.py`` (lesson-05 pieces among them).
Works on numpy or cupy (``xp``).
"""
from __future__ import annotations

import numpy as _np



def _reduce(xp, loss, reduction, denom=None):
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        if denom is None:
            return loss.mean() if loss.size else xp.array(xp.nan, dtype=loss.dtype)
        return loss.sum() / denom
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _grad_of_reduction(xp, g, shape, reduction, dtype, denom=None):
    """Broadcast the upstream grad of a reduced loss back to the per-element shape."""
    if reduction == "none":
        return g
    if reduction == "mean":
        g = g / (denom if denom is not None else max(1, _size(shape)))
    return xp.broadcast_to(g.astype(dtype, copy=False), shape)  # a TArray too (create_graph)


def _size(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def bce_fwd(xp, p, y, weight, reduction):
    if bool(((p < 0) | (p > 1)).any()):
        raise RuntimeError("all elements of input should be between 0 and 1")
    with _quiet(xp):
        logp = xp.maximum(xp.log(p), -100)
        log1mp = xp.maximum(xp.log1p(-p), -100)
    loss = -(y * logp + (1 - y) * log1mp)
    if weight is not None:
        loss = loss * weight
    return _reduce(xp, loss, reduction)


def bce_bwd(xp, g, p, y, weight, reduction):
    gl = _grad_of_reduction(xp, g, p.shape, reduction, p.dtype)
    gx = gl * (p - y) / xp.maximum((1 - p) * p, 1e-12)
    return gx if weight is None else gx * weight


def bce_target_bwd(xp, g, p, weight, reduction):
    """∂L/∂y = log(1 − p) − log(p) (torch: −logit(p)), times the weight."""
    gl = _grad_of_reduction(xp, g, p.shape, reduction, p.dtype)
    with _quiet(xp):
        gy = gl * (xp.log1p(-p) - xp.log(p))
    return gy if weight is None else gy * weight


def bce_logits_fwd(xp, x, y, weight, pos_weight, reduction):
    sp = xp.logaddexp(0, -x)  # softplus(-x) = log(1 + e^{-x}), stable
    if pos_weight is not None:
        lw = (pos_weight - 1) * y + 1
        loss = (1 - y) * x + lw * sp
    else:
        loss = (1 - y) * x + sp
    if weight is not None:
        loss = loss * weight
    return _reduce(xp, loss, reduction)


def bce_logits_bwd(xp, g, x, y, weight, pos_weight, reduction):
    gl = _grad_of_reduction(xp, g, xp.broadcast_shapes(x.shape, y.shape), reduction, x.dtype)
    s = _sigmoid(xp, x)
    if pos_weight is not None:
        lw = (pos_weight - 1) * y + 1
        d = (1 - y) - lw * (1 - s)
    else:
        d = s - y
    if weight is not None:
        d = d * weight
    return gl * d


def bce_logits_target_bwd(xp, g, x, y, weight, pos_weight, reduction):
    """∂L/∂y = −x + (pos_weight − 1) · softplus(−x) (−x without pos_weight), times the weight."""
    gl = _grad_of_reduction(xp, g, xp.broadcast_shapes(x.shape, y.shape), reduction, x.dtype)
    d = -x if pos_weight is None else (pos_weight - 1) * xp.logaddexp(0, -x) - x
    if weight is not None:
        d = d * weight
    return gl * d


def _sigmoid(xp, x):
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


class _quiet:
    """Silence numpy floating warnings (log(0) is clamped like torch)."""

    def __init__(self, xp):
        self.xp = xp
        self.old = None

    def __enter__(self):
        if self.xp.__name__ == "numpy":
            self.old = self.xp.seterr(divide="ignore", invalid="ignore")

    def __exit__(self, *a):
        if self.old is not None:
            self.xp.seterr(**self.old)
