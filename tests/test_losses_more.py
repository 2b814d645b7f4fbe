"""smooth_l1_loss / SmoothL1Loss and huber_loss / HuberLoss against torch: values, gradients,
grad_fn graphs, reductions, broadcasting (with torch's warning), dtypes, empty tensors, argument
errors, module reprs, gradgradcheck and the simulated CUDA device."""
import warnings

import numpy as np
import pytest

import course_lib
from course_lib import _backend
from course_lib.autograd import gradgradcheck

torch = pytest.importorskip("torch")

X = [[0.3, -2.0, 1.5, 0.7], [0.0, 4.0, -0.2, -0.9], [1.0, -1.0, 0.05, 2.5]]
Y = [[0.1, 0.5, -1.0, 0.0], [0.0, 3.2, 0.4, -1.6], [1.0, 0.0, 0.05, 2.0]]
YB = [0.1, 0.5, -1.0, 0.7]


def _run(T, expr, dtype="float64", x=X, y=Y):
    dt = getattr(T, dtype)
    xs = T.tensor(x, dtype=dt, requires_grad=True)
    ys = T.tensor(y, dtype=dt, requires_grad=True)
    env = {"F": T.nn.functional, "nn": T.nn, "x": xs, "y": ys, "T": T}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = eval(expr, env)
    go = T.tensor(np.linspace(0.5, 1.5, max(out.numel(), 1)).reshape(tuple(out.shape)).tolist(),
                  dtype=out.dtype)
    grads = T.autograd.grad(out, (xs, ys), go, allow_unused=True)
    return out, grads, [(w.category, str(w.message).replace("torch.", "course_lib."))
                        for w in caught]


def _graph(fn):
    if fn is None:
        return None
    return (fn.name().replace("torch::autograd::", ""),
            tuple(_graph(n) for n, _ in fn.next_functions))


CASES = [
    "F.smooth_l1_loss(x, y)",
    "F.smooth_l1_loss(x, y, beta=0.7, reduction='sum')",
    "F.smooth_l1_loss(x, y, beta=2, reduction='none')",
    "F.smooth_l1_loss(x, y, beta=0.0)",
    "F.smooth_l1_loss(x, y, beta=0.0, reduction='none')",
    "F.smooth_l1_loss(x, y, size_average=False)",
    "F.smooth_l1_loss(x, y, reduce=False, beta=0.5)",
    "F.huber_loss(x, y)",
    "F.huber_loss(x, y, delta=0.5, reduction='sum')",
    "F.huber_loss(x, y, delta=3, reduction='none')",
    "F.huber_loss(x, y, weight=x.detach().abs() + 1)",
    "F.huber_loss(x, y, reduction='none', weight=y.detach() * 2)",
    "F.huber_loss(x, y, reduction='sum', weight=y * 2)",
    "nn.SmoothL1Loss(beta=0.4)(x, y)",
    "nn.SmoothL1Loss(reduction='sum')(x, y)",
    "nn.HuberLoss(delta=0.3)(x, y)",
    "nn.HuberLoss(reduction='none', delta=2)(x, y)",
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("expr", CASES)
def test_values_gradients_graph_like_torch(expr, dtype):
    mine, theirs = _run(course_lib, expr, dtype), _run(torch, expr, dtype)
    assert str(mine[0].dtype).split(".")[-1] == str(theirs[0].dtype).split(".")[-1]
    assert tuple(mine[0].shape) == tuple(theirs[0].shape)
    tol = 1e-12 if dtype == "float64" else 1e-6
    np.testing.assert_allclose(mine[0].tolist(), theirs[0].tolist(), rtol=tol, atol=tol)
    for g, tg in zip(mine[1], theirs[1]):
        assert (g is None) == (tg is None)
        if g is not None:
            np.testing.assert_allclose(g.tolist(), tg.tolist(), rtol=tol, atol=tol)
    assert _graph(mine[0].grad_fn) == _graph(theirs[0].grad_fn)
    assert mine[2] == theirs[2]


@pytest.mark.parametrize("expr", [
    "F.smooth_l1_loss(x, y)", "F.smooth_l1_loss(x, y, reduction='none')",
    "F.huber_loss(x, y, delta=0.5)", "F.huber_loss(x, y, reduction='sum')",
])
def test_broadcast_target_warns_and_expands_like_torch(expr):
    mine, theirs = _run(course_lib, expr, y=YB), _run(torch, expr, y=YB)
    np.testing.assert_allclose(mine[0].tolist(), theirs[0].tolist(), rtol=1e-12)
    for g, tg in zip(mine[1], theirs[1]):
        np.testing.assert_allclose(g.tolist(), tg.tolist(), rtol=1e-12, atol=1e-15)
    assert _graph(mine[0].grad_fn) == _graph(theirs[0].grad_fn)
    assert mine[2] == theirs[2] and len(mine[2]) == 1


@pytest.mark.parametrize("expr", [
    "F.smooth_l1_loss(x, y, reduction=r)", "F.huber_loss(x, y, reduction=r)",
    "F.smooth_l1_loss(x, y, reduction=r, beta=0.0)", "F.l1_loss(x, y, reduction=r)",
    "F.mse_loss(x, y, reduction=r)",
])
@pytest.mark.parametrize("r", ["mean", "sum", "none"])
def test_empty_tensors_like_torch(expr, r):
    """Same values, shapes, dtypes and warnings (none: numpy's "Mean of empty slice" must not leak)."""
    outs = []
    for T in (course_lib, torch):
        x = T.zeros(0, 3, requires_grad=True)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            out = eval(expr, {"F": T.nn.functional, "x": x, "y": T.zeros(0, 3), "r": r})
        outs.append((out.tolist(), tuple(out.shape), str(out.dtype).split(".")[-1],
                     [(type(m.message).__name__, str(m.message)) for m in w]))
    np.testing.assert_equal(outs[0], outs[1])


@pytest.mark.parametrize("expr", [
    "x.mean()", "x.mean(0)", "x.mean(1)", "x.var()", "x.std()", "x.var(0)", "x.std(1)",
    "x.var(0, correction=0)", "x.mean(0, keepdim=True)",
])
def test_empty_reductions_warn_like_torch(expr):
    outs = []
    for T in (course_lib, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            out = eval(expr, {"x": T.zeros(0, 3, requires_grad=True)})
        outs.append((out.tolist(), tuple(out.shape),  # torch adds where in C++ it warned
                     [(type(m.message).__name__, str(m.message).split(" (Triggered internally")[0])
                      for m in w]))
    np.testing.assert_equal(outs[0], outs[1])


@pytest.mark.parametrize("expr", [
    "F.smooth_l1_loss(x, y.double())", "F.smooth_l1_loss(x, y.long())",
    "F.huber_loss(x, y.double())", "F.huber_loss(x.double(), y)",
    "F.huber_loss(x, y.double(), reduction='none')",
])
def test_mixed_dtypes_like_torch(expr):
    res = []
    for T in (course_lib, torch):
        x = T.tensor(X, requires_grad=True)
        y = T.tensor(Y)
        out = eval(expr, {"F": T.nn.functional, "x": x, "y": y})
        res.append([str(out.dtype).split(".")[-1]])
        if "huber" not in expr:  # torch's own HuberLossBackward0 fails on mixed dtypes
            (g,) = T.autograd.grad(out.sum(), x)
            res[-1].append(str(g.dtype).split(".")[-1])
        np.testing.assert_allclose(out.tolist(), eval(expr, {"F": torch.nn.functional,
                                                            "x": torch.tensor(X),
                                                            "y": torch.tensor(Y)}).tolist(),
                                   rtol=1e-6)
    assert res[0] == res[1]


@pytest.mark.parametrize("expr", [
    "F.smooth_l1_loss(x.long(), y.long())",
    "F.smooth_l1_loss(x.long(), y.long(), beta=0.0)",
    "F.smooth_l1_loss(x, y, beta=-1.0)",
    "F.smooth_l1_loss(x, y, reduction='foo')",
    "F.smooth_l1_loss(x, y[0, :3])",
    "F.smooth_l1_loss(x, 1.0)",
    "F.huber_loss(x, y, delta=0.0)",
    "F.huber_loss(x.long(), y.long())",
    "F.huber_loss(x, y, reduction='foo')",
    "F.huber_loss(x, y, reduction='foo', weight=y)",
    "F.huber_loss(x, y, weight=y[0])",
    "nn.HuberLoss(delta='a')",
    "nn.SmoothL1Loss(reduction='foo')(x, y)",
])
def test_errors_like_torch(expr):
    errors = []
    for T in (course_lib, torch):
        env = {"F": T.nn.functional, "nn": T.nn, "x": T.tensor(X), "y": T.tensor(Y)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(Exception) as e:
                eval(expr, env)
        errors.append((type(e.value), str(e.value).replace("torch", "course_lib")))
    assert errors[0] == errors[1]


def test_module_reprs_and_attributes_like_torch():
    for make in ("nn.SmoothL1Loss()", "nn.SmoothL1Loss(beta=0.5, reduction='sum')",
                 "nn.HuberLoss(delta=2)", "nn.HuberLoss(reduction='none')"):
        mine, theirs = (eval(make, {"nn": T.nn}) for T in (course_lib, torch))
        assert repr(mine) == repr(theirs)
        for a in ("reduction", "beta", "delta"):
            assert getattr(mine, a, None) == getattr(theirs, a, None)
    assert course_lib.nn.functional.smooth_l1_loss is not None and "huber_loss" in \
        course_lib.nn.functional.__all__


@pytest.mark.parametrize("expr", [
    "F.smooth_l1_loss(x, y, beta=0.7)", "F.smooth_l1_loss(x, y, reduction='none')",
    "F.huber_loss(x, y, delta=0.5, reduction='sum')", "F.huber_loss(x, y, reduction='none')",
])
def test_gradgradcheck(expr):
    g = np.random.default_rng(0)
    x = course_lib.tensor(g.standard_normal((3, 4)) * 2, dtype=course_lib.float64,
                          requires_grad=True)
    y = course_lib.tensor(g.standard_normal((3, 4)), dtype=course_lib.float64,
                          requires_grad=True)
    F = course_lib.nn.functional
    assert gradgradcheck(lambda a, b: eval(expr, {"F": F, "x": a, "y": b}), (x, y))


@pytest.mark.parametrize("name", ["smooth_l1_loss", "huber_loss"])
def test_simulated_cuda_device(simulated, name):
    F = course_lib.nn.functional
    x = course_lib.tensor(X, device="cuda", requires_grad=True)
    y = course_lib.tensor(Y, device="cuda")
    out = getattr(F, name)(x, y)
    assert out.device.type == "cuda"
    out.backward()
    assert x.grad.device.type == "cuda" and type(x.grad._data) is _backend.SimulatedCudaArray
    ref = getattr(torch.nn.functional, name)(torch.tensor(X, requires_grad=True),
                                             torch.tensor(Y))
    np.testing.assert_allclose(out.item(), ref.item(), rtol=1e-6)
    with pytest.raises(RuntimeError, match="same device"):
        getattr(F, name)(x, course_lib.tensor(Y))
