"""``course_lib.backends.cudnn``: NVIDIA's cuDNN library — course_lib does not use it.

cuDNN 是 NVIDIA 的深度学习库；course_lib 的卷积等运算不用它（cupy/numpy 实现），所以
``is_available()`` 为 False、``version()`` 为 None，与只有 CPU 的 PyTorch 一样——在 GPU 或模拟设备上
也是如此。``benchmark``、``deterministic`` 等开关可以照常设置（教程常写），它们只被记住；
``with flags(...):`` 在块内设置这些开关，块结束后恢复。
``is_available()`` is False and ``version()`` None on every machine (course_lib's convolutions
are its own, on numpy/cupy, real GPU or simulated); the switches tutorials set (``benchmark``,
``deterministic``, ``enabled``, ``allow_tf32``, ``fp32_precision``, ``depthwise_kernel``; the
context manager ``flags(...)``) take torch's values and checks and change nothing.
"""
from __future__ import annotations

import sys
import types
from contextlib import contextmanager

__all__ = ["is_available", "version", "is_acceptable", "flags"]


def is_available() -> bool:
    """False: course_lib never calls cuDNN. course_lib 不使用 cuDNN。"""
    return False


def version():
    """None: no cuDNN is loaded (as CPU-only PyTorch). 没有加载 cuDNN。"""
    return None


def is_acceptable(tensor) -> bool:
    """Whether cuDNN would run on ``tensor``: never here."""
    return False


def _bool(setter):
    def check(value):
        if not isinstance(value, bool):
            raise RuntimeError(f"{setter} expects a bool, but got {type(value).__name__}")
    return check


def _precision(value):
    if not isinstance(value, str):
        raise TypeError(f"fp32_precision expects a str, but got {type(value).__name__}")
    if value == "bf16":
        raise RuntimeError("backend 'cuda' does not support precision 'bf16'")
    if value not in ("none", "ieee", "tf32"):
        raise RuntimeError(f"Unknown precision: {value}")


def _depthwise(value):
    if not isinstance(value, str):
        raise RuntimeError(f"set_cudnn_depthwise_kernel expects a string, but got "
                           f"{type(value).__name__}")
    if value not in ("auto", "cudnn", "native"):
        raise RuntimeError(f"Unknown cuDNN depthwise kernel mode: {value}. Expected one of: "
                           "auto, cudnn, native")


def _flag(name, check, default):
    """A module property with torch's check (``torch.backends.cudnn.benchmark = True``)."""
    def get(mod):
        return _FLAGS[name]

    def put(mod, value):
        check(value)
        _FLAGS[name] = value
    _FLAGS[name] = default
    return property(get, put)


_FLAGS: dict = {}


class _CudnnModule(types.ModuleType):
    enabled = _flag("enabled", _bool("set_enabled_cudnn"), True)
    benchmark = _flag("benchmark", _bool("set_benchmark_cudnn"), False)
    deterministic = _flag("deterministic", _bool("set_deterministic_cudnn"), False)
    allow_tf32 = _flag("allow_tf32", _bool("set_allow_tf32_cublas"), True)  # torch's own name
    fp32_precision = _flag("fp32_precision", _precision, "none")
    depthwise_kernel = _flag("depthwise_kernel", _depthwise, "auto")
    benchmark_limit = None


@contextmanager
def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False,
          allow_tf32=True, fp32_precision="none", depthwise_kernel="auto"):
    """``with flags(...):`` sets the switches for the block and restores them after it, as torch
    (its defaults: a bare ``flags()`` turns ``enabled`` off; None leaves a switch as it is;
    ``benchmark_limit`` is ignored without cuDNN, as in torch). The old values come back even
    when a value is refused.
    在 with 块内设置这些开关，块结束后恢复原值（默认值与 torch 相同；None 表示不改）。"""
    mod = sys.modules[__name__]
    old = dict(_FLAGS)
    try:
        for name, value in (("enabled", enabled), ("benchmark", benchmark),
                            ("deterministic", deterministic), ("allow_tf32", allow_tf32),
                            ("fp32_precision", fp32_precision),
                            ("depthwise_kernel", depthwise_kernel)):
            if value is not None:
                setattr(mod, name, value)
        yield
    finally:
        _FLAGS.update(old)


sys.modules[__name__].__class__ = _CudnnModule


from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks
