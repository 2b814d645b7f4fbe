"""``course_lib.backends.mps``: Apple's Metal GPUs — course_lib has no MPS backend.

Apple 芯片的 GPU（MPS）：course_lib 没有这个后端，所以两个查询都是 False（与 Linux 上的 PyTorch 相同）。
Both queries answer False on every machine, as PyTorch built without MPS does.
"""
from __future__ import annotations

__all__ = ["is_built", "is_available"]


def is_built() -> bool:
    """False: course_lib is not built with MPS support. course_lib 没有 MPS 支持。"""
    return False


def is_available() -> bool:
    """False: no MPS device can be used. 没有可用的 MPS 设备。"""
    return False


from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks
