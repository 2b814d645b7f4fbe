"""More activation functions, each one graph node with torch's name: GELU, SiLU, ELU/SELU,
CELU, Softplus, Mish, LogSigmoid, Hardtanh/ReLU6, Hardswish, Hardsigmoid, Hardshrink,
Softshrink, Threshold, LeakyReLU, GLU, PReLU.

更多激活函数：每个都是计算图中的一个节点（名字与 torch 相同），前向与导数公式写在一起。

Each entry below is ``forward(x) -> y`` and ``derivative(x, y) -> dy/dx``, side by side; the
node multiplies the incoming gradient by the derivative (elementwise). In place (``inplace=True``,
``F.elu_`` …) the op is computed out of place and committed into the input with torch's in-place
rules (leaf check, views, version counter); elu/selu/celu/leaky_relu then differentiate from
their result, as torch's ``EluBackward1`` / ``CeluBackward1`` / ``LeakyReluBackward1``.
"""
from __future__ import annotations

import math
import weakref

import numpy as np

from .._backend import xp_of
from .._ops.inplace import _commit
from ..autograd.functions.pointwise import LeakyReluBackward0
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach1, attach2, edge, fit
from ..autograd.views import check_inplace
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


def _hardshrink(x, lambd=0.5):
    return xp_of(x).where(_inside(x, lambd), 0, x)


def _softshrink(x, lambd=0.5):
    xp = xp_of(x)
    return xp.where(x > lambd, x - lambd, xp.where(x < -lambd, x + lambd, x * 0))


def _inside(x, lambd):
    return (x >= -lambd) & (x <= lambd)


def _dshrink(x, y, lambd=0.5):  # hardshrink and softshrink: no gradient inside [-lambd, lambd]
    return ~_inside(x, lambd)


def _threshold(x, threshold, value):
    # float16 is compared in float32, as torch's kernel (not threshold rounded to float16)
    below = (x.astype(np.float32) if x.dtype == np.float16 else x) <= threshold
    return xp_of(x).where(below, value, x)


def _dthreshold(x, y, threshold, value):
    return ~(x <= threshold)


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
    "hardshrink": ("HardshrinkBackward0", _hardshrink, _dshrink),
    "softshrink": ("SoftshrinkBackward0", _softshrink, _dshrink),
    "threshold": ("ThresholdBackward0", _threshold, _dthreshold),
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
# same EluBackward0); threshold_ saves its input too, under another name
_NODES = {fn: type(name, (_ActivationBackward,), {"__slots__": (), "derivative": staticmethod(df)})
          for fn, (name, _, df) in ACTIVATIONS.items()}
ThresholdBackward1 = type("ThresholdBackward1", (_ActivationBackward,),
                          {"__slots__": (), "derivative": staticmethod(_dthreshold)})


def _delu_result(y, alpha=1.0, scale=1.0, input_scale=1.0):
    """elu's derivative from its result y (torch's elu_backward with is_result)."""
    return xp_of(y).where(y <= 0, input_scale * (y + alpha * scale), scale)


def _dleaky_result(y, negative_slope):
    return xp_of(y).where(y > 0, 1, negative_slope)


class _ResultBackward(Node):
    """An in-place form differentiated from its result (``saved`` = (y,), the node's output:
    create_graph differentiates through it); a negative slope is torch's error."""

    __slots__ = ("kw",)
    derivative = None
    slope = "alpha"
    error = ("In-place elu backward calculation is triggered with a negative slope which is not "
             "supported. This is caused by calling in-place forward function with a negative "
             "slope, please call out-of-place version instead.")

    @_keep_device
    def backward(self, g):
        if self.kw[self.slope] < 0:
            raise RuntimeError(self.error)
        (y,) = self.saved
        return ((g * type(self).derivative(y, **self.kw)).astype(y.dtype, copy=False),)


class EluBackward1(_ResultBackward):
    __slots__ = ()
    derivative = staticmethod(_delu_result)


class CeluBackward1(EluBackward1):
    __slots__ = ()


class LeakyReluBackward1(_ResultBackward):
    __slots__ = ()
    derivative = staticmethod(_dleaky_result)
    slope = "negative_slope"
    error = ("In-place leakyReLu backward calculation is triggered with a negative slope which is "
             "not supported. This is caused by calling in-place forward function with a negative "
             "slope, please call out-of-place version instead. File an issue at "
             "https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu "
             "backward calculation with negative slope")


_KERNELS = {"selu": "elu_cpu", "celu": "elu_cpu", "softshrink": "softshrink_check"}
_INTEGER_OK = ("hardtanh", "threshold")  # torch computes these for integer tensors too


def _checked(fn, input, inplace):
    """``input``'s array after torch's type and dtype errors for ``fn``."""
    if not isinstance(input, G.Tensor):
        raise TypeError(f"{fn}{'_' if inplace else ''}(): argument 'input' (position 1) must be "
                        f"Tensor, not {type(input).__name__}")
    x = input._data
    kind = x.dtype.kind
    if kind != "f" and not (kind in "iu" and fn in _INTEGER_OK):
        if kind == "b" and fn == "hardtanh":
            raise RuntimeError("Bool inputs not supported for hardtanh")
        raise NotImplementedError(f'"{_KERNELS.get(fn, fn + "_cpu")}" not implemented for '
                                  f"'{G.dtype_name(input)}'")
    return x


def _finish(input, out, node, inplace):
    """``out`` (with ``node`` attached to ``input``, or None), or ``input`` overwritten by it."""
    if node is not None:
        attach1(out, node, input)
    return _commit(input, out) if inplace else out


def activation(fn, input, inplace=False, **kw):
    """``fn`` (a key of ACTIVATIONS, or "selu") applied to ``input``; ``inplace`` writes into it."""
    x = _checked(fn, input, inplace)
    rg = STATE[0] and input._requires_grad
    if inplace:
        check_inplace(input, rg)
    name = fn
    if fn == "selu":
        fn, kw = "elu", {"alpha": SELU_ALPHA, "scale": SELU_SCALE}
    _, f, _ = ACTIVATIONS[fn]
    with np.errstate(over="ignore", invalid="ignore"):
        y = xp_of(x).asarray(f(x, **kw), dtype=x.dtype)
    out = _wrap(y, x)
    node = None
    if rg and inplace and fn in ("elu", "celu"):  # differentiated from the result
        node = CeluBackward1() if name == "celu" else EluBackward1()
        node.kw = {"alpha": kw.get("alpha", 1.0), "scale": kw.get("scale", 1.0),
                   "input_scale": 1 / kw["alpha"] if name == "celu" else 1.0}
        node.saved = (y,)
        node.save_versions(out=out)
    elif rg:
        node = ThresholdBackward1() if inplace and fn == "threshold" else _NODES[fn]()
        node.saved, node.kw = (_save_input(node, input, inplace), y), kw
    return _finish(input, out, node, inplace)


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
    """max(x, 0) + negative_slope · min(x, 0): one LeakyReluBackward0 node (in place:
    LeakyReluBackward1, from the result)."""
    x = _checked("leaky_relu", input, inplace)
    rg = STATE[0] and input._requires_grad
    if inplace:
        check_inplace(input, rg)
    y = xp_of(x).where(x > 0, x, x * negative_slope)
    out = _wrap(y, x)
    node = None
    if rg and inplace:
        node = LeakyReluBackward1()
        node.kw, node.saved = {"negative_slope": negative_slope}, (y,)
        node.save_versions(out=out)
    elif rg:
        node = LeakyReluBackward0()
        node.saved = (_save_input(node, input, False), negative_slope)
    return _finish(input, out, node, inplace)


# ---------------------------------------------------------------- glu, prelu
def _halves(shape, dim):
    """Index tuples of the first and second half of ``shape`` along ``dim``."""
    h = shape[dim] // 2
    lead = (slice(None),) * dim
    return lead + (slice(0, h),), lead + (slice(h, None),)


class GluBackward0(Node):
    """a · σ(b) with (a, b) the halves of x along ``dim``: ∂/∂a = σ(b), ∂/∂b = a·σ(b)·(1 − σ(b))."""

    __slots__ = ("dim",)

    @_keep_device
    def backward(self, g):
        (x,) = self.saved
        ia, ib = _halves(x.shape, self.dim)
        a, s = x[ia], _sigmoid(x[ib])
        return (np.concatenate([g * s, g * a * s * (1 - s)], axis=self.dim),)


def glu(input, dim=-1):
    """GLU: the first half of ``input`` along ``dim`` times the sigmoid of the second half."""
    if input.dim() == 0:  # torch's Python check first (a list: AttributeError here too)
        raise RuntimeError("glu does not support scalars because halving size must be even")
    x = input._data
    d = G.norm_dim(dim, x.ndim)
    if x.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                           f"{x.shape[d]}")
    _checked("glu", input, False)
    ia, ib = _halves(x.shape, d)
    with np.errstate(over="ignore"):
        out = _wrap((x[ia] * _sigmoid(x[ib])).astype(x.dtype, copy=False), x)
    if STATE[0] and input._requires_grad:
        node = GluBackward0()
        node.saved, node.dim = (x,), d
        node.save_versions(input)
        attach1(out, node, input)
    return out


class PreluKernelBackward0(Node):
    """y = x if x > 0 else w·x (w broadcast over x): ∂/∂x = 1 or w, ∂/∂w = 0 or x."""

    __slots__ = ()

    @_keep_device
    def backward(self, g):
        x, w = self.saved
        (ex, _), (ew, _) = self.next_functions
        pos = x > 0
        gx = np.where(pos, g, w * g).astype(x.dtype, copy=False) if ex is not None else None
        gw = fit(np.where(pos, 0, x * g), w.shape, w.dtype) if ew is not None else None
        return gx, gw


def prelu(input, weight):
    """PReLU with torch's checks; a weight of another rank is reshaped to line up with dim 1
    (a view, as torch), then one PreluKernelBackward0 node."""
    from ._ops import _arg_type_error, _same_device
    if not isinstance(input, G.Tensor) or not isinstance(weight, G.Tensor):
        raise _arg_type_error("prelu", ("input", "weight"), (input, weight))
    if input.dtype != weight.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {G.dtype_name(input)} and "
                           f"{G.dtype_name(weight)}")
    nd, n = input.dim(), weight.numel()
    if n != 1:
        if nd == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if nd > 1 else 1
        if channels != n:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {n} and channel size = {channels}.")
    if weight.dim() > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           f"ndim = {weight.dim()}")
    _checked("prelu", input, False)
    _same_device(input, weight)
    w = weight if nd == weight.dim() else weight.reshape([1, n] + [1] * (nd - 2) if nd > 1
                                                         else [1] * nd)
    x, wd = input._data, w._data
    out = _wrap(xp_of(x).where(x > 0, x, wd * x).astype(x.dtype, copy=False), x)
    if STATE[0] and (input._requires_grad or w._requires_grad):
        node = PreluKernelBackward0()
        node.saved = (x, wd)
        node.save_versions(input, w)
        attach2(out, node, input, w)
    return out


def softshrink(input, lambd=0.5):
    """Softshrink after torch's range check of ``lambd`` for the input's dtype."""
    x = _checked("softshrink", input, False)
    top = float(np.finfo(x.dtype).max)
    if not 0 <= lambd <= top:
        raise RuntimeError(f"lambda must be in range [0, {top:g}] for input dtype "
                           f"{G.dtype_name(input)}, but found {lambd:g}")
    return activation("softshrink", input, lambd=lambd)
