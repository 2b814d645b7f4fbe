"""``course_lib.nn.functional``: stateless layers, activations and losses (torch.nn.functional).

无状态的网络层、激活函数与损失函数（接口同 torch.nn.functional）。
Lesson-05 pieces: ``linear`` (nn.Linear) here; the rows of ``log_softmax``, ``nll_loss`` and
``mse_loss`` (forward and backward formula, ``_loss_ops.py``) behind the public functions below
(cross_entropy, CrossEntropyLoss, NLLLoss, nn.LogSoftmax, Tensor.log_softmax, MSELoss), so a
student's answer carries every model built on them.
"""
from __future__ import annotations

import warnings

import numpy as np

import course_lib as torch  # the solution regions are written as a student writes them

from ..exercises import exercise
from . import _glue as G
from . import _ops  # first: it loads _loss_ops, which uses its helpers
from . import _loss_ops

__all__ = ["linear", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "cross_entropy",
           "nll_loss", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "dropout", "one_hot", "conv2d", "max_pool2d",
           "leaky_relu", "pad", "gelu", "silu", "elu", "selu", "celu", "softplus", "mish",
           "logsigmoid", "hardtanh", "relu6", "hardswish", "hardsigmoid", "softsign",
           "prelu", "softmin", "hardshrink", "softshrink", "tanhshrink", "threshold", "threshold_",
           "glu", "relu_", "elu_", "leaky_relu_", "hardtanh_", "selu_", "celu_", "rms_norm",
           "layer_norm", "embedding", "batch_norm", "group_norm",
           "avg_pool2d", "adaptive_avg_pool2d", "kl_div", "normalize", "cosine_similarity",
           "pairwise_distance", "conv1d", "conv_transpose1d", "conv_transpose2d", "max_pool1d",
           "avg_pool1d", "adaptive_avg_pool1d", "dropout1d", "dropout2d", "dropout3d",
           "alpha_dropout", "feature_alpha_dropout", "scaled_dot_product_attention",
           "multi_head_attention_forward", "interpolate", "upsample", "upsample_nearest",
           "upsample_bilinear", "unfold", "fold", "pixel_shuffle", "pixel_unshuffle",
           "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss",
           "multilabel_soft_margin_loss", "cosine_embedding_loss", "multi_margin_loss",
           "multilabel_margin_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss",
           "poisson_nll_loss", "gaussian_nll_loss", "adaptive_max_pool2d",
           "adaptive_max_pool2d_with_indices", "adaptive_max_pool1d",
           "adaptive_max_pool1d_with_indices", "instance_norm", "local_response_norm", "bilinear",
           "rrelu", "rrelu_", "gumbel_softmax"]


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
    → output (*, out_features).  Like torch: with a bias, the input is viewed as 2-D rows and
    ``torch.addmm(bias, rows, weightᵀ)`` (bias + rows @ weightᵀ in one node) is viewed back;
    without one, ``input.matmul(weight.t())``.
    """
    _ops.linear_checks(input, weight, bias)  # torch's errors for bad arguments
    ### BEGIN SOLUTION
    if bias is None:
        return input.matmul(weight.t())
    if input.dim() == 2:
        return torch.addmm(bias, input, weight.t())
    if bias.dim() == 1 or input.dim() == 1:  # rows (N, in) → addmm → back to (*, out)
        out = torch.addmm(bias, input.reshape(-1, input.shape[-1]), weight.t())
        return out.reshape(*input.shape[:-1], out.shape[-1])
    return input.matmul(weight.t()) + bias
    ### END SOLUTION


def relu(input, inplace=False):
    return G.relu_(input) if inplace else _ops._relu(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    from ._activation_ops import leaky_relu
    return leaky_relu(input, negative_slope, inplace)


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


def prelu(input, weight):
    from ._activation_ops import prelu as _prelu
    return _prelu(input, weight)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(−input): NegBackward0, (ToCopyBackward0 for ``dtype``), SoftmaxBackward0."""
    if dim is None:
        dim = _softmax_dim(input.dim(), "softmin", _stacklevel)
    neg = -input
    return softmax(neg if dtype is None else neg.to(dtype), dim)


def hardshrink(input, lambd=0.5):
    return _act("hardshrink", input, lambd=lambd)


def softshrink(input, lambd=0.5):
    from ._activation_ops import softshrink as _softshrink
    return _softshrink(input, lambd)


def tanhshrink(input):
    return input - input.tanh()


def threshold(input, threshold, value, inplace=False):
    return _act("threshold", input, inplace, threshold=threshold, value=value)


def threshold_(input, threshold, value):
    return _act("threshold", input, True, threshold=threshold, value=value)


def glu(input, dim=-1):
    from ._activation_ops import glu as _glu
    return _glu(input, dim)


def relu_(input):
    if not isinstance(input, G.Tensor):
        raise _ops._arg_type_error("relu_", ("input",), (input,))
    return G.relu_(input)


def elu_(input, alpha=1.0):
    return _act("elu", input, True, alpha=alpha)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, True)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return _act("hardtanh", input, True, min_val=min_val, max_val=max_val)


def selu_(input):
    return _act("selu", input, True)


def celu_(input, alpha=1.0):
    return _act("celu", input, True, alpha=alpha)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    from ._norm_ops import rms_norm as _rms_norm
    return _rms_norm(input, normalized_shape, weight, eps)


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


def _softmax_dim(ndim, name="softmax", stacklevel=3):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _softmax_dim(input.dim())
    _ops._float_data(input, dim, dtype)  # torch's errors (type, dim, integer dtype)
    return input.softmax(dim, dtype=dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along ``dim``: one LogSoftmaxBackward0 node over lesson 05's row."""
    if dim is None:
        dim = _softmax_dim(input.dim())
    _, dim = _ops._float_data(input, dim, dtype, True)  # torch's errors (type, dim, dtype)
    if dtype is not None:
        input = input.to(dtype)
    return _loss_ops.log_softmax(input, dim)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """log_softmax over the class dim (1, or 0 for one sample), then nll_loss — torch's two
    nodes; class probabilities and label smoothing as torch (aten cross_entropy_loss)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _class_target(input, target, "cross_entropy_loss")
    _ops._check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
    x, t = input._data, target._data
    if type(x) is not type(t) or weight is not None:
        _ops._same_device(input, target, weight)
    if x.ndim == 0:
        raise ValueError("Expected input to have at least 1 dimension, got 0")
    cdim = 0 if x.ndim == 1 else 1
    if t.dtype.kind not in "iuf":
        raise RuntimeError(f"expected scalar type Long but found {G.dtype_name(target)}")
    if weight is not None:
        _ops._check_weight(input, weight)
    if t.dtype.kind != "f" and label_smoothing == 0:  # torch's two nodes, nothing else
        if x.dtype.kind not in "fc":
            _ops._float_data(input, cdim, None, True)
        _nll_checks(input, target, weight, reduction, ignore_index)
        _nll_shape(input, target)
        return _loss_ops.cross_entropy(input, target, weight, ignore_index, reduction, cdim)
    logp = log_softmax(input, cdim)
    if t.dtype.kind == "f":  # class probabilities (same shape as input)
        return _prob_cross_entropy(logp, target, weight, reduction, label_smoothing, cdim)
    loss = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    return _smoothed(loss, logp, target, weight, ignore_index, reduction, label_smoothing, cdim)


def _class_weight(weight, logp, cdim):
    """``weight`` (C,) shaped to broadcast along the class dim of ``logp``."""
    return weight.reshape((-1,) + (1,) * (logp.dim() - cdim - 1))


def _prob_cross_entropy(logp, target, weight, reduction, eps, cdim):
    c = logp.shape[cdim]
    if eps > 0:
        target = target * (1 - eps) + eps / c
    if weight is not None:
        target = target * _class_weight(weight, logp, cdim)
    loss = (logp * target).sum(cdim)
    if reduction == "none":
        return -loss
    if reduction == "sum":
        return -loss.sum()
    return -loss.sum() / (logp.numel() // c if c else 0)


def _smoothed(nll, logp, target, weight, ignore_index, reduction, eps, cdim):
    """(1 − ε)·nll + ε/C · Σ_c −w_c·logp_c (ignored samples count 0), torch's normalisation."""
    c = logp.shape[cdim]
    if cdim == 0:
        logp, target = logp.unsqueeze(0), target.reshape(1)
        cdim = 1
    w = logp if weight is None else logp * _class_weight(weight, logp, cdim)
    keep = target != ignore_index
    smooth = -w.sum(cdim) * keep
    if reduction == "none":
        smooth = smooth.reshape(nll.shape)
    elif reduction == "sum":
        smooth = smooth.sum()
    elif weight is None:
        smooth = smooth.sum() / keep.sum()
    else:
        smooth = smooth.sum() / weight[target[keep]].sum()
    return (1 - eps) * nll + smooth * (eps / c)


_I64, _U8, _U64 = np.dtype("int64"), np.dtype("uint8"), np.dtype("uint64")


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
    """Negative log-likelihood of class indices: one NllLossBackward0 node over lesson 05's row.

    负对数似然损失。input (N, C) log-probabilities, target (N,); (C,) with a 0-d target and
    (N, C, d1, …) with (N, d1, …) too.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _class_target(input, target, "nll_loss_nd")
    _nll_checks(input, target, weight, reduction, ignore_index)
    _nll_shape(input, target)
    return _loss_ops.nll_loss(input, target, weight, ignore_index, reduction)


def _nll_shape(input, target):
    x, t = input._data, target._data
    if x.ndim > 2 and t.shape != x.shape[:1] + x.shape[2:]:
        raise RuntimeError(f"Expected target size {[x.shape[0]] + list(x.shape[2:])}, "
                           f"got {list(t.shape)}")


def _nll_checks(input, target, weight, reduction, ignore_index):
    """torch's errors for nll_loss's arguments (reduction, devices, dtypes, shapes, weight)."""
    _ops._check_reduction(reduction)
    x = input._data
    if type(x) is not type(target._data) or weight is not None:
        _ops._same_device(input, target, weight)
    if x.dtype.kind not in "fc":
        raise NotImplementedError(f'"nll_loss{"2d_forward" if x.ndim > 2 else ""}_out_frame" '
                                  f"not implemented for '{G.dtype_name(input)}'")
    t = _ops._class_targets(x, target._data)
    if x.ndim >= 2 and t.ndim >= 1 and t.shape[0] != x.shape[0]:
        raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target "
                         f"batch_size ({t.shape[0]}).")
    if t.dtype.kind not in "iu":
        raise RuntimeError(f"expected scalar type Long but found {G.dtype_name(target)}")
    if weight is not None:
        _ops._check_weight(input, weight)
    c = x.shape[0 if x.ndim == 1 else 1]
    u = t.view(_U64) if t.dtype == _I64 else t  # one pass: a negative class reads as huge
    if t.size and int(u.max()) >= c:
        bad = t[(t != ignore_index) & ((t < 0) | (t >= c))]
        if bad.size:
            raise IndexError(f"Target {int(bad.reshape(-1)[0])} is out of bounds.")


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error (or 'sum' / 'none'), optionally × weight: one MseLossBackward0 node
    over lesson 05's row. 均方误差。"""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _ops._check_reduction(reduction)
    _pair_shapes(input, target)  # warns on mismatched sizes, like torch
    if input._data.dtype.kind not in "fc" and target._data.dtype.kind not in "fc":
        raise NotImplementedError(f"\"mse_cpu\" not implemented for '{G.dtype_name(input)}'")
    if type(input._data) is not type(target._data) or weight is not None:
        _ops._same_device(input, target, weight)
    return _loss_ops.mse_loss(input, target, weight, reduction)


def _pair_shapes(input, target):
    """torch warns about a target size unlike the input's, then fails if they don't broadcast."""
    x, y = getattr(input, "_data", None), getattr(target, "_data", None)
    if y is None or x is None:
        bad = target if x is not None else input
        raise AttributeError(f"'{type(bad).__name__}' object has no attribute 'size'")
    if x.shape != y.shape:
        from .._ops._util import broadcast_error
        G.warn_size(x.shape, y.shape)
        try:
            np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            raise broadcast_error(x.shape, y.shape) from None


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """mean(|input − target|) (or 'sum' / 'none'), optionally × weight. 平均绝对误差。"""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _ops._check_reduction(reduction)
    _pair_shapes(input, target)
    if input._data.dtype.kind not in "fc" and target._data.dtype.kind not in "fc" \
            and reduction == "mean":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {G.dtype_name(input)}")
    loss = (input - target).abs()
    if weight is not None:
        loss = loss * weight
    return loss if reduction == "none" else (loss.sum() if reduction == "sum" else loss.mean())


def _broadcast_pair(input, target):
    """torch.broadcast_tensors as smooth_l1/huber call it: a tensor already of the common shape
    is itself (no node), the other is expanded (ExpandBackward0). After ``_pair_shapes``."""
    x, y = input._data, target._data
    if x.shape == y.shape:
        return input, target
    shape = np.broadcast_shapes(x.shape, y.shape)
    return (input if x.shape == shape else input.expand(*shape),
            target if y.shape == shape else target.expand(*shape))


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5·d²/beta where |d| < beta, else |d| − 0.5·beta (d = input − target): one
    SmoothL1LossBackward0 node; beta == 0 is l1_loss, as torch. 平滑 L1 损失。"""
    _pair_shapes(input, target)  # warns on mismatched sizes, like torch
    ex, et = _broadcast_pair(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _ops._check_reduction(reduction)
    beta = float(beta)
    if beta == 0.0:
        return l1_loss(ex, et, reduction=reduction)
    _pair_checks("smooth_l1", input, target)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return _loss_ops.pair_loss(_loss_ops.smooth_l1_loss_vjp, _loss_ops.SmoothL1LossBackward0,
                               ex, et, (reduction, beta))


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5·d² where |d| < delta, else delta·(|d| − 0.5·delta): one HuberLossBackward0 node
    (× weight and reduced by ordinary ops when a weight is given, as torch). Huber 损失。"""
    _pair_shapes(input, target)
    ex, et = _broadcast_pair(input, target)
    if weight is not None:
        if weight.size() != input.size():
            raise ValueError("Weights and input must have the same size.")
        loss = huber_loss(ex, et, "none", delta) * weight
        if reduction == "none":
            return loss
        if reduction == "sum":
            return torch.sum(loss)
        if reduction == "mean":
            return loss.mean()
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                         "'sum'.")
    _ops._check_reduction(reduction)
    _pair_checks("huber", input, target)
    delta = float(delta)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    return _loss_ops.pair_loss(_loss_ops.huber_loss_vjp, _loss_ops.HuberLossBackward0,
                               ex, et, (reduction, delta), ex._data.dtype)


def _pair_checks(kernel, input, target):
    """torch's error for integer inputs and for tensors on different devices."""
    if input._data.dtype.kind not in "fc" and target._data.dtype.kind not in "fc":
        raise NotImplementedError(f"\"{kernel}_cpu\" not implemented for '{G.dtype_name(input)}'")
    if type(input._data) is not type(target._data):
        _ops._same_device(input, target)


_KL_MEAN = ("reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.")


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """KL divergence of ``target`` from the log-probabilities ``input``. KL 散度损失。

    As torch, no node of its own: xlogy(t, t) − t·input (or exp(t)·(t − input) with
    ``log_target``), then mean / sum; 'batchmean' divides the sum by the batch size.
    """
    from ._ops import _arg_type_error
    if not isinstance(input, G.Tensor) or not isinstance(target, G.Tensor):
        raise _arg_type_error("kl_div", ("input", "target"), (input, target))
    if type(log_target) is not bool:
        raise TypeError(f"kl_div(): argument 'log_target' must be bool, not "
                        f"{type(log_target).__name__}")
    if size_average is not None or reduce is not None:
        red = _legacy_reduction(size_average, reduce, reduction)
    else:
        if reduction == "mean":
            warnings.warn(_KL_MEAN, stacklevel=2)
        red = "sum" if reduction == "batchmean" else reduction
        _ops._check_reduction(red)
    kinds = input._data.dtype.kind + target._data.dtype.kind
    if "c" in kinds:
        raise RuntimeError("kl_div: Complex inputs not supported.")
    if "f" != kinds[0] or "f" != kinds[1]:
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        out = torch.exp(target) * (target - input)
    else:
        out = torch.xlogy(target, target) - target * input
    if red != "none":
        out = out.sum() if red == "sum" else out.mean()
    if reduction == "batchmean" and input.dim() != 0:
        out = out / input.size()[0]
    return out


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """Lₚ-normalise ``input`` along ``dim``: v / max(‖v‖ₚ, eps). 沿 dim 做 Lₚ 归一化。"""
    from ._distance_ops import normalize as _normalize
    return _normalize(input, p, dim, eps, out)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """Cosine of the angle between x1 and x2 along ``dim`` (they broadcast). 余弦相似度。"""
    from ._distance_ops import cosine_similarity as _cosine_similarity
    return _cosine_similarity(x1, x2, dim, eps)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """‖x1 − x2 + eps‖ₚ over the last dim (they broadcast). 成对的 Lₚ 距离。"""
    from ._distance_ops import pairwise_distance as _pairwise_distance
    return _pairwise_distance(x1, x2, p, eps, keepdim)


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


def _check_dropout(name, input, p, training):
    if not isinstance(input, G.Tensor):
        from ._ops import _arg_type_error
        raise _arg_type_error(name, ("input",), (input,))
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if training and 0.0 < p < 1.0 and input._data.dtype.kind not in "fc":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{G.dtype_name(input)}")


def _channel_dropout(name, input, p, training, inplace, spatial):
    """dropout1d/2d/3d: whole channels of an input with ``spatial`` dims (and an optional
    batch dim); dropout2d keeps torch's historic reading of 3-D input as (N, C, L)."""
    _check_dropout(name, input, p, training)
    nd = input.dim()
    if spatial == 1:
        if nd not in (2, 3):
            raise RuntimeError(
                f"dropout1d: Expected 2D or 3D input, but received a {nd}D input. Note that "
                "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
                "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
                "inputs).")
    elif nd not in (spatial + 1, spatial + 2):
        warnings.warn(
            f"{name}: Received a {nd}-D input to {name}, which is deprecated and will result in "
            "an error in a future release. To retain the behavior and silence this warning, "
            f"please use dropout instead. Note that {name} exists to provide channel-wise "
            f"dropout on inputs with {spatial} spatial dimensions, a channel dimension, and an "
            f"optional batch dimension (i.e. {spatial + 1}D or {spatial + 2}D inputs).",
            stacklevel=3)
    if spatial == 2 and nd == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=3)
    unbatched = spatial != 2 and nd != spatial + 2  # (dropout2d reads 3-D as batched)
    x = input.unsqueeze(0) if unbatched else input
    out = _ops._dropout(x, p, training, False, feature=True)
    if unbatched and out is not x:
        out = out.squeeze(0)
    elif unbatched:
        out = input
    if inplace and out is not input:
        return G.assign_inplace(input, out)
    return out


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) input with probability p (scale the rest by
    1/(1 − p)). 按通道随机置零（一维特征）。"""
    return _channel_dropout("dropout1d", input, p, training, inplace, 1)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, H, W) input with probability p. 按通道随机置零（二维特征图）。"""
    return _channel_dropout("dropout2d", input, p, training, inplace, 2)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p.
    按通道随机置零（三维特征）。"""
    return _channel_dropout("dropout3d", input, p, training, inplace, 3)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for SELU networks: dropped units take SELU's negative saturation and the output
    is rescaled to keep mean 0 and variance 1. 适用于 SELU 网络的 dropout。"""
    _check_dropout("alpha_dropout", input, p, training)
    return _ops._dropout(input, p, training, inplace, alpha=True)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels. 按通道的 alpha dropout。"""
    _check_dropout("feature_alpha_dropout", input, p, training)
    return _ops._dropout(input, p, training, inplace, feature=True, alpha=True)


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """softmax(Q Kᵀ/√E + mask) V: (…, L, E), (…, S, E), (…, S, Ev) → (…, L, Ev).
    缩放点积注意力。"""
    from ._attention_ops import scaled_dot_product_attention as sdpa
    return sdpa(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa)


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """The forward of ``nn.MultiheadAttention`` (see there). 多头注意力的前向计算。"""
    from ._attention_ops import multi_head_attention_forward as mha
    return mha(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
               bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
               training, key_padding_mask, need_weights, attn_mask, use_separate_proj_weight,
               q_proj_weight, k_proj_weight, v_proj_weight, static_k, static_v,
               average_attn_weights, is_causal)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize (N, C, *spatial) input to ``size`` or by ``scale_factor``: mode nearest,
    nearest-exact, linear (3-D), bilinear / bicubic (4-D), trilinear (5-D) or area.
    插值缩放（上采样 / 下采样）。"""
    from ._upsample_ops import interpolate as _interpolate
    return _interpolate(input, size, scale_factor, mode, align_corners, recompute_scale_factor,
                        antialias)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated torch name of ``interpolate``. interpolate 的旧名（已弃用）。"""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Every kernel-sized block of (N, C, H, W) input as a column: (N, C·kh·kw, L) (im2col).
    滑动窗口展开（im2col）。"""
    from ._fold_ops import unfold as _unfold
    return _unfold(input, kernel_size, dilation, padding, stride)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Columns (N, C·kh·kw, L) summed back into (N, C, *output_size) (col2im; overlaps add).
    把列合并回图像（col2im，重叠处相加）。"""
    from ._fold_ops import fold as _fold
    return _fold(input, output_size, kernel_size, dilation, padding, stride)


def pixel_shuffle(input, upscale_factor):
    from ._fold_ops import pixel_shuffle as _ps
    return _ps(input, upscale_factor)


def pixel_unshuffle(input, downscale_factor):
    from ._fold_ops import pixel_unshuffle as _pu
    return _pu(input, downscale_factor)


def _reduction_of(size_average, reduce, reduction):
    from ._loss_ops import _check_reduction
    if size_average is not None or reduce is not None:
        return _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    return reduction


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """max(0, −y·(x1 − x2) + margin): x1 should rank above x2 where y = 1, below where y = −1.
    排序间隔损失。"""
    from ._margin_loss_ops import margin_ranking_loss as loss
    return loss(input1, input2, target, margin, _reduction_of(size_average, reduce, reduction))


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """x where y = 1, max(0, margin − x) where y = −1 (x: a distance). 铰链嵌入损失。"""
    from ._margin_loss_ops import hinge_embedding_loss as loss
    return loss(input, target, margin, _reduction_of(size_average, reduce, reduction))


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + e^(−y·x)) for labels y = ±1 (the logistic loss). 软间隔损失。"""
    from ._margin_loss_ops import soft_margin_loss as loss
    return loss(input, target, _reduction_of(size_average, reduce, reduction))


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Binary cross-entropy with logits per class, averaged over the classes. 多标签软间隔损失。"""
    from ._margin_loss_ops import multilabel_soft_margin_loss as loss
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    return loss(input, target, weight, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """1 − cos(x1, x2) where y = 1, max(0, cos(x1, x2) − margin) where y = −1. 余弦嵌入损失。"""
    from ._margin_loss_ops import cosine_embedding_loss as loss
    return loss(input1, input2, target, margin, _reduction_of(size_average, reduce, reduction))


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """Multi-class hinge loss: Σ_{i≠y} max(0, margin − x_y + x_i)^p / C. 多分类铰链损失。"""
    from ._margin_loss_ops import multi_margin_loss as loss
    reduction = _reduction_of(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    return loss(input, target, p, margin, weight, reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Multi-label hinge loss; target lists each sample's classes, ended by −1. 多标签铰链损失。"""
    from ._margin_loss_ops import multilabel_margin_loss as loss
    return loss(input, target, _reduction_of(size_average, reduce, reduction))


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """max(0, d(a, p) − d(a, n) + margin) with the p-norm distance. 三元组间隔损失。"""
    from ._margin_loss_ops import triplet_margin_with_distance_loss as loss
    reduction = _reduction_of(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    return loss(anchor, positive, negative,
                lambda x1, x2: pairwise_distance(x1, x2, p, eps), margin, swap, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """The triplet loss with any distance function (default: pairwise_distance).
    自定义距离的三元组损失。"""
    from ._margin_loss_ops import triplet_margin_with_distance_loss as loss
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    return loss(anchor, positive, negative, distance_function or pairwise_distance, margin,
                swap, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """Negative log-likelihood of Poisson counts: e^x − y·x (log_input) or x − y·log(x + eps),
    plus Stirling's term with ``full``. 泊松负对数似然。"""
    from ._margin_loss_ops import reduce as apply
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    if log_input:
        loss = torch.exp(input) - target * input
    else:
        loss = input - target * torch.log(input + eps)
    if full:
        stirling = target * torch.log(target) - target + 0.5 * torch.log(2 * np.pi * target)
        loss += stirling.masked_fill(target <= 1, 0)
    return apply(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """½(log σ² + (x − y)²/σ²) (+ ½ log 2π with ``full``); ``var`` per element, per sample or a
    number, clamped at ``eps``. 高斯负对数似然。"""
    import math
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * torch.ones_like(input)
    elif torch.any(var < 0):
        raise ValueError("var has negative entry/entries")
    if var.size() != input.size():
        if input.size()[:-1] == var.size():
            var = torch.unsqueeze(var, -1)
        elif input.ndim == var.ndim and sum(y for x, y in zip(input.size(), var.size())
                                            if x != y) == 1:
            pass  # one dim of size 1: heteroscedastic across it
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = var.clone()
    with torch.no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (torch.log(var) + (input - target) ** 2 / var)
    if full:
        loss += 0.5 * math.log(2 * math.pi)
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """The maximum of each adaptive window (output_size (H, W); None keeps the input's).
    自适应最大池化。"""
    from ._adaptive_max_ops import adaptive_max_pool2d as pool
    return pool(input, output_size, return_indices)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    return adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    from ._adaptive_max_ops import adaptive_max_pool1d as pool
    return pool(input, output_size, return_indices)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    return adaptive_max_pool1d(input, output_size, True)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """Normalise each sample's each channel over its spatial positions. 实例归一化。"""
    from ._misc_layer_ops import instance_norm as norm
    return norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Normalise across ``size`` neighbouring channels (AlexNet). 局部响应归一化。"""
    from ._misc_layer_ops import local_response_norm as lrn
    return lrn(input, size, alpha, beta, k)


def bilinear(input1, input2, weight, bias=None):
    """y = x1ᵀ A x2 + b. 双线性变换。"""
    from ._misc_layer_ops import bilinear as _bilinear
    return _bilinear(input1, input2, weight, bias)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: a random negative slope in [lower, upper] while training.
    随机 leaky ReLU。"""
    from ._misc_layer_ops import rrelu as _rrelu
    out = _rrelu(input, lower, upper, training)
    return G.assign_inplace(input, out) if inplace else out


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    return rrelu(input, lower, upper, training, True)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """A differentiable sample from the categorical distribution of ``logits`` (Gumbel-softmax;
    ``hard``: one-hot forward, soft gradient). Gumbel-softmax 采样。"""
    from ._misc_layer_ops import gumbel_softmax as gs
    return gs(logits, tau, hard, dim)


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


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    from ._conv_ops import _convolution
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 1)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    from ._conv_ops import _convolution
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 1, True,
                        output_padding)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    from ._conv_ops import _convolution
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 2, True,
                        output_padding)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    from ._conv_ops import _max_pool1d
    return _max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    from ._avgpool_ops import avg_pool1d as _avg
    return _avg(input, kernel_size, stride, padding, ceil_mode, count_include_pad)


def adaptive_avg_pool1d(input, output_size):
    from ._avgpool_ops import adaptive_avg_pool1d as _adaptive
    return _adaptive(input, output_size)


from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks
