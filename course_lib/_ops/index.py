"""Indexing: ``x[...]`` read (basic indexing → a view sharing memory) and write (``x[...] = v``).

索引：基本索引返回共享内存的视图；高级索引（张量/列表/布尔掩码）返回拷贝。
"""
from __future__ import annotations

import builtins

import numpy as np

from .. import _backend
from .._tensor import _view_of
from ..autograd.functions import shape as F
from ..autograd import views as _views
from ..autograd.node import attach1, edge
from ._util import STATE, Tensor, _wrap, same_device


NON_TUPLE = ("Using a non-tuple sequence for multidimensional indexing is deprecated and will "
             "be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 "
             "this will be interpreted as tensor index, x[torch.tensor(seq)], which will result "
             "either in an error or a different result")
UINT8_MASK = ("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool "
              "instead.")
_ONE = (Tensor, int, slice, np.ndarray, np.integer, type(Ellipsis))


def _is_sequence(o):
    """Python's PySequence_Check: a type with ``__getitem__`` that is not a mapping (a dict,
    or a numpy scalar, whose C type has only mapping subscripts)."""
    return hasattr(type(o), "__getitem__") and not isinstance(o, (dict, np.generic))


def _as_tuple(seq):
    """torch's treatSequenceAsTuple (numpy's old heuristic): a short list holding a tensor,
    sequence, slice, ``...`` or None indexes several dims (with torch's deprecation warning);
    any other sequence (``range(n)``, ``[0, 2]``) is one index along the first dim."""
    if not _is_sequence(seq):
        return (seq,)
    try:
        n = len(seq)
    except TypeError:
        return (seq,)
    if n >= 32:
        return (seq,)
    for o in seq:
        if isinstance(o, (Tensor, slice)) or o is None or o is Ellipsis or _is_sequence(o):
            import warnings
            warnings.warn(NON_TUPLE, UserWarning, stacklevel=4)
            return tuple(seq)
    return (seq,)


def _sequence_index(seq):
    """torch's sequenceToVariable: the index tensor of a sequence (``range``, list, ndarray),
    bool or uint8 when its data is, else int64 (floats truncated, as torch)."""
    if isinstance(seq, np.ndarray):
        a = seq
    else:
        from .._creation import _infer_np
        from .._dtype import int64
        a = _infer_np(seq if isinstance(seq, (list, tuple)) else list(seq), int64)[0]
    return a if a.dtype.kind == "b" or a.dtype == np.uint8 else a.astype(np.int64)


def _index(idx, x):
    """numpy index for ``idx``; returns (index, advanced?, node class)."""
    if not isinstance(idx, tuple):
        idx = (idx,) if idx is None or isinstance(idx, _ONE) else _as_tuple(idx)
    out = []
    advanced = False
    last = None
    for i in idx:
        if isinstance(i, Tensor):
            a = i._data
            if a.ndim == 0 and a.dtype.kind in "iu":
                out.append(int(a))
                last = F.SelectBackward0
                continue
            if a.dtype.kind not in "iub":
                raise IndexError("tensors used as indices must be long, int, byte or bool "
                                 "tensors")
            if a.dtype == np.uint8:
                a = _uint8_mask(a)
            if type(a) is not type(x):
                dx = _backend.device_of(x)
                if dx.type == "cpu":
                    raise RuntimeError("indices should be either on cpu or on the same device "
                                       "as the indexed tensor (cpu)")
                a = _backend.transfer(a, dx)
            out.append(a)
            advanced = True
        elif isinstance(i, bool):
            out.append(i)
            advanced = True
        elif isinstance(i, (int, np.integer)):
            out.append(int(i))
            last = F.SelectBackward0
        elif isinstance(i, slice):
            if any(isinstance(v, Tensor) for v in (i.start, i.stop, i.step)):
                i = slice(*(int(v) if v is not None else None for v in (i.start, i.stop, i.step)))
            if i.step == 0:
                raise ValueError("slice step cannot be zero")
            if i.step is not None and i.step < 0:
                raise ValueError("step must be greater than zero")
            out.append(i)
            last = F.SliceBackward0
        elif i is None:
            out.append(None)
            last = F.UnsqueezeBackward0
        elif i is Ellipsis:
            out.append(i)
        elif isinstance(i, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{type(i).__name__}'")
        elif isinstance(i, np.ndarray) or _is_sequence(i):
            a = _sequence_index(i)
            if a.dtype == np.uint8:
                a = _uint8_mask(a)
            out.append(a if _backend.is_cpu(x) else _backend.transfer(a, _backend.device_of(x)))
            advanced = True
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or "
                             "byte Variables are valid indices (got "
                             f"{type(i).__name__})")
    if advanced:
        last = F.IndexBackward0
    elif last is None:
        last = F.AliasBackward0
    return tuple(out), advanced, last


def _uint8_mask(a):
    import warnings
    warnings.warn(UINT8_MASK, UserWarning, stacklevel=4)
    return a.astype(bool)


def _numpy_index_error(e, x, dim=None, adv=()):
    """torch's IndexError for numpy's (``dim``: the dim an int index applied to; ``adv``: the
    advanced indices as (first dim, array, dims) — torch counts their dims from the first)."""
    import re

    msg = str(e)
    if dim is not None and "out of bounds" in msg:
        msg = re.sub(r"axis \d+", f"axis {dim}", msg)
    if "too many indices" in msg:
        if x.ndim == 0:
            return IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                              "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        return IndexError(f"too many indices for tensor of dimension {x.ndim}")
    if "out of bounds" in msg:
        if adv:
            msg = re.sub(r"axis (\d+)", lambda m: f"axis {int(m.group(1)) - adv[0][0]}", msg)
        return IndexError(msg.replace("axis", "dimension"))
    m = re.search(r"along (?:axis|dimension) (\d+); size of axis is (\d+) but size of "
                  r"corresponding boolean axis is (\d+)", msg)
    if m:
        d, n, k = (int(v) for v in m.groups())
        mask = next((c for p, c, k in adv if p <= d < p + k), None)
        start = next((p for p, c, k in adv if p <= d < p + k), d)
        ms = list(mask.shape) if mask is not None else [k]
        return IndexError(f"The shape of the mask {ms} at index {d - start} does not match the "
                          f"shape of the indexed tensor {list(x.shape)} at index {d}")
    m = re.search(r"broadcast together with shapes (.*)", msg)
    if m and "indexing arrays" in msg:
        shapes = [list(int(v) for v in g.split(",") if v.strip())
                  for g in re.findall(r"\(([^)]*)\)", m.group(1))]
        return IndexError("shape mismatch: indexing tensors could not be broadcast together "
                          f"with shapes {', '.join(str(sh) for sh in shapes)}")
    return IndexError(msg)


def getitem(self, idx):
    """``self[idx]``: one numpy indexing when possible, else torch's step-by-step chain."""
    x = self._data
    if type(idx) is int and x.ndim and not (STATE[0] and self._requires_grad):
        try:  # x[i] without a graph (a dataset's sample): one view, as the general path makes
            return _view_of(x[idx, ...], self)
        except IndexError:
            pass  # torch's message from the general path
    index, advanced, node_cls = _index(idx, x)
    if not advanced and not (STATE[0] and self._requires_grad):
        try:
            r = x[index]
        except IndexError as e:
            if not x.ndim:
                raise _numpy_index_error(e, x) from None
            r = None
        if r is None:  # torch's dims counted step by step (``x[None, 5]``) for the error
            return _chain(self, index)
        if not isinstance(r, np.ndarray) and _backend.is_cpu(x):
            r = x[index + (Ellipsis,)]
        return _view_of(r, self)
    if any(isinstance(i, bool) for i in index):  # x[True]: numpy's rule, one IndexBackward0
        return _step(self, x[index], F.IndexBackward0, index, True, view=False)
    res = _chain(self, index)
    if advanced and type(res._grad_fn) is F.IndexBackward0:  # its index tensors: watched
        ts = _index_tensors(idx)
        if ts:
            res._grad_fn.save_versions(indices=ts)
    return res


def _index_tensors(idx):
    """The tensors in an index (their arrays are what an indexing node keeps)."""
    return [i for i in (idx if isinstance(idx, tuple) else (idx,)) if isinstance(i, Tensor)]


builtin_sum = builtins.sum


def _step(t, r, cls, index, advanced, view=True):
    """One indexing step on tensor ``t`` giving array ``r`` (a node when grad is needed)."""
    res = _view_of(r, t) if view else _wrap(r)
    if STATE[0] and t._requires_grad:
        node = cls()
        node.shape = t._data.shape
        if cls is not F.UnsqueezeBackward0 and cls is not F.AliasBackward0:
            node.index, node.advanced = index, advanced
        attach1(res, node, t)
    return res


def _chain(self, index):
    """Apply the index left to right like torch: select/slice/unsqueeze views, then one
    advanced-index step (so ``x[0, 1]`` is SelectBackward0 ← SelectBackward0, as torch)."""
    x = self._data
    used = builtin_sum(a.ndim if getattr(a, "dtype", None) is not None and a.dtype.kind == "b"
                       else 1 for a in index if a is not None and a is not Ellipsis)
    if used > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    comps = []
    for c in index:
        if c is Ellipsis:
            comps.extend([slice(None)] * (x.ndim - used))
            used = x.ndim
        else:
            comps.append(c)
    if all(c is Ellipsis for c in index):
        return _step(self, x[...], F.AliasBackward0, None, False)
    cur, d, adv = self, 0, []
    for c in comps:
        a = cur._data
        try:
            if c is None:
                cur = _step(cur, np.expand_dims(a, d), F.UnsqueezeBackward0, None, False)
                d += 1
            elif isinstance(c, int):
                ix = (slice(None),) * d + (c,)
                cur = _step(cur, a[ix + (Ellipsis,)], F.SelectBackward0, ix, False)
            elif isinstance(c, slice):
                n = a.shape[d] if d < a.ndim else 0
                if c.indices(n) != (0, n, 1):  # a slice of the whole dim is skipped (torch)
                    ix = (slice(None),) * d + (c,)
                    cur = _step(cur, a[ix], F.SliceBackward0, ix, False)
                d += 1
            else:
                k = c.ndim if c.dtype.kind == "b" else 1
                adv.append((d, c, k))
                d += k
        except IndexError as e:
            raise _numpy_index_error(e, a, d) from None
    if adv:
        a = cur._data
        ix, pos = [], 0
        for p, arr, k in adv:
            ix.extend([slice(None)] * (p - pos))
            ix.append(arr)
            pos = p + k
        ix = tuple(ix)
        try:
            r = a[ix]
        except IndexError as e:
            raise _numpy_index_error(e, a, adv=adv) from None
        cur = _step(cur, r, F.IndexBackward0, ix, True, view=False)
    if cur is self:  # only whole-dim slices: an alias, as torch
        return _step(self, x[...], F.AliasBackward0, None, False)
    return cur


def check_inplace(self, differentiable=None):
    """torch's errors before an in-place op (leaves that require grad, their views, no-grad and
    multi-output views); ``differentiable`` defaults to "grad mode on and self requires grad"."""
    if differentiable is None:
        differentiable = STATE[0] and self._requires_grad
    _views.check_inplace(self, differentiable)


def split_index(index, ndim):
    """For an index mixing integers and arrays, torch applies the integers first (as views)
    and the arrays after; numpy treats them all as advanced. Return (basic, rest) so that
    ``a[basic][rest]`` is torch's selection."""
    used = builtin_sum(a.ndim if getattr(a, "dtype", None) is not None and a.dtype.kind == "b"
                       else 1 for a in index if a is not None and a is not Ellipsis)
    basic, adv, d = [], [], 0
    for c in index:
        if c is Ellipsis:
            basic.extend([slice(None)] * (ndim - used))
            d += ndim - used
        elif c is None or isinstance(c, slice):
            basic.append(c)
            d += 1
        elif isinstance(c, int):
            basic.append(c)
        else:
            k = c.ndim if c.dtype.kind == "b" else 1
            basic.extend([slice(None)] * k)
            adv.append((d, c, k))
            d += k
    rest, pos = [], 0
    for p, arr, k in adv:
        rest.extend([slice(None)] * (p - pos))
        rest.append(arr)
        pos = p + k
    return tuple(basic), tuple(rest)


def _partial_overlap(a, b):
    """``b`` (the value) partly overlaps ``a`` (the written-to part) in memory (numpy only)."""
    if type(a) is not np.ndarray or type(b) is not np.ndarray:
        return False
    if a.__array_interface__["data"][0] == b.__array_interface__["data"][0] and \
            a.shape == b.shape and a.strides == b.strides:
        return False
    return np.may_share_memory(a, b)


def setitem(self, idx, value):
    """``self[idx] = value``: a write into self's memory (torch: ``self[idx].copy_(value)`` for
    basic indices, ``index_put_`` for advanced ones — with their autograd)."""
    x = self._data
    index, advanced, _ = _index(idx, x)
    vt = value if isinstance(value, Tensor) else None
    if isinstance(value, (str, list, tuple, np.ndarray)):
        from .._tensor import _type_name
        t = type(value)
        raise TypeError(f"can't assign a {t.__module__ + '.' if t is np.ndarray else ''}"
                        f"{t.__name__} to a {_type_name(self)}")
    if STATE[0] and (self._requires_grad or (vt is not None and vt._requires_grad)):
        return _setitem_graph(self, idx, index, advanced, value, vt)
    split = None
    if advanced and any(isinstance(c, int) and not isinstance(c, bool) for c in index):
        split = split_index(index, x.ndim)
    if vt is not None:
        v = vt._data
        if type(v) is not type(x):
            v = same_device(self, vt)[1]
        if vt._ver is self._ver and _partial_overlap(x if advanced else x[index], v):
            from .inplace import ERR_PARTIAL
            raise RuntimeError(ERR_PARTIAL)
    else:
        v = value
    if not _backend.writeable(x):
        x = _expanded_target(self, x, index, advanced, vt)
    _write(x, index if split is None else split, v, split is not None, advanced)
    self._ver[0] += 1


def _expanded_target(self, x, index, advanced, vt):
    """A writable alias of a read-only (expanded) ``x``, as torch allows: a basic selection
    whose elements have their own memory (``e[0] = 5``), or an advanced index (with torch's
    deprecation warning); writing into elements that share memory raises torch's error."""
    from .inplace import ERR_EXPANDED, ERR_OVERLAP, overlaps, target

    if advanced:
        if overlaps(x):
            import warnings
            mask = len(index) == 1 and getattr(index[0], "dtype", None) == np.bool_
            warnings.warn(ERR_EXPANDED.format("index_put_", "indices] = tensor"), UserWarning,
                          stacklevel=3)
            if mask and vt is None:  # torch: index_put_ → masked_fill_, both warn
                warnings.warn(ERR_EXPANDED.format("masked_fill_", "mask] = scalar"),
                              UserWarning, stacklevel=3)
    elif overlaps(x[index]):  # torch copies into the selection
        raise RuntimeError(ERR_OVERLAP)
    return target(self, fill=True)


def _write(x, index, v, split=False, advanced=True):
    try:
        if split:
            x[index[0]][index[1]] = v
        else:
            x[index] = v
    except IndexError as e:
        raise _numpy_index_error(e, x) from None
    except ValueError:
        pass
    else:
        return
    sel = x[index[0]][index[1]] if split else x[index]
    if not advanced:  # torch: value.expand(selection's shape), with expand's errors
        from .shape import expand
        expand(_wrap(v if hasattr(v, "shape") else np.asarray(v)), np.shape(sel))
    raise RuntimeError(f"shape mismatch: value tensor of shape {list(np.shape(v))} cannot be "
                       f"broadcast to indexing result of shape {list(np.shape(sel))}")


def _whole(index, shape):
    """The basic index selects all of a tensor of ``shape`` (only ``...`` and full slices)."""
    if not all(c is Ellipsis or isinstance(c, slice) for c in index):
        return False
    k = next((i for i, c in enumerate(index) if c is Ellipsis), len(index))
    dims = list(range(k)) + list(range(len(shape) - (len(index) - k - 1), len(shape)))
    return all(c.indices(shape[d]) == (0, shape[d], 1)
               for c, d in zip([c for c in index if c is not Ellipsis], dims))


def _setitem_graph(self, idx, index, advanced, value, vt):
    from .inplace import copy_, fill_scalar_tensor

    if not advanced:  # torch's copy_to: copy_ when the shapes match, else fill_ for a 0-d value
        target = self if _whole(index, self._data.shape) else getitem(self, idx)
        vshape = vt._data.shape if vt is not None else ()
        if vshape != target._data.shape and not vshape:
            fill_scalar_tensor(target, value)
        else:
            copy_(target, value if vt is not None else _wrap(np.asarray(value)))
        return
    target, aidx = self, index
    if any(isinstance(c, int) and not isinstance(c, bool) for c in index):
        basic, aidx = split_index(index, self._data.ndim)
        target = getitem(self, basic)
    check_inplace(target, True)
    x = target._data
    v = value
    if vt is not None:
        v = vt._data if type(vt._data) is type(x) else same_device(target, vt)[1]
        if vt._ver is target._ver and _partial_overlap(x, v):
            from .inplace import ERR_PARTIAL
            raise RuntimeError(ERR_PARTIAL)
    node = F.IndexPutBackward0()
    node.index = aidx
    node.vshape = vt._data.shape if vt is not None and vt._requires_grad else None
    node.vdtype = vt._data.dtype if vt is not None else None
    node.next_functions = (edge(target), edge(vt))
    node.save_versions(indices=_index_tensors(idx))
    _write(x, aidx, v)
    target._ver[0] += 1
    _views.rebase(target, node)


Tensor.__getitem__ = getitem
Tensor.__setitem__ = setitem
