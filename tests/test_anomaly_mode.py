"""Anomaly detection (``autograd.detect_anomaly``/``set_detect_anomaly``) like torch: the
forward traceback in a warning when backward fails, NaN gradients stopped, the version-error
hint of each mode; no numpy warnings from backward. 异常检测模式与 torch 一致。"""
import warnings

import numpy as np
import pytest

import course_lib as cl
from course_lib.autograd import anomaly_mode


@pytest.fixture(autouse=True)
def _restore():
    before = tuple(anomaly_mode.ANOMALY)
    yield
    anomaly_mode._set(*before)


def _inplace_error(T):
    a = T.tensor([1.0, 2.0], requires_grad=True)
    b = a.sigmoid()  # FORWARD-LINE
    b.mul_(2)
    with pytest.raises(RuntimeError) as e:
        b.sum().backward()
    return str(e.value)


def _nan_error(T, check_nan=True):
    x = T.tensor([0.0, 1.0], requires_grad=True)
    y = (x.sqrt() * 0).sum()
    with warnings.catch_warnings(record=True), T.autograd.detect_anomaly(check_nan=check_nan):
        try:
            y.backward()
        except RuntimeError as e:
            return str(e)
    return x.grad


def test_off_by_default_and_modes_restored():
    assert not cl.is_anomaly_enabled() and cl.is_anomaly_check_nan_enabled()
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        ctx = cl.autograd.detect_anomaly(check_nan=False)
    with ctx:
        assert cl.is_anomaly_enabled() and not cl.is_anomaly_check_nan_enabled()
    assert not cl.is_anomaly_enabled() and cl.is_anomaly_check_nan_enabled()
    cl.autograd.set_detect_anomaly(True)
    assert cl.is_anomaly_enabled()
    with cl.autograd.set_detect_anomaly(False):
        assert not cl.is_anomaly_enabled()
    assert cl.is_anomaly_enabled()


def test_version_error_hint_like_torch_in_both_modes():
    torch = pytest.importorskip("torch")
    for T in (cl, torch):
        assert "set_detect_anomaly(True, check_nan=False)" in _inplace_error(T)
    ours, theirs = _inplace_error(cl), _inplace_error(torch)
    assert ours.replace("course_lib.", "torch.") == theirs
    with warnings.catch_warnings(record=True):
        with cl.autograd.detect_anomaly():
            ours = _inplace_error(cl)
        with torch.autograd.detect_anomaly():
            theirs = _inplace_error(torch)
    assert ours.replace("course_lib.", "torch.") == theirs and ours.endswith("Good luck!")


def test_warning_shows_the_forward_line_of_the_failing_node():
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        with cl.autograd.detect_anomaly():
            _inplace_error(cl)
    texts = [str(w.message) for w in got if "Error detected" in str(w.message)]
    assert len(texts) == 1, [str(w.message) for w in got]
    text = texts[0]
    assert text.startswith("Error detected in SigmoidBackward0. Traceback of forward call that "
                           "caused the error:\n")
    assert __file__ in text and "FORWARD-LINE" in text  # the student's line, not course_lib's
    assert "course_lib/_ops" not in text


def test_nan_gradient_stops_backward_like_torch():
    torch = pytest.importorskip("torch")
    assert _nan_error(cl) == _nan_error(torch) == ("Function 'SqrtBackward0' returned nan "
                                                   "values in its 0th output.")
    g_ours, g_torch = _nan_error(cl, check_nan=False), _nan_error(torch, check_nan=False)
    assert str(g_ours.tolist()) == str(g_torch.tolist())  # [nan, 0.0]: no check, no error


def test_nan_check_without_torch():
    msg = _nan_error(cl)
    assert msg == "Function 'SqrtBackward0' returned nan values in its 0th output."


def test_metadata_records_the_forward_stack_only_in_anomaly_mode():
    a = cl.ones(2, requires_grad=True)
    assert dict((a * 2).grad_fn.metadata) == {}
    with warnings.catch_warnings(record=True), cl.autograd.detect_anomaly():
        stack = (a * 2).grad_fn.metadata["traceback_"]
    assert isinstance(stack, list) and any(__file__ in line for line in stack)


def test_user_function_error_is_reported_and_reraised():
    class MyFn(cl.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            raise ValueError("boom")

    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        with cl.autograd.detect_anomaly():
            y = MyFn.apply(cl.ones(2, requires_grad=True)).sum()
            with pytest.raises(ValueError, match="boom"):
                y.backward()
    assert any(str(w.message).startswith("Error detected in MyFnBackward.") for w in got)


WARNING_PRONE = [  # gradients that are inf or nan at these points, silently in torch
    ("x.sqrt()", [0.0, 4.0]), ("x.log()", [0.0, -1.0]), ("x.log2()", [0.0]),
    ("x.log10()", [0.0]), ("x.log1p()", [-1.0]), ("x.rsqrt()", [0.0]),
    ("x.reciprocal()", [0.0]), ("x.asin()", [1.0, 2.0]), ("x.acos()", [1.0]),
    ("x ** 0.5", [0.0]), ("x ** -1.0", [0.0]), ("T.ones(1) / x", [0.0]), ("x / x", [0.0]),
    ("x ** x", [0.0, -1.0]), ("(-2.0) ** x", [0.5]),
]


@pytest.mark.parametrize("expr,values", WARNING_PRONE, ids=[e for e, _ in WARNING_PRONE])
def test_backward_never_prints_numpy_warnings(expr, values):
    for T in filter(None, (cl, _torch())):
        x = T.tensor(values, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(all="warn"):
                y = eval(expr, {"x": x, "T": T})
                y.sum().backward()
        if T is cl:
            ours = x.grad.tolist()
        else:
            assert str(ours) == str(x.grad.tolist()), (ours, x.grad.tolist())


def _torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def test_no_stack_recorded_once_anomaly_mode_is_off_again():
    with warnings.catch_warnings(record=True), cl.autograd.detect_anomaly():
        pass
    assert dict((cl.ones(2, requires_grad=True) * 2).grad_fn.metadata) == {}


def test_gradients_unchanged_by_anomaly_mode():
    def grads():
        w = cl.tensor([[0.5, -1.0], [2.0, 0.1]], requires_grad=True)
        x = cl.tensor([[1.0, 2.0], [3.0, -4.0]])
        ((x @ w).relu().sum() + w.pow(2).mean()).backward()
        return w.grad.tolist()
    plain = grads()
    with warnings.catch_warnings(record=True), cl.autograd.detect_anomaly():
        assert grads() == plain
