"""``course_lib.cuda``: is a GPU there, how many, its name — and the simulated GPU switch.

``course_lib.cuda``：检查 GPU 是否可用、数量、名称，以及模拟 GPU 的开关。
"""
from __future__ import annotations

from .. import _backend

__all__ = ["is_available", "device_count", "get_device_name", "current_device",
           "simulate", "is_simulated", "synchronize", "manual_seed", "manual_seed_all",
           "empty_cache"]


def is_available() -> bool:
    """True when ``cuda`` tensors can be made (cupy + GPU, or the simulated device)."""
    return _backend.cuda_available()


def device_count() -> int:
    return _backend.device_count()


def current_device() -> int:
    _backend.require_cuda()
    return 0


def get_device_name(device=None) -> str:
    """The GPU's name; the simulated one says so. GPU 名称（模拟设备会注明）。"""
    _backend.require_cuda()
    if _backend.simulating():
        return "Simulated CUDA device (numpy)"
    cp = _backend.cupy_module()
    idx = device.index if hasattr(device, "index") and device.index is not None else (
        device if isinstance(device, int) else 0)
    name = cp.cuda.runtime.getDeviceProperties(idx)["name"]
    return name.decode() if isinstance(name, bytes) else name


def simulate(flag: bool = True) -> None:
    """Turn the simulated CUDA device on/off (numpy memory labelled ``cuda:0``).

    打开/关闭模拟 CUDA 设备：数据仍在 numpy 中，但设备语义与报错和真实 GPU 一样。
    Same as the environment variable ``COURSE_LIB_SIMULATE_CUDA=1``.
    """
    _backend.set_simulate(flag)


def is_simulated() -> bool:
    return _backend.simulating()


def synchronize(device=None) -> None:
    if _backend.real_cuda_available() and not _backend.simulating():
        _backend.cupy_module().cuda.Device().synchronize()


def manual_seed(seed) -> None:
    from ..random import manual_seed as _seed

    _seed(seed)


manual_seed_all = manual_seed


def empty_cache() -> None:
    if _backend.real_cuda_available() and not _backend.simulating():
        _backend.cupy_module().get_default_memory_pool().free_all_blocks()


from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks
