"""``create_graph=True``: the nodes' backward formulas run on Tensors, so gradients have a graph.

高阶导数（``create_graph=True``）：节点的反向公式在张量上运行，得到的梯度本身带有计算图。

Every node's ``backward`` is one formula written against numpy's array API (operators, ``.T``,
``.sum(axis=…)``, ``np.where``, ``np.exp`` …) — like lesson 04's rows, whose source runs on arrays
and on Tensors alike. With ``create_graph=True`` the engine hands each formula a :class:`TArray`
instead of an array: a Tensor seen through numpy's array API (``__array_ufunc__`` /
``__array_function__``), whose every operation is the differentiable course_lib op. The formula is
not copied anywhere: the same row computes the first derivative (on arrays, fast) and, when asked,
builds the graph of it (on Tensors), so double backward, ``autograd.functional.hessian`` and
gradgradcheck work for every op.

What a node saved becomes a Tensor connected to the graph again (torch's SavedVariable): a saved
input is matched to the tensor it came from (the entries of ``node._versions``: the tensor, or its
graph edge and data), the saved output is the node's own output (``grad_fn`` = the node). Anything
else a node saved (masks, indices) is a constant. A formula that leaves this API (a write into a
numpy buffer, ``np.asarray``) fails loudly instead of silently losing the graph.
"""
from __future__ import annotations

import weakref

import numpy as np

from .grad_mode import STATE

__all__ = ["TArray", "tensor_of", "run_formula", "saved_tensors"]

_T = None  # course_lib, imported lazily (circular import)


def _torch():
    global _T
    if _T is None:
        import course_lib
        _T = course_lib
    return _T


def _rec(fn, *args, **kwargs):
    """Run a course_lib op with graph recording on (the engine runs formulas under no_grad)."""
    prev = STATE[0]
    STATE[0] = True
    try:
        return fn(*args, **kwargs)
    finally:
        STATE[0] = prev


def tensor_of(x):
    """The Tensor behind ``x`` (a TArray, a Tensor, or a constant array / number)."""
    if type(x) is TArray:
        return x.t
    if isinstance(x, _torch().Tensor):
        return x
    if isinstance(x, np.generic):
        x = np.asarray(x)
    if isinstance(x, np.ndarray) or hasattr(x, "__array_priority__"):  # numpy / cupy
        from .._tensor import _wrap
        return _wrap(x)
    return x  # a Python number


def _wrap_out(r):
    T = _torch()
    if isinstance(r, T.Tensor):
        return TArray(r)
    if isinstance(r, (tuple, list)):
        return type(r)(_wrap_out(x) for x in r)
    return r


class TArray:
    """A Tensor ``t`` behind numpy's array API: what a node's formula receives with
    ``create_graph=True``. Operations are course_lib ops (recorded); comparisons give plain
    boolean arrays (they have no gradient)."""

    __slots__ = ("t",)
    __array_priority__ = 1000
    is_tarray = True

    def __init__(self, t):
        self.t = t

    # -- metadata -------------------------------------------------------------------------
    @property
    def shape(self):
        return tuple(self.t._data.shape)

    @property
    def dtype(self):
        return self.t._data.dtype

    @property
    def ndim(self):
        return self.t._data.ndim

    @property
    def size(self):
        return self.t._data.size

    @property
    def data(self):
        return self.t._data

    flags = property(lambda self: self.t._data.flags)
    base = None

    def __len__(self):
        return len(self.t._data)

    def __repr__(self):
        return f"TArray({self.t!r})"

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "这个反向公式把张量变回了数组，无法在 create_graph=True 下求高阶导数。\n"
            "This backward formula turns its tensor into an array: it cannot build the graph "
            "that create_graph=True asks for.")

    # -- arithmetic -----------------------------------------------------------------------
    def _bin(self, other, op, rev=False):
        o = tensor_of(other)
        a, b = (o, self.t) if rev else (self.t, o)
        return TArray(_rec(_BIN[op], a, b))

    for _name, _op in (("add", "add"), ("sub", "sub"), ("mul", "mul"), ("truediv", "div"),
                       ("matmul", "matmul"), ("pow", "pow")):
        locals()[f"__{_name}__"] = lambda s, o, op=_op: s._bin(o, op)
        locals()[f"__r{_name}__"] = lambda s, o, op=_op: s._bin(o, op, True)
    del _name, _op

    def __neg__(self):
        return TArray(_rec(lambda x: -x, self.t))

    def __pos__(self):
        return self

    # comparisons and logic: data only (no gradient flows through a mask)
    def _cmp(self, other, fn):
        o = other.t._data if type(other) is TArray else (
            other._data if isinstance(other, _torch().Tensor) else other)
        return fn(self.t._data, o)

    __gt__ = lambda s, o: s._cmp(o, np.greater)
    __ge__ = lambda s, o: s._cmp(o, np.greater_equal)
    __lt__ = lambda s, o: s._cmp(o, np.less)
    __le__ = lambda s, o: s._cmp(o, np.less_equal)
    __eq__ = lambda s, o: s._cmp(o, np.equal)
    __ne__ = lambda s, o: s._cmp(o, np.not_equal)
    __hash__ = None

    # -- methods of numpy arrays ----------------------------------------------------------
    @property
    def T(self):
        return TArray(_rec(self.t.permute, *range(self.ndim - 1, -1, -1)))

    @property
    def mT(self):
        return TArray(_rec(self.t.transpose, -2, -1))

    def astype(self, dtype, copy=True):
        from .._dtype import _by_np
        dt = _by_np[np.dtype(dtype)]
        if dt._np == self.dtype:
            return TArray(_rec(self.t.clone)) if copy else self
        return TArray(_rec(self.t.to, dt))

    def copy(self):
        return TArray(_rec(self.t.clone))

    def sum(self, axis=None, dtype=None, out=None, keepdims=False):
        return TArray(_rec(_torch().sum, self.t, dim=_dims(axis), keepdim=keepdims))

    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        return TArray(_rec(_torch().mean, self.t, dim=_dims(axis), keepdim=keepdims))

    def reshape(self, *shape, order="C"):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return TArray(_rec(self.t.reshape, *shape))

    def transpose(self, *axes):
        if not axes:
            return self.T
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return TArray(_rec(self.t.permute, *axes))

    def swapaxes(self, a, b):
        return TArray(_rec(self.t.transpose, a, b))

    def squeeze(self, axis=None):
        if axis is None:
            return TArray(_rec(self.t.squeeze))
        return TArray(_rec(self.t.squeeze, axis))

    def ravel(self):
        return self.reshape(-1)

    def flatten(self):
        return self.reshape(-1)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False):
        return TArray(_rec(_prod, self, axis, keepdims))

    def take(self, indices, axis=None):
        t = self.t if axis is not None else self.t.reshape(-1)
        ax = 0 if axis is None else axis % self.ndim
        if isinstance(indices, (int, np.integer)):
            return TArray(_rec(t.select, ax, int(indices)))
        idx = np.asarray(list(indices) if isinstance(indices, range) else _data(indices))
        return TArray(_rec(t.__getitem__, (slice(None),) * ax + (tensor_of(idx),)))

    @property
    def device(self):
        return getattr(self.t._data, "device", None)

    def __getitem__(self, idx):
        return TArray(_rec(self.t.__getitem__, _index(idx)))

    def __setitem__(self, idx, value):
        _rec(self.t.__setitem__, _index(idx), tensor_of(value))

    # -- numpy's protocols ----------------------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        name = ufunc.__name__
        if method != "__call__" or kwargs.get("out") is not None:
            if method == "at" and name == "add" and type(inputs[0]) is TArray:
                target, idx, val = inputs
                _scatter_add(target, idx, val)
                return None
            if method == "outer" and name == "multiply":
                a, b = (tensor_of(x) for x in inputs)
                return TArray(_rec(lambda x, y: x.reshape(*x.shape, *(1,) * y.ndim) * y, a, b))
            raise TypeError(f"create_graph: numpy.{name}.{method} has no graph / 无法建图")
        if name in _DATA_UFUNCS:
            return ufunc(*[_data(x) for x in inputs], **kwargs)
        if name in _OPERATOR_UFUNCS:
            a, b = inputs
            if type(a) is TArray:
                return a._bin(b, _OPERATOR_UFUNCS[name])
            return b._bin(a, _OPERATOR_UFUNCS[name], rev=True)
        fn = _UFUNC_OPS.get(name)
        if fn is None:
            raise TypeError(f"create_graph: numpy.{name} has no course_lib op / 无对应运算")
        args = [tensor_of(x) for x in inputs]
        return _wrap_out(_rec(fn, *args))

    def __array_function__(self, func, types, args, kwargs):
        impl = _FUNCTIONS.get(func.__name__)
        if impl is None:
            raise TypeError(f"create_graph: numpy.{func.__name__} has no course_lib op / "
                            "无对应运算")
        return _wrap_out(_rec(impl, *args, **kwargs))


def _data(x):
    if type(x) is TArray:
        return x.t._data
    T = _torch()
    return x._data if isinstance(x, T.Tensor) else x


def _dims(axis):
    if axis is None:
        return None
    return tuple(axis) if isinstance(axis, (tuple, list)) else axis


def _index(idx):
    """A numpy index for a Tensor: arrays become (constant) tensors."""
    if isinstance(idx, tuple):
        return tuple(_index(i) for i in idx)
    if type(idx) is TArray:
        return idx.t
    if isinstance(idx, np.ndarray):
        return tensor_of(idx)
    return idx


def _positions(shape, index):
    """The flat positions that ``z[index]`` reads, for ``z`` of ``shape`` (a constant array)."""
    return np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)[index]


def _dense_scatter(shape, pos, values):
    """zeros(shape) with ``values`` added at flat positions ``pos`` (repeats add up), as a
    product with a constant one-hot matrix — differentiable again, unlike numpy's add.at."""
    T = _torch()
    v = tensor_of(values)
    pos = np.broadcast_to(pos, np.broadcast_shapes(pos.shape, tuple(v.shape)))
    v = _rec(lambda t: t.expand(*pos.shape).reshape(-1), v)
    n = int(np.prod(shape))
    onehot = (pos.reshape(-1)[:, None] == np.arange(n)[None, :]).astype(v._data.dtype)
    return _rec(lambda t: (t @ T.tensor(onehot, device=t.device)).reshape(*shape), v)


def _scatter_add(target, index, values):
    """``np.add.at(target, index, values)`` for a TArray target: rebinds its tensor."""
    add = _dense_scatter(target.shape, _positions(target.shape, index), values)
    target.t = _rec(lambda a, b: a + b, target.t, add)


def _put_along_axis(arr, idx, values, axis):
    """``np.put_along_axis`` for a TArray ``arr``: the picked positions get ``values``."""
    pos = np.take_along_axis(np.arange(arr.size, dtype=np.int64).reshape(arr.shape),
                             _data(idx), axis)
    mask = np.zeros(arr.size, bool)
    mask[pos.reshape(-1)] = True
    keep = np.where(mask.reshape(arr.shape), 0, 1).astype(arr.dtype)
    add = _dense_scatter(arr.shape, pos, values)
    arr.t = _rec(lambda a, b: a * tensor_of(keep) + b, arr.t, add)


def _tensordot(a, b, axes=2):
    """``np.tensordot`` by permute + reshape + matmul (recorded)."""
    ta, tb = tensor_of(a), tensor_of(b)
    if isinstance(axes, int):
        ax_a = list(range(ta.ndim - axes, ta.ndim))
        ax_b = list(range(axes))
    else:
        ax_a, ax_b = ([x] if isinstance(x, int) else list(x) for x in axes)
    ax_a = [x % ta.ndim for x in ax_a]
    ax_b = [x % tb.ndim for x in ax_b]
    free_a = [i for i in range(ta.ndim) if i not in ax_a]
    free_b = [i for i in range(tb.ndim) if i not in ax_b]
    k = int(np.prod([ta.shape[i] for i in ax_a]))
    ma = ta.permute(*free_a, *ax_a).reshape(-1, k)
    mb = tb.permute(*ax_b, *free_b).reshape(k, -1)
    return (ma @ mb).reshape(*[ta.shape[i] for i in free_a], *[tb.shape[i] for i in free_b])


def _prod(a, axis=None, keepdims=False, **kw):
    T = _torch()
    t = tensor_of(a)
    if axis is None:
        r = T.prod(t.reshape(-1))
        return r.reshape(*(1,) * t.ndim) if keepdims else r
    return T.prod(t, axis, keepdim=keepdims)


def _split(a, idx, axis=0):
    T = _torch()
    t = tensor_of(a)
    n = t.shape[axis]
    if isinstance(idx, int):
        return list(T.split(t, n // idx, axis))
    bounds = [0, *idx, n]
    return list(T.split(t, [bounds[i + 1] - bounds[i] for i in range(len(bounds) - 1)], axis))


_BIN = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "matmul": lambda a, b: a @ b,
    "pow": lambda a, b: a ** b,
}
_OPERATOR_UFUNCS = {"add": "add", "subtract": "sub", "multiply": "mul", "true_divide": "div",
                    "divide": "div", "matmul": "matmul", "power": "pow"}
_DATA_UFUNCS = {"greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
                "logical_and", "logical_or", "logical_not", "logical_xor", "isfinite", "isnan",
                "isinf", "signbit", "bitwise_and", "bitwise_or", "invert", "floor_divide"}


def _ufunc_ops():
    T = _torch()
    same = ["exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh", "expm1", "log1p",
            "exp2", "log2", "log10", "reciprocal", "square", "maximum", "minimum", "erf"]
    ops = {n: getattr(T, n) for n in same}

    def two_tensors(f):  # ops without a number overload: np.logaddexp(0, x) in a formula
        def g(a, b):
            like = a if isinstance(a, T.Tensor) else b
            a, b = (x if isinstance(x, T.Tensor) else T.full_like(like, x) for x in (a, b))
            return f(a, b)
        return g
    ops.update({n: two_tensors(getattr(T, n)) for n in ("logaddexp", "logaddexp2", "fmax",
                                                          "fmin")})
    ops.update(negative=T.neg, absolute=T.abs, arctan=T.atan, arcsin=T.asin, arccos=T.acos,
               sign=lambda x: T.sign(x.detach()), floor=lambda x: T.floor(x.detach()),
               ceil=lambda x: T.ceil(x.detach()), trunc=lambda x: T.trunc(x.detach()),
               rint=lambda x: T.round(x.detach()), positive=lambda x: x,
               arctan2=T.atan2, hypot=T.hypot)
    return ops


def _zeros_like(a, dtype=None, shape=None, **kw):
    T = _torch()
    t = tensor_of(a)
    return T.zeros(t.shape if shape is None else shape,
                   dtype=t.dtype if dtype is None else _dt(dtype), device=t.device)


def _ones_like(a, dtype=None, shape=None, **kw):
    T = _torch()
    t = tensor_of(a)
    return T.ones(t.shape if shape is None else shape,
                  dtype=t.dtype if dtype is None else _dt(dtype), device=t.device)


def _dt(np_dtype):
    from .._dtype import _by_np
    return _by_np[np.dtype(np_dtype)]


def _where(cond, a, b):
    T = _torch()
    ta, tb = tensor_of(a), tensor_of(b)
    like = ta if isinstance(ta, T.Tensor) else tb
    if not isinstance(ta, T.Tensor):
        ta = T.tensor(ta, dtype=like.dtype, device=like.device)
    if not isinstance(tb, T.Tensor):
        tb = T.tensor(tb, dtype=like.dtype, device=like.device)
    return T.where(tensor_of(_data(cond)), ta, tb)


def _sum(a, axis=None, dtype=None, out=None, keepdims=False, **kw):
    return _torch().sum(tensor_of(a), dim=_dims(axis), keepdim=keepdims)


def _expand_dims(a, axis):
    t = tensor_of(a)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    nd = t.ndim + len(axes)
    for ax in sorted(x % nd for x in axes):
        t = t.unsqueeze(ax)
    return t


def _functions():
    T = _torch()
    tens = lambda xs: [tensor_of(x) for x in xs]  # noqa: E731
    return {
        "where": _where,
        "zeros_like": _zeros_like,
        "ones_like": _ones_like,
        "empty_like": _zeros_like,
        "sum": _sum,
        "mean": lambda a, axis=None, keepdims=False, **kw: T.mean(tensor_of(a), dim=_dims(axis),
                                                                    keepdim=keepdims),
        "expand_dims": _expand_dims,
        "broadcast_to": lambda a, shape, **kw: tensor_of(a).expand(*shape),
        "reshape": lambda a, shape, **kw: tensor_of(a).reshape(shape),
        "transpose": lambda a, axes=None: (tensor_of(a).permute(*axes) if axes is not None
                                           else tensor_of(a).permute(*range(a.ndim - 1, -1, -1))),
        "swapaxes": lambda a, x, y: tensor_of(a).transpose(x, y),
        "moveaxis": lambda a, s, d: T.moveaxis(tensor_of(a), s, d),
        "squeeze": lambda a, axis=None: (tensor_of(a).squeeze() if axis is None
                                         else tensor_of(a).squeeze(axis)),
        "matmul": lambda a, b, **kw: tensor_of(a) @ tensor_of(b),
        "dot": lambda a, b, **kw: tensor_of(a) @ tensor_of(b),
        "outer": lambda a, b, **kw: T.outer(tensor_of(a).reshape(-1), tensor_of(b).reshape(-1)),
        "einsum": lambda eq, *ops, **kw: T.einsum(eq, *tens(ops)),
        "concatenate": lambda xs, axis=0, **kw: T.cat(tens(xs), dim=axis),
        "stack": lambda xs, axis=0, **kw: T.stack(tens(xs), dim=axis),
        "flip": lambda a, axis=None: T.flip(tensor_of(a), _flip_dims(a, axis)),
        "roll": lambda a, shift, axis=None: T.roll(tensor_of(a), shift, axis),
        "tril": lambda a, k=0: T.tril(tensor_of(a), k),
        "triu": lambda a, k=0: T.triu(tensor_of(a), k),
        "cumsum": lambda a, axis=None, **kw: T.cumsum(tensor_of(a), axis),
        "cumprod": lambda a, axis=None, **kw: T.cumprod(tensor_of(a), axis),
        "trace": lambda a, **kw: T.trace(tensor_of(a)),
        "amax": lambda a, axis=None, keepdims=False, **kw: T.amax(
            tensor_of(a), dim=() if axis is None else axis, keepdim=keepdims),
        "copy": lambda a, **kw: tensor_of(a).clone(),
        "negative": lambda a: -tensor_of(a),
        "take_along_axis": lambda a, idx, axis: T.gather(tensor_of(a), axis, tensor_of(_data(idx))),
        "tile": lambda a, reps: tensor_of(a).repeat(*((reps,) if isinstance(reps, int) else reps)),
        "split": _split,
        "put_along_axis": _put_along_axis,
        "tensordot": _tensordot,
        "prod": _prod,
        "take": lambda a, idx, axis=None: TArray(tensor_of(a)).take(idx, axis).t,
        "diagonal": lambda a, offset=0, axis1=0, axis2=1: T.diagonal(tensor_of(a), offset,
                                                                      axis1, axis2),
        "nan_to_num": lambda a, copy=True, nan=0.0, posinf=None, neginf=None: T.nan_to_num(
            tensor_of(a), nan, posinf, neginf),
        "clip": lambda a, lo, hi, **kw: T.clamp(tensor_of(a), lo, hi),
        "ascontiguousarray": lambda a, **kw: tensor_of(a).contiguous(),
        "asanyarray": lambda a, **kw: tensor_of(a),
        "may_share_memory": lambda a, b, **kw: np.may_share_memory(_data(a), _data(b)),
        "shape": lambda a: tuple(tensor_of(a).shape),
        "ndim": lambda a: tensor_of(a).ndim,
        "result_type": lambda *xs: np.result_type(*[_data(x) for x in xs]),
        "broadcast_shapes": np.broadcast_shapes,
    }


def _flip_dims(a, axis):
    if axis is None:
        return tuple(range(a.ndim))
    return tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)


class _Lazy(dict):
    def __init__(self, make):
        super().__init__()
        self._make = make

    def get(self, k, default=None):
        if not len(self):
            self.update(self._make())
        return dict.get(self, k, default)


_UFUNC_OPS = _Lazy(_ufunc_ops)
_FUNCTIONS = _Lazy(_functions)


# -- the saved values as Tensors again --------------------------------------------------------
def _graph_tensor(edge, data):
    """The tensor whose array is ``data`` and whose gradient flows along ``edge`` (a saved
    input rebuilt as torch's SavedVariable unpacks it; a constant when the edge is empty)."""
    from .._tensor import _wrap
    from .node import AccumulateGrad

    fn, nr = edge
    if type(fn) is AccumulateGrad and fn.variable._data is data:
        return fn.variable
    t = _wrap(data)
    if fn is not None:
        t._grad_fn, t._requires_grad, t._output_nr = fn, True, nr
    return t


def _saved_inputs(node):
    """(array, tensor) of each saved input and of the saved output, from ``node._versions``."""
    from .node import SavedOut

    for entry in node._versions or ():
        who = entry[2]
        if who is None or type(who) is weakref.ref:  # a saved index: read as it is
            continue
        if type(who) is SavedOut:  # the node's own output: grad_fn is the node again
            yield who.data, _graph_tensor((node, 0), who.data)
        elif isinstance(who, tuple):  # (edge, array, weakref) of a saved input
            yield who[1], _graph_tensor(who[0], who[1])
        else:  # the input tensor itself
            yield who._data, who


def saved_tensors(node):
    """``node.saved`` with each saved input or output array replaced by its TArray."""
    saved = node.saved
    if type(saved) is not tuple or not saved:
        return saved
    known = list(_saved_inputs(node))
    by_id = {id(a): t for a, t in known}
    out = []
    for s in saved:
        t = by_id.get(id(s))
        if t is not None:
            out.append(TArray(t))
        elif isinstance(s, (tuple, list)) and s and any(id(x) in by_id for x in s):
            out.append(type(s)(TArray(by_id[id(x)]) if id(x) in by_id else x for x in s))
        else:
            out.append(_cast_match(s, known))
    return tuple(out)


def _cast_match(s, known):
    """A saved array that is a dtype cast of a saved input (``float32 * float64`` saves the
    promoted copy): the differentiable cast of that input; anything else is a constant."""
    if getattr(s, "shape", None) is None or not hasattr(s, "dtype"):
        return s
    for data, t in known:
        if data.shape == s.shape and data.dtype != s.dtype and np.array_equal(
                data.astype(s.dtype), s, equal_nan=True):
            return TArray(_rec(t.to, _dt(s.dtype))) if t.requires_grad else s
    return s


def run_formula(node, g):
    """``node.backward(g)`` with Tensors: ``g`` is a TArray (or a list of them); returns
    TArrays (or None), one per edge."""
    saved = node.saved
    rerun = getattr(node, "rerun", None)
    if rerun is not None:  # a lesson-05 row: run it again on the inputs as Tensors
        fn, arrays = rerun
        ins = [TArray(_graph_tensor(e, a)) for e, a in zip(node.next_functions, arrays)
               if a is not None]
        prev = STATE[0]
        STATE[0] = True
        try:
            node.saved = fn(*ins)[1]
        finally:
            STATE[0] = prev
    else:
        node.saved = saved_tensors(node)
    prev = STATE[0]
    STATE[0] = True
    try:
        outs = node.backward(g)
    finally:
        STATE[0] = prev
        node.saved = saved
    return tuple(None if r is None else (r if type(r) is TArray else TArray(tensor_of(r)))
                 for r in outs)
