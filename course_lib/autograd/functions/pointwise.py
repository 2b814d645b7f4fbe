"""Backward nodes of element-wise ops (``AddBackward0``, ``MulBackward0``, ``ExpBackward0`` …).

逐元素运算的反向节点。Each ``backward(g)`` returns one gradient per input (arrays),
summed back to the input's shape and cast to its dtype by :func:`fit`. Add, Mul, Exp, Log,
Relu and Sigmoid take their formulas from lesson 04's pieces (``formulas.py``).
"""
from __future__ import annotations

import math

import numpy as np

from ..node import Node, fit
from .formulas import binary_backward, unary_backward


class _Binary(Node):
    """Node of ``a ∘ b``; ``meta`` = ((shape, dtype) of a, of b or None for a scalar).

    ``meta`` is None when both inputs already have the output's shape and dtype.
    """

    __slots__ = ("meta", "alpha")

    def _fit(self, ga, gb):
        if self.meta is None:
            return ga, gb
        ma, mb = self.meta
        if ga is not None and ma is not None:
            ga = fit(ga, *ma)
        if gb is not None and mb is not None:
            gb = fit(gb, *mb)
        return ga, gb


class AddBackward0(_Binary):
    __slots__ = ()

    def backward(self, g):
        ea, eb = self.next_functions
        r = binary_backward("AddBackward0", g, None, None, (ea[0] is not None, eb[0] is not None),
                            self.alpha)
        return r if self.meta is None else self._fit(*r)


class SubBackward0(_Binary):
    __slots__ = ()

    def backward(self, g):
        return self._fit(g, -g if self.alpha == 1 else -g * self.alpha)


class RsubBackward1(_Binary):
    """``scalar - x``: only x (the first input) has a gradient."""

    __slots__ = ()

    def backward(self, g):
        g = -g * self.alpha
        return (fit(g, *self.meta[0]) if self.meta is not None else g,)


class MulBackward0(_Binary):
    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        ea, eb = self.next_functions
        r = binary_backward("MulBackward0", g, a, b, (ea[0] is not None, eb[0] is not None))
        return r if self.meta is None else self._fit(*r)


class DivBackward0(_Binary):
    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        ea, eb = self.next_functions
        with np.errstate(**QUIET):  # b == 0: inf/nan as torch, no warning
            ga = g / b if ea[0] is not None else None
            gb = -g * a / (b * b) if eb[0] is not None else None
        return self._fit(ga, gb)


class PowBackward0(_Binary):
    """``x ** scalar``."""

    __slots__ = ()

    def backward(self, g):
        (x,) = self.saved
        p = self.alpha
        with np.errstate(**QUIET):  # x == 0 and p < 1: inf as torch, no warning
            return (fit(g * p * x ** (p - 1) if p != 0 else g * 0, *self.meta[0]),)


class PowBackward1(_Binary):
    """``x ** y`` with two tensors."""

    __slots__ = ()

    def backward(self, g):
        a, b, r = self.saved
        ea, eb = self.next_functions
        with np.errstate(**QUIET):
            ga = None
            if ea[0] is not None:  # torch: 0 where the exponent is 0 (not 0 * inf)
                ga = np.where(b == 0, 0, g * b * a ** (b - 1))
            gb = None
            if eb[0] is not None:
                gb = np.where((a == 0) & (b >= 0), 0, g * r * np.log(a))
        return self._fit(ga, gb)


class PowBackward2(_Binary):
    """``scalar ** x``."""

    __slots__ = ()

    def backward(self, g):
        (r,) = self.saved
        with np.errstate(**QUIET):  # alpha <= 0: nan as torch, no warning
            return (fit(g * r * np.log(self.alpha), *self.meta[0]),)


class LerpBackward0(_Binary):
    """``lerp(a, b, w)`` with a number ``w`` (kept in ``alpha``)."""

    __slots__ = ()

    def backward(self, g):
        w = self.alpha
        return self._fit(g * (1 - w), g * w)


class MaximumBackward0(_Binary):
    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        w = (a > b) + 0.5 * (a == b)
        return self._fit(g * w, g * (1 - w))


class MinimumBackward0(_Binary):
    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        w = (a < b) + 0.5 * (a == b)
        return self._fit(g * w, g * (1 - w))


class FmaxBackward0(_Binary):
    """``fmax(a, b)`` (nan-ignoring max): all of g to a where a >= b or b is nan, else to b
    (torch's rows: no split at ties, unlike ``maximum``)."""

    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        to_a = (a >= b) | np.isnan(b)
        return self._fit(g * to_a, g * ~to_a)


class FminBackward0(_Binary):
    """``fmin(a, b)``: all of g to a where a <= b or b is nan, else to b."""

    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        to_a = (a <= b) | np.isnan(b)
        return self._fit(g * to_a, g * ~to_a)


class CopysignBackward0(_Binary):
    """``copysign(a, b)`` = |a|·sign(b): g·result/a for a (0 where a is 0); b's gradient is 0."""

    __slots__ = ()

    def backward(self, g):
        a, r = self.saved
        with np.errstate(**QUIET):
            ratio = np.where(a == 0, 0, r / a)
        return self._fit(g * ratio, g * 0)


class CopysignBackward1(_Binary):
    """``copysign(a, number)``: only a has an edge."""

    __slots__ = ()

    def backward(self, g):
        a, r = self.saved
        with np.errstate(**QUIET):
            ratio = np.where(a == 0, 0, r / a)
        return self._fit(g * ratio, None)[:1]


class LdexpBackward0(_Binary):
    """``ldexp(a, b)`` = a·2ᵇ: g·2ᵇ for a, g·result·ln 2 for b."""

    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        p = np.exp2(b)
        return self._fit(g * p, g * a * p * math.log(2))


class LogaddexpBackward0(_Binary):
    """``logaddexp(a, b)`` = log(eᵃ + eᵇ): g / (1 + e^(b−a)) for a, g / (1 + e^(a−b)) for b."""

    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        with np.errstate(**QUIET):
            return self._fit(g / (1 + np.exp(b - a)), g / (1 + np.exp(a - b)))


class Logaddexp2Backward0(_Binary):
    """``logaddexp2(a, b)`` = log₂(2ᵃ + 2ᵇ): g / (1 + 2^(b−a)) for a, g / (1 + 2^(a−b)) for b."""

    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        with np.errstate(**QUIET):
            return self._fit(g / (1 + np.exp2(b - a)), g / (1 + np.exp2(a - b)))


class NotImplemented(Node):  # noqa: A001 - torch's node name
    """The node of an op whose derivative aten lacks (``heaviside``): recorded, raises at
    backward."""

    __slots__ = ("op",)

    def name(self):
        return "torch::autograd::NotImplemented"

    def backward(self, g):
        raise RuntimeError(f"derivative for aten::{self.op} is not implemented")


class ClampMinBackward1(_Binary):
    """``clamp_min(x, min)`` with a tensor ``min``: x where x >= min, else min."""

    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        ea, eb = self.next_functions
        return self._fit(g * (a >= b) if ea[0] is not None else None,
                         g * (a < b) if eb[0] is not None else None)


class ClampMaxBackward1(_Binary):
    """``clamp_max(x, max)`` with a tensor ``max``: x where x <= max, else max."""

    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        ea, eb = self.next_functions
        return self._fit(g * (a <= b) if ea[0] is not None else None,
                         g * (a > b) if eb[0] is not None else None)


class RemainderBackward0(_Binary):
    __slots__ = ()

    def backward(self, g):
        a, b = self.saved
        gb = None if self.next_functions[1][0] is None else -g * np.floor(a / b)
        return self._fit(g, gb)


class WhereBackward0(_Binary):
    """``where(cond, a, b)``: inputs are (a, b) as in torch (cond is not an input)."""

    __slots__ = ()

    def backward(self, g):
        (cond,) = self.saved
        z = np.zeros((), g.dtype)
        return self._fit(np.where(cond, g, z), np.where(cond, z, g))


# -- unary ------------------------------------------------------------------------------
class _Unary(Node):
    __slots__ = ()


def _unary(name, grad, quiet=False):
    """A unary node class whose backward is ``grad(g, *saved)``; ``quiet``: the formula may
    divide by zero or leave the domain (inf/nan as in torch, without numpy's warnings)."""
    if quiet:
        def backward(self, g):
            with np.errstate(**QUIET):
                return (grad(g, *self.saved),)
    else:
        def backward(self, g):
            return (grad(g, *self.saved),)
    return type(name, (_Unary,), {"__slots__": (), "backward": backward})


QUIET = dict(divide="ignore", invalid="ignore", over="ignore")


NegBackward0 = _unary("NegBackward0", lambda g: -g)
class _Formula(_Unary):
    """A node whose formula is lesson 04's ``unary_backward`` (its class name is the row)."""

    __slots__ = ()

    def backward(self, g):
        return (unary_backward(type(self).__name__, g, self.saved, None, None),)


class ExpBackward0(_Formula):
    __slots__ = ()


class LogBackward0(_Formula):
    __slots__ = ()

    def backward(self, g):
        with np.errstate(**QUIET):  # x == 0: inf as torch, no warning
            return (unary_backward("LogBackward0", g, self.saved, None, None),)


class ReluBackward0(_Formula):
    __slots__ = ()


class SigmoidBackward0(_Formula):
    __slots__ = ()


Log2Backward0 = _unary("Log2Backward0", lambda g, x: g / (x * np.log(2.0)).astype(x.dtype),
                       quiet=True)
Log1PBackward0 = _unary("Log1PBackward0", lambda g, x: g / (1 + x), quiet=True)
SqrtBackward0 = _unary("SqrtBackward0", lambda g, r: g / (2 * r), quiet=True)
RsqrtBackward0 = _unary("RsqrtBackward0", lambda g, r: -0.5 * g * r * r * r, quiet=True)
ReciprocalBackward0 = _unary("ReciprocalBackward0", lambda g, r: -g * r * r, quiet=True)
AbsBackward0 = _unary("AbsBackward0", lambda g, x: g * np.sign(x))
SinBackward0 = _unary("SinBackward0", lambda g, x: g * np.cos(x))
CosBackward0 = _unary("CosBackward0", lambda g, x: -g * np.sin(x))
TanhBackward0 = _unary("TanhBackward0", lambda g, r: g * (1 - r * r))
TanBackward0 = _unary("TanBackward0", lambda g, r: g * (1 + r * r))
Log10Backward0 = _unary("Log10Backward0", lambda g, x: g / (x * np.log(10.0)).astype(x.dtype),
                        quiet=True)
Expm1Backward0 = _unary("Expm1Backward0", lambda g, r: g * (r + 1))
Exp2Backward0 = _unary("Exp2Backward0", lambda g, r: g * r * np.log(2.0).astype(r.dtype))
SinhBackward0 = _unary("SinhBackward0", lambda g, x: g * np.cosh(x))
CoshBackward0 = _unary("CoshBackward0", lambda g, x: g * np.sinh(x))
AsinBackward0 = _unary("AsinBackward0", lambda g, x: g / np.sqrt(1 - x * x), quiet=True)
AcosBackward0 = _unary("AcosBackward0", lambda g, x: -g / np.sqrt(1 - x * x), quiet=True)
AsinhBackward0 = _unary("AsinhBackward0", lambda g, x: g / np.sqrt(x * x + 1))
AcoshBackward0 = _unary("AcoshBackward0", lambda g, x: g / np.sqrt(x * x - 1),
                        quiet=True)
AtanhBackward0 = _unary("AtanhBackward0", lambda g, x: g / (1 - x * x), quiet=True)
ErfcBackward0 = _unary("ErfcBackward0",  # -2/√π · e^(−x²)
                       lambda g, x: g * (-2 / math.sqrt(math.pi)) * np.exp(-(x * x)))


def _no_inplace_derivative(name, op):
    """torch's node of an in-place op whose derivative aten lacks (``x.asinh_()``): the graph
    is recorded, its backward raises torch's NotImplementedError."""
    def backward(self, g):
        raise NotImplementedError(f"the derivative for 'inplace version of {op}' is not "
                                  "implemented.")
    return type(name, (_Unary,), {"__slots__": (), "backward": backward})


AsinhBackward1 = _no_inplace_derivative("AsinhBackward1", "asinh")
AcoshBackward1 = _no_inplace_derivative("AcoshBackward1", "acosh")
AtanhBackward1 = _no_inplace_derivative("AtanhBackward1", "atanh")
Deg2RadBackward0 = _unary("Deg2RadBackward0", lambda g: g * (np.pi / 180))
Rad2DegBackward0 = _unary("Rad2DegBackward0", lambda g: g * (180 / np.pi))


def _sinc_grad(g, x):
    """torch's sinc_backward: g·(πx·cos πx − sin πx) / (πx²), 0 where πx² is 0."""
    px = x * np.pi
    sq = x * x * np.pi
    return np.where(sq == 0, 0, g * (px * np.cos(px) - np.sin(px)) / sq)


SincBackward0 = _unary("SincBackward0", _sinc_grad, quiet=True)


class LogitBackward0(_Unary):
    """``logit(x, eps)``: g / (x(1 − x)); outside [0, 1] nan without ``eps``, outside
    [eps, 1 − eps] 0 with it (torch's logit_backward). ``eps`` is None or a number."""

    __slots__ = ("eps",)

    def backward(self, g):
        (x,) = self.saved
        eps = self.eps
        with np.errstate(**QUIET):
            d = g / (x * (1 - x))
            if eps is None:
                return (np.where((x < 0) | (x > 1), np.nan, d),)
            return (np.where((x < eps) | (x > 1 - eps), 0, d),)


TruncBackward0 = _unary("TruncBackward0", lambda g: g * 0)
FracBackward0 = _unary("FracBackward0", lambda g: g)
AtanBackward0 = _unary("AtanBackward0", lambda g, x: g / (1 + x * x))
SignBackward0 = _unary("SignBackward0", lambda g: g * 0)
SgnBackward0 = _unary("SgnBackward0", lambda g: g * 0)  # real inputs: sign is flat
FloorBackward0 = _unary("FloorBackward0", lambda g: g * 0)
CeilBackward0 = _unary("CeilBackward0", lambda g: g * 0)
RoundBackward0 = _unary("RoundBackward0", lambda g: g * 0)
RoundBackward1 = _unary("RoundBackward1", lambda g: g * 0)  # round(decimals=...)
CloneBackward0 = _unary("CloneBackward0", lambda g: g)
AddBackward1 = _unary("AddBackward1", lambda g: g)  # aten's x + number (pairwise_distance's eps)
ClampBackward1 = _unary("ClampBackward1", lambda g, mask: g * mask)
ClampMinBackward0 = _unary("ClampMinBackward0", lambda g, mask: g * mask)  # mask: x >= min
ClampMaxBackward0 = _unary("ClampMaxBackward0", lambda g, mask: g * mask)  # mask: x <= max
LeakyReluBackward0 = _unary("LeakyReluBackward0", lambda g, x, s: np.where(x > 0, g, g * s))
MaskedFillBackward0 = _unary("MaskedFillBackward0", lambda g, m: np.where(m, 0, g))


class ToCopyBackward0(Node):
    """``.to(device, dtype)``: send the gradient back to the input's device and dtype."""

    __slots__ = ("src_dtype", "src_device")

    def backward(self, g):
        from ..._backend import transfer

        if getattr(g, "is_tarray", False):  # create_graph: the recorded .to()
            from ..create_graph import TArray, _dt, _rec
            return (TArray(_rec(g.t.to, self.src_device, _dt(self.src_dtype))),)
        return (transfer(g, self.src_device).astype(self.src_dtype, copy=False),)


def _xlogy(a, b):
    """``a · log(b)``, 0 where ``a`` is 0 and ``b`` is no nan (torch's xlogy), on arrays or,
    with create_graph, on TArrays."""
    with np.errstate(**QUIET):
        return np.where((a == 0) & ~np.isnan(b), 0, a * np.log(b))


class XlogyBackward0(_Binary):
    """``xlogy(x, y)`` with two tensors: dx = xlogy(g, y), 0 where x = 0 and y ≤ 0;
    dy = g·x / y."""

    __slots__ = ()

    def backward(self, g):
        x, y = self.saved
        ea, eb = self.next_functions
        gx = gy = None
        if ea[0] is not None:
            gx = np.where((x == 0) & (y <= 0), 0, _xlogy(g, y))
        if eb[0] is not None:
            with np.errstate(**QUIET):
                gy = g * x / y
        return self._fit(gx, gy)


class XlogyBackward1(_Binary):
    """``xlogy(number, y)`` (the number in ``alpha``): dy = g·alpha / y."""

    __slots__ = ()

    def backward(self, g):
        (y,) = self.saved
        with np.errstate(**QUIET):
            return (fit(g * self.alpha / y, *self.meta[1]),)


class XlogyBackward2(_Binary):
    """``xlogy(x, number)`` (the number in ``alpha``): dx = xlogy(g, alpha), 0 where x = 0
    when alpha ≤ 0."""

    __slots__ = ()

    def backward(self, g):
        (x,) = self.saved
        o = np.asarray(self.alpha, x.dtype)
        gx = _xlogy(g, o)
        if not self.alpha > 0:
            gx = np.where(x == 0, 0, gx)
        return (fit(gx, *self.meta[0]),)


class FmodBackward0(_Binary):
    """``fmod(x, number)``: dx = g."""

    __slots__ = ()

    def backward(self, g):
        return (fit(g, *self.meta[0]),)


class FmodBackward1(_Binary):
    """``fmod(x, y)`` with two tensors: dx = g, dy = -g·trunc(x / y)."""

    __slots__ = ()

    def backward(self, g):
        ea, eb = self.next_functions
        gy = None
        if eb[0] is not None:
            x, y = self.saved
            with np.errstate(**QUIET):
                gy = -g * np.trunc(x / y)
        return self._fit(g if ea[0] is not None else None, gy)
