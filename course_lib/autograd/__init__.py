"""``course_lib.autograd``: automatic differentiation, as ``torch.autograd``.

自动求导。``backward`` accumulates gradients into the leaves' ``.grad``; ``grad`` returns them.
"""
from __future__ import annotations

from . import anomaly_mode, grad_mode
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .engine import run_backward
from .function import Function, FunctionCtx, once_differentiable
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                        set_grad_enabled)
from .node import Node
from .variable import Variable

__all__ = ["backward", "grad", "Function", "FunctionCtx", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "is_grad_enabled", "Node", "gradcheck",
           "gradgradcheck",
           "detect_anomaly", "set_detect_anomaly"]


def _tensors(x):
    from .._tensor import Tensor

    if isinstance(x, Tensor):
        return [x]
    return list(x)


def _root_grads(outputs, grad_tensors, what):
    """Arrays to start backward with (ones for scalars), checked like torch."""
    from .._tensor import Tensor
    from .engine import check_grad_shape

    if grad_tensors is None or isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors] * len(outputs) if grad_tensors is None else [grad_tensors]
    grad_tensors = list(grad_tensors)
    if len(grad_tensors) != len(outputs):
        raise RuntimeError(f"got {len(grad_tensors)} tensors and {len(outputs)} gradients")
    out = []
    for i, (t, g) in enumerate(zip(outputs, grad_tensors)):
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have "
                               "a grad_fn")
        if g is None:
            if t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t._data.dtype.kind != "f":
                raise RuntimeError("grad can be implicitly created only for real scalar outputs "
                                   f"but got {t.dtype}")
            x = t._data
            out.append(x.__class__.__new__ if False else _ones_like(x))
        else:
            ga = g._data if isinstance(g, Tensor) else _ones_like(t._data) * g
            check_grad_shape(t, ga, i)
            if ga.dtype != t._data.dtype:
                ga = ga.astype(t._data.dtype)
            if type(ga) is not type(t._data):
                from .._ops._util import same_device
                same_device(t, g)
            out.append(ga)
    return out


def _ones_like(x):
    import numpy as np

    return np.ones_like(x)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Backpropagate from ``tensors``; gradients accumulate into leaves' ``.grad``.

    从 ``tensors`` 反向传播，梯度累加到叶子张量的 ``.grad``。
    """
    outputs = _tensors(tensors)
    grads = _root_grads(outputs, grad_tensors, "backward")
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        grads = _graph_grads(grads, grad_tensors)
    if inputs is not None:
        inputs = _backward_inputs(inputs)
    run_backward(outputs, grads, retain_graph=bool(retain_graph), create_graph=create_graph,
                 inputs=inputs)


def _backward_inputs(inputs):
    """The nodes ``backward(inputs=...)`` accumulates into: a leaf's AccumulateGrad; a
    non-leaf's ``grad_fn``, whose gradient ``retain_grad()`` keeps (as torch does)."""
    from .node import accumulator

    ins = _tensors(inputs)
    if not ins:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    nodes = []
    for t in ins:
        t.retain_grad()  # torch's check too: "can't retain_grad on Tensor that has ..."
        nodes.append(accumulator(t) if t.grad_fn is None else t.grad_fn)
    return nodes


def _graph_grads(arrays, grad_tensors):
    """create_graph: the root gradients as Tensors; a given grad_output keeps its own graph
    (gradgradcheck differentiates through it)."""
    from .._tensor import Tensor

    given = ([grad_tensors] if isinstance(grad_tensors, Tensor) else
             list(grad_tensors) if grad_tensors is not None else [None] * len(arrays))
    out = []
    for a, g in zip(arrays, given):
        if isinstance(g, Tensor) and g._data is a:
            out.append(g)
        elif isinstance(g, Tensor) and g._requires_grad:
            out.append(g.to(_dtype_of(a)))
        else:
            out.append(_wrap_arr(a))
    return out


def _dtype_of(a):
    from .._dtype import _by_np

    return _by_np[a.dtype]


def _wrap_arr(a):
    from .._tensor import _wrap

    return _wrap(a)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Gradients of ``outputs`` w.r.t. ``inputs``, returned (not stored in ``.grad``).

    返回 ``outputs`` 对 ``inputs`` 的梯度（不写入 ``.grad``）。
    """
    from .._tensor import _wrap
    from .node import accumulator

    outs = _tensors(outputs)
    ins = _tensors(inputs)
    for i, t in enumerate(ins):
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _root_grads(outs, grad_outputs, "grad")
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        grads = _graph_grads(grads, grad_outputs)
    capture = {}
    slots = []  # the capture slot of each input (one slot for a tensor given twice)
    for t in ins:
        key = (t.grad_fn, t._output_nr) if t.grad_fn is not None else (accumulator(t), 0)
        slots.append(capture.setdefault(key, len(capture)))
    got = run_backward(outs, grads, retain_graph=bool(retain_graph), capture=capture,
                       create_graph=create_graph)
    result = []
    for i, (t, slot) in enumerate(zip(ins, slots)):
        if slot not in got:
            if not allow_unused and not materialize_grads:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                                   "been used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")
            result.append(_wrap(_ones_like(t._data) * 0) if materialize_grads else None)
        elif create_graph:
            result.append(got[slot].t)
        else:
            result.append(_wrap(got[slot].copy()))
    return tuple(result)


from .gradcheck import gradcheck, gradgradcheck  # noqa: E402  (functions, as in torch)
from . import functional  # noqa: E402,F401
from . import graph  # noqa: E402,F401

_ = grad_mode


from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks
