"""Private differentiable ops behind nn layers and losses, each ONE graph node with a fused
backward (torch's grad_fn names). Layers call these, never the public exercise pieces.

nn 层与损失函数背后的私有可微运算：每个运算是计算图中的一个节点，反向传播是融合的
（节点名与 torch 的 grad_fn 相同）。网络层只调用这些私有函数，不调用公开的练习函数。
"""
from __future__ import annotations

import sys

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.functions.pointwise import ReluBackward0 as _ReluNode
from ..autograd.node import NO_EDGE, Node, attach, attach1, attach2, edge, fit
from . import _conv_kernels as CK
from . import _loss_kernels as LK
from . import _glue as G

_ndarray = np.ndarray


def _wrap(a, like):
    """Tensor around ``a`` on the device of array ``like`` (numpy drops the simulated-CUDA
    subclass in some calls: put it back)."""
    t = type(like)
    if type(a) is not t and t is not _ndarray and isinstance(like, _ndarray):
        a = np.asarray(a).view(t)
    return G._wrap(a)


def _same_type(outs, g):
    """``outs`` as the array type of the incoming gradient ``g`` (the simulated-CUDA array)."""
    t = type(g)
    if t is _ndarray or not isinstance(g, _ndarray):
        return outs
    return tuple(o if (o is None or type(o) is t) else np.asarray(o).view(t) for o in outs)


def _keep_device(backward):
    """Gradients come back as the same array type as the incoming gradient."""
    def wrapped(self, g):
        outs = backward(self, g)
        return outs if type(g) is _ndarray else _same_type(outs, g)
    wrapped.__name__ = backward.__name__
    return wrapped


def _needs(*ts):
    return STATE[0] and any(t is not None and t._requires_grad for t in ts)


def _rg(t):
    return t is not None and t._requires_grad


def _same_device(*ts):
    """Raise torch's error when tensors live on different devices (cheap type check first)."""
    ts = [t for t in ts if t is not None and isinstance(t, G.Tensor)]
    k = type(ts[0]._data)
    for t in ts[1:]:
        if type(t._data) is not k:
            from .._ops._util import same_device
            same_device(ts[0], t)


# ---------------------------------------------------------------- linear
# torch's graph exactly: AddmmBackward0 with edges (bias, input, TBackward0 → weight), MmBackward0
# with (input, TBackward0 → weight); other ranks are viewed to 2-D and back, like torch.
class TBackward0(Node):
    __slots__ = ()

    def backward(self, g):  # a view keeps the array type
        return (g.T,)


class _LinearNode(Node):
    """2-D input: edges (bias, input, TBackward0 → weight) or (input, TBackward0 → weight)."""
    __slots__ = ("meta",)

    def backward(self, g):
        x, w = self.saved
        has_b, xshape, xdt, wdt, need_x, need_w, need_b = self.meta
        gx = gb = gwt = None
        if need_x:
            gx = g @ w
            if gx.shape != xshape or gx.dtype != xdt:
                gx = fit(gx, xshape, xdt)
        if has_b and need_b:
            gb = _sum_r(g, 0) if type(g) is _ndarray else g.sum(0)
            if gb.dtype != wdt:
                gb = gb.astype(wdt)
        if need_w:  # (gᵀx)ᵀ: TBackward0 transposes it back to a C-contiguous (out, in) array
            gwt = g.T @ x
            if gwt.dtype != wdt:
                gwt = gwt.astype(wdt)
            gwt = gwt.T
        outs = (gb, gx, gwt) if has_b else (gx, gwt)
        return outs if type(g) is _ndarray else _same_type(outs, g)


class AddmmBackward0(_LinearNode):
    __slots__ = ()


class MmBackward0(_LinearNode):
    __slots__ = ()


class _ReshapeNode(Node):
    """The view/reshape around an N-D linear (torch's names; the gradient is reshaped back)."""
    __slots__ = ("shape",)

    @_keep_device
    def backward(self, g):
        return (g.reshape(self.shape),)


class ViewBackward0(_ReshapeNode):
    __slots__ = ()


class UnsafeViewBackward0(_ReshapeNode):
    __slots__ = ()


class UnsqueezeBackward0(_ReshapeNode):
    __slots__ = ()


class SqueezeBackward4(_ReshapeNode):
    __slots__ = ()


def _reshaped(t, shape, cls):
    out = _wrap(t._data.reshape(shape), t._data)
    if STATE[0] and t._requires_grad:
        node = cls()
        node.shape = t._data.shape
        attach(out, node, (t,))
    return out


def _linear(input, weight, bias=None):
    """y = x Wᵀ + b as one fused node (AddmmBackward0 for 2-D input with bias)."""
    x, w = input._data, weight._data
    tx = type(x)
    if type(w) is not tx or (bias is not None and type(bias._data) is not tx):
        _same_device(input, weight, bias)
    if x.ndim == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are 0D and 2D")
    if x.shape[-1] != w.shape[-1]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_mm_shape(x)} and {w.shape[1]}x{w.shape[0]})")
    if x.ndim != 2:  # torch: view to 2-D, addmm/mm, view back (same graph names)
        one_d = x.ndim == 1
        x2 = _reshaped(input, (-1, x.shape[-1]),
                       UnsqueezeBackward0 if (one_d and bias is None) else ViewBackward0)
        r = _linear(x2, weight, bias)
        cls = ViewBackward0 if bias is not None else (SqueezeBackward4 if one_d else UnsafeViewBackward0)
        return _reshaped(r, x.shape[:-1] + (w.shape[0],), cls)
    out = x @ w.T
    if bias is not None:
        out += bias._data
    if out.dtype != x.dtype and x.dtype == w.dtype:
        out = out.astype(x.dtype)
    res = G._wrap(out) if tx is _ndarray else _wrap(out, x)
    if not STATE[0]:
        return res
    rx, rw = input._requires_grad, weight._requires_grad
    rb = bias is not None and bias._requires_grad
    if rx or rw or rb:
        node = (AddmmBackward0 if bias is not None else MmBackward0)()
        node.saved = (x, w)
        node.meta = (bias is not None, x.shape, x.dtype, w.dtype, rx, rw, rb)
        node.save_versions(input, weight)
        ew = NO_EDGE
        if rw:  # weight.t() → TBackward0 (its output tensor is never needed: only the edge)
            tn = TBackward0()
            tn.next_functions = (edge(weight),)
            ew = (tn, 0)
        # as node.attach does, with the TBackward0 edge given directly
        node.next_functions = (edge(bias), edge(input), ew) if bias is not None else (edge(input), ew)
        res._grad_fn = node
        res._requires_grad = True
    return res


class ReluBackward0(_ReluNode):
    """torch's ReluBackward0 (the class of ``Tensor.relu``'s node, with a direct backward):
    g·(r > 0), written into g when the engine is its only holder (refs: the engine's, this
    argument and getrefcount's own) and it is a plain writable array."""
    __slots__ = ()

    def backward(self, g):
        (r,) = self.saved
        if (type(g) is _ndarray and _getrefcount(g) <= 3 and g.base is None
                and g.flags.writeable and g.dtype.kind == "f"):
            return (_multiply(g, r > 0, out=g),)
        return (g * (r > 0),)


_multiply, _getrefcount = np.multiply, sys.getrefcount


def _relu(input):
    """nn.ReLU / F.relu: max(x, 0) with torch's ReluBackward0 node (saves the result)."""
    r = np.maximum(input._data, 0)
    res = G._wrap(r)
    if STATE[0] and input._requires_grad:
        node = ReluBackward0()
        node.saved = (r,)
        node.save_versions(out=res)
        attach1(res, node, input)
    return res


def _mm_shape(x):
    return f"{x.shape[0] if x.ndim > 1 else 1}x{x.shape[-1]}" if x.ndim <= 2 else \
        f"{int(x.size // x.shape[-1])}x{x.shape[-1]}"


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


def _float_data(t, dtype=None):
    a = t._data
    if dtype is not None:
        a = a.astype(G.np_dtype(dtype))
    elif a.dtype.kind not in "fc":
        raise RuntimeError(f'"softmax_lastdim_kernel_impl" not implemented for \'{G.dtype_name(t)}\'')
    return a


def _log_softmax(input, dim, dtype=None):
    a = _float_data(input, dtype)
    dim = G.norm_dim(dim, a.ndim)
    out = _wrap(LK.log_softmax_fwd(xp_of(a), a, dim), a)
    if _needs(input):
        node = LogSoftmaxBackward0()
        node.saved, node.dim = out._data, dim
        node.save_versions(out)
        attach(out, node, (input,))
    return out


def _softmax(input, dim, dtype=None):
    a = _float_data(input, dtype)
    dim = G.norm_dim(dim, a.ndim)
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
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    _same_device(input, target, weight)
    x = input._data
    if x.ndim == 0:
        raise ValueError("Expected input to have at least 1 dimension, got 0")
    t = _target_array(target)
    if t.dtype.kind not in "iuf":
        raise RuntimeError(f"expected scalar type Long but found {G.dtype_name(target)}")
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
    lp = G._wrap(logp)
    res = G._wrap(np.asarray(loss, dtype=x.dtype))
    if STATE[0] and input._requires_grad:
        node = LogSoftmaxBackward0()
        node.saved, node.dim = logp, 1
        node.save_versions(lp)
        attach1(lp, node, input)
        node = NllLossBackward0()
        node.saved = t
        node.meta = ("fast", reduction, x.shape, x.dtype)
        attach2(res, node, lp, None)
    return res


_min_r, _max_r, _sum_r = np.minimum.reduce, np.maximum.reduce, np.add.reduce


def _nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    _check_reduction(reduction)
    _same_device(input, target, weight)
    x = input._data
    t = _target_array(target)
    if t.dtype.kind not in "iu":
        raise RuntimeError(f"expected scalar type Long but found {G.dtype_name(target)}")
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


# ---------------------------------------------------------------- dropout
class MulBackward0(Node):
    __slots__ = ()

    @_keep_device
    def backward(self, g):
        return (g * self.saved,)


def _dropout(input, p=0.5, training=True, inplace=False):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    x = input._data
    xp = xp_of(x)
    if p == 1.0:
        mask = xp.zeros_like(x)
    else:
        mask = (G.uniform_array(x.shape, x.dtype, x) >= p).astype(x.dtype)
        mask *= x.dtype.type(1.0 / (1.0 - p))
    out = _wrap(x * mask, x)
    if _needs(input):
        node = MulBackward0()
        node.saved = mask
        attach(out, node, (input,))
    if inplace:
        return G.assign_inplace(input, out)
    return out


# ---------------------------------------------------------------- conv / pool
class ConvolutionBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        cols, w = self.saved
        xshape, stride, padding, dilation, flags, dts, batched = self.meta
        if not batched:
            g = g[None]
        gx, gw, gb = CK.conv2d_backward(xp_of(g), g, xshape, w, cols, stride, padding, dilation,
                                        *flags)
        if gx is not None:
            gx = fit(gx, xshape, dts[0])
            if not batched:
                gx = gx[0]
        return (gx, None if gw is None else fit(gw, w.shape, dts[1]),
                None if gb is None else fit(gb, (w.shape[0],), dts[1]))


def _conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if groups != 1:
        raise NotImplementedError("course_lib 的 conv2d 暂只支持 groups=1。/ "
                                  "course_lib's conv2d supports groups=1 only.")
    _same_device(input, weight, bias)
    x, w = input._data, weight._data
    batched = x.ndim == 4
    if x.ndim not in (3, 4):
        raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got "
                           f"input of size: {list(x.shape)}")
    if not batched:
        x = x[None]
    if x.shape[1] != w.shape[1]:
        raise RuntimeError(f"Given groups=1, weight of size {list(w.shape)}, expected input"
                           f"{list(x.shape)} to have {w.shape[1]} channels, but got {x.shape[1]} "
                           "channels instead")
    stride, dilation = CK._pair(stride, "stride"), CK._pair(dilation, "dilation")
    padding = _conv_padding(padding, w.shape[2:], dilation)
    xp = xp_of(x)
    out, cols = CK.conv2d_forward(xp, x, w, None if bias is None else bias._data,
                                  stride, padding, dilation)
    res = _wrap(out if batched else out[0], x)
    if _needs(input, weight, bias):
        node = ConvolutionBackward0()
        node.saved = (cols, w)
        node.meta = (x.shape, stride, padding, dilation,
                     (_rg(input), _rg(weight), _rg(bias)), (x.dtype, w.dtype), batched)
        node.save_versions(weight)
        attach(res, node, (input, weight, bias))
    return res


def _conv_padding(padding, ksize, dilation):
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0)
        if padding == "same":
            total = [d * (k - 1) for k, d in zip(ksize, dilation)]
            if any(t % 2 for t in total):
                raise NotImplementedError("course_lib: padding='same' needs an odd effective kernel "
                                          "size here / 此处 padding='same' 需要奇数大小的有效卷积核")
            return tuple(t // 2 for t in total)
        raise ValueError(f"Invalid padding string '{padding}', should be one of ['valid', 'same']")
    return CK._pair(padding, "padding")


class MaxPool2DWithIndicesBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        xshape, k, s, p, d, batched = self.meta
        if not batched:
            g = g[None]
        gx = CK.max_pool2d_backward(xp_of(g), g, xshape, self.saved, k, s, p, d)
        return (gx if batched else gx[0],)


def _max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                return_indices=False):
    if return_indices:
        raise NotImplementedError("course_lib: max_pool2d(return_indices=True) 暂不支持 / "
                                  "is not supported")
    x = input._data
    if x.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    batched = x.ndim == 4
    if not batched:
        x = x[None]
    k = CK._pair(kernel_size, "kernel_size")
    s = k if (stride is None or stride == [] or stride == ()) else CK._pair(stride, "stride")
    p, d = CK._pair(padding, "padding"), CK._pair(dilation, "dilation")
    out, saved = CK.max_pool2d_forward(xp_of(x), x, k, s, p, d, ceil_mode)
    res = _wrap(out if batched else out[0], x)
    if _needs(input):
        node = MaxPool2DWithIndicesBackward0()
        node.saved = saved
        node.save_versions(input)
        node.meta = (x.shape, k, s, p, d, batched)
        attach(res, node, (input,))
    return res
