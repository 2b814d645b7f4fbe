"""``autograd.Function``: user-defined differentiable operations, exactly as torch's.

自定义可微运算，用法与 torch 完全相同::

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad_output):
            (y,) = ctx.saved_tensors
            return grad_output * y

    y = Exp.apply(x)          # y.grad_fn is <ExpBackward object>
"""
from __future__ import annotations

import course_lib as torch

from ..exercises import exercise
from . import grad_mode
from .create_graph import TArray
from .node import FREED, ERR_FREED, Node, edge, fit

__all__ = ["Function", "FunctionCtx", "once_differentiable", "run_forward", "gradient_edge",
           "set_grad_fn"]


class FunctionCtx:
    """The ``ctx`` of ``forward``/``backward``: save tensors and flags for backward."""

    _saved_direct = None
    needs_input_grad = ()
    materialize_grads = True

    def save_for_backward(self, *tensors):
        """Save tensors (or None) for ``backward``; read them back with ``ctx.saved_tensors``."""
        self.to_save = tensors

    @property
    def saved_tensors(self):
        s = self._saved_direct
        if s is FREED:
            raise RuntimeError(ERR_FREED)
        if s is None:
            s = getattr(self, "to_save", ())
        if isinstance(self, Node):
            self._check_saved()
        return tuple(s)

    def mark_dirty(self, *tensors):
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors):
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)


class BackwardCFunction(FunctionCtx, Node):
    """The node (and ctx) of one call of a user Function; subclassed per Function."""

    _forward_cls = None

    def __init__(self):
        Node.__init__(self)

    def __repr__(self):  # torch: <torch.autograd.function.ExpBackward object at 0x…>
        return f"<{__name__}.{type(self).__name__} object at {hex(id(self))}>"

    def release_variables(self):
        if self._saved_direct is not None:
            self._saved_direct = FREED

    def _check_saved(self):
        if self._saved_direct is FREED:
            raise RuntimeError(ERR_FREED)
        Node._check_saved(self)

    def backward(self, g):
        from .._tensor import _wrap

        cls = self._forward_cls
        gs = g if self.n_outputs > 1 else [g]
        graph = any(type(x) is TArray for x in gs)  # create_graph: Tensors with a graph
        grads = []
        for x, m in zip(gs, self._out_meta):
            if x is None and self.materialize_grads:
                from .._backend import xp_of
                x = xp_of(self._like).zeros(m[0], m[1])
            grads.append(None if x is None else x.t if type(x) is TArray else _wrap(x))
        res = cls.backward(self, *grads)
        if not isinstance(res, tuple):
            res = (res,)
        n_args = len(self._arg_is_tensor)
        if len(res) != n_args:
            raise RuntimeError(f"function {type(self).__name__} returned an incorrect number of "
                               f"gradients (expected {n_args}, got {len(res)})")
        out = []
        for r, is_t, m in zip(res, self._arg_is_tensor, self._in_meta):
            if not is_t:
                continue
            if r is None:
                out.append(None)
                continue
            a = TArray(r) if graph else r._data
            if a.shape != m[0]:
                try:
                    a = fit(a, m[0], m[1])
                except (ValueError, RuntimeError):
                    raise RuntimeError(
                        f"Function {type(self).__name__} returned an invalid gradient at index "
                        f"{len(out)} - got {list(a.shape)} but expected shape compatible with "
                        f"{list(m[0])}") from None
            out.append(a.astype(m[1], copy=False))
        return tuple(out)


class _FunctionMeta(type):
    """Gives every Function subclass its own node class named ``<Name>Backward``."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,),
                                 {"_forward_cls": cls, "__module__": __name__})


class Function(metaclass=_FunctionMeta):
    """Base class of user-defined autograd operations (torch.autograd.Function)."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode AD.")

    @classmethod
    @exercise("04_autograd", "function_apply", key="course_lib.autograd.Function.apply")
    def apply(cls, *args, **kwargs):
        """运行 ``forward``，并在需要梯度时把这次调用接入计算图。
        Run ``forward`` and, when a gradient is needed, put this call into the graph.

        ``cls._backward_cls()`` 创建这次调用的
        图节点，它同时就是 ``forward``/``backward`` 的 ``ctx``（``ctx.save_for_backward`` 保存的张量
        之后由 ``ctx.saved_tensors`` 取回）。Steps / 步骤:

        1. ``ctx.needs_input_grad``: for each argument, True when it is a Tensor that requires
           grad (a tuple, one entry per argument, non-tensors False);
        2. run ``run_forward(cls, ctx, args, kwargs)`` with gradient recording OFF — the ops
           inside forward must not build a graph (it calls forward and records what it saved);
        3. only when grad mode is on AND some input needs a gradient: set
           ``ctx.next_functions`` to the edges towards the TENSOR inputs, in order
           (``gradient_edge(t)``), and make this node the ``grad_fn`` of every output:
           ``set_grad_fn(output, ctx, i)`` for output ``i`` (a tuple from forward: several);
        4. return forward's result (a tensor or a tuple), as forward returned it.
        The engine later calls ``cls.backward(ctx, *grad_outputs)`` through this node.
        """
        ### BEGIN SOLUTION
        ctx = cls._backward_cls()
        ctx.needs_input_grad = tuple(isinstance(a, torch.Tensor) and a.requires_grad
                                     for a in args)
        with torch.no_grad():
            out = run_forward(cls, ctx, args, kwargs)
        if torch.is_grad_enabled() and any(ctx.needs_input_grad):
            inputs = [a for a in args if isinstance(a, torch.Tensor)]
            ctx.next_functions = tuple(gradient_edge(t) for t in inputs)
            outs = out if isinstance(out, tuple) else (out,)
            for i, o in enumerate(outs):
                set_grad_fn(o, ctx, i)
        return out
        ### END SOLUTION


def run_forward(cls, ctx, args, kwargs):
    """``cls.forward`` (or forward + ``setup_context``) of one ``Function.apply`` call; records
    on ``ctx`` what its backward needs (inputs' and outputs' shapes and dtypes, the saved
    tensors and their versions). An input returned as is becomes a view of it, as in torch."""
    from .._tensor import Tensor, _view_of

    if cls.setup_context is not Function.setup_context:
        out = cls.forward(*args, **kwargs)
        cls.setup_context(ctx, args, out)
    else:
        out = cls.forward(ctx, *args, **kwargs)
    tensors = [a for a in args if isinstance(a, Tensor)]
    multi = isinstance(out, tuple)
    outs = list(out) if multi else [out]
    for i, o in enumerate(outs):
        if any(o is a for a in tensors):
            outs[i] = _view_of(o._data, o)
    ctx.n_outputs = len(outs)
    ctx._arg_is_tensor = tuple(isinstance(a, Tensor) for a in args)
    ctx._in_meta = [(a._data.shape, a._data.dtype) for a in tensors]
    ctx._out_meta = [(o._data.shape, o._data.dtype) if isinstance(o, Tensor) else None
                     for o in outs]
    ctx._like = tensors[0]._data if tensors else None
    saved = getattr(ctx, "to_save", None)
    if saved is not None:
        ctx._saved_direct = tuple(saved)
        ctx.save_versions(*[s for s in saved if isinstance(s, Tensor)])
    return tuple(outs) if multi else outs[0]


def gradient_edge(t):
    """The edge ``(node, output_nr)`` along which ``t``'s gradient flows: its ``grad_fn``, or
    for a leaf that requires grad its AccumulateGrad node; ``(None, 0)`` when ``t`` needs none."""
    return edge(t)


def set_grad_fn(out, node, output_nr):
    """Make ``node`` the ``grad_fn`` of ``out`` (its output ``output_nr``); non-tensors, integer
    outputs and those passed to ``ctx.mark_non_differentiable`` stay out of the graph."""
    from .._tensor import Tensor

    if (isinstance(out, Tensor) and out._data.dtype.kind == "f"
            and not any(out is n for n in getattr(node, "non_differentiable", ()))):
        out._grad_fn = node
        out._requires_grad = True
        out._output_nr = output_nr


def once_differentiable(fn):
    """Decorator for ``backward``: runs it without recording a graph."""
    import functools

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            return fn(ctx, *args)
    return wrapper
