"""The autograd side of ``course_lib.Tensor``: ``grad_fn``, ``requires_grad``, ``grad``, hooks,
``backward`` and ``detach``.

``course_lib.Tensor`` 的自动求导部分：``grad_fn``、``requires_grad``、``grad``、钩子、
``backward`` 与 ``detach``。

These are methods and properties of ``Tensor``: ``course_lib._tensor`` binds them in its class
body and reports them as its own (``Tensor.grad.fget.__qualname__ == "Tensor.grad"``,
``__module__ == "course_lib._tensor"``). ``Tensor`` and ``_wrap`` are set here by
``course_lib._tensor`` once it has made them (this module is imported before ``Tensor`` exists).
"""
from __future__ import annotations

import warnings
import weakref

import numpy as np

from .autograd import views as _views
from .autograd.engine import run_backward

Tensor = _wrap = None  # set by course_lib._tensor
_ones_like = np.ones_like

NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. "
    "See github.com/pytorch/pytorch/pull/30531 for more informations.")


@property
def grad_fn(self):
    """The graph node that made this tensor (None for a leaf). 生成该张量的计算图节点。"""
    if self._base is None or self._gver == self._ver[0]:
        return self._grad_fn
    return _views.view_grad_fn(self)  # a view whose memory was changed in place


@grad_fn.setter
def grad_fn(self, fn):
    self._grad_fn = fn
    if self._base is not None:
        self._gver = self._ver[0]


@property
def requires_grad(self):
    return self._requires_grad


@requires_grad.setter
def requires_grad(self, flag):
    if flag and self._data.dtype.kind != "f" and self.grad_fn is None:
        raise RuntimeError("only Tensors of floating point and complex dtype can require "
                           "gradients")  # torch's wording differs from requires_grad_()'s
    self.requires_grad_(flag)


def requires_grad_(self, requires_grad=True):
    """Set ``requires_grad`` in place on a leaf; returns self. 就地设置 requires_grad。"""
    if self.grad_fn is not None:
        if not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to "
                "use a computed variable in a subgraph that doesn't require differentiation "
                "use var_no_grad = var.detach().")
        return self
    if requires_grad and self._data.dtype.kind != "f":
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    if requires_grad and not self._requires_grad and self._base is None:
        _views.flip_views(self)  # its views require grad too (torch)
    self._requires_grad = bool(requires_grad)
    return self


@property
def is_leaf(self):
    return self.grad_fn is None


@property
def grad(self):
    if self.grad_fn is not None and not self.retains_grad:
        warnings.warn(NONLEAF_GRAD_WARNING, UserWarning, stacklevel=2)
    return self._grad


@grad.setter
def grad(self, value):
    if value is not None:
        from ._ops.checks import check_grad_assign
        check_grad_assign(self, value)
    self._grad = value


@grad.deleter
def grad(self):
    self._grad = None


@property
def retains_grad(self):
    h = self.grad_fn._hooks if self.grad_fn is not None else None
    return bool(h) and any(r() is self for _, r in h.get("retain", ()))


def retain_grad(self):
    """Keep ``.grad`` of this non-leaf tensor after backward. 保留非叶子张量的梯度。"""
    if not self._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if self.grad_fn is None or self.retains_grad:
        return
    self.grad_fn._hook_dict().setdefault("retain", []).append(
        (self._output_nr, weakref.ref(self)))


def register_hook(self, hook):
    """Call ``hook(grad)`` when this tensor's gradient is computed; may return a new grad.

    在计算出该张量的梯度时调用 ``hook(grad)``，返回值（若不为 None）替换梯度。
    """
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    from .autograd.node import _Handle

    if self.grad_fn is None:
        if self._hooks is None:
            self._hooks = []
        return _Handle(self._hooks, hook)
    lst = self.grad_fn._hook_dict().setdefault("tensor", [])
    entry = (self._output_nr, hook)
    lst.append(entry)
    return _TensorHookHandle(lst, entry)


def register_post_accumulate_grad_hook(self, hook):
    """Call ``hook(tensor)`` after ``backward()`` has accumulated this leaf's ``.grad`` (not for
    ``autograd.grad``); the hook must return None — e.g. an optimizer step inside backward.

    在 ``backward()`` 把梯度累加进这个叶子张量的 ``.grad`` 之后调用 ``hook(tensor)``。
    """
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self.grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    from .autograd.node import _Handle

    if self._post_acc is None:
        self._post_acc = []
    return _Handle(self._post_acc, hook)


def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Compute gradients of this tensor w.r.t. the graph leaves (accumulated in ``.grad``).

    反向传播：把梯度累加到叶子张量的 ``.grad`` 中。
    """
    if inputs is None and not create_graph and self._requires_grad:
        d = self._data
        if gradient is None:
            if d.size == 1 and d.dtype.kind == "f":
                run_backward((self,), (_ones_like(d),), bool(retain_graph))
                return
        elif type(gradient) is Tensor:
            g = gradient._data
            if g.shape == d.shape and g.dtype == d.dtype and type(g) is type(d):
                run_backward((self,), (g,), bool(retain_graph))
                return
    from .autograd import backward

    backward(self, gradient, retain_graph, create_graph, inputs=inputs)


def detach(self):
    """A new tensor sharing memory, cut from the graph. 共享内存、脱离计算图的新张量。"""
    t = _wrap(self._data)
    t._ver = self._ver  # same memory, same version counter (not an autograd view)
    return t


def detach_(self):
    if self._base is not None and self._requires_grad:
        raise RuntimeError("Can't detach views in-place. Use detach() instead.")
    self.grad_fn = None
    self._requires_grad = False
    return self


@property
def data(self):
    return _wrap(self._data)  # same memory; unlike detach(), its own version counter


@data.setter
def data(self, value):
    self._data = value._data


class _TensorHookHandle:
    __slots__ = ("_list", "_entry")

    def __init__(self, lst, entry):
        self._list, self._entry = lst, entry

    def remove(self):
        if self._entry in self._list:
            self._list.remove(self._entry)


_TensorHookHandle.__module__ = "course_lib._tensor"  # where it was defined before the split

for _v in (grad_fn, requires_grad, requires_grad_, is_leaf, grad, retains_grad, retain_grad,
           register_hook, register_post_accumulate_grad_hook, backward, detach, detach_, data):
    for _f in ((_v.fget, _v.fset, _v.fdel) if isinstance(_v, property) else (_v,)):
        if _f is not None:  # Tensor's own methods, as when they were written in its body
            _f.__module__, _f.__qualname__ = "course_lib._tensor", "Tensor." + _f.__name__
del _v, _f
