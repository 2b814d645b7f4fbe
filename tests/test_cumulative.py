"""Running products and sums in log space, and nan-skipping reductions, against torch 2.13:
``cumprod`` (zero-safe gradient), ``logcumsumexp`` (no overflow), ``nansum``, ``nanmean``:
values, dtypes, grad_fn names, float64 gradients, gradcheck / gradgradcheck, errors."""
import numpy as np
import pytest

import course_lib
from course_lib.autograd import gradcheck, gradgradcheck

torch = pytest.importorskip("torch")

NAN = float("nan")
DATA = {
    "plain": [[1.5, 2.0, -0.5, 3.0], [2.0, 0.5, 4.0, -1.0]],
    "one_zero": [[1.5, 2.0, 0.0, 3.0], [0.0, 0.5, 4.0, -1.0]],
    "zeros": [[0.0, 2.0, 0.0, 3.0], [2.0, 0.5, 4.0, 0.0]],
    "big": [[1000.0, -1000.0, 999.0, 0.0], [-800.0, -900.0, -700.0, 5.0]],
    "nan": [[1.0, NAN, 2.0, 3.0], [NAN, NAN, NAN, NAN]],
    "inf": [[-float("inf"), 1.0, 2.0, -float("inf")], [0.0, -float("inf"), 1.0, 2.0]],
}
EXPRS = [
    ("x.cumprod(1)", ("plain", "one_zero", "zeros")), ("T.cumprod(x, 0)", ("plain", "zeros")),
    ("x.cumprod(-1, dtype=T.float32)", ("plain",)), ("x.cumprod(axis=1)", ("one_zero",)),
    ("x[0, 0].cumprod(0)", ("plain",)), ("x[:0].cumprod(1)", ("plain",)),
    ("x.logcumsumexp(1)", ("plain", "big", "inf")), ("T.logcumsumexp(x, 0)", ("plain", "big")),
    ("x.logcumsumexp(axis=-1)", ("plain",)), ("x[1, 1].logcumsumexp(0)", ("plain",)),
    ("x.nansum()", ("nan", "plain")), ("x.nansum(1)", ("nan",)),
    ("T.nansum(x, dim=0, keepdim=True)", ("nan",)), ("x.nansum(axis=1, keepdims=True)", ("nan",)),
    ("x.nansum(dtype=T.float32)", ("nan",)),
    ("x.nanmean()", ("nan", "plain")), ("x.nanmean(1)", ("nan",)),
    ("T.nanmean(x, dim=0, keepdim=True)", ("nan",)), ("x.nanmean(axis=(0, 1))", ("nan",)),
]
CASES = [(e, d) for e, ds in EXPRS for d in ds]


def _run(T, expr, data):
    x = T.tensor(DATA[data], dtype=T.float64, requires_grad=True)
    r = eval(expr, {"T": T, "x": x})
    out = [r.tolist(), str(r.dtype).split(".")[-1], type(r.grad_fn).__name__]
    if r.numel():
        w = T.tensor(np.arange(r.numel()).reshape(tuple(r.shape)) - 1.5, dtype=r.dtype)
        (r * w).sum().backward()
        out.append(x.grad.tolist())
    return out


@pytest.mark.parametrize("expr,data", CASES)
def test_like_torch(expr, data):
    mine, theirs = _run(course_lib, expr, data), _run(torch, expr, data)
    np.testing.assert_allclose(mine[0], theirs[0], rtol=1e-12, equal_nan=True)
    assert mine[1:3] == theirs[1:3]
    if len(theirs) > 3:
        np.testing.assert_allclose(mine[3], theirs[3], rtol=1e-10, atol=1e-12, equal_nan=True)


INTS = ["T.tensor([1, 2, 3], dtype=T.int32).cumprod(0)", "T.tensor([True, False]).cumprod(0)",
        "T.tensor([1, 2], dtype=T.int8).nansum()", "T.tensor([True, True]).nansum()",
        "T.tensor([1., 2., NAN]).nansum()", "T.tensor([NAN]).nanmean()",
        "T.tensor([[NAN, 1.]]).nanmean(0)", "T.ones(0).nansum()", "T.ones(0).nanmean()",
        "T.tensor([1., 2., 3.]).cumprod(0, dtype=T.float64)", "T.ones(2, 0).cumprod(1)",
        "T.tensor(3.).logcumsumexp(0)", "T.ones(0).logcumsumexp(0)"]


@pytest.mark.parametrize("expr", INTS)
def test_dtypes_and_edges_like_torch(expr):
    mine = eval(expr, {"T": course_lib, "NAN": NAN})
    theirs = eval(expr, {"T": torch, "NAN": NAN})
    assert str(mine.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert tuple(mine.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(mine.tolist(), theirs.tolist())


ERRORS = ["T.tensor([1, 2]).logcumsumexp(0)", "T.tensor([1, 2]).nanmean()", "x.cumprod()",
          "T.cumprod(x)", "x.logcumsumexp()", "x.cumprod(2)", "x.logcumsumexp(-3)",
          "x.nansum(0, axis=0)", "T.tensor([True]).nanmean()"]


def _error(T, expr):
    try:
        eval(expr, {"T": T, "x": T.ones(2, 3)})
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return type(e).__name__, str(e).replace("torch.", "course_lib.")
    return None


@pytest.mark.parametrize("expr", ERRORS)
def test_errors_like_torch(expr):
    theirs = _error(torch, expr)
    assert theirs is not None
    assert _error(course_lib, expr) == theirs


@pytest.mark.parametrize("fn", [
    lambda a: a.cumprod(1), lambda a: a.cumprod(0), lambda a: a.logcumsumexp(1),
    lambda a: a.logcumsumexp(0), lambda a: a.nansum(1), lambda a: a.nanmean(0),
], ids=["cumprod1", "cumprod0", "logcumsumexp1", "logcumsumexp0", "nansum", "nanmean"])
@pytest.mark.parametrize("data", ["plain", "one_zero", "zeros"])
def test_gradcheck_and_gradgradcheck(fn, data):
    x = course_lib.tensor(DATA[data], dtype=course_lib.float64, requires_grad=True)
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))


@pytest.mark.parametrize("data", ["one_zero", "zeros"])
def test_cumprod_hessian_with_zeros_like_torch(data):
    """Second derivatives through the zero-safe formula (the create_graph branch) equal torch's."""
    def hvp(T):
        x = T.tensor(DATA[data], dtype=T.float64, requires_grad=True)
        (g,) = T.autograd.grad((x.cumprod(1) ** 2).sum(), x, create_graph=True)
        (h,) = T.autograd.grad((g * T.tensor(DATA["plain"], dtype=T.float64)).sum(), x)
        return g.tolist(), h.tolist()
    mine, theirs = hvp(course_lib), hvp(torch)
    np.testing.assert_allclose(mine[0], theirs[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12, atol=1e-12)


def test_simulated_cuda(simulated):
    x = course_lib.tensor(DATA["one_zero"], dtype=course_lib.float64, device="cuda",
                          requires_grad=True)
    y = x.cumprod(1).sum() + x.logcumsumexp(0).sum() + x.nansum() + x.nanmean()
    y.backward()
    assert x.grad.device.type == "cuda"
    t = torch.tensor(DATA["one_zero"], dtype=torch.float64, requires_grad=True)
    (t.cumprod(1).sum() + t.logcumsumexp(0).sum() + t.nansum() + t.nanmean()).backward()
    np.testing.assert_allclose(x.grad.cpu().tolist(), t.grad.tolist(), rtol=1e-12)
