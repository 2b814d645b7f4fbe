"""AdaptiveMaxPool1d/2d, InstanceNorm1d/2d/3d, LocalResponseNorm, Bilinear, RReLU, gumbel_softmax
and the random fills exponential_ / geometric_ / cauchy_ / log_normal_ against torch 2.13:
values, gradients, grad_fn, reprs, state_dict keys, errors; random ones by their statistics."""
import warnings

import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")

R = np.random.default_rng(0)
X4, X3 = R.standard_normal((2, 3, 7, 6)), R.standard_normal((2, 3, 9))


def _run(T, expr, leaves=("x",)):
    env = {"T": T, "F": T.nn.functional, "nn": T.nn,
           "x": T.tensor(X4, requires_grad=True), "v": T.tensor(X3, requires_grad=True),
           "w": T.tensor(np.linspace(-1, 1, 120).reshape(4, 6, 5), requires_grad=True),
           "b": T.tensor(np.linspace(0, 1, 4), requires_grad=True),
           "g": T.tensor(np.linspace(0.5, 1.5, 3), requires_grad=True)}
    out = eval(expr, env)
    if isinstance(out, tuple):
        out, extra = out[0], out[1].numpy()
    else:
        extra = None
    out.backward(T.tensor(np.cos(np.arange(out.numel())).reshape(tuple(out.shape))))
    grads = [None if env[n].grad is None else env[n].grad.numpy() for n in ("x", "v", "w", "b", "g")]
    return out.detach().numpy(), extra, grads, type(out.grad_fn).__name__


CASES = [
    "F.adaptive_max_pool2d(x, (2, 3))", "F.adaptive_max_pool2d(x, 4)",
    "F.adaptive_max_pool2d(x, (None, 4))", "F.adaptive_max_pool2d(x[0], (5, 5))",
    "F.adaptive_max_pool2d(x, (3, 2), return_indices=True)", "F.adaptive_max_pool1d(v, 4)",
    "F.adaptive_max_pool1d(v[0], 2, True)", "nn.AdaptiveMaxPool2d((2, None))(x)",
    "F.instance_norm(x)", "F.instance_norm(x, weight=g, bias=g * 0.1)",
    "F.instance_norm(v, T.zeros(3, dtype=T.float64), T.ones(3, dtype=T.float64))",
    "nn.InstanceNorm2d(3, affine=True).double()(x)", "nn.InstanceNorm1d(3).double()(v)",
    "nn.InstanceNorm2d(3).double()(x[0])",
    "F.local_response_norm(x, 2)", "F.local_response_norm(v, 3, alpha=0.1, beta=0.5, k=2.0)",
    "nn.LocalResponseNorm(4)(x)", "F.bilinear(x[0, 0], x[0, 1, :, :5], w, b)",
    "F.bilinear(x[:, 0], x[:, 1, :, :5], w)", "F.rrelu(x)", "F.rrelu(x, 0.2, 0.4)",
    "nn.RReLU(0.1, 0.3).eval()(v)",
]


@pytest.mark.parametrize("expr", CASES)
def test_like_torch(expr):
    (o1, e1, g1, n1), (o2, e2, g2, n2) = _run(cl, expr), _run(torch, expr)
    assert n1 == n2 and o1.shape == o2.shape
    np.testing.assert_allclose(o1, o2, rtol=1e-10, atol=1e-12)
    if e2 is not None:
        np.testing.assert_array_equal(e1, e2)
    for a, b in zip(g1, g2):
        if b is None:
            assert a is None
        else:
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-11)


def test_instance_norm_running_stats_like_torch():
    got = []
    for T in (cl, torch):
        m = T.nn.InstanceNorm2d(3, momentum=0.2, track_running_stats=True).double()
        m(T.tensor(X4))
        m(T.tensor(X4 * 2 + 1))
        m.eval()
        y = m(T.tensor(X4))
        got.append((m.running_mean.numpy(), m.running_var.numpy(), y.numpy(),
                    sorted(m.state_dict())))
    for a, b in zip(got[0][:3], got[1][:3]):
        np.testing.assert_allclose(a, b, rtol=1e-10)
    assert got[0][3] == got[1][3]


def test_rrelu_training_slopes_are_random_in_range_and_the_gradient_is_the_slope():
    cl.manual_seed(0)
    x = cl.tensor(-np.ones(20000), requires_grad=True)
    y = cl.nn.functional.rrelu(x, 0.1, 0.3, training=True)
    slopes = (-y).detach().numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and abs(slopes.mean() - 0.2) < 0.005
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), slopes)
    assert type(y.grad_fn).__name__ == "RreluWithNoiseBackward0"


def test_gumbel_softmax_samples_the_categorical_distribution():
    cl.manual_seed(0)
    logits = cl.tensor(np.log([0.1, 0.6, 0.3]), requires_grad=True)
    hard = cl.nn.functional.gumbel_softmax(logits.expand(20000, 3), tau=0.5, hard=True)
    freq = hard.detach().sum(0).numpy() / 20000
    np.testing.assert_allclose(freq, [0.1, 0.6, 0.3], atol=0.015)
    assert set(np.unique(hard.detach().numpy())) == {0.0, 1.0}
    hard[:, 1].sum().backward()  # straight-through: the soft sample's gradient
    assert logits.grad is not None and np.abs(logits.grad.numpy()).sum() > 0
    soft = cl.nn.functional.gumbel_softmax(logits, tau=2.0)
    assert type(soft.grad_fn).__name__ == "SoftmaxBackward0"
    np.testing.assert_allclose(soft.sum().item(), 1.0)


@pytest.mark.parametrize("fill,check", [
    ("exponential_(2.0)", lambda a: abs(a.mean() - 0.5) < 0.01 and a.min() >= 0),
    ("geometric_(0.25)", lambda a: abs(a.mean() - 4.0) < 0.08 and a.min() >= 1),
    ("cauchy_(1.0, 0.5)", lambda a: abs(np.median(a) - 1.0) < 0.02),
    ("log_normal_(0.5, 0.25)", lambda a: abs(np.log(a).mean() - 0.5) < 0.01),
])
def test_random_fills_have_their_distribution(fill, check):
    cl.manual_seed(0)
    t = cl.empty(50_000, dtype=cl.float64)
    assert eval(f"t.{fill}") is t and check(t.numpy())


@pytest.mark.parametrize("expr", [
    "nn.InstanceNorm2d(3)", "nn.InstanceNorm1d(3, affine=True, track_running_stats=True)",
    "sorted(nn.InstanceNorm2d(3, affine=True).state_dict())", "nn.AdaptiveMaxPool2d((2, None))",
    "nn.AdaptiveMaxPool1d(3, True)", "nn.LocalResponseNorm(2)", "nn.Bilinear(6, 6, 4)",
    "nn.RReLU()", "nn.RReLU(0.1, 0.2, True)", "nn.Bilinear(0, 2, 2)",
    "nn.InstanceNorm2d(3)(T.ones(2, 3, 4))", "nn.InstanceNorm2d(4, affine=True)(T.ones(2, 3, 4, 4))",
    "nn.InstanceNorm2d(4)(T.randn(2, 3, 4, 4)).shape", "F.instance_norm(T.ones(2, 3, 1, 1))",
    "F.adaptive_max_pool2d(T.ones(5, 6), 2)", "F.adaptive_max_pool2d(T.ones(1, 2, 0, 6), 2)",
    "F.adaptive_max_pool2d(T.ones(1, 2, 5, 6), (2, 3, 4))",
    "F.adaptive_max_pool2d(T.ones(1, 2, 5, 6), 0).shape", "F.adaptive_max_pool1d(T.ones(5), 2)",
    "F.adaptive_max_pool1d(T.ones(2, 3, 5), (2, 3))",
    "F.adaptive_max_pool2d(T.ones(1, 2, 5, 6, dtype=T.long), 2)",
    "F.local_response_norm(T.ones(3, 4), 2)", "F.bilinear(T.ones(2, 3), T.ones(3, 4), T.ones(5, 3, 4))",
    "F.bilinear(T.ones(2, 3), T.ones(2, 4), T.ones(5, 3, 5))",
    "T.ones(3).exponential_(0)", "T.ones(3).geometric_(1.5)", "T.ones(3).log_normal_(1, 0)",
    "T.ones(3).cauchy_(0, 0)", "T.ones(2, dtype=T.long).exponential_()",
])
def test_modules_and_errors_like_torch(expr):
    got = []
    for T in (cl, torch):
        env = {"T": T, "nn": T.nn, "F": T.nn.functional}
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                out = repr(eval(expr, env)).replace("torch", "T").replace("course_lib", "T")
            except Exception as e:  # noqa: BLE001 - the error is what we compare
                out = f"{type(e).__name__}: {e}".replace("torch", "T").replace("course_lib", "T")
        got.append((out, [str(m.message) for m in w]))
    assert got[0] == got[1]
