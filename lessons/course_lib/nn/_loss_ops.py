"""Private loss and softmax-family ops behind nn layers and ``nn.functional``: one graph node
each with a fused backward (torch's grad_fn names); cross_entropy builds torch's two nodes.

损失函数与 softmax 系列的私有可微运算：每个运算一个计算图节点（节点名与 torch 相同）；
cross_entropy 与 torch 一样由 LogSoftmaxBackward0 与 NllLossBackward0 两个节点组成。
"""
from __future__ import annotations

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.node import NO_EDGE, Node, attach, edge, fit
from . import _glue as G
from . import _loss_kernels as LK
from ._ops import _keep_device, _ndarray, _needs, _same_device, _same_type, _wrap


# ---------------------------------------------------------------- softmax family
class LogSoftmaxBackward0(Node):
    __slots__ = ("dim",)

    def backward(self, g):
        if type(g) is _ndarray:
            return (LK.log_softmax_bwd(np, g, self.saved, self.dim),)
        return _same_type((LK.log_softmax_bwd(xp_of(g), g, self.saved, self.dim),), g)


class SoftmaxBackward0(Node):
    __slots__ = ("dim",)

    @_keep_device
    def backward(self, g):
        return (LK.softmax_bwd(xp_of(g), g, self.saved, self.dim),)


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


def _log_softmax(input, dim, dtype=None):
    a, dim = _float_data(input, dim, dtype, True)
    out = _wrap(LK.log_softmax_fwd(xp_of(a), a, dim), a)
    if _needs(input):
        node = LogSoftmaxBackward0()
        node.saved, node.dim = out._data, dim
        node.save_versions(out)
        attach(out, node, (input,))
    return out


def _softmax(input, dim, dtype=None):
    a, dim = _float_data(input, dim, dtype)
    out = _wrap(LK.softmax_fwd(xp_of(a), a, dim), a)
    if _needs(input):
        node = SoftmaxBackward0()
        node.saved, node.dim = out._data, dim
        node.save_versions(out)
        attach(out, node, (input,))
    return out


# ---------------------------------------------------------------- losses
def _check_reduction(reduction):
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


class NllLossBackward0(Node):
    __slots__ = ("meta",)

    def backward(self, g):
        kind, reduction, shape, dt = self.meta
        if kind == "fast" and type(g) is _ndarray:
            return (LK.nll_fast_bwd(np, g, shape, self.saved, reduction, dt), None)
        return self._backward(g)

    @_keep_device
    def _backward(self, g):
        kind, reduction, shape, dt = self.meta
        xp = xp_of(g)
        if kind == "fast":
            return (LK.nll_fast_bwd(xp, g, shape, self.saved, reduction, dt), None)
        if kind == "ce":
            return (LK.cross_entropy_bwd(xp, g, self.saved, reduction).astype(dt, copy=False), None)
        return (LK.nll_bwd(xp, g, shape, self.saved, reduction, dt), None)


class DivBackward1(NllLossBackward0):
    __slots__ = ()


class NegBackward0(NllLossBackward0):
    __slots__ = ()


def _target_array(target):
    return target._data if isinstance(target, G.Tensor) else target


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


def _cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean",
                   label_smoothing=0.0):
    if weight is None and label_smoothing == 0 and (reduction == "mean" or reduction == "sum"):
        x, t = getattr(input, "_data", None), getattr(target, "_data", None)
        if (type(x) is _ndarray and type(t) is _ndarray and x.ndim == 2 and x.dtype.kind == "f"
                and x.dtype.itemsize in (4, 8) and not 0 <= ignore_index < x.shape[1]):
            res = _ce_2d(input, x, t, reduction)  # the training-loop case, checks done once
            if res is not None:
                return res
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
    _same_device(input, target, weight)
    x = input._data
    if x.ndim == 0:
        raise ValueError("Expected input to have at least 1 dimension, got 0")
    if x.dtype.kind not in "fc":
        _float_data(input, 0 if x.ndim == 1 else 1, None, True)
    t = _class_targets(x, _target_array(target))
    if t.dtype.kind not in "iuf":
        raise RuntimeError(f"expected scalar type Long but found {G.dtype_name(target)}")
    if weight is not None:
        _check_weight(input, weight)
    if t.dtype.kind != "f" and label_smoothing == 0:
        # torch's graph: NllLossBackward0 ← LogSoftmaxBackward0 (forward and backward of each
        # are a few vectorised array ops; the fused single node is kept for the other cases)
        return _nll_loss(_log_softmax(input, 0 if x.ndim == 1 else 1), target, weight,
                         ignore_index, reduction)
    xp = xp_of(x)
    w = None if weight is None else weight._data
    out, saved = LK.cross_entropy_fwd(xp, x, t, w, ignore_index, reduction, label_smoothing)
    res = _wrap(xp.asarray(out, dtype=x.dtype), x)
    if _needs(input):
        prob = saved[0] == "prob"
        cls = NllLossBackward0 if not prob else (DivBackward1 if reduction == "mean" else NegBackward0)
        node = cls()
        node.saved = saved
        node.meta = ("ce", reduction, x.shape, x.dtype)
        attach(res, node, (input, None))
    return res


def _ce_2d(input, x, t, reduction):
    """cross_entropy of (N, C) numpy logits and (N,) class indices all in [0, C), reduced:
    the same two nodes as ``_nll_loss(_log_softmax(input, 1), …)`` and the same arithmetic,
    in one pass with the checks done once (the training-loop hot path). None: not this case."""
    n, c = x.shape
    if t.ndim != 1 or t.shape[0] != n or n == 0 or t.dtype.kind not in "iu":
        return None
    if _min_r(t) < 0:
        return None
    sh = x - _max_r(x, axis=1, keepdims=True)  # log_softmax_fwd, with the ufuncs' own reduce
    logp = sh - np.log(_sum_r(np.exp(sh), axis=1, keepdims=True))
    try:
        picked = logp[np.arange(n), t]
    except IndexError:  # a target ≥ C: the general path raises torch's error
        return None
    loss = -(_sum_r(picked) / n) if reduction == "mean" else -_sum_r(picked)  # = -mean / -sum
    res = G._wrap(np.asarray(loss, dtype=x.dtype))
    if STATE[0] and input._requires_grad:
        # torch's two nodes; the log_softmax output stays inside (nobody can change it in
        # place), so it needs no tensor and no version check: the edge is given directly
        lsm = LogSoftmaxBackward0()
        lsm.saved, lsm.dim = logp, 1
        lsm.next_functions = (edge(input),)
        node = NllLossBackward0()
        node.saved = t
        node.meta = ("fast", reduction, x.shape, x.dtype)
        node.next_functions = ((lsm, 0), NO_EDGE)  # as node.attach does
        res._grad_fn = node
        res._requires_grad = True
    return res


_min_r, _max_r, _sum_r = np.minimum.reduce, np.maximum.reduce, np.add.reduce


def _nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    _check_reduction(reduction)
    _same_device(input, target, weight)
    x = input._data
    if x.dtype.kind not in "fc":
        raise NotImplementedError(f'"nll_loss{"2d_forward" if x.ndim > 2 else ""}_out_frame" '
                                  f"not implemented for '{G.dtype_name(input)}'")
    t = _class_targets(x, _target_array(target))
    if t.dtype.kind not in "iu":
        raise RuntimeError(f"expected scalar type Long but found {G.dtype_name(target)}")
    if weight is not None:
        _check_weight(input, weight)
    xp = xp_of(x)
    if (weight is None and x.ndim == 2 and t.ndim == 1 and t.shape[0] == x.shape[0]
            and not 0 <= ignore_index < x.shape[1]):
        out = LK.nll_fast_fwd(xp, x, t, reduction)
        if out is not None:
            res = _wrap(xp.asarray(out, dtype=x.dtype), x)
            if STATE[0] and input._requires_grad:
                node = NllLossBackward0()
                node.saved = t
                node.meta = ("fast", reduction, x.shape, x.dtype)
                attach(res, node, (input, None))
            return res
    w = None if weight is None else weight._data
    out, saved = LK.nll_fwd(xp, x, t, w, ignore_index, reduction)
    res = _wrap(xp.asarray(out, dtype=x.dtype), x)
    if _needs(input):
        node = NllLossBackward0()
        node.saved = saved
        node.meta = ("nll", reduction, x.shape, x.dtype)
        attach(res, node, (input, None))
    return res


class _PairLoss(Node):
    """Loss of (input, target) where both may need a gradient."""
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        fn, reduction, shapes, dts, args = self.meta
        d = self.saved
        gd = fn(xp_of(g), g, d, reduction)
        return (fit(gd, shapes[0], dts[0]), fit(-gd, shapes[1], dts[1]))


class MseLossBackward0(_PairLoss):
    __slots__ = ()


class MeanBackward0(_PairLoss):
    __slots__ = ()


class SumBackward0(_PairLoss):
    __slots__ = ()


class AbsBackward0(_PairLoss):
    __slots__ = ()


def _pair_loss(kind, input, target, reduction):
    _check_reduction(reduction)
    _same_device(input, target)
    x, y = input._data, target._data
    if x.shape != y.shape:
        G.warn_size(x.shape, y.shape)
    xp = xp_of(x)
    fwd, bwd = (LK.mse_fwd, LK.mse_bwd) if kind == "mse" else (LK.l1_fwd, LK.l1_bwd)
    out, d = fwd(xp, x, y, reduction)
    res = _wrap(xp.asarray(out, dtype=d.dtype), x)
    if _needs(input, target):
        cls = MseLossBackward0 if kind == "mse" else {
            "mean": MeanBackward0, "sum": SumBackward0, "none": AbsBackward0}[reduction]
        node = cls()
        node.saved = d
        node.meta = (bwd, reduction, (x.shape, y.shape), (x.dtype, y.dtype), None)
        attach(res, node, (input, target))
    return res


class BinaryCrossEntropyBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        p, y, w = self.saved
        return (LK.bce_bwd(xp_of(g), g, p, y, w, self.meta).astype(p.dtype, copy=False), None, None)


def _bce(input, target, weight=None, reduction="mean"):
    _check_reduction(reduction)
    _same_device(input, target, weight)
    p, y = input._data, target._data
    if p.shape != y.shape:
        raise ValueError(f"Using a target size ({G.size_of(target)}) that is different to the input "
                         f"size ({G.size_of(input)}) is deprecated. Please ensure they have the same size.")
    xp = xp_of(p)
    w = None if weight is None else weight._data
    res = _wrap(xp.asarray(LK.bce_fwd(xp, p, y, w, reduction), dtype=p.dtype), p)
    if _needs(input):
        node = BinaryCrossEntropyBackward0()
        node.saved, node.meta = (p, y, w), reduction
        attach(res, node, (input, None, None))
    return res


class BinaryCrossEntropyWithLogitsBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        x, y, w, pw = self.saved
        gx = LK.bce_logits_bwd(xp_of(g), g, x, y, w, pw, self.meta)
        return (fit(gx, x.shape, x.dtype), None)


def _bce_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    _check_reduction(reduction)
    _same_device(input, target, weight, pos_weight)
    x, y = input._data, target._data
    if x.shape != y.shape:
        raise ValueError(f"Target size ({G.size_of(target)}) must be the same as input size "
                         f"({G.size_of(input)})")
    xp = xp_of(x)
    w = None if weight is None else weight._data
    pw = None if pos_weight is None else pos_weight._data
    res = _wrap(xp.asarray(LK.bce_logits_fwd(xp, x, y, w, pw, reduction), dtype=x.dtype), x)
    if _needs(input):
        node = BinaryCrossEntropyWithLogitsBackward0()
        node.saved, node.meta = (x, y, w, pw), reduction
        attach(res, node, (input, None))
    return res
