"""Backward nodes of shape and indexing ops (views, cat/stack, split, getitem, setitem).

形状与索引运算的反向节点：视图、拼接、切分、取下标、赋值。
"""
from __future__ import annotations

import numpy as np

from ..node import Node, unbroadcast


class _Reshape(Node):
    """Gradient = g reshaped back to the input's shape (``self.shape``)."""

    __slots__ = ("shape",)

    def backward(self, g):
        return (g.reshape(self.shape),)


def _reshape_node(name):
    return type(name, (_Reshape,), {"__slots__": ()})


ViewBackward0 = _reshape_node("ViewBackward0")
UnsafeViewBackward0 = _reshape_node("UnsafeViewBackward0")
SqueezeBackward0 = _reshape_node("SqueezeBackward0")
SqueezeBackward1 = _reshape_node("SqueezeBackward1")
SqueezeBackward4 = _reshape_node("SqueezeBackward4")
UnsqueezeBackward0 = _reshape_node("UnsqueezeBackward0")
AliasBackward0 = _reshape_node("AliasBackward0")


class ExpandBackward0(Node):
    __slots__ = ("shape",)

    def backward(self, g):
        return (unbroadcast(g, self.shape),)


class PermuteBackward0(Node):
    """Also ``TBackward0``/``TransposeBackward0``: ``self.perm`` is the forward permutation."""

    __slots__ = ("perm",)

    def backward(self, g):
        return (g.transpose(np.argsort(self.perm)),)


TBackward0 = type("TBackward0", (PermuteBackward0,), {"__slots__": ()})
TransposeBackward0 = type("TransposeBackward0", (PermuteBackward0,), {"__slots__": ()})


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
        like = next(x for x in gs if x is not None)
        parts = []
        for x, n in zip(gs, self.sizes):
            if x is None:
                shp = list(like.shape)
                shp[self.dim] = n
                x = np.zeros_like(like, shape=shp)
            parts.append(x)
        return (np.concatenate(parts, axis=self.dim),)


class UnbindBackward0(Node):
    __slots__ = ("dim", "n_outputs")

    def backward(self, gs):
        like = next(x for x in gs if x is not None)
        parts = [x if x is not None else np.zeros_like(like) for x in gs]
        return (np.stack(parts, axis=self.dim),)


class _IndexNode(Node):
    """Gradient of ``x[index]``: scatter g into zeros of the input's shape."""

    __slots__ = ("shape", "index", "advanced")

    def backward(self, g):
        z = np.zeros_like(g, shape=self.shape)
        if self.advanced:
            np.add.at(z, self.index, g)
        else:
            z[self.index] = g
        return (z,)


SelectBackward0 = type("SelectBackward0", (_IndexNode,), {"__slots__": ()})
SliceBackward0 = type("SliceBackward0", (_IndexNode,), {"__slots__": ()})
IndexBackward0 = type("IndexBackward0", (_IndexNode,), {"__slots__": ()})
MaskedSelectBackward0 = type("MaskedSelectBackward0", (_IndexNode,), {"__slots__": ()})


class CopySlices(Node):
    """``x[index] = value`` on a tensor in the graph: inputs (old x, value)."""

    __slots__ = ("index", "vshape", "vdtype", "split")

    def _at(self, a):
        """(array, index) addressing the written elements of ``a`` (torch's index semantics)."""
        if self.split is None:
            return a, self.index
        return a[self.split[0]], self.split[1]

    def backward(self, g):
        gx = g.copy()
        t, ix = self._at(gx)
        t[ix] = 0
        gv = None
        if self.vshape is not None:
            from ..._backend import ensure_array  # a 0-d pick stays an array on g's device

            t, ix = self._at(g)
            gv = unbroadcast(ensure_array(t[ix], g), self.vshape).astype(self.vdtype, copy=False)
        return gx, gv


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


class _ScatterBack(Node):
    """Gradient of an op that picked elements by ``idx`` along ``dim`` (sort, topk, gather)."""

    __slots__ = ("shape", "dim")

    def backward(self, g):
        (idx,) = self.saved
        z = np.zeros_like(g, shape=self.shape)
        if type(self).__name__ == "GatherBackward0":
            np.add.at(z, _along(idx, self.dim), g)
        else:
            np.put_along_axis(z, idx, g, axis=self.dim)
        return (z,)


def _along(idx, dim):
    """Advanced index that addresses ``idx`` along axis ``dim`` (for np.add.at)."""
    grids = list(np.indices(idx.shape, sparse=True))
    grids[dim] = idx
    return tuple(grids)


SortBackward0 = type("SortBackward0", (_ScatterBack,), {"__slots__": ()})
TopkBackward0 = type("TopkBackward0", (_ScatterBack,), {"__slots__": ()})
GatherBackward0 = type("GatherBackward0", (_ScatterBack,), {"__slots__": ()})


class IndexSelectBackward0(Node):
    __slots__ = ("shape", "dim")

    def backward(self, g):
        (idx,) = self.saved
        z = np.zeros_like(g, shape=self.shape)
        np.add.at(z, (slice(None),) * self.dim + (idx,), g)
        return (z,)


class TrilBackward0(Node):
    __slots__ = ("k",)

    def backward(self, g):
        return (np.tril(g, self.k),)


class TriuBackward0(Node):
    __slots__ = ("k",)

    def backward(self, g):
        return (np.triu(g, self.k),)
