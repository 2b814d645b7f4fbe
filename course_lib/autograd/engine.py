"""The backward engine: the student's ``execute`` (lesson 04) runs every backward.

反向传播引擎：``execute``（第 04 课练习）是每次 ``backward()`` / ``autograd.grad`` 的核心循环——
拓扑序的逆序、扇出梯度累加、释放保存的值、关闭梯度记录。``run_backward`` is the library glue
around it: the roots' edges, and ``run_node``, which runs one node with torch's extras (tensor
and node hooks, anomaly mode, saved-tensor checks, ``autograd.grad``'s capture) and, at a leaf,
accumulates into ``.grad`` (AccumulateGrad).
"""
from __future__ import annotations

import sys

import course_lib as torch

from ..exercises import exercise
from .anomaly_mode import ANOMALY, checked_backward
from .create_graph import TArray, run_formula
from .node import ERR_FREED, FREED, AccumulateGrad, _writeable, accumulator

__all__ = ["run_backward", "execute"]


def _as_tensor(a):
    return a.t if type(a) is TArray else _wrap(a)


def _from_hook(r, like, fn=None):
    """A hook's returned Tensor as the engine's gradient (an array, or a TArray with
    create_graph); a tensor hook (``fn``) must keep the gradient's type and size (torch's
    errors)."""
    if fn is not None:
        _check_hook_result(r, like, fn)
    return TArray(r) if type(like) is TArray else r._data


def _check_hook_result(r, like, fn):
    from .._tensor import Tensor, _type_name

    if not isinstance(r, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(r).__name__}'")
    was = _as_tensor(like)
    name = getattr(fn, "__name__", type(fn).__name__)
    if type(r._data) is not type(was._data) or r._data.dtype != was._data.dtype:
        raise RuntimeError(f"hook '{name}' has changed the type of value (was {_type_name(was)} "
                           f"got {_type_name(r)})")
    if r._data.shape != was._data.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")


_wrap = None  # set by course_lib._tensor (circular import)
_getrefcount = sys.getrefcount


@exercise("04_autograd", "engine", key="course_lib.autograd.engine.execute")
def execute(roots, retain_graph, run_node):
    """从 ``roots`` 出发执行反向传播（``backward()`` 的核心）。Run the backward pass from ``roots``.

    ``roots``：``(node, output_nr, grad)`` 的列表——图的起点、它的第几个
    输出、以及该输出收到的梯度。每个节点 ``node`` 有 ``node.next_functions``：一串边
    ``(next_node, output_nr)``（``next_node`` 为 ``None`` 表示该输入不需要梯度），以及
    ``node.n_outputs``。``run_node(node, grad)`` 运行一个节点的反向公式，返回与
    ``node.next_functions`` 一一对应的梯度（或 ``None``）；多输出节点的 ``grad`` 是列表。
    ``roots``: a list of ``(node, output_nr, grad)``. Every node has ``next_functions``, its edges
    ``(next_node, output_nr)`` towards its inputs (``next_node`` None: no gradient needed) and
    ``n_outputs``. ``run_node(node, grad)`` runs one node's backward formula and returns one
    gradient (or None) per edge of ``next_functions``; ``grad`` is a list when ``n_outputs > 1``.

    要求 / Required:
    1. a node runs only after EVERY edge into it has delivered its gradient (reverse
       topological order; count each node's incoming edges first, iteratively — a chain of
       100 000 nodes must not hit Python's recursion limit);
    2. gradients that reach the same output of a node along several edges are ADDED (fan-out);
       never add in place (``a + b``, not ``a += b``): an array may be shared;
    3. after a node ran, free what it saved with ``node.release_variables()`` unless
       ``retain_graph``;
    4. the formulas run with gradient recording off (``torch.no_grad()``).
    Leaves (AccumulateGrad nodes) are nodes too: ``run_node`` adds their gradient into ``.grad``.
    """
    ### BEGIN SOLUTION
    # 1. how many edges lead into each node reachable from the roots (iterative DFS)
    deps = {}
    stack = []
    for node, _, _ in roots:
        if node not in deps:
            deps[node] = 0
            stack.append(node)
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is None:
                continue
            if nxt in deps:
                deps[nxt] += 1
            else:
                deps[nxt] = 1
                stack.append(nxt)
    # 2. the gradient reaching each output of a node, summed over its edges;
    # a node is ready once all its inputs are in (at first: the roots no other root reaches)
    buffers = {}
    ready = []
    for node, output_nr, grad in roots:
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * node.n_outputs
            if deps[node] == 0:
                ready.append(node)
        buf[output_nr] = grad if buf[output_nr] is None else buf[output_nr] + grad
    # 3. run the ready nodes and pass their gradients on
    with torch.no_grad():
        while ready:
            node = ready.pop()
            buf = buffers.pop(node, None)
            if buf is not None and node.n_outputs == 1:
                buf = buf[0]
            grads = run_node(node, buf)
            buf = None
            if not retain_graph:
                node.release_variables()
            for (nxt, output_nr), grad in zip(node.next_functions, grads):
                if nxt is None:
                    continue
                if grad is not None:
                    buf = buffers.get(nxt)
                    if buf is None:
                        buf = buffers[nxt] = [None] * nxt.n_outputs
                    buf[output_nr] = grad if buf[output_nr] is None else buf[output_nr] + grad
                    buf = None
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    ready.append(nxt)
    ### END SOLUTION


def run_backward(roots, grads, retain_graph=False, capture=None, engine=None,
                 create_graph=False, inputs=None):
    """Backpropagate ``grads`` (arrays) from the ``roots`` (tensors) with :func:`execute`.

    ``capture``: for ``autograd.grad`` — ``{(node, output_nr): slot}``; the gradients
    reaching those points are returned in a dict and no ``.grad`` is accumulated.
    ``inputs``: for ``backward(inputs=...)`` — the nodes whose gradients are accumulated.
    With either, only the nodes on a path to them run (torch's ``exec_info``, see ``_plan``).
    ``engine``: a function to run instead of the current ``execute`` (the grader's cases).
    ``create_graph``: ``grads`` are Tensors and every formula runs on Tensors (recorded), so
    the gradients have a graph of their own (``create_graph.py``).
    """
    if create_graph:
        grads = [TArray(g) for g in grads]
    starts = []
    for t, g in zip(roots, grads):
        node = t.grad_fn
        starts.append((accumulator(t), 0, g) if node is None else (node, t._output_nr, g))
    captured = {}
    leaves = []  # (AccumulateGrad node, gradient): added into .grad once execute returns
    post = []  # leaves with post-accumulate-grad hooks
    anomaly = ANOMALY[0]

    def run_node(node, g):
        """One node's backward with torch's extras; one gradient (or None) per edge."""
        n_out = node.n_outputs
        if g is None or (n_out > 1 and all(x is None for x in g)):
            return (None,) * len(node.next_functions)
        if type(node) is AccumulateGrad:  # a leaf: its hooks, then add into .grad
            if node.variable._hooks:
                g = _leaf_hooks(node, g)
            if node._hooks:
                g = _run_pre_hooks(node, [g])[0]
            leaves.append((node, g))
            return ()
        if node._hooks:
            gl = _run_pre_hooks(node, list(g) if n_out > 1 else [g])
            g = gl if n_out > 1 else gl[0]
            gl = None
        if create_graph:
            if node.saved is FREED:
                raise RuntimeError(ERR_FREED)
            if node._versions:
                node._check_saved()
            outs = run_formula(node, g)
        elif anomaly:
            outs = checked_backward(node, g)  # detect_anomaly(): checks + warning
        else:
            if node.saved is FREED:
                raise RuntimeError(ERR_FREED)
            vs = node._versions
            if vs:  # Node._check_saved inline: (counter, version when saved, tensor)
                for v in vs:
                    if v[0][0] != v[1]:
                        node._check_saved()  # raises torch's error
            outs = node.backward(g)
        if node._hooks and "post" in node._hooks:
            _post_hooks(node, outs, g)
        return outs

    kept = ()
    if capture is not None or inputs is not None:
        run_node, kept = _restricted(run_node, _plan(starts, capture or {}, inputs or ()),
                                     captured)
    try:
        (execute if engine is None else engine)(starts, retain_graph, run_node)
    finally:
        run_node = starts = None
        for node, saved, versions in kept:
            node.saved, node._versions = saved, versions
        # Each leaf's gradient goes into its ``.grad`` once ``execute`` returned, when no frame
        # of it holds a gradient any more: a fresh array that only ``leaves`` holds becomes the
        # ``.grad`` without a copy (torch "steals" it too); anything else is copied or added
        # (AccumulateGrad.backward), so a gradient is never aliased with another one.
        for i in range(len(leaves)):
            node, g = leaves[i]
            leaves[i] = None
            v = node.variable
            if (v._grad is None and type(g) is type(v._data) and _getrefcount(g) == 2
                    and _adoptable(g)):
                v._grad = _wrap(g)
            else:
                if v._grad is None and _getrefcount(g) > 2 and hasattr(g, "copy"):
                    g = g.copy()  # held elsewhere too (the same array sent to two leaves)
                node.backward(g)
            g = None
            if v._post_acc:
                post.append(v)
    for v in post:  # after a successful backward only, each leaf once
        _post_accumulate_hooks(v)
    return captured


def _post_accumulate_hooks(v):
    """``register_post_accumulate_grad_hook`` hooks of leaf ``v``, its ``.grad`` now final."""
    for fn in list(v._post_acc):
        if fn(v) is not None:
            raise RuntimeError("Tensor post accumulate grad hooks should return None.")


def _plan(starts, capture, inputs):
    """torch's ``exec_info`` for ``autograd.grad`` / ``backward(inputs=...)``: ``{node:
    (needed, [(output_nr, slot), ...])}`` for the nodes that run. A node is needed when it is
    one of ``inputs`` or leads to a node that runs; a captured node runs too. Nodes absent
    from the plan are skipped (their hooks do not fire)."""
    caps = {}
    for (node, nr), slot in capture.items():
        caps.setdefault(node, []).append((nr, slot))
    targets = set(inputs)
    runs = {}  # node -> runs?  (a DAG: a node met again is already finished)
    plan = {}
    for root, _, _ in starts:  # iterative post-order: children before their parent
        if root in runs:
            continue
        runs[root] = False
        stack = [(root, iter(root.next_functions))]
        while stack:
            node, it = stack[-1]
            for nxt, _ in it:
                if nxt is not None and nxt not in runs:
                    runs[nxt] = False
                    stack.append((nxt, iter(nxt.next_functions)))
                    break
            else:
                stack.pop()
                needed = node in targets or any(
                    runs[nxt] for nxt, _ in node.next_functions if nxt is not None)
                if needed or node in caps:
                    runs[node] = True
                    plan[node] = (needed, caps.get(node, ()))
    return plan


def _restricted(run_node, plan, captured):
    """``run_node`` for a plan, and the list of what the nodes that did not run saved.

    A captured node's gradient is recorded before its hooks when the node is needed (they
    run with it), after its tensor hooks when it is not (it runs no further, as torch's
    engine). A node that does not run keeps what it saved for a later backward, as in torch:
    ``execute`` releases every node it visits, so ``saved`` is set aside here and put back
    by ``run_backward``."""
    kept = []

    def run(node, g):
        entry = plan.get(node)
        if entry is None or not entry[0]:
            if node.saved is not None:
                kept.append((node, node.saved, node._versions))
                node.saved = None
            if entry is None or g is None:
                return (None,) * len(node.next_functions)
        elif g is None:
            return run_node(node, g)
        needed, caps = entry
        multi = node.n_outputs > 1
        if caps and not needed:
            if type(node) is AccumulateGrad:
                if node.variable._hooks:
                    g = _leaf_hooks(node, g)
            elif node._hooks:
                gl = _run_pre_hooks(node, list(g) if multi else [g], pre=False)
                g = gl if multi else gl[0]
        for nr, slot in caps:
            x = g[nr] if multi else g
            if x is not None:
                captured[slot] = x
        if not needed:
            return (None,) * len(node.next_functions)
        return run_node(node, g)

    return run, kept


def _adoptable(g):
    """``g`` (held only by the caller) is a fresh writable array, or a view (``.T``) of one
    that nothing else holds (refs to the base: the view, ``b`` and getrefcount's own)."""
    b = getattr(g, "base", None)
    if b is None:
        return hasattr(g, "flags") and _writeable(g)
    return b.base is None and _getrefcount(b) == 3 and _writeable(g) and _writeable(b)


def _run_pre_hooks(node, grads, pre=True):
    """Tensor hooks (``register_hook``/``retain_grad``) then node pre-hooks (unless not
    ``pre``); grads is a list."""
    hooks = node._hooks
    if not hooks:
        return grads
    for nr, fn in hooks.get("tensor", ()):
        if grads[nr] is not None:
            r = _call_hook(fn, _as_tensor(grads[nr]), grads[nr])
            if r is not None:
                grads[nr] = _from_hook(r, grads[nr], fn)
    for nr, ref in hooks.get("retain", ()):
        t = ref()
        if t is not None and grads[nr] is not None:
            if type(grads[nr]) is TArray:
                t._grad = grads[nr].t if t._grad is None else t._grad + grads[nr].t
            elif t._grad is None:
                t._grad = _as_tensor(grads[nr].copy())
            else:
                t._grad = _as_tensor(t._grad._data + grads[nr])
    for fn in hooks.get("pre", ()) if pre else ():
        r = _call_hook(fn, tuple(None if g is None else _as_tensor(g) for g in grads),
                       next((g for g in grads if g is not None), None))
        if r is not None:
            grads = [None if g is None else _from_hook(g, o) for g, o in zip(r, grads)]
    return grads


def _leaf_hooks(node, g):
    v = node.variable
    for fn in list(v._hooks or ()):
        r = _call_hook(fn, _as_tensor(g), g)
        if r is not None:
            g = _from_hook(r, g, fn)
    return g


def _post_hooks(node, outs, g):
    gi = tuple(None if x is None else _as_tensor(x) for x in outs)
    go = tuple(None if x is None else _as_tensor(x) for x in (g if node.n_outputs > 1 else [g]))
    like = next((x for x in outs if x is not None), None)
    for fn in node._hooks["post"]:
        _call_hook(fn, gi, like, go)


def _call_hook(fn, arg, like, *more):
    """``fn(arg, *more)``; with create_graph (``like``, a gradient, is a TArray) in grad mode,
    so that what the hook computes is recorded, as torch's engine does."""
    if type(like) is not TArray:
        return fn(arg, *more)
    with torch.enable_grad():
        return fn(arg, *more)


def check_grad_shape(t, g, i):
    from .._size import Size

    if tuple(g.shape) != tuple(t._data.shape):
        raise RuntimeError(
            f"Mismatch in shape: grad_output[{i}] has a shape of course_lib.Size({list(g.shape)}) "
            f"and output[{i}] has a shape of course_lib.Size({list(t._data.shape)}).")
    return Size
