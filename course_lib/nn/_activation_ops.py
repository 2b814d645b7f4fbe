"""More activation functions, each one graph node with torch's name: GELU, SiLU, ELU/SELU,
CELU, Softplus, Mish, LogSigmoid, Hardtanh/ReLU6, Hardswish, Hardsigmoid, LeakyReLU.

更多激活函数：每个都是计算图中的一个节点（名字与 torch 相同），前向与导数公式写在一起。

Each entry below is ``forward(x) -> y`` and ``derivative(x, y) -> dy/dx``, side by side; the
node multiplies the incoming gradient by the derivative (elementwise).
"""
from __future__ import annotations

import math
import weakref

import numpy as np

from .._backend import xp_of
from ..autograd.functions.pointwise import LeakyReluBackward0
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach1, edge
from . import _glue as G
from .._ops.pointwise import _sigmoid  # the overflow-free one of Tensor.sigmoid
from .._ops.special import _sp as _special  # scipy / cupyx special functions
from ._ops import _keep_device, _wrap

SQRT_2_PI = math.sqrt(2 / math.pi)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _erf(x):
    return _special("erf", x)


def _softplus(x):
    xp = xp_of(x)
    return xp.logaddexp(0, x)


# name → (torch grad_fn name, forward(x, **kw), derivative(x, y, **kw))
def _gelu(x, approximate="none"):
    xp = xp_of(x)
    if approximate == "tanh":
        return 0.5 * x * (1 + xp.tanh(SQRT_2_PI * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def _dgelu(x, y, approximate="none"):
    xp = xp_of(x)
    if approximate == "tanh":
        t = xp.tanh(SQRT_2_PI * (x + 0.044715 * x ** 3))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_PI * (1 + 3 * 0.044715 * x * x)
    return 0.5 * (1 + _erf(x / math.sqrt(2))) + x * xp.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _elu(x, alpha=1.0, scale=1.0):
    xp = xp_of(x)
    return scale * xp.where(x > 0, x, alpha * xp.expm1(xp.minimum(x, 0)))


def _delu(x, y, alpha=1.0, scale=1.0):
    xp = xp_of(x)
    return scale * xp.where(x > 0, 1, alpha * xp.exp(xp.minimum(x, 0)))


def _celu(x, alpha=1.0):
    xp = xp_of(x)
    return xp.maximum(x, 0) + xp.minimum(0, alpha * xp.expm1(xp.minimum(x, 0) / alpha))


def _dcelu(x, y, alpha=1.0):
    xp = xp_of(x)
    return xp.where(x > 0, 1, xp.exp(xp.minimum(x, 0) / alpha))


def _softplus_f(x, beta=1.0, threshold=20.0):
    xp = xp_of(x)
    return xp.where(x * beta > threshold, x, _softplus(x * beta) / beta)


def _dsoftplus(x, y, beta=1.0, threshold=20.0):
    xp = xp_of(x)
    return xp.where(x * beta > threshold, 1, _sigmoid(x * beta))


def _mish(x):
    xp = xp_of(x)
    return x * xp.tanh(_softplus(x))


def _dmish(x, y):
    xp = xp_of(x)
    t = xp.tanh(_softplus(x))
    return t + x * _sigmoid(x) * (1 - t * t)


def _hardtanh(x, min_val=-1.0, max_val=1.0):
    return xp_of(x).clip(x, min_val, max_val)


def _dhardtanh(x, y, min_val=-1.0, max_val=1.0):
    return (x > min_val) & (x < max_val)


def _hardswish(x):
    return x * xp_of(x).clip(x + 3, 0, 6) / 6


def _dhardswish(x, y):
    xp = xp_of(x)
    return xp.where(x <= -3, 0, xp.where(x < 3, x / 3 + 0.5, 1))


def _hardsigmoid(x):
    return xp_of(x).clip(x + 3, 0, 6) / 6


def _dhardsigmoid(x, y):  # torch's kernel multiplies by 1/6 rounded to float32, in any dtype
    return ((x > -3) & (x < 3)) * float(np.float32(1 / 6))


ACTIVATIONS = {
    "gelu": ("GeluBackward0", _gelu, _dgelu),
    "silu": ("SiluBackward0", lambda x: x * _sigmoid(x),
             lambda x, y: _sigmoid(x) * (1 + x * (1 - _sigmoid(x)))),
    "elu": ("EluBackward0", _elu, _delu),
    "celu": ("CeluBackward0", _celu, _dcelu),
    "softplus": ("SoftplusBackward0", _softplus_f, _dsoftplus),
    "mish": ("MishBackward0", _mish, _dmish),
    "logsigmoid": ("LogSigmoidBackward0", lambda x: -_softplus(-x),
                   lambda x, y: _sigmoid(-x)),
    "hardtanh": ("HardtanhBackward0", _hardtanh, _dhardtanh),
    "hardswish": ("HardswishBackward0", _hardswish, _dhardswish),
    "hardsigmoid": ("HardsigmoidBackward0", _hardsigmoid, _dhardsigmoid),
}


class _ActivationBackward(Node):
    """``saved``: (x, y); the formula uses x (a saved input, so create_graph differentiates
    the derivative again: the rows are written with numpy functions TArray maps)."""

    __slots__ = ("kw",)
    derivative = None

    @_keep_device
    def backward(self, g):
        x, y = self.saved
        with np.errstate(over="ignore", invalid="ignore"):
            d = type(self).derivative(x, y, **self.kw)
        return ((g * d).astype(x.dtype, copy=False),)


# one node class per grad_fn name, as torch names it (selu is elu with fixed constants: the
# same EluBackward0)
_NODES = {fn: type(name, (_ActivationBackward,), {"__slots__": (), "derivative": staticmethod(df)})
          for fn, (name, _, df) in ACTIVATIONS.items()}


def activation(fn, input, inplace=False, **kw):
    """``fn`` (a key of ACTIVATIONS, or "selu") applied to ``input``; ``inplace`` writes into it."""
    if not isinstance(input, G.Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    x = input._data
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"{fn}_cpu" not implemented for \'{G.dtype_name(input)}\'')
    if fn == "selu":
        fn, kw = "elu", {"alpha": SELU_ALPHA, "scale": SELU_SCALE}
    _, f, _ = ACTIVATIONS[fn]
    with np.errstate(over="ignore", invalid="ignore"):
        y = xp_of(x).asarray(f(x, **kw), dtype=x.dtype)
    out = _wrap(y, x)
    if STATE[0] and input._requires_grad:
        node = _NODES[fn]()
        node.saved, node.kw = (_save_input(node, input, inplace), y), kw
        attach1(out, node, input)
    return G.assign_inplace(input, out) if inplace else out


def _save_input(node, input, inplace):
    """The input's array for ``node.saved``, registered as a saved input (create_graph finds
    its tensor). In place, the input is overwritten: a copy is saved, linked to the input's
    graph edge as it was before the op (its version cannot change: nothing else holds it)."""
    if not inplace:
        node.save_versions(input)
        return input._data
    x = input._data.copy()
    node._versions = [([0], 0, (edge(input), x, weakref.ref(input)))]
    return x


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """max(x, 0) + negative_slope · min(x, 0), one LeakyReluBackward0 node."""
    x = input._data
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"leaky_relu_cpu" not implemented for '
                                  f"'{G.dtype_name(input)}'")
    out = _wrap(xp_of(x).where(x > 0, x, x * negative_slope), x)
    if STATE[0] and input._requires_grad:
        node = LeakyReluBackward0()
        node.saved = (_save_input(node, input, inplace), negative_slope)
        attach1(out, node, input)
    return G.assign_inplace(input, out) if inplace else out
