"""Lesson 05's loss pieces as rows of PyTorch's derivatives.yaml, the graph nodes that call
them, and the private helpers behind the losses of ``nn.functional`` (torch's argument checks,
the binary cross-entropy ops).

第 05 课的损失函数练习：每个运算一行（前向、保存什么、反向公式、grad_fn 名字在一起）。
A row ``*_vjp`` takes arrays (numpy, or cupy on a GPU) and ``xp`` (their module) and returns
``(output, backward)`` — like ``torch.func.vjp``: ``backward(grad)`` gives the gradients of the
inputs from ∂L/∂output, using what the forward kept (its closure is what the node saves). The
library builds ONE node per op with torch's name (``LogSoftmaxBackward0``, ``NllLossBackward0``,
``MseLossBackward0``) whose ``backward`` calls it. The rows use only operators, indexing and
``xp``, so the same source runs on Tensors with ``xp = course_lib`` (differentiable results).
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from .._backend import xp_of
from ..autograd.functions.reduction import LogSoftmaxBackward0
from ..autograd.grad_mode import STATE
from ..autograd.node import NO_EDGE, Node, attach, attach1, attach2, edge, fit
from ..exercises import exercise
from . import _glue as G
from . import _loss_kernels as LK
from ._ops import _keep_device, _ndarray, _needs, _same_device, _same_type, _wrap


# ---------------------------------------------------------------- the rows (lesson 05)
@exercise("05_nn", "log_softmax", key="course_lib.nn._loss_ops.log_softmax_vjp")
def log_softmax_vjp(x, dim, xp):
    """log_softmax 这一行：返回 ``(y, backward)``。 The LogSoftmaxBackward0 row.

    forward:  y = x − log Σ_dim exp(x), computed stably: with m = max_dim x,
              y = (x − m) − log Σ_dim exp(x − m)   (±1000 give no inf/nan)
    saves:    y
    backward: ∂L/∂x = g − exp(y) · Σ_dim g          (exp(y) = softmax(x))
    Reduce with ``xp.amax(a, dim, keepdims=True)`` / ``xp.sum(a, dim, keepdims=True)`` and use
    ``xp.exp`` / ``xp.log``: the same code then runs on numpy arrays and on Tensors.
    用 ``xp`` 的函数与运算符书写，同一段代码既能算数组也能算 Tensor。
    """
    ### BEGIN SOLUTION
    shifted = x - xp.amax(x, dim, keepdims=True)
    y = shifted - xp.log(xp.sum(xp.exp(shifted), dim, keepdims=True))

    def backward(grad):
        return grad - xp.exp(y) * xp.sum(grad, dim, keepdims=True)
    return y, backward
    ### END SOLUTION


@exercise("05_nn", "nll_loss", key="course_lib.nn._loss_ops.nll_loss_vjp")
def nll_loss_vjp(x, target, weight, ignore_index, reduction, xp):
    """nll_loss 这一行：返回 ``(loss, backward)``。 The NllLossBackward0 row.

    x (N, C) log-probabilities, target (N,) class indices, weight (C,) or None (all ones):
      w_i = weight[t_i], or 0 where t_i == ignore_index;   loss_i = −w_i · x[i, t_i]
    reduction 'none' → (N,) losses; 'sum' → Σ loss_i; 'mean' → Σ loss_i / Σ w_i.
    backward(g): ∂L/∂x is zero except ∂L/∂x[i, t_i] = −w_i · g_i ('none'), −w_i · g ('sum'),
    −w_i · g / Σ w ('mean'); 0 for an ignored sample (also when every sample is ignored).
    只有每行目标类别的位置有梯度；被忽略的样本梯度为 0。
    """
    ### BEGIN SOLUTION
    rows = xp.arange(x.shape[0])
    keep = target != ignore_index
    classes = target * keep                 # ignored samples pick class 0 with weight 0
    w = keep if weight is None else weight[classes] * keep
    loss = -x[rows, classes] * w
    if reduction == "none":
        out = loss
    elif reduction == "sum":
        out = loss.sum()
    else:                                   # a weighted mean (0 / 0 = nan: nothing counted)
        total = w.sum()
        out = loss.sum() / total
        w = w / total                       # what backward scales the gradient by

    def backward(grad):
        gx = xp.zeros_like(x)
        gx[rows, classes] = xp.where(keep, -grad * w, 0)  # 0 for the ignored, even if Σ w = 0
        return gx
    return out, backward
    ### END SOLUTION


@exercise("05_nn", "mse_loss", key="course_lib.nn._loss_ops.mse_loss_vjp")
def mse_loss_vjp(x, y, weight, reduction, xp):
    """mse_loss 这一行：返回 ``(loss, backward)``。 The MseLossBackward0 row.

    forward:  loss_i = w_i · (x_i − y_i)²  (w = weight, or 1; x and y broadcast);
              'none' → the loss_i, 'sum' → Σ loss_i, 'mean' → Σ loss_i / n (n: their number)
    backward(g): ∂L/∂x = 2 · w · (x − y) · g (÷ n for 'mean'), ∂L/∂y = −∂L/∂x, both in the
    broadcast shape (the library sums them back to each input's shape).
    """
    ### BEGIN SOLUTION
    diff = x - y
    loss = diff * diff if weight is None else diff * diff * weight
    if reduction == "none":
        out = loss
    else:
        out = loss.sum() if reduction == "sum" else loss.mean()

    def backward(grad):
        g = 2 * diff * grad if weight is None else 2 * diff * weight * grad
        if reduction == "mean":
            g = g / math.prod(diff.shape)
        return g, -g
    return out, backward
    ### END SOLUTION


# ---------------------------------------------------------------- their nodes
class NllLossBackward0(Node):
    """``saved``: the row's ``backward``; ``shape``/``dtype``: the input's (rows → (N, C, d…));
    ``rerun``: (row on the inputs, their arrays) — create_graph runs the row again on Tensors."""

    __slots__ = ("shape", "dtype", "cdim", "rerun")

    def backward(self, g):
        shape, cdim = self.shape, self.cdim
        if cdim is None:  # (N, C) rows: the common case
            gx = self.saved(g)
        else:
            gx = self.saved(g.reshape(-1))
            if len(shape) == 1:
                gx = gx.reshape(shape)
            else:  # rows (N·d…, C) → (N, d…, C) → (N, C, d…)
                gx = xp_of(gx).moveaxis(gx.reshape(shape[:1] + shape[2:] + shape[1:2]), -1, 1)
        if gx.dtype != self.dtype:
            gx = gx.astype(self.dtype)
        return (gx, None) if type(g) is _ndarray else _same_type((gx, None), g)


class MseLossBackward0(Node):
    """``saved``: the row's ``backward``; ``meta``: the inputs' (shape, dtype) pairs;
    ``rerun`` as NllLossBackward0's."""

    __slots__ = ("meta", "rerun")

    @_keep_device
    def backward(self, g):
        (sx, dx), (sy, dy) = self.meta
        gx, gy = self.saved(g)
        return (fit(gx, sx, dx) if dx is not None else None,
                fit(gy, sy, dy) if dy is not None else None)


# ---------------------------------------------------------------- the ops (checks done by F)
def log_softmax(input, dim):
    """``F.log_softmax`` of a float tensor (``dim`` normalised): one LogSoftmaxBackward0 node."""
    x = input._data
    if x.size == 0:  # nothing to normalise (and no max to take)
        y, backward = x.copy(), _identity
    else:
        y, backward = log_softmax_vjp(x, dim if x.ndim else None, xp_of(x))
    res = _wrap(y if y.dtype == x.dtype else y.astype(x.dtype), x)
    if STATE[0] and input._requires_grad:
        node = LogSoftmaxBackward0()
        node.saved, node.shape, node.dims = backward, x.shape, (dim,)
        node.rerun = (lambda a: log_softmax_vjp(a, dim if x.ndim else None, np), (x,))
        node.save_versions(out=res)  # torch saves the result: an in-place change is an error
        attach1(res, node, input)
    return res


def _identity(grad):
    return grad


def nll_loss(input, target, weight, ignore_index, reduction, logp_node=None):
    """``F.nll_loss`` after its checks: one NllLossBackward0 node. ``logp_node``: cross_entropy
    passes its LogSoftmaxBackward0 (``input`` is then an array nobody else holds)."""
    x = input if logp_node is not None else input._data
    t = target._data
    w = None if weight is None else weight._data
    cdim = None
    as_rows = None
    if x.ndim != 2:  # one sample (C,), or (N, C, d1, …): rows of classes
        cdim = 0 if x.ndim == 1 else 1
        c = x.shape[cdim]

        def as_rows(a):
            return a.reshape(1, c) if a.ndim == 1 else xp_of(a).moveaxis(a, 1, -1).reshape(-1, c)
        rows = as_rows(x)
        with np.errstate(invalid="ignore", divide="ignore"):
            out, backward = nll_loss_vjp(rows, t.reshape(-1), w, ignore_index, reduction, xp_of(x))
        if reduction == "none":  # one sample: 0-d, as torch (its target may be (1,))
            out = out.reshape(t.shape if x.ndim > 1 else ())
    elif reduction == "mean":  # every sample ignored: 0 / 0 = nan, as torch, without a warning
        with np.errstate(invalid="ignore", divide="ignore"):
            out, backward = nll_loss_vjp(x, t, w, ignore_index, reduction, xp_of(x))
    else:
        out, backward = nll_loss_vjp(x, t, w, ignore_index, reduction, xp_of(x))
    res = _wrap(out if getattr(out, "dtype", None) == x.dtype
                else xp_of(x).asarray(out, dtype=x.dtype), x)
    if STATE[0] and (logp_node is not None or input._requires_grad):
        node = NllLossBackward0()
        node.saved, node.shape, node.dtype, node.cdim = backward, x.shape, x.dtype, cdim
        node.rerun = (lambda a: nll_loss_vjp(a if as_rows is None else as_rows(a),
                                             t if as_rows is None else t.reshape(-1), w,
                                             ignore_index, reduction, np), (x, None))
        # torch saves the input, target and weight: an in-place change of one is an error
        kept = (target,) if weight is None else (target, weight)
        if logp_node is None:
            node.save_versions(input, indices=kept)
            attach2(res, node, input, None)
        else:
            node.save_versions(indices=kept)
            node.next_functions = ((logp_node, 0), NO_EDGE)
            res._grad_fn = node
            res._requires_grad = True
    return res


def cross_entropy(input, target, weight, ignore_index, reduction, cdim):
    """Class-index targets, no label smoothing: torch's two nodes, NllLossBackward0 ←
    LogSoftmaxBackward0, with the log-probabilities kept inside (no tensor, no version check)."""
    x = input._data
    if x.size == 0:
        return nll_loss(log_softmax(input, cdim), target, weight, ignore_index, reduction)
    logp, backward = log_softmax_vjp(x, cdim, xp_of(x))
    if logp.dtype != x.dtype:
        logp = logp.astype(x.dtype)
    lsm = None
    if STATE[0] and input._requires_grad:
        lsm = LogSoftmaxBackward0()
        lsm.saved, lsm.shape, lsm.dims = backward, x.shape, (cdim,)
        lsm.rerun = (lambda a: log_softmax_vjp(a, cdim, np), (x,))
        lsm.next_functions = (edge(input),)
    if lsm is None:
        return nll_loss(_wrap(logp, x), target, weight, ignore_index, reduction)
    return nll_loss(logp, target, weight, ignore_index, reduction, lsm)


def mse_loss(input, target, weight, reduction):
    """``F.mse_loss`` after its checks: one MseLossBackward0 node (input and target)."""
    return pair_loss(mse_loss_vjp, MseLossBackward0, input, target,
                     (None if weight is None else weight._data, reduction))


# ---------------------------------------------------------------- checks
def _float_data(t, dim, dtype=None, log=False):
    """The array to (log_)softmax over and ``dim`` normalised; torch's errors for a tensor that
    is not one, a bad dim, or an integer dtype (NotImplementedError naming the kernel)."""
    a = getattr(t, "_data", None)
    if a is None:
        raise AttributeError(f"'{type(t).__name__}' object has no attribute "
                             f"'{'log_softmax' if log else 'softmax'}'")
    if type(dim) is not int:
        _dim_type(dim, log)
    dim = G.norm_dim(dim, a.ndim)
    if dtype is not None:
        a = a.astype(G.np_dtype(dtype))
    if a.dtype.kind not in "fc":
        last = "_lastdim" if dim == max(a.ndim, 1) - 1 else ""
        name = G.dtype_name(t) if dtype is None else str(dtype).rsplit(".", 1)[-1]
        name = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
                "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}.get(name, name)
        raise NotImplementedError(f'"{"log_" if log else ""}softmax{last}_kernel_impl" not '
                                  f"implemented for '{name}'")
    return a, dim


def _dim_type(dim, log):
    import operator
    try:
        operator.index(dim)
    except TypeError:
        raise TypeError(f"{'log_softmax' if log else 'softmax'}(): argument 'dim' (position 1) "
                        f"must be int, not {type(dim).__name__}") from None


def _check_reduction(reduction):
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _class_targets(x, t):
    """1-D input (one sample): a 0-d target, or a 1-D one of size 1 (as torch)."""
    if x.ndim == 1 and t.ndim >= 1:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if t.shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                             f"{t.shape[0]}")
        return t.reshape(())
    return t


def _check_weight(input, weight):
    x, w = input._data, weight._data
    c = x.shape[0 if x.ndim == 1 else 1]
    if w.ndim != 1 or w.shape[0] != c:
        if x.ndim > 2:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no "
                           f"classes but got weight tensor of shape: {list(w.shape)}")
    if w.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {G.dtype_name(input)} but found "
                           f"{G.dtype_name(weight)}")



# ---------------------------------------------------------------- binary cross entropy
# Edges (input, target) as torch; the formulas are the array kernels of ``_loss_kernels``, which
# use only operators and numpy functions TArray maps, so create_graph differentiates them again
# (the saved input and target are registered with ``save_versions``).
class BinaryCrossEntropyBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        p, y, w = self.saved
        reduction, needs = self.meta
        xp = xp_of(g)
        gp = gy = None
        if needs[0]:
            gp = LK.bce_bwd(xp, g, p, y, w, reduction).astype(p.dtype, copy=False)
        if needs[1]:
            gy = LK.bce_target_bwd(xp, g, p, w, reduction).astype(y.dtype, copy=False)
        return gp, gy


def _not_differentiable(fn, **extras):
    """torch's error for a weight that requires grad (the BCE losses do not differentiate it)."""
    if STATE[0]:
        for name, t in extras.items():
            if t is not None and t._requires_grad:
                raise RuntimeError(f"The function '{fn}' is not differentiable with respect to "
                                   f"argument '{name}'. This input cannot have requires_grad "
                                   "True.")


def _bce(input, target, weight=None, reduction="mean"):
    _check_reduction(reduction)
    _same_device(input, target, weight)
    p, y = input._data, target._data
    if p.shape != y.shape:
        raise ValueError(f"Using a target size ({G.size_of(target)}) that is different to the input "
                         f"size ({G.size_of(input)}) is deprecated. Please ensure they have the same size.")
    _not_differentiable("binary_cross_entropy", weight=weight)
    xp = xp_of(p)
    w = None if weight is None else weight._data
    res = _wrap(xp.asarray(LK.bce_fwd(xp, p, y, w, reduction), dtype=p.dtype), p)
    if _needs(input, target):
        node = BinaryCrossEntropyBackward0()
        node.saved, node.meta = (p, y, w), (reduction, (input._requires_grad,
                                                        target._requires_grad))
        node.save_versions(input, target)
        attach2(res, node, input, target)
    return res


class BinaryCrossEntropyWithLogitsBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        x, y, w, pw = self.saved
        reduction, needs = self.meta
        xp = xp_of(g)
        gx = gy = None
        if needs[0]:
            gx = fit(LK.bce_logits_bwd(xp, g, x, y, w, pw, reduction), x.shape, x.dtype)
        if needs[1]:
            gy = fit(LK.bce_logits_target_bwd(xp, g, x, y, w, pw, reduction), y.shape, y.dtype)
        return gx, gy


def _bce_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    _check_reduction(reduction)
    _same_device(input, target, weight, pos_weight)
    x, y = input._data, target._data
    if x.shape != y.shape:
        raise ValueError(f"Target size ({G.size_of(target)}) must be the same as input size "
                         f"({G.size_of(input)})")
    _not_differentiable("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    xp = xp_of(x)
    w = None if weight is None else weight._data
    pw = None if pos_weight is None else pos_weight._data
    res = _wrap(xp.asarray(LK.bce_logits_fwd(xp, x, y, w, pw, reduction), dtype=x.dtype), x)
    if _needs(input, target):
        node = BinaryCrossEntropyWithLogitsBackward0()
        node.saved, node.meta = (x, y, w, pw), (reduction, (input._requires_grad,
                                                            target._requires_grad))
        node.save_versions(input, target)
        attach2(res, node, input, target)
    return res


# ---------------------------------------------------------------- smooth L1 / Huber
def smooth_l1_loss_vjp(x, y, reduction, beta, xp):
    """The SmoothL1LossBackward0 row (beta > 0; F sends beta == 0 to l1_loss, as torch).

    forward:  d = x − y; loss_i = 0.5 · d² / beta where |d| < beta, else |d| − 0.5 · beta
    saves:    d (torch saves input and target)
    backward: ∂L/∂x = g · (d / beta where |d| <= beta, else sign(d)) (÷ n for 'mean'), ∂L/∂y = −∂L/∂x
    """
    d = x - y
    ad = xp.abs(d)
    loss = xp.where(ad < beta, 0.5 * d * d / beta, ad - 0.5 * beta)
    return _reduce_rowwise(loss, reduction, lambda g: xp.where(ad <= beta, d / beta, xp.sign(d)) * g)


def huber_loss_vjp(x, y, reduction, delta, xp):
    """The HuberLossBackward0 row.

    forward:  d = x − y; loss_i = 0.5 · d² where |d| < delta, else delta · (|d| − 0.5 · delta)
    backward: ∂L/∂x = g · (d where |d| <= delta, else delta · sign(d)) (÷ n for 'mean'), ∂L/∂y = −∂L/∂x
    """
    d = x - y
    ad = xp.abs(d)
    loss = xp.where(ad < delta, 0.5 * d * d, delta * (ad - 0.5 * delta))
    return _reduce_rowwise(loss, reduction,
                           lambda g: xp.where(ad <= delta, d, delta * xp.sign(d)) * g)


def _reduce_rowwise(loss, reduction, grad_x):
    """(reduced loss, backward) for an elementwise loss of x − y whose ∂/∂x is ``grad_x(g)``."""
    n = math.prod(loss.shape)
    out = loss if reduction == "none" else (loss.sum() if reduction == "sum" else loss.mean())

    def backward(grad):
        g = grad_x(grad)
        if reduction == "mean":
            g = g / n
        return g, -g
    return out, backward


class SmoothL1LossBackward0(MseLossBackward0):
    __slots__ = ()


class HuberLossBackward0(MseLossBackward0):
    __slots__ = ()


def pair_loss(row, node_type, input, target, args, out_dtype=None):
    """A loss of two tensors after F's checks (shapes already broadcast): ``row(x, y, *args,
    xp)``, one ``node_type`` node whose edges are input and target, as torch (mse_loss,
    smooth_l1_loss, huber_loss); ``out_dtype``: huber keeps the input's dtype."""
    x, y = input._data, target._data
    dt = x.dtype
    if y.dtype != dt:  # torch's promotion, then the row runs in one dtype
        from .. import result_type
        dt = G.np_dtype(result_type(input, target))
        x, y = x.astype(dt, copy=False), y.astype(dt, copy=False)
    if x.size and y.size:
        out, backward = row(x, y, *args, xp_of(x))
    else:  # an empty mean is nan, as torch, without numpy's warnings
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            out, backward = row(x, y, *args, xp_of(x))
    odt = out_dtype or dt
    res = _wrap(out if getattr(out, "dtype", None) == odt else xp_of(x).asarray(out, dtype=odt), x)
    if STATE[0] and (input._requires_grad or target._requires_grad):
        node = node_type()
        node.saved = backward
        node.rerun = (lambda a, b: row(a.astype(dt, copy=False), b.astype(dt, copy=False),
                                       *args, np), (input._data, target._data))
        node.meta = ((x.shape, input._data.dtype if input._requires_grad else None),
                     (y.shape, target._data.dtype if target._requires_grad else None))
        node.save_versions(input, target)
        attach2(res, node, input, target)
    return res
