"""Margin and embedding losses: margin_ranking, hinge_embedding, soft_margin,
multilabel_soft_margin, cosine_embedding, multi_margin, multilabel_margin, triplet_margin (and
with a distance function).

基于间隔的损失与嵌入损失。Most are compositions of differentiable ops in aten's order (their
graphs and grad_fn are torch's); soft_margin, multi_margin and multilabel_margin are aten kernels
with their own nodes, forward and derivative side by side here.
"""
from __future__ import annotations

import numpy as np

import course_lib as torch

from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach1
from ._ops import _wrap

_EPS = 1e-12  # aten's EPSILON in cosine_embedding_loss


def reduce(out, reduction):
    """aten's apply_loss_reduction."""
    if reduction == "mean":
        return out.mean()
    if reduction == "sum":
        return out.sum()
    return out


def margin_ranking_loss(input1, input2, target, margin, reduction):
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError("margin_ranking_loss : All input tensors should have same dimension but "
                           f"got sizes: input1: {_size(input1)}, input2: {_size(input2)}, target: "
                           f"{_size(target)} ")
    out = (-target * (input1 - input2) + margin).clamp_min(0)
    return reduce(out, reduction)


def _size(t):
    return repr(t.size())


def hinge_embedding_loss(input, target, margin, reduction):
    zeros = torch.zeros_like(input)
    margin_clamp = (margin - input).clamp_min(0)
    out = torch.where(target != 1, margin_clamp, zeros) + torch.where(target != -1, input, zeros)
    return reduce(out, reduction)


def cosine_embedding_loss(input1, input2, target, margin, reduction):
    td = target.dim()
    if td not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if td == 1 and (input1.dim() != 2 or input2.dim() != 2):
        raise RuntimeError("1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    if td == 0 and (input1.dim() != 1 or input2.dim() != 1):
        raise RuntimeError("0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    prod = (input1 * input2).sum(td)
    mag1 = (input1 * input1).sum(td) + _EPS
    mag2 = (input2 * input2).sum(td) + _EPS
    cos = prod / (mag1 * mag2).sqrt()
    zeros = torch.zeros_like(cos)
    out = torch.where(target == 1, 1 - cos, zeros) + \
        torch.where(target == -1, (cos - margin).clamp_min(0), zeros)
    return reduce(out, reduction)


def multilabel_soft_margin_loss(input, target, weight, reduction):
    F = torch.nn.functional
    loss = -(target * F.logsigmoid(input) + (1 - target) * F.logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return reduce(loss, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, distance, margin, swap,
                                      reduction):
    dims = (anchor.dim(), positive.dim(), negative.dim())
    if not dims[0] == dims[1] == dims[2]:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {dims[0]}D, positive "
                           f"{dims[1]}D, and negative {dims[2]}D inputs")
    d_pos = distance(anchor, positive)
    d_neg = distance(anchor, negative)
    if swap:
        d_neg = torch.minimum(d_neg, distance(positive, negative))
    return reduce(torch.clamp_min(margin + d_pos - d_neg, 0), reduction)


# -- aten kernels with their own nodes --------------------------------------------------------
def _norm(reduction, n):
    return 1.0 / n if reduction == "mean" and n else 1.0


def _spread(g, shape, reduction):
    """The output gradient as one value per loss element (a reduced loss: the same for all)."""
    if reduction == "none":
        return g
    return np.broadcast_to(g, shape)


class SoftMarginLossBackward0(Node):
    """log(1 + e^(−y·x)): ∂/∂x = −y·e^(−y·x) / (1 + e^(−y·x)) (× 1/n for the mean)."""

    __slots__ = ("reduction",)

    def backward(self, g):
        x, y = self.saved
        z = np.exp(-y * x)
        k = _norm(self.reduction, x.size)
        return (-y * z / (1.0 + z) * _spread(g, x.shape, self.reduction) * k,)


def soft_margin_loss(input, target, reduction):
    if STATE[0] and target._requires_grad:
        raise RuntimeError("The function 'soft_margin_loss' is not differentiable with respect to "
                           "argument 'target'. This input cannot have requires_grad True.")
    x, y = input._data, target._data
    if y.shape != x.shape:  # the target broadcasts to the input's shape (aten's out= rule)
        try:
            shape = np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            from .._ops._util import broadcast_error
            raise broadcast_error(x.shape, y.shape) from None
        if shape != x.shape:
            raise RuntimeError(f"output with shape {list(x.shape)} doesn't match the broadcast "
                               f"shape {list(shape)}")
        y = np.broadcast_to(y, x.shape)
    y = y.astype(x.dtype, copy=False)
    with np.errstate(over="ignore"):
        loss = np.log1p(np.exp(-y * x))
    out = loss if reduction == "none" else (loss.mean() if reduction == "mean" else loss.sum())
    res = _wrap(np.asarray(out, dtype=x.dtype), input._data)
    if STATE[0] and input._requires_grad:
        node = SoftMarginLossBackward0()
        node.reduction, node.saved = reduction, (x, y)
        node.save_versions(input)
        attach1(res, node, input)
    return res


def _classes(input, target):
    x, t = input._data, target._data
    if x.ndim not in (1, 2) or (x.ndim == 2 and x.shape[1] == 0) or (x.ndim == 1 and x.size == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: {list(x.shape)}")
    return x if x.ndim == 2 else x[None], t


class MultiMarginLossBackward0(Node):
    """Σ_{i≠y} max(0, margin − x_y + x_i)^p · w_y / C: each positive term pushes x_i up and x_y
    down by its derivative (1, or 2z for p = 2)."""

    __slots__ = ("p", "margin", "reduction", "shape")

    def backward(self, g):
        x, y, w = self.saved
        if x.ndim == 1:
            x = x[None]
        n, c = x.shape
        xy = np.take_along_axis(x, y[:, None], 1)
        z = self.margin - xy + x
        other = np.arange(c)[None, :] != y[:, None]
        active = (z > 0) & other
        d = active * (1.0 if self.p == 1 else 2 * z)
        if w is not None:
            d = d * w[y][:, None]
        gs = g.reshape(-1)[:, None] if self.reduction == "none" else g
        d = d * gs * (_norm(self.reduction, n) / c)
        gx = d - (d.sum(axis=1, keepdims=True) * (np.arange(c)[None, :] == y[:, None]))
        return (gx.reshape(self.shape),)


def multi_margin_loss(input, target, p, margin, weight, reduction):
    x, t = _classes(input, target)
    y = t.reshape(-1).astype(np.int64)
    n, c = x.shape
    if y.shape[0] != n or t.ndim > 1:
        raise RuntimeError("multi_margin_loss: target tensor should be 1-D with size equal to the "
                           f"number of input samples (batch size). Expected target size [{n}], "
                           f"but got {list(t.shape)}. Input has shape {list(input.shape)}.")
    if y.size and (y.min() < 0 or y.max() >= c):
        raise RuntimeError("target out of range")
    w = None
    if weight is not None:
        w = weight._data
        if w.size != c:
            raise RuntimeError(f"inconsistent weight size, expected {c} but got "
                               f"{list(w.shape)}")
    xy = np.take_along_axis(x, y[:, None], 1)
    z = margin - xy + x
    h = np.where(z > 0, z if p == 1 else z * z, 0)
    h = np.where(np.arange(c)[None, :] != y[:, None], h, 0)
    if w is not None:
        h = h * w[y][:, None]
    per = h.sum(axis=1) / c
    per = per.astype(x.dtype, copy=False)
    if input._data.ndim == 1 and reduction == "none":
        per = per.reshape(())
    out = per if reduction == "none" else (per.mean() if reduction == "mean" else per.sum())
    res = _wrap(np.asarray(out, dtype=x.dtype), input._data)
    if STATE[0] and input._requires_grad:
        node = MultiMarginLossBackward0()
        node.p, node.margin, node.reduction, node.shape = p, margin, reduction, input._data.shape
        node.saved = (input._data, y, w)
        node.save_versions(input)
        attach1(res, node, input)
    return res


class MultilabelMarginLossBackward0(Node):
    """Σ over listed targets j and non-target classes i of max(0, 1 − (x_j − x_i)) / C: each
    positive term pushes x_i up and x_j down by 1/C (a target listed twice counts twice)."""

    __slots__ = ("reduction", "shape")

    def backward(self, g):
        x, pairs = self.saved
        if x.ndim == 1:
            x = x[None]
        n, c = x.shape
        gs = g.reshape(-1)[:, None] if self.reduction == "none" else g
        k = _norm(self.reduction, n) / c
        z = 1 - (np.expand_dims(x, 2) - np.expand_dims(x, 1))
        active = pairs * (z > 0)  # (n, j, i)
        return (((active.sum(axis=1) - active.sum(axis=2)) * gs * k).reshape(self.shape),)


def multilabel_margin_loss(input, target, reduction):
    x, t = _classes(input, target)
    t = t if t.ndim == 2 else t[None]
    if t.shape != x.shape:
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: "
                           f"{list(input.shape)}")
    n, c = x.shape
    if t.size and (t.min() < -1 or t.max() >= c):
        raise RuntimeError("multilabel_margin_loss: target value out of range")
    listed = np.cumprod(t >= 0, axis=1).astype(bool)  # the entries before the first -1
    counts = np.zeros((n, c), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(n), c)[listed.reshape(-1)], t[listed]), 1)
    pairs = (counts[:, :, None] * (counts == 0)[:, None, :]).astype(x.dtype)  # (n, j, i)
    z = 1 - (x[:, :, None] - x[:, None, :])
    per = (np.maximum(z, 0) * pairs).sum(axis=(1, 2)) / c
    per = per.astype(x.dtype, copy=False)
    if input._data.ndim == 1 and reduction == "none":
        per = per.reshape(())
    out = per if reduction == "none" else (per.mean() if reduction == "mean" else per.sum())
    res = _wrap(np.asarray(out, dtype=x.dtype), input._data)
    if STATE[0] and input._requires_grad:
        node = MultilabelMarginLossBackward0()
        node.reduction, node.shape = reduction, input._data.shape
        node.saved = (input._data, pairs)
        node.save_versions(input)
        attach1(res, node, input)
    return res
