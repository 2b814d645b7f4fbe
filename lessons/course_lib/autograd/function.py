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

from . import grad_mode
from .node import FREED, ERR_FREED, Node, attach, fit

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


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

    def _release(self):
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
        grads = []
        for x, m in zip(gs, self._out_meta):
            if x is None and self.materialize_grads:
                from .._backend import xp_of
                x = xp_of(self._like).zeros(m[0], m[1])
            grads.append(None if x is None else _wrap(x))
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
            a = r._data
            if a.shape != m[0]:
                try:
                    a = fit(a, m[0], m[1])
                except ValueError:
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
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor, _view_of

        node = cls._backward_cls()
        is_t = tuple(isinstance(a, Tensor) for a in args)
        tensors = [a for a, t in zip(args, is_t) if t]
        node.needs_input_grad = tuple(t and a.requires_grad for a, t in zip(args, is_t))
        custom_setup = cls.setup_context is not Function.setup_context
        with grad_mode.no_grad():
            if custom_setup:
                out = cls.forward(*args, **kwargs)
                cls.setup_context(node, args, out)
            else:
                out = cls.forward(node, *args, **kwargs)
        multi = isinstance(out, tuple)
        outs = list(out) if multi else [out]
        for i, o in enumerate(outs):  # an input returned as is becomes a view of it
            if any(o is a for a in tensors):
                outs[i] = _view_of(o._data, o)
        if grad_mode.STATE[0] and any(node.needs_input_grad):
            node.n_outputs = len(outs)
            node._arg_is_tensor = is_t
            node._in_meta = [(a._data.shape, a._data.dtype) for a in tensors]
            node._out_meta = [(o._data.shape, o._data.dtype) if isinstance(o, Tensor) else None
                              for o in outs]
            node._like = tensors[0]._data
            saved = getattr(node, "to_save", None)
            if saved is not None:
                node._saved_direct = tuple(saved)
                node.save_versions(*[s for s in saved if isinstance(s, Tensor)])
                # outputs saved: their grad_fn is this node; keep the version check only
            nondiff = getattr(node, "non_differentiable", ())
            for i, o in enumerate(outs):
                if isinstance(o, Tensor) and not any(o is n for n in nondiff) \
                        and o._data.dtype.kind == "f":
                    attach(o, node, tensors)
                    o._output_nr = i
        return tuple(outs) if multi else outs[0]


def once_differentiable(fn):
    """Decorator for ``backward``: runs it without recording a graph."""
    import functools

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            return fn(ctx, *args)
    return wrapper
