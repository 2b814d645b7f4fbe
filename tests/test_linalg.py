"""torch.linalg against torch: vector_norm / matrix_norm / norm (and torch.norm), vecdot, matmul,
multi_dot, cross (and torch.cross), diagonal, svd / svdvals, inv, det, slogdet, solve — values
and dtypes, grad_fn names, gradients, gradcheck + gradgradcheck, torch's errors (LinAlgError for
singular matrices), reprs, simulated CUDA. 线性代数与 torch 对照。"""
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


def _eq(a, b):  # float32 LAPACK results: a looser tolerance
    return same(a, b, rtol=1e-4, atol=1e-5)


def _same(code):
    assert_like_torch(code, lambda lib: {"T": lib, "L": lib.linalg, "inf": math.inf,
                                         "nan": math.nan}, rtol=1e-4, atol=1e-5)


A = "T.tensor([[1., -2., 0.], [3., 4., -1.]], requires_grad=True)"
S = "T.tensor([[2., 1., 0.], [1., 3., 1.], [0., 1., 4.]], requires_grad=True)"
B3 = "T.tensor([[[2., 1.], [1., 3.]], [[1., 2.], [0., -1.]]], requires_grad=True)"
SING = "T.tensor([[1., 2.], [2., 4.]])"
I = "T.tensor([[1, 2], [3, 4]])"
ORDS = ("2", "1", "0", "3", "0.5", "-1", "-0.5", "inf", "-inf", "2.0", "1.5")

VALUES = [
    # vector_norm: ord, dim, keepdim, dtype; empty inputs; argument errors
    *[f"L.vector_norm({A}, {o})" for o in ORDS],
    *[f"L.vector_norm({A}, {o}, 1)" for o in ORDS],
    *[f"L.vector_norm({A}, {o}, (0, 1), True)" for o in ("2", "1", "inf", "0")],
    f"L.vector_norm({A}, dim=-1, keepdim=True)", f"L.vector_norm({A}, dim=[0])",
    f"L.vector_norm({A}, dim=())", f"L.vector_norm({A}, dtype=T.float64)",
    f"L.vector_norm({A}.double(), dtype=T.float32)", f"L.vector_norm({A}, dtype=T.long)",
    f"L.vector_norm({I})", f"L.vector_norm({I}, dtype=T.float32)", f"L.vector_norm({A}, 'fro')",
    f"L.vector_norm({A}, dim=2)", f"L.vector_norm({A}, dim=(0, 0))",
    f"L.vector_norm({A}, T.tensor(3.))", f"L.vector_norm({A}.half(), 3)",
    "L.vector_norm(T.tensor(-3.))", "L.vector_norm(T.tensor(-3.), 1, 0)",
    "L.vector_norm(T.zeros(0))", "L.vector_norm(T.zeros(0), inf)", "L.vector_norm(T.zeros(0), -1)",
    "L.vector_norm(T.zeros(0), -0.5)", "L.vector_norm(T.zeros(0, 3), -1, dim=1)",
    "L.vector_norm(T.zeros(0, 3), inf, dim=0)", "L.vector_norm(T.tensor([nan, 1.]), inf)",
    # torch.norm / Tensor.norm
    f"T.norm({A})", f"T.norm({A}, 1)", f"{A}.norm(inf, 1)", f"{A}.norm(0)",
    f"{A}.norm('fro', 1)", f"{A}.norm(dim=(0, 1))", f"T.norm({A}, p=3, dim=0, keepdim=True)",
    f"T.norm({A}, None)", f"T.norm({A}, dtype=T.float64)", f"T.norm({A}, 'nuc', 0)",
    "T.norm(T.ones(2, 3, 3), 'fro', dim=(0, 1, 2))", f"T.norm({I})",
    # matrix_norm and linalg.norm
    *[f"L.matrix_norm({S}, {o})" for o in ("'fro'", "1", "-1", "inf", "-inf")],
    *[f"L.matrix_norm({B3}, {o}, keepdim=True)" for o in ("'fro'", "1", "-1", "inf", "-inf")],
    *[f"L.matrix_norm({B3}, {o}, dim=(0, 2))" for o in ("'fro'", "1", "-inf")],
    *[f"L.matrix_norm({B3}, {o}, dim=(2, 0), keepdim=True)" for o in ("1", "inf")],
    *[f"L.matrix_norm({B3}, {o}{k})" for o in ("2", "-2", "'nuc'")
      for k in ("", ", keepdim=True", ", dim=(0, 2)", ", dim=(2, 0), keepdim=True")],
    f"L.matrix_norm({S}, 2, dtype=T.float64)", f"L.matrix_norm({S}.half(), 2)",
    f"L.matrix_norm({S}.half(), 'nuc')", f"T.norm({S}, 'nuc')", f"L.norm({S}, -2)",
    f"L.norm({B3}, 'nuc', dim=(1, 2))", f"L.matrix_norm({A}, 2)", f"L.matrix_norm({A}.t(), 'nuc')",
    f"L.matrix_norm({S}, 1, dtype=T.float64)", f"L.matrix_norm({S}.half(), 1)",
    f"L.matrix_norm({A}, 3)", f"L.matrix_norm({A}, 'abc')", "L.matrix_norm(T.ones(3))",
    f"L.matrix_norm({A}, dim=(0,))", f"L.matrix_norm({A}, dim=(0, -2))",
    f"L.matrix_norm({I})", f"L.matrix_norm({A}, dtype=T.long)",
    f"L.norm({A})", f"L.norm({A}, 1)", f"L.norm({A}, inf)", f"L.norm({A}, 'fro')",
    f"L.norm({A}, -1, dim=(1, 0))", f"L.norm({A}, 3, dim=1)", f"L.norm({A}, 1, dim=[1])",
    f"L.norm({A}[0], 1)", f"L.norm({A}[0], inf)", f"L.norm({B3})", f"L.norm({B3}, dim=(0, 1))",
    f"L.norm({B3}, 1)", f"L.norm({B3}, 'fro')", f"L.norm({B3}, dim=(0, 1, 2))",
    f"L.norm({A}, keepdim=True)", f"L.norm({A}, dtype=T.float64)",
    # vecdot, matmul, multi_dot
    f"L.vecdot({A}, {A} * 2)", f"L.vecdot({A}, {A}, dim=0)", f"L.vecdot({A}, {A}[0])",
    f"L.vecdot({A}, {A}.double())", "L.vecdot(T.ones(3), T.ones(4))", f"L.vecdot({I}, {I})",
    f"L.matmul({A}, {S})", f"L.matmul({A}, {A}[0])",
    f"L.multi_dot([{A}, {S}])", f"L.multi_dot([{A}, {S}, {S}])",
    f"L.multi_dot([{S}, {S}, {A}.t()])",
    f"L.multi_dot([{A}[0], {S}, {S}, {A}.t()])", f"L.multi_dot([{A}, {S}, {S}, {S}, {A}[1]])",
    f"L.multi_dot([{A}[0], {A}[1]])", f"L.multi_dot([{S}[0], {S}, {S}[1]])",
    "L.multi_dot([T.ones(3)])", "L.multi_dot([T.ones(3), T.ones(2, 2)])",
    "L.multi_dot([T.ones(3, 2, 2), T.ones(2, 2)])", "L.multi_dot([T.ones(2, 2), T.ones(2, 2, 2)])",
    "L.multi_dot([T.ones(2, 2), T.ones(2, 2, 2), T.ones(2)])",
    "L.multi_dot([T.ones(2, 2), T.ones(2, 2, dtype=T.float64)])",
    # cross
    f"L.cross({A}, {A}.flip(1))", f"L.cross({A}, {A}[1])", f"L.cross({A}.t(), {S}, dim=0)",
    f"T.cross({A}, {A} * 2, dim=1)", f"T.cross({S}, {S}.t())", f"{S}.cross({S}.t(), 0)",
    f"L.cross({I}, {I})", "L.cross(T.tensor([1, 2, 3]), T.tensor([4, 5, 6]))",
    "L.cross(T.ones(3), T.ones(3, dtype=T.float64))", "L.cross(T.ones(2), T.ones(2))",
    "L.cross(T.ones(3, 2), T.ones(3, 2))", "T.cross(T.ones(3, 2), T.ones(3, 2))",
    "T.cross(T.ones(2, 4), T.ones(2, 4))", "L.cross(T.ones(2, 3), T.ones(4, 3))",
    "L.cross(T.ones(1, 3), T.ones(4, 3))", "L.cross(T.ones(3), T.ones(2, 3))",
    # diagonal
    f"L.diagonal({B3})", f"L.diagonal({S}, offset=1)", f"L.diagonal({A}, offset=-1)",
    f"T.diagonal({A})", f"T.diagonal({B3}, 0, 0, 2)", f"T.diagonal({B3}, -1, 2, 0)",
    f"{S}.diagonal(5)", f"{A}.diagonal(1, 1, 0)", "T.diagonal(T.ones(2, 3), 1, 0, 0)",
    "L.diagonal(T.ones(3))", f"T.diagonal({A}, dim1=2)",
    # svdvals, svd (U and Vh only up to sign: compared through invariants)
    f"L.svdvals({S})", f"L.svdvals({A})", f"L.svdvals({B3})", f"L.svdvals({A}.t().double())",
    "L.svdvals(T.ones(3))", f"L.svdvals({I})", "L.svdvals(T.ones(2, 2).half())",
    "L.svdvals(T.zeros(0, 3))", f"L.svd({A})[1]", f"L.svd({A}).S",
    f"[t.shape for t in L.svd({A})]", f"[t.shape for t in L.svd({A}.t(), full_matrices=False)]",
    f"[t.shape for t in L.svd({B3}[0:1].expand(3, 2, 2))]", f"L.svd({A}).U.abs()",
    f"L.svd({A}, full_matrices=False).Vh.abs()",
    f"(lambda r: r.U @ T.diag(r.S) @ r.Vh)(L.svd({S}))",
    "L.svd(T.ones(3))", "L.svd(T.ones(2, 2).half())",
    # inv, det, slogdet, solve
    f"L.inv({S})", f"L.inv({B3})", f"T.inverse({S})", f"{S}.inverse()", f"L.inv({S}.double())",
    f"L.inv({SING})", "L.inv(T.zeros(2, 3, 3))", "L.inv(T.zeros(3, 2))", "L.inv(T.ones(3))",
    f"L.inv({I})", "L.inv(T.eye(2).half())", "L.inv(T.zeros(0, 0))", "T.inverse(T.zeros(2, 2))",
    "L.inv(T.tensor([[[1., 0.], [0., 1.]], [[1., 1.], [1., 1.]]]))",
    "L.inv(T.tensor([[0., 1., 2.], [0., 3., 4.], [1., 5., 6.]]))",
    "L.inv(T.tensor([[1., 2., 3.], [2., 4., 6.], [1., 0., 1.]]))",
    f"L.det({S})", f"L.det({B3})", f"T.det({S})", f"{B3}.det()", f"L.det({SING})",
    "L.det(T.zeros(3, 2))", "L.det(T.ones(3))", f"L.det({I})", "L.det(T.eye(2).half())",
    "L.det(T.zeros(0, 0))", "L.det(T.zeros(2, 0, 0))",
    f"L.slogdet({S})", f"L.slogdet({B3})", f"T.slogdet({S})", f"{S}.slogdet()",
    f"L.slogdet(-{S})", f"L.slogdet({SING})", "L.slogdet(T.zeros(3, 2))", f"L.slogdet({I})",
    f"L.solve({S}, T.tensor([1., 2., 3.]))", f"L.solve({S}, {A}.t())",
    f"L.solve({S}, {A}, left=False)", f"L.solve({B3}, T.ones(2))", f"L.solve({B3}, T.ones(2, 2))",
    f"L.solve({B3}, T.ones(2, 2, 3))", f"L.solve({B3}, T.ones(3, 1, 2, 2))",
    f"L.solve({B3}, T.ones(2, 1, 2), left=False)", f"L.solve({S}, T.ones(3), left=False)",
    f"L.solve({SING}, T.ones(2))", "L.solve(T.zeros(3, 2, 2), T.ones(3, 2))",
    "L.solve(T.eye(2), T.ones(3))", "L.solve(T.eye(2), T.ones(2, 3), left=False)",
    "L.solve(T.eye(2).expand(3, 2, 2), T.ones(2, 2, 2))",
    "L.solve(T.eye(2), T.ones(2, dtype=T.float64))", "L.solve(T.zeros(2, 3), T.ones(2))",
    "L.solve(T.eye(2), T.tensor(1.))", f"L.solve({I}, {I})",
    "L.solve(T.eye(2).half(), T.ones(2).half())",
    "L.solve(T.eye(2), [1., 2.])", "L.inv([[1., 2.], [3., 4.]])",
]


@pytest.mark.parametrize("code", VALUES)
def test_values_dtypes_names_and_errors_like_torch(code):
    _same(code)


# expressions of leaves x (2, 3), s (3, 3), y (2, 3) in float64 whose gradients equal torch's
GRADS = [
    *[f"L.vector_norm(x, {o})" for o in ORDS],
    *[f"L.vector_norm(x, {o}, 1, keepdim=True)" for o in ORDS],
    "L.vector_norm(x * (x > 0), 1.5, 0)", "L.vector_norm(x * 0, 2, 1)", "L.vector_norm(x * 0, 3)",
    "L.vector_norm(x.float(), dtype=T.float64)", "L.vector_norm(T.stack([x[0], x[0]]), inf)",
    "T.norm(x, 1)", "x.norm(inf, 0)", "T.norm(x, dim=1)",
    *[f"L.matrix_norm(s, {o})" for o in ("'fro'", "1", "-1", "inf", "-inf", "2", "-2", "'nuc'")],
    "L.matrix_norm(T.stack([x, y]), 'nuc', dim=(0, 2), keepdim=True)",
    "L.matrix_norm(T.stack([x, y]), 2, dim=(2, 1))", "L.svdvals(x)", "L.svdvals(x.t() @ s)",
    "L.svd(s).U.abs()", "L.svd(x).Vh[:2].abs()", "L.svd(x, full_matrices=False).Vh.abs()",
    "L.svd(x.t()).U[:, :2].abs() + L.svd(x.t()).S.sum()", "(lambda r: r.U @ r.Vh)(L.svd(s))",
    "L.norm(x, -1, dim=(1, 0), keepdim=True)", "L.norm(x, inf)",
    "L.vecdot(x, y)", "L.vecdot(x, y[0], dim=1)", "L.multi_dot([x, s, s, y.t()])",
    "L.multi_dot([x[0], s, y[1]])", "L.cross(x, y)", "L.cross(x, y[1])", "T.cross(s, s.t(), dim=0)",
    "L.diagonal(s, offset=1)", "T.diagonal(x, -1)", "s.diagonal() * 2",
    "L.inv(s)", "T.inverse(s) @ s", "L.det(s)", "L.det(T.stack([s, s * 2]))",
    "L.slogdet(s)[1]", "L.slogdet(s)[0] * L.slogdet(s)[1]", "L.slogdet(s)[0] + 1",
    "L.solve(s, y.t())", "L.solve(s, y[0])", "L.solve(s, x, left=False)",
    "L.solve(s, y[1], left=False)", "L.solve(T.stack([s, s.t()]), y.t())",
    "L.solve(s, T.stack([y.t(), x.t()]))", "L.solve(s.detach(), y.t())",
    "L.solve(s, y.t().detach())",
    "L.det(s - s.detach() + T.tensor([[1., 2., 0.], [2., 4., 0.], [0., 0., 1.]]))",
]


def _grads(lib, code):
    g = np.random.default_rng(3)
    x = lib.tensor(g.standard_normal((2, 3)), requires_grad=True)
    y = lib.tensor(g.standard_normal((2, 3)), requires_grad=True)
    s = lib.tensor(g.standard_normal((3, 3)) + 3 * np.eye(3), requires_grad=True)
    try:
        out = eval(code, {"T": lib, "L": lib.linalg, "x": x, "y": y, "s": s, "inf": math.inf})
        (out * lib.arange(out.numel(), dtype=out.dtype).reshape(out.shape)).sum().backward()
    except Exception as e:  # noqa: BLE001
        return ("exc", type(e).__name__, str(e).split("\n")[0])
    return [None if t.grad is None else np.asarray(t.grad.tolist()) for t in (x, y, s)] + \
        [out.grad_fn.name()]


@pytest.mark.parametrize("code", GRADS)
def test_gradients_like_torch(code):
    theirs, ours = _grads(torch, code), _grads(cl, code)
    assert _eq(ours, theirs), f"{code}\n torch: {theirs}\n ours:  {ours}"


@pytest.mark.parametrize("code", [
    "L.vector_norm(x, 3, 1)", "L.vector_norm(x, 0.5)", "L.vector_norm(x, -1, 0)",
    "L.vector_norm(x, inf, 1)", "T.norm(x, 1.5, 0, True)", "L.matrix_norm(s, 1)",
    "L.matrix_norm(s, -inf)", "L.norm(s)", "L.matrix_norm(s, 2)", "L.matrix_norm(x, -2)",
    "L.matrix_norm(x, 'nuc')", "L.svdvals(x.t())", "L.svd(s).U.abs()",
    "L.svd(x, full_matrices=False).Vh.abs()", "L.svd(x.t()).U[:, :2].abs()", "L.vecdot(x, y)",
    "L.multi_dot([x, s, y.t()])", "L.cross(x, y)", "L.diagonal(s, offset=-1)", "L.inv(s)", "L.det(s)", "L.slogdet(s)[1]",
    "L.solve(s, y.t())", "L.solve(s, y, left=False)", "L.solve(T.stack([s, s.t()]), y[0])"])
def test_gradcheck_and_gradgradcheck_float64(code):
    g = np.random.default_rng(5)
    x = cl.tensor(g.uniform(0.3, 2.0, (2, 3)), requires_grad=True)
    y = cl.tensor(g.uniform(-2.0, 2.0, (2, 3)), requires_grad=True)
    s = cl.tensor(g.standard_normal((3, 3)) + 3 * np.eye(3), requires_grad=True)

    def f(a, b, c):
        return eval(code, {"T": cl, "L": cl.linalg, "x": a, "y": b, "s": c, "inf": math.inf})
    assert gradcheck(f, (x, y, s)) and gradgradcheck(f, (x, y, s))


def test_linalg_error_is_torchs():
    assert issubclass(cl.linalg.LinAlgError, RuntimeError)
    assert cl.linalg.LinAlgError.__name__ == torch.linalg.LinAlgError.__name__
    with pytest.raises(cl.linalg.LinAlgError, match="The diagonal element 2 is zero"):
        cl.linalg.inv(cl.tensor([[1., 2.], [2., 4.]]))
    with pytest.raises(RuntimeError, match="The solver failed"):
        cl.linalg.solve(cl.zeros(2, 2), cl.ones(2))


def test_reprs_like_torch():
    for code in ("L.slogdet(T.tensor([[2., 1.], [1., 3.]]))", "T.slogdet(T.eye(2) * 2)",
                 "L.inv(T.tensor([[2., 0.], [0., 4.]], requires_grad=True))",
                 "L.vector_norm(T.tensor([3., 4.], requires_grad=True))"):
        env = {"T": torch, "L": torch.linalg}
        theirs = repr(eval(code, env)).replace("torch.", "")
        env = {"T": cl, "L": cl.linalg}
        assert repr(eval(code, env)).replace("course_lib.", "") == theirs


def test_diagonal_is_a_view():
    for lib in (cl, torch):
        x = lib.zeros(3, 3)
        d = x.diagonal()
        d += 1
        x.diagonal(1).fill_(5)
        assert x.tolist() == [[1, 5, 0], [0, 1, 5], [0, 0, 1]]


def test_torch_cross_without_dim_warns():
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        cl.cross(cl.ones(3), cl.ones(3))


@pytest.mark.parametrize("code", [
    "L.vector_norm(x, 3, 1)", "L.vector_norm(x, inf)", "T.norm(x)", "L.matrix_norm(s, 1)",
    "L.vecdot(x, y)", "L.multi_dot([x, s, y.t()])", "L.cross(x, y)", "L.diagonal(s, offset=1)",
    "L.inv(s)", "L.det(s)", "L.slogdet(s)[1]", "L.solve(s, y.t())", "L.solve(s, y[0])",
    "L.svdvals(x)", "L.matrix_norm(s, 'nuc')", "L.svd(s).U.abs()"])
def test_simulated_cuda_keeps_device_and_values(simulated, code):
    g = np.random.default_rng(1)
    xs, ys, ss = g.standard_normal((2, 3)), g.standard_normal((2, 3)), g.standard_normal((3, 3))
    outs = []
    for dev in ("cpu", "cuda"):
        x, y, s = (cl.tensor(a, device=dev, requires_grad=True) for a in (xs, ys, ss))
        out = eval(code, {"T": cl, "L": cl.linalg, "x": x, "y": y, "s": s, "inf": math.inf})
        assert out.device.type == dev
        out.sum().backward()
        grads = [t.grad for t in (x, y, s) if t.grad is not None]
        assert grads and all(t.device.type == dev for t in grads)
        outs.append([out.cpu().tolist()] + [t.cpu().tolist() for t in grads])
    np.testing.assert_allclose(np.concatenate([np.ravel(v) for v in outs[0]]),
                               np.concatenate([np.ravel(v) for v in outs[1]]))


def test_singular_on_simulated_cuda(simulated):
    with pytest.raises(cl.linalg.LinAlgError, match="The diagonal element 2 is zero"):
        cl.linalg.inv(cl.tensor([[1., 2.], [2., 4.]], device="cuda"))
