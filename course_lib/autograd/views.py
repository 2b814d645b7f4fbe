"""Views and in-place ops in the autograd graph: torch's ``CopySlices`` / ``AsStridedBackward0``.

视图与原地运算的求导规则（与 torch 相同）：

* an in-place op writes into the tensor's memory (views and ``detach()`` aliases see it) and
  bumps the shared version counter; the tensor's ``grad_fn`` becomes the op's node;
  原地运算直接写入内存并增加共享的版本号，张量的 ``grad_fn`` 换成该运算的节点；
* on a view, the *base* gets ``CopySlices`` (the op's backward applied to the view's part of
  the gradient) and the view gets ``AsStridedBackward0`` (its part of the base's gradient);
  对视图做原地运算时，基张量得到 ``CopySlices``，视图得到 ``AsStridedBackward0``；
* any other view whose memory changed remakes its ``grad_fn`` the same way when it is read.
  其他视图在读取 ``grad_fn`` 时按同样方式重建。

A view tensor has ``_base`` (the root tensor that owns the memory), ``_gver`` (the version
its ``grad_fn`` was made at) and ``_vmeta`` (``DEFAULT``, ``NO_GRAD`` or ``MULTI``: how it was
made). The geometry of a view inside its base is read from the arrays (pointer and strides),
as torch's ``as_strided``, so nothing is recorded when a view is made.
"""
from __future__ import annotations

import gc
import sys
import weakref

import numpy as np

from .node import edge

DEFAULT, NO_GRAD, MULTI = 0, 1, 2

_NO_GRAD_TAIL = (
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block (if "
    "you don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")
_MULTI_TAIL = (
    "This view is the output of a function that returns multiple views. Such functions do not "
    "allow the output views to be modified inplace. You should replace the inplace operation by "
    "an out-of-place one.")
ERR_LEAF = "a leaf Variable that requires grad is being used in an in-place operation."
ERR_VIEW_OF_LEAF = ("a view of a leaf Variable that requires grad is being used in an in-place "
                    "operation.")


def short_name(node):
    """torch's node name in error messages: ``SigmoidBackward0`` → ``Sigmoid``,
    ``ClampBackward1`` → ``Clamp1``."""
    n = type(node).__name__
    if n == "CopySlices":  # a C++ class in torch, named with its namespace
        return "course_lib::autograd::CopySlices"
    return n[:-9] if n.endswith("Backward0") else n.replace("Backward", "")


def _view_error(t, indirect):
    """torch's error for an in-place change of a no-grad or multi-output view."""
    fn = t._grad_fn
    mod = "its base or another view of its base has been" if indirect else "is being"
    if t._vmeta == NO_GRAD or fn is None:
        prefix = (f"Output {t._output_nr} of {short_name(fn)} is a view of a view which was "
                  "created in" if fn is not None else "A view was created in")
        msg = f"{prefix} no_grad mode and {mod} modified inplace with grad mode enabled. "
    else:
        msg = f"Output {t._output_nr} of {short_name(fn)} is a view and {mod} modified inplace. "
    return RuntimeError(msg + (_MULTI_TAIL if t._vmeta == MULTI else _NO_GRAD_TAIL))


def check_inplace(t, differentiable):
    """torch's checks before an in-place op on ``t``; ``differentiable``: grad mode is on and
    ``t`` or an operand requires grad. Like torch, "leaf" means "no ``grad_fn`` yet" (a view
    requires grad when its base does)."""
    if not differentiable:
        return
    b = t._base
    rg = t._requires_grad
    if b is not None:
        if t._vmeta:
            raise _view_error(t, False)
        rg = rg or b._requires_grad
        if rg and b._grad_fn is None:
            raise RuntimeError(ERR_VIEW_OF_LEAF)
    if rg and t._grad_fn is None:
        raise RuntimeError(ERR_LEAF)


# -- geometry of a view inside its base ------------------------------------------------------
def _ptr(a):
    if isinstance(a, np.ndarray):
        return a.__array_interface__["data"][0]
    return a.data.ptr  # cupy


class Geometry:
    """Where a view's elements lie in its base's memory (element units, like torch's
    ``as_strided``): base shape/strides, view shape/strides/offset."""

    __slots__ = ("bshape", "bstrides", "vshape", "vstrides", "off", "lo", "extent", "contig",
                 "overlap")

    def __init__(self, base, view):
        item = base.itemsize
        self.bshape, self.vshape = base.shape, view.shape
        self.bstrides = tuple(s // item for s in base.strides)
        self.vstrides = tuple(s // item for s in view.strides)
        self.off = (_ptr(view) - _ptr(base)) // item
        self.lo = sum(min(0, (n - 1) * s) for n, s in zip(self.bshape, self.bstrides))
        hi = sum(max(0, (n - 1) * s) for n, s in zip(self.bshape, self.bstrides))
        self.extent = hi - self.lo + 1 if base.size else 0
        self.contig = bool(base.flags.c_contiguous) and self.lo == 0
        self.overlap = any(s == 0 and n > 1 for n, s in zip(self.vshape, self.vstrides))

    def valid(self):
        """The view's memory lies inside the base's."""
        if 0 in self.vshape:
            return True
        lo = self.off + sum(min(0, (n - 1) * s) for n, s in zip(self.vshape, self.vstrides))
        hi = self.off + sum(max(0, (n - 1) * s) for n, s in zip(self.vshape, self.vstrides))
        return self.lo <= lo and hi < self.lo + self.extent

    # positions in a flat buffer laid out like the base's memory
    def _pos(self, xp, shape, strides, off):
        p = xp.asarray(off - self.lo, dtype=np.int64)
        nd = len(shape)
        for k, (n, s) in enumerate(zip(shape, strides)):
            p = p + (xp.arange(n, dtype=np.int64) * s).reshape((n,) + (1,) * (nd - k - 1))
        return xp.broadcast_to(p, shape)

    def to_mem(self, g):
        """The base-shaped gradient ``g`` as a fresh flat buffer in the base's memory layout."""
        if self.contig:
            return g.flatten()
        xp = _xp(g)
        buf = xp.zeros_like(g, shape=(self.extent,))  # keeps g's array type (device)
        buf[self._pos(xp, self.bshape, self.bstrides, 0)] = g
        return buf

    def from_mem(self, buf):
        if self.contig:
            return buf.reshape(self.bshape)
        return buf[self._pos(_xp(buf), self.bshape, self.bstrides, 0)]

    def _strided(self, buf):
        """The view's elements of ``buf`` as a numpy view (None when that is not possible)."""
        if type(buf) is not np.ndarray or self.overlap:
            return None
        item = buf.itemsize
        return np.lib.stride_tricks.as_strided(
            buf[self.off - self.lo:], self.vshape, tuple(s * item for s in self.vstrides))

    def get(self, buf):
        """A copy of the view's part of ``buf``."""
        v = self._strided(buf)
        if v is not None:
            return v.copy()
        return buf[self._pos(_xp(buf), self.vshape, self.vstrides, self.off)]

    def put(self, buf, x, add=False):
        """Write (or, for overlapping views, add) ``x`` into the view's part of ``buf``."""
        v = self._strided(buf)
        if v is not None:
            v[...] = x
            return
        xp = _xp(buf)
        pos = self._pos(xp, self.vshape, self.vstrides, self.off)
        if add and self.overlap:
            xp.add.at(buf, pos, xp.broadcast_to(x, self.vshape))
        else:
            buf[pos] = x


def _xp(a):
    from .._backend import xp_of

    return xp_of(a)


# -- graph updates ---------------------------------------------------------------------------
def _move_retain(old, new, t):
    """``retain_grad`` follows the tensor to its new ``grad_fn`` (as torch)."""
    h = old._hooks if old is not None else None
    if not h or "retain" not in h:
        return
    keep, moved = [], []
    for nr, ref in h["retain"]:
        (moved if ref() is t else keep).append((nr, ref))
    if moved:
        h["retain"] = keep
        new._hook_dict().setdefault("retain", []).append((0, weakref.ref(t)))


def flip_views(root, known=0):
    """``root`` now requires grad: so do its views (torch's view ``requires_grad`` follows its
    base). Views are found through the garbage collector, only when some may exist."""
    if sys.getrefcount(root._ver) <= 2 + known:  # the root's own slot + getrefcount's argument
        return
    from .._tensor import Tensor

    for o in gc.get_referrers(root):
        if isinstance(o, Tensor) and o._base is root and o._data.dtype.kind == "f":
            o._requires_grad = True


def _set_fn(t, node):
    old = t._grad_fn
    flipped = not t._requires_grad
    t._grad_fn = node
    t._requires_grad = True
    t._output_nr = 0
    if old is not None:
        _move_retain(old, node, t)
    return flipped


def remake(t):
    """Give view ``t`` a fresh ``AsStridedBackward0`` from its base (torch's regeneration)."""
    from .functions.shape import AsStridedBackward0

    b = t._base
    old = t._grad_fn
    geo = Geometry(b._data, t._data)
    t._gver = t._ver[0]
    if not geo.valid():  # the base's memory was replaced (``base.data = …``): keep the old node
        return old
    node = AsStridedBackward0()
    node.geom = geo
    node.next_functions = (edge(b),)
    _set_fn(t, node)
    return node


def view_grad_fn(t):
    """``t.grad_fn`` for a view whose memory changed since its ``grad_fn`` was made."""
    if t._grad_fn is None and not t._base._requires_grad:
        return None
    if t._vmeta:
        raise _view_error(t, True)
    return remake(t)


def rebase(t, node):
    """After an in-place op on ``t`` (already written, version bumped) whose backward is
    ``node`` (edges: ``t``'s old value first, then the other inputs): update the graph."""
    b = t._base
    if b is None:
        if _set_fn(t, node):
            flip_views(t)
        return t
    from .functions.shape import CopySlices

    cs = CopySlices()
    cs.saved = ()
    cs.fn = node
    cs.geom = Geometry(b._data, t._data)
    cs.next_functions = (edge(b),) + tuple(node.next_functions[1:])
    if _set_fn(b, cs):
        flip_views(b, 1)
    remake(t)
    return t


def fix_saved(node, t, res):
    """The op's ``node`` was built out of place (``res``) and saved ``t``'s old array; ``t`` is
    about to be overwritten: keep a private copy of what it saved (as torch saves the original
    ``self`` of an in-place op) and watch ``t`` where the node watched its result ``res``."""
    vs = node._versions
    needed = vs is None  # no record of what the node reads: keep a copy to be safe
    edges = []  # the graph edges of t's original value, for create_graph
    if vs:
        new = []
        for v, n, who in vs:
            if v is res._ver:  # the saved output is now ``t``
                new.append((t._ver, None, who))
            elif not needed and v is t._ver and _is(who, t):
                needed = True  # t's original value: now a private copy (a second entry of t
                # stays: torch's error for x.mul_(x))
                if isinstance(who, tuple):
                    edges.append(who)
                else:  # the tensor itself: its graph edge before this op rebases it
                    from .node import edge
                    edges.append((edge(t), t._data, weakref.ref(t)))
            else:
                new.append((v, n, who))
        node._versions = new
    s = node.saved
    if needed and s and type(s) is tuple:
        x = t._data
        node.saved = tuple(_copy_if_alias(a, x) for a in s)
        # create_graph rebuilds the copy as a tensor of t's old graph edge (torch's
        # SavedVariable of the original self); a private counter: it never changes
        for a, b in zip(s, node.saved):
            if b is not a:
                for who in edges:
                    if who[1] is a:
                        node._versions.append(([0], 0, (who[0], b, who[2])))


def finish_saved(node, t):
    """After the version bump: the saved output is ``t`` at its new version."""
    vs = node._versions
    if vs:
        node._versions = [(v, t._ver[0], w) if n is None else (v, n, w) for v, n, w in vs]


def _is(who, t):
    if isinstance(who, tuple):  # (edge, array) of a saved input
        return who[1] is t._data
    if isinstance(who, weakref.ref):
        who = who()
    return who is t


def _copy_if_alias(a, x):
    if a is x:
        return a.copy()
    if isinstance(a, np.ndarray) and isinstance(x, np.ndarray):
        if a.size and np.may_share_memory(a, x):
            return a.copy()
    elif getattr(a, "base", None) is x:
        return a.copy()
    return a
