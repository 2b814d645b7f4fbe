"""Private differentiable ops behind nn layers and losses, each ONE graph node with a fused
backward (torch's grad_fn names). Layers call these, never the public exercise pieces.
This file: shared helpers, linear, relu, dropout; losses and softmax in ``_loss_ops``,
conv / pool in ``_conv_ops`` (all re-exported here).

nn 层与损失函数背后的私有可微运算：每个运算是计算图中的一个节点，反向传播是融合的
（节点名与 torch 的 grad_fn 相同）。网络层只调用这些私有函数，不调用公开的练习函数。
"""
from __future__ import annotations

import sys

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.functions.pointwise import ReluBackward0 as _ReluNode
from ..autograd.node import NO_EDGE, Node, attach, attach1, edge, fit
from . import _glue as G

_ndarray = np.ndarray
_sum_r = np.add.reduce


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
    """Raise torch's error when tensors live on different devices (the lesson-03 piece
    ``common_device`` decides)."""
    from .._device import common_device
    common_device(*[t for t in ts if t is not None and isinstance(t, G.Tensor)])


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
    try:
        x, w = input._data, weight._data
        b = None if bias is None else bias._data
    except AttributeError:
        raise _arg_type_error("linear", ("input", "weight", "bias"), (input, weight, bias)) from None
    tx = type(x)
    if type(w) is not tx or (b is not None and type(b) is not tx):
        _same_device(input, weight, bias)
    if (x.ndim != 2 or w.ndim != 2 or w.dtype != x.dtype or x.shape[1] != w.shape[1]
            or x.dtype is _BOOL
            or (b is not None and (b.dtype != w.dtype or b.ndim != 1 or b.shape[0] != w.shape[0]))):
        return _linear_general(input, weight, bias)  # other ranks, or torch's errors
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
    try:
        a = input._data
    except AttributeError:
        raise _arg_type_error("relu", ("input",), (input,)) from None
    r = np.maximum(a, 0)
    if r.dtype is not a.dtype:  # bool (numpy gives int64)
        raise RuntimeError("Boolean inputs not supported for relu")
    res = G._wrap(r)
    if STATE[0] and input._requires_grad:
        node = ReluBackward0()
        node.saved = (r,)
        node.save_versions(out=res)
        attach1(res, node, input)
    return res


def _linear_general(input, weight, bias):
    """F.linear's cases off the hot path: N-D input (viewed to 2-D and back, as torch), 1-D
    weight, bias that broadcasts, and torch's errors (shapes, dtypes) in torch's order."""
    x, w = input._data, weight._data
    b = None if bias is None else bias._data
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{x.ndim}D and {w.ndim}D")
    if w.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {w.ndim}D")
    if w.ndim == 1:
        if b is not None and x.ndim == 2:
            raise RuntimeError("mat2 must be a matrix, got 1-D tensor")
        if x.shape[-1] != w.shape[0]:
            raise RuntimeError(f"size mismatch, got input ({_mm_shape(x).split('x')[0]}), mat "
                               f"({_mm_shape(x)}), vec ({w.shape[0]})")
        out = input.matmul(weight)
        return out if bias is None else out + bias
    if b is not None and b.dtype != w.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {G.dtype_name(bias)} "
                           f"and {G.dtype_name(weight)}")
    if x.shape[-1] != w.shape[1]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_mm_shape(x)} and "
                           f"{w.shape[1]}x{w.shape[0]})")
    if x.dtype != w.dtype:
        if b is not None:
            raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                               f"{G.dtype_name(input)} and {G.dtype_name(weight)}")
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_C_NAMES.get(x.dtype.name, x.dtype.name)} != "
                           f"{_C_NAMES.get(w.dtype.name, w.dtype.name)}")
    if x.dtype.kind == "b":
        raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
    n_out = w.shape[0]
    if b is not None and (b.ndim != 1 or b.shape[0] != n_out):
        rows = int(x.size // x.shape[-1]) if x.shape[-1] else int(np.prod(x.shape[:-1]))
        out_shape = x.shape[:-1] + (n_out,)
        if x.ndim <= 2 or b.ndim == 1:  # torch: addmm, whose bias must expand to (rows, out)
            from .._ops.checks import expand_error
            if b.ndim > 2:
                raise expand_error(bias, (rows, n_out))
            try:
                fits = np.broadcast_shapes(b.shape, (rows, n_out)) == (rows, n_out)
            except ValueError:
                fits = False
            if not fits and x.ndim == 1 and b.ndim == 2:  # the unsqueezed row: add_ into a (out,) output
                _add_error(out_shape, b.shape)
            if not fits:
                raise expand_error(bias, (rows, n_out))
            if x.ndim == 1:
                return (_linear(input, weight, None) + bias).reshape(out_shape)
        else:  # matmul, then add_ in place
            _add_error(out_shape, b.shape)
        return _linear(input, weight, None) + bias
    # N-D input: torch views it to 2-D, runs addmm / mm, views back (same graph names)
    one_d = x.ndim == 1
    x2 = _reshaped(input, (-1, x.shape[-1]),
                   UnsqueezeBackward0 if (one_d and bias is None) else ViewBackward0)
    r = _linear(x2, weight, bias)
    cls = ViewBackward0 if bias is not None else (SqueezeBackward4 if one_d else UnsafeViewBackward0)
    return _reshaped(r, x.shape[:-1] + (n_out,), cls)


def _add_error(out_shape, shape):
    """torch's error for ``out.add_(b)`` with ``out`` of ``out_shape`` (None if it fits)."""
    try:
        full = np.broadcast_shapes(out_shape, shape)
    except ValueError:
        from .._ops._util import broadcast_error
        raise broadcast_error(out_shape, shape) from None
    if full != out_shape:
        raise RuntimeError(f"output with shape {list(out_shape)} doesn't match the broadcast "
                           f"shape {list(full)}")


_BOOL = np.dtype(bool)
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool", "complex64": "c10::complex<float>",
            "complex128": "c10::complex<double>"}


def _arg_type_error(fn, names, values):
    """torch's TypeError for an argument that is not a tensor (the first such one)."""
    for i, (n, v) in enumerate(zip(names, values)):
        if v is not None and not isinstance(v, G.Tensor):
            return TypeError(f"{fn}(): argument '{n}' (position {i + 1}) must be Tensor, not "
                             f"{type(v).__name__}")
    return TypeError(f"{fn}(): arguments must be Tensors")


def _mm_shape(x):
    return f"{x.shape[0] if x.ndim > 1 else 1}x{x.shape[-1]}" if x.ndim <= 2 else \
        f"{int(x.size // x.shape[-1])}x{x.shape[-1]}"


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


# losses / softmax family and conv / pool live in their own files (they use the helpers above)
from ._loss_ops import (  # noqa: E402,F401
    AbsBackward0, BinaryCrossEntropyBackward0, BinaryCrossEntropyWithLogitsBackward0,
    DivBackward1, LogSoftmaxBackward0, MeanBackward0, MseLossBackward0, NegBackward0,
    NllLossBackward0, SoftmaxBackward0, SumBackward0, _bce, _bce_with_logits, _ce_2d,
    _check_reduction, _cross_entropy, _float_data, _log_softmax, _nll_loss, _pair_loss,
    _softmax, _target_array)
from ._conv_ops import (  # noqa: E402,F401
    ConvolutionBackward0, MaxPool2DWithIndicesBackward0, _conv2d, _conv_padding, _max_pool2d)
