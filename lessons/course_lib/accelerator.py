"""``course_lib.accelerator``: torch.accelerator's device-agnostic queries (CUDA is the only one).

加速器查询（与设备无关的写法）：course_lib 唯一的加速器是 CUDA（真实或模拟）。
Used by the "Learn the Basics" pages:
``device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"``.
"""
from __future__ import annotations

from . import cuda as _cuda
from ._device import device as _device

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index"]


def is_available() -> bool:
    return _cuda.is_available()


def current_accelerator(check_available: bool = False):
    """``device(type='cuda')`` when CUDA can be used, else None."""
    if _cuda.is_available():
        return _device("cuda")
    return None


def device_count() -> int:
    return _cuda.device_count() if _cuda.is_available() else 0


def current_device_index() -> int:
    return _cuda.current_device() if _cuda.is_available() else -1
