"""The autograd graph picture: renders PNG/SVG for an MLP and mirrors torch's graph."""
import io
from collections import Counter

import numpy as np
import pytest

import course_lib
from course_lib.autograd import graph


def mlp_loss(torch, g):
    """A 2-layer MLP with a squared-error loss, written with plain tensor ops."""
    x = torch.tensor(g.standard_normal((5, 4)), dtype=torch.float32)
    w1 = torch.tensor(g.standard_normal((8, 4)), dtype=torch.float32, requires_grad=True)
    b1 = torch.zeros(8, requires_grad=True)
    w2 = torch.tensor(g.standard_normal((3, 8)), dtype=torch.float32, requires_grad=True)
    b2 = torch.zeros(3, requires_grad=True)
    h = (x @ w1.t() + b1).relu()
    out = h @ w2.t() + b2
    loss = ((out - 1) ** 2).mean()
    return loss, {"w1": w1, "b1": b1, "w2": w2, "b2": b2}


def test_mlp_picture_renders_png_and_svg():
    loss, params = mlp_loss(course_lib, np.random.default_rng(0))
    pic = graph.draw(loss, params=params)
    png = pic._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(png))
    h, w = img.shape[:2]
    assert h > 300 and w > 300
    assert img[..., :3].std() > 0.05  # something is drawn, not a blank canvas
    svg = pic._repr_svg_()
    assert isinstance(svg, str) and "<svg" in svg
    assert "w1\n(8, 4)" in pic.labels and "b2\n(3,)" in pic.labels
    assert pic.labels[-1] == "输出 output ()"  # the output sits in the bottom layer
    assert {"MeanBackward0", "PowBackward0", "ReluBackward0", "TBackward0"} <= set(pic.labels)


def test_same_nodes_as_torch_graph():
    torch = pytest.importorskip("torch")
    ours, _ = mlp_loss(course_lib, np.random.default_rng(1))
    theirs, _ = mlp_loss(torch, np.random.default_rng(1))
    # graph.draw only uses grad_fn/next_functions/variable, so it draws torch tensors too
    assert Counter(graph.draw(ours).labels) == Counter(graph.draw(theirs).labels)


def test_leaf_and_plain_tensors():
    leaf = course_lib.ones(2, 3, requires_grad=True)
    assert graph.draw(leaf).labels == ["张量 tensor (2, 3)\nrequires_grad=True"]
    assert graph.draw(course_lib.ones(4)).labels == ["张量 tensor (4,)\n无计算图 no graph"]


def test_deep_graph_is_cut_not_recursed():
    x = course_lib.ones(3, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    pic = graph.draw(y, max_nodes=40)
    assert len(pic.labels) == 41  # 40 graph nodes + the output box
    assert pic._repr_png_()[:4] == b"\x89PNG"


def test_layers_are_longest_paths():
    a = course_lib.ones(2, requires_grad=True)
    b = a.exp()
    c = (a + b.sin()).sum()  # a feeds both the first and the third layer of ops
    pic = graph.draw(c)
    order = pic.labels
    assert order[0] == "(2,)"  # the leaf goes to the very top, above ExpBackward0
    assert order.index("ExpBackward0") < order.index("SinBackward0") < order.index("AddBackward0")


def test_nn_mlp_graph_matches_torch():
    """nn.Linear + cross_entropy build torch's graph: AddmmBackward0 ← TBackward0 ← weight,
    NllLossBackward0 ← LogSoftmaxBackward0 (what students compare with PyTorch's pictures)."""
    torch = pytest.importorskip("torch")

    def build(T):
        T.manual_seed(0)
        model = T.nn.Sequential(T.nn.Linear(4, 8), T.nn.ReLU(), T.nn.Linear(8, 3))
        x, y = T.ones(5, 4), T.tensor([0, 1, 2, 0, 1])
        return graph.draw(T.nn.functional.cross_entropy(model(x), y),
                          params=dict(model.named_parameters())).labels

    assert Counter(build(course_lib)) == Counter(build(torch))


def diamond(T):
    """h = exp(x) feeds two ops (fan-out, h used twice by h * h): L = sum(h * h + sigmoid(h))."""
    x = T.tensor([0.5, -1.0, 2.0], dtype=T.float64, requires_grad=True)
    h = x.exp()
    a = h * h
    s = h.sigmoid()
    L = (a + s).sum()
    return dict(x=x, h=h, a=a, s=s, L=L)


def test_values_and_backward_numbers_equal_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = diamond(course_lib), diamond(torch)
    pic = graph.draw(ours["L"], params=ours, values=True, backward=True)
    ref = graph.draw(theirs["L"], params=theirs, values=True, backward=True)
    assert Counter(pic.labels) == Counter(ref.labels)  # same values and gradients as torch's
    for t in theirs.values():
        t.retain_grad()
    theirs["L"].backward()
    for name in "xhas":  # the gradient written in each named box is torch's, to 3 digits
        want = "[" + ", ".join(f"{v:.3g}" for v in theirs[name].grad.numpy()) + "]"
        assert any(f"∂L/∂{name} = {want}" in lab for lab in pic.labels), name
    assert "输出 output ()\nL = " + f"{theirs['L'].item():.3g}" in pic.labels
    assert ours["x"].grad is None  # draw ran autograd.grad: no .grad accumulated


def test_backward_numbers_are_the_engines_order(restore_overrides):
    """The badges number the nodes in the order the (student's) execute ran them, a reverse
    topological order; hooks are removed afterwards and the graph stays usable."""
    from course_lib import exercises
    from course_lib.exercises import implements

    key = "course_lib.autograd.engine.execute"
    reference = exercises.registry[key][2]
    ran = []

    @implements(key)
    def execute(roots, retain_graph, run_node):  # the reference, recording what it runs
        def recording(node, g):
            ran.append(type(node).__name__)
            return run_node(node, g)
        return reference(roots, retain_graph, recording)

    t = diamond(course_lib)
    pic = graph.draw(t["L"], params=t, backward=True)
    first_lines = [lab.split("\n")[0] for lab in pic.order]
    assert first_lines == ["x" if n == "AccumulateGrad" else n for n in ran]
    pos = {n: i for i, n in enumerate(first_lines)}
    assert pos["SumBackward0"] < pos["AddBackward0"] < min(pos["MulBackward0"], pos["SigmoidBackward0"])
    assert max(pos["MulBackward0"], pos["SigmoidBackward0"]) < pos["ExpBackward0"] < pos["x"]
    seen = []
    t["h"].register_hook(lambda g: seen.append(1))
    t["L"].backward()  # draw's hooks are gone; the retained graph still runs
    hn = np.exp([0.5, -1.0, 2.0])
    sn = 1 / (1 + np.exp(-hn))
    np.testing.assert_allclose(t["x"].grad.numpy(), (2 * hn + sn * (1 - sn)) * hn, rtol=1e-12)
    assert seen == [1] and len(ran) == 12  # draw's 6 nodes, then backward's 6


def test_fan_out_arrows_and_value_text():
    t = diamond(course_lib)
    pic = graph.draw(t["L"], params={"x": t["x"]})
    arrows = [a for a in pic.figure.axes[0].texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == 8  # x→Exp, Exp→Mul twice (h * h), Exp→Sigmoid, →Add twice, →Sum, →out
    styles = [a.arrow_patch.get_connectionstyle().rad for a in arrows]
    assert sorted(styles, key=abs)[-1] != 0 and sum(r != 0 for r in styles) == 1
    assert graph._fmt(course_lib.tensor(3.14159)) == "3.14"
    assert graph._fmt(course_lib.tensor([1.0, -0.5])) == "[1, -0.5]"
    assert graph._fmt(course_lib.arange(64.0)) == "[0, 1, 2, … 64 values]"
    leaf = course_lib.ones(2, requires_grad=True)
    assert graph.draw(leaf, values=True, backward=True).labels == [
        "张量 tensor (2,)\nrequires_grad=True\nout = [1, 1]"]


def test_backward_numbers_need_the_graph():
    """As torch: numbering a graph whose saved values backward() already freed raises; the
    hooks draw added are removed even then."""
    for T in (course_lib, pytest.importorskip("torch")):
        t = diamond(T)
        t["L"].backward()
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            graph.draw(t["L"], params=t, backward=True)
        if T is course_lib:
            nodes, _, _ = graph._collect(t["L"].grad_fn, 100)
            assert len(nodes) == 6
            assert not any((n._hooks or {}).get("pre") for n in nodes)
            assert not t["x"]._hooks
