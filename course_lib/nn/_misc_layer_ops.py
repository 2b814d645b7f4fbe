"""``instance_norm``, ``local_response_norm``, ``bilinear``, ``rrelu``, ``gumbel_softmax``:
compositions of course_lib ops in torch's order (the same graphs), except rrelu's own node.

实例归一化、局部响应归一化、双线性层、随机 leaky ReLU、Gumbel-softmax。
"""
from __future__ import annotations

import numpy as np

import course_lib as torch

from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach1
from ._ops import _wrap


def instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum,
                  eps):
    """aten's instance_norm: batch norm of the input seen as (1, N·C, *spatial); the running
    statistics are the batch means of the per-instance ones."""
    F = torch.nn.functional
    shape = input.shape
    n, c = shape[0], shape[1]
    if use_input_stats and input.numel() // (n * c) <= 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size "
                         f"{shape}")
    x = input.contiguous().view(1, n * c, *shape[2:])
    w = weight.repeat(n) if weight is not None else None
    b = bias.repeat(n) if bias is not None else None
    rm = running_mean.repeat(n) if running_mean is not None else None
    rv = running_var.repeat(n) if running_var is not None else None
    out = F.batch_norm(x, rm, rv, w, b, use_input_stats, momentum, eps)
    if running_mean is not None and use_input_stats:
        with torch.no_grad():
            running_mean.copy_(rm.view(n, c).mean(0))
            running_var.copy_(rv.view(n, c).mean(0))
    return out.view(shape)


def local_response_norm(input, size, alpha, beta, k):
    """x / (k + α·mean of x² over ``size`` neighbouring channels)^β (AlexNet's normalisation)."""
    F = torch.nn.functional
    dim = input.dim()
    if dim < 3:
        raise ValueError("Expected 3D or higher dimensionality                          input "
                         f"(got {dim} dimensions)")  # (torch's spacing)
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = F.pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = F.avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:  # the window spans channels only: pool a (N, 1, C, rest) view
        sizes = input.size()
        div = div.view(sizes[0], 1, sizes[1], -1)
        div = F.pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = F.avg_pool2d(div, (size, 1), stride=1).squeeze(1).view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


def bilinear(input1, input2, weight, bias):
    """y_o = x1ᵀ A_o x2 + b_o over the last dims (any batch dims in front)."""
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and "
                           f"{input2.dim()}")
    for d, (m, n) in enumerate(zip(input1.shape[:-1], input2.shape[:-1])):
        if m != n:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {d}: got "
                               f"{m} and {n}")
    if input1.size(-1) != weight.size(1):
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got "
                           f"{input1.size(-1)} but expected {weight.size(1)}")
    if input2.size(-1) != weight.size(2):
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.size(-1)} but expected {weight.size(2)}")
    if bias is not None and bias.size(0) != weight.size(0):
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.size(0)} but expected {weight.size(0)}")
    batch = input1.shape[:-1]
    x1, x2 = input1.reshape(-1, input1.size(-1)), input2.reshape(-1, input2.size(-1))
    y = torch.einsum("bi,oij,bj->bo", x1, weight, x2).view(*batch, weight.size(0))
    return y + bias if bias is not None else y


class RreluWithNoiseBackward0(Node):
    """g times the slope each element was multiplied by (1 where the input was positive)."""

    __slots__ = ()

    def backward(self, g):
        (noise,) = self.saved
        return (g * noise,)


def rrelu(input, lower, upper, training):
    """Leaky ReLU with a random slope U(lower, upper) per negative element while training, the
    mean slope (lower + upper)/2 otherwise."""
    x = input._data
    if training:
        from ._glue import uniform_array
        slope = lower + (upper - lower) * uniform_array(x.shape, x.dtype, x)
    else:
        from .._backend import xp_of
        slope = xp_of(x).full(x.shape, (lower + upper) / 2, dtype=x.dtype)
    noise = np.where(x > 0, x.dtype.type(1), slope.astype(x.dtype, copy=False))
    out = _wrap((x * noise).astype(x.dtype, copy=False), x)
    if STATE[0] and input._requires_grad:
        node = RreluWithNoiseBackward0()
        node.saved = (noise,)
        attach1(out, node, input)
    return out


def gumbel_softmax(logits, tau, hard, dim):
    """softmax((logits + Gumbel noise)/tau); ``hard``: one-hot of the argmax in the forward,
    the soft sample's gradient in the backward (straight-through)."""
    gumbels = -torch.empty_like(logits).exponential_().log()
    y = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y
    index = y.max(dim, keepdim=True)[1]
    y_hard = torch.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y.detach() + y
