"""``course_lib.backends.cudnn``: NVIDIA's cuDNN library — course_lib does not use it.

cuDNN 是 NVIDIA 的深度学习库；course_lib 的卷积等运算不用它（cupy/numpy 实现），所以
``is_available()`` 为 False、``version()`` 为 None，与只有 CPU 的 PyTorch 一样——在 GPU 或模拟设备上
也是如此。``benchmark``、``deterministic`` 等开关可以照常设置（教程常写），它们只被记住。
``is_available()`` is False and ``version()`` None on every machine (course_lib's convolutions
are its own, on numpy/cupy, real GPU or simulated); the switches tutorials set (``benchmark``,
``deterministic``, ``enabled``, ``allow_tf32``) take torch's values and checks and change nothing.
"""
from __future__ import annotations

import sys
import types

__all__ = ["is_available", "version", "is_acceptable"]


def is_available() -> bool:
    """False: course_lib never calls cuDNN. course_lib 不使用 cuDNN。"""
    return False


def version():
    """None: no cuDNN is loaded (as CPU-only PyTorch). 没有加载 cuDNN。"""
    return None


def is_acceptable(tensor) -> bool:
    """Whether cuDNN would run on ``tensor``: never here."""
    return False


def _flag(name, setter, default):
    """A module property with torch's bool check (``torch.backends.cudnn.benchmark = True``)."""
    def get(mod):
        return _FLAGS[name]

    def put(mod, value):
        if not isinstance(value, bool):
            raise RuntimeError(f"{setter} expects a bool, but got {type(value).__name__}")
        _FLAGS[name] = value
    _FLAGS[name] = default
    return property(get, put)


_FLAGS: dict = {}


class _CudnnModule(types.ModuleType):
    enabled = _flag("enabled", "set_enabled_cudnn", True)
    benchmark = _flag("benchmark", "set_benchmark_cudnn", False)
    deterministic = _flag("deterministic", "set_deterministic_cudnn", False)
    allow_tf32 = _flag("allow_tf32", "set_allow_tf32_cublas", True)  # torch's own setter name
    benchmark_limit = None


sys.modules[__name__].__class__ = _CudnnModule


from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks
