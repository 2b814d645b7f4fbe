"""Lesson 04's pieces carry the library (issue 13): a deliberately wrong answer registered
with ``implements`` changes a PUBLIC result that does not name the piece — ``loss.backward()``
gradients, ``nn.Linear``'s grads, a custom ``autograd.Function``'s training — and the
references agree with torch (float64)."""
import numpy as np
import pytest

import course_lib as torch
from course_lib import exercises
from course_lib.autograd.engine import execute
from course_lib.autograd.functions import binary_backward, unary_backward
from course_lib.exercises import implements

ENGINE = "course_lib.autograd.engine.execute"
APPLY = "course_lib.autograd.Function.apply"
SUM_TO_SIZE = "course_lib.Tensor.sum_to_size"
BINARY = "course_lib.autograd.functions.binary_backward"
UNARY = "course_lib.autograd.functions.unary_backward"


@pytest.fixture(autouse=True)
def _restore(restore_overrides):  # conftest.py: overrides put back after each test
    yield


def ref(key):
    return exercises.registry[key][2]


def t64(*shape, seed=0, grad=True):
    g = np.random.default_rng(seed)
    return torch.tensor(g.standard_normal(shape), dtype=torch.float64, requires_grad=grad)


def grads_of(fn, *xs):
    for x in xs:
        x.grad = None
    fn(*xs).backward()
    return [x.grad.numpy().copy() for x in xs]


def test_pieces_are_registered_for_lesson_04():
    keys = {k for k, (lesson, _, _) in exercises.registry.items() if lesson == "04_autograd"}
    assert keys == {ENGINE, APPLY, SUM_TO_SIZE, BINARY, UNARY, "course_lib.autograd.gradcheck"}


# ------------------------------------------------------------------ the engine

def diamond(x):
    h = x.exp()            # fan-out: h feeds both branches
    return (h * h + h.sigmoid()).sum()


def test_wrong_engine_changes_backward_gradients():
    x = t64(3)
    good = grads_of(diamond, x)[0]
    h = np.exp(x.detach().numpy())
    s = 1 / (1 + np.exp(-h))
    np.testing.assert_allclose(good, (2 * h + s * (1 - s)) * h, rtol=1e-12)

    @implements(ENGINE)
    def first_arrival_only(roots, retain_graph, run_node):  # no dependency counts
        seen = set()
        stack = [(n, g) for n, _, g in roots]
        with torch.no_grad():
            while stack:
                node, g = stack.pop()
                if node in seen:
                    continue
                seen.add(node)
                for (nxt, _), gi in zip(node.next_functions, run_node(node, g)):
                    if nxt is not None and gi is not None:
                        stack.append((nxt, gi))
    bad = grads_of(diamond, x)[0]
    assert not np.allclose(bad, good)


def test_wrong_engine_that_keeps_saved_values_allows_a_second_backward():
    x = t64(2)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()

    @implements(ENGINE)
    def never_frees(roots, retain_graph, run_node):
        return ref(ENGINE)(roots, True, run_node)
    y = (x * x).sum()
    y.backward()
    y.backward()  # no error: the wrong engine kept what the graph saved


def test_engine_runs_with_grad_mode_off_and_is_what_backward_and_grad_use():
    calls = []

    @implements(ENGINE)
    def recording(roots, retain_graph, run_node):
        calls.append(torch.is_grad_enabled())
        return ref(ENGINE)(roots, retain_graph, run_node)
    x = t64(3)
    (x * 2).sum().backward()
    torch.autograd.grad((x * x).sum(), x)
    assert calls == [True, True]  # the reference turns grad mode off itself
    grad_mode = []

    @implements(UNARY)
    def spy(name, grad, saved, shape, xp):
        grad_mode.append(torch.is_grad_enabled())
        return ref(UNARY)(name, grad, saved, shape, xp)
    x.exp().sum().backward()
    assert grad_mode and not any(grad_mode)


def test_engine_long_chain_and_torch_parity():
    real = pytest.importorskip("torch")
    x = t64(4)
    y = x
    for _ in range(20000):  # iterative: no recursion limit
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.ones(4))
    g = np.random.default_rng(3).standard_normal((3, 4))
    outs = []
    for lib in (torch, real):
        a = lib.tensor(g, dtype=lib.float64, requires_grad=True)
        b = lib.tensor(g[0], dtype=lib.float64, requires_grad=True)
        h = (a * b).exp()
        loss = (h.log() + h.sigmoid() * a + (a @ b.reshape(4, 1)).relu()).sum()
        loss.backward()
        outs.append((a.grad.detach().numpy(), b.grad.detach().numpy()))
    for mine, theirs in zip(*outs):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-12)


def test_engine_multi_output_node_and_hooks_still_work():
    x = t64(6)
    parts = x.split(2)  # one node, three outputs
    seen = []
    parts[1].register_hook(lambda g: seen.append(g.numpy().copy()))
    (parts[0].sum() * 2 + (parts[2] * 3).sum() + parts[1].sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2, 2, 1, 1, 3, 3])
    assert len(seen) == 1


# ------------------------------------------------------------------ Function.apply

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x * x * g


class StraightThrough(torch.autograd.Function):
    """round() forward, identity backward (a straight-through estimator)."""

    @staticmethod
    def forward(ctx, x):
        return x.round()

    @staticmethod
    def backward(ctx, g):
        return g


def test_wrong_function_apply_changes_a_custom_function_training():
    x = t64(3)
    good = grads_of(lambda v: (Cube.apply(v) * 2).sum(), x)[0]
    np.testing.assert_allclose(good, 6 * x.detach().numpy() ** 2, rtol=1e-12)
    w = torch.tensor([0.3, -1.2], dtype=torch.float64, requires_grad=True)
    for _ in range(3):  # a tiny quantised fit: only the custom backward moves w
        loss = ((StraightThrough.apply(w * 4) - 3.0) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.05 * w.grad
        w.grad = None
    good_w = w.detach().numpy().copy()
    assert not np.allclose(good_w, [0.3, -1.2])

    @implements(APPLY)
    def records_the_forward_ops(cls, *args):  # forward recorded by autograd, no custom node
        from course_lib.autograd.function import run_forward
        ctx = cls._backward_cls()
        ctx.needs_input_grad = tuple(a.requires_grad for a in args)
        return run_forward(cls, ctx, args, {})
    w = torch.tensor([0.3, -1.2], dtype=torch.float64, requires_grad=True)
    for _ in range(3):  # autograd's round(): zero gradient, w does not move
        loss = ((StraightThrough.apply(w * 4) - 3.0) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.05 * w.grad
        w.grad = None
    assert not np.allclose(w.detach().numpy(), good_w)


def test_function_apply_node_saved_tensors_and_torch_parity():
    real = pytest.importorskip("torch")
    x = t64(4)
    y = Cube.apply(x)
    assert type(y.grad_fn).__name__ == "CubeBackward" and y.grad_fn.needs_input_grad == (True,)
    with torch.no_grad():
        assert Cube.apply(x).grad_fn is None
    y.sum().backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.grad_fn.saved_tensors

    class RealCube(real.autograd.Function):
        forward = staticmethod(Cube.forward)
        backward = staticmethod(Cube.backward)
    xr = real.tensor(x.detach().numpy(), requires_grad=True)
    RealCube.apply(xr).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), xr.grad.numpy(), rtol=1e-12)


# ------------------------------------------------------------------ sum_to_size

def test_wrong_sum_to_size_changes_broadcast_gradients_and_linear_bias():
    a, b = t64(2, 3), t64(3, seed=1)
    good = grads_of(lambda p, q: (p + q).sum(), a, b)
    lin = torch.nn.Linear(3, 2).double()
    x = t64(4, 3, grad=False)
    lin(x).sum().backward()
    good_bias = lin.bias.grad.numpy().copy()
    np.testing.assert_array_equal(good_bias, [4, 4])

    @implements(SUM_TO_SIZE)
    def mean_instead(self, *size):
        r = ref(SUM_TO_SIZE)(self, *size)
        return r / 2
    bad = grads_of(lambda p, q: (p + q).sum(), a, b)
    np.testing.assert_array_equal(bad[0], good[0])  # same shapes: no sum needed
    assert not np.allclose(bad[1], good[1])
    lin.zero_grad()
    lin(x).sum().backward()
    assert not np.allclose(lin.bias.grad.numpy(), good_bias)


def test_sum_to_size_matches_torch():
    real = pytest.importorskip("torch")
    g = np.random.default_rng(0).standard_normal((2, 3, 4))
    for size in [(3, 1), (1, 4), (2, 1, 4), (4,), (), (1, 1, 1), (2, 3, 4)]:
        mine = torch.tensor(g).sum_to_size(size)
        theirs = real.tensor(g).sum_to_size(size)
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-12)
        assert tuple(mine.shape) == tuple(theirs.shape)
    with pytest.raises(RuntimeError, match="is not expandable to size"):
        torch.tensor(g).sum_to_size(3, 5)


# ------------------------------------------------------------------ the formulas

def model_grads():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2),
                              torch.nn.Sigmoid())
    x = torch.randn(5, 3)
    net(x).sum().backward()
    return [p.grad.numpy().copy() for p in net.parameters()]


@pytest.mark.parametrize("wrong_row", ["MmBackward0", "MulBackward0", "AddBackward0"])
def test_wrong_binary_formula_changes_public_gradients(wrong_row):
    a, b = t64(2, 3), t64(3, seed=1)
    w = t64(3, 2, seed=2)
    loss = lambda p, q, m: ((p * q + q) @ m).sum()  # noqa: E731
    good = grads_of(loss, a, b, w)
    good_net = model_grads()

    @implements(BINARY)
    def wrong(name, grad, x, y, needs, alpha=1):
        ga, gb = ref(BINARY)(name, grad, x, y, needs, alpha)
        if name == wrong_row:
            ga = None if ga is None else ga * 2
        return ga, gb
    bad = grads_of(loss, a, b, w)
    assert any(not np.allclose(p, q) for p, q in zip(bad, good))
    if wrong_row == "MmBackward0":  # nn.Linear's addmm uses the Mm row
        assert any(not np.allclose(p, q) for p, q in zip(model_grads(), good_net))


@pytest.mark.parametrize("wrong_row", ["ExpBackward0", "LogBackward0", "ReluBackward0",
                                       "SigmoidBackward0", "SumBackward0"])
def test_wrong_unary_formula_changes_public_gradients(wrong_row):
    x = torch.tensor([0.5, 1.5, -0.7], dtype=torch.float64, requires_grad=True)
    public = {"ExpBackward0": lambda v: (v.exp() * 3).mean(),
              "LogBackward0": lambda v: (v * v).log().mean(),
              "ReluBackward0": lambda v: torch.nn.functional.relu(v * 3).mean(),
              "SigmoidBackward0": lambda v: torch.nn.Sigmoid()(v).mean(),
              "SumBackward0": lambda v: (v * v).sum()}[wrong_row]
    good = grads_of(public, x)[0]

    @implements(UNARY)
    def wrong(name, grad, saved, shape, xp):
        r = ref(UNARY)(name, grad, saved, shape, xp)
        return r * 2 if name == wrong_row else r
    bad = grads_of(public, x)[0]
    assert not np.allclose(bad, good)


def test_formulas_match_torch_float64():
    real = pytest.importorskip("torch")
    g = np.random.default_rng(1)
    data = {k: g.standard_normal(s) for k, s in (("a", (3, 4)), ("b", (4,)), ("m", (4, 2)))}
    data["p"] = np.abs(data["a"]) + 0.1

    def f(lib, a, b, m, p):
        return ((a * b + a).exp().sum() + (p.log() * a).sigmoid().sum()
                + (a @ m).relu().sum() * (a + 2 * b).sum())
    res = []
    for lib in (torch, real):
        ts = {k: lib.tensor(v, dtype=lib.float64, requires_grad=True) for k, v in data.items()}
        f(lib, **ts).backward()
        res.append([ts[k].grad.detach().numpy() for k in sorted(ts)])
    for mine, theirs in zip(*res):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)


def test_formula_pieces_need_input_grad_and_unknown_rows():
    a, b = np.ones((2, 2)), np.full((2, 2), 3.0)
    ga, gb = binary_backward("MulBackward0", np.ones((2, 2)), a, b, (True, False))
    assert gb is None and ga.tolist() == [[3, 3], [3, 3]]
    with pytest.raises(ValueError):
        binary_backward("DivBackward0", a, a, b, (True, True))
    with pytest.raises(ValueError):
        unary_backward("TanhBackward0", a, (a,), a.shape, np)
    s = unary_backward("SumBackward0", np.array(2.0, np.float32), (), (2, 3), np)
    assert s.shape == (2, 3) and s.dtype == np.float32 and (s == 2).all()


def test_each_node_name_of_the_pieces_is_defined_once():
    """grad_fn names of lesson 04's rows exist once in course_lib (issue 13 point 1)."""
    import pathlib
    import re
    root = pathlib.Path(torch.__file__).parent
    names = ["AddBackward0", "MulBackward0", "MmBackward0", "AddmmBackward0", "ExpBackward0",
             "LogBackward0", "ReluBackward0", "SigmoidBackward0"]
    found = {n: 0 for n in names}
    for f in root.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        for n in names:
            found[n] += len(re.findall(rf"^\s*class {n}\b|\b{n} = _unary\(", text, re.M))
    assert found == {n: 1 for n in names}, found


def test_execute_reference_is_reachable_only_through_the_dispatcher():
    assert getattr(execute, "__course_exercise__", None) == ("04_autograd", "engine", ENGINE)
    assert not hasattr(execute, "__wrapped__")


def test_formulas_run_on_tensors_too():
    """The rows use only operators, ``.T`` and ``xp``: the same source runs on course_lib
    Tensors (xp = course_lib), with grad mode on, which is what create_graph will need."""
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = torch.tensor([[0.5, -1.0], [2.0, 1.5]], requires_grad=True)
    g = torch.ones(2, 2)
    ga, gb = binary_backward("MmBackward0", g, a, b, (True, True))
    assert type(ga) is torch.Tensor and ga.grad_fn is not None  # a differentiable result
    np.testing.assert_allclose(ga.detach().numpy(), g.numpy() @ b.detach().numpy().T)
    gm = binary_backward("MulBackward0", g, a, b, (True, True))[0]
    np.testing.assert_allclose(gm.detach().numpy(), b.detach().numpy())
    r = a.sigmoid()
    gs = unary_backward("SigmoidBackward0", g, (r,), tuple(a.shape), torch)
    np.testing.assert_allclose(gs.detach().numpy(), (r * (1 - r)).detach().numpy())
    s = unary_backward("SumBackward0", torch.tensor(2.0), (), (2, 3), torch)
    assert tuple(s.shape) == (2, 3) and s.dtype == torch.float32 and bool((s == 2).all())
