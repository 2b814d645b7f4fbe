"""Backward nodes of shape and indexing ops (views, cat/stack, split, getitem, setitem).

形状与索引运算的反向节点：视图、拼接、切分、取下标、赋值。
"""
from __future__ import annotations

import numpy as np

from ..._backend import xp_of
from ..node import ERR_FREED, FREED, Node, unbroadcast


class _Reshape(Node):
    """Gradient = g reshaped back to the input's shape (``self.shape``)."""

    __slots__ = ("shape",)

    def backward(self, g):
        return (g.reshape(self.shape),)


def _reshape_node(name):
    return type(name, (_Reshape,), {"__slots__": ()})


ViewBackward0 = _reshape_node("ViewBackward0")
UnsafeViewBackward0 = _reshape_node("UnsafeViewBackward0")
ReshapeAliasBackward0 = _reshape_node("ReshapeAliasBackward0")
SqueezeBackward0 = _reshape_node("SqueezeBackward0")
SqueezeBackward1 = _reshape_node("SqueezeBackward1")
SqueezeBackward2 = _reshape_node("SqueezeBackward2")
SqueezeBackward4 = _reshape_node("SqueezeBackward4")
UnsqueezeBackward0 = _reshape_node("UnsqueezeBackward0")
# the in-place forms (x.squeeze_() …): same formula, torch's names
SqueezeBackward3 = _reshape_node("SqueezeBackward3")
SqueezeBackward5 = _reshape_node("SqueezeBackward5")
UnsqueezeBackward1 = _reshape_node("UnsqueezeBackward1")
AliasBackward0 = _reshape_node("AliasBackward0")


class ExpandBackward0(Node):
    __slots__ = ("shape",)

    def backward(self, g):
        return (unbroadcast(g, self.shape),)


class PermuteBackward0(Node):
    """Also ``TBackward0``/``TransposeBackward0``: ``self.perm`` is the forward permutation."""

    __slots__ = ("perm",)

    def backward(self, g):
        perm = self.perm
        if len(perm) == 2:  # t(): its own inverse (the common case: every nn.Linear)
            return (g.T if perm[0] == 1 else g,)
        inv = [0] * len(perm)
        for i, p in enumerate(perm):
            inv[p] = i
        return (g.transpose(inv),)


TBackward0 = type("TBackward0", (PermuteBackward0,), {"__slots__": ()})
TransposeBackward0 = type("TransposeBackward0", (PermuteBackward0,), {"__slots__": ()})
TBackward1 = type("TBackward1", (PermuteBackward0,), {"__slots__": ()})  # t_()
TransposeBackward1 = type("TransposeBackward1", (PermuteBackward0,), {"__slots__": ()})  # transpose_()


class CatBackward0(Node):
    __slots__ = ("dim", "sizes")

    def backward(self, g):
        cuts = np.cumsum(self.sizes)[:-1]
        return tuple(np.split(g, cuts, axis=self.dim))


class StackBackward0(Node):
    __slots__ = ("dim", "n")

    def backward(self, g):
        from ..._backend import ensure_array  # 0-d pieces stay arrays on g's device

        return tuple(ensure_array(g.take(i, axis=self.dim), g) for i in range(self.n))


class SplitBackward0(Node):
    """Multi-output: ``g`` is a list of gradients, one per piece (None → zeros)."""

    __slots__ = ("dim", "sizes", "n_outputs", "dtype")

    def backward(self, gs):
        if self.n_outputs == 1:  # the engine hands a one-output node its gradient bare
            gs = (gs,)
        like = next(x for x in gs if x is not None)
        parts = []
        for x, n in zip(gs, self.sizes):
            if x is None:
                shp = list(like.shape)
                shp[self.dim] = n
                x = np.zeros_like(like, shape=shp)
            parts.append(x)
        return (np.concatenate(parts, axis=self.dim),)


SplitWithSizesBackward0 = type("SplitWithSizesBackward0", (SplitBackward0,), {"__slots__": ()})


class UnbindBackward0(Node):
    __slots__ = ("dim", "n_outputs")

    def backward(self, gs):
        if self.n_outputs == 1:  # the engine hands a one-output node its gradient bare
            gs = (gs,)
        like = next(x for x in gs if x is not None)
        parts = [x if x is not None else np.zeros_like(like) for x in gs]
        return (np.stack(parts, axis=self.dim),)


def _add_at(z, index, g):
    """``z[index] += g`` with repeated indices adding up (numpy's / cupy's ``add.at``)."""
    if isinstance(z, np.ndarray):
        np.add.at(z, index, g)
    else:
        from ..._backend import xp_of
        xp_of(z).add.at(z, index, g)


class _IndexNode(Node):
    """Gradient of ``x[index]``: scatter g into zeros of the input's shape."""

    __slots__ = ("shape", "index", "advanced")

    def backward(self, g):
        z = np.zeros_like(g, shape=self.shape)
        if self.advanced:
            _add_at(z, self.index, g)
        else:
            z[self.index] = g
        return (z,)


SelectBackward0 = type("SelectBackward0", (_IndexNode,), {"__slots__": ()})
SliceBackward0 = type("SliceBackward0", (_IndexNode,), {"__slots__": ()})
IndexBackward0 = type("IndexBackward0", (_IndexNode,), {"__slots__": ()})
MaskedSelectBackward0 = type("MaskedSelectBackward0", (_IndexNode,), {"__slots__": ()})


class IndexPutBackward0(Node):
    """``x[index] = value`` with an advanced index (torch's ``index_put_``): inputs (x, value)."""

    __slots__ = ("index", "vshape", "vdtype")
    accumulate = False  # index_put(..., accumulate=True): x keeps its whole gradient

    def backward(self, g):
        if self.accumulate:
            gx = g
        else:
            gx = g.copy()
            gx[self.index] = 0
        gv = None
        if self.vshape is not None:
            from ..._backend import ensure_array  # a 0-d pick stays an array on g's device

            gv = unbroadcast(ensure_array(g[self.index], g), self.vshape).astype(self.vdtype,
                                                                                 copy=False)
        return gx, gv


class CopySlices(Node):
    """An in-place op on a view, seen from the view's base: the op's backward ``fn`` applied to
    the view's part of the gradient; the rest passes through (torch's ``CopySlices``).
    Inputs: the base's old value, then ``fn``'s other inputs."""

    __slots__ = ("fn", "geom")

    def backward(self, g):
        fn = self.fn
        if fn.saved is FREED:
            raise RuntimeError(ERR_FREED)
        if fn._versions:
            fn._check_saved()
        geo = self.geom
        if getattr(g, "is_tarray", False):  # create_graph: never write into the caller's g
            g = g.copy()
        buf = geo.to_mem(g)
        res = fn.backward(geo.get(buf))
        r0 = res[0]
        geo.put(buf, 0 if r0 is None else r0)
        return (geo.from_mem(buf),) + tuple(res[1:])

    def release_variables(self):
        Node.release_variables(self)
        self.fn.release_variables()


class AsStridedBackward0(Node):
    """A view whose memory was changed in place: its gradient lands on its part of the base."""

    __slots__ = ("geom",)

    def backward(self, g):
        geo = self.geom
        buf = _xp(g).zeros_like(g, shape=(geo.extent,))  # keeps g's array type (device)
        geo.put(buf, g, add=True)
        return (geo.from_mem(buf),)


class _ZeroGrad(Node):
    """In-place ops that overwrite every element (``zero_``, ``fill_``, ``normal_`` …): the old
    value gets a zero gradient; a tensor ``value`` of ``fill_`` gets the sum, ``copy_``'s
    source its (un-broadcast) gradient."""

    __slots__ = ("vshape", "vdtype")

    def backward(self, g):
        z = np.zeros_like(g) if isinstance(g, np.ndarray) else _xp(g).zeros_like(g)
        if len(self.next_functions) == 1:
            return (z,)
        gv = None
        if self.vshape is not None:
            gv = unbroadcast(g, self.vshape).astype(self.vdtype, copy=False)
            if type(gv) is not type(g) or gv.ndim == 0:
                from ..._backend import ensure_array
                gv = ensure_array(gv, g)
        return z, gv


def _zero_node(name):
    return type(name, (_ZeroGrad,), {"__slots__": ()})


ZeroBackward0 = _zero_node("ZeroBackward0")
FillBackward2 = _zero_node("FillBackward2")
FillBackward3 = _zero_node("FillBackward3")
CopyBackwards = _zero_node("CopyBackwards")
NormalBackward0 = _zero_node("NormalBackward0")
UniformBackward0 = _zero_node("UniformBackward0")
ExponentialBackward0 = _zero_node("ExponentialBackward0")
# in-place comparisons: ...Backward0 with a number, ...Backward1 with a tensor
EqBackward0, NeBackward0, LtBackward0, LeBackward0, GtBackward0, GeBackward0 = (
    _zero_node(f"{n}Backward0") for n in ("Eq", "Ne", "Lt", "Le", "Gt", "Ge"))


class _CompareTensor(_ZeroGrad):
    """``x.eq_(y)`` with a tensor y: zero gradients for x and y (as torch)."""

    __slots__ = ()

    def backward(self, g):
        z, gv = super().backward(g)
        return z, (None if gv is None else gv * 0)


EqBackward1, NeBackward1, LtBackward1, LeBackward1, GtBackward1, GeBackward1 = (
    type(f"{n}Backward1", (_CompareTensor,), {"__slots__": ()})
    for n in ("Eq", "Ne", "Lt", "Le", "Gt", "Ge"))
GeometricBackward0 = _zero_node("GeometricBackward0")
CauchyBackward0 = _zero_node("CauchyBackward0")
LogNormalBackward0 = _zero_node("LogNormalBackward0")
BernoulliBackward2 = _zero_node("BernoulliBackward2")
RandomBackward0 = _zero_node("RandomBackward0")
RandomBackward1 = _zero_node("RandomBackward1")
RandomBackward2 = _zero_node("RandomBackward2")


class _Identity(Node):
    """A 0-d input picked whole (sort/topk/gather/max of a 0-d tensor): gradient = g."""

    __slots__ = ()

    def backward(self, g):
        return (g,)


_IDENTITY = {}


def identity_node(name):
    """A node class named like torch's (``SortBackward0`` …) for an op on a 0-d tensor."""
    cls = _IDENTITY.get(name)
    if cls is None:
        cls = _IDENTITY[name] = type(name, (_Identity,), {"__slots__": ()})
    return cls


def _xp(a):
    from ..._backend import xp_of

    return xp_of(a)


class RepeatBackward0(Node):
    __slots__ = ("shape", "repeats")

    def backward(self, g):
        shp = []
        pad = len(self.repeats) - len(self.shape)
        full = (1,) * pad + tuple(self.shape)
        for r, n in zip(self.repeats, full):
            shp += [r, n]
        g = g.reshape(shp).sum(axis=tuple(range(0, len(shp), 2)))
        return (g.reshape(self.shape),)


class FlipBackward0(Node):
    __slots__ = ("dims",)

    def backward(self, g):
        return (np.flip(g, self.dims),)


class UnfoldBackward0(Node):
    """``unfold(dim, size, step)``: window i's element k came from position i·step + k of
    ``dim``; the gradients of overlapping windows add up (one slice-add per window offset)."""

    __slots__ = ("shape", "dim", "size", "step")

    def backward(self, g):
        d, size, step = self.dim, self.size, self.step
        out = np.zeros_like(g, shape=self.shape)
        if len(self.shape) == 0:  # a 0-d input: one window of one element
            return (g.reshape(()),)
        n = g.shape[d]
        for k in range(size):
            sl = (slice(None),) * d + (slice(k, k + step * (n - 1) + 1, step),)
            out[sl] = out[sl] + g[..., k]
        return (out,)


class _ScatterBack(Node):
    """Gradient of an op that picked elements by ``idx`` along ``dim`` (sort, topk, gather)."""

    __slots__ = ("shape", "dim")

    def backward(self, g):
        (idx,) = self.saved
        z = np.zeros_like(g, shape=self.shape)
        if type(self).__name__ == "GatherBackward0":
            _add_at(z, _along(idx, self.dim), g)
        else:
            np.put_along_axis(z, idx, g, axis=self.dim)
        return (z,)


def _along(idx, dim):
    """Advanced index that addresses ``idx`` along axis ``dim`` (for np.add.at)."""
    grids = list(np.indices(idx.shape, sparse=True))
    grids[dim] = idx
    return tuple(grids)


def _gathered(g, idx, dim):
    """``g.gather(dim, idx)`` on arrays: ``idx`` may be smaller than ``g`` in every dim (a 0-d
    ``g`` or ``idx`` read as one element)."""
    one = idx.reshape(1) if idx.ndim == 0 else idx
    return (g.reshape(1) if g.ndim == 0 else g)[_along(one, dim)].reshape(idx.shape)


class ScatterBackward0(Node):
    """``input.scatter(dim, index, src)``: inputs (input, src); saved (index,). The written
    positions take nothing back to ``input``; ``src`` gets ``g`` gathered at them."""

    __slots__ = ("dim", "src_shape")

    def backward(self, g):
        (idx,) = self.saved
        gx = g.copy()
        gx[_along(idx, self.dim)] = 0
        gs = None
        if self.src_shape is not None:
            gs = _gathered(g, idx, self.dim)
            if gs.shape != self.src_shape:  # src larger than index: torch refuses too
                raise RuntimeError(
                    f"Function ScatterBackward0 returned an invalid gradient at index 1 - got "
                    f"{list(gs.shape)} but expected shape compatible with {list(self.src_shape)}")
        return gx, gs


class ScatterAddBackward0(Node):
    """``input.scatter_add(dim, index, src)``: inputs (input, src); saved (index,). ``input``
    gets ``g``; ``src`` gets ``g.gather(dim, index)`` (a 0-d g or index read as one element)."""

    __slots__ = ("dim", "src_shape")

    def backward(self, g):
        (idx,) = self.saved
        gs = None
        if self.src_shape is not None:
            gs = _gathered(g, idx, self.dim)
            if gs.shape != self.src_shape:  # torch's engine: sum to src's shape if it can
                if not _expands(self.src_shape, gs.shape):
                    raise RuntimeError(
                        f"Function ScatterAddBackward0 returned an invalid gradient at index 1 - "
                        f"got {list(gs.shape)} but expected shape compatible with "
                        f"{list(self.src_shape)}")
                gs = unbroadcast(gs, self.src_shape)
        return g, gs


def _expands(shape, to):
    """Whether ``shape`` broadcasts to ``to`` (torch's is_expandable_to)."""
    try:
        return np.broadcast_shapes(shape, to) == tuple(to)
    except ValueError:
        return False


ScatterBackward1 = type("ScatterBackward1", (ScatterBackward0,), {"__slots__": ()})
ScatterBackward1.__doc__ = "``input.scatter(dim, index, value)``: only ``input`` has a gradient."

SortBackward0 = type("SortBackward0", (_ScatterBack,), {"__slots__": ()})
TopkBackward0 = type("TopkBackward0", (_ScatterBack,), {"__slots__": ()})
GatherBackward0 = type("GatherBackward0", (_ScatterBack,), {"__slots__": ()})


class IndexSelectBackward0(Node):
    __slots__ = ("shape", "dim")

    def backward(self, g):
        (idx,) = self.saved
        z = np.zeros_like(g, shape=self.shape)
        if z.ndim == 0:  # a 0-d input: its one element was picked
            z += g
            return (z,)
        _add_at(z, (slice(None),) * self.dim + (idx,), g)
        return (z,)


class TrilBackward0(Node):
    __slots__ = ("k",)

    def backward(self, g):
        return (np.tril(g, self.k),)


class TriuBackward0(Node):
    __slots__ = ("k",)

    def backward(self, g):
        return (np.triu(g, self.k),)


IndexPutAccumulate = type("IndexPutBackward0", (IndexPutBackward0,),
                          {"__slots__": (), "accumulate": True})


class TakeBackward0(Node):
    """``take(x, index)``: ``g`` added into zeros of x's size at the flat positions (saved,
    made non-negative), then shaped like x."""

    __slots__ = ("shape",)

    def backward(self, g):
        (pos,) = self.saved
        z = np.zeros_like(g, shape=(int(np.prod(self.shape)),))
        _add_at(z, pos.reshape(-1), g.reshape(-1))
        return (z.reshape(self.shape),)


def _without_slices(g, dim, idx):
    """``g`` with the slices ``idx`` of ``dim`` zeroed, as a product with a constant 0/1 mask
    (so create_graph records it); a 0-d ``g`` counts as one slice."""
    n = g.shape[dim] if g.ndim else 1
    m = xp_of(idx).ones(n, dtype=g.dtype)  # idx lives on g's device
    m[idx] = 0
    shape = [1] * g.ndim
    if g.ndim:
        shape[dim] = n
    return g * m.reshape(shape)


def _slices(g, dim, idx):
    """The slices ``idx`` of ``dim`` (a 0-d ``g`` counts as one)."""
    return (g.reshape(1) if g.ndim == 0 else g).take(idx, axis=dim)


class IndexFillBackward0(Node):
    """``index_fill(x, dim, index, number)``: the filled slices get no gradient."""

    __slots__ = ("dim",)

    def backward(self, g):
        (idx,) = self.saved
        return (_without_slices(g, self.dim, idx),)


class IndexFillBackward1(Node):
    """``index_fill(x, dim, index, value)`` with a 0-d tensor ``value``: inputs (x, value); the
    value gets the sum of the filled slices' gradients."""

    __slots__ = ("dim",)

    def backward(self, g):
        (idx,) = self.saved
        gv = _slices(g, self.dim, idx).sum() if self.next_functions[1][0] is not None else None
        return _without_slices(g, self.dim, idx), gv


class IndexCopyBackward0(Node):
    """``index_copy(x, dim, index, source)``: inputs (x, source); x's copied-over slices get
    no gradient, source gets the gradient of the slices it was copied to."""

    __slots__ = ("dim", "src_shape")

    def backward(self, g):
        (idx,) = self.saved
        gs = None
        if self.next_functions[1][0] is not None:
            gs = _slices(g, self.dim, idx).reshape(self.src_shape)
        return _without_slices(g, self.dim, idx), gs


class _RegionScatter(Node):
    """``*_scatter(input, src, …)``: src written over a region of a copy of input; inputs
    (input, src). ``keep``: the constant 0/1 mask of the positions input keeps."""

    __slots__ = ("keep", "src_shape")

    def backward(self, g):
        gs = None
        if self.next_functions[1][0] is not None:
            gs = self._pick(g).reshape(self.src_shape)
        return g * self.keep, gs


class SliceScatterBackward0(_RegionScatter):
    __slots__ = ("index",)

    def _pick(self, g):
        return g[self.index]


class SelectScatterBackward0(SliceScatterBackward0):
    __slots__ = ()


class DiagonalScatterBackward0(_RegionScatter):
    __slots__ = ("offset", "dims")

    def _pick(self, g):
        return np.diagonal(g, self.offset, *self.dims)


class MaskedScatterBackward0(_RegionScatter):
    """src's first k elements went to the k True positions (in order); the rest get 0."""

    __slots__ = ("mask",)

    def _pick(self, g):
        taken = g[self.mask]
        n = int(np.prod(self.src_shape))
        if taken.shape[0] == n:
            return taken
        return np.concatenate([taken, np.zeros_like(taken, shape=(n - taken.shape[0],))])


class PutBackward0(_RegionScatter):
    """``put(index, source, accumulate)``: source[i] went to flat position index[i]."""

    __slots__ = ("index",)

    def _pick(self, g):
        return g.reshape(-1)[self.index]


class IndexAddBackward0(Node):
    """``index_add(x, dim, index, source, alpha)``: inputs (x, source); x gets ``g``, source
    ``alpha·g.index_select(dim, index)`` (saved index, made 1-D) in its shape."""

    __slots__ = ("dim", "alpha", "src_shape")

    def backward(self, g):
        gs = None
        if self.src_shape is not None:
            (idx,) = self.saved
            gs = (g.reshape(1) if g.ndim == 0 else g).take(idx, axis=self.dim)
            if self.alpha != 1:
                gs = gs * self.alpha
            gs = gs.reshape(self.src_shape)
        return g, gs
