"""xlogy, fmod, dist, index_add, take and index_put against torch: values and dtypes, grad_fn
names, gradients, argument errors, in-place forms, watched index tensors, simulated CUDA."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

import course_lib as cl
from course_lib.autograd import gradcheck, gradgradcheck

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from like_torch import assert_like_torch, same  # noqa: E402

torch = pytest.importorskip("torch")


def _same(code):
    assert_like_torch(code, lambda lib: {"T": lib, "inf": math.inf, "nan": math.nan})


F = "T.tensor([[0., 1.5, -2.], [3., 0., 0.5]], requires_grad=True)"
G = "T.tensor([0., 2., nan], requires_grad=True)"
I = "T.tensor([-3, 3, 0, 7])"

VALUES = [
    # xlogy: 0·log 0 = 0, nan rules, promotion, scalar forms, errors
    f"T.xlogy({F}, {G})", f"T.xlogy({F}, 2.0)", f"T.xlogy(2, {G})", f"T.xlogy({F}, 0.0)",
    f"T.xlogy({I}, {I})", f"T.xlogy({I}, 2)", f"T.xlogy({I}, 2.5)",
    "T.xlogy(T.tensor([True, False]), T.tensor([2, 0]))",
    f"T.xlogy({F}.double(), {G})", f"{F}.xlogy({G})", "T.xlogy(2, 3)", f"T.xlogy('a', {G})",
    f"T.xlogy({F}, T.ones(2))", f"T.tensor([1, 2]).xlogy_(2)",
    "T.tensor([1., 2]).xlogy_(T.tensor([1., 2], dtype=T.float64))",
    "T.tensor([1., 2]).xlogy_(T.tensor([[1., 2]]))", f"{F}.detach().xlogy_(2)",
    f"T.xlogy_(T.tensor([0., 3.]), T.tensor([nan, 3.]))", f"{F}.xlogy_(2.0)",
    # fmod: the sign of the dividend
    f"T.fmod({F}, 0.75)", f"T.fmod({F}, T.tensor([-0.7, 0.8, 2.]))", f"T.fmod({I}, 2)",
    f"T.fmod({I}, -2)", f"T.fmod({I}, 2.5)", f"T.fmod({I}, 0)", f"T.fmod({I}, T.tensor([1, 0, 1, 1]))",
    f"T.fmod({F}, 0)", "T.fmod(T.tensor([True]), 1)", "T.fmod(T.tensor([True]), T.tensor([True]))",
    f"T.fmod(3, {F})", "T.tensor([3]).fmod_(2.5)", f"{F}.fmod(2)",
    "T.tensor([-7, 7], dtype=T.int32).fmod(T.tensor(3))", "T.tensor([-3., 3]).fmod_(2)",
    f"{I}.remainder(-2)", "T.fmod(T.tensor([-3., 3], dtype=T.float16), 2)",
    # dist: p = 0, 1, 2, inf, -inf, fractional; promotion; errors
    *[f"T.dist({F}, T.tensor([1., 2., 3.]), {p})" for p in ("0", "1", "2", "inf", "-inf", "0.5",
                                                             "1.5", "3", "-1", "2.0")],
    f"T.dist({F}, {F}.double())", "T.dist(T.tensor([1, 2]), T.tensor([1, 3]))",
    "T.dist(T.tensor([1, 2]), T.tensor([1., 3]))", f"T.dist({F}, T.ones(4))", f"T.dist({F}, 2)",
    f"T.dist({F}, {F}, 'fro')", f"T.dist({F}, {G}[:1], p=T.tensor(3.))", f"{F}.dist({G}, 1)",
    "T.dist(T.tensor([1., 3]).half(), T.tensor([2., 5]).half())",
    "T.dist(T.tensor(1.), T.tensor(3.))", "T.dist(T.zeros(0), T.zeros(0))",
    "T.dist(T.zeros(0), T.zeros(0), inf)", "T.dist(T.zeros(0), T.zeros(0), -inf)",
    # index_add
    *[f"T.index_add(T.zeros(3, 2), 0, {i}, T.ones(2, 2){a})"
      for i in ("T.tensor([0, 2])", "T.tensor([1, 1])", "T.tensor([0, 2]).int()",
                "T.tensor([0, 2]).float()", "T.tensor([[0, 2]])", "T.tensor([0, 3])",
                "T.tensor([0, -1])", "T.tensor([0])")
      for a in ("", ", alpha=2")],
    "T.index_add(T.zeros(3, 2), 0, T.tensor([0, 2]), T.ones(2, 2).double())",
    "T.index_add(T.zeros(3, 2), 2, T.tensor([0, 2]), T.ones(2, 2))",
    "T.index_add(T.zeros(3, 2), 0, T.tensor([0, 2]), T.ones(2, 3))",
    "T.index_add(T.zeros(3, 2), 0, T.tensor([0, 2]), T.ones(2))",
    "T.index_add(T.zeros(3, 2), 1, T.tensor([0, 2]), T.ones(3, 2))",
    "T.index_add(T.zeros(3, 2), -1, T.tensor([1, 0, 1]), T.arange(9.).reshape(3, 3))",
    "T.index_add(T.zeros(3, dtype=T.long), 0, T.tensor([0, 2]), T.ones(2, dtype=T.long), alpha=2.5)",
    "T.index_add(T.zeros(()), 0, T.tensor([0]), T.ones(()))",
    "T.index_add(T.zeros(()), 0, T.tensor(0), T.tensor(3.))",
    "T.index_add(T.zeros(3), 0, T.tensor(1), T.tensor(3.))",
    "T.index_add(T.zeros(3), 0, T.tensor(1), T.tensor([3.]))",
    "T.index_add(T.zeros(3, 2), 0, [0, 2], T.ones(2, 2))",
    "T.index_add(T.zeros(3, 2), 0.5, T.tensor([0, 2]), T.ones(2, 2))",
    "T.zeros(3, 2).index_add(0, T.tensor([0, 2]), T.ones(2, 2), alpha=-1)",
    "T.zeros(3, 2).index_add_(0, T.tensor([0, 2]), T.ones(2, 2))",
    "T.zeros(3, 2).index_add_(0, T.tensor([0, 2]), T.ones(2, 2).double())",
    "T.zeros(3, 2, requires_grad=True).index_add_(0, T.tensor([0, 2]), T.ones(2, 2))",
    # take
    f"T.take({F}, T.tensor([[0, 5], [-1, 2]]))", f"{F}.take(T.tensor(3))",
    f"T.take({F}, T.tensor([6]))", f"T.take({F}, T.tensor([-7]))",
    f"T.take({F}, T.tensor([1], dtype=T.int32))", f"T.take({F}, T.tensor([1.]))",
    f"T.take({F}, [1])", "T.take(T.tensor(5.), T.tensor([0, 0]))",
    "T.take(T.zeros(0), T.tensor([], dtype=T.long))", "T.take(T.zeros(0), T.tensor([0]))",
    f"T.take({I}, T.tensor([3, 0]))",
    # index_put
    *[f"T.index_put(T.zeros(3, 2, requires_grad=True), {ix}, {v}{acc})"
      for ix in ("(T.tensor([0, 2]), T.tensor([1, 1]))", "(T.tensor([0, 0]), T.tensor([1, 1]))",
                 "(T.tensor([0, 2]),)", "[T.tensor([0, 2])]", "(T.tensor([True, False, True]),)",
                 "(T.tensor([0, 2]).int(), T.tensor([1, 0]))")
      for v in ("T.tensor([1., 2.], requires_grad=True)", "T.tensor(5.)")
      for acc in ("", ", True", ", accumulate=False")],
    "T.index_put(T.zeros(3, 2), (T.tensor([0, 2]),), T.tensor([1., 2.]).double())",
    "T.index_put(T.zeros(3, 2), (T.tensor([0, 2]),), 5.)",
    "T.index_put(T.zeros(3, 2), T.tensor([0, 2]), T.tensor([1., 2.]))",
    "T.index_put(T.zeros(3, 2), (T.tensor([0., 2.]),), T.tensor([1., 2.]))",
    "T.index_put(T.zeros(3, 2), (T.tensor([3]),), T.tensor([1., 2.]))",
    "T.index_put(T.zeros(3, 2), (T.tensor([3]),), T.tensor([1., 2.]), True)",
    "T.index_put(T.zeros(3, 2), (T.tensor([0]),) * 3, T.tensor([1., 2.]))",
    "T.index_put(T.zeros(3, 2), (None, T.tensor([1])), T.tensor(1.))",
    "T.index_put(T.zeros(3, 2), (T.tensor([0, 2]), T.tensor([1, 1])), T.ones(3))",
    "T.index_put(T.zeros(3, 2), (T.tensor([0, 2]), T.tensor([1, 1])), T.ones(3), True)",
    "T.index_put(T.zeros(3, dtype=T.long), (T.tensor([0, 2]),), T.tensor([1, 2]))",
    "T.index_put(T.zeros(3), (T.tensor([0, 2]),), T.tensor([1, 2]))",
    "T.zeros(3, 2).index_put((T.tensor([1]),), T.tensor([4., 5.]), accumulate=True)",
    "T.zeros(3, 2).index_put_((T.tensor([1, 1]),), T.tensor([4., 5.]), accumulate=True)",
    "T.index_put_(T.zeros(3), (T.tensor([0, 2]),), T.tensor([1., 2]))",
    "T.zeros(3, requires_grad=True).index_put_((T.tensor([0]),), T.tensor([1.]))",
]


@pytest.mark.parametrize("code", VALUES)
def test_values_dtypes_names_and_errors_like_torch(code):
    _same(code)


# expressions of leaves x, y (float64) whose gradients are compared with torch's
GRADS = [
    "T.xlogy(x, y.abs() + 0.1)", "T.xlogy(x * (x > 0), y)", "T.xlogy(x, 2.5)",
    "T.xlogy(x, -1.0)", "T.xlogy(3, y.abs())", "T.xlogy(x[:1], y.abs())",
    "T.fmod(x * 3, y)", "T.fmod(x, 0.3)", "T.fmod(x * 5, y[0])", "x.clone().fmod_(y + 3)",
    "x.clone().xlogy_(y.abs())",
    *[f"T.dist(x, y, {p})" for p in ("1", "2", "inf", "0.5", "1.5", "3", "-1", "-inf")],
    "T.dist(x, y[0])", "T.dist(x, x.detach())", "T.dist(x, x.detach(), 1.5)",
    "T.dist(x, y, 0)", "T.dist(x, y.detach(), 0)",
    "T.index_add(x, 1, T.tensor([2, 0, 2]), y, alpha=-2)", "x.index_add(0, T.tensor(1), y[:1])",
    "x.clone().index_add_(1, T.tensor([1, 1, 0]), y)",
    "T.take(x, T.tensor([[0, 5], [-1, 5]]))", "x.take(T.tensor(2))",
    "T.index_put(x, (T.tensor([0, 0, 1]), T.tensor([2, 2, 0])), y[0], True)",
    "T.index_put(x, (T.tensor([0, 0, 1]), T.tensor([2, 2, 0])), y[0])",
    "T.index_put(x, (T.tensor([1]),), y[1:] * 2, accumulate=True)",
    "T.index_put(x, (x.detach() > 0,), y[0, 0])",
    "x.clone().index_put_((T.tensor([0, 0]), T.tensor([1, 1])), y[0, :2], True)",
]


def _grads(lib, code):
    g = np.random.default_rng(3)
    x = lib.tensor(g.standard_normal((2, 3)), requires_grad=True)
    y = lib.tensor(g.standard_normal((2, 3)), requires_grad=True)
    try:
        out = eval(code, {"T": lib, "x": x, "y": y})
        (out * lib.arange(out.numel(), dtype=out.dtype).reshape(out.shape)).sum().backward()
    except Exception as e:  # noqa: BLE001
        return ("exc", type(e).__name__, str(e).split("\n")[0])
    return [None if t.grad is None else np.asarray(t.grad.tolist()) for t in (x, y)] + \
        [out.grad_fn.name()]


@pytest.mark.parametrize("code", GRADS)
def test_gradients_like_torch(code):
    theirs, ours = _grads(torch, code), _grads(cl, code)
    assert same(ours, theirs), f"{code}\n torch: {theirs}\n ours:  {ours}"


@pytest.mark.parametrize("code", ["T.xlogy(x, y.abs() + 0.5)", "T.xlogy(x, 1.5)",
                                  "T.xlogy(1.5, y.abs() + 0.5)", "T.fmod(x * 3, y.abs() + 1)",
                                  "T.dist(x, y)", "T.dist(x, y, 1.5)", "T.dist(x, y, 3)",
                                  "T.dist(x, y, 0.5)", "T.dist(x, y, inf)",
                                  "T.index_add(x, 1, T.tensor([2, 0, 2]), y, alpha=3)",
                                  "T.take(x, T.tensor([[0, 5], [-1, 5]])) ** 2",
                                  "T.index_put(x, (T.tensor([0, 0]),), y[1] * y[0], True) ** 2",
                                  "T.index_put(x, (T.tensor([1, 0]),), y[1] * y[0]) ** 2"])
def test_gradcheck_and_gradgradcheck_float64(code):
    g = np.random.default_rng(5)
    x = cl.tensor(g.uniform(0.3, 2.0, (2, 3)), requires_grad=True)
    y = cl.tensor(g.uniform(-2.0, 2.0, (2, 3)), requires_grad=True)

    def f(a, b):
        return eval(code, {"T": cl, "x": a, "y": b, "inf": math.inf})
    assert gradcheck(f, (x, y)) and gradgradcheck(f, (x, y))


_INDEXED = {
    "index_add": lambda L, x, i: L.index_add(x, 0, i, L.ones(2, 3, requires_grad=True)),
    "index_add_self_only": lambda L, x, i: L.index_add(x, 0, i, L.ones(2, 3)),
    "take": lambda L, x, i: L.take(x, i),
    "index_put": lambda L, x, i: L.index_put(x, (i,), L.ones(3, requires_grad=True)),
    "index_put_acc": lambda L, x, i: L.index_put(x, (i,), L.ones(3), True),
    "index_put_": lambda L, x, i: x.clone().index_put_((i,), L.ones(3)),
}


@pytest.mark.parametrize("op", sorted(_INDEXED))
@pytest.mark.parametrize("change", [False, True])
def test_index_changed_in_place_after_forward(op, change):
    """The index tensor the node keeps is watched: changed in place, backward raises torch's
    version error (where torch keeps it); unchanged, the gradients equal torch's."""
    def run(L):
        x = L.arange(9.0).reshape(3, 3).requires_grad_()
        i = L.tensor([0, 2])
        y = _INDEXED[op](L, x, i)
        if change:
            i.fill_(1)
        try:
            (y * y).sum().backward()
        except RuntimeError as e:
            return ("exc", str(e).split(" Hint:")[0].replace("torch.", "course_lib."))
        return x.grad.tolist()
    assert run(cl) == run(torch)


@pytest.mark.parametrize("code", [
    "T.xlogy(x, y.abs())", "T.xlogy(x, 2.0)", "T.fmod(x, y)", "T.fmod(x, 0.4)", "T.dist(x, y)",
    "T.dist(x, y, inf)", "T.index_add(x, 1, T.tensor([2, 0, 2], device='cuda'), y)",
    "T.take(x, T.tensor([1, -1], device='cuda'))",
    "T.index_put(x, (T.tensor([1, 1], device='cuda'),), y[0], True)",
    "x.clone().index_put_((T.tensor([0], device='cuda'),), y[1])"])
def test_simulated_cuda_keeps_device_and_values(simulated, code):
    g = np.random.default_rng(1)
    xs, ys = g.standard_normal((2, 3)), g.standard_normal((2, 3))
    outs = []
    for dev in ("cpu", "cuda"):
        x = cl.tensor(xs, device=dev, requires_grad=True)
        y = cl.tensor(ys, device=dev, requires_grad=True)
        out = eval(code.replace("'cuda'", repr(dev)), {"T": cl, "x": x, "y": y, "inf": math.inf})
        assert out.device.type == dev
        out.sum().backward()
        grads = [t.grad for t in (x, y) if t.grad is not None]
        assert grads and all(t.device.type == dev for t in grads)
        outs.append([out.cpu().tolist()] + [t.cpu().tolist() for t in grads])
    assert outs[0] == outs[1]
