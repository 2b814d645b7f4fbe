"""F.normalize, F.cosine_similarity / nn.CosineSimilarity, F.pairwise_distance / nn.PairwiseDistance
and Tensor.clamp_min (normalize's) against torch: values, gradients, grad_fn graphs, broadcasting,
dtypes, empty tensors, argument errors, module reprs, gradgradcheck and the simulated CUDA device."""
import sys
from pathlib import Path

import numpy as np
import pytest

import course_lib
from course_lib import _backend
from course_lib.autograd import gradcheck, gradgradcheck

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from run_like_torch import assert_same, run  # noqa: E402

torch = pytest.importorskip("torch")

X = [[0.3, -2.0, 1.5, 0.7], [0.0, 0.0, 0.0, 0.0], [1.0, -1.0, 0.05, 2.5]]
Y = [[0.1, 0.5, -1.0, 0.0], [0.0, 3.2, 0.4, -1.6], [1.0, 0.0, 0.05, 2.0]]
Y1 = [0.1, 0.5, -1.0, 0.7]
INF = float("inf")


def _run(T, expr, dtype="float64"):
    dt = getattr(T, dtype)
    env = {"F": T.nn.functional, "nn": T.nn, "T": T, "inf": INF,
           "x": T.tensor(X, dtype=dt, requires_grad=True),
           "y": T.tensor(Y, dtype=dt, requires_grad=True),
           "y1": T.tensor(Y1, dtype=dt, requires_grad=True)}
    return run(T, expr, env, ("x", "y", "y1"))


CASES = [
    "F.normalize(x)",
    "F.normalize(x, dim=0)",
    "F.normalize(x, 2, -1, eps=0.5)",
    "F.normalize(y1, dim=0)",
    "F.normalize(x * 0, dim=1)",
    "F.cosine_similarity(x, y)",
    "F.cosine_similarity(x, y, dim=0)",
    "F.cosine_similarity(x, y, dim=-1, eps=0.5)",
    "F.cosine_similarity(x, y1, dim=-1)",
    "F.cosine_similarity(y1, x, dim=1)",
    "F.cosine_similarity(x, y[:, :1])",
    "F.cosine_similarity(x, y.detach())",
    "F.cosine_similarity(x.detach(), y)",
    "F.cosine_similarity(y1, y1 * 2, dim=0)",
    "F.cosine_similarity(x[0, 0], y[0, 0], dim=0)",
    "nn.CosineSimilarity(dim=0, eps=1e-3)(x, y)",
    "F.pairwise_distance(x, y)",
    "F.pairwise_distance(x, y, keepdim=True)",
    "F.pairwise_distance(x, y1)",
    "F.pairwise_distance(y1, x)",
    "F.pairwise_distance(x, y, p=1)",
    "F.pairwise_distance(x, y, p=3, eps=0.0)",
    "F.pairwise_distance(x, y, p=0.5)",
    "F.pairwise_distance(x, y, p=-1)",
    "F.pairwise_distance(x, y, p=inf)",
    "F.pairwise_distance(x, y, p=-inf, keepdim=True)",
    "F.pairwise_distance(x, y.detach(), p=1.5)",
    "F.pairwise_distance(y1, y1.detach() * 2)",
    "F.pairwise_distance(x[0, 0], y[0, 0])",
    "nn.PairwiseDistance(p=1, keepdim=True)(x, y)",
    "nn.PairwiseDistance()(x, y1)",
    "x.clamp_min(0.1)",
    "x.clamp_min(y)",
    "x.clamp_min(y1.detach())",
    "x.detach().clamp_min(y1)",
    "(x * 1).clamp_min_(0.2)",
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("expr", CASES)
def test_values_gradients_graph_like_torch(expr, dtype):
    assert_same(_run(course_lib, expr, dtype), _run(torch, expr, dtype), dtype)


@pytest.mark.parametrize("expr", [
    "F.normalize(x, p=1, dim=0)", "F.normalize(y + 3, p=3)", "F.normalize(x, p=inf, dim=0)",
    "F.normalize(y - 2.5, p=0.5)",
])
def test_normalize_other_p_values_and_gradients(expr):
    """Values and gradients as torch; the norm's own nodes are course_lib.norm's (for p other
    than 1 and 2 its gradient at a zero vector differs from torch's, so no zero rows here)."""
    assert_same(_run(course_lib, expr), _run(torch, expr), with_graph=False)


@pytest.mark.parametrize("expr", [
    "F.cosine_similarity(x.long(), y)", "F.cosine_similarity(x.bool(), y.float())",
    "F.cosine_similarity(x.float(), y.double())", "F.pairwise_distance(x.long(), y.long())",
    "F.pairwise_distance(x.long(), y.float())", "F.pairwise_distance(x.float(), y.double())",
    "F.normalize(x.float())", "x.long().clamp_min(1)", "x.long().clamp_min(0.5)",
    "F.pairwise_distance(T.zeros(0, 3), T.zeros(0, 3))",
    "F.pairwise_distance(T.zeros(3, 0), T.zeros(3, 0))",
    "F.cosine_similarity(T.zeros(3, 0), T.zeros(3, 0))",
    "F.cosine_similarity(T.zeros(0, 3), T.zeros(0, 3))",
    "F.normalize(T.zeros(0, 3))",
])
def test_dtypes_and_empty_like_torch(expr):
    res = []
    for T in (course_lib, torch):
        env = {"F": T.nn.functional, "T": T, "x": T.tensor(X) * 3, "y": T.tensor(Y)}
        out = eval(expr, env)
        res.append((str(out.dtype).split(".")[-1], tuple(out.shape), out.tolist()))
    np.testing.assert_equal(res[0][:2], res[1][:2])
    np.testing.assert_allclose(res[0][2], res[1][2], rtol=1e-6)


@pytest.mark.parametrize("expr", [
    "F.cosine_similarity(x, y[:2])",
    "F.cosine_similarity(x, y, dim=2)",
    "F.cosine_similarity(x.long(), y.long())",
    "F.cosine_similarity(x.int(), y.int())",
    "F.cosine_similarity(x, 1.0)",
    "F.cosine_similarity(1.0, x)",
    "F.cosine_similarity(x, y, dim=(0, 1))",
    "F.pairwise_distance(x, y[:2])",
    "F.pairwise_distance(x, 1.0)",
    "F.pairwise_distance(x, y, p='fro')",
    "F.pairwise_distance(T.zeros(3, 0), T.zeros(3, 0), p=float('inf'))",
    "F.normalize(x.long())",
    "F.normalize(x, dim=3)",
    "F.normalize(x[0, 0])",
    "x.clamp_min(y[:2])",
])
def test_errors_like_torch(expr):
    errors = []
    for T in (course_lib, torch):
        env = {"F": T.nn.functional, "nn": T.nn, "T": T, "x": T.tensor(X), "y": T.tensor(Y)}
        with pytest.raises(Exception) as e:
            eval(expr, env)
        errors.append((type(e.value), str(e.value).replace("torch", "course_lib")))
    assert errors[0] == errors[1]


def test_normalize_out_like_torch():
    res = []
    for T in (course_lib, torch):
        x = T.tensor(X)
        out = T.empty(3, 4)
        r = T.nn.functional.normalize(x, dim=0, out=out)
        res.append((r is out, out.tolist()))
        with pytest.raises(RuntimeError) as e:
            T.nn.functional.normalize(T.tensor(X, requires_grad=True), out=T.empty(3, 4))
        res.append(("out=" in str(e.value), "automatic differentiation" in str(e.value)))
    assert res[0][0] and res[2][0]
    np.testing.assert_allclose(res[0][1], res[2][1], rtol=1e-6)
    assert res[1] == res[3]


def test_cosine_similarity_ignores_the_clamp_in_its_gradient():
    """aten clamps the cloned norms outside the graph: a zero row still gets torch's gradient."""
    res = []
    for T in (course_lib, torch):
        x = T.tensor([[0.0, 0.0], [1e-10, 0.0]], dtype=T.float64, requires_grad=True)
        y = T.tensor([[1.0, 2.0], [3.0, 0.5]], dtype=T.float64, requires_grad=True)
        out = T.nn.functional.cosine_similarity(x, y)
        out.sum().backward()
        res.append((out.tolist(), x.grad.tolist(), y.grad.tolist()))
    for mine, theirs in zip(*res):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12)


def test_pairwise_distance_p0_has_no_gradient_like_torch():
    res = []
    for T in (course_lib, torch):
        x = T.tensor(X, requires_grad=True)
        y = T.tensor(Y, requires_grad=True)
        out = T.nn.functional.pairwise_distance(x, y, p=0)
        out.sum().backward()
        res.append((out.tolist(), x.grad, y.grad))
    assert res[0][0] == res[1][0]
    assert (res[0][1] is None) == (res[1][1] is None) and (res[0][2] is None) == (res[1][2] is None)


def test_module_reprs_and_attributes_like_torch():
    for make in ("nn.CosineSimilarity()", "nn.CosineSimilarity(dim=0, eps=1e-3)",
                 "nn.PairwiseDistance()", "nn.PairwiseDistance(p=1, eps=0.1, keepdim=True)"):
        mine, theirs = (eval(make, {"nn": T.nn}) for T in (course_lib, torch))
        assert repr(mine) == repr(theirs)
        for a in ("dim", "eps", "norm", "keepdim"):
            assert getattr(mine, a, None) == getattr(theirs, a, None)
    assert course_lib.nn.modules.distance.__all__ == torch.nn.modules.distance.__all__
    for name in ("normalize", "cosine_similarity", "pairwise_distance"):
        assert name in course_lib.nn.functional.__all__


@pytest.mark.parametrize("expr", [
    "F.normalize(x)", "F.normalize(x, dim=0, eps=0.3)",
    "F.cosine_similarity(x, y)", "F.cosine_similarity(x, y[0], dim=-1)",
    "F.pairwise_distance(x, y)", "F.pairwise_distance(x, y, p=1.5)",
    "F.pairwise_distance(x, y, p=3, keepdim=True)", "F.pairwise_distance(x, y, p=0.7)",
    "x.clamp_min(0.1)", "x.clamp_min(y)",
])
def test_gradcheck_and_gradgradcheck(expr):
    g = np.random.default_rng(0)
    x = course_lib.tensor(g.standard_normal((3, 4)) * 2, dtype=course_lib.float64,
                          requires_grad=True)
    y = course_lib.tensor(g.standard_normal((3, 4)), dtype=course_lib.float64,
                          requires_grad=True)
    F = course_lib.nn.functional

    def f(a, b):
        return eval(expr, {"F": F, "x": a, "y": b})
    assert gradcheck(f, (x, y))
    assert gradgradcheck(f, (x, y))


@pytest.mark.parametrize("name", ["normalize", "cosine_similarity", "pairwise_distance"])
def test_simulated_cuda_device(simulated, name):
    F = course_lib.nn.functional
    x = course_lib.tensor(X, device="cuda", requires_grad=True)
    y = course_lib.tensor(Y, device="cuda")
    out = F.normalize(x) if name == "normalize" else getattr(F, name)(x, y)
    assert out.device.type == "cuda"
    out.sum().backward()
    assert x.grad.device.type == "cuda" and type(x.grad._data) is _backend.SimulatedCudaArray
    tx, ty = torch.tensor(X), torch.tensor(Y)
    ref = torch.nn.functional.normalize(tx) if name == "normalize" \
        else getattr(torch.nn.functional, name)(tx, ty)
    np.testing.assert_allclose(out.tolist(), ref.tolist(), rtol=1e-6)
    if name != "normalize":
        with pytest.raises(RuntimeError, match="same device"):
            getattr(F, name)(x, course_lib.tensor(Y))
