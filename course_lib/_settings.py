"""Process-wide settings of torch's top level: threads, deterministic algorithms, float32 matmul
precision, warnings.

全局设置：线程数、确定性算法、float32 矩阵乘法精度、警告。
course_lib runs on numpy (and cupy): the thread count is that of numpy's BLAS (through
threadpoolctl, which scikit-learn brings); every course_lib op is already deterministic and
computes float32 matmuls at full precision, so those settings are remembered and reported as
torch reports them, and change nothing else.
"""
from __future__ import annotations

import os
import warnings

__all__ = ["get_num_threads", "set_num_threads", "get_num_interop_threads",
           "set_num_interop_threads", "use_deterministic_algorithms",
           "are_deterministic_algorithms_enabled", "is_deterministic_algorithms_warn_only_enabled",
           "set_deterministic_debug_mode", "get_deterministic_debug_mode",
           "set_float32_matmul_precision", "get_float32_matmul_precision", "set_warn_always",
           "is_warn_always_enabled", "set_flush_denormal", "is_storage"]

_STATE = {"deterministic": False, "warn_only": False, "precision": "highest",
          "warn_always": False, "interop": None}


def _blas():
    try:
        import threadpoolctl
    except ImportError:  # pragma: no cover - scikit-learn brings it
        return None
    return threadpoolctl


def get_num_threads():
    """Threads numpy's BLAS uses for matrix products. 矩阵乘法使用的线程数。"""
    tp = _blas()
    if tp is not None:
        for info in tp.threadpool_info():
            if info.get("user_api") == "blas":
                return int(info["num_threads"])
    return os.cpu_count() or 1


def set_num_threads(int):  # noqa: A002 - torch's parameter name
    """Set the threads of numpy's BLAS (torch: of its intra-op pool). 设置矩阵乘法的线程数。"""
    n = int
    if isinstance(n, bool) or not isinstance(n, type(1)):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    tp = _blas()
    if tp is not None:
        tp.threadpool_limits(limits=n, user_api="blas")


def get_num_interop_threads():
    """torch's inter-op pool size (course_lib runs ops one after another: remembered only)."""
    return _STATE["interop"] or get_num_threads()


def set_num_interop_threads(int):  # noqa: A002
    n = int
    if isinstance(n, bool) or not isinstance(n, type(1)):
        raise RuntimeError(f"set_num_interop_threads expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError("Expected positive number of threads")
    _STATE["interop"] = n


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Ask for deterministic algorithms only. course_lib's ops all are (no atomics), so nothing
    needs to change; the setting is reported back as in torch. 只用确定性算法（course_lib 本来如此）。"""
    if not isinstance(mode, bool):
        raise TypeError("_set_deterministic_algorithms(): argument 'mode' (position 1) must be "
                        f"bool, not {type(mode).__name__}")
    if not isinstance(warn_only, bool):
        raise TypeError("_set_deterministic_algorithms(): argument 'warn_only' must be bool, not "
                        f"{type(warn_only).__name__}")
    _STATE["deterministic"], _STATE["warn_only"] = mode, mode and warn_only


def are_deterministic_algorithms_enabled():
    return _STATE["deterministic"]


def is_deterministic_algorithms_warn_only_enabled():
    return _STATE["warn_only"]


_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}


def set_deterministic_debug_mode(debug_mode):
    """``"default"`` / 0, ``"warn"`` / 1, ``"error"`` / 2: ``use_deterministic_algorithms`` by
    another name."""
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError("invalid value of debug_mode, expected one of `default`, `warn`, "
                               f"`error`, but got {debug_mode}")
        debug_mode = _DEBUG_MODES[debug_mode]
    elif isinstance(debug_mode, type(1)) and not isinstance(debug_mode, bool):
        if debug_mode not in (0, 1, 2):
            raise RuntimeError("invalid value of debug_mode, expected 0, 1, or 2, but got "
                               f"{debug_mode}")
    else:
        raise TypeError("debug_mode must be str or int, but got "
                        f"{type(debug_mode).__name__}")
    use_deterministic_algorithms(debug_mode > 0, warn_only=debug_mode == 1)


def get_deterministic_debug_mode():
    if not _STATE["deterministic"]:
        return 0
    return 1 if _STATE["warn_only"] else 2


def set_float32_matmul_precision(precision):
    """``"highest"``, ``"high"`` or ``"medium"`` (torch may then use TF32 / bf16 for float32
    matmuls on hardware that has them; numpy always computes in float32)."""
    if precision not in ("highest", "high", "medium"):
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", UserWarning, stacklevel=2)
        return
    _STATE["precision"] = precision


def get_float32_matmul_precision():
    return _STATE["precision"]


def set_warn_always(b):
    """Repeat warnings that torch would give once (remembered; course_lib's warnings use
    Python's ``warnings`` filters)."""
    _STATE["warn_always"] = bool(b)


def is_warn_always_enabled():
    return _STATE["warn_always"]


def set_flush_denormal(mode):
    """torch flushes denormal floats to zero where the CPU can; numpy cannot: returns False
    (torch's answer where it is not supported)."""
    return False


def is_storage(obj):
    """course_lib has no separate storage objects (a tensor's memory is its array)."""
    return False
