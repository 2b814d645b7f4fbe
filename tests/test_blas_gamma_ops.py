"""addmv / addr / baddbmm / addbmm (and their in-place forms) and the gamma family lgamma /
digamma / polygamma / mvlgamma against torch 2.13: values, gradients of every input, grad_fn,
beta and alpha, broadcasting of the added input, in-place forms, errors."""
import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")

R = np.random.default_rng(0)
D = {"x": R.standard_normal(2), "m": R.standard_normal((2, 3)), "v": R.standard_normal(3),
     "w": R.standard_normal((2, 3)), "b1": R.standard_normal((5, 2, 3)),
     "b2": R.standard_normal((5, 3, 4)), "c": R.standard_normal((2, 4)),
     "p": R.uniform(0.3, 4.0, (3, 4))}


def _run(T, expr):
    env = {"T": T, **{k: T.tensor(v, requires_grad=True) for k, v in D.items()}}
    out = eval(expr, env)
    out.backward(T.tensor(np.cos(np.arange(out.numel())).reshape(tuple(out.shape))))
    grads = [None if env[k].grad is None else env[k].grad.numpy() for k in D]
    return out.detach().numpy(), grads, type(out.grad_fn).__name__


CASES = ["T.addmv(x, m, v)", "T.addmv(x, m, v, beta=0.5, alpha=2)", "T.addmv(x[:1], m, v)",
         "T.addmv(x[0], m, v, beta=0)", "x.addmv(m, v)", "x.clone().addmv_(m, v, alpha=3)",
         "T.addr(w, x, v)", "T.addr(w[0], x, v, alpha=-1)", "w.addr(x, v, beta=2)",
         "w.clone().addr_(x, v)", "T.baddbmm(c, b1, b2)", "T.baddbmm(c, b1, b2, beta=0, alpha=0.5)",
         "b1.bmm(b2).baddbmm(b1, b2)", "T.addbmm(c, b1, b2)", "T.addbmm(c[0], b1, b2, beta=2)",
         "c.clone().addbmm_(b1, b2)", "c.addbmm(b1, b2)",
         "T.lgamma(p)", "p.lgamma()", "T.digamma(p)", "T.polygamma(0, p)", "T.polygamma(1, p)",
         "p.polygamma(3)", "T.mvlgamma(p + 1, 1)", "T.mvlgamma(p + 2, 4)", "(p + 1).mvlgamma(2)",
         "p.clone().lgamma_()", "p.clone().digamma_()", "p.clone().polygamma_(2)",
         "(p + 2).mvlgamma_(3)"]


@pytest.mark.parametrize("expr", CASES)
def test_like_torch(expr):
    (o1, g1, n1), (o2, g2, n2) = _run(cl, expr), _run(torch, expr)
    assert n1 == n2 and o1.shape == o2.shape
    # (polygamma: scipy's series and torch's own differ by ~1e-9 relative)
    tol = 1e-8 if "polygamma" in expr or "digamma" in expr else 1e-10
    np.testing.assert_allclose(o1, o2, rtol=tol, atol=1e-12)
    for a, b in zip(g1, g2):
        if b is None:
            assert a is None
        else:
            np.testing.assert_allclose(a, b, rtol=max(tol, 1e-9), atol=1e-11)


@pytest.mark.parametrize("expr", [
    "T.addmv(T.ones(3), T.ones(2, 3), T.ones(3))", "T.addmv(T.ones(2), T.ones(2, 3), T.ones(4))",
    "T.addmv(T.ones(2), T.ones(3), T.ones(3))", "T.addr(T.ones(2, 3), T.ones(3), T.ones(3))",
    "T.addr(T.ones(2, 3), T.ones(2, 3), T.ones(3))",
    "T.baddbmm(T.ones(5, 2, 4), T.ones(5, 2, 3), T.ones(4, 3, 4))",
    "T.addbmm(T.ones(2, 5), T.ones(5, 2, 3), T.ones(5, 3, 4))", "T.addbmm(T.ones(4), T.ones(5, 2, 3), T.ones(5, 3, 4)).shape",
    "T.addmv(T.tensor(1.), T.ones(2, 3), T.ones(3)).shape", "T.addmv(T.full((2,), float('nan')), T.ones(2, 3), T.ones(3), beta=0)",
    "T.lgamma(T.tensor([0.5, -1.5, 0., 3.]))", "T.digamma(T.tensor([0., -1., 0.5]))",
    "T.polygamma(-1, T.tensor([0.5]))", "T.mvlgamma(T.tensor([2.]), 0)", "T.lgamma(T.tensor([1, 2]))",
    "T.polygamma(2, T.tensor([1, 2]))", "T.mvlgamma(T.tensor([2, 3]), 2)", "T.tensor([1, 2]).lgamma_()",
    "T.lgamma(T.tensor([1.5], dtype=T.float16))",
])
def test_values_and_errors_like_torch(expr):
    got = []
    for T in (cl, torch):
        try:
            out = repr(eval(expr, {"T": T}))
        except Exception as e:  # noqa: BLE001 - the error is what we compare
            out = f"{type(e).__name__}: {e}"
        got.append(out.replace("torch", "T").replace("course_lib", "T"))
    assert got[0] == got[1]
