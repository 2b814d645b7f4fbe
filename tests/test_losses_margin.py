"""Margin, embedding and likelihood losses against torch 2.13 in float64: margin_ranking,
hinge_embedding, soft_margin, multilabel_soft_margin, cosine_embedding, multi_margin,
multilabel_margin, triplet_margin (+ with a distance), poisson_nll, gaussian_nll — values,
gradients of every input, grad_fn, the three reductions, their modules, errors; double backward."""
import warnings

import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")

R = np.random.default_rng(0)
A, B, C = R.standard_normal((5, 4)), R.standard_normal((5, 4)), R.standard_normal((5, 4))
SIGN = np.sign(R.standard_normal(5))
CLS = np.array([0, 3, 1, 2, 3])
LABELS = np.array([[0, 2, -1, 1], [3, 3, 0, -1], [1, -1, 2, 0], [-1, 0, 0, 0], [2, 1, 0, 3]])
COUNTS = R.poisson(2.0, (5, 4)).astype(float)
W = np.array([1.0, 0.5, 2.0, 1.5])

CASES = [
    "F.margin_ranking_loss(a[:, 0], b[:, 0], sign, margin=0.3{red})",
    "F.hinge_embedding_loss(a, T.tensor(np.where(C > 0, 1.0, -1.0)), margin=0.5{red})",
    "F.soft_margin_loss(a, T.tensor(np.sign(C)){red})",
    "F.soft_margin_loss(a, T.tensor(np.sign(C[0])){red})",
    "F.multilabel_soft_margin_loss(a, T.tensor((C > 0).astype(float)){red})",
    "F.multilabel_soft_margin_loss(a, T.tensor((C > 0).astype(float)), weight=T.tensor(W){red})",
    "F.cosine_embedding_loss(a, b, sign, margin=0.2{red})",
    "F.cosine_embedding_loss(a[0], b[0], sign[0]{red})",
    "F.multi_margin_loss(a, T.tensor(CLS){red})",
    "F.multi_margin_loss(a, T.tensor(CLS), p=2, margin=0.7, weight=T.tensor(W){red})",
    "F.multi_margin_loss(a[1], T.tensor(CLS[1]){red})",
    "F.multilabel_margin_loss(a, T.tensor(LABELS){red})",
    "F.multilabel_margin_loss(a[1], T.tensor(LABELS[1]){red})",
    "F.triplet_margin_loss(a, b, c{red})",
    "F.triplet_margin_loss(a, b, c, margin=0.5, p=1, swap=True{red})",
    "F.triplet_margin_with_distance_loss(a, b, c{red})",
    "F.triplet_margin_with_distance_loss(a, b, c, distance_function=lambda x, y: 1 - "
    "F.cosine_similarity(x, y), swap=True{red})",
    "F.poisson_nll_loss(a, T.tensor(COUNTS){red})",
    "F.poisson_nll_loss(a.abs() + 0.1, T.tensor(COUNTS), log_input=False, full=True{red})",
    "F.gaussian_nll_loss(a, b, c.abs() + 0.1{red})",
    "F.gaussian_nll_loss(a, b, (c[:, 0] ** 2).detach(), full=True{red})",
    "F.gaussian_nll_loss(a, b, c[:, :1].abs(){red})",
]
REDUCTIONS = ["", ", reduction='sum'", ", reduction='none'"]


def _env(T):
    ts = {n: T.tensor(v, requires_grad=True) for n, v in (("a", A), ("b", B), ("c", C))}
    return {"T": T, "F": T.nn.functional, "np": np, "C": C, "CLS": CLS, "LABELS": LABELS,
            "COUNTS": COUNTS, "W": W, "sign": T.tensor(SIGN), **ts}


def _run(T, expr):
    env = _env(T)
    out = eval(expr, env)
    out.backward(T.tensor(np.cos(np.arange(out.numel())).reshape(tuple(out.shape))))
    grads = [None if env[n].grad is None else env[n].grad.numpy() for n in "abc"]
    return out.detach().numpy(), grads, type(out.grad_fn).__name__


@pytest.mark.parametrize("red", REDUCTIONS, ids=["mean", "sum", "none"])
@pytest.mark.parametrize("case", CASES)
def test_loss_like_torch(case, red):
    expr = case.format(red=red)
    (o1, g1, n1), (o2, g2, n2) = _run(cl, expr), _run(torch, expr)
    assert n1 == n2 and o1.shape == o2.shape
    np.testing.assert_allclose(o1, o2, rtol=1e-10, atol=1e-12)
    for x, y in zip(g1, g2):
        if y is None or not np.any(y):
            assert x is None or not np.any(x)
        else:
            np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("expr", [
    "F.soft_margin_loss(a, T.tensor(np.sign(C)))",
    "F.multi_margin_loss(a, T.tensor(CLS), p=2, weight=T.tensor(W))",
    "F.multilabel_margin_loss(a, T.tensor(LABELS))",
    "F.cosine_embedding_loss(a, b, sign)", "F.poisson_nll_loss(a, T.tensor(COUNTS))",
])
def test_double_backward(expr):
    env = _env(cl)
    a = env["a"]
    f = eval(f"lambda a: {expr}", {**env})
    assert cl.autograd.gradgradcheck(f, (a,))


@pytest.mark.parametrize("expr", [
    "nn.MarginRankingLoss(0.5)", "nn.HingeEmbeddingLoss()", "nn.SoftMarginLoss()",
    "nn.MultiLabelSoftMarginLoss()", "nn.CosineEmbeddingLoss()", "nn.MultiMarginLoss(p=2)",
    "nn.MultiLabelMarginLoss()", "nn.TripletMarginLoss()", "nn.TripletMarginWithDistanceLoss()",
    "nn.PoissonNLLLoss()", "nn.GaussianNLLLoss()", "nn.MultiMarginLoss(p=3)",
    "nn.TripletMarginLoss(margin=0)", "nn.TripletMarginWithDistanceLoss(margin=-1)",
    "nn.MultiMarginLoss(weight=T.ones(2, 2))", "nn.MarginRankingLoss(reduction='x')(a[:, 0], b[:, 0], sign)",
    "nn.SoftMarginLoss(size_average=False)(a, T.ones(5, 4))",
    "nn.MultiMarginLoss()(a, T.tensor(CLS)).item() > 0",
    "nn.TripletMarginLoss(swap=True)(a, b, c).item() > 0",
    "nn.GaussianNLLLoss(full=True)(a, b, T.ones(5, 4)).item() > 0",
    "F.margin_ranking_loss(a, b[:, 0], sign)", "F.multi_margin_loss(a, T.tensor(CLS), p=3)",
    "F.multi_margin_loss(a, T.tensor(CLS), weight=T.ones(2, 2))",
    "F.multi_margin_loss(a, T.tensor([0, 9, 1, 2, 3]))", "F.multi_margin_loss(a, T.tensor([0, 1]))",
    "F.multi_margin_loss(a, T.tensor([[0, 1, 2, 3, 0]]))",
    "F.multilabel_margin_loss(a, T.tensor(LABELS[:2]))", "F.triplet_margin_loss(a, b, c, margin=0)",
    "F.triplet_margin_with_distance_loss(a, b, c[0])", "F.gaussian_nll_loss(a, b, -1.0)",
    "F.gaussian_nll_loss(a, b, T.ones(4))", "F.gaussian_nll_loss(a, b, T.ones(5, 4), reduction='x')",
    "F.cosine_embedding_loss(a, b, T.ones(5, 4))", "F.cosine_embedding_loss(a, b, T.ones(()))",
    "F.poisson_nll_loss(a, b, reduction='x')", "F.soft_margin_loss(a, T.ones(5, 3))",
    "F.soft_margin_loss(a[:, :1], T.ones(5, 4))", "F.soft_margin_loss(a, b)", "F.multilabel_soft_margin_loss(a, b, reduction='x')",
])
def test_modules_and_errors_like_torch(expr):
    got = []
    for T in (cl, torch):
        env = {**_env(T), "nn": T.nn}
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                text = repr(eval(expr, env)).replace("torch", "T").replace("course_lib", "T")
                out = " ".join(s.split(" object at ")[0] for s in text.split("<"))
            except Exception as e:  # noqa: BLE001 - the error is what we compare
                out = f"{type(e).__name__}: {e}".replace("torch", "T").replace("course_lib", "T")
        got.append((out, [str(m.message) for m in w]))
    assert got[0] == got[1]
