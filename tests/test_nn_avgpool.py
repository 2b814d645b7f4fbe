"""AvgPool2d / AdaptiveAvgPool2d and their functional forms like torch: values, float64
gradients, grad_fn names, reprs, errors (padding, ceil_mode, count_include_pad,
divisor_override, unbatched input, overlapping windows). 平均池化与 torch 一致。"""
import numpy as np
import pytest

import course_lib as cl

AVG = [((2, 3, 7, 6), dict(kernel_size=2)), ((2, 3, 7, 6), dict(kernel_size=3, stride=2)),
       ((1, 2, 7, 7), dict(kernel_size=3, stride=2, padding=1)),
       ((1, 2, 7, 7), dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
       ((1, 2, 8, 7), dict(kernel_size=3, stride=2, ceil_mode=True)),
       ((1, 2, 8, 7), dict(kernel_size=(3, 2), stride=(2, 3), padding=(1, 1), ceil_mode=True,
                           count_include_pad=False)),
       ((2, 7, 6), dict(kernel_size=2, stride=1)),
       ((1, 1, 5, 5), dict(kernel_size=2, stride=1, divisor_override=3)),
       ((1, 1, 4, 4), dict(kernel_size=5)), ((1, 1, 4, 4), dict(kernel_size=2, padding=2)),
       ((1, 1, 4, 4), dict(kernel_size=(1, 2, 3))), ((1, 1, 4, 4), dict(kernel_size=2,
                                                                         stride=(1, 2, 3))),
       ((1, 1, 4, 4), dict(kernel_size=2, padding=(1, 1, 1))),
       ((1, 1, 4, 4), dict(kernel_size=2.5))]
ADAPTIVE = [((2, 3, 7, 6), (3, 2)), ((2, 3, 7, 6), 1), ((3, 7, 6), (4, 4)),
            ((1, 2, 5, 9), (5, None)), ((1, 2, 10, 10), (3, 7)), ((1, 1, 3, 3), (5, 5))]


def _run(T, fn, shape, kw, dtype="float64"):
    a = np.random.default_rng(len(shape) + sum(shape)).standard_normal(shape)
    x = T.tensor(a, dtype=getattr(T, dtype), requires_grad=True)
    try:
        y = fn(T)(x, **kw) if isinstance(kw, dict) else fn(T)(x, kw)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    w = T.tensor(np.cos(np.arange(y.numel()) * 0.7).reshape(tuple(y.shape)),
                 dtype=getattr(T, dtype))
    (y * w).sum().backward()
    return tuple(y.shape), type(y.grad_fn).__name__, y.detach().numpy(), x.grad.numpy()


def _check(ours, theirs, tol):
    assert type(ours[0]) is type(theirs[0]), (ours, theirs)
    if isinstance(ours[0], str):
        assert ours == theirs
        return
    assert ours[:2] == theirs[:2]
    np.testing.assert_allclose(ours[2], theirs[2], **tol)
    np.testing.assert_allclose(ours[3], theirs[3], **tol)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("shape,kw", AVG, ids=[f"{s}-{k}" for s, k in AVG])
def test_avg_pool2d_like_torch(shape, kw, dtype):
    torch = pytest.importorskip("torch")
    fn = (lambda T: T.nn.functional.avg_pool2d)
    tol = dict(rtol=1e-12, atol=1e-13) if dtype == "float64" else dict(rtol=1e-5, atol=1e-6)
    _check(_run(cl, fn, shape, kw, dtype), _run(torch, fn, shape, kw, dtype), tol)


@pytest.mark.parametrize("shape,size", ADAPTIVE, ids=[f"{s}-{o}" for s, o in ADAPTIVE])
def test_adaptive_avg_pool2d_like_torch(shape, size):
    torch = pytest.importorskip("torch")
    fn = (lambda T: T.nn.functional.adaptive_avg_pool2d)
    _check(_run(cl, fn, shape, size), _run(torch, fn, shape, size),
           dict(rtol=1e-12, atol=1e-13))


def test_modules_like_torch():
    torch = pytest.importorskip("torch")
    for args in [("AvgPool2d", (2,)), ("AvgPool2d", (3, 2, 1, True, False)),
                 ("AdaptiveAvgPool2d", ((3, None),)), ("AdaptiveAvgPool2d", (1,))]:
        ours, theirs = (getattr(T.nn, args[0])(*args[1]) for T in (cl, torch))
        assert repr(ours) == repr(theirs)
        a = np.random.default_rng(0).standard_normal((1, 2, 6, 6))
        np.testing.assert_allclose(ours(cl.tensor(a)).numpy(), theirs(torch.tensor(a)).numpy(),
                                   rtol=1e-12)


def test_gradcheck():
    x = cl.tensor(np.random.default_rng(1).standard_normal((1, 2, 6, 5)), requires_grad=True)
    F = cl.nn.functional
    assert cl.autograd.gradcheck(lambda t: F.avg_pool2d(t, 3, 2, 1, True, False), (x,))
    assert cl.autograd.gradcheck(lambda t: F.adaptive_avg_pool2d(t, (4, 3)), (x,))
