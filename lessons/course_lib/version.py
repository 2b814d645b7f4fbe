"""``course_lib.version``: versions, like ``torch.version`` (``cuda`` is None without CUDA)."""
from __future__ import annotations

__version__ = "0.1.0"
debug = False
git_version = None


def __getattr__(name):
    if name == "cuda":  # probed lazily: importing cupy is slow
        from . import _backend

        if not _backend.real_cuda_available():
            return None
        v = _backend.cupy_module().cuda.runtime.runtimeGetVersion()
        return f"{v // 1000}.{(v % 1000) // 10}"
    raise AttributeError(f"module 'course_lib.version' has no attribute '{name}'")
