"""A picture of the autograd graph behind a tensor, drawn with matplotlib only.

画出张量背后的计算图（只用 matplotlib，不需要 graphviz）。

    >>> pic = course_lib.autograd.graph.draw(loss, params=dict(model.named_parameters()))
    >>> pic            # shown inline in JupyterLab / 在 JupyterLab 中直接显示
    >>> pic.figure     # the matplotlib Figure / matplotlib 图

Like torchviz: leaves (``AccumulateGrad``, blue, with their name and shape) at the top, one
box per ``grad_fn`` node (grey, torch's class name such as ``MulBackward0``), the output tensor
(green, with its shape) at the bottom. Arrows follow the FORWARD computation (data flows from
the leaves down to the output); ``backward()`` walks them the other way, from the output up.
A value used twice (fan-out) has one arrow per use.

箭头是**前向**计算的方向（数据从叶子流向输出）；``backward()`` 沿箭头的反方向走。

    >>> graph.draw(L, params={"x": x, "h": h, "L": L}, values=True, backward=True)

``values=True`` writes the values of the leaves, of the named intermediate tensors and of the
output into their boxes; ``backward=True`` runs ``autograd.grad`` (through the backward engine,
on a retained graph, so no ``.grad`` changes) and numbers every node in the order the engine ran
it, with the gradient it received. The walk and the layered layout are iterative, so deep
graphs do not hit Python's recursion limit.
"""
from __future__ import annotations

import io
import sys

import numpy as np

__all__ = ["draw", "GraphPicture"]

_COLORS = {"leaf": "#cfe2f3", "op": "#e6e6e6", "output": "#c9f0c9", "more": "#ffffff"}


def _shape(t) -> str:
    return str(tuple(int(s) for s in t.shape))


def _numpy(t):
    """The values of a tensor (course_lib or torch) as a numpy array, calling no lesson piece."""
    a = getattr(t, "_data", None)  # course_lib: the array itself
    if a is None:
        a = t.detach().cpu().numpy()
    if hasattr(a, "get"):  # cupy
        a = a.get()
    return np.asarray(a)


def _fmt(t, limit=6):
    """A short text of a tensor's values: ``3.97``, ``[1.65, 0.368]``, ``[1, 2, 3, … 64 values]``."""
    a = _numpy(t)
    flat = a.ravel()
    if a.ndim == 0:
        return f"{flat[0]:.3g}"
    if flat.size <= limit:
        return "[" + ", ".join(f"{v:.3g}" for v in flat) + "]"
    return "[" + ", ".join(f"{v:.3g}" for v in flat[:3]) + f", … {flat.size} values]"


def _trace_backward(tensor, nodes):
    """Run ``autograd.grad`` of ``tensor`` (seed: ones) with hooks on ``nodes``.

    Returns {id(node): (k, grads)}: the node ran k-th (1 = first) and received ``grads``, the
    gradients of its outputs. A leaf is noted by its node's pre-hook or its tensor hook (torch's
    ``autograd.grad`` runs only the latter), whichever fires first. All hooks are removed again.
    """
    lib = sys.modules[type(tensor).__module__.split(".")[0]]
    seen, handles, leaves = {}, [], []

    def note(node, grads):
        if id(node) not in seen:
            seen[id(node)] = (len(seen) + 1, tuple(grads))

    try:
        for n in nodes:
            var = getattr(n, "variable", None)
            if var is not None:
                leaves.append(var)
                handles.append(var.register_hook(lambda g, n=n: note(n, (g,))))
            handles.append(n.register_prehook(lambda gs, n=n: note(n, gs)))
        if leaves:
            lib.autograd.grad(tensor, leaves, grad_outputs=lib.ones_like(tensor),
                              retain_graph=True, allow_unused=True)
    finally:
        for h in handles:
            h.remove()
    return seen


def _collect(root, max_nodes):
    """Nodes reachable from ``root`` (breadth first, at most ``max_nodes``) and their edges.

    Returns (nodes, edges, truncated) with edges as (producer, consumer) pairs: the producer
    is an entry of consumer.next_functions, i.e. the forward data flows producer → consumer.
    """
    nodes, seen, edges, queue, truncated = [root], {id(root)}, [], [root], False
    while queue:
        node = queue.pop(0)
        for nxt, _ in getattr(node, "next_functions", ()):
            if nxt is None:
                continue
            if id(nxt) not in seen:
                if len(nodes) >= max_nodes:
                    truncated = True
                    continue
                seen.add(id(nxt))
                nodes.append(nxt)
                queue.append(nxt)
            edges.append((nxt, node))
    return nodes, edges, truncated


def _layers(nodes, edges, output):
    """Layer of each node = longest path to the output (Kahn's algorithm, no recursion)."""
    consumers, pending = {}, {id(n): 0 for n in nodes}
    for src, dst in edges:
        consumers.setdefault(id(dst), []).append(src)
        pending[id(src)] += 1  # how many consumers still to be placed
    depth = {id(output): 0}
    ready = [output]
    while ready:
        node = ready.pop()
        for src in consumers.get(id(node), ()):
            depth[id(src)] = max(depth.get(id(src), 0), depth[id(node)] + 1)
            pending[id(src)] -= 1
            if pending[id(src)] == 0:
                ready.append(src)
    return depth


def _order(layers, edges, sweeps=4):
    """Order boxes inside each layer by the mean position of their neighbours (barycentres)."""
    nbrs = {}
    for src, dst in edges:
        nbrs.setdefault(id(src), []).append(dst)
        nbrs.setdefault(id(dst), []).append(src)
    for _ in range(sweeps):
        pos = {id(n): i - (len(layer) - 1) / 2 for layer in layers for i, n in enumerate(layer)}
        for layer in layers:
            key = {id(n): sum(pos[id(m)] for m in nbrs.get(id(n), ()) if id(m) in pos)
                   / max(1, len(nbrs.get(id(n), ()))) for n in layer}
            layer.sort(key=lambda n: key[id(n)])
    return layers


class GraphPicture:
    """A drawn graph: displays inline in Jupyter (PNG/SVG); ``.figure`` is the matplotlib Figure.

    计算图的图片：在 Jupyter 中直接显示；``.figure`` 是 matplotlib 的 Figure。
    """

    def __init__(self, figure, labels, order=()):
        self.figure = figure
        self.labels = labels  # the box texts, top to bottom (handy for tests and printing)
        self.order = list(order)  # with backward=True: the box texts in the order backward ran

    def _render(self, fmt: str) -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(buf, format=fmt, bbox_inches="tight", dpi=110)
        return buf.getvalue()

    def _repr_png_(self):
        return self._render("png")

    def _repr_svg_(self):
        return self._render("svg").decode("utf-8")

    def savefig(self, *args, **kwargs):
        kwargs.setdefault("bbox_inches", "tight")
        return self.figure.savefig(*args, **kwargs)

    def __repr__(self):
        return f"<GraphPicture: {len(self.labels)} nodes>"


def draw(tensor, params=None, *, max_nodes=150, values=False, backward=False):
    """Draw the autograd graph that produced ``tensor``; returns a :class:`GraphPicture`.

    画出生成 ``tensor`` 的计算图。``params``: {name: tensor}（如
    ``dict(model.named_parameters())``）给叶子命名；也可以给中间张量（及输出）命名 / names the
    leaves, and intermediate tensors (and the output) too.
    ``values=True``：在方框里写出叶子、命名的中间张量与输出的值 / write their values.
    ``backward=True``：用 ``autograd.grad`` 跑一次反向（保留计算图，不改 ``.grad``），按引擎运行
    的顺序给节点编号，并写出每个节点收到的梯度 / number the nodes in the order the backward
    engine ran them, with the gradient each one received (the seed is ``ones_like(tensor)``).
    Draw before ``backward()`` (or after ``backward(retain_graph=True)``): a freed graph raises
    torch's "backward through the graph a second time" error / 要在 backward() 之前画。
    """
    from matplotlib.figure import Figure

    from .._plotting import cjk_family

    params = params or {}
    names = {id(p): n for n, p in params.items() if getattr(p, "grad_fn", None) is None}
    inner = {id(p.grad_fn): n for n, p in params.items()  # named intermediate tensors
             if getattr(p, "grad_fn", None) is not None and p is not tensor}
    values_of = {id(p.grad_fn): p for p in params.values()
                 if getattr(p, "grad_fn", None) is not None}
    out_name = next((n for n, p in params.items() if p is tensor), "out")
    out = ("output", tensor)
    root = getattr(tensor, "grad_fn", None)
    if root is not None:
        nodes, edges, truncated = _collect(root, max_nodes)
        ran = _trace_backward(tensor, nodes) if backward else {}
        nodes = [out] + nodes
        edges = [(root, out)] + edges
    else:
        nodes, edges, truncated, ran = [out], [], False, {}
    depth = _layers(nodes, edges, out)
    n_layers = max(depth.values()) + 1
    layers = [[] for _ in range(n_layers)]
    for n in nodes:
        layers[n_layers - 1 - depth[id(n)]].append(n)  # leaves on top, output at the bottom
    layers = _order(layers, edges)

    def grad_line(n, name):
        if id(n) not in ran:
            return []
        gs = "; ".join("None" if g is None else _fmt(g) for g in ran[id(n)][1])
        return [f"∂{out_name}/∂{name} = {gs}" if name else f"grad = {gs}"]

    def label(n):
        if n is out:
            if root is None:
                state = ("requires_grad=True" if getattr(tensor, "requires_grad", False)
                         else "无计算图 no graph")
                lines = [f"张量 tensor {_shape(tensor)}", state]
            else:
                lines = [f"输出 output {_shape(tensor)}"]
            if values:
                lines.append(f"{out_name} = {_fmt(tensor)}")
            return "\n".join(lines), "output"
        var = getattr(n, "variable", None)
        if var is not None:  # AccumulateGrad: a leaf tensor
            name = names.get(id(var), "")
            lines = [name, _shape(var)] if name else [_shape(var)]
            if values:
                lines.append(f"= {_fmt(var)}")
            return "\n".join(lines + grad_line(n, name)), "leaf"
        lines = [type(n).__name__]
        name = inner.get(id(n))
        if name is not None:
            lines.append(f"{name} = {_fmt(values_of[id(n)])}" if values else name)
        return "\n".join(lines + grad_line(n, name)), "op"

    boxes = {id(n): label(n) for n in nodes}
    cjk = cjk_family()  # Chinese glyphs fall back from the monospace font to the CJK one
    family = ["monospace"] + ([cjk] if cjk else [])
    tall = max(text.count("\n") + 1 for text, _ in boxes.values())
    wide = max(len(line) for text, _ in boxes.values() for line in text.split("\n"))
    width = max(len(layer) for layer in layers)
    box_w = max(2.4, 0.08 * wide + 0.5)
    row_h = max(0.9, 0.2 * tall + 0.35)
    fig = Figure(figsize=(min(box_w * width + 1, 30), min(row_h * n_layers + 0.6, 60)))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(-width / 2 - 0.1, width / 2 + 0.1)
    ax.set_ylim(-n_layers + 0.4, 0.6)
    texts, labels = {}, []
    for row, layer in enumerate(layers):
        for i, n in enumerate(layer):
            text, kind = boxes[id(n)]
            labels.append(text)
            x = (i - (len(layer) - 1) / 2) * width / max(len(layer), 1)
            texts[id(n)] = ax.text(x, -row, text, ha="center", va="center", fontsize=9,
                                   family=family, zorder=3,
                                   bbox=dict(boxstyle="round,pad=0.4", fc=_COLORS[kind],
                                             ec="#555555", lw=0.8))
    uses = {}
    for src, dst in edges:
        if id(src) in texts and id(dst) in texts:  # arrow: bottom of producer → top of consumer
            k = uses[(id(src), id(dst))] = uses.get((id(src), id(dst)), -1) + 1
            rad = 0.0 if k == 0 else 0.3 * ((k + 1) // 2) * (-1) ** k  # a value used twice: bent
            ax.annotate("", xy=(0.5, 1.0), xycoords=texts[id(dst)], xytext=(0.5, 0.0),
                        textcoords=texts[id(src)], zorder=2,
                        arrowprops=dict(arrowstyle="-|>", color="#444444", lw=0.8,
                                        shrinkA=5, shrinkB=5, connectionstyle=f"arc3,rad={rad}"))
    for n in nodes:  # the order of backward: a red badge on the box's top-left corner
        if id(n) in ran and id(n) in texts:
            ax.annotate(str(ran[id(n)][0]), xy=(0.0, 1.0), xycoords=texts[id(n)],
                        xytext=(-5, 3), textcoords="offset points", ha="center",
                        va="center", fontsize=9, color="white", weight="bold", family="monospace", zorder=4,
                        bbox=dict(boxstyle="circle,pad=0.25", fc="#c0392b", ec="none"))
    if ran:
        ax.set_title("红色数字：backward() 计算梯度的顺序；箭头：前向计算\n"
                     "red numbers: the order in which backward() computes the gradients; "
                     "arrows: the forward computation", fontsize=9)
    if truncated:
        ax.text(-width / 2, 0.45, f"... graph cut at {max_nodes} nodes", fontsize=8,
                color="#aa0000", va="top")
    order = [boxes[k][0] for k, _ in sorted(ran.items(), key=lambda kv: kv[1][0])]
    return GraphPicture(fig, labels, order)
