"""tensordot, kron, inner, vdot, block_diag, cartesian_prod, diag_embed (course_lib/_ops/
products.py) and cdist, rot90, trapezoid / trapz / cumulative_trapezoid, cov, corrcoef
(course_lib/_ops/geometry.py) against torch 2.13: values, gradients, grad_fn graphs (torch's
compositions node for node), dtypes, empty inputs, errors, gradcheck + gradgradcheck, strides,
the simulated CUDA device."""
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import course_lib
from course_lib import _backend
from course_lib.autograd import gradcheck, gradgradcheck

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from run_like_torch import assert_same, graph, run  # noqa: E402

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
DATA = {name: RNG.standard_normal(shape).round(3) for name, shape in {
    "m": (2, 3), "n": (4, 3), "v": (3,), "w": (3,), "a": (2, 3, 4), "b": (3, 4, 5),
    "s": (), "big": (30, 3), "bb": (2, 30, 3), "b3": (2, 4, 3), "q": (1, 3), "col": (3, 1),
    "sq": (3, 3), "e": (5, 4)}.items()}
INF = float("inf")


def _env(T, dtype="float64"):
    dt = getattr(T, dtype)
    env = {"T": T, "inf": INF}
    for k, x in DATA.items():
        env[k] = T.tensor(x.tolist(), dtype=dt, requires_grad=True)
    return env


def _run(T, expr, dtype="float64"):
    env = _env(T, dtype)
    return run(T, expr, env, tuple(DATA))


CASES = [
    # tensordot: mm path, dot path (contiguous), mul + sum path, size-1 dims summed first
    "T.tensordot(a, b)", "T.tensordot(a, b.transpose(0, 1), 1)", "T.tensordot(a, b, 0)",
    "T.tensordot(a, b, ([1], [0]))", "T.tensordot(a, b, ([2, 1], [1, 0]))",
    "T.tensordot(a, b, dims=[[1, 2], [0, 1]])", "T.tensordot(a, b, T.tensor([[1, 2], [0, 1]]))",
    "T.tensordot(a, b.transpose(0, 1), T.tensor(1))", "T.tensordot(v, w, 1)",
    "T.tensordot(m, m, 2)",
    "T.tensordot(m, m.t(), ([0, 1], [1, 0]))", "T.tensordot(q, col, 1)",
    "T.tensordot(m, n, ([1], [1]))", "T.tensordot(n, v, ([1], [0]))",
    "T.tensordot(a, q, ([0], [0]))", "T.tensordot(q, a, ([0], [0]))",
    "T.tensordot(a, m[:, :1], ([0, 1], [0, 1]))", "T.tensordot(s, s, 0)",
    "T.tensordot(v, s, 0)", "T.tensordot(a, e, ([-1], [-1]))",
    # kron, inner, vdot
    "T.kron(m, n)", "T.kron(v, w)", "T.kron(a, m)", "T.kron(s, m)", "m.kron(v)",
    "T.kron(m, n.detach())",
    "T.inner(m, n)", "T.inner(v, w)", "T.inner(v, m)", "T.inner(m, v)", "T.inner(a, e)",
    "T.inner(s, m)", "m.inner(n)", "T.inner(q, col.t())",
    "T.vdot(v, w)", "v.vdot(w)", "T.vdot(v, w.detach())",
    # block_diag, cartesian_prod, diag_embed
    "T.block_diag(m, n)", "T.block_diag(v, m)", "T.block_diag(v[0], m, s)",
    "T.block_diag(m, T.zeros(0, 2, dtype=m.dtype), v)", "T.block_diag(m)",
    "T.cartesian_prod(v, w)", "T.cartesian_prod(v, w[:2], v)", "T.cartesian_prod(v)",
    "T.diag_embed(m)", "T.diag_embed(m, 1, 0, 2)", "T.diag_embed(m, -2, 2, 0)",
    "m.diag_embed(offset=1)", "T.diag_embed(a, 1, 1, 3)", "T.diag_embed(v)",
    # cdist: the direct path (every p), the matrix-product path (P or R > 25, or asked for)
    "T.cdist(m, n)", "T.cdist(m, n, p=1)", "T.cdist(m, n, p=0)", "T.cdist(m, n, p=inf)",
    "T.cdist(m, n, p=3)", "T.cdist(m, n, p=0.5)", "T.cdist(m, n, 1.5)",
    "T.cdist(a.transpose(1, 2), n, p=1)", "T.cdist(b3, n, p=3)",
    "T.cdist(big, n)", "T.cdist(n, big)", "T.cdist(bb, b3)", "T.cdist(big, b3)",
    "T.cdist(bb[:1], b3)", "T.cdist(big, b3[:1])", "T.cdist(bb[:, None], b3)",
    "T.cdist(m, n, compute_mode='use_mm_for_euclid_dist')",
    "T.cdist(big, n, compute_mode='donot_use_mm_for_euclid_dist')",
    "T.cdist(big, n, p=1)", "T.cdist(m, n.detach())", "T.cdist(big, n.detach())",
    # cov, corrcoef
    "T.cov(m)", "T.cov(m, correction=0)", "T.cov(m, correction=2)", "T.cov(v)", "m.cov()",
    "T.cov(m, fweights=T.tensor([1, 2, 3]))",
    "T.cov(m, aweights=T.tensor([1., 2., 3.], dtype=m.dtype))",
    "T.cov(m, fweights=T.tensor([1, 0, 3]), aweights=T.tensor([0.5, 2., 3.], dtype=m.dtype))",
    "T.cov(m, correction=2, fweights=T.tensor([1, 2, 3]), aweights=w.detach().abs())",
    "T.cov(m, correction=0, aweights=w.detach().abs())", "T.cov(e.t(), aweights=e[:, 0].abs())",
    "T.corrcoef(m)", "T.corrcoef(v)", "m.corrcoef()", "T.corrcoef(e)",
    # trapezoid rule
    "T.trapezoid(m)", "T.trapezoid(m, dx=2)", "T.trapezoid(m, dx=0.5, dim=0)",
    "T.trapezoid(m, v)", "T.trapezoid(m, w.detach(), dim=1)", "T.trapezoid(m, m, dim=0)",
    "T.trapezoid(a, b[0].t()[:3], dim=1)", "T.trapezoid(a, q.t(), dim=1)",
    "T.trapezoid(m, x=v)", "T.trapezoid(m, dx=T.tensor(3.))",
    "T.trapz(m, v)", "T.trapz(m, dx=0.5, dim=0)", "T.trapz(m)",
    "T.cumulative_trapezoid(m)", "T.cumulative_trapezoid(m, v)",
    "T.cumulative_trapezoid(m, dx=2)", "T.cumulative_trapezoid(a, b[0].t()[:3], dim=1)",
    "T.cumulative_trapezoid(a, dim=0)",
    # rot90
    "T.rot90(m)", "T.rot90(m, 2)", "T.rot90(m, -1)", "T.rot90(m, 0)", "T.rot90(m, 3)",
    "T.rot90(m, 5)", "T.rot90(a, 1, [0, 2])", "T.rot90(a, -3, (2, 1))", "m.rot90(1, [1, 0])",
    "T.rot90(a, 2, [-1, 0])",
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("expr", CASES)
def test_values_gradients_graph_like_torch(expr, dtype):
    mine, theirs = _run(course_lib, expr, dtype), _run(torch, expr, dtype)
    if dtype == "float32" and mine[0].grad_fn is not None and "EuclideanDistBackward0" in str(
            graph(mine[0].grad_fn)):
        # the matrix-product path cancels ‖a‖² − 2a·b + ‖b‖²: float32 agrees to ~1e-5
        assert graph(mine[0].grad_fn) == graph(theirs[0].grad_fn)
        for x, y in zip((mine[0], *mine[1]), (theirs[0], *theirs[1])):
            if x is not None:
                np.testing.assert_allclose(x.tolist(), y.tolist(), rtol=1e-4, atol=1e-4)
        return
    assert_same(mine, theirs, dtype)


def test_cdist_large_values_like_torch_float32():
    """The matrix-product path in float32: torch's cancellation, within float tolerance."""
    g = np.random.default_rng(3)
    x, y = g.standard_normal((40, 5)) * 3, g.standard_normal((27, 5)) * 3
    mine = course_lib.cdist(course_lib.tensor(x.tolist()), course_lib.tensor(y.tolist()))
    theirs = torch.cdist(torch.tensor(x.tolist()), torch.tensor(y.tolist()))
    np.testing.assert_allclose(mine.tolist(), theirs.tolist(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("p", [2.0, 1.0, 0.0, INF, 3.0, 0.5, 1.5])
@pytest.mark.parametrize("rows", [2, 30])
def test_cdist_gradient_at_coincident_points_like_torch(p, rows):
    """Distance 0 (a point equal to one of the other set, and equal coordinates): torch's
    subgradients (zero where d = 0; ties of p = inf all get one)."""
    res = []
    for T in (course_lib, torch):
        x = np.zeros((rows, 2))
        x[0] = [1.0, 2.0]
        x[1] = [3.0, 2.0]
        a = T.tensor(x.tolist(), dtype=T.float64, requires_grad=True)
        b = T.tensor([[1.0, 2.0], [3.0, 1.0], [2.0, 3.0]], dtype=T.float64, requires_grad=True)
        out = T.cdist(a, b, p=p)
        out.backward(T.ones_like(out))
        res.append((out.tolist(), a.grad.tolist(), b.grad.tolist(), out.grad_fn.name()))
    for mine, theirs in zip(*res):
        if isinstance(mine, str):
            assert mine == theirs
        else:
            np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("expr", [
    "T.tensordot(m.long(), n.long(), ([1], [1]))", "T.tensordot(v.long(), w.long(), 1)",
    "T.kron(m, n.double())", "T.kron(m.long(), n)", "T.kron(s.int(), v.long())",
    "T.inner(m.long(), n.long())", "T.inner(s, n.double())", "T.vdot(v.long(), w.long())",
    "T.block_diag(m.long(), n)", "T.block_diag(m.bool(), n.bool())",
    "T.block_diag(m.int(), v.long())", "T.block_diag()",
    "T.cartesian_prod(v.long(), w.long())", "T.diag_embed(m.long())",
    "T.diag_embed(m.bool(), 1)", "T.diag_embed(T.zeros(2, 0))",
    "T.cdist(T.zeros(0, 3), n)", "T.cdist(T.zeros(2, 0), T.zeros(4, 0))",
    "T.cdist(T.zeros(2, 0), T.zeros(40, 0))", "T.cdist(T.zeros(0, 3), T.zeros(40, 3))",
    "T.cdist(T.zeros(2, 0, 3), T.zeros(2, 4, 3))",
    "T.cov(m.long())", "T.cov(m.int())", "T.cov(m.long(), fweights=T.tensor([1, 2, 3]))",
    "T.cov(m, aweights=T.tensor([1., 2., 3.]).double())", "T.cov(T.tensor(2.))",
    "T.cov(m[:, :1])", "T.cov(m.double(), correction=5)", "T.cov(T.zeros(2, 0))",
    "T.cov(m[:, :1], fweights=T.tensor([2]), aweights=T.tensor([1.5]))",
    "T.cov(m[:, :1].clone(), aweights=T.tensor([1.5]))",
    "T.corrcoef(m.long())", "T.corrcoef(v)", "T.corrcoef(T.tensor(2.))",
    "T.trapezoid(T.zeros(2, 0))", "T.trapezoid(T.zeros(2, 0).long(), v)",
    "T.trapezoid(m.long())", "T.trapezoid(m.long(), dx=2)", "T.trapezoid(m.long(), v.long())",
    "T.trapezoid(m, v.long())", "T.trapezoid(m.long(), v)", "T.trapezoid(m, v.double())",
    "T.trapezoid(m, T.ones(1, 3))", "T.trapz(T.zeros(2, 0))",
    "T.cumulative_trapezoid(T.zeros(2, 0))", "T.cumulative_trapezoid(T.zeros(0, 2))",
    "T.cumulative_trapezoid(m.long())", "T.cumulative_trapezoid(m.long(), v.long())",
    "T.rot90(m.long(), 1)", "T.rot90(m.bool(), 2)", "T.rot90(T.zeros(0, 3), 1)",
])
def test_dtypes_and_empty_like_torch(expr):
    res = []
    for T in (course_lib, torch):
        env = {"T": T, "m": T.tensor(DATA["m"].tolist()) * 3, "n": T.tensor(DATA["n"].tolist()),
               "v": T.tensor(DATA["v"].tolist()) * 2, "w": T.tensor(DATA["w"].tolist()),
               "s": T.tensor(2.5)}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = eval(expr, env)
        res.append((str(out.dtype).split(".")[-1], tuple(out.shape), out.tolist(),
                    [str(w.message).split(" (Triggered internally")[0] for w in caught]))
    assert res[0][:2] == res[1][:2]
    assert res[0][3] == res[1][3]
    np.testing.assert_allclose(res[0][2], res[1][2], rtol=1e-5, atol=1e-6)


ERRORS = [
    "T.tensordot(m, n, 3)", "T.tensordot(m, n, -1)", "T.tensordot(m, n, 1.5)",
    "T.tensordot(m, n, ([1], [0]))", "T.tensordot(m, n, ([1], [1, 0]))",
    "T.tensordot(m, n.double(), ([1], [1]))", "T.tensordot(m, n, ([2], [1]))",
    "T.tensordot(m, n, ([1, 1], [1, 1]))", "T.tensordot(m, n, T.tensor(-1))",
    "T.tensordot(m, n, T.tensor(1))", "T.tensordot(m, 2, 1)", "T.tensordot(m, n, ([1]))",
    "T.tensordot(m, n, T.tensor([[1, 1, 1]] * 3))",
    "T.kron(m, 2)", "T.kron(2, m)",
    "T.inner(m, n[:, :2])", "T.inner(m, 2.0)", "T.inner(m.long(), n)", "T.inner(m, n.double())",
    "T.vdot(v, m)", "T.vdot(v, v.double())", "T.vdot(v, v[:2])", "T.vdot(v, 2)",
    "T.block_diag(a)", "T.block_diag(m, 2)",
    "T.cartesian_prod(m)", "T.cartesian_prod()", "T.cartesian_prod(v, v.long())",
    "T.cartesian_prod(v, T.tensor(1.))",
    "T.diag_embed(m, 0, 0, 0)", "T.diag_embed(m, 0, 3, 0)", "T.diag_embed(m, 0, -4, 0)",
    "T.diag_embed(T.tensor(1.))", "T.diag_embed(m, 0, 1, -2)",
    "T.cdist(v, n)", "T.cdist(m, v)", "T.cdist(m, n[:, :2])", "T.cdist(m.long(), n.long())",
    "T.cdist(m.long(), n)", "T.cdist(m, n.long())", "T.cdist(m, n.double())",
    "T.cdist(big, n.double())", "T.cdist(m, n, p=-1)", "T.cdist(m, n, compute_mode='x')",
    "T.cdist(T.zeros(2, 2, 3), T.zeros(3, 4, 3))", "T.cdist(m.half(), n.half())",
    "T.cdist(m, 2)", "T.cdist(m.bool(), n.bool())", "T.cdist(big, n, p=-2)",
    "T.cov(a)", "T.cov(m.bool())", "T.cov(m, fweights=T.tensor([1., 2, 3]))",
    "T.cov(m, fweights=T.tensor([[1, 2, 3]]))", "T.cov(m, fweights=T.tensor([1, 2]))",
    "T.cov(m, fweights=T.tensor([1, -2, 3]))", "T.cov(m, aweights=T.tensor([1, 2, 3]))",
    "T.cov(m, aweights=T.tensor([[1., 2, 3]]))", "T.cov(m, aweights=T.tensor([1., 2]))",
    "T.cov(m, aweights=T.tensor([1., -2, 3]))", "T.cov(m, aweights=T.tensor([0., 0, 0]))",
    "T.cov(m, correction=1.5)", "T.cov(m, fweights=2)",
    "T.corrcoef(a)", "T.corrcoef(m.bool())",
    "T.trapezoid(m, v, dx=1)", "T.trapezoid(m, T.zeros(4))", "T.trapezoid(m, dim=2)",
    "T.trapezoid(m.bool())", "T.trapezoid(m, v.bool())", "T.trapezoid(m, dx=True)",
    "T.trapezoid(m, dx=1j)", "T.trapezoid(T.tensor(1.))", "T.trapezoid(T.tensor(1.), dim=1)",
    "T.trapezoid(T.tensor(1.), v[:1])", "T.trapezoid(T.tensor(1.), v[:1], dim=1)",
    "T.cumulative_trapezoid(T.tensor(1.), v[:1], dim=-1)", "T.rot90(m, 1, [5, 0])",
    "T.cdist(T.zeros(2, 30, 3), T.zeros(2, 4, 3).double())", "T.trapezoid(m, T.zeros(3, 3))",
    "T.trapezoid(m, 2)", "T.trapezoid(m, T.zeros(2, 2), dim=0)", "T.trapz(m, 2)",
    "T.trapz(m, v, dx=2)", "T.trapz(m.bool())", "T.trapz(m, T.zeros(4))",
    "T.cumulative_trapezoid(m.bool())", "T.cumulative_trapezoid(m, T.zeros(4))",
    "T.cumulative_trapezoid(m, dx=True)", "T.cumulative_trapezoid(m, v, dx=2)",
    "T.cumulative_trapezoid(T.tensor(1.))", "T.cumulative_trapezoid(m, v.bool())",
    "T.rot90(v)", "T.rot90(m, 1, [0])", "T.rot90(m, 1, [0, 0])", "T.rot90(m, 1, [0, -2])",
    "T.rot90(m, 1, [0, 2])", "T.rot90(m, 1, [-3, 0])", "T.rot90(m, 1, [0, 1, 2])",
    "T.rot90(m, 1.5)", "T.rot90(a, 1, [0, 5])",
]


@pytest.mark.parametrize("expr", ERRORS)
def test_errors_like_torch(expr):
    errors = []
    for T in (course_lib, torch):
        env = {"T": T, "m": T.tensor(DATA["m"].tolist()), "n": T.tensor(DATA["n"].tolist()),
               "v": T.tensor(DATA["v"].tolist()), "a": T.tensor(DATA["a"].tolist()),
               "big": T.tensor(DATA["big"].tolist())}
        with pytest.raises(Exception) as e:
            eval(expr, env)
        errors.append((type(e.value), str(e.value).replace("torch", "course_lib")))
    assert errors[0] == errors[1]


GRADCHECK = [
    "T.tensordot(x3, y3, ([1, 2], [0, 1]))", "T.tensordot(x, y.t(), ([0, 1], [1, 0]))",
    "T.tensordot(x, y, 2)", "T.kron(x, y)", "T.inner(x, y)", "T.vdot(x[0], y[1])",
    "T.block_diag(x, y[0], y[1, 1])", "T.cartesian_prod(x[0], y[1])",
    "T.diag_embed(x, 1, 0, 2)", "T.diag_embed(x3, -1)",
    "T.cdist(x, y)", "T.cdist(x, y, p=1)", "T.cdist(x, y, p=0)", "T.cdist(x, y, p=inf)",
    "T.cdist(x, y, p=3)", "T.cdist(x, y, p=0.7)", "T.cdist(x, y, p=1.5)",
    "T.cdist(x3, y)", "T.cdist(x, y, compute_mode='use_mm_for_euclid_dist')",
    "T.cdist(x3, y3.permute(2, 0, 1), compute_mode='use_mm_for_euclid_dist')",
    "T.cov(x)", "T.cov(x, aweights=y[0].abs() + 0.5)", "T.cov(x, fweights=T.tensor([1, 2, 0, 3]))",
    "T.corrcoef(x)", "T.corrcoef(x[0])",
    "T.trapezoid(x)", "T.trapezoid(x, y[1], dim=1)", "T.trapezoid(x, y, dim=0)",
    "T.trapz(x, dx=0.3, dim=0)", "T.cumulative_trapezoid(x)",
    "T.cumulative_trapezoid(x, y[0])", "T.rot90(x)", "T.rot90(x3, 3, (2, 0))",
    "T.rot90(x3, 2, (1, 2))",
]


@pytest.mark.parametrize("expr", GRADCHECK)
def test_gradcheck_and_gradgradcheck(expr):
    g = np.random.default_rng(0)
    T = course_lib
    shapes = {"x": (3, 4), "y": (3, 4), "x3": (2, 3, 4), "y3": (3, 4, 2)}
    values = {n: T.tensor(g.standard_normal(s), dtype=T.float64, requires_grad=True)
              for n, s in shapes.items()}
    used = [n for n in shapes if re.search(rf"\b{n}\b", expr)]  # only these are checked

    def f(*args):
        return eval(expr, {"T": T, "inf": INF, **values, **dict(zip(used, args))})
    inputs = tuple(values[n] for n in used)
    assert gradcheck(f, inputs)
    assert gradgradcheck(f, inputs)


@pytest.mark.parametrize("expr", ["T.rot90(m, 1)", "T.rot90(m, 2)", "T.rot90(m, 3)",
                                  "T.rot90(m, 0)", "T.rot90(m.t(), 0)", "T.rot90(m.t(), 1)",
                                  "T.rot90(a, 1, (0, 2))", "T.diag_embed(m)",
                                  "T.block_diag(m, v)", "T.kron(m, n)", "T.cdist(m, n)"])
def test_strides_like_torch(expr):
    mine, theirs = (eval(expr, {"T": T, "m": T.tensor(DATA["m"].tolist()),
                                "n": T.tensor(DATA["n"].tolist()),
                                "v": T.tensor(DATA["v"].tolist()),
                                "a": T.tensor(DATA["a"].tolist())})
                    for T in (course_lib, torch))
    assert mine.stride() == theirs.stride()
    assert mine.is_contiguous() == theirs.is_contiguous()


def test_cartesian_prod_of_one_tensor_is_that_tensor():
    for T in (course_lib, torch):
        v = T.tensor([1.0, 2.0])
        assert T.cartesian_prod(v) is v


def test_tensordot_out_like_torch():
    res = []
    for T in (course_lib, torch):
        a, b = T.tensor(DATA["m"].tolist()), T.tensor(DATA["n"].tolist())
        out = T.empty(2, 4)
        r = T.tensordot(a, b, ([1], [1]), out=out)
        res.append((r is out, out.tolist()))
        with pytest.raises(RuntimeError) as e:
            T.tensordot(a, b, ([1], [1]), out=T.empty(2, 4, dtype=T.float64))
        res.append(str(e.value))
    assert res[0][0] and res[2][0]
    np.testing.assert_allclose(res[0][1], res[2][1], rtol=1e-6)
    assert res[1] == res[3]


def test_module_level_names_and_methods_like_torch():
    for name in ("tensordot", "kron", "inner", "vdot", "block_diag", "cartesian_prod",
                 "diag_embed", "cdist", "cov", "corrcoef", "trapezoid", "trapz",
                 "cumulative_trapezoid", "rot90"):
        assert callable(getattr(course_lib, name))
        assert hasattr(course_lib.Tensor, name) == hasattr(torch.Tensor, name), name


def test_double_backward_of_cdist_through_a_hessian():
    """course_lib differentiates CdistBackward0 again (torch refuses: derivative for
    _cdist_backward is not implemented); the Hessian equals torch's of the same function."""
    g = np.random.default_rng(5)
    x, y = g.standard_normal((3, 2)), g.standard_normal((4, 2))
    T = course_lib
    a = T.tensor(x, dtype=T.float64, requires_grad=True)
    h = T.autograd.functional.hessian(lambda t: T.cdist(t, T.tensor(y)).sum(), a)
    ref = torch.autograd.functional.hessian(
        lambda t: ((t[:, None] - torch.tensor(y)[None]) ** 2).sum(-1).sqrt().sum(),
        torch.tensor(x, dtype=torch.float64))
    np.testing.assert_allclose(np.array(h.tolist()), ref.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("expr", ["T.cdist(m, n)", "T.cdist(big, n)", "T.rot90(m)",
                                  "T.kron(m, n)", "T.tensordot(m, n, ([1], [1]))",
                                  "T.block_diag(m, n)", "T.diag_embed(m)", "T.vdot(v, v)",
                                  "T.cov(m)", "T.trapezoid(m, v)"])
def test_simulated_cuda_device(simulated, expr):
    def make(T, **kw):
        return {k: T.tensor(DATA[k].tolist(), **kw) for k in ("m", "n", "v", "big")}
    env = make(course_lib, device="cuda", requires_grad=True)
    out = eval(expr, {"T": course_lib, **env})
    assert out.device.type == "cuda"
    out.sum().backward()
    g = env["m"].grad if env["m"].grad is not None else env["v"].grad
    if g is None:
        g = env["big"].grad
    assert g.device.type == "cuda" and type(g._data) is _backend.SimulatedCudaArray
    ref = eval(expr, {"T": torch, **make(torch)})
    np.testing.assert_allclose(out.tolist(), ref.tolist(), rtol=1e-5, atol=1e-6)


def test_graph_names_of_the_two_cdist_paths():
    T = course_lib
    small = T.cdist(T.ones(3, 2, requires_grad=True), T.ones(4, 2))
    large = T.cdist(T.ones(26, 2, requires_grad=True), T.ones(4, 2))
    assert graph(small.grad_fn)[0] == "CdistBackward0"
    assert graph(large.grad_fn)[0] == "ViewBackward0"
    assert graph(large.grad_fn)[1][0][0] == "EuclideanDistBackward0"
