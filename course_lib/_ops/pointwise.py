"""Element-wise ops: arithmetic with broadcasting and torch promotion, unary math, comparisons.

逐元素运算：带广播与 torch 类型提升的算术、一元数学函数、比较。
"""
from __future__ import annotations

import numpy as np

from .._dtype import _default, _from_np, scalar_name
from ..autograd.functions import pointwise as F
from ..autograd.node import attach, attach1, attach2
from ._util import (STATE, Tensor, _wrap, broadcast_error, broadcast_shape, check_broadcast, fit,
                    meta, needs_grad, prep)
from .checks import _invert, _kernel_error, check_mask, write_out

_IGNORE = dict(all="ignore")


def _tensor_arg(x, like=None):
    if isinstance(x, Tensor):
        return x
    from .._creation import _from_data

    return _from_data(x, None, like.device if like is not None else None)


_SAVES = (F.MulBackward0, F.DivBackward0, F.MaximumBackward0, F.MinimumBackward0,
          F.RemainderBackward0, F.ClampMinBackward1, F.ClampMaxBackward1)
_READS_BOTH = (F.MaximumBackward0, F.MinimumBackward0, F.ClampMinBackward1, F.ClampMaxBackward1)


_ERR_BOOL_SUB = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                 "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def no_bool_sub(input, other):
    """torch refuses ``-`` with a bool operand (a bool tensor or a Python bool)."""
    a = input._data.dtype.kind == "b"
    b = other._data.dtype.kind == "b" if isinstance(other, Tensor) else \
        isinstance(other, (bool, np.bool_))
    if a and b:
        raise _kernel_error("sub", input._data)
    if a or b:
        raise RuntimeError(_ERR_BOOL_SUB)


def _binary(name, node_cls, fn, risky=False):
    saves = node_cls in _SAVES
    by_zero = name in ("remainder", "floor_divide")
    is_sub = name == "sub"

    def op(input, other, *, out=None, alpha=1):
        if not isinstance(input, Tensor):
            input = _tensor_arg(input, other if isinstance(other, Tensor) else None)
        if is_sub and (input._data.dtype.kind == "b" or (
                other._data.dtype.kind == "b" if type(other) is Tensor else
                type(other) is not float and type(other) is not int)):
            no_bool_sub(input, other)
        x, y, bt = prep(input, other)
        shape = broadcast_shape(x.shape, y.shape) if bt is not None and x.shape != y.shape \
            else None
        if alpha != 1:  # add/sub: ``input ± alpha * other`` in one node, as torch
            y = y * alpha
        try:
            if risky:
                if by_zero and x.dtype.kind in "iu" and not np.all(y):
                    raise RuntimeError("ZeroDivisionError")
                with np.errstate(**_IGNORE):
                    r = fn(x, y)
            else:
                r = fn(x, y)
        except ValueError:
            raise broadcast_error(x.shape, np.shape(y)) from None
        except TypeError:  # numpy's UFuncTypeError: an op torch lacks for these dtypes
            raise _kernel_error(name, x) from None
        except OverflowError:  # an int out of the tensor's range wraps around, as in torch
            r = fn(x, np.array(y).astype(x.dtype))
        if shape is not None and r.shape != shape:
            r = fit(r, shape)
        res = _wrap(r)
        if STATE[0] and node_cls is not None and (input._requires_grad or
                                                  (bt is not None and bt._requires_grad)):
            node = node_cls()
            a = input._data
            r = res._data
            if bt is None:
                node.meta = None if a.shape == r.shape and a.dtype == r.dtype else \
                    ((a.shape, a.dtype), None)
            else:
                b = bt._data
                node.meta = None if (a.shape == r.shape == b.shape and a.dtype == r.dtype
                                     and b.dtype == r.dtype) else \
                    ((a.shape, a.dtype), (b.shape, b.dtype))
            node.alpha = alpha
            if saves:
                node.saved = (x, y)
                # watch (for in-place changes) only the inputs the backward will read, as
                # torch saves them: a * b reads a only for b's gradient
                vs = node._versions = []
                brg = bt is not None and bt._requires_grad
                if brg or node_cls in _READS_BOTH:
                    v = input._ver
                    vs.append((v, v[0], input))
                if bt is not None and (brg or (input._requires_grad and
                                               node_cls is not F.RemainderBackward0)):
                    v = bt._ver
                    vs.append((v, v[0], bt))
            attach2(res, node, input, bt)
        if out is not None:
            return write_out(out, res, name)
        return res
    op.__name__ = op.__qualname__ = name
    return op


def _true_div(x, y):
    if x.dtype.kind != "f":  # int / int → default float dtype, as torch
        x = x.astype(_default[0]._np)
        if not isinstance(y, (int, float)):
            y = y.astype(x.dtype)
    return x / y


mul = _binary("mul", F.MulBackward0, np.multiply)
div = _binary("div", F.DivBackward0, _true_div, risky=True)
maximum = _binary("maximum", F.MaximumBackward0, np.maximum)
minimum = _binary("minimum", F.MinimumBackward0, np.minimum)
remainder = _binary("remainder", F.RemainderBackward0, np.remainder, risky=True)
floor_divide = _binary("floor_divide", None, np.floor_divide, risky=True)
eq = _binary("eq", None, np.equal)
ne = _binary("ne", None, np.not_equal)
lt = _binary("lt", None, np.less)
le = _binary("le", None, np.less_equal)
gt = _binary("gt", None, np.greater)
ge = _binary("ge", None, np.greater_equal)
bitwise_and = _binary("bitwise_and", None, np.bitwise_and)
bitwise_or = _binary("bitwise_or", None, np.bitwise_or)
bitwise_xor = _binary("bitwise_xor", None, np.bitwise_xor)
_add = _binary("add", F.AddBackward0, np.add)
_sub = _binary("sub", F.SubBackward0, np.subtract)


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other`` with broadcasting. 加法（支持广播）。"""
    return _add(input, other, out=out, alpha=alpha)


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other`` with broadcasting. 减法（支持广播）。"""
    return _sub(input, other, out=out, alpha=alpha)


subtract, multiply, divide, true_divide = sub, mul, div, div


def rsub(input, other, alpha=1):
    """``other - alpha * input`` (``2 - x``)."""
    if isinstance(other, Tensor):
        return sub(other, input, alpha=alpha)
    no_bool_sub(input, other)
    x, y, _ = prep(input, other)
    res = _wrap(y - alpha * x)
    if STATE[0] and input._requires_grad:
        node = F.RsubBackward1()
        node.meta = (meta(input), None)
        node.alpha = alpha
        attach(res, node, (input,))
    return res


def pow(input, exponent, *, out=None):  # noqa: A001
    """``input ** exponent`` (tensor or number on either side). 幂运算。"""
    if not isinstance(input, Tensor):  # number ** tensor
        x, y, _ = prep(exponent, input)
        with np.errstate(**_IGNORE):
            r = np.power(y, x)
        if r.dtype.kind != "f" and x.dtype.kind == "f":
            r = r.astype(x.dtype)
        res = _wrap(r)
        if needs_grad(exponent):
            node = F.PowBackward2()
            node.meta, node.alpha, node.saved = (meta(exponent), None), input, (r,)
            node.save_versions(out=res)
            attach(res, node, (exponent,))
        return write_out(out, res) if out is not None else res
    x, y, bt = prep(input, exponent)
    shape = broadcast_shape(x.shape, y.shape) if bt is not None and x.shape != y.shape else None
    with np.errstate(**_IGNORE):
        if bt is None and isinstance(y, int) and y < 0 and x.dtype.kind in "iu":
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        try:
            r = np.power(x, y)
        except ValueError:
            r = _int_pow(x, y)  # integer tensor ** negative integer tensor: torch's rule
    if shape is not None and r.shape != shape:
        r = fit(r, shape)
    res = _wrap(r)
    if bt is None and needs_grad(input):
        node = F.PowBackward0()
        node.meta, node.alpha, node.saved = (meta(input), None), exponent, (x,)
        node.save_versions(input)
        attach(res, node, (input,))
    elif bt is not None and needs_grad(input, bt):
        node = F.PowBackward1()
        node.meta, node.alpha, node.saved = (meta(input), meta(bt)), 1, (x, y, r)
        node.save_versions(input, bt, out=res)
        attach(res, node, (input, bt))
    return write_out(out, res) if out is not None else res


def _int_pow(x, y):
    """Integers to negative integer powers, as torch: 1 → 1, -1 → ±1, anything else → 0."""
    r = np.power(x, np.maximum(y, 0))
    return np.where(y >= 0, r, np.where(x == 1, 1, np.where(x == -1, 1 - 2 * (y % 2), 0))
                    ).astype(r.dtype)


def where(condition, input=None, other=None):
    """``input`` where ``condition`` else ``other`` (broadcast). 按条件选择元素。"""
    if input is None and other is None:
        return tuple(_wrap(i.astype(np.int64)) for i in np.nonzero(condition._data))
    c = condition._data
    if c.dtype.kind != "b":
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {scalar_name(_from_np(c.dtype))}")
    ta = input if isinstance(input, Tensor) else None
    tb = other if isinstance(other, Tensor) else None
    if ta is None and tb is None:  # two numbers: a tensor for the first, on cond's device
        ta = _tensor_arg(input, condition)
    if ta is not None:
        x, y, _ = prep(ta, other)
    else:
        y, x, _ = prep(tb, input)
    if type(c) is not type(x) and hasattr(x, "ndim"):
        from ._util import same_device
        c = same_device(condition, _wrap(x))[0]
    shapes = (c.shape, np.shape(x), np.shape(y))
    shape = check_broadcast(*shapes) if not shapes[0] == shapes[1] == shapes[2] else None
    r = np.where(c, x, y)
    if shape is not None and r.shape != shape:
        r = fit(r, shape)
    res = _wrap(r)
    ga = input if isinstance(input, Tensor) else None
    if needs_grad(ga, tb):
        node = F.WhereBackward0()
        node.meta, node.saved = (meta(ga), meta(tb)), (c,)
        node.save_versions(indices=(condition,))
        attach(res, node, (ga, tb))
    return res


# -- unary ---------------------------------------------------------------------------------
def _unary(name, node_cls, fn, save=None, float_out=True, risky=False):
    """Make a unary op. ``save``: "x" (input), "r" (result) or None."""
    def op(input, *, out=None):
        x = input._data
        if float_out and x.dtype.kind != "f":
            x = x.astype(_default[0]._np)
        try:
            if risky:
                with np.errstate(**_IGNORE):
                    r = fn(x)
            else:
                r = fn(x)
        except TypeError:  # numpy's UFuncTypeError: ``-`` on bool, ``~`` on float
            raise _kernel_error(name, x) from None
        res = _wrap(r)
        if STATE[0] and input._requires_grad and node_cls is not None:
            node = node_cls()
            if save == "x":
                node.saved = (x,)
                node.save_versions(input)
            elif save == "r":
                node.saved = (r,)
                node.save_versions(out=res)
            else:
                node.saved = ()
            attach1(res, node, input)
        if out is not None:
            return write_out(out, res, name)
        return res
    op.__name__ = op.__qualname__ = name
    return op


def _sigmoid(x):
    e = np.exp(-np.abs(x))
    q = e / (1 + e)
    return np.where(x >= 0, 1 - q, q)


neg = _unary("neg", F.NegBackward0, np.negative, float_out=False)
negative = neg
exp = _unary("exp", F.ExpBackward0, np.exp, "r", risky=True)
log = _unary("log", F.LogBackward0, np.log, "x", risky=True)
log2 = _unary("log2", F.Log2Backward0, np.log2, "x", risky=True)
log1p = _unary("log1p", F.Log1PBackward0, np.log1p, "x", risky=True)
sqrt = _unary("sqrt", F.SqrtBackward0, np.sqrt, "r", risky=True)
rsqrt = _unary("rsqrt", F.RsqrtBackward0, lambda x: 1 / np.sqrt(x), "r", risky=True)
reciprocal = _unary("reciprocal", F.ReciprocalBackward0, lambda x: 1 / x, "r", risky=True)
abs = _unary("abs", F.AbsBackward0, np.abs, "x", float_out=False)  # noqa: A001
absolute = abs
sin = _unary("sin", F.SinBackward0, np.sin, "x")
cos = _unary("cos", F.CosBackward0, np.cos, "x")
tanh = _unary("tanh", F.TanhBackward0, np.tanh, "r")
atan = _unary("atan", F.AtanBackward0, np.arctan, "x")
tan = _unary("tan", F.TanBackward0, np.tan, "r")
log10 = _unary("log10", F.Log10Backward0, np.log10, "x", risky=True)
expm1 = _unary("expm1", F.Expm1Backward0, np.expm1, "r", risky=True)
exp2 = _unary("exp2", F.Exp2Backward0, np.exp2, "r", risky=True)
sinh = _unary("sinh", F.SinhBackward0, np.sinh, "x", risky=True)
cosh = _unary("cosh", F.CoshBackward0, np.cosh, "x", risky=True)
asin = _unary("asin", F.AsinBackward0, np.arcsin, "x", risky=True)
acos = _unary("acos", F.AcosBackward0, np.arccos, "x", risky=True)
asinh = _unary("asinh", F.AsinhBackward0, np.arcsinh, "x")
acosh = _unary("acosh", F.AcoshBackward0, np.arccosh, "x", risky=True)
atanh = _unary("atanh", F.AtanhBackward0, np.arctanh, "x", risky=True)
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh


def _erfc(x):
    from .special import _sp
    return _sp("erfc", x).astype(x.dtype, copy=False)


erfc = _unary("erfc", F.ErfcBackward0, _erfc, "x")
sinc = _unary("sinc", F.SincBackward0, np.sinc, "x", risky=True)
deg2rad = _unary("deg2rad", F.Deg2RadBackward0, lambda x: x * (np.pi / 180))
rad2deg = _unary("rad2deg", F.Rad2DegBackward0, lambda x: x * (180 / np.pi))
trunc = _unary("trunc", F.TruncBackward0, np.trunc, float_out=False)
frac = _unary("frac", F.FracBackward0, lambda x: x - np.trunc(x), float_out=False)
sigmoid = _unary("sigmoid", F.SigmoidBackward0, _sigmoid, "r")
relu = _unary("relu", F.ReluBackward0, lambda x: np.maximum(x, 0), "r", float_out=False)
def _sign(x):
    """numpy's sign with torch's 0 for nan."""
    r = np.sign(x)
    if r.dtype.kind == "f":
        r[r != r] = 0
    return r


sign = _unary("sign", F.SignBackward0, _sign, float_out=False)
floor = _unary("floor", F.FloorBackward0, np.floor, float_out=False)
ceil = _unary("ceil", F.CeilBackward0, np.ceil, float_out=False)
_round = _unary("round", F.RoundBackward0, np.round, float_out=False)
# torch tells round() (RoundBackward0) from round(decimals=0) (RoundBackward1); shown as 0
_NO_DECIMALS = type("_DefaultDecimals", (), {"__repr__": lambda self: "0"})()


def round(input, *, decimals=_NO_DECIMALS, out=None):  # noqa: A001
    """Round to the nearest integer, ties to even (``round(2.5) == 2``, as torch); with
    ``decimals``, to that many digits after the point (negative: before it), as torch computes
    it: ``rint(x * 10**d) / 10**d`` in the input's precision (float for half).
    四舍六入、五取偶；``decimals`` 为保留的小数位数（负数表示十位、百位……）。"""
    x = input._data
    if decimals is _NO_DECIMALS:
        if x.dtype.kind == "b":
            raise _kernel_error("round_vml", x)
        return _round(input, out=out)
    if type(decimals) is not int and (isinstance(decimals, bool)
                                      or not isinstance(decimals, (int, np.integer))):
        raise TypeError(f"round(): argument 'decimals' must be int, not {type(decimals).__name__}")
    if x.dtype.kind != "f":  # torch: round(decimals=...) has float kernels only
        raise _kernel_error("round_vml" if decimals == 0 else "round", x)
    d = int(decimals)

    def rnd(a):
        w = a.astype(np.float32) if a.dtype.itemsize < 4 else a  # torch's opmath for half
        with np.errstate(over="ignore", invalid="ignore"):
            ten = np.power(np.float64(10.0), -d if d < 0 else d).astype(w.dtype)  # 1e400: inf
            r = np.rint(w / ten) * ten if d < 0 else np.rint(w * ten) / ten
        return r.astype(a.dtype, copy=False)
    return _unary("round", F.RoundBackward1, rnd, float_out=False)(input, out=out)
logical_not = _unary("logical_not", None, np.logical_not, float_out=False)
bitwise_not = _unary("bitwise_not", None, np.invert, float_out=False)
isnan = _unary("isnan", None, np.isnan, float_out=False)
isinf = _unary("isinf", None, np.isinf, float_out=False)
isfinite = _unary("isfinite", None, np.isfinite, float_out=False)


def square(input):
    return pow(input, 2)


def clamp(input, min=None, max=None, *, out=None):  # noqa: A002
    """Limit values to ``[min, max]`` (either may be None). 把数值截断到区间内。"""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return _clamp(input, min, max, F.ClampBackward1, out)


def _clamp(input, min, max, node_cls, out):  # noqa: A002
    x = input._data
    lo = min._data if isinstance(min, Tensor) else min
    hi = max._data if isinstance(max, Tensor) else max
    if x.dtype.kind != "f" and (isinstance(lo, float) or isinstance(hi, float)):
        x = x.astype(_default[0]._np)
    try:
        r = np.clip(x, lo, hi)
    except ValueError:
        raise broadcast_error(x.shape, *(np.shape(b) for b in (lo, hi) if b is not None)) \
            from None
    if r.dtype != x.dtype:
        r = r.astype(x.dtype)
    res = _wrap(r)
    if STATE[0] and input._requires_grad:
        mask = np.ones(x.shape, bool)
        if lo is not None:
            mask &= x >= lo
        if hi is not None:
            mask &= x <= hi
        node = node_cls()
        node.saved = (mask,)
        attach(res, node, (input,))
    return write_out(out, res) if out is not None else res


def _one_bound(name, node_t, ufunc, node_n, upper):
    """``clamp_min`` / ``clamp_max``: a number bound gives ``node_n`` (ClampMinBackward0), a
    tensor bound ``node_t`` (ClampMinBackward1: gradients to both), as torch."""
    with_tensor = _binary(name, node_t, ufunc)
    n = name[-3:]
    sigs = (f"Tensor input, Tensor {n}, *, Tensor out = None",
            f"Tensor input, Number {n}, *, Tensor out = None")

    def op(input, bound=None, *, out=None, **kw):
        if n in kw:  # clamp_min(x, min=0.1)
            bound = kw.pop(n)
        if kw:
            raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kw))}'")
        if isinstance(bound, Tensor):
            return with_tensor(input, bound, out=out)
        if not isinstance(input, Tensor) or not _number(bound):
            raise _invalid(name, (input, bound), sigs)
        lo, hi = (None, bound) if upper else (bound, None)
        return _clamp(input, lo, hi, node_n, out)
    op.__name__ = op.__qualname__ = name
    return op


clamp_min = _one_bound("clamp_min", F.ClampMinBackward1, np.maximum, F.ClampMinBackward0, False)
clamp_min.__doc__ = "max(input, min): 下限截断。"
clamp_max = _one_bound("clamp_max", F.ClampMaxBackward1, np.minimum, F.ClampMaxBackward0, True)
clamp_max.__doc__ = "min(input, max): 上限截断。"


def logit(input, eps=None, *, out=None):
    """log(p / (1 − p)); with ``eps``, p is first clamped to [eps, 1 − eps]. 对数几率。"""
    x = input._data
    if x.dtype.kind != "f":
        x = x.astype(_default[0]._np)
    z = x
    if eps is not None:  # torch's kernel: below eps → eps, else above 1 - eps → 1 - eps
        lo, hi = x.dtype.type(eps), x.dtype.type(1 - eps)
        z = np.where(x < lo, lo, np.where(x > hi, hi, x))
    with np.errstate(**_IGNORE):
        r = np.log(z / (1 - z))
    res = _wrap(r)
    if STATE[0] and input._requires_grad:
        node = F.LogitBackward0()
        node.eps = None if eps is None else float(eps)
        node.saved = (x,)
        node.save_versions(input)
        attach1(res, node, input)
    return write_out(out, res, "logit") if out is not None else res


clip = clamp


def masked_fill(input, mask, value):
    """Copy of ``input`` with ``value`` where ``mask`` is True. 按掩码填充。"""
    check_mask(input, mask, value)
    v = value.item() if isinstance(value, Tensor) else value
    x = input._data
    r = np.where(mask._data, x.dtype.type(v), x)
    res = _wrap(r)
    if STATE[0] and input._requires_grad:
        node = F.MaskedFillBackward0()
        node.saved = (np.broadcast_to(mask._data, x.shape),)
        node.save_versions(indices=(mask,))
        attach(res, node, (input,))
    return res


def _number(v):
    """A Python (or numpy) number that torch's Scalar arguments take (not a bool's str etc.)."""
    import numbers
    return isinstance(v, numbers.Number) and not isinstance(v, Tensor)


def _arg_type(v):
    return "Tensor" if isinstance(v, Tensor) else type(v).__name__


def _invalid(name, args, sigs):
    """torch's TypeError for an argument combination no overload takes."""
    got = ", ".join(_arg_type(a) for a in args)
    lines = "\n".join(f" * ({s})" for s in sigs)
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), but "
                     f"expected one of:\n{lines}\n")


_XLOGY_SIGS = ("Tensor self, Tensor other, *, Tensor out = None",
               "Number self, Tensor other, *, Tensor out = None",
               "Tensor self, Number other, *, Tensor out = None")


def _float_pair(x, y):
    """``x``, ``y`` in a floating dtype (integers and bools → the default float, as torch)."""
    dt = x.dtype if hasattr(x, "dtype") else y.dtype
    if dt.kind != "f":
        dt = _default[0]._np
        x = x.astype(dt) if hasattr(x, "dtype") else x
        y = y.astype(dt) if hasattr(y, "dtype") else y
    return x, y


def _xlogy_values(x, y):
    with np.errstate(**_IGNORE):
        r = x * np.log(y)
    zero = (x == 0) & ~np.isnan(y)
    return np.where(zero, np.zeros((), r.dtype), r)


def xlogy(input, other, *, out=None):
    """``input · log(other)``, 0 where ``input`` is 0 (unless ``other`` is nan); integers give
    floats. x·log(y)，x 为 0 时取 0（y 为 nan 时仍是 nan）。"""
    it, ot = isinstance(input, Tensor), isinstance(other, Tensor)
    if not ((it and (ot or _number(other))) or (ot and _number(input))):
        raise _invalid("xlogy", (input, other), _XLOGY_SIGS)
    if it and ot:
        x, y, _ = prep(input, other)
        if x.shape != y.shape:
            check_broadcast(x.shape, y.shape)
    elif it:
        x, y, _ = prep(input, other)
    else:  # a number and a tensor: the number as the tensor's scalar partner
        y, x, _ = prep(other, input)
    x, y = _float_pair(x, y)
    if not hasattr(x, "dtype"):
        x = np.asarray(x, y.dtype)
    if not hasattr(y, "dtype"):
        y = np.asarray(y, x.dtype)
    res = _wrap(_xlogy_values(x, y))
    if needs_grad(input if it else None, other if ot else None):
        if it and ot:
            node = F.XlogyBackward0()
            node.meta, node.alpha, node.saved = (meta(input), meta(other)), 1, (x, y)
            node.save_versions(input, other)
            attach2(res, node, input, other)
        elif it:
            node = F.XlogyBackward2()
            node.meta, node.alpha, node.saved = (meta(input), None), other, (x,)
            node.save_versions(input)
            attach1(res, node, input)
        else:
            node = F.XlogyBackward1()
            node.meta, node.alpha, node.saved = (None, meta(other)), input, (y,)
            node.save_versions(other)
            attach1(res, node, other)
    return write_out(out, res, "xlogy") if out is not None else res


def fmod(input, other, *, out=None):
    """Remainder of ``input / other`` with the sign of ``input`` (C's fmod; ``remainder`` takes
    the divisor's sign). 取余，结果与被除数同号（remainder 与除数同号）。"""
    if not isinstance(input, Tensor) or not (isinstance(other, Tensor) or _number(other)):
        raise _invalid("fmod", (input, other), ("Tensor input, Tensor other, *, Tensor out = None",
                                                "Tensor input, Number other, *, Tensor out = None"))
    x, y, bt = prep(input, other)
    if bt is not None and x.shape != y.shape:
        check_broadcast(x.shape, y.shape)
    if x.dtype.kind == "b":
        raise _kernel_error("fmod", x)
    if x.dtype.kind in "iu" and not np.all(y):
        raise RuntimeError("ZeroDivisionError")
    with np.errstate(**_IGNORE):
        r = np.fmod(x, y)
    if r.dtype != x.dtype:
        r = r.astype(x.dtype)
    res = _wrap(r)
    if needs_grad(input, bt):
        if bt is None:
            node = F.FmodBackward0()
            node.meta, node.alpha = (meta(input), None), 1
            attach1(res, node, input)
        else:
            node = F.FmodBackward1()
            node.meta, node.alpha, node.saved = (meta(input), meta(bt)), 1, (x, y)
            if bt._requires_grad:  # torch saves them only for other's gradient
                node.save_versions(input, bt)
            attach2(res, node, input, bt)
    return write_out(out, res, "fmod") if out is not None else res


def dist(input, other, p=2):
    """The p-norm of ``input - other`` (broadcast): p = 0 counts the non-zeros, inf takes the
    largest |difference|. 两个张量之差的 p 范数。"""
    from .select import _arg_check

    _arg_check("dist", False, input=input, other=other)
    if isinstance(p, Tensor):
        p = p.item()
    if not _number(p) or isinstance(p, bool):
        raise TypeError(f"dist(): argument 'p' (position 3) must be Number, not "
                        f"{type(p).__name__}")
    p = float(p)
    x, y, _ = prep(input, other)
    if x.shape != y.shape:
        check_broadcast(x.shape, y.shape)
    if x.dtype.kind != "f":
        raise RuntimeError("norm(): input dtype should be either floating point or complex. Got "
                           f"{scalar_name(_from_np(x.dtype))} instead.")
    d = x - y
    w = d.astype(np.float32) if d.dtype.itemsize < 4 else d  # half: float accumulation
    a = np.abs(w)
    if np.isinf(p) and a.size == 0:
        raise RuntimeError(f"linalg.vector_norm cannot compute the {'' if p > 0 else '-'}inf "
                           "norm on an empty tensor because the operation does not have an "
                           "identity")
    with np.errstate(**_IGNORE):
        if p == 0:
            r = (a != 0).sum(dtype=w.dtype)
        elif p == np.inf:
            r = a.max()
        elif p == -np.inf:
            r = a.min()
        elif p == 1:
            r = a.sum()
        elif p == 2:
            r = np.sqrt((a * a).sum())
        else:
            r = (a ** p).sum() ** (1 / p)
    from .._backend import ensure_array
    res = _wrap(ensure_array(r, d).astype(d.dtype))
    if needs_grad(input, other):
        from ..autograd.functions.reduction import DistBackward0
        node = DistBackward0()
        node.p, node.meta = p, (meta(input), meta(other))
        node.saved = (x, y, res._data)
        node.save_versions(input, other, out=res)
        attach2(res, node, input, other)
    return res


# -- binary ops that take two tensors (torch has no Scalar overload for them) ---------------
def _two_tensors(name, input, other, arg="other"):
    """The promoted arrays of two tensors, after torch's argument and broadcast checks."""
    from .select import _arg_check

    _arg_check(name, False, input=input, **{arg: other})
    x, y, _ = prep(input, other)
    if x.shape != y.shape:
        check_broadcast(x.shape, y.shape)
    return x, y


def _record2(res, node_cls, input, other, saved, out_saved=False):
    """``node_cls`` as ``res``'s grad_fn when an input needs a gradient."""
    if needs_grad(input, other):
        node = node_cls()
        node.meta, node.alpha, node.saved = (meta(input), meta(other)), 1, saved
        node.save_versions(input, other, out=res if out_saved else None)
        attach2(res, node, input, other)
    return res


def _finish(res, out, name):
    return write_out(out, res, name) if out is not None else res


def _tensor_pair_op(name, node_cls, fn, float_only, doc):
    """An element-wise op of two tensors (no number overload) with its node; ``float_only``:
    torch has floating kernels only (both inputs integral or bool: its NotImplementedError)."""
    def op(input, other, *, out=None):
        x, y = _two_tensors(name, input, other)
        if float_only and x.dtype.kind != "f":
            raise _kernel_error(name, x)
        with np.errstate(**_IGNORE):  # nan in, nan out, silently as torch
            r = fn(x, y)
        return _finish(_record2(_wrap(r), node_cls, input, other, (x, y)), out, name)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


# torch's rule for fmax / fmin: on ties and ±0 the first input; nan only where both are nan
fmax = _tensor_pair_op("fmax", F.FmaxBackward0, lambda x, y: np.where((x >= y) | (y != y), x, y),
                       False, "Element-wise maximum that ignores nan. 逐元素最大值，忽略 nan。")
fmin = _tensor_pair_op("fmin", F.FminBackward0, lambda x, y: np.where((x <= y) | (y != y), x, y),
                       False, "Element-wise minimum that ignores nan. 逐元素最小值，忽略 nan。")
logaddexp = _tensor_pair_op("logaddexp", F.LogaddexpBackward0, np.logaddexp, True,
                            "log(eᵃ + eᵇ) without overflow. 数值稳定的 log(eᵃ + eᵇ)。")
logaddexp2 = _tensor_pair_op("logaddexp2", F.Logaddexp2Backward0, np.logaddexp2, True,
                             "log₂(2ᵃ + 2ᵇ) without overflow. 数值稳定的 log₂(2ᵃ + 2ᵇ)。")


def ldexp(input, other, *, out=None):
    """``input · 2**other`` (integers give floats). 乘以 2 的 other 次幂。"""
    x, y = _float_pair(*_two_tensors("ldexp", input, other))
    with np.errstate(**_IGNORE):
        r = x * np.exp2(y)
    return _finish(_record2(_wrap(r), F.LdexpBackward0, input, other, (x, y)), out, "ldexp")


_COPYSIGN_SIGS = ("Tensor input, Tensor other, *, Tensor out = None",
                  "Tensor input, Number other, *, Tensor out = None")


def copysign(input, other, *, out=None):
    """|input| with the sign of ``other`` (a tensor or a number; integers give floats; the sign
    of -0.0 counts). input 的绝对值配上 other 的符号。"""
    ot = isinstance(other, Tensor)
    if not isinstance(input, Tensor) or not (ot or _number(other)):
        raise _invalid("copysign", (input, other), _COPYSIGN_SIGS)
    if ot:
        x, y = _two_tensors("copysign", input, other)
    else:
        x, y, _ = prep(input, other)
    x, y = _float_pair(x, y)
    res = _wrap(np.copysign(x, y))
    if ot:
        _record2(res, F.CopysignBackward0, input, other, (x, res._data), out_saved=True)
    elif needs_grad(input):
        node = F.CopysignBackward1()
        node.meta, node.alpha, node.saved = (meta(input), None), 1, (x, res._data)
        node.save_versions(input, out=res)
        attach1(res, node, input)
    return _finish(res, out, "copysign")


def heaviside(input, values, *, out=None):
    """Step function: 0 where input < 0, ``values`` where input == 0, 1 where input > 0 (same
    dtypes; torch has no derivative for it). 阶跃函数。"""
    x, y = _two_tensors("heaviside", input, values, "values")
    if input._data.dtype != values._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    r = np.where(x == 0, y, (x > 0).astype(x.dtype))
    res = _wrap(r.astype(x.dtype, copy=False))
    if needs_grad(input, values):
        node = F.NotImplemented()
        node.op = "heaviside"
        attach2(res, node, input, values)
    return _finish(res, out, "heaviside")


def float_power(input, exponent, *, out=None):
    """``input ** exponent`` computed in float64 (torch's double-precision power).
    以 float64 计算的幂。"""
    from .._dtype import float64

    def dbl(v):
        return v.to(float64) if isinstance(v, Tensor) else v
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise _invalid("float_power", (input, exponent), (
            "Tensor input, Tensor exponent, *, Tensor out = None",
            "Number self, Tensor exponent, *, Tensor out = None",
            "Tensor input, Number exponent, *, Tensor out = None"))
    return pow(dbl(input), dbl(exponent), out=out)


def _logical(name, fn):
    op = _binary(name, None, fn)

    def logical(input, other, *, out=None):
        from .select import _arg_check

        _arg_check(name, False, input=input, other=other)
        return op(input, other, out=out)
    logical.__name__ = logical.__qualname__ = name
    logical.__doc__ = f"Element-wise {name[8:]} of truth values (bool result). 逐元素逻辑运算。"

    def method(self, other):  # torch counts the method's arguments without self
        from .select import _arg_check

        _arg_check(name, True, input=self, other=other)
        return op(self, other)
    method.__name__ = method.__qualname__ = name
    _LOGICAL_METHODS[name] = method
    return logical


_LOGICAL_METHODS = {}


logical_and = _logical("logical_and", np.logical_and)
logical_or = _logical("logical_or", np.logical_or)
logical_xor = _logical("logical_xor", np.logical_xor)


def sgn(input, *, out=None):
    """Sign (-1, 0, 1; bools stay bools); for real tensors ``sign`` with its own grad_fn.
    符号函数。"""
    if input._data.dtype.kind == "b":
        return _finish(_wrap(input._data.copy()), out, "sgn")
    return _sgn(input, out=out)


_sgn = _unary("sgn", F.SgnBackward0, _sign, float_out=False)


def signbit(input, *, out=None):
    """True where the sign bit is set (negative numbers and -0.0). 符号位是否为 1。"""
    x = input._data
    r = np.signbit(x) if x.dtype.kind == "f" else (x < 0)
    return _finish(_wrap(r), out, "signbit")


def positive(input):
    """``+input``: the tensor itself (torch refuses bools). 返回张量本身。"""
    if input._data.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def fix(input, *, out=None):
    """``trunc``'s other name (rounds towards zero). 向零取整（trunc 的别名）。"""
    return trunc(input, out=out)


greater, less, greater_equal, less_equal, not_equal = gt, lt, ge, le, ne


def _int_kernel(name, fn):
    """An integer-only element-wise op of two tensors or a tensor and a number (gcd, shifts)."""
    def op(input, other, *, out=None):
        if not isinstance(input, Tensor):
            input = _tensor_arg(input, other if isinstance(other, Tensor) else None)
        x, y, _ = prep(input, other)
        if x.dtype.kind not in "iub" or x.dtype.kind == "b" and name != "bitwise_left_shift":
            raise _kernel_error(_INT_KERNELS[name], x)
        if isinstance(y, np.ndarray) and x.shape != y.shape:
            check_broadcast(x.shape, y.shape)
        return _finish(_wrap(np.asarray(fn(x, y), dtype=x.dtype)), out, name)
    op.__name__ = op.__qualname__ = name
    return op


_INT_KERNELS = {"gcd": "gcd", "lcm": "lcm", "bitwise_left_shift": "lshift",
                "bitwise_right_shift": "rshift"}  # (_kernel_error adds "_cpu")
gcd = _int_kernel("gcd", np.gcd)
lcm = _int_kernel("lcm", np.lcm)
bitwise_left_shift = _int_kernel("bitwise_left_shift", np.left_shift)
bitwise_right_shift = _int_kernel("bitwise_right_shift", np.right_shift)


def nextafter(input, other, *, out=None):
    """The next representable float after ``input`` towards ``other``. 向 other 方向的下一个浮点数。"""
    x, y = _two_tensors("nextafter", input, other)
    if x.dtype.kind != "f":
        raise _kernel_error("nextafter", x)
    return _finish(_wrap(np.nextafter(x, y)), out, "nextafter")


def frexp(input, *, out=None):
    """(mantissa, exponent) with input = mantissa · 2^exponent, 0.5 ≤ |mantissa| < 1; the
    exponent as int32. 分解为尾数与 2 的指数。"""
    from .. import return_types
    x = input._data
    if x.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    m, e = np.frexp(x)
    return return_types.frexp(_wrap(m), _wrap(e.astype(np.int32)))


def _attach_methods():
    T = Tensor
    for n in ("mul", "div", "maximum", "minimum", "remainder", "floor_divide", "eq", "ne", "lt",
              "le", "gt", "ge", "bitwise_and", "bitwise_or", "bitwise_xor", "logical_and",
              "logical_or", "add", "sub", "pow", "neg", "exp", "log", "log2", "log1p", "sqrt",
              "rsqrt", "reciprocal", "abs", "sin", "cos", "tanh", "atan", "sigmoid", "relu",
              "tan", "log10", "expm1", "exp2", "sinh", "cosh", "asin", "acos", "trunc", "frac",
              "sign", "floor", "ceil", "round", "logical_not", "bitwise_not", "isnan", "isinf",
              "isfinite", "square", "clamp", "clamp_min", "clamp_max", "clip", "masked_fill", "subtract", "multiply",
              "divide", "true_divide", "negative", "xlogy", "fmod", "dist", "asinh", "acosh", "atanh", "arcsin", "arccos",
              "arctan", "arcsinh", "arccosh", "arctanh", "erfc", "logit", "sinc", "deg2rad",
              "rad2deg", "logical_xor", "fmax", "fmin", "logaddexp", "logaddexp2", "ldexp",
              "copysign", "heaviside", "float_power", "sgn", "signbit", "positive", "fix", "gcd",
              "lcm", "bitwise_left_shift", "bitwise_right_shift", "nextafter", "frexp"):
        setattr(T, n, globals()[n])
    T.greater, T.less, T.greater_equal, T.less_equal, T.not_equal = gt, lt, ge, le, ne
    T.absolute = abs
    T.__pos__ = positive
    for n, m in _LOGICAL_METHODS.items():
        setattr(T, n, m)
    T.where = lambda self, condition, other: where(condition, self, other)
    ok = (Tensor, int, float, np.ndarray, np.generic)

    def dunder(f):
        def method(a, b):
            if not isinstance(b, ok):
                return NotImplemented  # Python then raises its own TypeError, as with torch
            return f(a, b)
        return method

    T.__add__ = T.__radd__ = dunder(_add)
    T.__sub__ = dunder(_sub)
    T.__rsub__ = dunder(rsub)
    T.__mul__ = T.__rmul__ = dunder(mul)
    T.__truediv__ = dunder(div)
    T.__rtruediv__ = dunder(lambda a, b: mul(reciprocal(a), b) if not isinstance(b, Tensor)
                            else div(b, a))
    T.__floordiv__ = dunder(lambda a, b: floor_divide(a, b))
    T.__rfloordiv__ = dunder(lambda a, b: floor_divide(_tensor_arg(b, a), a))
    T.__mod__ = dunder(lambda a, b: remainder(a, b))
    T.__rmod__ = dunder(lambda a, b: remainder(_tensor_arg(b, a), a))
    T.__pow__ = dunder(lambda a, b: pow(a, b))
    T.__rpow__ = dunder(lambda a, b: pow(b, a))
    T.__neg__ = neg
    T.__abs__ = abs
    T.__invert__ = _invert
    T.__and__ = T.__rand__ = lambda a, b: bitwise_and(a, b)
    T.__or__ = T.__ror__ = lambda a, b: bitwise_or(a, b)
    T.__xor__ = T.__rxor__ = lambda a, b: bitwise_xor(a, b)
    T.__lshift__ = lambda a, b: bitwise_left_shift(a, b)
    T.__rshift__ = lambda a, b: bitwise_right_shift(a, b)
    T.__rlshift__ = lambda a, b: bitwise_left_shift(_tensor_arg(b, a), a)
    T.__rrshift__ = lambda a, b: bitwise_right_shift(_tensor_arg(b, a), a)
    T.__lt__, T.__le__, T.__gt__, T.__ge__ = lt, le, gt, ge
    T.__eq__ = lambda a, b: eq(a, b) if isinstance(b, (Tensor, int, float, np.ndarray)) \
        else NotImplemented
    T.__ne__ = lambda a, b: ne(a, b) if isinstance(b, (Tensor, int, float, np.ndarray)) \
        else NotImplemented


_attach_methods()
