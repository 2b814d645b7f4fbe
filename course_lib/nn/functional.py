"""``course_lib.nn.functional``: stateless layers, activations and losses (torch.nn.functional).

无状态的网络层、激活函数与损失函数（接口同 torch.nn.functional）。
``linear``, ``log_softmax`` and ``mse_loss`` are lesson-05 exercises: library layers never call
them (they call the private fused ops in ``_ops``), so the student build works before they are done.
"""
from __future__ import annotations

import warnings

import numpy as np

from ..exercises import exercise
from . import _glue as G
from . import _ops

__all__ = ["linear", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "cross_entropy",
           "nll_loss", "mse_loss", "l1_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "dropout", "one_hot", "conv2d", "max_pool2d",
           "leaky_relu", "pad", "gelu", "silu", "elu", "selu", "celu", "softplus", "mish",
           "logsigmoid", "hardtanh", "relu6", "hardswish", "hardsigmoid", "softsign",
           "layer_norm", "embedding", "batch_norm", "group_norm",
           "avg_pool2d", "adaptive_avg_pool2d"]


def _legacy_reduction(size_average, reduce, reduction):
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "none" if not reduce else ("mean" if size_average else "sum")
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{ret}' "
                  "instead.", stacklevel=3)
    return ret


@exercise("05_nn", "linear", key="course_lib.nn.functional.linear")
def linear(input, weight, bias=None):
    """Affine map y = x Wᵀ + b. 仿射变换 y = x Wᵀ + b。

    input (*, in_features), weight (out_features, in_features), bias (out_features,) or None
    → output (*, out_features).  Like torch: 2-D input with bias is one ``addmm``.
    """
    ### BEGIN SOLUTION
    # textbook: output = input.matmul(weight.t()); output = output + bias (if given).
    # torch computes it as one addmm for 2-D input (views to 2-D and back otherwise); the
    # private op does exactly that, so the graph (grad_fn names) is torch's.
    return _ops._linear(input, weight, bias)
    ### END SOLUTION


def relu(input, inplace=False):
    return G.relu_(input) if inplace else _ops._relu(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f'"leaky_relu_cpu" not implemented for '
                                  f"'{G.dtype_name(input)}'")
    out = G.where(input > 0, input, input * negative_slope)
    return G.assign_inplace(input, out) if inplace else out


def sigmoid(input):
    return G.sigmoid(input)


def _act(fn, input, inplace=False, **kw):
    from ._activation_ops import activation
    return activation(fn, input, inplace, **kw)


def gelu(input, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _act("gelu", input, approximate=approximate)


def silu(input, inplace=False):
    return _act("silu", input, inplace)


def elu(input, alpha=1.0, inplace=False):
    return _act("elu", input, inplace, alpha=alpha)


def selu(input, inplace=False):
    return _act("selu", input, inplace)


def celu(input, alpha=1.0, inplace=False):
    return _act("celu", input, inplace, alpha=alpha)


def softplus(input, beta=1.0, threshold=20.0):
    return _act("softplus", input, beta=beta, threshold=threshold)


def mish(input, inplace=False):
    return _act("mish", input, inplace)


def logsigmoid(input):
    return _act("logsigmoid", input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _act("hardtanh", input, inplace, min_val=min_val, max_val=max_val)


def relu6(input, inplace=False):
    return hardtanh(input, 0.0, 6.0, inplace)


def hardswish(input, inplace=False):
    return _act("hardswish", input, inplace)


def hardsigmoid(input, inplace=False):
    return _act("hardsigmoid", input, inplace)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    from ._norm_ops import layer_norm as _layer_norm
    return _layer_norm(input, normalized_shape, weight, bias, eps)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    from ._norm_ops import batch_norm as _batch_norm
    return _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    from ._norm_ops import group_norm as _group_norm
    return _group_norm(input, num_groups, weight, bias, eps)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    from ._norm_ops import embedding as _embedding
    return _embedding(input, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse)


def softsign(input):
    return input / (input.abs() + 1)


def tanh(input):
    return G.tanh(input)


def _softmax_dim(ndim):
    warnings.warn("Implicit dimension choice for softmax has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _softmax_dim(input.dim())
    return _ops._softmax(input, dim, dtype)


@exercise("05_nn", "log_softmax", key="course_lib.nn.functional.log_softmax")
def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along ``dim``, computed stably. 数值稳定地计算 log(softmax(x))。

    output[i] = x[i] − log Σ_j exp(x[j]) (sums over ``dim``); same shape as ``input``.
    Subtract the max along ``dim`` first (log-sum-exp trick) so logits of ±1000 give no
    inf/nan. 先减去 ``dim`` 上的最大值（log-sum-exp 技巧），±1000 的输入也不会溢出。
    ``dtype``: cast the input first. ``dim=None``: torch's legacy choice (warns).
    """
    ### BEGIN SOLUTION
    # textbook: shifted = input - input.amax(dim, keepdim=True).detach()
    #           return shifted - shifted.exp().sum(dim, keepdim=True).log()
    # the private op computes the same in one LogSoftmaxBackward0 node, as torch does.
    if dim is None:
        dim = _softmax_dim(input.dim())
    return _ops._log_softmax(input, dim, dtype)
    ### END SOLUTION


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _class_target(input, target, "cross_entropy_loss")
    return _ops._cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing)


_I64, _U8 = np.dtype("int64"), np.dtype("uint8")


def _class_target(input, target, what):
    """torch's errors for a class-index target (int64/uint8; one class per sample)."""
    t = getattr(target, "_data", None)
    x = getattr(input, "_data", None)
    if t is None or x is None:
        from ._ops import _arg_type_error
        raise _arg_type_error(what, ("input", "target"), (input, target))
    if t.ndim < x.ndim and (t.dtype == _I64 or t.dtype == _U8):
        return
    if t.shape == x.shape and what == "cross_entropy_loss":
        if t.dtype.kind == "f":
            return  # class probabilities
        if x.ndim > 1:
            raise RuntimeError(f"Expected floating point type for target with class "
                               f"probabilities, got {G.dtype_name(target)}")
    if x.ndim >= 2 and t.ndim >= 1 and t.shape[0] != x.shape[0]:
        raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target "
                         f"batch_size ({t.shape[0]}).")
    if x.ndim == 2 and t.ndim >= 2:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if t.dtype.name not in ("int64", "uint8"):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{G.dtype_name(target)}")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _class_target(input, target, "nll_loss_nd")
    return _ops._nll_loss(input, target, weight, ignore_index, reduction)


@exercise("05_nn", "mse_loss", key="course_lib.nn.functional.mse_loss")
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error. 均方误差。

    loss_i = (input_i − target_i)² (broadcast; shapes normally equal), optionally × weight_i;
    reduction: 'mean' → average of all loss_i (a 0-d tensor), 'sum' → their sum,
    'none' → the per-element tensor; anything else → ValueError
    "{reduction} is not a valid value for reduction".
    """
    ### BEGIN SOLUTION
    # textbook: loss = (input - target) ** 2 (* weight); then .mean() / .sum() / as is.
    # the private op does that in one MseLossBackward0 node, as torch does.
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _mse_loss(input, target, reduction, weight)  # warns on mismatched sizes, like torch
    ### END SOLUTION


def _mse_loss(input, target, reduction="mean", weight=None):
    """Fused mse (one MseLossBackward0 node) for nn.MSELoss."""
    _pair_shapes(input, target)
    if input._data.dtype.kind not in "fc" and target._data.dtype.kind not in "fc":
        raise NotImplementedError(f"\"mse_cpu\" not implemented for '{G.dtype_name(input)}'")
    if weight is None:
        return _ops._pair_loss("mse", input, target, reduction)
    loss = _ops._pair_loss("mse", input, target, "none") * weight
    return loss if reduction == "none" else (loss.sum() if reduction == "sum" else loss.mean())


def _pair_shapes(input, target):
    """torch warns about a target size unlike the input's, then fails if they don't broadcast."""
    x, y = getattr(input, "_data", None), getattr(target, "_data", None)
    if y is None or x is None:
        bad = target if x is not None else input
        raise AttributeError(f"'{type(bad).__name__}' object has no attribute 'size'")
    if x.shape != y.shape:
        from .._ops._util import broadcast_error
        try:
            np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            G.warn_size(x.shape, y.shape)
            raise broadcast_error(x.shape, y.shape) from None


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    reduction = _legacy_reduction(size_average, reduce, reduction)
    return _l1_loss(input, target, reduction, weight)


def _l1_loss(input, target, reduction="mean", weight=None):
    _pair_shapes(input, target)
    if input._data.dtype.kind not in "fc" and target._data.dtype.kind not in "fc" \
            and reduction == "mean":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {G.dtype_name(input)}")
    if weight is None:
        return _ops._pair_loss("l1", input, target, reduction)
    loss = _ops._pair_loss("l1", input, target, "none") * weight
    return loss if reduction == "none" else (loss.sum() if reduction == "sum" else loss.mean())


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    reduction = _legacy_reduction(size_average, reduce, reduction)
    return _bce(input, target, weight, reduction)


def _bce(input, target, weight=None, reduction="mean"):
    x, t = getattr(input, "_data", None), getattr(target, "_data", None)
    if x is None or t is None:
        bad = target if x is not None else input
        raise AttributeError(f"'{type(bad).__name__}' object has no attribute 'size'")
    if t.dtype != x.dtype:
        raise RuntimeError(f"Found dtype {G.dtype_name(target)} but expected "
                           f"{G.dtype_name(input)}")
    if x.dtype.kind != "f":
        raise NotImplementedError(f"\"binary_cross_entropy\" not implemented for "
                                  f"'{G.dtype_name(input)}'")
    if weight is not None and x.shape == t.shape:
        _weight_broadcast(weight, x.shape)
    return _ops._bce(input, target, weight, reduction)


def _weight_broadcast(weight, shape):
    """torch's error for a BCE weight that does not broadcast to the input's shape."""
    w = weight._data.shape
    for i in range(1, len(w) + 1):
        if i > len(shape) or (w[-i] != 1 and w[-i] != shape[-i]):
            raise RuntimeError(f"Attempting to broadcast a dimension of length {w[-i]} at {-i}! "
                               f"Mismatching argument at index 1 had {G.size_of(weight)}; but "
                               f"expected shape should be broadcastable to {list(shape)}")


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    reduction = _legacy_reduction(size_average, reduce, reduction)
    return _bce_logits(input, target, weight, reduction, pos_weight)


def _bce_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    x, t = getattr(input, "_data", None), getattr(target, "_data", None)
    if x is None or t is None:
        bad = target if x is not None else input
        raise AttributeError(f"'{type(bad).__name__}' object has no attribute 'size'")
    if x.shape == t.shape:
        if x.dtype.kind != "f":
            raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for "
                                      f"'{G.dtype_name(input)}'")
        if t.dtype.kind != "f":
            raise RuntimeError(f"result type Float can't be cast to the desired output type "
                               f"{G.dtype_name(target)}")
        from .._ops._util import broadcast_error
        for extra, first in ((pos_weight, True), (weight, False)):
            if extra is not None:
                try:
                    np.broadcast_shapes(x.shape, extra._data.shape)
                except ValueError:
                    pair = (extra._data.shape, x.shape) if first else (x.shape, extra._data.shape)
                    raise broadcast_error(*pair) from None
    return _ops._bce_with_logits(input, target, weight, reduction, pos_weight)


def dropout(input, p=0.5, training=True, inplace=False):
    if not isinstance(input, G.Tensor):
        from ._ops import _arg_type_error
        raise _arg_type_error("dropout", ("input",), (input,))
    if training and 0.0 < p < 1.0 and input._data.dtype.kind not in "fc":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{G.dtype_name(input)}")
    return _ops._dropout(input, p, training, inplace)


def one_hot(tensor, num_classes=-1):
    """(*) int64 class indices → (*, num_classes) int64 one-hot. 类别下标 → one-hot 编码。"""
    a = tensor._data
    if a.dtype.kind != "i" or a.dtype.itemsize != 8:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    xp = G.xp_of(a)
    if a.size and int(a.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        if a.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(a.max()) + 1
    elif a.size and int(a.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = (a[..., None] == xp.arange(num_classes)).astype(a.dtype)
    return _ops._wrap(out, a)


def pad(input, pad, mode="constant", value=None):
    """Pad ``input`` (see ``_pad_ops.py``); ``pad`` = (left, right) pairs, last dim first."""
    from ._pad_ops import pad as _pad
    return _pad(input, pad, mode, value)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    from ._avgpool_ops import avg_pool2d as _avg
    return _avg(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                divisor_override)


def adaptive_avg_pool2d(input, output_size):
    from ._avgpool_ops import adaptive_avg_pool2d as _adaptive
    return _adaptive(input, output_size)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _ops._conv2d(input, weight, bias, stride, padding, dilation, groups)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    return _ops._max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode,
                            return_indices)


from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks
