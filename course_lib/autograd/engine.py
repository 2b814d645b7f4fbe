"""The backward engine: iterative topological order, gradient accumulation, hooks.

反向传播引擎：迭代式拓扑排序（不用递归，十万层的链也能跑）、梯度累加、钩子。
It is the hot loop of every training step (~1 µs of Python per node), so: dependency counts
first, then a ready stack of (node, gradient); a fresh gradient array that only the engine
holds becomes the leaf's ``.grad`` without a copy (torch "steals" it too); Node's own
saved-version check and release are inlined.
"""
from __future__ import annotations

import sys

from . import grad_mode
from .anomaly_mode import ANOMALY, checked_backward
from .node import ERR_FREED, FREED, AccumulateGrad, Node, _writeable, accumulator

__all__ = ["run_backward"]


def _as_tensor(a):
    return _wrap(a)


_wrap = None  # set by course_lib._tensor (circular import)
_getrefcount = sys.getrefcount


def _run_pre_hooks(node, grads):
    """Tensor hooks (``register_hook``/``retain_grad``) then node pre-hooks; grads is a list."""
    hooks = node._hooks
    if not hooks:
        return grads
    for nr, fn in hooks.get("tensor", ()):
        if grads[nr] is not None:
            r = fn(_as_tensor(grads[nr]))
            if r is not None:
                grads[nr] = r._data
    for nr, ref in hooks.get("retain", ()):
        t = ref()
        if t is not None and grads[nr] is not None:
            if t._grad is None:
                t._grad = _as_tensor(grads[nr].copy())
            else:
                t._grad = _as_tensor(t._grad._data + grads[nr])
    for fn in hooks.get("pre", ()):
        r = fn(tuple(None if g is None else _as_tensor(g) for g in grads))
        if r is not None:
            grads = [None if g is None else g._data for g in r]
    return grads


def _leaf_hooks(node, g):
    v = node.variable
    for fn in v._hooks or ():
        r = fn(_as_tensor(g))
        if r is not None:
            g = r._data
    return g


def run_backward(roots, grads, retain_graph=False, capture=None):
    """Backpropagate ``grads`` (arrays) from the ``roots`` (tensors).

    ``capture``: for ``autograd.grad`` — ``{(node, output_nr): slot}``; the gradients
    reaching those points are returned in a dict and no ``.grad`` is accumulated.
    """
    # 1. dependency counts of every node reachable from the roots (iterative DFS)
    deps = {}
    pending = {}
    stack = []
    for t, g in zip(roots, grads):
        node = t.grad_fn
        if node is None:
            node = accumulator(t)
        _add(pending, node, t._output_nr, g)
        if node not in deps:
            deps[node] = 0
            stack.append(node)
    push = stack.append
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is not None:
                if nxt in deps:
                    deps[nxt] += 1
                else:
                    deps[nxt] = 1
                    push(nxt)
    # 2. run the nodes whose inputs are complete; ``ready`` holds (node, its gradient) and
    # ``pending`` only the partial sums of nodes still waiting for other edges
    captured = {} if capture is not None else None
    if len(pending) == 1:  # one root (no node reaches it): it starts
        ready = [pending.popitem()]
    else:
        ready = [(n, pending.pop(n)) for n in list(pending) if deps[n] == 0]
    pop, push = ready.pop, ready.append
    anomaly = ANOMALY[0]
    prev = grad_mode.STATE[0]
    grad_mode.STATE[0] = False
    try:
        gi = old = None
        while ready:
            node, g = pop()
            cls = type(node)
            if cls is AccumulateGrad:  # a leaf: nothing saved, no edges
                if g is not None:
                    if node._hooks:
                        g = _run_pre_hooks(node, [g])[0]
                    if capture is not None:
                        slot = capture.get((node, 0))
                        if slot is not None:
                            captured[slot] = g
                    else:
                        v = node.variable
                        if v._hooks:
                            g = _leaf_hooks(node, g)
                        # adopt a fresh gradient that only this frame holds (refs: g and
                        # getrefcount's argument), as torch steals it; else the general path
                        if (v._grad is None and type(g) is type(v._data)
                                and _getrefcount(g) == 2 and _adoptable(g)):
                            v._grad = _wrap(g)
                        else:
                            node.backward(g)
                    g = None
                continue
            outs = None
            plain = _PLAIN.get(cls)
            if plain is None:
                plain = _PLAIN[cls] = _is_plain(cls)
            if g is not None:
                n_out = node.n_outputs
                if node._hooks:
                    gl = _run_pre_hooks(node, list(g) if n_out > 1 else [g])
                    g = gl if n_out > 1 else gl[0]
                if capture is not None:
                    for nr in range(n_out):
                        slot = capture.get((node, nr))
                        if slot is not None:
                            captured[slot] = g[nr] if n_out > 1 else g
                if anomaly and (n_out == 1 or any(x is not None for x in g)):
                    outs = checked_backward(node, g)  # detect_anomaly(): checks + warning
                    if node._hooks and "post" in node._hooks:
                        _post_hooks(node, outs, g)
                elif n_out == 1 or any(x is not None for x in g):
                    if node.saved is FREED:
                        raise RuntimeError(ERR_FREED)
                    vs = node._versions
                    if vs:
                        if not plain:
                            node._check_saved()
                        else:  # Node._check_saved inline: (counter, version saved, tensor)
                            for v in vs:
                                if v[0][0] != v[1]:
                                    node._check_saved()  # raises torch's error
                    outs = node.backward(g)
                    if node._hooks and "post" in node._hooks:
                        _post_hooks(node, outs, g)
                g = gl = None
            if not retain_graph:
                if plain and node.saved is not None:  # Node._release inline
                    node.saved = FREED
                    node._versions = None
                elif not plain:
                    node._release()
            i = -1  # (indexing the outputs is faster than zip here)
            for nxt, nr in node.next_functions:
                i += 1
                if nxt is None:
                    continue
                gi = None if outs is None else outs[i]
                d = deps[nxt] - 1
                deps[nxt] = d
                if nxt.n_outputs == 1:
                    if d == 0:  # its last input: run it (with what other edges left here)
                        old = pending.pop(nxt, None)
                        push((nxt, old if gi is None else (gi if old is None else old + gi)))
                    elif gi is not None:
                        old = pending.get(nxt)
                        pending[nxt] = gi if old is None else old + gi
                else:
                    if gi is not None:
                        _add(pending, nxt, nr, gi)
                    if d == 0:
                        push((nxt, pending.pop(nxt, None)))
            outs = gi = old = None  # hold no gradient here: AccumulateGrad may adopt it
    finally:
        grad_mode.STATE[0] = prev
    return captured


_PLAIN = {}  # node class → True when it uses Node's own _check_saved and _release (inlined)


def _is_plain(cls):
    return cls._check_saved is Node._check_saved and cls._release is Node._release


def _adoptable(g):
    """``g`` (held only by the engine) is a fresh writable array, or a view (``.T``) of one
    that nothing else holds (refs to the base: the view, ``b`` and getrefcount's own)."""
    b = g.base
    if b is None:
        return _writeable(g)
    return b.base is None and _getrefcount(b) == 3 and _writeable(g) and _writeable(b)


def _add(pending, node, nr, g):
    """Accumulate gradient ``g`` for output ``nr`` of ``node`` (never in place)."""
    if node.n_outputs == 1:
        old = pending.get(node)
        pending[node] = g if old is None else old + g
    else:
        lst = pending.get(node)
        if lst is None:
            lst = pending[node] = [None] * node.n_outputs
        lst[nr] = g if lst[nr] is None else lst[nr] + g


def _post_hooks(node, outs, g):
    gi = tuple(None if x is None else _as_tensor(x) for x in outs)
    go = tuple(None if x is None else _as_tensor(x) for x in (g if node.n_outputs > 1 else [g]))
    for fn in node._hooks["post"]:
        fn(gi, go)


def check_grad_shape(t, g, i):
    from .._size import Size

    if tuple(g.shape) != tuple(t._data.shape):
        raise RuntimeError(
            f"Mismatch in shape: grad_output[{i}] has a shape of course_lib.Size({list(g.shape)}) "
            f"and output[{i}] has a shape of course_lib.Size({list(t._data.shape)}).")
    return Size
