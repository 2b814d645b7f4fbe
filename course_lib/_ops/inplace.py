"""In-place ops (``add_``, ``mul_``, ``zero_``, ``copy_`` …): write into the tensor's memory.

原地运算：直接写入张量的内存（视图也会看到变化），并增加版本号以保证反向传播安全。
Without a graph they use numpy ``out=`` (no temporaries, as an optimiser needs). When the tensor
is part of the graph, the result gets a new ``grad_fn`` like in torch.
"""
from __future__ import annotations

import numpy as np

from .. import _backend
from .._dtype import _by_np, scalar_name
from ..random import rng
from . import pointwise as P
from ..autograd import views as _views
from ..autograd.functions import shape as F
from ..autograd.node import attach1, edge
from ..autograd.views import check_inplace
from ._util import STATE, Tensor, check_broadcast, prep

_UFUNCS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide}


ERR_OVERLAP = ("unsupported operation: more than one element of the written-to tensor refers to a "
               "single memory location. Please clone() the tensor before performing the operation.")
ERR_EXPANDED = ("Use of {} on expanded tensors is deprecated. Please clone() the tensor before "
                "performing this operation. This also applies to advanced indexing e.g. "
                "tensor[{}")
ERR_PARTIAL = ("unsupported operation: some elements of the input tensor and the written-to "
               "tensor refer to a single memory location. Please clone() the tensor before "
               "performing the operation.")


def overlaps(a):
    """torch's ``has_internal_overlap``: a dimension of size > 1 with stride 0 (expand)."""
    for n, st in zip(a.shape, a.strides):
        if st == 0 and n > 1:
            return True
    return False


def target(self, fill=False):
    """The array an in-place op writes into: ``self._data``, or a writable alias of it when it
    is a read-only (expanded) numpy view. torch's RuntimeError when several elements share one
    memory location — except for ``fill=True`` ops (``fill_``, ``zero_``, ``masked_fill_``),
    which torch allows. 原地运算要写入的数组；多个元素共享同一内存时按 torch 报错。"""
    x = self._data
    if _backend.writeable(x):
        if type(x) is not np.ndarray and not fill and overlaps(x):  # cupy: always writeable
            raise RuntimeError(ERR_OVERLAP)
        return x
    if not fill and overlaps(x):
        raise RuntimeError(ERR_OVERLAP)
    w = x.view()
    try:
        w.flags.writeable = True
    except ValueError:  # memory that numpy itself holds read-only
        raise RuntimeError(ERR_OVERLAP) from None
    return w


def shape_error(xs, ys):
    """torch's error for an in-place result of shape broadcast(xs, ys) != xs."""
    shape = check_broadcast(xs, ys)  # raises torch's error when they do not broadcast
    return RuntimeError(f"output with shape {list(xs)} doesn't match the broadcast shape "
                        f"{list(shape)}")


def _no_partial_overlap(self, other):
    """torch's error when an operand partly overlaps the written-to tensor (``a.add_(a[0])``)."""
    if other is self or other._ver is not self._ver:  # different memory (cheap test first)
        return
    a, b = self._data, other._data
    if type(a) is not np.ndarray or type(b) is not np.ndarray:
        return
    if a.__array_interface__["data"][0] == b.__array_interface__["data"][0] and \
            a.shape == b.shape and a.strides == b.strides:
        return  # the same elements: fine
    if np.may_share_memory(a, b):
        raise RuntimeError(ERR_PARTIAL)


def _cast_check(x, r):
    if r.dtype != x.dtype and r.dtype.kind == "f" and x.dtype.kind != "f":
        raise RuntimeError(f"result type {scalar_name(_by_np[r.dtype])} can't be cast "
                           f"to the desired output type {scalar_name(_by_np[x.dtype])}")


def _apply(self, res):
    """Write ``res`` (the op computed out of place) into ``self``'s memory; when ``res`` has a
    ``grad_fn``, it becomes ``self``'s (on a view: the base's ``CopySlices``), as in torch."""
    x, r = self._data, res._data
    if r.shape != x.shape:
        raise RuntimeError(f"output with shape {list(x.shape)} doesn't match the "
                           f"broadcast shape {list(r.shape)}")
    _cast_check(x, r)
    x = target(self)
    node = res._grad_fn
    if node is not None:
        _views.fix_saved(node, self, res)
    x[...] = r
    self._ver[0] += 1
    if node is not None:
        _views.finish_saved(node, self)
        _views.rebase(self, node)
    return self


def _commit(self, res):  # the name other modules import
    return _apply(self, res)


def _binary_inplace(name):
    op = getattr(P, name)
    uf = _UFUNCS[name]
    is_sub = name == "sub"

    def method(self, other, *, alpha=1):
        if type(alpha) is not int and not isinstance(alpha, (int, float)):
            raise TypeError(f"{name}_(): argument 'alpha' must be Number, not "
                            f"{type(alpha).__name__}")
        if is_sub and (self._data.dtype.kind == "b" or (
                other._data.dtype.kind == "b" if type(other) is Tensor else
                type(other) is not float and type(other) is not int)):
            P.no_bool_sub(self, other)
        ot = isinstance(other, Tensor)
        if ot:
            _no_partial_overlap(self, other)
        if STATE[0] and (self._requires_grad or (ot and other._requires_grad)):
            check_inplace(self, True)
            res = op(self, other, alpha=alpha) if name in ("add", "sub") else op(self, other)
            return _apply(self, res)
        x = self._data
        if ot:
            y = other._data
            if type(y) is not type(x):
                from ._util import same_device
                y = same_device(self, other)[1]
        else:
            y = other
        if ot and y.shape != x.shape and check_broadcast(x.shape, y.shape) != x.shape:
            raise shape_error(x.shape, y.shape)
        if alpha != 1:
            y = y * alpha
        try:
            uf(x, y, out=x, casting="same_kind")
        except ValueError as e:
            if "read-only" not in str(e):
                raise shape_error(x.shape, np.shape(y)) from None
            ro = True  # an expanded (read-only) view: write through an alias, if torch allows
        except TypeError:  # numpy's UFuncTypeError (a TypeError): float into int
            raise RuntimeError(f"result type {scalar_name(_by_np[_result(self, other, name)])} can't be "
                               f"cast to the desired output type "
                               f"{scalar_name(_by_np[x.dtype])}") from None
        else:
            ro = False
        if ro:
            w = target(self)
            uf(w, y, out=w, casting="same_kind")
        self._ver[0] += 1
        return self
    method.__name__ = name + "_"
    return method


def _result(self, other, name):
    """torch's result dtype of ``self ∘ other`` (other a Tensor or a Python number)."""
    from .._dtype import result_type
    rt = result_type(self, other)._np
    if name == "div" and rt.kind in "iub":
        from .._dtype import _default
        rt = _default[0]._np
    return np.dtype(rt)


def _unary_inplace(name, module=P):
    op = getattr(module, name)
    clamps = name in ("clamp", "clamp_min", "clamp_max")

    def method(self, *args, **kwargs):
        check_inplace(self, STATE[0] and self._requires_grad)
        res = op(self, *args, **kwargs)
        if clamps and res._data.dtype != self._data.dtype:  # the clamp kernels' message
            from .checks import _C_NAMES
            x, r = self._data, res._data
            if r.dtype.kind == "f" and x.dtype.kind != "f":
                raise RuntimeError(f"result type {scalar_name(_by_np[r.dtype])} can't be cast "
                                   f"to the desired output type {_C_NAMES[x.dtype.name]}")
        return _apply(self, res)
    method.__name__ = name + "_"
    return method


def _unary_inplace_nodiff(name, node_cls):
    """In-place form whose derivative torch does not implement (``asinh_`` → AsinhBackward1):
    values as the op, a node that raises at backward."""
    op = getattr(P, name)

    def method(self):
        prev = STATE[0]
        diff = prev and self._requires_grad
        check_inplace(self, diff)
        STATE[0] = False
        try:
            res = op(self)
        finally:
            STATE[0] = prev
        if diff:
            node = node_cls()
            node.saved = ()
            attach1(res, node, self)
        return _apply(self, res)
    method.__name__ = method.__qualname__ = name + "_"
    return method


def _overwrite(self, node_cls, write, value=None, fill=False):
    """An in-place op that overwrites every element: ``write(array)`` does it; in the graph the
    old value gets a zero gradient (``ZeroBackward0``, ``FillBackward2`` …)."""
    vt = value if isinstance(value, Tensor) else None
    diff = STATE[0] and (self._requires_grad or (vt is not None and vt._requires_grad))
    check_inplace(self, diff)
    x = target(self, fill)
    node = None
    if diff:
        node = node_cls()
        node.vshape = vt._data.shape if vt is not None and vt._requires_grad else None
        node.vdtype = vt._data.dtype if vt is not None else None
        node.next_functions = (edge(self),) if value is None else (edge(self), edge(vt))
    write(x)
    self._ver[0] += 1
    if node is not None:
        _views.rebase(self, node)
    return self


def zero_(self):
    """Fill with zeros in place. 就地置零。"""
    def write(x):
        x[...] = 0
    return _overwrite(self, F.ZeroBackward0, write, fill=True)


def _scalar_of(value):
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        return _backend.to_numpy(value._data).item()
    return value


def fill_(self, value):
    """Fill with ``value`` in place. 就地填充。"""
    v = _scalar_of(value)

    def write(x):
        x[...] = v
    if isinstance(value, Tensor):
        return _overwrite(self, F.FillBackward3, write, value, fill=True)
    return _overwrite(self, F.FillBackward2, write, fill=True)


def fill_scalar_tensor(self, value):
    """``self[...] = 5.``: torch fills with a 0-d tensor (``FillBackward3``, no edge for it)."""
    v = _scalar_of(value)

    def write(x):
        x[...] = v
    return _overwrite(self, F.FillBackward3, write, value if isinstance(value, Tensor) else 0,
                      fill=True)


def copy_(self, src, non_blocking=False):
    """Copy ``src``'s values (broadcast, any device/dtype) into this tensor. 就地拷贝。"""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not "
                        f"{type(src).__name__}")
    _no_partial_overlap(self, src)
    s = src._data
    if s.shape != self._data.shape:
        xs = self._data.shape
        if check_broadcast(xs, s.shape) != xs:
            raise shape_error(xs, s.shape)

    def write(x):
        nonlocal s
        if type(s) is not type(x):
            s = _backend.transfer(s, _backend.device_of(x))
        x[...] = s
    return _overwrite(self, F.CopyBackwards, write, src)


def _random_fill(self, node_cls, draw):
    def write(x):
        a = draw(x.shape).astype(x.dtype)
        x[...] = a if _backend.is_cpu(x) else _backend.transfer(a, _backend.device_of(x))
    return _overwrite(self, node_cls, write)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with normal random numbers in place. 用正态随机数就地填充。"""
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    return _random_fill(self, F.NormalBackward0, lambda s: rng(generator).normal(mean, std, s))


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill with uniform random numbers from [a, b) in place. 用均匀随机数就地填充。"""
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a:g} "
                           f"> to={b:g}")
    return _random_fill(self, F.UniformBackward0, lambda s: rng(generator).uniform(a, b, s))


def _continuous(self, what):
    if self._data.dtype.kind != "f":
        raise RuntimeError(f"{what} distribution is a continuous probability distribution. dtype "
                           f"must be a floating point but you specified "
                           f"{scalar_name(_by_np[self._data.dtype])}")


def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with Exp(lambd) random numbers in place. 用指数分布随机数就地填充。"""
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    _continuous(self, "Exponential")
    return _random_fill(self, F.ExponentialBackward0,
                        lambda s: rng(generator).exponential(1.0 / lambd, s))


def geometric_(self, p, *, generator=None):
    """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, …)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    return _random_fill(self, F.GeometricBackward0, lambda s: rng(generator).geometric(p, s))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma:g}")
    _continuous(self, "Cauchy")
    return _random_fill(self, F.CauchyBackward0,
                        lambda s: median + sigma * rng(generator).standard_cauchy(s))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fill with e^N(mean, std²) random numbers in place. 用对数正态随机数就地填充。"""
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
    _continuous(self, "LogNormal")
    return _random_fill(self, F.LogNormalBackward0,
                        lambda s: rng(generator).lognormal(mean, std, s))


def bernoulli_(self, p=0.5, *, generator=None):
    return _random_fill(self, F.BernoulliBackward2, lambda s: rng(generator).random(s) < p)


def random_(self, low=None, high=None, *, generator=None):
    node = F.RandomBackward2 if low is None else \
        (F.RandomBackward1 if high is None else F.RandomBackward0)
    dt = self._data.dtype
    if low is None:  # torch: [0, 2**mantissa] for floats, [0, max] for integers
        low, high = 0, (2 ** (np.finfo(dt).nmant + 1) + 1 if dt.kind == "f" else
                        (2 if dt.kind == "b" else int(np.iinfo(dt).max)))
    elif high is None:
        low, high = 0, low
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    return _random_fill(self, node, lambda s: rng(generator).integers(low, high, s))


def masked_fill_(self, mask, value):
    diff = STATE[0] and self._requires_grad
    check_inplace(self, diff)
    if diff:
        return _apply(self, P.masked_fill(self, mask, value))
    P.check_mask(self, mask, value, inplace=True)
    x = target(self, fill=True)
    if x is not self._data and overlaps(x):
        import warnings
        warnings.warn(ERR_EXPANDED.format("masked_fill_", "mask] = scalar"), UserWarning,
                      stacklevel=2)
    v = value.item() if isinstance(value, Tensor) else value
    np.copyto(x, x.dtype.type(v), where=mask._data)
    self._ver[0] += 1
    return self


def pow_(self, exponent):
    check_inplace(self, STATE[0] and (self._requires_grad or (
        isinstance(exponent, Tensor) and exponent._requires_grad)))
    return _apply(self, P.pow(self, exponent))


def _binary_new(name, module=P):
    """In-place form of a binary op without a fast path (``xlogy_``, ``fmod_``): the op out of
    place, written back by ``_apply`` (torch's shape and dtype errors)."""
    op = getattr(module, name)

    def method(self, other):
        ot = isinstance(other, Tensor)
        if ot:
            _no_partial_overlap(self, other)
        check_inplace(self, STATE[0] and (self._requires_grad or (ot and other._requires_grad)))
        return _apply(self, op(self, other))
    method.__name__ = method.__qualname__ = name + "_"
    return method


xlogy_ = _binary_new("xlogy")


def float_power_(self, exponent):
    if self._data.dtype != np.float64:
        raise RuntimeError(f"the base given to float_power_ has dtype {scalar_name(self.dtype)} "
                           "but the operation's result requires dtype Double")
    return pow_(self, exponent)


def _compare_inplace(name):
    """``x.eq_(y)`` …: the comparison written into x as 1 / 0 in x's dtype; in the graph x gets a
    zero gradient (torch's EqBackward0 with a number, EqBackward1 with a tensor …)."""
    op = getattr(P, name)
    nodes = [getattr(F, f"{name.capitalize()}Backward{k}") for k in (0, 1)]

    def method(self, other):
        res = op(self, other)._data
        if res.shape != self._data.shape:
            raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the "
                               f"broadcast shape {list(res.shape)}")

        def write(x):
            x[...] = res
        t = isinstance(other, Tensor)
        return _overwrite(self, nodes[t], write, other if t else None)
    method.__name__ = method.__qualname__ = name + "_"
    return method


def _attach_methods():
    T = Tensor
    T.xlogy_, T.fmod_ = xlogy_, _binary_new("fmod")
    for n in ("copysign", "ldexp", "heaviside", "logical_and", "logical_or", "logical_xor",
              "gcd", "lcm", "bitwise_left_shift", "bitwise_right_shift", "nextafter"):
        setattr(T, n + "_", _binary_new(n))
    T.__ilshift__, T.__irshift__ = T.bitwise_left_shift_, T.bitwise_right_shift_
    for n in ("eq", "ne", "lt", "le", "gt", "ge"):
        setattr(T, n + "_", _compare_inplace(n))
    T.greater_, T.less_, T.greater_equal_ = T.gt_, T.lt_, T.ge_
    T.less_equal_, T.not_equal_ = T.le_, T.ne_
    from . import special
    T.hypot_ = _binary_new("hypot", special)
    T.atan2_ = T.arctan2_ = _binary_new("atan2", special)
    T.float_power_ = float_power_
    for n in ("add", "sub", "mul", "div"):
        setattr(T, n + "_", _binary_inplace(n))
    T.__iadd__, T.__isub__, T.__imul__ = T.add_, T.sub_, T.mul_
    T.__itruediv__ = T.div_
    T.subtract_, T.multiply_, T.divide_ = T.sub_, T.mul_, T.div_
    for n in ("neg", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
              "clamp", "clamp_min", "floor", "ceil", "round", "sign", "reciprocal", "square",
              "acos", "asin", "atan", "sinh", "cosh", "tan", "exp2", "expm1", "log10", "log1p",
              "log2", "negative", "rsqrt", "trunc", "frac", "clamp_max", "erfc", "logit",
              "sinc", "deg2rad", "rad2deg", "sgn"):
        setattr(T, n + "_", _unary_inplace(n))
    for n in ("erf", "erfinv", "nan_to_num"):
        setattr(T, n + "_", _unary_inplace(n, special))
    T.clip_, T.absolute_, T.fix_ = T.clamp_, T.abs_, T.trunc_
    from ..autograd.functions import pointwise as PF
    for n in ("asinh", "acosh", "atanh"):
        setattr(T, n + "_", _unary_inplace_nodiff(n, getattr(PF, n.capitalize() + "Backward1")))
    T.arcsin_, T.arccos_, T.arctan_ = T.asin_, T.acos_, T.atan_
    T.arcsinh_, T.arccosh_, T.arctanh_ = T.asinh_, T.acosh_, T.atanh_
    for f in (zero_, fill_, copy_, normal_, uniform_, bernoulli_, random_, masked_fill_, pow_,
              exponential_, geometric_, cauchy_, log_normal_):
        setattr(T, f.__name__, f)
    T.__ipow__ = pow_


_attach_methods()
_ = prep
