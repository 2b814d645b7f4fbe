"""Private differentiable ops behind nn layers, each ONE graph node with a fused backward
(torch's grad_fn names): shared helpers, relu, dropout; loss checks and binary cross entropy in
``_loss_ops``, conv / pool in ``_conv_ops`` (all re-exported here). Linear layers and the
softmax-family losses call the public lesson-05 pieces of ``functional.py`` instead.

nn 层背后的私有可微运算（节点名与 torch 的 grad_fn 相同）。线性层与 softmax 系列损失调用
``functional.py`` 中公开的第 05 课练习函数。
"""
from __future__ import annotations

import math

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.functions.pointwise import ReluBackward0
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


def linear_checks(input, weight, bias):
    """torch's errors for F.linear's arguments (types, devices, ranks, shapes, dtypes) in
    torch's order; returns quietly when the arguments are fine (F.linear computes)."""
    try:
        x, w = input._data, weight._data
        b = None if bias is None else bias._data
    except AttributeError:
        raise _arg_type_error("linear", ("input", "weight", "bias"), (input, weight, bias)) from None
    tx = type(x)
    if type(w) is not tx or (b is not None and type(b) is not tx):
        _same_device(input, weight, bias)
    if (x.ndim == 2 and w.ndim == 2 and w.dtype == x.dtype and x.shape[1] == w.shape[1]
            and x.dtype is not _BOOL
            and (b is None or (b.dtype == w.dtype and b.ndim == 1 and b.shape[0] == w.shape[0]))):
        return  # the common case
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
        return
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
        else:  # matmul, then add_ in place
            _add_error(out_shape, b.shape)

def _mm_shape(x):
    return f"{x.shape[0] if x.ndim > 1 else 1}x{x.shape[-1]}" if x.ndim <= 2 else \
        f"{int(x.size // x.shape[-1])}x{x.shape[-1]}"



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


# ---------------------------------------------------------------- dropout
_SELU_ALPHA = 1.7580993408473766  # SELU's scale · alpha: where alpha dropout sends dropped units


def _dropout(input, p=0.5, training=True, inplace=False, feature=False, alpha=False):
    """aten's ``_dropout_impl``: keep each element (``feature``: each channel, noise of shape
    (N, C, 1, …)) with probability 1 − p and scale by 1/(1 − p); ``alpha`` dropout sets dropped
    units to SELU's negative saturation and rescales so mean and variance are kept."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = input._data
    if not training or p == 0.0 or x.size == 0:
        return input
    xp = xp_of(x)
    if feature and x.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    shape = x.shape[:2] + (1,) * (x.ndim - 2) if feature else x.shape
    if p == 1.0:
        out = input * _wrap(xp.zeros((), x.dtype), x)
    else:
        keep = (G.uniform_array(shape, x.dtype, x) >= p).astype(x.dtype)
        if alpha:
            a = 1.0 / math.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
            b = (keep - 1) * (_SELU_ALPHA * a) + _SELU_ALPHA * a * p
            out = input * _wrap(keep * x.dtype.type(a), x) + _wrap(b.astype(x.dtype), x)
        else:
            keep *= x.dtype.type(1.0 / (1.0 - p))
            out = input * _wrap(keep, x)  # MulBackward0: autograd's node, the mask a constant
    if inplace:
        return G.assign_inplace(input, out)
    return out


# losses / softmax family and conv / pool live in their own files (they use the helpers above)
from ._loss_ops import (  # noqa: E402,F401
    BinaryCrossEntropyBackward0, BinaryCrossEntropyWithLogitsBackward0, _bce, _bce_with_logits,
    _check_reduction, _check_weight, _class_targets, _float_data)
from ._conv_ops import (  # noqa: E402,F401
    ConvolutionBackward0, MaxPool2DWithIndicesBackward0, _conv2d, _conv_padding, _max_pool2d)
