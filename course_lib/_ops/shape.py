"""Shape ops: view/reshape, transpose/permute, squeeze/unsqueeze, expand, cat/stack, split.

形状运算。Views share memory with their input (and its version counter), as in torch.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from .._backend import reshape_view
from .._size import Size
from .._tensor import _dim, _view_of
from ..autograd.functions import shape as F
from ..autograd.node import attach, attach1
from ..exercises import exercise
import course_lib as torch  # the solution regions use the names a notebook has
from ._util import REQUIRED, STATE, Tensor, _wrap, numpy_dim
from .checks import (_check_sizes, _negative_dim_error, _no_repeats, _shape_arg, _write_cat,
                     check_unflatten, expand_error)


def _infer(shape, numel, orig):
    if min(shape, default=0) < -1:
        _check_sizes(shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in shape if s != -1)
    if -1 in shape:
        if known == 0 and numel == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} "
                               "because the unspecified dimension size -1 can be any value and "
                               "is ambiguous")
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _graph(res, x, node_cls, **attrs):
    if STATE[0] and x._requires_grad:
        node = node_cls()
        for k, v in attrs.items():
            setattr(node, k, v)
        attach1(res, node, x)
    return res


def view(self, *shape):
    """Same data seen with another shape; no copy (RuntimeError if strides forbid it).

    以另一种形状查看同一块内存，不拷贝；步长不允许时抛错（与 torch 相同）。
    """
    if len(shape) == 1 and not isinstance(shape[0], (int, tuple, list)) and \
            not isinstance(shape[0], Size) and not hasattr(shape[0], "__index__"):
        from .convert import _view_dtype
        return _view_dtype(self, shape[0])
    d = self._data
    shp = _infer(_shape_arg(shape), d.size, d.shape)
    try:
        r = reshape_view(d, shp)
    except ValueError:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        ) from None
    return _graph(_view_of(r, self), self, F.ViewBackward0, shape=d.shape)


def reshape(self, *shape):
    """Like ``view`` when possible (shares memory), else a copy. 能视图则视图，否则拷贝。"""
    d = self._data
    shp = _infer(_shape_arg(shape, "reshape", "shape"), d.size, d.shape)
    contiguous = self.is_contiguous()  # the lesson-01 piece: a contiguous tensor is viewed
    try:
        r = reshape_view(d, shp)
    except ValueError:
        r = None
    if r is not None:
        node = F.ViewBackward0 if contiguous else F.ReshapeAliasBackward0  # torch's names
        return _graph(_view_of(r, self), self, node, shape=d.shape)
    if contiguous:  # the memory cannot be viewed: it is not contiguous after all
        raise RuntimeError(f"is_contiguous() is True for a tensor with strides "
                           f"{list(self.stride())} that cannot be viewed as {list(shp)}")
    c = self.contiguous()  # torch: _unsafe_view(contiguous copy)
    try:
        r = reshape_view(c._data, shp)
    except ValueError:  # contiguous() gave back memory that still cannot be viewed
        raise RuntimeError(f"contiguous() returned a tensor with strides {list(c.stride())} "
                           f"that cannot be viewed as {list(shp)}") from None
    return _graph(_wrap(r), c, F.UnsafeViewBackward0, shape=d.shape)


def unflatten(self, dim, sizes):
    d = self._data
    if d.ndim == 0:
        raise RuntimeError("unflatten got an unexpected error:\nDimension specified as "
                           f"{_dim(dim, 0)} but tensor has no dimensions")
    dim = _dim(dim, d.ndim)
    sizes = tuple(sizes)
    check_unflatten(d.shape[dim], dim, sizes)
    sizes = _infer(sizes, d.shape[dim], None)
    return view(self, d.shape[:dim] + sizes + d.shape[dim + 1:])


def permute(self, *dims, **kwargs):
    d = self._data
    if kwargs:  # permute(dims=(1, 0)), with the errors of torch's argument parser
        if dims and "dims" in kwargs:
            raise TypeError("permute() got multiple values for argument 'dims'")
        if dims or "dims" in kwargs:
            bad = next((k for k in kwargs if k != "dims"), None)
            if bad is not None:
                raise TypeError(f"permute() got an unexpected keyword argument '{bad}'")
            dims = dims or (kwargs["dims"],)
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = _shape_arg(dims, "permute", "dims")
    if len(dims) != d.ndim:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {d.ndim} is not equal to len(dims) = {len(dims)}")
    dims = tuple(_dim(i, d.ndim) for i in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _graph(_view_of(d.transpose(dims), self), self, F.PermuteBackward0, perm=dims)


def transpose(self, dim0, dim1):
    d = self._data
    a, b = _dim(dim0, d.ndim), _dim(dim1, d.ndim)
    if d.ndim == 0:  # torch: dims 0/-1 of a 0-d tensor; the same view
        return _graph(_view_of(d[...], self), self, F.TransposeBackward0, perm=())
    perm = list(range(d.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    perm = tuple(perm)
    return _graph(_view_of(d.transpose(perm), self), self, F.TransposeBackward0, perm=perm)


swapaxes = swapdims = transpose


def t(self):
    """Transpose of a ≤ 2-D tensor. 转置（不超过二维）。"""
    d = self._data
    if d.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {d.ndim}D")
    res = _view_of(d.T, self)
    if STATE[0] and self._requires_grad:
        node = F.TBackward0()
        node.perm = _T_PERMS[d.ndim]
        attach1(res, node, self)
    return res


_T_PERMS = ((), (0,), (1, 0))  # t()'s permutation by rank


def _T(self):
    d = self._data
    if d.ndim > 2:
        import warnings
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                      "shape is deprecated and it will throw an error in a future release. "
                      "Consider `x.mT` to transpose batches of matrices or "
                      "`x.permute(*course_lib.arange(x.ndim - 1, -1, -1))` to reverse the "
                      "dimensions of a tensor.", UserWarning, stacklevel=2)
    perm = tuple(range(d.ndim))[::-1]
    return _graph(_view_of(d.transpose(perm), self), self, F.PermuteBackward0, perm=perm)


def _mT(self):
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got "
                           f"{self._data.ndim}-D tensor.")
    return transpose(self, -2, -1)


def _mH(self):  # real tensors: the conjugate transpose is the transpose
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mH is only supported on matrices or batches of matrices. Got "
                           f"{self._data.ndim}-D tensor.")
    return transpose(self, -2, -1)


def _H(self):
    if self._data.ndim != 2:
        extra = (". For batches of matrices, consider using tensor.mH" if self._data.ndim > 2
                 else ".")
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{self._data.ndim}-D tensor{extra}")
    return transpose(self, 0, 1)


def adjoint(input):
    """The conjugate transpose of the last two dims (the transpose for real tensors).
    共轭转置（实数张量即转置）。"""
    if input._data.ndim < 2:
        raise RuntimeError("tensor.adjoint() is only supported on matrices or batches of "
                           f"matrices. Got {input._data.ndim}-D tensor.")
    return transpose(input, -2, -1)


def split_with_sizes(self, split_sizes, dim=0):
    """``split`` with a list of sizes. 按给定大小列表切分。"""
    return split(self, list(split_sizes), dim)


def squeeze(self, dim=None, *, axis=None):
    if axis is not None:  # torch's numpy-style name of dim
        dim = numpy_dim("squeeze", dim, axis)
    d = self._data
    if dim is None:
        r = d.reshape(tuple(n for n in d.shape if n != 1))
        return _graph(_view_of(r, self), self, F.SqueezeBackward0, shape=d.shape)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    dims = {_dim(i, d.ndim) for i in dims}
    r = d.reshape(tuple(n for i, n in enumerate(d.shape) if not (i in dims and n == 1)))
    node = F.SqueezeBackward1 if isinstance(dim, int) else F.SqueezeBackward2
    return _graph(_view_of(r, self), self, node, shape=d.shape)


def unsqueeze(self, dim=REQUIRED, *, axis=None):
    if dim is REQUIRED or axis is not None:
        dim = numpy_dim("unsqueeze", dim, axis, REQUIRED)
    d = self._data
    dim = _dim(dim, d.ndim + 1)
    return _graph(_view_of(np.expand_dims(d, dim), self), self, F.UnsqueezeBackward0,
                  shape=d.shape)


def expand(self, *sizes):
    d = self._data
    sizes = _shape_arg(sizes, "expand")
    lead = len(sizes) - d.ndim
    if lead < 0:
        raise expand_error(self, sizes)
    shp = tuple(d.shape[i - lead] if s == -1 and i >= lead else s for i, s in enumerate(sizes))
    for n, m in zip(d.shape, shp[lead:]):
        if n != m and (n != 1 or m < 0):
            raise expand_error(self, sizes)
    for m in shp[:lead]:
        if m < 0:
            raise expand_error(self, sizes)
    return _graph(_view_of(np.broadcast_to(d, shp), self), self, F.ExpandBackward0,
                  shape=d.shape)


def expand_as(self, other):
    return expand(self, other.shape)


def contiguous(self, memory_format=None):
    """``self`` if it is contiguous (the piece ``is_contiguous`` decides), else a contiguous copy.
    连续则返回自身，否则返回连续的拷贝。"""
    if self.is_contiguous():
        return self
    return clone(self)


def clone(self, memory_format=None):
    """A copy with its own memory (grad flows back: ``CloneBackward0``). 拷贝。"""
    from ..autograd.functions.pointwise import CloneBackward0

    res = _wrap(self._data.copy())
    if STATE[0] and self._requires_grad:
        node = CloneBackward0()
        node.saved = ()
        attach(res, node, (self,))
    return res


def _check_same(tensors, what):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{what}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        "not Tensor")
    tensors = list(tensors)
    if not tensors:
        if what == "stack":
            raise RuntimeError("stack expects a non-empty TensorList")
        raise ValueError(f"course_lib.{what}(): expected a non-empty list of Tensors")
    try:
        arrs = [t._data for t in tensors]
    except AttributeError:
        arrs = None
    if arrs is None or not all(isinstance(t, Tensor) for t in tensors):
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                                f"{type(t).__name__}")
    from .._dtype import _by_np, promote_types, result_type
    from ._util import same_device

    dtypes = {a.dtype for a in arrs}
    if len(tensors) > 1:  # torch: the result dtype of all inputs (the lesson-01 pieces)
        d = result_type(tensors[0], tensors[1])
        for t in dict.fromkeys(a.dtype for a in arrs[2:]):  # each further dtype once
            d = promote_types(d, _by_np[t])
        dt = d._np
    else:
        dt = arrs[0].dtype
    if len({type(a) for a in arrs}) > 1:
        for t in tensors[1:]:
            same_device(tensors[0], t)
    return arrs if dtypes == {dt} else [a.astype(dt, copy=False) for a in arrs]


def cat(tensors, dim=0, *, out=None, axis=None):
    """Join tensors along an existing dim. 沿已有维度拼接。"""
    if axis is not None:
        dim = numpy_dim("cat", dim, axis, 0)
    arrs = _check_same(tensors, "cat")
    tensors = list(tensors)
    nd = arrs[0].ndim
    d = _dim(dim, nd)
    for i, a in enumerate(arrs):
        if a.ndim != nd or not nd:
            if not a.ndim or not nd:
                raise RuntimeError(f"zero-dimensional tensor (at position {i if nd else 0}) "
                                   "cannot be concatenated")
            raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and "
                               f"{a.ndim}")
        for j in range(nd):
            if j != d and a.shape[j] != arrs[0].shape[j]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{arrs[0].shape[j]} but got size {a.shape[j]} for tensor number {i} in "
                    "the list.")
    res = _wrap(np.concatenate(arrs, axis=d))
    if STATE[0] and any(t._requires_grad for t in tensors):
        node = F.CatBackward0()
        node.dim, node.sizes = d, [a.shape[d] for a in arrs]
        attach(res, node, tensors)
    if out is not None:
        return _write_cat(out, res, "cat")
    return res


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None, axis=None):
    """Join tensors along a new dim. 沿新维度堆叠。"""
    if axis is not None:
        dim = numpy_dim("stack", dim, axis, 0)
    arrs = _check_same(tensors, "stack")
    tensors = list(tensors)
    if len({a.shape for a in arrs}) > 1:
        for i, a in enumerate(arrs):
            if a.shape != arrs[0].shape:
                raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                                   f"{list(arrs[0].shape)} at entry 0 and {list(a.shape)} at "
                                   f"entry {i}")
    d = _dim(dim, arrs[0].ndim + 1)
    res = _wrap(np.stack(arrs, axis=d))
    if STATE[0] and any(t._requires_grad for t in tensors):
        node = F.StackBackward0()
        node.dim, node.n = d, len(arrs)
        attach(res, node, tensors)
    if out is not None:
        return _write_cat(out, res, "stack")
    return res


def _multi(self, pieces, node_cls, **attrs):
    outs = [_view_of(p, self) for p in pieces]
    if STATE[0]:
        for o in outs:
            o._vmeta = 2  # views.MULTI: torch forbids in-place ops on them
    if STATE[0] and self._requires_grad:
        node = node_cls()
        for k, v in attrs.items():
            setattr(node, k, v)
        node.n_outputs = len(outs)
        for i, o in enumerate(outs):
            attach(o, node, (self,))
            o._output_nr = i
    return tuple(outs)


def split(self, split_size_or_sections, dim=0):
    d = self._data
    if d.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = _dim(dim, d.ndim)
    n = d.shape[dim]
    if isinstance(split_size_or_sections, int):
        s = split_size_or_sections
        if s < 0 or (s == 0 and n):
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}" if s == 0 else
                               f"split expects split_size be non-negative, but got split_size={s}")
        sizes = [min(s, n - i) for i in range(0, n, s)] if n else [0]
    else:
        sizes = list(split_size_or_sections)
        if min(sizes, default=0) < 0:
            raise RuntimeError("split_with_sizes expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={sizes}")
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {dim}), but got "
                               f"split_sizes={sizes}")
    cuts = np.cumsum(sizes)[:-1]
    node = F.SplitBackward0 if isinstance(split_size_or_sections, int) else \
        F.SplitWithSizesBackward0
    return _multi(self, np.split(d, cuts, axis=dim), node, dim=dim, sizes=sizes)


def chunk(self, chunks, dim=0, *, axis=None):
    if axis is not None:
        dim = numpy_dim("chunk", dim, axis, 0)
    if self._data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = self._data.shape[_dim(dim, self._data.ndim)]
    return split(self, max(-(-n // chunks), 1), dim)


def unbind(self, dim=0, *, axis=None):
    if axis is not None:
        dim = numpy_dim("unbind", dim, axis, 0)
    d = self._data
    if d.ndim == 0:
        raise IndexError(f"Dimension specified as {_dim(dim, 0)} but tensor has no dimensions")
    dim = _dim(dim, d.ndim)
    pieces = [d[(slice(None),) * dim + (i, Ellipsis)] for i in range(d.shape[dim])]
    return _multi(self, pieces, F.UnbindBackward0, dim=dim)


def tensor_split(input, indices_or_sections=None, dim=0, *, sections=None, indices=None,
                 tensor_indices_or_sections=None):
    """Split into ``sections`` near-equal pieces (the first ``size % sections`` one longer), or
    at the positions ``indices``; every piece a slice (view) of ``input``.

    分成 ``sections`` 份（长度尽量相等，前 ``size % sections`` 份多一个），或在 ``indices`` 处切开；
    每一份都是 ``input`` 的切片（视图）。
    """
    given = [a for a in (indices_or_sections, sections, indices, tensor_indices_or_sections)
             if a is not None]
    if len(given) != 1:
        raise TypeError("tensor_split() received an invalid combination of arguments")
    arg = given[0]
    if input.dim() == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = _dim(dim, input.dim())
    if isinstance(arg, Tensor):
        if arg.dim() > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                               "zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {arg.dim()} dims")
        if arg._data.dtype != np.int64:
            from .._dtype import _from_np, scalar_name
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype "
                               f"of long, but got {scalar_name(_from_np(arg._data.dtype))}")
        arg = arg.tolist()
    n = input.shape[d]
    if isinstance(arg, int) and not isinstance(arg, bool):
        if arg <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {arg}")
        q, r = divmod(n, arg)
        ends = list(itertools.accumulate(q + (i < r) for i in range(arg)))
        bounds = zip([0] + ends[:-1], ends)
    elif isinstance(arg, (list, tuple)) and all(type(i) is int for i in arg):
        bounds = zip([0, *arg], [*arg, n])
    else:
        raise TypeError("tensor_split() received an invalid combination of arguments - got "
                        f"({type(arg).__name__}), but expected one of:")
    out = []
    for a, b in bounds:  # at::slice: negative positions count from the end, then clamp
        a, b, _ = slice(a, b).indices(n)
        out.append(input.narrow(d, a, max(b - a, 0)))
    return tuple(out)


def _split_along(name, input, indices_or_sections, dim, need):
    """hsplit / vsplit / dsplit: ``tensor_split`` along ``dim``, equal pieces when given a
    number of them."""
    if input.dim() < need:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {need} dimension, but "
                           f"got a tensor with {input.dim()} dimensions!")
    s = indices_or_sections
    if isinstance(s, int) and not isinstance(s, bool):
        n = input.shape[dim]
        if s == 0 or n % s:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the "
                               f"size of the dimension {n} is not divisible by the split_size "
                               f"{s}!")
    elif not isinstance(s, (list, tuple)):
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"({type(s).__name__}), but expected one of:")
    return tensor_split(input, s, dim)


def hsplit(input, indices_or_sections):
    """Split along dim 1 (dim 0 of a 1-D tensor). 沿第 1 维切分（一维张量沿第 0 维）。"""
    return _split_along("hsplit", input, indices_or_sections, 1 if input.dim() > 1 else 0, 1)


def vsplit(input, indices_or_sections):
    """Split along dim 0 (at least 2-D). 沿第 0 维切分（至少二维）。"""
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input, indices_or_sections):
    """Split along dim 2 (at least 3-D). 沿第 2 维切分（至少三维）。"""
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


def repeat(self, *sizes):
    sizes = _shape_arg(sizes, "repeat", "repeats")
    d = self._data
    if len(sizes) < d.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    if min(sizes, default=0) < 0:
        full = (1,) * (len(sizes) - d.ndim) + d.shape
        raise _negative_dim_error([a * b for a, b in zip(full, sizes)])
    res = _wrap(np.tile(d, sizes))
    return _graph(res, self, F.RepeatBackward0, shape=d.shape, repeats=sizes)


def flip(self, *args, dims=None):
    dims = _shape_arg(args if dims is None else (dims,), "flip", "dims")
    dims = tuple(_dim(i, self._data.ndim) for i in dims) if self._data.ndim else \
        tuple(_dim(i, 0) for i in dims) and ()
    _no_repeats(dims)
    return _graph(_wrap(np.flip(self._data, dims).copy()), self, F.FlipBackward0, dims=dims)


def fliplr(input):
    """Flip left-right: reverse dim 1 (at least 2-D). 左右翻转（第 1 维倒序）。"""
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input):
    """Flip up-down: reverse dim 0 (at least 1-D). 上下翻转（第 0 维倒序）。"""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


def ravel(input):
    """All elements in one dim, as ``contiguous().view(-1)`` (a view when already contiguous).
    展平为一维（已连续时是视图）。"""
    return view(contiguous(input), -1)


def unfold(self, dimension, size, step):
    """The windows of ``size`` elements along ``dimension``, ``step`` apart, as a new last dim;
    a view of the same memory (windows may overlap). 沿某一维取滑动窗口（视图，窗口可重叠）。"""
    d = self._data
    dim = _dim(dimension, d.ndim)
    length = d.shape[dim] if d.ndim else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {dim} is {length} but size is "
                           f"{size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if d.ndim == 0:
        v = d.reshape(1)
        shape, strides = (size,), (v.strides[0],)
    else:
        n = (length - size) // step + 1
        shape = d.shape[:dim] + (n,) + d.shape[dim + 1:] + (size,)
        strides = d.strides[:dim] + (d.strides[dim] * step,) + d.strides[dim + 1:] + \
            (d.strides[dim],)
        v = d
    from .._backend import xp_of
    w = xp_of(v).lib.stride_tricks.as_strided(v, shape, strides)
    res = _view_of(w, self)
    return _graph(res, self, F.UnfoldBackward0, shape=d.shape, dim=dim, size=size, step=step)


# in-place forms of view ops: the out-of-place node's class → torch's in-place name
_INPLACE_NODES = {F.UnsqueezeBackward0: F.UnsqueezeBackward1, F.SqueezeBackward0: F.SqueezeBackward3,
                  F.SqueezeBackward1: F.SqueezeBackward4, F.SqueezeBackward2: F.SqueezeBackward5,
                  F.TransposeBackward0: F.TransposeBackward1, F.TBackward0: F.TBackward1}


def _inplace_view(name, op):
    """``x.unsqueeze_(0)``, ``x.t_()`` …: x itself takes the view's shape and strides (same
    memory, version + 1, as torch); in the graph x gets the view's node under torch's in-place
    name (UnsqueezeBackward1 …), with its edge to x's old node."""
    from ..autograd.views import check_inplace

    def method(self, *args, **kwargs):
        if name == "t_" and self._data.ndim > 2:
            raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is "
                               f"{self._data.ndim}D")
        check_inplace(self, STATE[0] and self._requires_grad)
        r = op(self, *args, **kwargs)
        node = r._grad_fn
        self._data = r._data
        self._ver[0] += 1
        if node is not None:
            node.__class__ = _INPLACE_NODES[type(node)]  # same formula and fields
            self._grad_fn, self._output_nr = node, 0
            if self._base is not None:
                self._gver = self._ver[0]
        return self
    method.__name__ = method.__qualname__ = name
    return method


def _attach_methods():
    T = Tensor
    for n, op in (("unsqueeze_", unsqueeze), ("squeeze_", squeeze), ("transpose_", transpose),
                  ("swapdims_", transpose), ("swapaxes_", transpose), ("t_", t)):
        setattr(T, n, _inplace_view(n, op))
    for n in ("view", "reshape", "unflatten", "permute", "transpose", "swapaxes", "swapdims",
              "t", "squeeze", "unsqueeze", "expand", "expand_as", "contiguous", "clone",
              "split", "chunk", "unbind", "repeat", "flip", "tensor_split", "hsplit", "vsplit",
              "dsplit", "fliplr", "flipud", "ravel", "unfold"):
        setattr(T, n, globals()[n])
    T.T = property(_T)
    T.mT = property(_mT)
    T.mH, T.H = property(_mH), property(_H)
    T.adjoint, T.split_with_sizes = adjoint, split_with_sizes
    T.view_as = lambda self, other: view(self, other.shape)
    T.reshape_as = lambda self, other: reshape(self, other.shape)


_attach_methods()


@exercise("01_tensors", "flatten", key="course_lib.Tensor.flatten")
def flatten(self, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim`` … ``end_dim`` (inclusive, negatives count from the end) into one.

    把第 ``start_dim`` 到 ``end_dim`` 维（含两端，负数从末尾数）合并成一维。
    Shape ``(2, 3, 4)``: ``flatten()`` → ``(24,)``; ``flatten(1)`` → ``(2, 12)``;
    ``flatten(0, 1)`` → ``(6, 4)``. A 0-d tensor becomes shape ``(1,)``; when ``start_dim == end_dim``
    there is nothing to merge and the tensor itself is returned. 0 维张量变成形状 ``(1,)``；
    ``start_dim == end_dim`` 时没有可合并的维，直接返回张量本身。
    Returns a view when possible (use ``self.reshape``). 能返回视图时返回视图（用 ``reshape``）。
    """
    ### BEGIN SOLUTION
    start = torch._tensor._dim(start_dim, self.dim())  # IndexError like torch
    end = torch._tensor._dim(end_dim, self.dim())
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if self.dim() == 0:
        return self.reshape(1)
    if start == end:
        return self  # nothing to merge: torch hands back the tensor itself
    shape = self.shape
    merged = 1
    for n in shape[start:end + 1]:
        merged *= n
    return self.reshape(shape[:start] + (merged,) + shape[end + 1:])
    ### END SOLUTION


Tensor.flatten = flatten


@exercise("01_tensors", "is_contiguous", key="course_lib.Tensor.is_contiguous")
def is_contiguous(self, memory_format=None):
    """True when the elements lie in memory row after row with no gaps (C order).

    张量是否"连续"：按行优先顺序一个接一个地存放。从最后一维往前，步长应为 1、再乘上这一维的大小……
    即 ``stride[i] == size[i+1] * size[i+2] * …``；大小为 1 的维度步长随意（不会走到下一个元素），
    没有元素的张量总是连续的。
    Going from the last dimension backwards the stride must be 1, then times each size:
    ``stride[i] == size[i+1] * size[i+2] * …``; a dimension of size 1 may have any stride and a
    tensor with no elements is contiguous. Use ``self.shape`` and ``self.stride()``.
    ``contiguous()`` (copy or not) and ``reshape`` (view or copy) ask this piece.
    """
    ### BEGIN SOLUTION
    if self.numel() == 0:
        return True
    expected = 1
    for size, stride in zip(reversed(self.shape), reversed(self.stride())):
        if size == 1:
            continue
        if stride != expected:
            return False
        expected *= size
    return True
    ### END SOLUTION


Tensor.is_contiguous = is_contiguous
