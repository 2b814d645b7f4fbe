"""Selecting and ordering: sort, argsort, topk, gather, index_select, narrow, select, tril/triu,
nonzero, unique, and small helpers (``broadcast_to``, ``moveaxis``, ``tile``, ``lerp`` …).

选择与排序类运算，以及若干小工具。
"""
from __future__ import annotations

import numpy as np

from .. import return_types
from .._tensor import _dim, _view_of
from ..autograd.functions import shape as F
from ..autograd.node import attach
from ._util import STATE, Tensor, _wrap, numpy_axis, numpy_dim


def _node(res, x, cls, saved=None, watch=None, **attrs):
    """``res``'s node ``cls`` with edge to ``x``; ``watch``: the index (or mask) tensor whose
    array it keeps (an in-place change of it is then torch's error at backward)."""
    if STATE[0] and x._requires_grad:
        node = cls()
        if saved is not None:
            node.saved = saved
        if watch is not None:
            node.save_versions(indices=(watch,))
        for k, v in attrs.items():
            setattr(node, k, v)
        attach(res, node, (x,))
    return res


def sort(input, dim=-1, descending=False, stable=False, *, axis=None):
    """Sorted values and their indices along ``dim``. 排序，返回 (值, 下标)。"""
    if axis is not None:  # torch's numpy-style name of dim
        dim = numpy_dim("sort", dim, axis, -1)
    x = input._data
    d = _dim(dim, x.ndim)
    if x.ndim == 0:  # torch: one element, index 0
        return return_types.sort(_scalar_pick(input, "SortBackward0"), _wrap(np.zeros((), np.int64)))
    idx = np.argsort(-x if descending else x, axis=d, kind="stable")
    vals = np.take_along_axis(x, idx, axis=d)
    res = _node(_wrap(vals), input, F.SortBackward0, (idx,), shape=x.shape, dim=d)
    return return_types.sort(res, _wrap(idx.astype(np.int64)))


def _scalar_pick(input, name):
    """A 0-d tensor's value as a new tensor (sort/topk/gather of a 0-d tensor)."""
    return _node(_wrap(input._data.copy()), input, F.identity_node(name))


def argsort(input, dim=-1, descending=False, stable=False, *, axis=None):
    return sort(input, numpy_dim("argsort", dim, axis, -1), descending, stable).indices


def topk(input, k, dim=-1, largest=True, sorted=True, *, axis=None):  # noqa: A002
    """The ``k`` largest (or smallest) values along ``dim`` and their indices. 前 k 个。"""
    if axis is not None:
        dim = numpy_dim("topk", dim, axis, -1)
    x = input._data
    d = _dim(dim, x.ndim)
    if k < 0 or (k > x.shape[d] if x.ndim else k > 1):
        raise RuntimeError("selected index k out of range")
    if x.ndim == 0:
        return return_types.topk(_scalar_pick(input, "TopkBackward0") if k else input.reshape(0)[:0],
                                 _wrap(np.zeros(() if k else (0,), np.int64)))
    idx = np.argsort(-x if largest else x, axis=d, kind="stable")
    idx = np.take(idx, np.arange(k), axis=d)
    vals = np.take_along_axis(x, idx, axis=d)
    res = _node(_wrap(vals), input, F.TopkBackward0, (idx,), shape=x.shape, dim=d)
    return return_types.topk(res, _wrap(idx.astype(np.int64)))


def _check_index(what, x, d, idx):
    """torch's errors for a gather/scatter index: integer dtype, same ndim, within bounds."""
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"{what}(): Expected dtype int32/int64 for index")
    if max(idx.ndim, 1) != max(x.ndim, 1):  # torch counts a 0-d tensor as one dim here
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if what == 'gather' else 'self'} tensor")
    if x.ndim:
        _check_bounds(idx, d, x.shape[d])


def _check_bounds(idx, d, n):
    """torch's error for the first index outside ``[0, n)`` along dim ``d``."""
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        flat = idx.ravel()
        bad = flat[np.argmax((flat < 0) | (flat >= n))]
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")


@numpy_axis
def gather(input, dim, index):
    """``out[i][j] = input[i][index[i][j]]`` for dim 1 (and likewise for other dims). 按下标收集。"""
    x = input._data
    d = _dim(dim, x.ndim)
    idx = index._data
    _check_index("gather", x, d, idx)
    if x.ndim == 0:
        if idx.size and np.any(idx != 0):
            raise RuntimeError("index 1 is out of bounds for dimension 0 with size 1")
        from .shape import expand
        return expand(input, idx.shape) if idx.shape else _scalar_pick(input, "GatherBackward0")
    if idx.ndim == 0:  # a 0-d index of a 1-d input: one element, a 0-d result
        idx = idx.reshape(1)
        return _node(_wrap(x[idx].reshape(())), input, F.GatherBackward0, (idx,), index,
                     shape=x.shape, dim=d)
    vals = np.take_along_axis(x, idx, axis=d) if idx.shape == x.shape else \
        x[F._along(idx, d)]
    return _node(_wrap(vals), input, F.GatherBackward0, (idx,), index, shape=x.shape, dim=d)


@numpy_axis
def take_along_dim(input, indices, dim=None):
    """numpy's ``take_along_axis``: ``gather`` along ``dim`` after broadcasting ``input`` and
    ``indices`` against each other in the other dims (``dim=None``: of the flattened input).

    沿 ``dim`` 按下标取值（其余维度先互相广播）；``dim=None`` 时在展平的输入上取。
    """
    from .shape import expand

    if indices._data.dtype != np.int64:
        from .._dtype import _from_np, scalar_name
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{scalar_name(_from_np(indices._data.dtype))}")
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    d = _dim(dim, input.dim())
    if input.dim() != indices.dim():
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.dim()} dimensions for input, "
                           f"and {indices.dim()} dimensions for indices")
    from ..functional import broadcast_shapes

    want = list(input.shape)
    want[d] = indices.shape[d]
    idx = expand(indices, broadcast_shapes(want, indices.shape))
    want = list(indices.shape)
    want[d] = input.shape[d]
    return gather(expand(input, broadcast_shapes(want, input.shape)), d, idx)


@numpy_axis
def index_select(input, dim, index):
    x = input._data
    d = _dim(dim, x.ndim)
    idx = index._data
    if idx.dtype.kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    n = x.shape[d] if x.ndim else 1
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        flat = idx.ravel()
        bad = flat[np.argmax((flat < 0) | (flat >= n))]
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={n}")
    if x.ndim == 0:  # torch: the 0-d tensor itself (index must be [0] or 0)
        return _node(_wrap(np.take(x.reshape(1), idx.reshape(-1)).reshape(())), input,
                     F.IndexSelectBackward0, (idx.reshape(()),), index, shape=x.shape, dim=0)
    idx = idx.reshape(-1)  # a 0-d index picks like a one-element vector (torch keeps the dim)
    res = _wrap(np.take(x, idx, axis=d))
    return _node(res, input, F.IndexSelectBackward0, (idx,), index, shape=x.shape, dim=d)


@numpy_axis
def narrow(input, dim, start, length):
    """``length`` elements of dim ``dim`` from ``start`` (a view). 沿 dim 截取一段（视图）。"""
    from .index import _step

    x = input._data
    if x.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = _dim(dim, x.ndim)
    n = x.shape[d]
    start, length = int(start), int(length)
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got "
                         f"{start})")
    if start < 0:
        start += n
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    ix = (slice(None),) * d + (slice(start, start + length),)
    return _step(input, x[ix], F.SliceBackward0, ix, False)


@numpy_axis
def select(input, dim, index):
    if input._data.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _dim(dim, input._data.ndim)
    n = input._data.shape[d]
    if isinstance(index, int) and not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input._data.shape)} at dimension {d}")
    return input[(slice(None),) * d + (index,)]


def _two_dims(input, what):
    if input._data.ndim < 2:
        raise RuntimeError(f"{what}: input tensor must have at least 2 dimensions")


def tril(input, diagonal=0):
    _two_dims(input, "tril")
    return _node(_wrap(np.tril(input._data, diagonal)), input, F.TrilBackward0, k=diagonal)


def triu(input, diagonal=0):
    _two_dims(input, "triu")
    return _node(_wrap(np.triu(input._data, diagonal)), input, F.TriuBackward0, k=diagonal)


def nonzero(input, *, as_tuple=False):
    idx = np.nonzero(input._data)
    if as_tuple:
        return tuple(_wrap(i.astype(np.int64)) for i in idx)
    return _wrap(np.stack(idx, axis=1).astype(np.int64))


argwhere = nonzero


def count_nonzero(input, dim=None, *, axis=None):
    if axis is not None:
        dim = numpy_dim("count_nonzero", dim, axis)
    x = input._data
    if dim is not None:
        dims = tuple(_dim(d, x.ndim) for d in (dim if isinstance(dim, (tuple, list)) else (dim,)))
        dim = dims if x.ndim else None
    return _wrap(np.asarray(np.count_nonzero(x, axis=dim))).long()


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
    r = np.unique(input._data, return_inverse=return_inverse, return_counts=return_counts,
                  axis=dim)
    if not isinstance(r, tuple):
        return _wrap(r)
    out = [_wrap(r[0])] + [_wrap(a.astype(np.int64).reshape(input._data.shape)
                                 if return_inverse and i == 1 else a.astype(np.int64))
                           for i, a in enumerate(r[1:], 1)]
    return tuple(out)


def broadcast_to(input, size):
    from .shape import expand

    return expand(input, size)


def moveaxis(input, source, destination):
    from .shape import permute

    nd = input._data.ndim
    if nd == 0:  # torch: dims 0/-1 only, and an alias
        for d in ([source] if isinstance(source, int) else source):
            _dim(d, 0)
        from .index import _step
        return _step(input, input._data[...], F.AliasBackward0, None, False)
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) "
                           f"should contain the same number of dims as destination ({dst} dims)")
    src = [_dim(s, nd) for s in src]
    dst = [_dim(s, nd) for s in dst]
    for name, ds in (("source", src), ("destination", dst)):
        if len(set(ds)) != len(ds):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({ds})")
    order = [i for i in range(nd) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, order)


movedim = moveaxis


def tile(input, dims):
    from .shape import repeat

    from .checks import _shape_arg

    dims = _shape_arg((dims,), "tile", "dims")
    nd = input._data.ndim
    if len(dims) < nd:
        dims = (1,) * (nd - len(dims)) + dims
    return repeat(input, dims)


def lerp(input, end, weight):
    """``input + weight * (end - input)``. 线性插值。"""
    from ..autograd.functions.pointwise import LerpBackward0
    from ._util import prep

    wt = isinstance(weight, Tensor)
    for name, t in (("end", end),) + ((("weight", weight),) if wt else ()):
        if input._data.dtype != t._data.dtype:
            from .linalg import _name
            raise RuntimeError(f"expected dtype {_name(input)} for `{name}` but got dtype "
                               f"{_name(t)}")
    if input._data.dtype.kind != "f":
        from .._dtype import _by_np, scalar_name
        kernel = "tensor" if wt else "scalar"
        raise NotImplementedError(f'"lerp_kernel_{kernel}" not implemented '
                                  f"for '{scalar_name(_by_np[input._data.dtype])}'")
    if wt:
        return _lerp_tensor(input, end, weight)
    x, y, _ = prep(input, end)
    if x.shape != np.shape(y):
        from ._util import check_broadcast
        check_broadcast(x.shape, np.shape(y))
    res = _wrap(x + weight * (y - x))
    if STATE[0] and (input._requires_grad or end._requires_grad):
        node = LerpBackward0()
        node.meta = ((input._data.shape, input._data.dtype), (end._data.shape, end._data.dtype))
        node.alpha = weight
        attach(res, node, (input, end))
    return res


def _lerp_tensor(input, end, weight):
    """lerp with a tensor ``weight`` (torch's kernel: from the nearer end), LerpBackward1."""
    from ..autograd.functions.reduction import LerpBackward1
    from ._util import check_broadcast, same_device

    x, y = same_device(input, end)
    w = same_device(input, weight)[1]
    shape = check_broadcast(check_broadcast(x.shape, y.shape), w.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        d = y - x
        out = np.where(np.abs(w) < 0.5, x + w * d, y - d * (1 - w))
    res = _wrap(np.broadcast_to(out, shape).copy() if out.shape != shape else out)
    ins = (input, end, weight)
    if STATE[0] and any(t._requires_grad for t in ins):
        node = LerpBackward1()
        node.saved = (x, y, w)
        node.meta = tuple((t._data.shape, t._data.dtype) for t in ins)
        node.save_versions(*ins)
        attach(res, node, ins)
    return res


def addcmul(input, tensor1, tensor2, *, value=1):
    return input + value * (tensor1 * tensor2)


def addcdiv(input, tensor1, tensor2, *, value=1):
    return input + value * (tensor1 / tensor2)


def masked_select(input, mask):
    """The elements where ``mask`` is True, as a 1-D tensor. 取出掩码为 True 的元素。"""
    x = input._data
    if mask._data.dtype.kind != "b":
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    from ._util import check_broadcast
    m = np.broadcast_to(mask._data, check_broadcast(mask._data.shape, x.shape))
    if m.shape != x.shape:
        raise NotImplementedError("course_lib: masked_select needs a mask of the input's shape "
                                  "or one that broadcasts to it / 掩码形状须可广播到输入形状")
    return _node(_wrap(x[m]), input, F.MaskedSelectBackward0, watch=mask, shape=x.shape, index=m,
                 advanced=False)


@numpy_axis
def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    """``self[i][index[i][j]] = src[i][j]`` along ``dim`` (in place, no autograd). 按下标写入。"""
    from .index import check_inplace

    diff = STATE[0] and (self._requires_grad or (isinstance(src, Tensor) and src._requires_grad))
    check_inplace(self, diff)
    if diff:
        raise NotImplementedError("course_lib: scatter_ 不支持求导 / scatter_ does not support "
                                  "autograd; use one_hot or where instead.")
    x = self._data
    d = _dim(dim, x.ndim)
    _check_index("scatter", x, d, index._data)
    v = src if src is not None else value
    v = v._data if isinstance(v, Tensor) else v
    ix = index._data
    if ix.ndim == 0:  # 0-d index (and 0-d/1-d self): one element, as a one-element vector
        ix = ix.reshape(1)
        if x.ndim == 0:
            x = x.reshape(1)  # a view: the writes reach self
        if hasattr(v, "shape"):
            v = v.reshape(-1)
    idx = F._along(ix, d)
    if isinstance(v, np.ndarray) or hasattr(v, "shape"):
        v = v[tuple(slice(0, n) for n in ix.shape)]
    if reduce == "add":
        np.add.at(x, idx, v)
    elif reduce == "multiply":
        np.multiply.at(x, idx, v)
    else:
        x[idx] = v
    self._ver[0] += 1
    return self


@numpy_axis
def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """Out of place ``scatter_``; differentiable in ``input`` and ``src`` (torch's
    ScatterBackward0 / ScatterBackward1 for a value) when nothing is reduced."""
    from .shape import clone

    src_t = isinstance(src, Tensor)
    diff = STATE[0] and (input._requires_grad or (src_t and src._requires_grad))
    with _no_grad():
        res = scatter_(clone(input), dim, index, src, value, reduce=reduce)
    if diff:
        if reduce is not None:
            raise NotImplementedError(
                "course_lib: scatter(reduce=...) 不支持求导 / scatter with reduce does not "
                "support autograd.")
        d = _dim(dim, input._data.ndim)
        ix = index._data
        if ix.ndim == 0:  # one element, as scatter_ reads it
            ix = ix.reshape(1)
        node = (F.ScatterBackward0 if src_t else F.ScatterBackward1)()
        node.saved, node.dim = (ix,), d
        node.save_versions(indices=(index,))
        node.src_shape = tuple(src._data.shape) if src_t and src._requires_grad else None
        if input._data.ndim == 0 or (src_t and src._data.ndim == 0):
            raise NotImplementedError(
                "course_lib: 0 维张量的 scatter 不支持求导 / scatter on 0-d tensors does not "
                "support autograd.")
        attach(res, node, (input, src if src_t else None))
    return res


def _arg_check(fn, method, **args):
    """torch's TypeError for a ``dim`` that is no int or an input/index/src that is no Tensor
    (positions as torch counts them: the method has no ``input``)."""
    for pos, (name, v) in enumerate(args.items(), 0 if method else 1):
        if name == "dim":
            if isinstance(v, bool) or not hasattr(v, "__index__") or isinstance(v, Tensor):
                raise TypeError(f"{fn}(): argument 'dim' (position {pos}) must be int, not "
                                f"{type(v).__name__}")
        elif not isinstance(v, Tensor):
            raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Tensor, not "
                            f"{type(v).__name__}")


def _scatter_add_arrays(input, d, index, src):
    """The arrays of ``input``, ``index``, ``src`` after torch's checks for scatter_add (dtypes,
    then shapes as ATen's scatter_shape_check, then bounds), on ``input``'s device."""
    from .._backend import device_of, transfer
    from .._device import common_device

    dev = common_device(input, index, src)
    x, ix, s = (a if device_of(a) == dev else transfer(a, dev)
                for a in (input._data, index._data, src._data))
    if ix.size and ix.dtype != np.int64 and ix.dtype != np.int32:
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if s.dtype != x.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    if ix.size == 0:
        return x, ix, s
    nd = max(x.ndim, 1)  # torch counts a 0-d tensor as one dim of size 1
    if max(ix.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")

    def size(a, k):
        return a.shape[_dim(k, a.ndim)] if a.ndim else 1

    if any(k != d and size(ix, k) > size(x, k) for k in range(nd)) or \
            any(size(ix, k) > size(s, k) for k in range(nd)):
        raise RuntimeError(f"Expected index {list(ix.shape)} to be no larger than self "
                           f"{list(x.shape)} apart from dimension {d} and to be no larger size "
                           f"than src {list(s.shape)}")
    if max(s.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    _check_bounds(ix, d, size(x, d))
    return x, ix, s


def _scatter_add(input, dim, index, src, name="scatter_add", method=False):
    _arg_check(name, method, input=input, dim=dim, index=index, src=src)
    d = _dim(dim, input._data.ndim)
    x, ix, s = _scatter_add_arrays(input, d, index, src)
    out = x.copy()
    if ix.size:
        one = ix.reshape(1) if ix.ndim == 0 else ix  # 0-d pieces count as one element
        s1 = s.reshape(1) if s.ndim == 0 else s
        F._add_at(out.reshape(1) if out.ndim == 0 else out, F._along(one, d),
                  s1[tuple(slice(0, n) for n in one.shape)])
    res = _wrap(out)
    if STATE[0] and (input._requires_grad or src._requires_grad):
        node = F.ScatterAddBackward0()
        node.saved, node.dim = (ix,), d
        node.save_versions(indices=(index,))
        node.src_shape = tuple(src._data.shape) if src._requires_grad else None
        attach(res, node, (input, src))
    return res


@numpy_axis
def scatter_add(input, dim, index, src):
    """``out = input.clone(); out[i][index[i][j]] += src[i][j]`` for dim 1 (likewise for other
    dims); repeated indices add up. 按下标累加：重复的下标会相加。"""
    return _scatter_add(input, dim, index, src)


def _scatter_add_method(name):
    """Tensor.scatter_add (``name`` only words torch's argument errors; ``_inplace_from``
    names the in-place one)."""
    @numpy_axis
    def scatter_add(self, dim, index, src):
        return _scatter_add(self, dim, index, src, name, True)
    scatter_add.__qualname__ = "scatter_add"
    return scatter_add


def take(input, index):
    """The elements of the flattened ``input`` at ``index`` (negative counts from the end),
    shaped like ``index``. 按扁平下标取元素，结果形状同 index。"""
    _arg_check("take", False, input=input, index=index)
    from .._backend import device_of, transfer
    from .._device import common_device

    x, i = input._data, index._data
    if i.dtype != np.int64:
        from .._dtype import _from_np, scalar_name
        raise RuntimeError("take(): Expected a long tensor for index, but got "
                           f"{scalar_name(_from_np(i.dtype))}")
    n = x.size
    if n == 0 and i.size:
        raise IndexError("take(): tried to take from an empty tensor")
    if i.size and (i.min() < -n or i.max() >= n):
        flat = i.ravel()
        bad = flat[np.argmax((flat < -n) | (flat >= n))]
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} "
                         "elements.")
    dev = common_device(input, index)
    if device_of(i) != dev:
        i = transfer(i, dev)
    pos = np.where(i < 0, i + n, i)
    from .._backend import ensure_array
    res = _wrap(ensure_array(x.reshape(-1)[pos], x))
    return _node(res, input, F.TakeBackward0, (pos,), index, shape=x.shape)


def _index_add(input, dim, index, source, alpha=1, name="index_add", method=False):
    _arg_check(name, method, input=input, dim=dim, index=index, source=source)
    x = input._data
    d = _dim(dim, x.ndim)
    idx, s = index._data, source._data
    if idx.dtype != np.int64 and idx.dtype != np.int32:
        from .._dtype import _from_np, scalar_name
        raise RuntimeError("index_add_(): Expected dtype int32/int64 for index but got: "
                           f"{scalar_name(_from_np(idx.dtype))}")
    if idx.ndim > 1:
        from .._dtype import _from_np, scalar_name
        raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: "
                         f"{idx.ndim} with type: {scalar_name(_from_np(idx.dtype))} and size: "
                         f"{list(idx.shape)}")
    ns = s.shape[d] if s.ndim else 1
    if idx.size != ns:
        raise RuntimeError(f"index_add_(): Number of indices ({idx.size}) should be equal to "
                           f"source.size(dim): ({ns}), for dim: {d}")
    if s.dtype != x.dtype:
        from .._dtype import _from_np, scalar_name
        raise RuntimeError(f"index_add_(): self ({scalar_name(_from_np(x.dtype))}) and source "
                           f"({scalar_name(_from_np(s.dtype))}) must have the same scalar type")
    xs, ss = list(x.shape) or [1], list(s.shape) or [1]
    if x.ndim != s.ndim or any(a != b for k, (a, b) in enumerate(zip(xs, ss)) if k != d):
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(x.shape)} "
                           f"source.shape = {list(s.shape)}")
    from ._util import same_device
    _, idx = same_device(input, index)
    _, s = same_device(input, source)
    idx = idx.reshape(-1)
    if alpha != 1 and idx.size and (idx.min() < 0 or idx.max() >= xs[d]):
        raise IndexError("index out of range in self")  # torch's kernel for alpha != 1
    _check_bounds(idx, d, xs[d])
    out = x.copy()
    a = alpha if x.dtype.kind == "f" else int(alpha)
    v = s * a if a != 1 else s
    F._add_at(out.reshape(xs), (slice(None),) * d + (idx,), v.reshape(ss))
    res = _wrap(out)
    if STATE[0] and (input._requires_grad or source._requires_grad):
        node = F.IndexAddBackward0()
        node.saved, node.dim, node.alpha = (idx,), d, alpha
        node.src_shape = tuple(s.shape) if source._requires_grad else None
        if source._requires_grad:  # torch keeps the index for source's gradient only
            node.save_versions(indices=(index,))
        attach(res, node, (input, source))
    return res


@numpy_axis
def index_add(input, dim, index, source, *, alpha=1):
    """``out = input.clone(); out.select(dim, index[i]) += alpha * source.select(dim, i)``;
    repeated indices add up. 沿 dim 按下标累加 source 的切片（重复下标会相加）。"""
    return _index_add(input, dim, index, source, alpha)


def _index_add_method(name):
    @numpy_axis
    def index_add(self, dim, index, source, *, alpha=1):
        return _index_add(self, dim, index, source, alpha, name, True)
    index_add.__qualname__ = "index_add"
    return index_add


def _slice_index(name, input, dim, index, method, **more):
    """(array, wrapped dim, 1-D index array on the input's device) for index_fill / index_copy
    after torch's argument checks; negative indices count from the end only for index_fill."""
    from ._util import same_device

    _arg_check(name, method, input=input, dim=dim, index=index, **more)
    x = input._data
    d = _dim(dim, x.ndim)
    idx = index._data
    if name.startswith("index_fill"):
        if idx.dtype != np.int64:
            raise IndexError("index_fill_(): Expected dtype int64 for index.")
        if idx.ndim > 1:
            raise RuntimeError("Index has to be a vector/scalar")
    else:
        if idx.dtype != np.int64:
            from .._dtype import _from_np, scalar_name
            raise RuntimeError("index_copy_(): Expected a long tensor for index, but got "
                               f"{scalar_name(_from_np(idx.dtype))}")
        if idx.ndim > 1:
            raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {idx.ndim})")
    n = x.shape[d] if x.ndim else 1
    idx = same_device(input, index)[1].reshape(-1)
    if idx.size:
        lo, hi = int(idx.min()), int(idx.max())
        bad = hi if hi >= n else (lo if lo < (-n if name.startswith("index_fill") else 0) else None)
        if bad is not None:
            pre = "" if name.startswith("index_fill") else "index_copy_(): "
            raise IndexError(f"{pre}index {bad} is out of bounds for dimension {d} with size {n}")
    return x, d, idx


def _index_fill(input, dim, index, value, name="index_fill", method=False):
    vt = isinstance(value, Tensor)
    x, d, idx = _slice_index(name, input, dim, index, method)
    if vt and value._data.ndim:
        raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value._data.ndim} dimension(s).")
    out = x.copy()
    out.reshape(x.shape or (1,))[(slice(None),) * d + (idx,)] = value._data if vt else value
    res = _wrap(out)
    if STATE[0] and (input._requires_grad or (vt and value._requires_grad)):
        node = F.IndexFillBackward1() if vt else F.IndexFillBackward0()
        node.saved, node.dim = (idx,), d
        attach(res, node, (input, value) if vt else (input,))
    return res


@numpy_axis
def index_fill(input, dim, index, value):
    """A copy with the slices ``index`` of ``dim`` set to ``value`` (a number or a 0-d tensor).
    把 dim 维上 index 指定的切片填成 value。"""
    return _index_fill(input, dim, index, value)


def _index_copy(input, dim, index, source, name="index_copy", method=False):
    x, d, idx = _slice_index(name, input, dim, index, method, source=source)
    s = source._data
    if s.dtype != x.dtype:
        from .._dtype import _from_np, scalar_name
        raise RuntimeError("index_copy_(): self and source expected to have the same dtype, but "
                           f"got (self) {scalar_name(_from_np(x.dtype))} and (source) "
                           f"{scalar_name(_from_np(s.dtype))}")
    if s.ndim and x.ndim and s.ndim != x.ndim:
        raise IndexError("index_copy_(): When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({s.ndim}), "
                         f"destination dimensionality ({x.ndim})")
    ns = s.shape[d] if s.ndim > d else 1
    if idx.size != ns:
        raise IndexError(f"index_copy_(): Number of indices ({idx.size}) should be equal to "
                         f"source.size(dim) ({ns})")
    xs, ss = list(x.shape) or [1], list(s.shape) or [1]
    dst, src = xs[:d] + xs[d + 1:], ss[:d] + ss[d + 1:]
    if dst != src:
        raise RuntimeError("index_copy_(): Source/destination tensor must have same slice shapes. "
                           f"Destination slice shape: {' '.join(map(str, dst))} at dimension {d} "
                           f"and source slice shape: {' '.join(map(str, src))} at dimension 0.")
    from ._util import same_device
    s = same_device(input, source)[1]
    out = x.copy()
    out.reshape(xs)[(slice(None),) * d + (idx,)] = s.reshape(ss)
    res = _wrap(out)
    if STATE[0] and (input._requires_grad or source._requires_grad):
        node = F.IndexCopyBackward0()
        node.saved, node.dim, node.src_shape = (idx,), d, tuple(s.shape)
        attach(res, node, (input, source))
    return res


@numpy_axis
def index_copy(input, dim, index, source):
    """A copy with ``source``'s slices written to the slices ``index`` of ``dim``.
    把 source 的切片写到 dim 维上 index 指定的位置。"""
    return _index_copy(input, dim, index, source)


def _slice_method(fn, name):
    @numpy_axis
    def method(self, dim, index, value):
        return fn(self, dim, index, value, name, True)
    method.__name__ = method.__qualname__ = name.rstrip("_")
    return method


def unravel_index(indices, shape):
    """The coordinates in ``shape`` of flat positions, taken modulo the number of elements (so
    negative ones count from the end): a tuple of tensors, one per dim. 把一维下标换成各维坐标。"""
    from .._dtype import _from_np

    if not isinstance(indices, Tensor):
        raise TypeError(f"unravel_index(): argument 'indices' must be Tensor, not "
                        f"{type(indices).__name__}")
    i = indices._data
    if i.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {_from_np(i.dtype)}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if any(s < 0 for s in shape):
        raise ValueError("'shape' cannot have negative values, but got " + str(shape))
    n = int(np.prod(shape))
    if n == 0:
        raise RuntimeError("ZeroDivisionError")
    from .._backend import xp_of
    xp = xp_of(i)
    return tuple(_wrap(c.astype(np.int64)) for c in xp.unravel_index(i % n, shape))


def _region_scatter(input, src, node_cls, region, **attrs):
    """A copy of input with ``src`` written over ``region`` (an index of the copy)."""
    x, s = input._data, src._data
    target = x[region]
    if target.shape != s.shape:
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = "
                           f"{list(s.shape)}, slice size = {list(target.shape)}")
    out = x.copy()
    out[region] = s
    res = _wrap(out)
    if STATE[0] and (input._requires_grad or src._requires_grad):
        keep = np.ones(x.shape, dtype=x.dtype)
        keep[region] = 0
        node = node_cls()
        node.keep, node.src_shape = keep, s.shape
        for k, v in attrs.items():
            setattr(node, k, v)
        attach(res, node, (input, src))
    return res


def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    """A copy of input with ``src`` in the slice start:end:step of ``dim``. 把 src 写入切片。"""
    d = _dim(dim, input._data.ndim)
    index = (slice(None),) * d + (slice(start, end, step),)
    return _region_scatter(input, src, F.SliceScatterBackward0, index, index=index)


def select_scatter(input, src, dim, index):
    """A copy of input with ``src`` at position ``index`` of ``dim``. 把 src 写入某一位置。"""
    d = _dim(dim, input._data.ndim)
    n = input._data.shape[d]
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {d}")
    region = (slice(None),) * d + (index,)
    return _region_scatter(input, src, F.SelectScatterBackward0, region, index=region)


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """A copy of input with ``src`` on its diagonal (``offset``, over dim1 and dim2).
    把 src 写到对角线上。"""
    from .linalg_api import _diagonal_view
    x, s = input._data, src._data
    a, b = _dim(dim1, x.ndim), _dim(dim2, x.ndim)
    out = x.copy()
    diag = _diagonal_view(out, offset, a, b)  # a writable view of the copy's diagonal
    if diag.shape != s.shape:
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = "
                           f"{list(s.shape)}, slice size = {list(diag.shape)}")
    diag[...] = s
    res = _wrap(out)
    if STATE[0] and (input._requires_grad or src._requires_grad):
        keep = np.ones(x.shape, dtype=x.dtype)
        _diagonal_view(keep, offset, a, b)[...] = 0
        node = F.DiagonalScatterBackward0()
        node.keep, node.src_shape = keep, s.shape
        node.offset, node.dims = offset, (a, b)
        attach(res, node, (input, src))
    return res


def _masked_scatter(input, mask, source, name="masked_scatter"):
    m = mask._data
    if m.dtype != np.bool_:
        from .._dtype import _from_np, scalar_name
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype "
                           f"{scalar_name(_from_np(m.dtype))}")
    x, s = input._data, source._data
    m = np.broadcast_to(m, x.shape)
    k = int(m.sum())
    if k > s.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    out = x.copy()
    out[m] = s.reshape(-1)[:k]
    res = _wrap(out)
    if STATE[0] and (input._requires_grad or source._requires_grad):
        node = F.MaskedScatterBackward0()
        node.keep, node.src_shape, node.mask = (~m).astype(x.dtype), s.shape, m
        attach(res, node, (input, source))
    return res


def masked_scatter(input, mask, source):
    """A copy of input with source's elements, in order, where ``mask`` is True.
    按掩码依次写入 source 的元素。"""
    return _masked_scatter(input, mask, source)


def _put(input, index, source, accumulate=False):
    x, i, s = input._data, index._data, source._data
    if i.dtype != np.int64:
        from .._dtype import _from_np, scalar_name
        raise RuntimeError("put_(): Expected a long tensor for index, but got "
                           f"{scalar_name(_from_np(i.dtype))}")
    if i.size != s.size:
        raise IndexError("put_(): Expected source and index to have the same number of elements, "
                         f"but got source.numel() = {s.size}, index.numel() = {i.size}")
    n = x.size
    if i.size and (i.min() < -n or i.max() >= n):
        flat = i.ravel()
        bad = flat[np.argmax((flat < -n) | (flat >= n))]
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} "
                         "elements.")
    pos = np.where(i < 0, i + n, i).reshape(-1)
    out = x.copy()
    if accumulate:
        np.add.at(out.reshape(-1), pos, s.reshape(-1))
    else:
        out.reshape(-1)[pos] = s.reshape(-1)
    res = _wrap(out)
    if STATE[0] and (input._requires_grad or source._requires_grad):
        keep = np.ones(x.size, dtype=x.dtype)
        if not accumulate:
            keep[pos] = 0
        node = F.PutBackward0()
        node.keep, node.src_shape, node.index = keep.reshape(x.shape), s.shape, pos
        attach(res, node, (input, source))
    return res


def put(input, index, source, accumulate=False):
    """A copy of input with ``source`` at the flat positions ``index`` (added with
    ``accumulate``). 按扁平下标写入（或累加）。"""
    return _put(input, index, source, accumulate)


def _put_index(input, indices, values, name, method):
    """numpy's index for torch's ``indices`` (a tuple or list of tensors), after torch's
    argument checks."""
    from .index import _index

    p = 1 if method else 2
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"{name}(): argument 'indices' (position {p}) must be tuple of Tensors, "
                        f"not {type(indices).__name__}")
    for k, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument {p - 1}, but got "
                            f"{type(t).__name__}")
    if not isinstance(values, Tensor):
        raise TypeError(f"{name}(): argument 'values' (position {p + 1}) must be Tensor, not "
                        f"{type(values).__name__}")
    x = input._data
    used = sum(t._data.ndim if t._data.dtype.kind == "b" or t._data.dtype == np.uint8 else 1
               for t in indices)
    if used > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim} (got {used})")
    if values._data.dtype != x.dtype:
        from .._dtype import _from_np, scalar_name
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{scalar_name(_from_np(x.dtype))} for the destination and "
                           f"{scalar_name(_from_np(values._data.dtype))} for the source.")
    return _index(tuple(indices), x)[0]


def _index_put(input, indices, values, accumulate=False, name="index_put", method=False):
    from ._util import same_device
    from .index import _numpy_index_error, _write

    ix = _put_index(input, indices, values, name, method)
    out = input._data.copy()
    v = same_device(input, values)[1]
    if accumulate:
        try:
            sel = out[ix].shape
        except IndexError as e:
            raise _numpy_index_error(e, out) from None
        try:
            np.broadcast_shapes(v.shape, sel)
        except ValueError:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(v.shape)} cannot "
                               f"be broadcast to indexing result of shape {list(sel)}") from None
        F._add_at(out, ix, v)
    else:
        _write(out, ix, v)
    res = _wrap(out)
    if STATE[0] and (input._requires_grad or values._requires_grad):
        node = (F.IndexPutAccumulate if accumulate else F.IndexPutBackward0)()
        node.index = ix
        node.vshape = tuple(v.shape) if values._requires_grad else None
        node.vdtype = v.dtype
        node.save_versions(indices=tuple(indices))
        attach(res, node, (input, values))
    return res


def index_put(input, indices, values, accumulate=False):
    """``out = input.clone(); out[indices] = values`` (``accumulate=True``: ``+=``, repeated
    indices adding up). 按下标元组写入 values（accumulate=True 时累加，重复下标相加）。"""
    return _index_put(input, indices, values, accumulate)


def _index_put_method(name):
    def index_put(self, indices, values, accumulate=False):
        return _index_put(self, indices, values, accumulate, name, True)
    index_put.__qualname__ = "index_put"
    return index_put


def _no_grad():
    from ..autograd.grad_mode import no_grad

    return no_grad()


def bernoulli(input, p=None, *, generator=None):
    """0/1 samples with probabilities ``input`` (or ``p``). 伯努利采样。"""
    from ..random import rng

    if p is not None and not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    probs = input._data if p is None else np.full(input._data.shape, p)
    if p is None and probs.size and (probs.min() < 0 or probs.max() > 1):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could "
                           "this error message be improved?  If so, please report an enhancement "
                           "request to PyTorch.)")
    from .._backend import to_numpy, transfer, device_of
    r = rng(generator).random(probs.shape) < to_numpy(probs)
    return _wrap(transfer(r.astype(input._data.dtype), device_of(input._data)))


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Indices drawn with probabilities proportional to the rows of ``input``. 多项分布采样。"""
    from .._backend import device_of, to_numpy, transfer
    from ..random import rng

    p = to_numpy(input._data).astype(np.float64)
    rows = p.reshape(-1, p.shape[-1])
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if not np.all(np.isfinite(rows)) or np.any(rows < 0):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if np.any(rows.sum(axis=1) <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    g = rng(generator)
    out = np.stack([g.choice(rows.shape[1], num_samples, replace=replacement, p=r / r.sum())
                    for r in rows])
    out = out.reshape(p.shape[:-1] + (num_samples,)).astype(np.int64)
    return _wrap(transfer(out, device_of(input._data)))


def _inplace_from(fn):
    def method(self, *args, **kwargs):
        from .inplace import _apply, check_inplace

        check_inplace(self, STATE[0] and (self._requires_grad or any(
            isinstance(a, Tensor) and a._requires_grad for a in args)))
        return _apply(self, fn(self, *args, **kwargs))
    method.__name__ = fn.__name__ + "_"
    return method


def _attach_methods():
    T = Tensor
    for n in ("sort", "argsort", "topk", "gather", "take_along_dim", "index_select", "narrow", "select", "tril",
              "triu", "nonzero", "argwhere", "count_nonzero", "unique", "broadcast_to",
              "moveaxis", "movedim", "tile", "lerp", "addcmul", "addcdiv", "masked_select",
              "scatter", "scatter_", "bernoulli", "multinomial"):
        setattr(T, n, globals()[n])
    T.scatter_add = _scatter_add_method("scatter_add")
    T.scatter_add_ = _inplace_from(_scatter_add_method("scatter_add_"))
    T.take = take
    T.index_add = _index_add_method("index_add")
    T.index_add_ = _inplace_from(_index_add_method("index_add_"))
    T.masked_scatter, T.put = masked_scatter, put
    T.masked_scatter_ = _inplace_from(masked_scatter)
    T.put_ = _inplace_from(put)
    T.index_fill = _slice_method(_index_fill, "index_fill")
    T.index_fill_ = _inplace_from(_slice_method(_index_fill, "index_fill_"))
    T.index_copy = _slice_method(_index_copy, "index_copy")
    T.index_copy_ = _inplace_from(_slice_method(_index_copy, "index_copy_"))
    T.index_put = _index_put_method("index_put")
    T.index_put_ = _inplace_from(_index_put_method("index_put_"))
    for f in (lerp, addcmul, addcdiv, tril, triu):
        setattr(T, f.__name__ + "_", _inplace_from(f))


_ = _view_of
_attach_methods()


def index_put_(input, indices, values, accumulate=False):
    """In-place ``index_put``. 原地版 index_put。"""
    return Tensor.index_put_(input, indices, values, accumulate)


# -- order statistics: median, nanmedian, kthvalue, mode, quantile, msort, cummax / cummin ------
def _red(name):
    from ..autograd.functions import reduction as R

    return getattr(R, name)


def _on(x, a):
    """``a`` (made from numpy helpers such as ``arange``) on ``x``'s device."""
    from .._backend import device_of, on_device

    return a if type(a) is type(x) else on_device(a, device_of(x))


def _not_for(x, kernel, kinds="b"):
    """torch's NotImplementedError of a kernel that refuses ``x``'s dtype."""
    if x.dtype.kind in kinds:
        from .._dtype import _from_np, scalar_name
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{scalar_name(_from_np(x.dtype))}'")


def _nonempty_dim(x, d, name):
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _pick_at(input, d, keepdim, idx, name, rt):
    """``rt(values, indices)``: one element per slice along ``d`` at the indices ``idx``
    (kept dim of size 1); the values' node ``name`` scatters the gradient back there."""
    vals = np.take_along_axis(input._data, idx, axis=d)
    if not keepdim:
        vals, idx = vals.squeeze(d), idx.squeeze(d)
    return _with_indices(input, vals, idx, d, keepdim, name, rt)


def _with_indices(input, vals, idx, d, keepdim, name, rt):
    """``rt(values, indices)``; the values' node ``name`` sends the gradient to ``idx`` along
    ``d``."""
    x = input._data
    idx = _on(x, idx)
    res = _wrap(vals)
    if STATE[0] and input._requires_grad:
        node = _red(name)()
        node.shape, node.dims, node.keepdim, node.count = x.shape, (d,), keepdim, None
        node.saved = (idx,)
        attach(res, node, (input,))
    return rt(res, _wrap(idx.astype(np.int64, copy=False)))


def _scalar_result(input, name, rt):
    """A 0-d input's order statistic along its dim: itself, index 0."""
    from .._backend import ensure_array

    idx = ensure_array(np.zeros_like(input._data, dtype=np.int64), input._data)
    return rt(_scalar_pick(input, name), _wrap(idx))


def _sorted_pos(input, d, pos, name, rt, keepdim):
    """The element at sorted position ``pos`` (an array with a kept dim ``d``) of each slice
    (stable order, nan last)."""
    order = np.argsort(input._data, axis=d, kind="stable")
    return _pick_at(input, d, keepdim, np.take_along_axis(order, pos, axis=d), name, rt)


def _median(input, dim, keepdim, nan):
    x = input._data
    name = "nanmedian" if nan else "median"
    if dim is None:
        _not_for(x, "median_cpu")
        flat = x.reshape(-1)
        if flat.size == 0:
            return _wrap(np.full_like(x, np.nan, shape=()))
        s, n = np.sort(flat), flat.size  # nan sorted last
        k = (n - 1) // 2
        if x.dtype.kind == "f" and np.isnan(s[-1]):  # median: nan; nanmedian: of the numbers
            m = n - int(np.isnan(s).sum())
            k = (m - 1) // 2 if nan and m else n - 1
        res = _wrap(s[k:k + 1].reshape(()))
        if STATE[0] and input._requires_grad:
            node = _red("NanmedianBackward0" if nan else "MedianBackward0")()
            node.shape, node.dims, node.keepdim, node.count = x.shape, None, False, None
            node.saved = (x, res._data)
            node.save_versions(input, out=res)
            attach(res, node, (input,))
        return res
    d = _dim(dim, x.ndim)
    _not_for(x, "median_out")
    _nonempty_dim(x, d, name)
    rt = getattr(return_types, name)
    node = "NanmedianBackward1" if nan else "MedianBackward1"
    if x.ndim == 0:
        return _scalar_result(input, node, rt)
    n = x.shape[d]
    bad = np.isnan(x).sum(axis=d, keepdims=True) if x.dtype.kind == "f" else \
        np.zeros_like(x, shape=x.shape[:d] + (1,) + x.shape[d + 1:], dtype=np.int64)
    if nan:  # the lower median of the numbers; all nan: the first nan
        pos = np.maximum(n - bad - 1, 0) // 2
    else:  # a nan in the slice: its first nan (sorted last, stable)
        pos = np.where(bad > 0, n - bad, (n - 1) // 2)
    return _sorted_pos(input, d, pos, node, rt, keepdim)


@numpy_axis
def median(input, dim=None, keepdim=False):
    """The lower median (of all elements, or of each slice along ``dim`` with its index); a nan
    makes it nan. 中位数（偶数个时取较小的那个）；有 nan 则为 nan。"""
    return _median(input, dim, keepdim, False)


@numpy_axis
def nanmedian(input, dim=None, keepdim=False):
    """``median`` of the non-nan values (nan only where all are nan). 忽略 nan 的中位数。"""
    return _median(input, dim, keepdim, True)


@numpy_axis
def kthvalue(input, k, dim=-1, keepdim=False):
    """The ``k``-th smallest element (1-based) of each slice along ``dim`` and its index.
    沿 dim 第 k 小的元素（k 从 1 数起）及其下标。"""
    x = input._data
    d = _dim(dim, x.ndim)
    _nonempty_dim(x, d, "kthvalue")
    n = x.shape[d] if x.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if x.ndim == 0:
        return _scalar_result(input, "KthvalueBackward0", return_types.kthvalue)
    pos = np.full_like(x, k - 1, dtype=np.int64, shape=x.shape[:d] + (1,) + x.shape[d + 1:])
    return _sorted_pos(input, d, pos, "KthvalueBackward0", return_types.kthvalue, keepdim)


@numpy_axis
def mode(input, dim=-1, keepdim=False):
    """The most frequent value of each slice along ``dim`` (the smallest of equally frequent
    ones) and the index of its last occurrence. 众数（并列时取最小值）及其最后出现的下标。"""
    x = input._data
    d = _dim(dim, x.ndim)
    _nonempty_dim(x, d, "mode")
    if x.ndim == 0:
        return _scalar_result(input, "ModeBackward0", return_types.mode)
    from .._backend import xp_of

    n = x.shape[d]
    rows = np.moveaxis(x, d, -1)
    s = np.sort(rows, axis=-1)
    j = xp_of(x).arange(n)
    new = np.ones_like(s, dtype=bool)
    new[..., 1:] = s[..., 1:] != s[..., :-1]
    start = np.maximum.accumulate(np.where(new, j, 0), axis=-1)
    best = np.argmax(j - start, axis=-1)[..., None]  # end of the first longest run
    val = np.take_along_axis(s, best, axis=-1)
    last = n - 1 - np.argmax(np.flip(rows == val, -1), axis=-1)[..., None]
    return _pick_at(input, d, keepdim, np.moveaxis(last, -1, d), "ModeBackward0",
                    return_types.mode)


def msort(input):
    """``sort(input, dim=0).values``. 沿第 0 维排序。"""
    return sort(input, 0).values


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(input, q, dim, keepdim, interpolation, nan):
    """torch's quantile: sort along the dim (moved last), gather below / above each rank, lerp
    between them, then torch's in-place squeeze / unsqueeze / transpose of the result."""
    x = input._data
    if not isinstance(q, Tensor):
        if not 0 <= q <= 1:
            raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {q:g}")
        qa = np.full_like(x, q, shape=())
    else:
        qa = q._data
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    if x.size == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if qa.ndim > 1:
        raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if x.dtype not in (np.float32, np.float64):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if qa.dtype != x.dtype:
        raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
    from .._backend import device_of
    if device_of(qa) != device_of(x):
        raise RuntimeError("quantile() q tensor must be on the same device as the input tensor")
    wd = _dim(0 if dim is None else dim, x.ndim)
    if isinstance(q, Tensor) and not bool(np.all((qa >= 0) & (qa <= 1))):
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    if dim is not None and x.ndim:
        out = list(x.shape)
        if keepdim:
            out[wd] = 1
        else:
            del out[wd]
    else:
        out = [1] * x.ndim if keepdim else []
    if dim is None:
        srt = sort(_flat(input)).values
    elif wd == x.ndim - 1:
        srt = sort(input).values
    else:
        srt = sort(input.unsqueeze(-1).transpose(wd, -1)).values
    srt = srt.view(out + [srt.shape[-1]])  # torch: out_shape without q's dim, then the sorted dim
    s = srt._data
    n = s.shape[-1]
    if nan:
        cnt = (~np.isnan(s)).sum(axis=-1, keepdims=True)
        ranks = qa * (cnt - 1).astype(x.dtype)
        ranks = np.where(ranks < 0, np.zeros_like(ranks), ranks)
    else:
        last = x.dtype.type(n - 1)
        ranks = qa * last
        ranks = np.broadcast_to(ranks, np.broadcast_shapes(
            ranks.shape, s.shape[:-1] + (1,)))
        ranks = np.where(np.isnan(s).any(axis=-1, keepdims=True), last, ranks)
    if interpolation == "lower":
        ranks = np.floor(ranks)
    elif interpolation == "higher":
        ranks = np.ceil(ranks)
    elif interpolation == "nearest":
        ranks = np.round(ranks)
    ranks = ranks.astype(x.dtype, copy=False)
    below = ranks.astype(np.int64)
    res = gather(srt, -1, _wrap(below))
    if interpolation in ("linear", "midpoint"):
        w = np.full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        above = gather(srt, -1, _wrap(np.ceil(ranks).astype(np.int64)))
        res = _lerp_tensor(res, above, _wrap(w.astype(x.dtype, copy=False)))
    if qa.ndim == 0:
        return res.squeeze_(-1)
    return res.unsqueeze_(0).transpose_(0, -1).squeeze_(-1)


@numpy_axis
def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The ``q``-quantiles (a number or a 1-D tensor in [0, 1]) of all elements or along
    ``dim``; ``interpolation`` between the two nearest sorted values. 分位数。"""
    return _quantile(input, q, dim, keepdim, interpolation, False)


@numpy_axis
def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """``quantile`` of the non-nan values. 忽略 nan 的分位数。"""
    return _quantile(input, q, dim, keepdim, interpolation, True)


def _cumextreme(input, dim, is_max):
    x = input._data
    d = _dim(dim, x.ndim)
    name = "cummax" if is_max else "cummin"
    rt = getattr(return_types, name)
    node = "CummaxBackward0" if is_max else "CumminBackward0"
    if x.ndim == 0:
        return _scalar_result(input, node, rt)
    ext = (np.maximum if is_max else np.minimum).accumulate(x, axis=d)
    # the index is the last position where the running extreme was reached (ties: the later
    # one); every nan counts as reached (torch's kernel)
    hit = (x == ext) | np.isnan(x) if x.dtype.kind == "f" else x == ext
    from .._backend import xp_of

    j = xp_of(x).arange(x.shape[d]).reshape((-1,) + (1,) * (x.ndim - d - 1))
    idx = np.maximum.accumulate(np.where(hit, j, 0), axis=d)
    return _with_indices(input, ext, idx, d, False, node, rt)


@numpy_axis
def cummax(input, dim):
    """Running maximum along ``dim`` and where it was reached. 沿 dim 的累计最大值及其下标。"""
    return _cumextreme(input, dim, True)


@numpy_axis
def cummin(input, dim):
    """Running minimum along ``dim`` and where it was reached. 沿 dim 的累计最小值及其下标。"""
    return _cumextreme(input, dim, False)


# -- searching and counting: bucketize, searchsorted, histc, bincount, unique_consecutive -----
def _as_values(v, like):
    """searchsorted's ``input``: a tensor's array, or a Python number as a 0-d array."""
    if isinstance(v, Tensor):
        return v._data, False
    return np.full_like(like, v, shape=(), dtype=np.result_type(v)), True


def _search(seq, v, right, sorter=None):
    """np.searchsorted along the last dim of ``seq`` (1-D, or rows matching ``v``'s)."""
    side = "right" if right else "left"
    if seq.ndim == 1:
        return np.searchsorted(seq, v, side=side, sorter=sorter)
    rows, vals = seq.reshape(-1, seq.shape[-1]), v.reshape(-1, v.shape[-1])
    srt = None if sorter is None else sorter.reshape(rows.shape)
    out = [np.searchsorted(r, w, side=side, sorter=None if srt is None else srt[i])
           for i, (r, w) in enumerate(zip(rows, vals))]
    return np.stack(out).reshape(v.shape) if out else np.zeros_like(v, dtype=np.int64)


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """Where each value of ``input`` would go in ``sorted_sequence`` (along its last dim) to
    keep it sorted; ``right`` / ``side='right'``: after equal values. 二分查找插入位置。"""
    seq = sorted_sequence._data
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to "
                               "opposites, got side of left while right was True")
        right = side == "right"
    v, scalar = _as_values(input, seq)
    if seq.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    if scalar and seq.ndim != 1:
        raise RuntimeError("torch.searchsorted(): input value can be a scalar only when "
                           f"boundaries tensor dimension is 1, but we got boundaries tensor "
                           f"dim({seq.ndim}) and input value's dim(0) numel(1)")
    if seq.ndim != 1 and (v.ndim != seq.ndim or v.shape[:-1] != seq.shape[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the "
                           "first N-1 dimensions of boundaries tensor and input value tensor "
                           f"must match, but we got boundaries tensor {list(seq.shape)} and "
                           f"input value tensor {list(v.shape)}")
    srt = None
    if sorter is not None:
        srt = sorter._data
        if srt.shape != seq.shape:
            raise RuntimeError("torch.searchsorted(): boundary and sorter must have the same "
                               f"size, but got boundary tensor {list(seq.shape)}and got sorter "
                               f"tensor {list(srt.shape)}")
        if srt.dtype != np.int64:
            from .._dtype import _from_np, scalar_name
            raise RuntimeError("torch.searchsorted(): sorter must be a tensor of long dtype but "
                               f"got dtype {scalar_name(_from_np(srt.dtype))}")
        if srt.size and (srt.min() < 0 or srt.max() >= seq.shape[-1]):
            raise RuntimeError("torch.searchsorted(): sorter index out of range")
    out = _search(seq, v, right, srt)
    from .._backend import ensure_array
    out = _on(seq, ensure_array(out, seq))
    return _wrap(out.astype(np.int32 if out_int32 else np.int64, copy=False))


def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The bucket of each value of ``input`` among the 1-D ``boundaries`` (right=False:
    ``boundaries[i-1] < x <= boundaries[i]``). 按边界分桶，返回桶号。"""
    b = boundaries._data
    if b.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({b.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def _cpp_num(v, data=False):
    """A double as C++'s ostream prints it (torch's messages)."""
    if np.isnan(v):
        return "-nan" if data or np.signbit(v) else "nan"
    return f"{v:g}".replace("e+0", "e+").replace("e-0", "e-")


def _linspace(lo, hi, n, dtype, like):
    """torch's linspace: the first half stepped from ``lo``, the second back from ``hi``."""
    i = np.arange(n)
    step = (np.asarray(hi, dtype) - np.asarray(lo, dtype)) / dtype.type(max(n - 1, 1))
    out = np.where(i < n // 2, lo + step * i, hi - step * (n - 1 - i)).astype(dtype)
    return _on(like, out)


def histc(input, bins=100, min=0, max=0):  # noqa: A002
    """Histogram of ``input`` with ``bins`` equal-width bins over [min, max] (both 0 / equal:
    the data's range); values outside are left out. 直方图（等宽分箱）。"""
    x = input._data
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for "
                           "dimension 0")
    lo, hi, data = float(min), float(max), False
    if lo == hi and x.size:
        lo, hi, data = float(x.min()), float(x.max()), True
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_cpp_num(lo, data)}, "
                           f"{_cpp_num(hi, data)}] is not finite")
    if not lo < hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    _not_for(x, "histogram_cpu", "biu")
    edges = _linspace(lo, hi, bins + 1, x.dtype, x)
    flat = x.reshape(-1)
    flat = flat[(flat >= edges[0]) & (flat <= edges[-1])]
    pos = np.minimum(np.searchsorted(edges, flat, side="right") - 1, bins - 1)
    out = np.bincount(pos, minlength=bins).astype(x.dtype) if flat.size else \
        np.zeros(bins, x.dtype)
    return _wrap(_on(x, out))


def bincount(input, weights=None, minlength=0):
    """How often each non-negative integer occurs in the 1-D ``input`` (summing ``weights``
    instead when given). 统计每个非负整数出现的次数（或对应权重之和）。"""
    x = input._data
    _not_for(x, "bincount_cpu", "bfc")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if x.ndim == 1 and x.size == 0:
        return _wrap(_on(x, np.zeros(minlength, np.int64)))
    if x.ndim != 1 or x.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None
    if weights is not None:
        w = weights._data
        if w.ndim != 1 or w.shape[0] != x.shape[0]:
            raise RuntimeError("weights should be 1-d and have the same length as input")
    from .._backend import to_numpy
    hx = to_numpy(x)
    if w is None:
        out = np.bincount(hx, minlength=minlength).astype(np.int64)
    else:
        dt = np.float32 if w.dtype == np.float32 else np.float64
        out = np.bincount(hx, to_numpy(w).astype(dt), minlength=minlength).astype(dt)
    return _wrap(_on(x, out))


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """The input with each run of equal consecutive elements (or slices along ``dim``) kept
    once; optionally where each element went and each run's length. 去掉连续重复的元素。"""
    x = input._data
    if dim is None:
        flat = x.reshape(-1)
        new = flat[1:] != flat[:-1]
        shape = x.shape
    else:
        if x.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        d = _dim(dim, x.ndim)
        m = np.moveaxis(x, d, 0)
        flat = m.reshape(x.shape[d], int(np.prod(m.shape[1:])))
        new = np.any(flat[1:] != flat[:-1], axis=1)
        shape = (x.shape[d],)
    n = len(flat)
    keep = np.concatenate([np.ones_like(new, shape=(min(n, 1),)), new])
    starts = np.flatnonzero(keep)
    out = flat[keep] if dim is None else np.take(x, _on(x, starts), axis=d)
    res = [_wrap(_on(x, out))]
    if return_inverse:
        res.append(_wrap(_on(x, (np.cumsum(keep) - 1).astype(np.int64).reshape(shape))))
    if return_counts:
        res.append(_wrap(_on(x, np.diff(np.append(starts, n)).astype(np.int64))))
    return res[0] if len(res) == 1 else tuple(res)


# -- repeat_interleave, diff ------------------------------------------------------------------
def _repeat_counts(repeats, output_size=None):
    """torch.repeat_interleave(repeats): each index ``i`` repeated ``repeats[i]`` times."""
    r = repeats._data if isinstance(repeats, Tensor) else repeats
    _not_for(r, "repeat_interleave_cpu", "bfcu")
    if r.ndim != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    if r.size and r.min() < 0:
        raise RuntimeError("repeats can not be negative")
    if output_size is not None and output_size != int(r.sum()):
        raise RuntimeError("allocated size does not match required size")
    return _wrap(np.repeat(np.arange(r.size, dtype=r.dtype), r).astype(r.dtype, copy=False)
                 if type(r) is np.ndarray else
                 _on(r, np.repeat(np.arange(r.size), _to_np(r)).astype(r.dtype)))


def _to_np(a):
    from .._backend import to_numpy
    return to_numpy(a)


def _flat(t):
    """torch's ``flatten()``: a 1-D tensor itself, anything else viewed as 1-D."""
    return t if t._data.ndim == 1 else t.reshape(-1)


@numpy_axis
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element (or slice along ``dim``) repeated ``repeats`` times (an int, or one count
    per element); ``dim=None`` flattens first. 逐元素重复；dim=None 时先展平。"""
    if repeats is None:  # the one-argument form: input is the counts
        return _repeat_counts(input, output_size)
    x = input if dim is not None else _flat(input)
    if isinstance(repeats, Tensor):
        d = 0 if dim is None else dim
        if x._data.ndim == 0:
            raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
        d = _dim(d, x._data.ndim)
        r, n = repeats._data, x._data.shape[d]
        if r.ndim == 0 or (r.ndim == 1 and r.shape[0] == 1):
            r = np.broadcast_to(r.reshape(1), (n,))
        elif r.ndim == 1:
            if r.shape[0] != n:
                raise RuntimeError("repeats must have the same size as input along dim, but got "
                                   f"repeats.size(0) = {r.shape[0]} and input.size({d}) = {n}")
        else:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        return index_select(x, d, _repeat_counts(r, output_size))
    if not isinstance(repeats, int) or isinstance(repeats, bool):
        raise TypeError(
            "repeat_interleave() received an invalid combination of arguments - got (Tensor, "
            f"{type(repeats).__name__}), but expected one of:\n"
            " * (Tensor input, Tensor repeats, int dim = None, *, int output_size = None)\n"
            " * (Tensor repeats, *, int output_size = None)\n"
            " * (Tensor input, int repeats, int dim = None, *, int output_size = None)\n")
    d = _dim(0 if dim is None else dim, input._data.ndim)
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    y = x.unsqueeze(d + 1)
    shape = list(y.shape)
    shape[d + 1] = repeats
    y = y.expand(shape)
    if output_size is not None and output_size != repeats * shape[d]:
        raise RuntimeError(f"repeat_interleave: Invalid output_size, expected "
                           f"{repeats * shape[d]} but got {output_size}")
    shape[d:d + 2] = [shape[d] * repeats]
    return y.clone().view(shape)


@numpy_axis
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim`` (``out[i] = x[i+1] - x[i]``; bools: xor),
    after ``prepend`` / ``append`` are joined on. 沿 dim 的 n 阶差分。"""
    from .shape import cat

    x = input._data
    if x.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = _dim(dim, x.ndim)
    for name, o in (("prepend", prepend), ("append", append)):
        if o is None:
            continue
        if not isinstance(o, Tensor):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(o).__name__}")
        if o._data.ndim != x.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        for i, (a, b) in enumerate(zip(x.shape, o._data.shape)):
            if i != d and a != b:
                raise RuntimeError(
                    "diff expects the shape of tensor to prepend or append to match that of "
                    "input except along the differencing dimension; input.size("
                    f"{i}) = {a}, but got tensor.size({i}) = {b}")
    if n == 0:
        from .._creation import empty_like
        return empty_like(input).copy_(input)
    if prepend is not None or append is not None:
        input = cat([t for t in (prepend, input, append) if t is not None], d)
    size = input._data.shape[d]
    out_len, res = size - 1, input
    for _ in range(min(n, size)):
        a, b = narrow(res, d, 1, out_len), narrow(res, d, 0, out_len)
        res = (a != b) if res._data.dtype == np.bool_ else a - b  # torch: logical_xor
        out_len -= 1
    return res


def _attach_order_methods():
    T = Tensor
    for f in (median, nanmedian, kthvalue, mode, msort, quantile, nanquantile, cummax, cummin,
              bincount, unique_consecutive, repeat_interleave, diff):
        setattr(T, f.__name__, f)
    T.histc = histc


_attach_order_methods()
