"""Array backends: numpy for ``cpu``, cupy for ``cuda``, or a simulated CUDA device.

数组后端：``cpu`` 用 numpy，``cuda`` 用 cupy，或者一个模拟的 CUDA 设备。

This is the ONLY module that imports cupy (lazily, on first use of cuda). The simulated
device (opt in: env ``COURSE_LIB_SIMULATE_CUDA=1`` or ``course_lib.cuda.simulate(True)``)
keeps its data in :class:`SimulatedCudaArray`, a numpy subclass, so that device checks,
transfers (real copies) and errors behave as on a GPU.
"""
from __future__ import annotations

import os

import numpy as np

from ._device import CPU, CUDA0, device

ndarray = np.ndarray


class SimulatedCudaArray(np.ndarray):
    """numpy memory labelled as living on the simulated ``cuda:0``. 模拟 GPU 上的数组。

    Every result computed from it stays on the simulated device: ufuncs, numpy functions,
    indexing and reductions never hand back a plain ndarray or a numpy scalar.
    """

    __array_priority__ = 20.0

    def __array_wrap__(self, arr, context=None, return_scalar=False):
        return arr if type(arr) is SimulatedCudaArray else arr.view(SimulatedCudaArray)

    def __array_function__(self, func, types, args, kwargs):
        return _relabel(super().__array_function__(func, types, args, kwargs))

    def __getitem__(self, index):
        return _relabel(super().__getitem__(index))

    def argmax(self, *args, **kwargs):
        return _relabel(super().argmax(*args, **kwargs))

    def argmin(self, *args, **kwargs):
        return _relabel(super().argmin(*args, **kwargs))


def _relabel(r):
    """Put numpy results (arrays, scalars, tuples of them) on the simulated device."""
    if isinstance(r, np.ndarray):
        return r if type(r) is SimulatedCudaArray else r.view(SimulatedCudaArray)
    if isinstance(r, np.generic):
        return np.asarray(r).view(SimulatedCudaArray)
    if isinstance(r, (tuple, list)):
        items = [_relabel(x) for x in r]
        return type(r)(*items) if hasattr(r, "_fields") else type(r)(items)  # a namedtuple
    return r


_state = {"simulate": os.environ.get("COURSE_LIB_SIMULATE_CUDA", "") not in ("", "0"),
          "cupy": None, "probed": False, "why": ""}


def set_simulate(flag: bool) -> None:
    _state["simulate"] = bool(flag)


def simulating() -> bool:
    return _state["simulate"]


def _probe():
    """Import cupy once and check for a GPU; remember why it failed."""
    if not _state["probed"]:
        _state["probed"] = True
        try:
            import cupy  # noqa: PLC0415  (the only cupy import of course_lib)
        except Exception as e:  # ImportError or a broken CUDA install
            _state["why"] = "cupy" + (f" ({e})" if not isinstance(e, ImportError) else "")
            return None
        try:
            n = cupy.cuda.runtime.getDeviceCount()
        except Exception:
            n = 0
        if n <= 0:
            _state["why"] = "gpu"
            return None
        _state["cupy"] = cupy
    return _state["cupy"]


def cupy_module():
    return _probe()


def real_cuda_available() -> bool:
    return _probe() is not None


def cuda_available() -> bool:
    return _state["simulate"] or _probe() is not None


def device_count() -> int:
    if _state["simulate"]:
        return 1
    cp = _probe()
    return cp.cuda.runtime.getDeviceCount() if cp is not None else 0


def require_cuda():
    """Raise the bilingual 'no CUDA' error saying what is missing and how to fix it."""
    if cuda_available():
        return
    if _state["why"].startswith("cupy"):
        raise RuntimeError(
            "无法使用 CUDA：没有安装 cupy（course_lib 用它在 GPU 上计算）。"
            "请安装与你的 CUDA 版本匹配的 cupy，例如 `pip install -e '.[cuda12]'`（或 cuda13），"
            "或者用 `course_lib.cuda.simulate(True)` / 环境变量 COURSE_LIB_SIMULATE_CUDA=1 使用模拟设备。\n"
            "Torch not compiled with CUDA enabled: course_lib cannot use CUDA because cupy is not "
            "installed" + _state["why"][4:] + ". Install the cupy that matches your CUDA, e.g. "
            "`pip install -e '.[cuda12]'` (or cuda13), or use the simulated device with "
            "`course_lib.cuda.simulate(True)` / COURSE_LIB_SIMULATE_CUDA=1.")
    raise RuntimeError(
        "无法使用 CUDA：已安装 cupy，但没有找到 NVIDIA GPU（或驱动）。请在有 GPU 的机器上运行，"
        "检查 `nvidia-smi`，或者用 `course_lib.cuda.simulate(True)` 使用模拟设备。\n"
        "Found no NVIDIA driver on your system / no CUDA GPU: cupy is installed but no GPU was "
        "found. Run on a machine with a GPU (check `nvidia-smi`), or use the simulated device "
        "with `course_lib.cuda.simulate(True)` / COURSE_LIB_SIMULATE_CUDA=1.")


def device_of(a) -> device:
    """The device an array lives on."""
    t = type(a)
    if t is ndarray:
        return CPU
    if t is SimulatedCudaArray:
        return CUDA0
    if isinstance(a, (np.ndarray, np.generic)):
        return CPU
    return device._make("cuda", a.device.id)


def is_cpu(a) -> bool:
    return type(a) is ndarray


def xp_of(a):
    """numpy or cupy: the module whose functions work on ``a``."""
    t = type(a)
    if t is ndarray or t is SimulatedCudaArray or isinstance(a, (np.ndarray, np.generic)):
        return np
    if getattr(t, "is_tarray", False):  # create_graph's Tensor-backed array: its data's module
        return xp_of(a.t._data)
    return _state["cupy"]


def to_numpy(a) -> np.ndarray:
    """A host numpy array with ``a``'s values (a view on cpu, a copy from a GPU)."""
    t = type(a)
    if t is ndarray:
        return a
    if t is SimulatedCudaArray:
        return a.view(np.ndarray)
    if isinstance(a, np.ndarray):
        return np.asarray(a)
    return a.get()


def transfer(a, dev: device, copy=False):
    """``a`` on ``dev`` (a real copy when the device changes)."""
    src = device_of(a)
    if src.type == dev.type:
        return a.copy() if copy else a
    if dev.type == "cpu":
        return np.array(to_numpy(a), copy=True)
    require_cuda()
    if _state["simulate"]:
        return np.array(a, copy=True).view(SimulatedCudaArray)
    cp = _state["cupy"]
    with cp.cuda.Device(dev.index or 0):
        return cp.asarray(a)


def module_for(dev: device):
    """The array module (numpy/cupy) for creating arrays on ``dev``."""
    if dev.type == "cpu" or _state["simulate"]:
        return np
    require_cuda()
    return _state["cupy"]


def on_device(a, dev: device):
    """Relabel/move a freshly created host array to ``dev`` (no copy on cpu)."""
    if dev.type == "cpu":
        return a
    require_cuda()
    if _state["simulate"]:
        return a.view(SimulatedCudaArray) if type(a) is ndarray else a
    return transfer(a, dev)


def writeable(a) -> bool:
    """numpy arrays may be read-only (broadcast views); cupy arrays always accept writes."""
    return getattr(a.flags, "writeable", True)


def reshape_view(a, shape):
    """``a`` reshaped WITHOUT copying; ValueError when the strides do not allow it."""
    if isinstance(a, np.ndarray):
        return a.reshape(shape, copy=False)
    r = a.reshape(shape)  # cupy: a copy happens only when needed, detect it by the pointer
    if r.size and r.data.ptr != a.data.ptr:
        raise ValueError("a copy would be needed")
    return r


def ensure_array(r, like):
    """numpy ufuncs return scalars for 0-d inputs: turn those back into 0-d arrays."""
    if isinstance(r, np.generic):
        r = np.asarray(r)
        if type(like) is SimulatedCudaArray:
            r = r.view(SimulatedCudaArray)
    return r
