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
from ._util import STATE, Tensor, prep
from .index import check_inplace

_UFUNCS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide}


ERR_OVERLAP = ("unsupported operation: more than one element of the written-to tensor refers to a "
               "single memory location. Please clone() the tensor before performing the operation.")


def _writable(self):
    if not _backend.writeable(self._data):
        raise RuntimeError(ERR_OVERLAP)


def _commit(self, res):
    """Make ``self`` hold ``res`` (an out-of-place result that is part of the graph)."""
    r = res._data
    if r.shape != self._data.shape:
        raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the "
                           f"broadcast shape {list(r.shape)}")
    if r.dtype != self._data.dtype:
        if r.dtype.kind == "f" and self._data.dtype.kind != "f":
            raise RuntimeError(f"result type {scalar_name(_by_np[r.dtype])} can't be cast "
                               f"to the desired output type {scalar_name(_by_np[self._data.dtype])}")
        r = r.astype(self._data.dtype)
    if self._base is not None and self._base._requires_grad:
        raise NotImplementedError(
            "course_lib 不支持对计算图中张量的视图做原地运算。\n"
            "course_lib does not support in-place ops on a view of a tensor in the autograd "
            "graph; use the out-of-place op instead.")
    self._data = r
    self._ver[0] += 1
    node = res.grad_fn
    if node is not None and node._versions:  # the op's own node saved self's old array, which
        # stays intact (self now holds a new array), so it is not "modified by an inplace op"
        node._versions = [(v, self._ver[0] if v is self._ver else n, t)
                          for v, n, t in node._versions]
    self.grad_fn = res.grad_fn
    self._requires_grad = True
    self._output_nr = 0
    return self


def _binary_inplace(name):
    op = getattr(P, name)
    uf = _UFUNCS[name]

    def method(self, other, *, alpha=1):
        check_inplace(self)
        if STATE[0] and (self._requires_grad or
                         (isinstance(other, Tensor) and other._requires_grad)):
            res = op(self, other, alpha=alpha) if name in ("add", "sub") else op(self, other)
            return _commit(self, res)
        x = self._data
        if isinstance(other, Tensor):
            y = other._data
            if type(y) is not type(x):
                from ._util import same_device
                y = same_device(self, other)[1]
        else:
            y = other
        if alpha != 1:
            y = y * alpha
        try:
            uf(x, y, out=x, casting="same_kind")
        except ValueError as e:
            if "read-only" in str(e):
                raise RuntimeError(ERR_OVERLAP) from None
            if "broadcast" in str(e):
                shape = np.broadcast_shapes(x.shape, np.shape(y))
                raise RuntimeError(f"output with shape {list(x.shape)} doesn't match the "
                                   f"broadcast shape {list(shape)}") from None
            raise
        except TypeError:  # numpy's UFuncTypeError (a TypeError): float into int
            rt = prep(self, other)[0].dtype if not isinstance(other, Tensor) else \
                np.result_type(x, y)
            raise RuntimeError(f"result type {scalar_name(_by_np[rt])} can't be cast to the "
                               f"desired output type {scalar_name(_by_np[x.dtype])}") from None
        self._ver[0] += 1
        return self
    method.__name__ = name + "_"
    return method


def _unary_inplace(name):
    op = getattr(P, name)

    def method(self, *args, **kwargs):
        check_inplace(self)
        res = op(self, *args, **kwargs)
        if res.grad_fn is not None:
            return _commit(self, res)
        self._data[...] = res._data
        self._ver[0] += 1
        return self
    method.__name__ = name + "_"
    return method


def zero_(self):
    """Fill with zeros in place. 就地置零。"""
    check_inplace(self)
    _writable(self)
    self._data[...] = 0
    self._ver[0] += 1
    return self


def fill_(self, value):
    """Fill with ``value`` in place. 就地填充。"""
    check_inplace(self)
    _writable(self)
    self._data[...] = value.item() if isinstance(value, Tensor) else value
    self._ver[0] += 1
    return self


def copy_(self, src, non_blocking=False):
    """Copy ``src``'s values (broadcast, any device/dtype) into this tensor. 就地拷贝。"""
    check_inplace(self)
    _writable(self)
    x = self._data
    s = src._data if isinstance(src, Tensor) else np.asarray(src)
    if type(s) is not type(x):
        s = _backend.transfer(s, _backend.device_of(x))
    try:
        x[...] = s
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({x.shape[-1] if x.ndim else 1}) must match the "
                           f"size of tensor b ({s.shape[-1] if s.ndim else 1}) at non-singleton "
                           "dimension 0") from None
    self._ver[0] += 1
    if STATE[0] and isinstance(src, Tensor) and src._requires_grad:
        from ..autograd.functions.pointwise import CloneBackward0
        from ..autograd.node import attach
        node = CloneBackward0()
        node.saved = ()
        attach(self, node, (src,))
    return self


def _random_fill(self, a):
    check_inplace(self)
    a = a.astype(self._data.dtype)
    self._data[...] = a if _backend.is_cpu(self._data) else \
        _backend.transfer(a, _backend.device_of(self._data))
    self._ver[0] += 1
    return self


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with normal random numbers in place. 用正态随机数就地填充。"""
    return _random_fill(self, rng(generator).normal(mean, std, self._data.shape))


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill with uniform random numbers from [a, b) in place. 用均匀随机数就地填充。"""
    return _random_fill(self, rng(generator).uniform(a, b, self._data.shape))


def bernoulli_(self, p=0.5, *, generator=None):
    return _random_fill(self, rng(generator).random(self._data.shape) < p)


def random_(self, low=0, high=None, *, generator=None):
    if high is None:
        low, high = 0, low
    return _random_fill(self, rng(generator).integers(low, high, self._data.shape))


def masked_fill_(self, mask, value):
    check_inplace(self)
    if STATE[0] and self._requires_grad:
        return _commit(self, P.masked_fill(self, mask, value))
    v = value.item() if isinstance(value, Tensor) else value
    np.copyto(self._data, self._data.dtype.type(v), where=mask._data)
    self._ver[0] += 1
    return self


def pow_(self, exponent):
    check_inplace(self)
    res = P.pow(self, exponent)
    if res.grad_fn is not None:
        return _commit(self, res)
    self._data[...] = res._data
    self._ver[0] += 1
    return self


def _attach_methods():
    T = Tensor
    for n in ("add", "sub", "mul", "div"):
        setattr(T, n + "_", _binary_inplace(n))
    T.__iadd__, T.__isub__, T.__imul__ = T.add_, T.sub_, T.mul_
    T.__itruediv__ = T.div_
    T.subtract_, T.multiply_, T.divide_ = T.sub_, T.mul_, T.div_
    for n in ("neg", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
              "clamp", "floor", "ceil", "round", "sign", "reciprocal", "square"):
        setattr(T, n + "_", _unary_inplace(n))
    T.clip_ = T.clamp_
    for f in (zero_, fill_, copy_, normal_, uniform_, bernoulli_, random_, masked_fill_, pow_):
        setattr(T, f.__name__, f)
    T.__ipow__ = pow_


_attach_methods()
_ = prep
