"""Graph nodes (``grad_fn``): the internal base class of every differentiable op.

计算图节点（``grad_fn``）：所有可微运算的内部基类。

How to write an op (for library code; users write ``autograd.Function`` instead)
-------------------------------------------------------------------------------
An op works on raw arrays (``t._data``) and builds a node only when needed::

    class SinBackward0(Node):                 # the class name is the torch grad_fn name
        __slots__ = ()
        def backward(self, g):                # g: gradient w.r.t. the output (an array)
            (x,) = self.saved                 # what the forward saved (arrays)
            return (g * np.cos(x),)           # one gradient (or None) per input, in order

    def sin(x):
        out = _wrap(np.sin(x._data))          # Tensor around the result array
        if STATE[0] and x._requires_grad:     # grad mode on and some input needs grad
            node = SinBackward0()
            node.saved = (x._data,)           # arrays the backward needs (freed after backward)
            node.save_versions(x)             # in-place safety: remember versions of saved tensors
            attach(out, node, (x,))           # edges to the inputs, out.grad_fn = node
        return out

Rules: ``backward`` returns arrays of each input's shape and dtype (use :func:`fit` after
broadcasting/promotion, :func:`unbroadcast` for shapes: both sum through lesson 04's
``Tensor.sum_to_size``); put saved arrays in ``self.saved``
(set to ``FREED`` after backward unless ``retain_graph``); never keep Tensors in a node (cycles),
only arrays; multi-output nodes set ``n_outputs`` and receive a list of gradients (``None`` where
an output got none). Saved INPUT tensors go to ``save_versions(*inputs)``, the op's own OUTPUT
to ``save_versions(out=out)``. ``attach1``/``attach2`` are faster ``attach`` for 1 or 2 inputs.
The gradient ``g`` may be a read-only broadcast view: never write into it in place.
The engine runs ``backward`` with grad mode off; the returned arrays may be adopted as a leaf's
``.grad`` when nothing else holds them, so do not keep references to them in the node.
With ``create_graph=True`` the same ``backward`` runs on TArrays (``create_graph.py``): write
it with numpy's array API (operators, methods, ``np.*`` functions) and no numpy buffers written
in place, and declare every saved input / output array through ``save_versions`` (that is how
they become graph tensors again); ``tests/test_create_graph.py`` has a row per node.
"""
from __future__ import annotations

import sys
import weakref

import numpy as np

from . import anomaly_mode
from .anomaly_mode import ANOMALY, forward_stack
from .create_graph import TArray

__all__ = ["Node", "AccumulateGrad", "attach", "fit", "unbroadcast", "FREED"]


class _Freed:
    def __repr__(self):
        return "FREED"


FREED = _Freed()

ERR_FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")


class SavedOut:
    """The entry of ``_versions`` for the node's own saved output: its array (create_graph
    makes it a tensor whose ``grad_fn`` is the node again)."""

    __slots__ = ("data",)

    def __init__(self, data):
        self.data = data


class Node:
    """A node of the backward graph; ``type(node).__name__`` is torch's ``grad_fn`` name."""

    __slots__ = ("next_functions", "saved", "_versions", "_hooks", "__weakref__")
    n_outputs = 1

    def __init__(self):  # anomaly mode swaps in _init_recording (no cost when off)
        self.saved = None
        self._versions = None
        self._hooks = None

    # -- the op's contract -------------------------------------------------------------
    def backward(self, grad):  # pragma: no cover - every op overrides it
        raise NotImplementedError

    def save_versions(self, *inputs, out=None, indices=()):
        """Remember the version counters of the tensors whose data is in ``self.saved``.

        ``inputs``: saved input tensors; ``out``: the output tensor when it is saved too;
        ``indices``: saved integer tensors the backward only reads (gather's index): an in-place
        change of one is torch's error too, and create_graph keeps them as they are.
        """
        # a saved input is kept as its graph edge and array (torch's SavedVariable) and a weak
        # reference (an in-place op's input becomes its output: a cycle otherwise); the edge
        # rebuilds the tensor for create_graph, the tensor describes it in the error message
        v = [(t._ver, t._ver[0], (edge(t), t._data, weakref.ref(t))) for t in inputs]
        if out is not None:
            v.append((out._ver, out._ver[0], SavedOut(out._data)))
        v.extend((t._ver, t._ver[0], weakref.ref(t)) for t in indices)
        self._versions = v

    # -- torch's public Node API -------------------------------------------------------
    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    @property
    def metadata(self):
        return self._hook_dict().setdefault("metadata", {})

    def _hook_dict(self):
        if self._hooks is None:
            self._hooks = {}
        return self._hooks

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` after this node ran (tuples of Tensors)."""
        return _Handle(self._hook_dict().setdefault("post", []), fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs) -> new grad_outputs or None`` before this node runs."""
        return _Handle(self._hook_dict().setdefault("pre", []), fn)

    def release_variables(self):
        """Free what the forward saved (the engine calls it after backward, unless
        ``retain_graph``); a later backward through this node raises torch's error."""
        if self.saved is not None:
            self.saved = FREED
            self._versions = None

    def _check_saved(self):
        if self.saved is FREED:
            raise RuntimeError(ERR_FREED)
        for ver, expected, t in self._versions or ():
            if ver[0] != expected:
                _raise_version(self, ver[0], expected, t)


_init_plain = Node.__init__


def _init_recording(self):
    """``Node.__init__`` while anomaly mode is on: remember where the forward made the node."""
    _init_plain(self)
    self._hooks = {"metadata": {"traceback_": forward_stack()}}


def _set_recording(on: bool) -> None:
    Node.__init__ = _init_recording if on else _init_plain


anomaly_mode.on_change.append(_set_recording)


class _Handle:
    """What ``register_hook`` returns: ``.remove()`` takes the hook out."""

    __slots__ = ("_list", "_fn")

    def __init__(self, lst, fn):
        lst.append(fn)
        self._list, self._fn = lst, fn

    def remove(self):
        if self._fn in self._list:
            self._list.remove(self._fn)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _raise_version(node, now, expected, t):
    if isinstance(t, tuple):  # (edge, array, weakref) of a saved input
        (fn, nr), data, ref = t
        if ref() is None:  # described as it was saved
            _raise_saved_input(node, now, expected, fn, nr, data)
        t = ref  # described as it is now (torch: its current grad_fn)
    if type(t) is SavedOut:
        t = None
    if isinstance(t, weakref.ref):
        t = t()
        if t is None:
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: it is at version {now}; expected version {expected} "
                f"instead. {_hint()}")
    from .views import short_name as short  # torch's "output 0 of Sigmoid"

    if t is None:  # the node's own output (saved by the node)
        arr = next((a for a in (node.saved if type(node.saved) is tuple else ())
                    if hasattr(a, "shape")), None)
        desc = "" if arr is None else f"[{_array_type_name(arr)} {list(arr.shape)}]"
        what = f"which is output 0 of {short(node)}"
    else:
        fn = t.grad_fn
        what = f"which is output {t._output_nr} of {short(fn)}" if fn is not None else ""
        desc = f"[{_array_type_name(t._data)} {list(t._data.shape)}]"
    where = ", ".join(x for x in (desc, what) if x)
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {where}{',' if what else ''} is at version {now}; expected version "
        f"{expected} instead. {_hint()}")


def _raise_saved_input(node, now, expected, fn, nr, data):
    from .views import short_name as short

    desc = f"[{_array_type_name(data)} {list(data.shape)}]"
    what = "" if fn is None or type(fn) is AccumulateGrad else f"which is output {nr} of {short(fn)}"
    where = ", ".join(x for x in (desc, what) if x)
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {where}{',' if what else ''} is at version {now}; expected version "
        f"{expected} instead. {_hint()}")


def _hint():
    """torch's last sentence: where to look, or how to find out (anomaly mode)."""
    if ANOMALY[0]:
        return ("Hint: the backtrace further above shows the operation that failed to compute "
                "its gradient. The variable in question was changed in there or anywhere later. "
                "Good luck!")
    return ("Hint: enable anomaly detection to find the operation that failed to compute its "
            "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")


def _array_type_name(a):
    """The type torch's version-counter error names: ``course_lib.LongTensor``, but for bool
    the backend's ``CPUBoolType`` / ``CUDABoolType`` (torch's wording)."""
    from .._backend import is_cpu
    from .._tensor import _type_name, _wrap

    if a.dtype == np.bool_:
        return ("CPU" if is_cpu(a) else "CUDA") + "BoolType"
    return _type_name(_wrap(a))


class AccumulateGrad(Node):
    """Leaf node: adds the incoming gradient into ``variable.grad``."""

    __slots__ = ("variable",)
    next_functions = ()

    def __init__(self, variable):
        self.variable = variable
        self.saved = None
        self._versions = None
        self._hooks = None

    def backward(self, g):
        v = self.variable
        if type(g) is TArray:  # create_graph: .grad is a tensor with a graph
            g = g.t
            if g._data.dtype != v._data.dtype:
                g = g.to(v.dtype)
            v._grad = g if v._grad is None else _add_recorded(v._grad, g)
            return ()
        if type(g) is not type(v._data):  # a numpy scalar, or a gradient from another device
            from .._backend import device_of, transfer
            g = transfer(np.asarray(g) if isinstance(g, np.generic) else g, device_of(v._data))
        old = v._grad
        if old is None:
            # Like torch, keep the incoming buffer when nobody else holds it (the engine's
            # local + this argument + getrefcount's own = 3) and it is a fresh, writable array;
            # otherwise copy, so that a gradient is never aliased with another one.
            if not _owned(g):
                g = g.copy()
            v._grad = _wrap(g)
        else:
            d = old._data
            if _writeable(d) and d.shape == g.shape:
                d += g  # in place, as torch does when grad mode is off
            else:
                old._data = d + g
            old._ver[0] += 1
        return ()


def _add_recorded(a, b):
    from .create_graph import _rec

    return _rec(lambda x, y: x + y, a, b)


_wrap = None  # set by course_lib._tensor (circular import)
_getrefcount = sys.getrefcount


def _writeable(a):
    return getattr(a.flags, "writeable", True)


def _owned(g):
    """True when only the engine holds ``g`` (refs: engine local, backward's argument and
    getrefcount's own) and it is writable — a fresh array, or a view (e.g. ``.T``) of a fresh
    array that nothing else holds (refs: local ``b``, the view, getrefcount's own)."""
    if _getrefcount(g) > 4 or not _writeable(g):  # 4: this function's argument too
        return False
    b = g.base
    return b is None or (b.base is None and _getrefcount(b) <= 3 and _writeable(b))


def accumulator(t):
    """The (cached) AccumulateGrad node of leaf tensor ``t``."""
    ref = t._accum
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(t)
        t._accum = weakref.ref(node)
    return node


NO_EDGE = (None, 0)


def edge(t):
    """The graph edge ``(node, output_nr)`` that leads to tensor ``t``'s gradient."""
    if t is None or not t._requires_grad:
        return NO_EDGE
    fn = t._grad_fn if t._base is None else t.grad_fn  # a view may remake its grad_fn
    if fn is not None:
        return (fn, t._output_nr)
    return (accumulator(t), 0)


def attach(out, node, inputs):
    """Make ``node`` the ``grad_fn`` of ``out`` with edges to ``inputs`` (Tensors or None)."""
    node.next_functions = tuple([edge(t) for t in inputs])
    out._grad_fn = node
    out._requires_grad = True
    return out


def attach1(out, node, a):
    """``attach`` for the common one-input case."""
    node.next_functions = (edge(a),)
    out._grad_fn = node
    out._requires_grad = True
    return out


def attach2(out, node, a, b):
    """``attach`` for the common two-input case (no temporary list)."""
    node.next_functions = (edge(a), edge(b))
    out._grad_fn = node
    out._requires_grad = True
    return out


def unbroadcast(g, shape):
    """The array ``g`` summed down to ``shape`` by lesson 04's ``Tensor.sum_to_size`` (every
    broadcasting op's backward goes through it; equal shapes need no sum)."""
    if g.shape == shape:
        return g
    if type(g) is TArray:  # create_graph: the same piece, recorded
        from .create_graph import _rec
        return TArray(_rec(g.t.sum_to_size, shape))
    return _wrap(g).sum_to_size(shape)._data


def fit(g, shape, np_dtype):
    """``g`` summed to ``shape`` and cast to ``np_dtype`` (an input's metadata)."""
    if g.shape != shape:
        g = unbroadcast(g, shape)
    if g.dtype != np_dtype:
        g = g.astype(np_dtype)
    return g


def zeros_like_meta(shape, np_dtype, like):
    return np.zeros(shape, np_dtype) if type(like) is np.ndarray else _xp(like).zeros(shape, np_dtype)


def _xp(a):
    from .._backend import xp_of

    return xp_of(a)
