"""More of torch's Tensor API against torch 2.13: gcd / lcm, bit shifts (functions, operators,
in-place), nextafter, frexp, in-place comparisons (eq_ … with torch's zero-gradient nodes),
cumsum_ / cumprod_, H / mH / adjoint, split_with_sizes, matrix_power, logdet, masked_scatter,
put, slice_scatter / select_scatter / diagonal_scatter — values, gradients of every input,
grad_fn, errors; double backward through in-place ops."""
import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")


def _run(T, expr):
    env = {"T": T, "np": np,
           "x": T.arange(6.0, dtype=T.float64).reshape(2, 3).requires_grad_(),
           "s": T.tensor([10.0, 20, 30, 40], dtype=T.float64, requires_grad=True),
           "m": T.tensor([[True, False, True], [False, True, False]]),
           "z1": T.tensor([[1.0], [2.0]], dtype=T.float64, requires_grad=True),
           "z2": T.tensor([8.0, 9], dtype=T.float64, requires_grad=True),
           "z3": T.tensor([5.0, 6, 7], dtype=T.float64, requires_grad=True),
           "A": T.tensor([[2.0, 1], [0.5, 3]], dtype=T.float64, requires_grad=True)}
    try:
        r = eval(expr, env)
    except Exception as e:  # noqa: BLE001 - the error is what we compare
        return f"{type(e).__name__}: {e}".replace("torch", "T").replace("course_lib", "T"), None
    text = repr(r).replace("torch", "T").replace("course_lib", "T")
    text = " ".join(w.split(" object at ")[0] for w in text.split("<"))
    grads = None
    if isinstance(r, (cl.Tensor, torch.Tensor)) and r.requires_grad:
        r.backward(T.tensor(np.arange(r.numel(), dtype=float).reshape(tuple(r.shape)) + 1,
                            dtype=r.dtype))
        grads = [None if env[k].grad is None else env[k].grad.tolist()
                 for k in ("x", "s", "z1", "z2", "z3", "A")]
    return text, grads


CASES = [
    "T.gcd(T.tensor([12, 18, -4]), T.tensor([8, 27, 6]))", "T.lcm(T.tensor([4, 6]), T.tensor([6, 4]))",
    "T.gcd(T.tensor([1.0]), T.tensor([2.0]))", "T.tensor([12, 18]).gcd(T.tensor(8))",
    "T.tensor([1, 3]).gcd_(T.tensor([2, 9]))", "T.bitwise_left_shift(T.tensor([1, 8]), 2)",
    "T.tensor([1, 8]) << 2", "T.tensor([[1, 8]]) >> 1", "3 << T.tensor([1, 2])", "T.tensor([1.0]) << 2",
    "T.tensor([1, 8]).bitwise_left_shift_(1)", "T.bitwise_right_shift(T.tensor([-8, 9]), T.tensor([1, 2]))",
    "T.nextafter(T.tensor([1.0, -1.0]), T.tensor([2.0, -2.0])) - T.tensor([1.0, -1.0])",
    "T.nextafter(T.tensor([1]), T.tensor([2]))", "T.frexp(T.tensor([8.0, 3.0, -0.5, 0.0]))",
    "T.frexp(T.tensor([1, 2]))", "x.clone().eq_(2)", "x.clone().lt_(z3)", "x.clone().ge_(x.detach() * 0 + 3)",
    "x.clone().ne_(T.tensor([0.0, 1, 2]))", "x.clone().greater_(1)", "x.clone().less_equal_(z3)",
    "T.tensor([1.5, 2.0]).eq_(T.ones(3))", "x.clone().cumsum_(1)", "x.clone().cumprod_(0)",
    "T.tensor([1, 2, 3]).cumprod_(0)", "x.H", "x.mH", "x.adjoint()", "T.adjoint(x)", "T.ones(2, 3, 4).H",
    "T.ones(3).mH", "T.adjoint(T.ones(3))", "T.ones(2, 3, 4).mH.shape",
    "x.split_with_sizes([1, 2], 1)", "T.split_with_sizes(x, [1, 1])", "x.split_with_sizes([2, 2], 1)",
    "T.matrix_power(A, 0)", "T.matrix_power(A, 1)", "T.matrix_power(A, 2)", "T.matrix_power(A, 5)",
    "T.matrix_power(A, -1)", "T.matrix_power(A, -3)", "A.matrix_power(3)", "T.linalg.matrix_power(A, 4)",
    "T.matrix_power(x, 2)", "T.matrix_power(T.ones(3, 2, 2), 2)", "T.matrix_power(T.ones(2, 2, dtype=T.long), -1)",
    "T.logdet(A)", "A.logdet()", "T.logdet(T.tensor([[1.0, 2], [3, 4]]))", "T.logdet(T.zeros(2, 2))",
    "x.masked_scatter(m, s)", "x.masked_scatter(m, s[:2])", "x.masked_scatter(m.float(), s)",
    "x.masked_scatter(T.tensor([True, False, True]), s)", "x.clone().masked_scatter_(m, s)",
    "x.put(T.tensor([0, 4]), s[:2])", "x.put(T.tensor([0, 0]), s[1:3], accumulate=True)",
    "x.put(T.tensor([9]), s[:1])", "x.put(T.tensor([-1]), s[:1])", "x.put(T.tensor([0, 1]), s[:1])",
    "x.clone().put_(T.tensor([2]), s[3:])", "T.slice_scatter(x, z1, 1, 0, 1)", "T.slice_scatter(x, T.zeros(1, 3))",
    "T.slice_scatter(x, z1.expand(2, 2) * 1, 1, step=2)", "T.select_scatter(x, z3, 0, 1)",
    "T.select_scatter(x, z2, 1, -1)", "T.select_scatter(x, T.zeros(4), 0, 1)", "T.diagonal_scatter(x, z2)",
    "T.diagonal_scatter(x, z2, 1)", "T.diagonal_scatter(x, z3)", "T.diagonal_scatter(x, z2[:1], -1)",
]


@pytest.mark.parametrize("expr", CASES)
def test_like_torch(expr):
    (t1, g1), (t2, g2) = _run(cl, expr), _run(torch, expr)
    assert t1 == t2
    if g2 is not None:
        for a, b in zip(g1, g2):
            assert (a is None) == (b is None)
            if b is not None:
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("op", ["sin_()", "sqrt_()", "exp_()", "lgamma_()", "polygamma_(1)",
                                "mul_(p)", "div_(p + 1)", "pow_(3)", "sigmoid_()", "mul_(p * p)"])
def test_double_backward_through_in_place_ops_like_torch(op):
    got = []
    for T in (cl, torch):
        p = T.tensor([1.5, 2.5, 0.7], dtype=T.float64, requires_grad=True)
        y = eval(f"(p * 1).{op}", {"p": p})
        (g,) = T.autograd.grad(y.sum(), p, create_graph=True)
        (h,) = T.autograd.grad((g * g).sum(), p)
        got.append((g.detach().numpy(), h.numpy()))
    for a, b in zip(*got):
        np.testing.assert_allclose(a, b, rtol=1e-9)
