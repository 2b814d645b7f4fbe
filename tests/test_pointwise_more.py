"""More element-wise ops against torch 2.13: clamp_max (+ torch.clamp_min), asinh / acosh / atanh,
erfc, logit, sinc, deg2rad / rad2deg and the arc* aliases (function, method, in-place method,
module-level in-place form), torch.selu_ / celu_ / threshold_, softmax(dtype=) graphs and
torch's refusal of ``-`` with bool operands: values, dtypes, grad_fn names, gradients, errors."""
import sys
from pathlib import Path

import numpy as np
import pytest

import course_lib
from course_lib.autograd import gradcheck, gradgradcheck

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from like_torch import assert_like_torch  # noqa: E402

torch = pytest.importorskip("torch")

# input values inside each op's domain (acosh: x ≥ 1; atanh, logit: inside (-1, 1) / (0, 1))
DOMAIN = {"acosh": [1.3, 2.2, 1.7, 4.0], "atanh": [0.3, -0.2, 0.7, -0.6],
          "logit": [0.3, 0.2, 0.7, 0.45]}
WIDE = [0.3, -0.2, 0.7, 0.0, 1.5, 2.5, -1.0, 1.0]
UNARY = {"asinh": (), "acosh": (), "atanh": (), "erfc": (), "logit": (), "sinc": (),
         "deg2rad": (), "rad2deg": (), "arcsin": (), "arccos": (), "arctan": (), "arcsinh": (),
         "arccosh": (), "arctanh": (), "clamp_max": (0.5,), "clamp_min": (0.5,)}
EPS = {"logit_eps": ("logit", (0.25,))}
CASES = {**{n: (n, a) for n, a in UNARY.items()}, **EPS}


def _env(T):
    return {"T": T, "F": T.nn.functional,
            "x": T.tensor(WIDE, dtype=T.float64, requires_grad=True) * 1,
            "f": T.tensor(WIDE), "i": T.tensor([1, 2, 0, -3]), "h": T.tensor([0.5, 0.25],
                                                                            dtype=T.float16),
            "b": T.tensor([True, False]), "m": T.tensor([0.4, 0.9, -1.0, 3.0, 0.5, 0.5, 0.0,
                                                         2.0], dtype=T.float64,
                                                        requires_grad=True) * 1}


def _args(a):
    return ", ".join(repr(v) for v in a)


@pytest.mark.parametrize("form", ["T.{n}(x{a})", "x.{n}({a0})", "T.{n}(f{a})", "T.{n}(i{a})",
                                  "T.{n}(h{a})", "T.{n}(b{a})",
                                  "T.{n}(f{a}, out=T.empty(8))", "x.clone().{n}_({a0})",
                                  "T.{n}_(x.clone(){a})", "f.clone().{n}_({a0})",
                                  "i.clone().{n}_({a0})", "T.{n}(x{a}).sum()"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_unary_like_torch(case, form):
    name, a = CASES[case]
    code = form.format(n=name, a="".join(", " + repr(v) for v in a), a0=_args(a))
    assert_like_torch(code, _env)


@pytest.mark.parametrize("case", sorted(CASES))
def test_gradients_like_torch(case):
    name, a = CASES[case]
    got = []
    for T in (course_lib, torch):
        x = T.tensor(WIDE, dtype=T.float64, requires_grad=True)
        y = getattr(T, name)(x * 1, *a)
        (y * T.arange(1.0, 9.0, dtype=T.float64)).sum().backward()
        got.append((y.grad_fn.name(), np.asarray(x.grad.tolist())))
    assert got[0][0] == got[1][0]
    np.testing.assert_allclose(got[0][1], got[1][1], rtol=1e-12, atol=1e-15, equal_nan=True)


@pytest.mark.parametrize("case", sorted(CASES))
def test_gradcheck_and_gradgradcheck(case):
    name, a = CASES[case]
    x = course_lib.tensor(DOMAIN.get(name.replace("arc", "a"), [0.3, -0.2, 0.7, 0.45]),
                          dtype=course_lib.float64, requires_grad=True)

    def f(t):
        return getattr(course_lib, name)(t, *a)
    assert gradcheck(f, (x,))
    assert gradgradcheck(f, (x,))


@pytest.mark.parametrize("name", ["clamp_max", "clamp_min"])
def test_tensor_bound_like_torch(name):
    """A tensor bound: ClampMaxBackward1 / ClampMinBackward1, gradients to both (ties too)."""
    got = []
    for T in (course_lib, torch):
        x = T.tensor([0.3, -0.2, 0.5, 2.0], dtype=T.float64, requires_grad=True)
        m = T.tensor([0.5, 0.5, 0.5, 1.0], dtype=T.float64, requires_grad=True)
        y = getattr(x, name)(m)
        (y * T.tensor([1.0, 2, 3, 4], dtype=T.float64)).sum().backward()
        got.append((y.grad_fn.name(), y.tolist(), x.grad.tolist(), m.grad.tolist()))
    assert got[0] == got[1]
    x = course_lib.tensor([0.3, -0.2, 0.7], dtype=course_lib.float64, requires_grad=True)
    m = course_lib.tensor([0.5, 0.1, 0.2], dtype=course_lib.float64, requires_grad=True)
    f = getattr(course_lib, name)
    assert gradcheck(f, (x, m)) and gradgradcheck(f, (x, m))


@pytest.mark.parametrize("code", [
    "x.clamp_max(T.tensor([0.5]))", "T.clamp_max(x, m)", "x.clamp_max(True)",
    "T.clamp_max(x, 'a')", "T.clamp_min(x, 'a')", "T.clamp_max(x, None)",
    "x.clone().clamp_max_(m)", "i.clamp_max(1.5)", "i.clamp_max(1)", "T.clamp_max(x, T.ones(3))",
    "T.clamp_max_(x.clone(), 0.1)", "x.clamp_max(max=0.2)", "T.clamp_min(x, min=m)",
    "T.clamp_max(i, 1, out=T.empty(4, dtype=T.int64))",
    "T.logit(x, eps=0.1)", "T.logit(x, 0.6)", "T.logit(m, 1e-6)",
    "T.asinh_(3)", "T.ones(2).expand(2, 2).asinh_()", "T.ones(2, requires_grad=True).sinc_()",
    "x.arcsin().grad_fn.name()", "x.arctanh_()", "T.arccos_(x.clone())",
    "T.rad2deg(T.deg2rad(x))", "T.sinc(T.tensor([0.0, 1.0, -2.0, 0.5]))",
])
def test_more_like_torch(code):
    assert_like_torch(code, _env)


@pytest.mark.parametrize("code", [
    "T.selu_(x.clone())", "T.celu_(x.clone(), 1.5)", "T.threshold_(x.clone(), 0.5, -2.0)",
    "T.selu_(3)", "T.threshold_(3, 1, 2)", "T.selu_(T.ones(2, requires_grad=True))",
    "T.celu_(f.clone())", "T.threshold_(i.clone(), 0, 9)",
])
def test_activation_inplace_functions_like_torch(code):
    assert_like_torch(code, _env)


def test_activation_inplace_functions_are_functionals():
    nf = course_lib.nn.functional
    assert course_lib.selu_ is nf.selu_ and course_lib.celu_ is nf.celu_
    assert course_lib.threshold_ is nf.threshold_


@pytest.mark.parametrize("code", [
    "F.softmax(x, 0, dtype=T.float32)", "F.softmax(f, 0, dtype=T.float64)",
    "x.softmax(0, dtype=T.float32).grad_fn.next_functions[0][0].name()",
    "T.softmax(x, 0, dtype=T.float64).grad_fn.next_functions[0][0].name()",
    "F.softmax(f.requires_grad_(), 0, dtype=T.float64).grad_fn.next_functions[0][0].name()",
    "F.log_softmax(f.requires_grad_(), 0, dtype=T.float64).grad_fn.next_functions[0][0].name()",
    "F.softmax(i, 0, dtype=T.float32)", "F.softmax(i, 0)", "F.softmin(x, 0, dtype=T.float32)",
    "F.softmax(T.ones(0, requires_grad=True), 0, dtype=T.float64)",
])
def test_softmax_dtype_like_torch(code):
    assert_like_torch(code, _env)


def test_softmax_dtype_gradient_like_torch():
    got = []
    for T in (course_lib, torch):
        a = T.tensor([[1.0, 2.0, 0.5], [3.0, -1.0, 4.0]], requires_grad=True)
        for fn in (T.nn.functional.softmax, T.nn.functional.log_softmax):
            y = fn(a, 1, dtype=T.float64)
            (y * T.tensor([1.0, 2.0, 3.0], dtype=T.float64)).sum().backward()
        got.append((a.grad.dtype == T.float32, np.asarray(a.grad.tolist())))
    assert got[0][0] and got[1][0]
    np.testing.assert_allclose(got[0][1], got[1][1], rtol=1e-6)


_BOOL_SUB = ["b - b", "b - True", "b - 1", "b - 1.5", "True - b", "1 - b", "1.5 - b", "b - i[:2]",
             "i[:2] - b", "f[:2] - b", "b - f[:2]", "i - True", "True - i", "f - True",
             "f - False", "T.sub(b, b)", "T.sub(b, 1)", "T.sub(1, b)", "T.rsub(b, b)",
             "T.rsub(b, 1)", "T.rsub(i[:2], b)", "T.rsub(b, i[:2])", "T.subtract(b, b)",
             "b.clone().sub_(b)", "b.clone().sub_(True)", "i.clone().sub_(b[:1])",
             "i.clone().sub_(True)", "f.clone().sub_(b[:1])", "b.sub(b, alpha=2)",
             "T.sub(i[:2], b, alpha=0)", "b.clone().__isub__(b)", "b.subtract(1)",
             "T.tensor(True) - T.tensor(False)", "i - T.tensor(True)",
             "T.sub(i[:2], b, out=T.empty(2, dtype=T.int64))",
             "T.tensor([], dtype=T.bool) - T.tensor([], dtype=T.bool)", "b - T.tensor(1.0)",
             "x - True", "x.sub_(False)", "i - 1", "f - 1.5", "1 - i", "i.clone().sub_(2)",
             "b - 0", "T.sub(x, b[:1])"]


@pytest.mark.parametrize("code", _BOOL_SUB)
def test_bool_subtraction_like_torch(code):
    assert_like_torch(code, _env)


def test_sub_keeps_its_fast_path():
    """The bool check reads only dtype kinds: float tensor - float number goes straight on."""
    a = course_lib.ones(3)
    assert (a - 0.5).tolist() == [0.5, 0.5, 0.5]
    assert (a.sub_(0.5) is a) and a.tolist() == [0.5, 0.5, 0.5]
