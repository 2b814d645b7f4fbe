"""Array kernels for softmax-family ops and losses (forward + fused backward).

softmax 系列与损失函数的数组内核（前向 + 融合反向），数值稳定（log-sum-exp）。
Each ``*_fwd`` returns ``(out, saved)``; each ``*_bwd`` maps the output gradient to input
gradients. Works on numpy or cupy (``xp``).
"""
from __future__ import annotations

import numpy as _np

_nd = _np.ndarray


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
    return xp.broadcast_to(xp.asarray(g, dtype=dtype), shape)


def _size(shape):
    n = 1
    for s in shape:
        n *= s
    return n


# ---------------------------------------------------------------- softmax family
def log_softmax_fwd(xp, x, dim):
    if x.size == 0:
        return x.copy()
    m = x.max(axis=dim, keepdims=True)
    s = x - m
    e = xp.exp(s)
    out = s - xp.log(e.sum(axis=dim, keepdims=True))
    return out


def log_softmax_bwd(xp, g, out, dim):
    s = _np.add.reduce(g, axis=dim, keepdims=True) if type(g) is _nd else g.sum(axis=dim, keepdims=True)
    return g - xp.exp(out) * s


def softmax_fwd(xp, x, dim):
    if x.size == 0:
        return x.copy()
    e = xp.exp(x - x.max(axis=dim, keepdims=True))
    e /= e.sum(axis=dim, keepdims=True)
    return e


def softmax_bwd(xp, g, out, dim):
    return out * (g - (g * out).sum(axis=dim, keepdims=True))


# ---------------------------------------------------------------- nll / cross entropy
def _class_to_last(xp, a):
    """(N, C, d1, ...) → (M, C) with class last; (C,) → (1, C)."""
    if a.ndim == 1:
        return a[None, :]
    if a.ndim == 2:
        return a
    return xp.moveaxis(a, 1, -1).reshape(-1, a.shape[1])


def _class_from_last(xp, a2, shape):
    if len(shape) == 1:
        return a2[0]
    if len(shape) == 2:
        return a2
    moved = (shape[0],) + tuple(shape[2:]) + (shape[1],)
    return xp.ascontiguousarray(xp.moveaxis(a2.reshape(moved), -1, 1))


def _check_target(input_shape, target_shape):
    if len(input_shape) == 1:
        ok = len(target_shape) == 0
    else:
        ok = tuple(target_shape) == (input_shape[0],) + tuple(input_shape[2:])
    if not ok:
        if len(input_shape) >= 2 and len(target_shape) >= 1 and target_shape[0] != input_shape[0]:
            raise ValueError(f"Expected input batch_size ({input_shape[0]}) to match target "
                             f"batch_size ({target_shape[0]}).")
        raise RuntimeError(f"Expected target size {[input_shape[0], *input_shape[2:]]}, "
                           f"got {list(target_shape)}")


def nll_prepare(xp, logp2, target, weight, ignore_index):
    """Per-row class index, row weights (0 where ignored), validity checks."""
    t = target.reshape(-1)
    n_classes = logp2.shape[1]
    valid = t != ignore_index
    tc = xp.where(valid, t, 0)
    if bool(((tc < 0) | (tc >= n_classes)).any()):
        bad = int(tc[(tc < 0) | (tc >= n_classes)][0])
        raise IndexError(f"Target {bad} is out of bounds.")
    w = valid.astype(logp2.dtype)
    if weight is not None:
        w = w * weight[tc]
    return tc, w


def nll_fwd(xp, logp, target, weight, ignore_index, reduction):
    _check_target(logp.shape, target.shape)
    lp2 = _class_to_last(xp, logp)
    tc, w = nll_prepare(xp, lp2, target, weight, ignore_index)
    picked = xp.take_along_axis(lp2, tc[:, None], axis=1)[:, 0]
    loss = -w * picked
    denom = w.sum() if reduction == "mean" else None
    if reduction == "none":
        return loss.reshape(target.shape), (tc, w, denom)
    return _reduce(xp, loss, reduction, denom), (tc, w, denom)


def _row_grad(xp, g, w, denom, reduction, dtype, tshape):
    if reduction == "none":
        return g.reshape(-1) * w
    scale = g / denom if reduction == "mean" else g
    return xp.asarray(scale, dtype=dtype) * w


def nll_bwd(xp, g, shape, saved, reduction, dtype):
    tc, w, denom = saved
    m = tc.shape[0]
    gl2 = xp.zeros((m, shape[1] if len(shape) > 1 else shape[0]), dtype=dtype)
    gl2[xp.arange(m), tc] = -_row_grad(xp, g, w, denom, reduction, dtype, None)
    return _class_from_last(xp, gl2, shape)


def cross_entropy_fwd(xp, x, target, weight, ignore_index, reduction, label_smoothing):
    """Fused log_softmax + nll; saves log-probabilities for the fused backward."""
    cdim = 0 if x.ndim == 1 else 1
    logp = log_softmax_fwd(xp, x, cdim)
    if target.dtype.kind == "f":  # class probabilities
        if target.shape != x.shape:
            raise RuntimeError(f"Expected target size {list(x.shape)}, got {list(target.shape)}")
        tgt = target
        n_classes = x.shape[cdim]
        if label_smoothing > 0:
            tgt = tgt * (1 - label_smoothing) + label_smoothing / n_classes
        wl = tgt if weight is None else tgt * weight.reshape((-1,) + (1,) * (x.ndim - 1 - cdim))
        loss = -(wl * logp).sum(axis=cdim)
        denom = None
        if reduction == "mean":
            denom = loss.size if x.ndim > 1 else 1
        out = _reduce(xp, loss, reduction, denom)
        return out, ("prob", logp, wl, denom)
    _check_target(x.shape, target.shape)
    lp2 = _class_to_last(xp, logp)
    tc, w = nll_prepare(xp, lp2, target, weight, ignore_index)
    picked = xp.take_along_axis(lp2, tc[:, None], axis=1)[:, 0]
    loss = -w * picked
    smooth = None
    if label_smoothing > 0:
        n_classes = lp2.shape[1]
        valid = (target.reshape(-1) != ignore_index).astype(x.dtype)
        if weight is None:
            smooth = -lp2.sum(axis=1) * valid
        else:
            smooth = -(lp2 * weight).sum(axis=1) * valid
        eps = label_smoothing
        loss = (1 - eps) * loss + (eps / n_classes) * smooth
    denom = w.sum() if reduction == "mean" else None
    if reduction == "none":
        out = loss.reshape(target.shape)
    else:
        out = _reduce(xp, loss, reduction, denom)
    return out, ("index", logp, (tc, w, denom, label_smoothing, target, ignore_index, weight))


def cross_entropy_bwd(xp, g, saved, reduction):
    kind, logp = saved[0], saved[1]
    cdim = 0 if logp.ndim == 1 else 1
    p = xp.exp(logp)
    if kind == "prob":
        wl, denom = saved[2], saved[3]
        gl = g if reduction == "none" else (g / denom if reduction == "mean" else g)
        gl = xp.asarray(gl, dtype=logp.dtype)
        if reduction == "none":
            gl = xp.expand_dims(gl, cdim)
        return (p * wl.sum(axis=cdim, keepdims=True) - wl) * gl
    tc, w, denom, eps, target, ignore_index, weight = saved[2]
    p2 = _class_to_last(xp, p)
    m, n_classes = p2.shape
    row = _row_grad(xp, g, w, denom, reduction, logp.dtype, None)  # dloss/dloss_i * w_i
    if eps > 0:
        rowg = _row_grad(xp, g, xp.ones_like(w), denom, reduction, logp.dtype, None)
        valid = (target.reshape(-1) != ignore_index).astype(logp.dtype)
        onehot = xp.zeros_like(p2)
        onehot[xp.arange(m), tc] = 1
        # d/dz of (1-eps)*w_t*(-logp_t) + eps/C * sum_c w_c*(-logp_c)
        wvec = xp.ones(n_classes, dtype=logp.dtype) if weight is None else weight
        a = (1 - eps) * row
        b = (eps / n_classes) * rowg * valid
        g2 = a[:, None] * (p2 - onehot) + b[:, None] * (p2 * wvec.sum() - wvec)
    else:
        g2 = p2 * row[:, None]
        g2[xp.arange(m), tc] -= row
    return _class_from_last(xp, g2, logp.shape)


# ---------------------------------------------------------------- regression / binary
def mse_fwd(xp, x, y, reduction):
    d = x - y
    return _reduce(xp, d * d, reduction), d


def mse_bwd(xp, g, d, reduction):
    return _grad_of_reduction(xp, g, d.shape, reduction, d.dtype) * (2 * d)


def l1_fwd(xp, x, y, reduction):
    d = x - y
    return _reduce(xp, xp.abs(d), reduction), d


def l1_bwd(xp, g, d, reduction):
    return _grad_of_reduction(xp, g, d.shape, reduction, d.dtype) * xp.sign(d)


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


# ---------------------------------------------------------------- fast path: nll on (N, C)
# log-probabilities with plain class indices (no weight, no ignored target): the training case
def nll_fast_fwd(xp, logp, t, reduction):
    """Returns the loss, or None when the general path is needed (ignored / bad targets)."""
    n, c = logp.shape
    if n and (int(t.min()) < 0 or int(t.max()) >= c):
        return None
    picked = logp[xp.arange(n), t]
    if reduction == "mean":
        return -picked.mean() if n else xp.array(xp.nan, dtype=logp.dtype)
    if reduction == "sum":
        return -picked.sum()
    return -picked


def nll_fast_bwd(xp, g, shape, t, reduction, dtype):
    n = shape[0]
    gl = xp.zeros(shape, dtype=dtype)
    if reduction == "none":
        gl[xp.arange(n), t] = -g
    elif reduction == "mean" and type(g) is _nd and g.dtype == gl.dtype:
        # a Python float: float64 division then one rounding to the dtype gives the same value
        # as the dtype's own division (exact operands, 53 ≥ 2p + 2 bits), without numpy scalars
        gl[_np.arange(n), t] = -(float(g) / n)
    else:
        gl[xp.arange(n), t] = -(g / n) if reduction == "mean" else -g
    return gl
