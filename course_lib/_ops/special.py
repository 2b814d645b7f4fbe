"""``erf``, ``erfinv``, ``atan2``/``arctan2``, ``hypot``, ``roll``, ``trace``, ``nan_to_num``:
one graph node each (torch's names), forward and derivative side by side.

误差函数、反误差函数、atan2、hypot、循环移位、迹、把 NaN/inf 换成有限数——每个都是一个计算图节点。
"""
from __future__ import annotations

import math

import numpy as np

from .._backend import xp_of
from ..autograd.node import Node, attach, attach1, fit
from ._util import STATE, Tensor, _wrap, prep
from .reduce import _float  # integers → the default float dtype

__all__ = ["erf", "erfinv", "atan2", "arctan2", "hypot", "roll", "trace", "nan_to_num", "lgamma",
           "digamma", "polygamma", "mvlgamma"]


def _sp(name, x):
    if xp_of(x) is np:
        import scipy.special as sp
    else:  # pragma: no cover - needs a GPU
        import cupyx.scipy.special as sp
    return getattr(sp, name)(x)


class ErfBackward0(Node):
    __slots__ = ()

    def backward(self, g):  # d erf(x)/dx = 2/√π · e^(−x²)
        (x,) = self.saved
        return (g * (2 / math.sqrt(math.pi)) * xp_of(x).exp(-x * x),)


class ErfinvBackward0(Node):
    __slots__ = ()

    def backward(self, g):  # d erfinv(x)/dx = √π/2 · e^(erfinv(x)²)
        (r,) = self.saved
        with np.errstate(over="ignore", invalid="ignore"):
            return (g * (math.sqrt(math.pi) / 2) * xp_of(r).exp(r * r),)


def _unary(name, node_cls, save_result):
    def op(input):
        x = _float(input._data, None)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = _sp(name, x).astype(x.dtype, copy=False)
        out = _wrap(r)
        if STATE[0] and input._requires_grad:
            node = node_cls()
            node.saved = (r if save_result else x,)
            if save_result:
                node.save_versions(out=out)
            else:
                node.save_versions(input)
            attach1(out, node, input)
        return out
    op.__name__ = op.__qualname__ = name
    return op


erf = _unary("erf", ErfBackward0, False)
erfinv = _unary("erfinv", ErfinvBackward0, True)


class _Binary(Node):
    __slots__ = ("meta",)

    def _fit(self, ga, gb):
        ea, eb = self.next_functions
        return (fit(ga, *self.meta[0]) if ea[0] is not None else None,
                fit(gb, *self.meta[1]) if eb[0] is not None else None)


class Atan2Backward0(_Binary):
    __slots__ = ()

    def backward(self, g):  # atan2(a, b): ∂/∂a = b/(a²+b²), ∂/∂b = −a/(a²+b²)
        a, b = self.saved
        with np.errstate(divide="ignore", invalid="ignore"):
            d = g / (a * a + b * b)
        return self._fit(d * b, -d * a)


class HypotBackward0(_Binary):
    __slots__ = ()

    def backward(self, g):  # hypot(a, b) = r: ∂/∂a = a/r, ∂/∂b = b/r
        a, b, r = self.saved
        with np.errstate(divide="ignore", invalid="ignore"):
            d = g / r
        return self._fit(d * a, d * b)


def _binary(name, node_cls, fn, save_result):
    def op(input, other, *, out=None):
        if not isinstance(other, Tensor):
            from .._creation import tensor
            other = tensor(other, dtype=input.dtype, device=input.device)
        x, y, _ = prep(input, other)
        x, y = _float(x, None), _float(y, None)
        xp = xp_of(x)
        r = getattr(xp, fn)(x, y)
        res = _wrap(r)
        if STATE[0] and (input._requires_grad or other._requires_grad):
            node = node_cls()
            node.saved = (x, y, res._data) if save_result else (x, y)
            node.meta = tuple((t._data.shape, t._data.dtype if t._data.dtype.kind == "f"
                               else r.dtype) for t in (input, other))
            node.save_versions(input, other, out=res if save_result else None)
            attach(res, node, (input, other))
        if out is not None:
            from .checks import write_out
            return write_out(out, res, name)
        return res
    op.__name__ = op.__qualname__ = name
    return op


atan2 = _binary("atan2", Atan2Backward0, "arctan2", False)
arctan2 = atan2
hypot = _binary("hypot", HypotBackward0, "hypot", True)


class RollBackward0(Node):
    __slots__ = ("meta",)

    def backward(self, g):  # rolling back
        shifts, dims, shape = self.meta
        xp = xp_of(g)
        if dims is None:
            return (xp.roll(g.reshape(-1), -shifts[0]).reshape(shape),)
        return (xp.roll(g, tuple(-s for s in shifts), dims),)


def roll(input, shifts, dims=None):
    """Shift elements along ``dims`` (wrapping around); without dims, over the flattened tensor."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is not None:
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                               f"dims:{len(dims)}")
    elif len(shifts) != 1:
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
    x = input._data
    xp = xp_of(x)
    r = xp.roll(x.reshape(-1), shifts[0]).reshape(x.shape) if dims is None else \
        xp.roll(x, shifts, dims)
    out = _wrap(r)
    if STATE[0] and input._requires_grad:
        node = RollBackward0()
        node.meta = (shifts, dims, x.shape)
        attach1(out, node, input)
    return out


class TraceBackward0(Node):
    __slots__ = ("meta",)

    def backward(self, g):  # ∂ trace(A)/∂A = I
        shape, dtype = self.meta
        return (xp_of(g).eye(*shape, dtype=dtype) * g,)


def trace(input):
    """The sum of the main diagonal of a 2-D tensor."""
    x = input._data
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    xp = xp_of(x)
    out = _wrap(xp.asarray(xp.trace(x, dtype=np.int64 if x.dtype.kind in "biu" else x.dtype)))
    if STATE[0] and input._requires_grad:
        node = TraceBackward0()
        node.meta = (x.shape, x.dtype)
        attach1(out, node, input)
    return out


class NanToNumBackward0(Node):
    __slots__ = ()

    def backward(self, g):  # replaced values are constants: their gradient is 0
        (finite,) = self.saved
        return (g * finite,)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """NaN → ``nan``, +inf → ``posinf`` (default: the dtype's max), −inf → ``neginf`` (min)."""
    x = input._data
    xp = xp_of(x)
    r = xp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf) if x.dtype.kind == "f" else \
        x.copy()
    res = _wrap(r)
    if STATE[0] and input._requires_grad:
        node = NanToNumBackward0()
        node.saved = (xp.isfinite(x),)
        attach1(res, node, input)
    if out is not None:
        from .pointwise import write_out
        return write_out(out, res, "nan_to_num")
    return res


# -- the gamma family: lgamma, digamma, polygamma, mvlgamma ---------------------------------
def _gamma_fn(name, x, n=None):
    """digamma / polygamma(n) of ``x``: scipy on arrays, the course_lib op on a create_graph
    TArray (so the formulas below differentiate again)."""
    if getattr(x, "is_tarray", False):
        import course_lib
        from ..autograd.create_graph import TArray, _rec
        op = getattr(course_lib, name)
        return TArray(_rec(op, x.t) if n is None else _rec(op, n, x.t))
    with np.errstate(all="ignore"):
        r = _sp("psi", x) if n is None else _polygamma_array(n, x)
    return r.astype(x.dtype, copy=False)


def _polygamma_array(n, x):
    if xp_of(x) is np:
        import scipy.special as sp
    else:  # pragma: no cover - needs a GPU
        import cupyx.scipy.special as sp
    return sp.polygamma(n, x)


class LgammaBackward0(Node):
    __slots__ = ()

    def backward(self, g):  # d log Γ(x)/dx = ψ(x)
        (x,) = self.saved
        return (g * _gamma_fn("digamma", x),)


class DigammaBackward0(Node):
    __slots__ = ()

    def backward(self, g):  # dψ/dx = ψ₁(x)
        (x,) = self.saved
        return (g * _gamma_fn("polygamma", x, 1),)


class PolygammaBackward0(Node):
    __slots__ = ("n",)

    def backward(self, g):  # dψₙ/dx = ψₙ₊₁(x)
        (x,) = self.saved
        return (g * _gamma_fn("polygamma", x, self.n + 1),)


class PolygammaBackward1(PolygammaBackward0):  # the in-place form's name
    __slots__ = ()


class MvlgammaBackward0(Node):
    __slots__ = ("p",)

    def backward(self, g):  # Σⱼ ψ(x − j/2)
        (x,) = self.saved
        return (g * sum(_gamma_fn("digamma", x - j / 2) for j in range(self.p)),)


def _gamma_op(input, values, node):
    out = _wrap(values)
    if STATE[0] and input._requires_grad:
        node.saved = (_float(input._data, None),)
        node.save_versions(input)
        attach1(out, node, input)
    return out


def lgamma(input, *, out=None):
    """log |Γ(x)|. 伽马函数绝对值的对数。"""
    x = _float(input._data, None)
    with np.errstate(all="ignore"):
        r = _sp("gammaln", x).astype(x.dtype, copy=False)
    return _finish(_gamma_op(input, r, LgammaBackward0()), out, "lgamma")


def digamma(input, *, out=None):
    """ψ(x) = d log Γ(x)/dx. 双伽马函数。"""
    x = _float(input._data, None)
    return _finish(_gamma_op(input, _gamma_fn("digamma", x), DigammaBackward0()), out,
                   "digamma")


def polygamma(n, input, *, out=None):
    """ψ⁽ⁿ⁾(x), the n-th derivative of digamma. 多伽马函数。"""
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    x = _float(input._data, None)
    node = PolygammaBackward0()
    node.n = n
    return _finish(_gamma_op(input, _gamma_fn("polygamma", x, n) if n else
                             _gamma_fn("digamma", x), node), out, "polygamma")


def mvlgamma(input, p, *, out=None):
    """The multivariate log-gamma of dimension p: Σⱼ log Γ(x − j/2) + p(p−1)/4 · log π.
    多元对数伽马函数。"""
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = _float(input._data, None)
    with np.errstate(all="ignore"):
        r = sum(_sp("gammaln", x - j / 2) for j in range(p)) + p * (p - 1) / 4 * np.log(np.pi)
    node = MvlgammaBackward0()
    node.p = p
    return _finish(_gamma_op(input, r.astype(x.dtype, copy=False), node), out, "mvlgamma")


def _finish(res, out, name):
    if out is None:
        return res
    from .checks import write_out
    return write_out(out, res, name)


def _attach_methods():
    for n in ("erf", "erfinv", "atan2", "arctan2", "hypot", "roll", "trace", "nan_to_num",
              "lgamma", "digamma", "mvlgamma"):
        setattr(Tensor, n, globals()[n])

    def polygamma_method(self, n):
        return polygamma(n, self)
    Tensor.polygamma = polygamma_method

    def inplace(f):
        def method(self, *args):
            from .inplace import _apply, check_inplace
            check_inplace(self, STATE[0] and self._requires_grad)
            return _apply(self, f(self, *args))
        method.__name__ = method.__qualname__ = f.__name__ + "_"
        return method
    Tensor.lgamma_, Tensor.digamma_ = inplace(lgamma), inplace(digamma)
    Tensor.mvlgamma_ = inplace(mvlgamma)
    def polygamma_inplace(self, n):
        res = polygamma(n, self)
        if res._grad_fn is not None:
            res._grad_fn.__class__ = PolygammaBackward1
        return res
    Tensor.polygamma_ = inplace(polygamma_inplace)
    Tensor.polygamma_.__name__ = Tensor.polygamma_.__qualname__ = "polygamma_"


_attach_methods()
