"""Reductions: sum, mean, max/min (with indices), prod, var/std, all/any, softmax, logsumexp.

归约运算。``dim`` may be an int, a tuple or None (all); ``keepdim`` keeps reduced dims as 1.
"""
from __future__ import annotations

import builtins
import warnings

import numpy as np

from .. import return_types
from .._dtype import _by_np, _default
from .._tensor import _dim
from ..autograd.functions import reduction as F
from ..autograd.node import attach1
from ._util import REQUIRED, STATE, Tensor, _wrap, numpy_dim



def _dims(x, dim):
    """Reduced axes (None = all); a 0-d tensor has one dim for torch (``dim`` 0 or -1) and
    numpy none: reducing it over its dim is reducing over no axis."""
    if dim is None:
        return None
    n = x.ndim
    if type(dim) is tuple and n:  # fast path: distinct ints in range, as the library passes them
        for d in dim:
            if type(d) is not int or not -n <= d < n:
                break
        else:
            dims = tuple(sorted([d % n for d in dim]))
            if dims and len(set(dims)) == len(dims):
                return dims
    if isinstance(dim, (tuple, list)):
        if len(dim) == 0:
            return None
        _int_dims(dim)
        dims = tuple(sorted(_dim(d, x.ndim) for d in dim))
        if len(set(dims)) != len(dims):
            from .checks import _no_repeats
            _no_repeats(tuple(_dim(d, x.ndim) for d in dim))
    else:
        if type(dim) is not int:
            _int_dims((dim,))
        dims = (_dim(dim, x.ndim),)
    return dims if x.ndim else ()


def _int_dims(dims):
    """torch's TypeError for a dim that is not an int (``sum(1.5)``)."""
    for d in dims:
        if not hasattr(d, "__index__"):
            raise TypeError(f"received an invalid combination of arguments - got "
                            f"({type(d).__name__}), but expected one of: (int dim) or "
                            "(tuple of ints dim)")


def _nonempty(x, dims, name):
    """torch's IndexError for max-like reductions over an empty dim."""
    if x.size == 0:
        if dims is None:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                             "input.numel() == 0.")
        for d in dims:
            if x.shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _all_dims(x, name):
    if x.size == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                           "== 0. Specify the reduction dim with the 'dim' argument.")
    return tuple(range(x.ndim))


def _floating_only(x, what):
    if x.dtype.kind != "f":
        raise RuntimeError(what + _by_np[x.dtype]._name.capitalize().replace("Int64", "Long")
                           .replace("Int32", "Int").replace("Int16", "Short")
                           .replace("Int8", "Char").replace("Uint8", "Byte"))


def _no_axis(dim):
    """numpy's axes for torch's ``dim`` on a 0-d tensor (checked: 0 or -1): none."""
    _dim(dim, 0)
    return ()


def _axis(x, dim):
    """One axis for numpy (checked like torch); None for a 0-d tensor."""
    d = _dim(dim, x.ndim)
    return d if x.ndim else None


def _node(res, x, cls, shape, dims=None, keepdim=False, count=None, saved=None):
    node = cls()
    node.shape, node.dims, node.keepdim, node.count = shape, dims, keepdim, count
    if saved is not None:
        node.saved = saved
        # what it saved of the input / the result: watched for in-place changes (torch's
        # error) and rebuilt as graph tensors by create_graph
        d, r = x._data, res._data
        xin = builtins.any(a is d for a in saved)
        out = res if builtins.any(a is r for a in saved) else None
        if xin or out is not None:
            node.save_versions(*((x,) if xin else ()), out=out)
    attach1(res, node, x)
    return res


def _dtype_arg(x, dtype):
    return x if dtype is None else x.astype(dtype._np)


def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):  # noqa: A001
    """Sum of all elements, or along ``dim``. 求和（全部或沿 ``dim``）。``axis`` / ``keepdims``:
    torch's numpy-style names of ``dim`` / ``keepdim`` (so a formula runs on arrays and Tensors
    alike; 与 numpy 同名的参数 torch 也接受)."""
    if axis is not None:
        dim = numpy_dim("sum", dim, axis)
    if keepdims is not None:
        keepdim = keepdims
    x = _dtype_arg(input._data, dtype)
    if x.dtype.kind in "bu" or (x.dtype.kind == "i" and x.dtype.itemsize < 8):
        x = x.astype(np.int64)
    dims = _dims(x, dim)
    r = x.sum(axis=dims, keepdims=keepdim)
    res = _wrap(r)
    if STATE[0] and input._requires_grad:
        if dim is None:
            _node(res, input, F.SumBackward0, x.shape)
        else:
            _node(res, input, F.SumBackward1, x.shape, dims, keepdim)
    return res


def _np_mean(x, dims, keepdims):
    """numpy's mean without its warnings: torch gives nan (or inf) silently, also for an empty
    reduction, where numpy warns "Mean of empty slice"."""
    if x.size:
        with np.errstate(all="ignore"):
            return x.mean(axis=dims, keepdims=keepdims)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return x.mean(axis=dims, keepdims=keepdims)


def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Average of all elements, or along ``dim``. 平均值。"""
    if axis is not None:
        dim = numpy_dim("mean", dim, axis)
    if keepdims is not None:
        keepdim = keepdims
    x = _dtype_arg(input._data, dtype)
    if x.dtype.kind != "f":
        _floating_only(x, f"mean(): could not infer output dtype. "
                          f"{'Input' if dtype is None else 'Optional'} dtype must be either a "
                          "floating point or complex dtype. Got: ")
    dims = _dims(x, dim)
    r = _np_mean(x, dims, keepdim)
    res = _wrap(r)
    if STATE[0] and input._requires_grad:
        n = x.size // builtins.max(r.size, 1) if x.size else 0
        if dim is None:
            _node(res, input, F.MeanBackward0, x.shape, count=n)
        else:
            _node(res, input, F.MeanBackward1, x.shape, dims, keepdim, n)
    return res


def _extreme(input, dim, keepdim, other, is_max):
    if isinstance(dim, Tensor) or other is not None:  # max(a, b) = maximum
        from .pointwise import maximum, minimum
        return (maximum if is_max else minimum)(input, dim if other is None else other)
    x = input._data
    name = "max" if is_max else "min"
    if dim is None:
        if x.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        r = x.max() if is_max else x.min()
        res = _wrap(r)
        if STATE[0] and input._requires_grad:
            _node(res, input, F.MaxBackward1 if is_max else F.MinBackward1, x.shape,
                  saved=(x, res._data))
        return res
    d = _dim(dim, x.ndim)
    if x.size == 0:
        _nonempty(x, (d,), name)
    rt = return_types.max if is_max else return_types.min
    if x.ndim == 0:
        res = _wrap(x.copy())
        if STATE[0] and input._requires_grad:
            from ..autograd.functions.shape import identity_node
            attach1(res, identity_node("MaxBackward0" if is_max else "MinBackward0")(), input)
        return rt(res, _wrap(np.zeros((), np.int64)))
    idx = (x.argmax if is_max else x.argmin)(axis=d, keepdims=keepdim)
    vals = np.take_along_axis(x, idx if keepdim else np.expand_dims(idx, d), axis=d)
    if not keepdim:
        vals = vals.squeeze(d)
    res = _wrap(vals)
    if STATE[0] and input._requires_grad:
        _node(res, input, F.MaxBackward0 if is_max else F.MinBackward0, x.shape, (d,),
              keepdim, saved=(idx,))
    return rt(res, _wrap(idx.astype(np.int64, copy=False)))


def max(input, dim=None, keepdim=False, *, other=None, axis=None, keepdims=None):  # noqa: A001
    """Largest element; with ``dim``: (values, indices). 最大值；给定 dim 时返回 (值, 下标)。"""
    if axis is not None:
        dim = numpy_dim("max", dim, axis)
    if keepdims is not None:
        keepdim = keepdims
    return _extreme(input, dim, keepdim, other, True)


def min(input, dim=None, keepdim=False, *, other=None, axis=None, keepdims=None):  # noqa: A001
    """Smallest element; with ``dim``: (values, indices). 最小值。"""
    if axis is not None:
        dim = numpy_dim("min", dim, axis)
    if keepdims is not None:
        keepdim = keepdims
    return _extreme(input, dim, keepdim, other, False)


def amax(input, dim=(), keepdim=False, *, axis=None, keepdims=None):
    if axis is not None:  # torch's numpy-style names
        dim = numpy_dim("amax", dim, axis, ())
    if keepdims is not None:
        keepdim = keepdims
    x = input._data
    dims = _dims(x, dim) or _all_dims(x, "amax")
    _nonempty(x, dims, "amax")
    r = x.max(axis=dims, keepdims=keepdim)
    res = _wrap(r)
    if STATE[0] and input._requires_grad:
        _node(res, input, F.AmaxBackward0, x.shape, dims, keepdim, saved=(x, res._data))
    return res


def amin(input, dim=(), keepdim=False, *, axis=None, keepdims=None):
    if axis is not None:
        dim = numpy_dim("amin", dim, axis, ())
    if keepdims is not None:
        keepdim = keepdims
    x = input._data
    dims = _dims(x, dim) or _all_dims(x, "amin")
    _nonempty(x, dims, "amin")
    r = x.min(axis=dims, keepdims=keepdim)
    res = _wrap(r)
    if STATE[0] and input._requires_grad:
        _node(res, input, F.AminBackward0, x.shape, dims, keepdim, saved=(x, res._data))
    return res


def argmax(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """Index of the largest element (of the flattened tensor when dim is None). 最大值的下标。"""
    return _arg(input, numpy_dim("argmax", dim, axis),
                keepdim if keepdims is None else keepdims, "argmax")


def argmin(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    return _arg(input, numpy_dim("argmin", dim, axis),
                keepdim if keepdims is None else keepdims, "argmin")


def _arg(input, dim, keepdim, name):
    x = input._data
    if x.size == 0:
        _nonempty(x, None if dim is None else (_dim(dim, x.ndim),), name)
    if dim is None:
        r = getattr(x, name)()
        if keepdim:
            r = np.reshape(r, (1,) * x.ndim)
        return _wrap(np.asarray(r).astype(np.int64) if isinstance(r, np.generic) else
                     r.astype(np.int64))
    d = _axis(x, dim)
    if d is None:
        return _wrap(np.zeros_like(x, dtype=np.int64))
    return _wrap(getattr(x, name)(axis=d, keepdims=keepdim).astype(np.int64))


def prod(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    if axis is not None:
        dim = numpy_dim("prod", dim, axis)
    if keepdims is not None:
        keepdim = keepdims
    x = _dtype_arg(input._data, dtype)
    if x.dtype.kind in "bu" or (x.dtype.kind == "i" and x.dtype.itemsize < 8):
        x = x.astype(np.int64)
    if dim is None:
        res = _wrap(x.prod())
        if STATE[0] and input._requires_grad:
            _node(res, input, F.ProdBackward0, x.shape, saved=(x,))
        return res
    d = _axis(x, dim)
    res = _wrap(x.prod(axis=d, keepdims=keepdim))
    if STATE[0] and input._requires_grad:
        _node(res, input, F.ProdBackward1, x.shape, (d,) if d is not None else (), keepdim,
              saved=(x,))
    return res


def _warn_dof(n, c, what):
    if n - c <= 0:
        warnings.warn(f"{what}(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the reduction factor (input numel divided by output numel).",
                      UserWarning, stacklevel=3)


def _var_args(dim, unbiased, correction):
    if isinstance(dim, bool):  # var(unbiased) positional form
        unbiased, dim = dim, None
    if correction is None:
        correction = 1 if unbiased in (None, True) else 0
    return dim, correction


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=None):
    """Variance (Bessel-corrected by default, like torch). 方差（默认无偏）。"""
    if axis is not None:
        dim = numpy_dim("var", dim, axis)
    if keepdims is not None:
        keepdim = keepdims
    dim, c = _var_args(dim, unbiased, correction)
    x = input._data
    if x.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = _dims(x, dim)
    m = _np_mean(x, dims, True)
    xc = x - m
    n = x.size // builtins.max(m.size, 1)
    _warn_dof(n, c, "var")
    with np.errstate(all="ignore"):
        r = (xc * xc).sum(axis=dims, keepdims=keepdim) / builtins.max(n - c, 0)
    res = _wrap(r.astype(x.dtype, copy=False))
    if STATE[0] and input._requires_grad:
        _node(res, input, F.VarBackward0, x.shape, dims, keepdim, n - c, saved=(x,))
    return res


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=None):
    """Standard deviation (Bessel-corrected by default). 标准差。"""
    if axis is not None:
        dim = numpy_dim("std", dim, axis)
    if keepdims is not None:
        keepdim = keepdims
    dim, c = _var_args(dim, unbiased, correction)
    x = input._data
    if x.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = _dims(x, dim)
    m = _np_mean(x, dims, True)
    xc = x - m
    n = x.size // builtins.max(m.size, 1)
    _warn_dof(n, c, "std")
    with np.errstate(all="ignore"):
        r = np.sqrt((xc * xc).sum(axis=dims, keepdims=keepdim) / builtins.max(n - c, 0))
    res = _wrap(r.astype(x.dtype, copy=False))
    if STATE[0] and input._requires_grad:
        _node(res, input, F.StdBackward0, x.shape, dims, keepdim, n - c,
              saved=(x, res._data))
    return res


def _moments(name, input, dim, unbiased, keepdim, correction, root):
    """(variance or standard deviation, mean) over ``dim`` with one two-output node."""
    dim, c = _var_args(dim, unbiased, correction)
    x = input._data
    if x.dtype.kind != "f":
        raise RuntimeError(f"{name} only support floating point and complex dtypes")
    dims = _dims(x, dim)
    m = _np_mean(x, dims, True)
    xc = x - m
    n = x.size // builtins.max(m.size, 1)
    _warn_dof(n, c, name)
    with np.errstate(all="ignore"):
        r = (xc * xc).sum(axis=dims, keepdims=keepdim) / builtins.max(n - c, 0)
        if root:
            r = np.sqrt(r)
    if not keepdim:
        m = m.reshape(r.shape)
    res, mres = _wrap(r.astype(x.dtype, copy=False)), _wrap(m.astype(x.dtype, copy=False))
    if STATE[0] and input._requires_grad:
        node = (F.StdMeanBackward0 if root else F.VarMeanBackward0)()
        node.shape, node.dims, node.keepdim, node.count, node.n = x.shape, dims, keepdim, \
            n - c, n
        node.saved = (x, res._data) if root else (x,)
        node.save_versions(input, out=res if root else None)
        for i, o in enumerate((res, mres)):
            attach1(o, node, input)
            o._output_nr = i
    return res, mres


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(variance, mean) in one pass. 同时求方差与均值。"""
    return _moments("var_mean", input, dim, unbiased, keepdim, correction, False)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(standard deviation, mean) in one pass. 同时求标准差与均值。"""
    return _moments("std_mean", input, dim, unbiased, keepdim, correction, True)


def aminmax(input, *, dim=None, keepdim=False):
    """(min, max) of all elements or along ``dim``; named fields ``min`` and ``max``.
    同时求最小值与最大值。"""
    x = input._data
    if dim is None:
        if x.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                               "operation has no identity.")
        dims = tuple(range(x.ndim))
    else:
        d = _dim(dim, x.ndim)
        dims = (d,) if x.ndim else ()
        if x.ndim and x.shape[d] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
    lo = x.min(axis=dims, keepdims=keepdim) if x.ndim else x.copy()
    hi = x.max(axis=dims, keepdims=keepdim) if x.ndim else x.copy()
    res = return_types.aminmax(_wrap(lo), _wrap(hi))
    if STATE[0] and input._requires_grad:
        node = F.AminmaxBackward0()
        node.shape, node.dims, node.keepdim = x.shape, dims, keepdim
        node.saved = (x, lo, hi)
        node.save_versions(input)
        for i, o in enumerate(res):
            attach1(o, node, input)
            o._output_nr = i
    return res


def all(input, dim=None, keepdim=False, *, axis=None, keepdims=None):  # noqa: A001
    x = input._data
    return _wrap(x.all(axis=_dims(x, numpy_dim("all", dim, axis)),
                     keepdims=keepdim if keepdims is None else keepdims))


def any(input, dim=None, keepdim=False, *, axis=None, keepdims=None):  # noqa: A001
    x = input._data
    return _wrap(x.any(axis=_dims(x, numpy_dim("any", dim, axis)),
                     keepdims=keepdim if keepdims is None else keepdims))


def _float(x, dtype):
    if dtype is not None:
        return x.astype(dtype._np)
    return x if x.dtype.kind == "f" else x.astype(_default[0]._np)


def _kernel_check(x, dtype, kernel):
    if dtype is None and x.dtype.kind != "f":
        from .._dtype import scalar_name
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{scalar_name(_by_np[x.dtype])}'")


def softmax(input, dim=REQUIRED, dtype=None, *, axis=None):
    """exp(x) / sum(exp(x)) along ``dim`` (numerically stable). 沿 dim 的 softmax。"""
    if dim is REQUIRED or axis is not None:
        dim = numpy_dim("softmax", dim, axis, REQUIRED)
    _kernel_check(input._data, dtype, "softmax_lastdim_kernel_impl")
    if dtype is not None:  # torch casts first: a ToCopyBackward0 node before the softmax
        input = input.to(dtype)
    x = _float(input._data, dtype)
    d = _dim(dim, x.ndim) if x.ndim else _no_axis(dim)
    if x.size == 0:  # nothing to normalise (and no max to take)
        y = x.copy()
    else:
        e = np.exp(x - x.max(axis=d, keepdims=True))
        y = e / e.sum(axis=d, keepdims=True)
    res = _wrap(y)
    if STATE[0] and input._requires_grad:
        _node(res, input, F.SoftmaxBackward0, x.shape, (d,), saved=(res._data,))
    return res


def log_softmax(input, dim=REQUIRED, dtype=None, *, axis=None):
    """x - logsumexp(x) along ``dim``: ``nn.functional.log_softmax`` (one definition:
    ``torch.log_softmax`` and ``Tensor.log_softmax`` reach lesson 05's row too)."""
    if dim is REQUIRED or axis is not None:
        dim = numpy_dim("log_softmax", dim, axis, REQUIRED)
    from ..nn.functional import log_softmax as f
    return f(input, dim, dtype=dtype)


def logsumexp(input, dim=REQUIRED, keepdim=False, *, axis=None, keepdims=None):
    if dim is REQUIRED or axis is not None:
        dim = numpy_dim("logsumexp", dim, axis, REQUIRED)
    if keepdims is not None:
        keepdim = keepdims
    x = _float(input._data, None)
    dims = _dims(x, dim)
    m = x.max(axis=dims, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    r = np.log(np.exp(x - m).sum(axis=dims, keepdims=True)) + m
    if not keepdim:
        r = r.squeeze(dims)
    res = _wrap(r)
    if STATE[0] and input._requires_grad:
        _node(res, input, F.LogsumexpBackward0, x.shape, dims, keepdim, saved=(x, res._data))
    return res


def _running(name, input, dim, dtype, axis, kernel, cls, save):
    """cumsum / cumprod: integers run in int64 as torch's; a 0-d input is its own result."""
    if dim is REQUIRED or axis is not None:
        dim = numpy_dim(name, dim, axis, REQUIRED)
    x = _dtype_arg(input._data, dtype)
    if x.dtype.kind in "biu":
        x = x.astype(np.int64)
    d = _dim(dim, x.ndim)
    res = _wrap(kernel(x, axis=d) if x.ndim else x.copy())
    if STATE[0] and input._requires_grad:
        _node(res, input, cls, x.shape, (d,) if x.ndim else (),
              saved=(x, res._data) if save else None)
    return res


def cumsum(input, dim=REQUIRED, *, dtype=None, axis=None):
    return _running("cumsum", input, dim, dtype, axis, np.cumsum, F.CumsumBackward0, False)


def cumprod(input, dim=REQUIRED, *, dtype=None, axis=None):
    """Running product along ``dim``. 沿 dim 的累乘。"""
    return _running("cumprod", input, dim, dtype, axis, np.cumprod, F.CumprodBackward0, True)


def logcumsumexp(input, dim=REQUIRED, *, axis=None):
    """log(cumsum(exp(x))) along ``dim``, without overflow. 沿 dim 的 log-cumsum-exp（数值稳定）。"""
    if dim is REQUIRED or axis is not None:
        dim = numpy_dim("logcumsumexp", dim, axis, REQUIRED)
    x = input._data
    _kernel_check(x, None, "logcumsumexp_out_cpu")
    d = _dim(dim, x.ndim)
    res = _wrap(np.logaddexp.accumulate(x, axis=d) if x.ndim and x.size else x.copy())
    if STATE[0] and input._requires_grad:
        _node(res, input, F.LogcumsumexpBackward0, x.shape, (d,) if x.ndim else (),
              saved=(x, res._data))
    return res


def nansum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Sum treating nan as zero. 求和（nan 当作 0）。"""
    if axis is not None:
        dim = numpy_dim("nansum", dim, axis)
    if keepdims is not None:
        keepdim = keepdims
    x = _dtype_arg(input._data, dtype)
    if x.dtype.kind in "bu" or (x.dtype.kind == "i" and x.dtype.itemsize < 8):
        x = x.astype(np.int64)
    dims = _dims(x, dim)
    res = _wrap(np.nansum(x, axis=dims, keepdims=keepdim) if x.dtype.kind == "f"
                else x.sum(axis=dims, keepdims=keepdim))
    if STATE[0] and input._requires_grad:
        _node(res, input, F.NansumBackward0, x.shape, dims, keepdim, saved=(x,))
    return res


def nanmean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Mean of the elements that are not nan: ``nansum / count`` as torch composes it.
    不计 nan 的平均值。"""
    if axis is not None:
        dim = numpy_dim("nanmean", dim, axis)
    if keepdims is not None:
        keepdim = keepdims
    _floating_only(input._data, "nanmean(): expected input to have floating point or complex "
                                "dtype but got ")
    from .pointwise import isnan
    count = sum(~isnan(input), dim, keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """``torch.norm``: a vector p-norm (``linalg.vector_norm``) or, for ``"nuc"`` and the
    matrix orders of a string ``p`` over two dims, ``linalg.matrix_norm``. 范数。"""
    _dim = [dim] if isinstance(dim, int) else dim
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
            return vector_norm(input, 2, _dim, keepdim, dtype=dtype, out=out)
        from .linalg_api import matrix_norm
        return matrix_norm(input, p, list(range(input.ndim)) if _dim is None else _dim, keepdim,
                           dtype=dtype, out=out)
    return vector_norm(input, 2.0 if p is None else p, _dim, keepdim, dtype=dtype, out=out)


def _norm_dtype(x, dtype, what):
    """torch's input / ``dtype=`` checks of the linalg norms; the array to reduce."""
    from .._dtype import scalar_name
    if x.dtype.kind != "f":
        _floating_only(x, f"{what}: Expected a floating point or complex tensor as input. Got ")
    if dtype is None:
        return x
    if dtype._np.kind != "f":
        raise RuntimeError(f"{what}: dtype should be floating point or complex, but got "
                           f"{scalar_name(dtype)}")
    if dtype._np.itemsize < x.dtype.itemsize:
        raise RuntimeError(f"{what}: the dtype of the input ({scalar_name(_by_np[x.dtype])}) "
                           f"should be convertible without narrowing to the specified dtype "
                           f"({scalar_name(dtype)})")
    return x.astype(dtype._np)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """``linalg.vector_norm``: (Σ|xᵢ|^ord)^(1/ord) over ``dim`` (None: all elements); ord 0
    counts non-zeros, ±inf takes the largest / smallest |xᵢ|. 向量范数。"""
    a0 = _norm_dtype(x._data, dtype, "linalg.vector_norm")
    if isinstance(ord, Tensor):
        ord = ord.item()
    if isinstance(ord, (str, bool)) or not isinstance(ord, (int, float)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not "
                        f"{type(ord).__name__}")
    p = float(ord)
    dims = _dims(a0, dim)
    if (p < 0 or np.isinf(p)) and a0.size == 0:
        shown = ("" if p > 0 else "-") + "inf" if np.isinf(p) else f"{ord:g}"
        if dims is None:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {shown} norm on an empty "
                               "tensor because the operation does not have an identity")
        for d in dims:
            if a0.shape[d] == 0:  # torch's message lacks the space after the dim
                raise RuntimeError(f"linalg.vector_norm cannot compute the {shown} norm on the "
                                   f"dimension {d}because this dimension is empty and the "
                                   "operation does not have an identity")
    w = a0.astype(np.float32) if a0.dtype.itemsize < 4 else a0  # half: float accumulation
    a = np.abs(w)
    with np.errstate(all="ignore"):
        if p == 0:
            r = (a != 0).sum(axis=dims, keepdims=keepdim, dtype=w.dtype)
        elif p == np.inf:
            r = a.max(axis=dims, keepdims=keepdim)
        elif p == -np.inf:
            r = a.min(axis=dims, keepdims=keepdim)
        elif p == 1:
            r = a.sum(axis=dims, keepdims=keepdim)
        elif p == 2:
            r = np.sqrt((a * a).sum(axis=dims, keepdims=keepdim))
        else:
            r = (a ** p).sum(axis=dims, keepdims=keepdim) ** (1 / p)
    from .._backend import ensure_array
    res = _wrap(ensure_array(r, a0).astype(a0.dtype, copy=False))
    if STATE[0] and x._requires_grad:
        node = _node(res, x, F.LinalgVectorNormBackward0, a0.shape, dims, keepdim,
                     saved=(x._data, res._data))._grad_fn
        node.ord = p
    if out is not None:
        from .checks import write_out
        return write_out(out, res)
    return res


def _cumulative_inplace(f):
    def method(self, dim, *, dtype=None):
        from .inplace import _apply, check_inplace
        check_inplace(self, STATE[0] and self._requires_grad)
        return _apply(self, f(self, dim, dtype=dtype))
    method.__name__ = method.__qualname__ = f.__name__ + "_"
    return method


def _attach_methods():
    Tensor.cumsum_, Tensor.cumprod_ = _cumulative_inplace(cumsum), _cumulative_inplace(cumprod)
    for n in ("norm", "sum", "mean", "max", "min", "amax", "amin", "argmax", "argmin", "prod", "var",
              "std", "all", "any", "softmax", "log_softmax", "logsumexp", "cumsum", "cumprod",
              "logcumsumexp", "nansum", "nanmean", "aminmax"):
        setattr(Tensor, n, globals()[n])


_attach_methods()

