"""course_lib.autograd.gradcheck: finite differences vs autograd, as torch.autograd.gradcheck."""
import warnings

import numpy as np
import pytest

import course_lib as torch
from course_lib.autograd import gradcheck
from course_lib.autograd.gradcheck import GradcheckError
from course_lib.exercises import implements, overrides, registry


def double(*shape, seed=0, requires_grad=True):
    g = np.random.default_rng(seed)
    return torch.tensor(g.standard_normal(shape), dtype=torch.float64, requires_grad=requires_grad)


class WrongSquare(torch.autograd.Function):
    """x² whose backward forgets the factor 2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x


class RightSquare(WrongSquare):
    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * grad * x


@pytest.mark.parametrize("func,shapes", [
    (lambda a, b: (a @ b).tanh(), [(3, 4), (4, 2)]),
    (lambda a, b: (a * b + a / (b * b + 1)).sum(dim=1), [(2, 3), (1, 3)]),  # broadcasting
    (lambda a: a.exp().log().sigmoid().mean(), [(5,)]),
    (lambda a: (a.t() * 3).abs(), [(2, 3)]),
    (lambda a, b: (a.sum(0), (a * b).max(dim=0)[0]), [(3, 2), (3, 2)]),  # two outputs
    (RightSquare.apply, [(4,)]),
])
def test_correct_gradients_pass(func, shapes):
    inputs = tuple(double(*s, seed=i) for i, s in enumerate(shapes))
    assert gradcheck(func, inputs) is True


def test_wrong_backward_is_caught_with_torch_message():
    x = double(3)
    assert gradcheck(WrongSquare.apply, (x,), raise_exception=False) is False
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongSquare.apply, (x,))
    assert isinstance(info.value, RuntimeError)
    msg = str(info.value)
    assert msg.startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor(")
    # the numerical Jacobian is diag(2x), the analytical one diag(x)
    num = np.diag(2 * x.detach()._data)
    assert f"{num[0, 0]:.4f}" in msg.split("analytical:")[0]


def test_only_inputs_requiring_grad_are_checked_and_tolerances_apply():
    x, c = double(3), double(3, seed=1, requires_grad=False)
    assert gradcheck(lambda a, b: a * b, (x, c))
    # a 2% error in the gradient passes with rtol=0.05 and fails with the default 1e-3
    class Off(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 3

        @staticmethod
        def backward(ctx, g):
            return g * 3.06
    assert gradcheck(Off.apply, (x,), rtol=0.05)
    assert not gradcheck(Off.apply, (x,), raise_exception=False)


def test_input_errors_like_torch():
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda a: a * 2, (double(2, requires_grad=False),))
    x32 = torch.ones(2, requires_grad=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert gradcheck(lambda a: a * 2, x32, eps=1e-2, atol=1e-2)  # a lone tensor is fine too
    assert any("Input #0 requires gradient and is not a double precision" in str(m.message) for m in w)


def test_is_the_lesson_04_exercise():
    lesson, name, ref = registry["course_lib.autograd.gradcheck"]
    assert (lesson, name) == ("04_autograd", "gradcheck")
    assert torch.autograd.gradcheck is gradcheck
    calls = []

    @implements("course_lib.autograd.gradcheck")
    def student(func, inputs, **kw):
        calls.append(kw)
        return "student"
    try:
        assert gradcheck(lambda a: a, double(1), eps=1e-3) == "student"
        assert calls and calls[0]["eps"] == 1e-3  # the dispatcher passes every keyword on
    finally:
        overrides.pop("course_lib.autograd.gradcheck", None)


def test_same_verdicts_as_torch():
    real = pytest.importorskip("torch")
    g = np.random.default_rng(5)
    a, b = g.standard_normal((3, 4)), g.standard_normal((4,))
    progs = [lambda t, x, y: (x @ y).exp(), lambda t, x, y: (x - y).pow(2).mean(dim=0, keepdim=True),
             lambda t, x, y: t.where(x > 0, x, y * 2).sum()]
    for prog in progs:
        ours = gradcheck(lambda x, y: prog(torch, x, y),
                         (torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)))
        theirs = real.autograd.gradcheck(
            lambda x, y: prog(real, x, y),
            (real.tensor(a, requires_grad=True), real.tensor(b, requires_grad=True)))
        assert ours == theirs is True
