"""erf, erfinv, atan2/arctan2, hypot, roll, trace, nan_to_num like torch: values, float64
gradients (with broadcasting), grad_fn names, dtypes, errors; gradcheck. 特殊函数与 torch 一致。"""
import numpy as np
import pytest

import course_lib as cl

G = np.random.default_rng(21)
A = G.standard_normal((3, 4))
B = G.standard_normal((4,))
U = np.clip(G.standard_normal((3, 4)) * 0.4, -0.95, 0.95)
CASES = [("erf", lambda T, a: T.erf(a), A), ("erf-method", lambda T, a: a.erf(), A),
         ("erfinv", lambda T, a: T.erfinv(a), U),
         ("atan2", lambda T, a: T.atan2(a, T.tensor(B, requires_grad=False)), A),
         ("arctan2-method", lambda T, a: a.arctan2(a * 2 + 1), A),
         ("hypot", lambda T, a: T.hypot(a, a.flip(1)), A),
         ("roll", lambda T, a: T.roll(a, 1, 0), A), ("roll-flat", lambda T, a: a.roll(5), A),
         ("roll-2", lambda T, a: T.roll(a, (1, -2), (0, 1)), A),
         ("trace", lambda T, a: T.trace(a), A), ("trace-method", lambda T, a: a.trace(), A),
         ("nan_to_num", lambda T, a: T.nan_to_num(a.log(), nan=0.5, posinf=9.0), A)]


def _run(T, f, a):
    x = T.tensor(a, requires_grad=True)
    y = f(T, x)
    w = T.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape)))
    (y * w).sum().backward()
    return type(y.grad_fn).__name__, str(y.dtype).split(".")[-1], y.detach().numpy(), \
        x.grad.numpy()


@pytest.mark.parametrize("name,f,a", CASES, ids=[c[0] for c in CASES])
def test_like_torch(name, f, a):
    torch = pytest.importorskip("torch")
    ours, theirs = _run(cl, f, a), _run(torch, f, a)
    assert ours[:2] == theirs[:2]
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-12, atol=1e-14)


def test_broadcast_grads_of_both_inputs_like_torch():
    torch = pytest.importorskip("torch")
    got = []
    for T in (cl, torch):
        a, b = T.tensor(A, requires_grad=True), T.tensor(B, requires_grad=True)
        (T.atan2(a, b).sum() + T.hypot(a, b).sum()).backward()
        got.append((a.grad.numpy(), b.grad.numpy()))
    for u, v in zip(*got):
        np.testing.assert_allclose(u, v, rtol=1e-12)


def test_dtypes_and_errors_like_torch():
    torch = pytest.importorskip("torch")
    for T in (cl, torch):
        assert str(T.atan2(T.tensor([1, 2]), T.tensor([3, 4])).dtype).endswith("float32")
        assert str(T.trace(T.ones(2, 2, dtype=T.int32)).dtype).endswith("int64")
        assert str(T.erf(T.tensor([1, 2])).dtype).endswith("float32")
    with pytest.raises(RuntimeError, match="trace: expected a matrix, but got tensor with dim 3"):
        cl.ones(2, 2, 2).trace()
    with pytest.raises(RuntimeError, match="shifts and dimensions must align. shifts: 2, dims:1"):
        cl.ones(2, 3).roll((1, 2), (0,))


def test_gradcheck():
    x = cl.tensor(A, requires_grad=True)
    y = cl.tensor(A[::-1].copy() + 0.5, requires_grad=True)
    u = cl.tensor(U, requires_grad=True)
    assert cl.autograd.gradcheck(lambda a, b: cl.atan2(a, b) + cl.hypot(a, b) + a.erf(), (x, y))
    assert cl.autograd.gradcheck(lambda a: a.erfinv(), (u,))
    assert cl.autograd.gradcheck(lambda a: a.roll((1, 3), (0, 1)).trace(), (x,))
