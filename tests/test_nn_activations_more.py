"""PReLU, Softmin, Hardshrink, Softshrink, Tanhshrink, Threshold, GLU, RMSNorm and the in-place
forms relu_/elu_/leaky_relu_/hardtanh_/selu_/celu_/threshold_ against torch: values, float64
gradients, graphs (grad_fn names along the way), errors, module reprs, gradcheck and
gradgradcheck, simulated CUDA. 更多激活函数与 RMSNorm 与 torch 一致。"""
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import course_lib as cl
from course_lib.autograd import gradcheck, gradgradcheck

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from like_torch import graph_names as _graph  # noqa: E402

torch = pytest.importorskip("torch")

X = np.array([[-40.0, -3.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 2.0],
              [9.9, -1.0, 1e-3, -1e-3, 0.1, 0.3, 1.5, -2.5, 3.0, 40.0]])


def _error(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return type(e).__name__, str(e).replace("torch.", "course_lib.")
    return None


# expression (torch syntax; x a float64 leaf, w the PReLU weight, n a weight for RMSNorm)
CALLS = [
    "F.prelu(x, w1)", "F.prelu(x.t(), wc)", "F.prelu(x3, w2)", "F.prelu(x[0], w1)",
    "F.prelu(x[0, 0], w1)", "F.prelu(x[0, 0], w1[0])",
    "F.softmin(x, 1)", "F.softmin(x, 0)", "F.softmin(x, -1, dtype=T.float32)",
    "F.hardshrink(x)", "F.hardshrink(x, 0.3)", "F.hardshrink(x, -1.0)",
    "F.softshrink(x)", "F.softshrink(x, 1.0)", "F.softshrink(x, 0.0)",
    "F.tanhshrink(x)",
    "F.threshold(x, 0.1, 20.0)", "F.threshold(x, -1.0, -2.0)",
    "F.glu(x)", "F.glu(x, 0)", "F.glu(x3, 1)",
    "F.rms_norm(x, (10,))", "F.rms_norm(x, [2, 10], n2)", "F.rms_norm(x3.transpose(1, 2), (4,), n, eps=0.1)",
    "F.rms_norm(x, (10,), n10.float())", "F.rms_norm(x.float(), (10,), n10)",
    "F.rms_norm(x3.transpose(1, 2).float(), (4,), n)",
    # in place, on a non-leaf copy (torch's Backward1 nodes where it has them)
    "F.relu_(x * 1)", "F.elu_(x * 1)", "F.elu_(x * 1, 0.5)", "F.selu_(x * 1)",
    "F.celu_(x * 1)", "F.celu_(x * 1, 2.0)", "F.leaky_relu_(x * 1)", "F.leaky_relu_(x * 1, 0.2)",
    "F.hardtanh_(x * 1)", "F.hardtanh_(x * 1, -0.5, 2.0)", "F.threshold_(x * 1, 0.1, 20.0)",
    "F.elu(x * 1, inplace=True)", "F.selu(x * 1, inplace=True)", "F.celu(x * 1, inplace=True)",
    "F.leaky_relu(x * 1, inplace=True)", "F.threshold(x * 1, 0.5, 2.0, inplace=True)",
    "F.relu6(x * 1, inplace=True)", "F.hardtanh(x * 1, inplace=True)",
    "F.silu(x * 1, inplace=True)", "F.mish(x * 1, inplace=True)",
]


def _env(T):
    g = np.random.default_rng(0)

    def t(a, grad=True):
        return T.tensor(np.asarray(a, dtype=np.float64), dtype=T.float64, requires_grad=grad)
    return {"T": T, "F": T.nn.functional, "x": t(X), "x3": t(X.ravel()[:16].reshape(2, 4, 2) * 0.5),
            "w1": t([0.25]), "wc": t([0.1, -0.3]), "w2": t(g.uniform(-1, 1, 4)),
            "n": t(g.uniform(0.5, 1.5, 4)), "n2": t(g.uniform(0.5, 1.5, (2, 10))),
            "n10": t(g.uniform(0.5, 1.5, 10))}


def _run(T, expr):
    env = _env(T)
    y = eval(expr, env)
    gen = np.random.default_rng(1)
    go = T.tensor(gen.standard_normal(tuple(y.shape)), dtype=y.dtype)
    leaves = [v for v in env.values() if isinstance(v, T.Tensor) and v.requires_grad]
    gs = T.autograd.grad(y, leaves, go, allow_unused=True)
    return (_graph(y), str(y.dtype).split(".")[-1], y.detach().numpy(),
            [None if g is None else g.numpy() for g in gs])


@pytest.mark.parametrize("expr", CALLS)
def test_like_torch(expr):
    ours, theirs = _run(cl, expr), _run(torch, expr)
    assert ours[:2] == theirs[:2]
    tol = dict(rtol=1e-12, atol=1e-14) if ours[1] == "float64" else dict(rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(ours[2], theirs[2], **tol)
    assert len(ours[3]) == len(theirs[3])
    for a, b in zip(ours[3], theirs[3]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, **tol)


GRADCHECK = [
    ("prelu", lambda F, x, w: F.prelu(x, w)),
    ("prelu_channels", lambda F, x, w: F.prelu(x.reshape(2, 3), w.repeat(3))),
    ("softmin", lambda F, x, w: F.softmin(x.reshape(2, 3), 1)),
    ("hardshrink", lambda F, x, w: F.hardshrink(x, 0.5)),
    ("softshrink", lambda F, x, w: F.softshrink(x, 0.5)),
    ("tanhshrink", lambda F, x, w: F.tanhshrink(x)),
    ("threshold", lambda F, x, w: F.threshold(x, 0.5, -3.0)),
    ("glu", lambda F, x, w: F.glu(x.reshape(3, 2), 1) * w),
    ("rms_norm", lambda F, x, w: F.rms_norm(x.reshape(2, 3), (3,), w.repeat(3))),
    ("elu_", lambda F, x, w: F.elu_(x * 1) * x),
    ("selu_", lambda F, x, w: F.selu_(x * 1) * x),
    ("celu_", lambda F, x, w: F.celu_(x * 1, 1.5) * x),
    ("leaky_relu_", lambda F, x, w: F.leaky_relu_(x * 1, 0.3) * x),
    ("hardtanh_", lambda F, x, w: F.hardtanh_(x * 1, -2.0, 2.0) * x),
    ("threshold_", lambda F, x, w: F.threshold_(x * 1, 0.5, 2.0) * x),
    ("relu_", lambda F, x, w: F.relu_(x * 1) * x),
]


@pytest.mark.parametrize("name,fn", GRADCHECK, ids=[n for n, _ in GRADCHECK])
def test_gradcheck_and_gradgradcheck(name, fn):
    pts = np.array([-2.7, -1.3, -0.4, 0.3, 0.9, 2.2])  # away from kinks
    x = cl.tensor(pts, requires_grad=True)
    w = cl.tensor([0.3], dtype=cl.float64, requires_grad=True)
    F = cl.nn.functional
    assert gradcheck(lambda a, b: fn(F, a, b), (x, w))
    assert gradgradcheck(lambda a, b: fn(F, a, b), (x, w))


# ------------------------------------------------------------------ in place


def _inplace_story(T, expr):
    """In-place form on a leaf (torch's error), on a view of a non-leaf (the base's graph:
    CopySlices) and a later in-place change of what it saved (the version error)."""
    F = T.nn.functional
    leaf = T.tensor(X, requires_grad=True)
    r = [_error(lambda: eval(expr, {"F": F, "v": leaf}))]
    base = leaf * 1
    v = base[0]
    out = eval(expr, {"F": F, "v": v})
    r += [out is v, type(base.grad_fn).__name__, _graph(v)[0]]
    base.sum().backward()
    r.append(leaf.grad.numpy().tolist())
    y = eval(expr, {"F": F, "v": leaf * 1})
    z = y * 2
    y.add_(1)
    r.append(_error(lambda: z.sum().backward()))
    return r


INPLACE = ["F.relu_(v)", "F.elu_(v)", "F.selu_(v)", "F.celu_(v, 0.7)", "F.leaky_relu_(v, 0.1)",
           "F.hardtanh_(v)", "F.threshold_(v, 0.2, 0.1)", "F.silu(v, inplace=True)",
           "F.hardsigmoid(v, inplace=True)"]


@pytest.mark.parametrize("expr", INPLACE)
def test_inplace_rules_like_torch(expr):
    ours, theirs = _inplace_story(cl, expr), _inplace_story(torch, expr)
    assert ours[:4] == theirs[:4]
    np.testing.assert_allclose(ours[4], theirs[4], rtol=1e-6)
    assert (ours[5] is None) == (theirs[5] is None)


def test_inplace_negative_slope_errors_at_backward_like_torch():
    for expr in ("F.elu_(x * 1, -0.5)", "F.celu_(x * 1, -1.0)", "F.leaky_relu_(x * 1, -0.1)",
                 "F.leaky_relu(x * 1, -0.1, inplace=True)"):
        got = []
        for T in (cl, torch):
            x = T.tensor(X, requires_grad=True)
            y = eval(expr, {"F": T.nn.functional, "x": x})  # the forward is fine
            got.append((y.detach().numpy(), _error(lambda: y.sum().backward())))
        np.testing.assert_allclose(got[0][0], got[1][0], rtol=1e-12)
        assert got[0][1] == got[1][1] and got[0][1][0] == "RuntimeError", expr
    for T in (cl, torch):  # no graph: nothing to refuse
        x = T.tensor(X)
        T.nn.functional.elu_(x, -0.5)


def test_inplace_without_grad_writes_into_the_tensor():
    for expr in INPLACE:
        got = []
        for T in (cl, torch):
            x = T.tensor(X)
            v = x.numpy() if T is cl else None
            out = eval(expr, {"F": T.nn.functional, "v": x})
            got.append((out is x, x.numpy().copy(), x._version))
            if v is not None:
                assert np.shares_memory(v, x.numpy())
        assert got[0][0] and got[1][0] and got[0][2] == got[1][2], expr
        np.testing.assert_allclose(got[0][1], got[1][1], rtol=1e-6)


# ------------------------------------------------------------------ dtypes and errors

ERRORS = [
    "F.prelu([1.0], w1)", "F.prelu(x, [0.5])", "F.prelu(x, w1.float())",
    "F.prelu(x, T.ones(3, dtype=T.float64))", "F.prelu(x[0, 0], T.ones(2, dtype=T.float64))",
    "F.prelu(x, T.ones(1, 2, dtype=T.float64))", "F.prelu(li, T.ones(1, dtype=T.int64))",
    "F.hardshrink(li)", "F.softshrink(li, -1.0)", "F.softshrink(x, -1.0)",
    "F.softshrink(x.float(), -1.5)", "F.softshrink(x, float('inf'))", "F.threshold([1.0], 0, 1)",
    "F.threshold(li.bool(), 0, 1)", "F.glu(x[0, 0])", "F.glu(x[0, :3])", "F.glu(x, 2)",
    "F.glu(li.reshape(1, 4))", "F.glu([1.0])",
    "F.softmin(li, 0)", "F.hardtanh(li.bool())",
    "F.relu_([1.0])", "F.elu_([1.0])", "F.selu_([1.0])", "F.celu_([1.0])", "F.hardtanh_([1.0])",
    "F.leaky_relu_([1.0])", "F.threshold_([1.0], 0, 1)", "F.elu_(li)", "F.selu_(li)",
    "F.celu_(li)", "F.leaky_relu_(li)", "F.elu(li)", "F.selu(li)",
    "F.rms_norm([1.0], (1,))", "F.rms_norm(x, (10,), [1.0])", "F.rms_norm(x, 10)",
    "F.rms_norm(x, (10,), eps='a')", "F.rms_norm(x, ())", "F.rms_norm(x, (), n)",
    "F.rms_norm(x, (4,), n10)", "F.rms_norm(x, (3, 2, 10))", "F.rms_norm(x, (3, 2, 10), n)",
    "F.rms_norm(x, (4,))", "F.rms_norm(li.reshape(2, 2), (2,))",
    "F.rms_norm(li.reshape(2, 2), (3,))",
]


@pytest.mark.parametrize("expr", ERRORS)
def test_errors_like_torch(expr):
    got = []
    for T in (cl, torch):
        env = _env(T)
        env["li"] = T.tensor([-2, 1, 3, 0])
        got.append(_error(lambda: eval(expr, env)))
    assert got[0] == got[1] and got[0] is not None


INTEGER = ["F.threshold(li, 1, 7.9)", "F.threshold_(li.clone(), 0, -5)", "F.hardtanh(li)",
           "F.hardtanh_(li.clone(), -1, 2)", "F.relu6(li)", "F.relu_(li.clone())",
           "F.tanhshrink(li)", "F.softmin(li.double(), 0)", "F.hardtanh_(x * 1, 2.0, 1.0)",
           "F.softmin(x.half(), 1)", "F.glu(x.half())", "F.hardshrink(x.half(), 0.3)",
           "F.softshrink(x.half(), 2.0)", "F.threshold(x.half(), 0.3, 7.0)",
           "F.prelu(x.half(), w1.half())", "F.rms_norm(x.half(), (10,))",
           "F.rms_norm(x.half(), (10,), n10.half())", "F.rms_norm(x.float(), (10,))",
           "F.rms_norm(T.full((1, 4), 1e-9), (4,))", "F.rms_norm(x, (10,), eps=2)",
           "F.rms_norm(T.zeros(0, 5), (5,))", "F.rms_norm(T.ones(3, 0), (0,))"]


@pytest.mark.parametrize("expr", INTEGER)
def test_other_dtypes_and_edges_like_torch(expr):
    got = []
    for T in (cl, torch):
        env = _env(T)
        env["li"] = T.tensor([-2, 1, 3, 0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = eval(expr, env)
        got.append((str(y.dtype).split(".")[-1], tuple(y.shape), _graph(y),
                    y.detach().double().numpy()))
    assert got[0][:3] == got[1][:3]
    rtol = 1e-12 if got[0][0] == "float64" else 2e-3
    np.testing.assert_allclose(got[0][3], got[1][3], rtol=rtol, atol=1e-12)


def test_softmin_implicit_dim_warns_like_torch():
    for T in (cl, torch):
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmin") as w:
            T.nn.functional.softmin(T.ones(2, 3))
        assert w[0].filename == __file__
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
            T.nn.Softmin()(T.ones(2, 3))


# ------------------------------------------------------------------ modules

MODULES = ["PReLU()", "PReLU(3, 0.1)", "PReLU(2, dtype=T.float64)", "Softmin(1)", "Softmin()",
           "Hardshrink()", "Hardshrink(0.3)", "Softshrink(1)", "Tanhshrink()",
           "Threshold(0.1, 20)", "Threshold(0.1, 20.0, True)", "GLU()", "GLU(0)",
           "RMSNorm(4)", "RMSNorm([2, 4], eps=1e-3)", "RMSNorm((4,), elementwise_affine=False)",
           "RMSNorm(4, dtype=T.float64)"]


@pytest.mark.parametrize("expr", MODULES)
def test_modules_like_torch(expr):
    got = []
    for T in (cl, torch):
        m = eval("T.nn." + expr, {"T": T})
        inp = T.tensor(np.linspace(-2, 2, 16).reshape(2, 2, 4), dtype=T.float32)
        if isinstance(m, T.nn.PReLU) and m.num_parameters == 3:
            inp = T.tensor(np.linspace(-2, 2, 18).reshape(2, 3, 3), dtype=T.float32)
        dt = next(iter(m.parameters()), inp).dtype
        if "Threshold" in expr and "True" in expr:
            inp = inp * 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = m(inp.to(dt))
        got.append((repr(m), [(n, tuple(p.shape), p.requires_grad) for n, p in
                              m.named_parameters()], list(m.state_dict()),
                    y.detach().double().numpy()))
    assert got[0][:3] == got[1][:3]
    np.testing.assert_allclose(got[0][3], got[1][3], rtol=1e-6, atol=1e-7)


def test_prelu_module_learns_its_weight():
    got = []
    for T in (cl, torch):
        m = T.nn.PReLU(2)
        x = T.tensor(np.linspace(-2, 2, 12).reshape(3, 2, 2), dtype=T.float32)
        m(x).sum().backward()
        got.append(m.weight.grad.numpy())
    np.testing.assert_allclose(got[0], got[1], rtol=1e-6)


# ------------------------------------------------------------------ simulated CUDA


SIMULATED = ["F.prelu(x, w1)", "F.softmin(x, 1)", "F.hardshrink(x)", "F.softshrink(x)",
             "F.tanhshrink(x)", "F.threshold(x, 0.1, 20.0)", "F.glu(x)",
             "F.rms_norm(x, (10,), n10)", "F.elu_(x * 1)", "F.leaky_relu_(x * 1)",
             "F.threshold_(x * 1, 0.1, 2.0)", "F.hardtanh_(x * 1)"]


@pytest.mark.parametrize("expr", SIMULATED)
def test_simulated_cuda(simulated, expr):
    env = {k: (v.detach().to("cuda").requires_grad_() if isinstance(v, cl.Tensor) else v)
           for k, v in _env(cl).items()}
    y = eval(expr, env)
    assert y.device.type == "cuda"
    y.sum().backward()
    for k in ("x", "w1", "n10"):
        if k in expr:
            assert env[k].grad.device.type == "cuda"
    ref = _run(cl, expr)
    np.testing.assert_allclose(y.detach().cpu().numpy(), ref[2], rtol=1e-12)
    assert _graph(y) == ref[0]
