"""``course_lib.backends.cuda``: is CUDA built in, and the cuBLAS matmul switches.

CUDA 是否“编译进来”，以及矩阵乘法的 TF32 等开关（course_lib 用 cupy/numpy 计算，开关只被记住，
不改变结果）。``is_built()`` is True when course_lib can reach a GPU's CUDA: cupy is installed (the
counterpart of a CUDA build of PyTorch), or the simulated device is on — it stands in for a CUDA
build, so ``is_available()`` ⇒ ``is_built()`` holds as in PyTorch. Without either it is False, as
a CPU-only PyTorch says.
"""
from __future__ import annotations

import importlib.util

from .. import _backend

__all__ = ["is_built", "matmul", "cuBLASModule"]


def is_built() -> bool:
    """Whether course_lib can use CUDA given a GPU (cupy installed, or the simulated device)."""
    return _backend.simulating() or importlib.util.find_spec("cupy") is not None


class cuBLASModule:
    """``torch.backends.cuda.matmul``: ``allow_tf32`` (False), ``allow_fp16_reduced_precision_
    reduction`` and ``allow_bf16_reduced_precision_reduction`` (True), with torch's checks.
    course_lib keeps them (its matmuls are numpy's/cupy's, in full precision)."""

    _flags = {"allow_tf32": False, "allow_fp16_reduced_precision_reduction": True,
              "allow_bf16_reduced_precision_reduction": True}

    def __getattr__(self, name):
        if name in self._flags:
            return self._flags[name]
        raise AttributeError("Unknown attribute " + name)

    def __setattr__(self, name, value):
        if name == "allow_tf32":
            if not isinstance(value, bool):
                raise RuntimeError(f"set_allow_tf32_cublas expects a bool, but got "
                                   f"{type(value).__name__}")
        elif name in self._flags:
            if not isinstance(value, bool):
                raise TypeError(f"{name} expects a bool or a tuple/list of bools, but got "
                                f"{type(value)!r}")
        else:
            raise AttributeError("Unknown attribute " + name)
        self._flags[name] = value


matmul = cuBLASModule()


from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks
