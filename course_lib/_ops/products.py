"""Tensor products and block constructions: ``tensordot``, ``kron``, ``inner``, ``vdot``,
``block_diag``, ``cartesian_prod``, ``diag_embed``, as torch 2.13.

张量积与分块构造。``tensordot`` / ``kron`` / ``inner`` / ``cartesian_prod`` are composed of other
ops exactly as torch composes them (permute → reshape → mm / dot, views and mul, meshgrid → stack),
so their graphs carry torch's node names; ``vdot``, ``block_diag`` and ``diag_embed`` are single
nodes (``VdotBackward0`` …) as in torch.
"""
from __future__ import annotations

import numpy as np

from .._backend import reshape_view
from .._tensor import _dim
from ..autograd.functions import linalg as F
from ..autograd.node import attach
from ._util import STATE, Tensor, _wrap

__all__ = ["tensordot", "kron", "inner", "vdot", "block_diag", "cartesian_prod", "diag_embed",
           "vander", "combinations"]


def zeros_on(like, shape, dtype):
    """Zeros of ``shape`` / numpy ``dtype`` on the device of the array ``like``."""
    from .._backend import device_of, module_for, on_device

    dev = device_of(like)
    return on_device(module_for(dev).zeros(shape, dtype), dev)


def _tensor_arg(name, x, arg, pos):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not "
                        f"{type(x).__name__}")


def _scalar(t):
    from .._dtype import _by_np, scalar_name
    return scalar_name(_by_np[t._data.dtype])


# -- tensordot ---------------------------------------------------------------------------------
def tensordot(a, b, dims=2, out=None):
    """Contraction of ``a`` and ``b`` over ``dims`` (an int: a's last / b's first dims; two
    lists; or a tensor of them). 张量缩并。"""
    if isinstance(dims, bool) or not isinstance(dims, (tuple, list, Tensor, int)):
        raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or "
                           f"list[list[int]] containing two lists, but got dims={dims}")
    dims_a, dims_b = [], []
    if isinstance(dims, (tuple, list)):
        dims_a, dims_b = dims
    elif isinstance(dims, Tensor):
        if dims.numel() > 1:
            if dims.size()[0] != 2:
                raise AssertionError(f"dims tensor must have size 2 in first dimension, got "
                                     f"{dims.size()[0]}")
            dims_a, dims_b = dims[0].tolist(), dims[1].tolist()
        else:
            n = int(dims.item())
            if n < 0:
                raise RuntimeError(f"tensordot expects dims >= 0, but got dims={n}")
            dims_a, dims_b = list(range(-n, 0)), list(range(n))
    else:
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.dim(), b.dim()):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    _tensor_arg("tensordot", a, "input", 1)
    _tensor_arg("tensordot", b, "other", 2)
    res = _tensordot(a, b, list(dims_a), list(dims_b))
    if out is not None:
        if out._data.dtype != res._data.dtype:
            raise RuntimeError(f"tensordot: Expected the output tensor to have dtype "
                               f"{_scalar(res)}, but got an output tensor with dtype "
                               f"{_scalar(out)}")
        from .checks import write_out
        return write_out(out, res, "tensordot")
    return res


def _dim_set(dims, ndim):
    """torch's dim_list_to_bitset: the wrapped dims, each at most once."""
    seen = set()
    for d in dims:
        w = _dim(d, ndim)
        if w in seen:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        seen.add(w)
    return seen


def _tensordot(a, b, dims1, dims2):
    """aten's tensordot: size-1 contracted dims summed first; then permute → reshape → mm →
    reshape, or, when nothing but contracted dims is left, dot (contiguous) or mul + sum."""
    from .linalg import dot, mm
    from .reduce import sum as _sum

    if len(dims1) != len(dims2):
        raise RuntimeError("both dimension lists should have same length")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    csize = 1
    t1, t2 = a, b
    for d1, d2 in zip(dims1, dims2):
        s1, s2 = a.size(d1), b.size(d2)
        if s2 == 1:  # a broadcast dimension is summed right away
            t1 = _sum(t1, d1, True, dtype=t1.dtype)
        elif s1 == 1:
            t2 = _sum(t2, d2, True, dtype=t2.dtype)
        else:
            if s1 != s2:
                raise RuntimeError(f"contracted dimensions need to match, but first has size "
                                   f"{s1} in dim {d1} and second has size {s2} in dim {d2}")
            csize *= s1
    c1, c2 = _dim_set(dims1, a.dim()), _dim_set(dims2, b.dim())
    free1 = [i for i in range(a.dim()) if i not in c1]
    free2 = [i for i in range(b.dim()) if i not in c2]
    rsizes = [t1.shape[i] for i in free1] + [t2.shape[i] for i in free2]
    size1 = int(np.prod([t1.shape[i] for i in free1]))
    size2 = int(np.prod([t2.shape[i] for i in free2]))
    t1 = _permute(t1, free1 + list(dims1))
    t2 = _permute(t2, list(dims2) + free2)
    if size1 != 1 or size2 != 1:
        return mm(t1.reshape(size1, csize), t2.reshape(csize, size2)).reshape(rsizes)
    if t1.is_contiguous() and t2.is_contiguous():
        return dot(_flatten(t1), _flatten(t2)).reshape(rsizes)
    return _sum(t1.squeeze() * t2.squeeze(), dtype=t1.dtype).reshape(rsizes)


def _permute(t, perm):
    """``t.permute(perm)``; a 0-d tensor's empty permutation (a view, PermuteBackward0, as
    torch) is made here, since shape.permute refuses it."""
    if t.dim():
        return t.permute(perm)
    from .._tensor import _view_of
    from ..autograd.functions.shape import PermuteBackward0
    from .shape import _graph
    return _graph(_view_of(t._data[...], t), t, PermuteBackward0, perm=())


def _flatten(t):
    """torch's ``flatten()``: a 1-D tensor is itself, others ``reshape(-1)``."""
    return t if t.dim() == 1 else t.reshape(-1)


# -- kron, inner, vdot ------------------------------------------------------------------------
def _unsafe_view(t, shape, strict=True):
    """aten's ``_unsafe_view``: ``t``'s data in ``shape`` (not a view in autograd's eyes);
    grad_fn UnsafeViewBackward0. ``strict=False``: a product that numpy laid out in another
    order than torch is copied into the shape instead of refused."""
    from ..autograd.functions.shape import UnsafeViewBackward0
    from .shape import _graph

    d = t._data
    try:
        r = reshape_view(d, tuple(shape))
    except ValueError:
        if strict:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
            ) from None
        r = d.reshape(tuple(shape))
    return _graph(_wrap(r), t, UnsafeViewBackward0, shape=d.shape)


def kron(input, other, *, out=None):
    """Kronecker product: each entry of ``input`` times the whole ``other``. 克罗内克积。

    torch's composition: both viewed with interleaved singleton dims, multiplied (broadcast),
    the product viewed as the result."""
    from .pointwise import mul

    _tensor_arg("kron", input, "input", 1)
    _tensor_arg("kron", other, "other", 2)
    sa, sb = input.shape, other.shape
    n = max(len(sa), len(sb))
    sa = (1,) * (n - len(sa)) + tuple(sa)
    sb = (1,) * (n - len(sb)) + tuple(sb)
    va = _unsafe_view(input, [x for s in sa for x in (s, 1)])
    vb = _unsafe_view(other, [x for s in sb for x in (1, s)])
    res = _unsafe_view(mul(va, vb), [x * y for x, y in zip(sa, sb)], strict=False)
    if out is not None:
        from .checks import write_out
        return write_out(out, res, "kron")
    return res


def inner(input, other, *, out=None):
    """Sum of products over the last dims (``tensordot(input, other, ([-1], [-1]))``); with a
    0-d operand, their product. 内积。"""
    from .pointwise import mul

    _tensor_arg("inner", input, "input", 1)
    _tensor_arg("inner", other, "other", 2)
    if input.dim() == 0 or other.dim() == 0:
        res = mul(input, other)
    else:
        if input.shape[-1] != other.shape[-1]:
            raise RuntimeError(f"inner() the last dimension must match on both input tensors but "
                               f"got shapes {list(input.shape)} and {list(other.shape)}")
        res = _tensordot(input, other, [-1], [-1])
    if out is not None:
        from .checks import write_out
        return write_out(out, res, "inner")
    return res


def vdot(input, other, *, out=None):
    """Σ conj(aᵢ)·bᵢ of two 1-D tensors (real dtypes: ``dot``); grad_fn VdotBackward0.
    共轭点积（实数即点积）。"""
    _tensor_arg("vdot", input, "input", 1)
    _tensor_arg("vdot", other, "other", 2)
    x, y = input._data, other._data
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {y.ndim}D tensors")
    if x.dtype != y.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_scalar(input)} and {_scalar(other)}")
    if x.shape != y.shape:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{x.shape[0]}] and src "
                           f"[{y.shape[0]}] to have the same number of elements, but got "
                           f"{x.shape[0]} and {y.shape[0]} elements respectively")
    if type(x) is not type(y):
        from ._util import same_device
        x, y = same_device(input, other)
    from .._backend import ensure_array
    res = _wrap(ensure_array(x @ y, x))
    if STATE[0] and (input._requires_grad or other._requires_grad):
        node = F.VdotBackward0()
        node.saved = (x, y)
        node.save_versions(input, other)
        attach(res, node, (input, other))
    if out is not None:
        from .checks import write_out
        return write_out(out, res, "vdot")
    return res


# -- block_diag, cartesian_prod, diag_embed ---------------------------------------------------
def block_diag(*tensors):
    """The 0-, 1- or 2-D ``tensors`` as blocks along the diagonal of one matrix (zeros
    elsewhere), dtype promoted as torch. 分块对角矩阵。"""
    from .._creation import empty
    from .._dtype import result_type

    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    if not tensors:
        return empty(1, 0)
    for i, t in enumerate(tensors):
        if t.dim() > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {i} has {t.dim()} dimensions")
    dt = tensors[0]._data.dtype
    for t in tensors[1:]:
        if t._data.dtype != dt:
            dt = result_type(_wrap(np.empty(1, dt)), t)._np
    blocks, r, c = [], 0, 0
    for t in tensors:
        d = t._data
        nr, nc = (d.shape if d.ndim == 2 else (1, d.size))
        blocks.append((r, c, nr, nc, d.shape, d.dtype))
        r, c = r + nr, c + nc
    out = zeros_on(tensors[0]._data, (r, c), dt)
    for t, (r0, c0, nr, nc, _, _) in zip(tensors, blocks):
        out[r0:r0 + nr, c0:c0 + nc] = t._data.reshape(nr, nc)
    res = _wrap(out)
    if STATE[0] and any(t._requires_grad for t in tensors):
        node = F.BlockDiagBackward0()
        node.blocks = tuple(blocks)
        attach(res, node, tuple(tensors))
    return res


def cartesian_prod(*tensors):
    """The cartesian product of 1-D tensors, one row per combination (``itertools.product``
    order); torch's composition: meshgrid, flatten, stack. 笛卡尔积。"""
    from .aliases import meshgrid
    from .shape import stack

    for t in tensors:
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if any(t._data.dtype != tensors[0]._data.dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.flatten() for g in grids], 1)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Zeros with the last dim of ``input`` on the diagonal over ``dim1``, ``dim2`` (``offset``
    above it). 以输入的最后一维为对角线构造张量。"""
    from .linalg_api import _diagonal_view

    d = input._data
    nd = d.ndim + 1
    a, b = _dim(dim1, nd), _dim(dim2, nd)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = abs(offset) + d.shape[-1]
    sizes = list(d.shape[:-1])
    sizes.insert(min(a, b), n)
    sizes.insert(max(a, b), n)
    out = zeros_on(d, sizes, d.dtype)
    _diagonal_view(out, offset, a, b)[...] = d
    from .shape import _graph
    return _graph(_wrap(out), input, F.DiagEmbedBackward0, offset=offset, dims=(a, b))


def _attach_methods():
    for n in ("kron", "inner", "vdot", "diag_embed"):
        setattr(Tensor, n, globals()[n])


_attach_methods()


def vander(x, N=None, increasing=False):
    """Columns x⁰, x¹ … x^(N−1) (highest power first unless ``increasing``); integers in int64.
    范德蒙德矩阵。"""
    from .. import _creation
    from .reduce import cumprod
    from .shape import flip

    if not isinstance(x, Tensor):
        raise TypeError(f"vander(): argument 'x' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dt = x.dtype if x.is_floating_point() else _creation._i64
    out = _creation.empty((x.shape[0], n), dtype=dt, device=x.device)
    if n > 0:
        out[:, 0] = 1
        if n > 1:
            out[:, 1:] = cumprod(x.to(dt).unsqueeze(1).expand(x.shape[0], n - 1), 1)
        if not increasing:
            out = flip(out, 1)
    return out


def combinations(input, r=2, with_replacement=False):
    """The length-``r`` combinations of a 1-D tensor's elements, one per row (``itertools``
    order). 一维张量元素的 r 组合，每行一个。"""
    from .aliases import meshgrid
    from .select import masked_select
    from .shape import stack

    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty(0)
    n = input.shape[0]
    idx = np.indices((n,) * r).reshape(r, -1) if n else np.zeros((r, 0), np.int64)
    keep = np.all(idx[:-1] <= idx[1:] if with_replacement else idx[:-1] < idx[1:], axis=0)
    from .._creation import tensor
    mask = tensor(keep.reshape((n,) * r), device=input.device)
    grids = meshgrid(*([input] * r), indexing="ij")
    return stack([masked_select(g, mask) for g in grids], 1)
