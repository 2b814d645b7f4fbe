"""torch's process-wide settings (threads, deterministic algorithms, float32 matmul precision,
warn-always, inference mode) on course_lib and torch 2.13: same answers, same errors."""
import warnings

import pytest

import course_lib

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _restore():
    saved = [(T, T.get_num_threads(), T.get_deterministic_debug_mode(),
              T.get_float32_matmul_precision(), T.is_warn_always_enabled())
             for T in (course_lib, torch)]
    yield
    for T, n, mode, prec, warn in saved:
        T.set_num_threads(n)
        T.set_deterministic_debug_mode(mode)
        T.set_float32_matmul_precision(prec)
        T.set_warn_always(warn)


def _outcome(T, code):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = eval(code, {"T": T})
        except Exception as e:  # noqa: BLE001 - the error is what we compare
            return type(e).__name__, str(e), None
    return "ok", value, [str(w.message).split(" (Triggered")[0] for w in caught]


CALLS = ["T.set_num_threads(0)", "T.set_num_threads(2.0)", "T.set_num_threads(True)",
         "T.set_deterministic_debug_mode('x')", "T.set_deterministic_debug_mode(5)",
         "T.use_deterministic_algorithms(1)", "T.set_float32_matmul_precision('low')",
         "T.set_float32_matmul_precision('high')", "T.is_storage(T.ones(1))",
         "T.are_deterministic_algorithms_enabled()", "T.get_deterministic_debug_mode()",
         "T.is_deterministic_algorithms_warn_only_enabled()", "T.get_float32_matmul_precision()",
         "T.is_inference_mode_enabled()", "T.is_warn_always_enabled()"]


@pytest.mark.parametrize("code", CALLS)
def test_same_answer_or_error(code):
    assert _outcome(course_lib, code) == _outcome(torch, code)


@pytest.mark.parametrize("steps", [
    ["T.use_deterministic_algorithms(True)"],
    ["T.use_deterministic_algorithms(True, warn_only=True)"],
    ["T.set_deterministic_debug_mode('warn')"],
    ["T.set_deterministic_debug_mode(2)", "T.set_deterministic_debug_mode('default')"],
    ["T.set_float32_matmul_precision('medium')"],
    ["T.set_warn_always(True)"],
])
def test_settings_read_back_as_in_torch(steps):
    got = []
    for T in (course_lib, torch):
        for s in steps:
            eval(s, {"T": T})
        got.append((T.are_deterministic_algorithms_enabled(),
                    T.is_deterministic_algorithms_warn_only_enabled(),
                    T.get_deterministic_debug_mode(), T.get_float32_matmul_precision(),
                    T.is_warn_always_enabled()))
    assert got[0] == got[1]


def test_num_threads_sets_numpys_blas():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    course_lib.set_num_threads(1)
    blas = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    assert course_lib.get_num_threads() == 1 and blas and set(blas) == {1}


def test_inference_mode_is_reported_inside_only():
    for T in (course_lib, torch):
        assert not T.is_inference_mode_enabled()
        with T.inference_mode():
            assert T.is_inference_mode_enabled()
            with T.inference_mode(False):
                assert not T.is_inference_mode_enabled()
            assert T.is_inference_mode_enabled()
        assert not T.is_inference_mode_enabled()
