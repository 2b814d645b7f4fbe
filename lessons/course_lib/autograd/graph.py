"""A picture of the autograd graph behind a tensor, drawn with matplotlib only.

画出张量背后的计算图（只用 matplotlib，不需要 graphviz）。

    >>> pic = course_lib.autograd.graph.draw(loss, params=dict(model.named_parameters()))
    >>> pic            # shown inline in JupyterLab / 在 JupyterLab 中直接显示
    >>> pic.figure     # the matplotlib Figure / matplotlib 图

Like torchviz: leaves (``AccumulateGrad``, blue, with their name and shape) at the top, one
box per ``grad_fn`` node (grey, torch's class name such as ``MulBackward0``), the output tensor
(green, with its shape) at the bottom; arrows follow the forward computation. The walk and the
layered layout are iterative, so deep graphs do not hit Python's recursion limit.
"""
from __future__ import annotations

import io

__all__ = ["draw", "GraphPicture"]

_COLORS = {"leaf": "#cfe2f3", "op": "#e6e6e6", "output": "#c9f0c9", "more": "#ffffff"}


def _shape(t) -> str:
    return str(tuple(int(s) for s in t.shape))


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

    def __init__(self, figure, labels):
        self.figure = figure
        self.labels = labels  # the box texts, top to bottom (handy for tests and printing)

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


def draw(tensor, params=None, *, max_nodes=150):
    """Draw the autograd graph that produced ``tensor``; returns a :class:`GraphPicture`.

    画出生成 ``tensor`` 的计算图。``params``: {name: tensor}（如
    ``dict(model.named_parameters())``）用来给叶子命名 / names the leaves.
    """
    from matplotlib.figure import Figure

    names = {id(p): n for n, p in (params or {}).items()}
    out = ("output", tensor)
    root = getattr(tensor, "grad_fn", None)
    if root is not None:
        nodes, edges, truncated = _collect(root, max_nodes)
        nodes = [out] + nodes
        edges = [(root, out)] + edges
    else:
        nodes, edges, truncated = [out], [], False
    depth = _layers(nodes, edges, out)
    n_layers = max(depth.values()) + 1
    layers = [[] for _ in range(n_layers)]
    for n in nodes:
        layers[n_layers - 1 - depth[id(n)]].append(n)  # leaves on top, output at the bottom
    layers = _order(layers, edges)

    def label(n):
        if n is out:
            if root is None:
                state = "requires_grad=True" if getattr(tensor, "requires_grad", False) else "no graph"
                return f"tensor {_shape(tensor)}\n{state}", "output"
            return f"output {_shape(tensor)}", "output"
        var = getattr(n, "variable", None)
        if var is not None:  # AccumulateGrad: a leaf tensor
            name = names.get(id(var), "")
            return (f"{name}\n{_shape(var)}" if name else _shape(var)), "leaf"
        return type(n).__name__, "op"

    width = max(len(layer) for layer in layers)
    fig = Figure(figsize=(min(2.4 * width + 1, 30), min(0.9 * n_layers + 0.6, 60)))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(-width / 2 - 0.1, width / 2 + 0.1)
    ax.set_ylim(-n_layers + 0.4, 0.6)
    texts, labels = {}, []
    for row, layer in enumerate(layers):
        for i, n in enumerate(layer):
            text, kind = label(n)
            labels.append(text)
            x = (i - (len(layer) - 1) / 2) * width / max(len(layer), 1)
            texts[id(n)] = ax.text(x, -row, text, ha="center", va="center", fontsize=9,
                                   family="monospace", zorder=3,
                                   bbox=dict(boxstyle="round,pad=0.4", fc=_COLORS[kind],
                                             ec="#555555", lw=0.8))
    for src, dst in edges:
        if id(src) in texts and id(dst) in texts:  # arrow: bottom of producer → top of consumer
            ax.annotate("", xy=(0.5, 1.0), xycoords=texts[id(dst)], xytext=(0.5, 0.0),
                        textcoords=texts[id(src)], zorder=2,
                        arrowprops=dict(arrowstyle="-|>", color="#444444", lw=0.8,
                                        shrinkA=5, shrinkB=5))
    if truncated:
        ax.text(-width / 2, 0.45, f"... graph cut at {max_nodes} nodes", fontsize=8,
                color="#aa0000", va="top")
    return GraphPicture(fig, labels)
