"""Environment probing, shaped like ``torch.utils.collect_env`` (lesson 00's pieces).

环境探测，对应 ``torch.utils.collect_env``（第 00 课的练习组件）。

Three pieces are exercises of lesson 00_setup:
``parse_driver_version`` (nvidia-smi → driver version), ``parse_cuda_version``
(nvcc -V → CUDA toolkit release) and ``cuda_compatible`` (can this driver run that runtime?).
``get_env_info`` / ``get_pretty_env_info`` / ``main`` report the whole set-up
(``python -m course_lib.utils.collect_env``); they call the three pieces and fall back to the raw
line of output while a piece is not done yet, so they also work in the student build.
"""
from __future__ import annotations

import platform
import re
import shutil
import subprocess
import sys
from collections import namedtuple

from ..exercises import ExerciseNotDone, exercise

__all__ = [
    "run",
    "parse_driver_version",
    "parse_cuda_version",
    "cuda_compatible",
    "parse_driver_cuda_version",
    "get_env_info",
    "get_pretty_env_info",
    "main",
    "SystemEnv",
]


def run(command, timeout=10.0):
    """Run ``command`` (a list of words) and return ``(returncode, stdout, stderr)``.

    运行命令并返回 ``(返回码, 标准输出, 标准错误)``；命令不存在时返回码为 127。
    """
    if isinstance(command, str):
        command = command.split()
    if shutil.which(command[0]) is None:
        return 127, "", f"{command[0]}: command not found"
    try:
        p = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return 1, "", str(e)
    return p.returncode, p.stdout.strip(), p.stderr.strip()


@exercise("00_setup", "parse_driver_version",
          key="course_lib.utils.collect_env.parse_driver_version")
def parse_driver_version(nvidia_smi_output):
    """Return the NVIDIA driver version shown by ``nvidia-smi``, e.g. ``'535.104.05'``.

    从 ``nvidia-smi`` 的输出中取出驱动版本号（如 ``'535.104.05'``）；找不到时返回 ``None``
    （例如没有驱动、命令不存在、输出为空）。

    The header line looks like ``| NVIDIA-SMI 535.104.05  Driver Version: 535.104.05
    CUDA Version: 12.2 |``. Return ``None`` when there is no ``Driver Version:`` in the text.
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


@exercise("00_setup", "parse_cuda_version",
          key="course_lib.utils.collect_env.parse_cuda_version")
def parse_cuda_version(nvcc_output):
    """Return the CUDA toolkit release printed by ``nvcc -V``, e.g. ``'12.1'``.

    从 ``nvcc -V`` 的输出中取出 CUDA 工具包的版本（``release`` 后面的 ``主.次``，如 ``'12.1'``）；
    找不到时返回 ``None``。

    The line looks like ``Cuda compilation tools, release 12.1, V12.1.105``: the answer is the
    ``major.minor`` after ``release``. Return ``None`` when there is no such line.
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


@exercise("00_setup", "cuda_compatible",
          key="course_lib.utils.collect_env.cuda_compatible")
def cuda_compatible(driver_cuda, runtime_cuda):
    """Can a driver that supports CUDA ``driver_cuda`` run code built for ``runtime_cuda``?

    驱动支持的最高 CUDA 版本为 ``driver_cuda``（nvidia-smi 右上角的 ``CUDA Version``），
    程序所用的 CUDA 运行时版本为 ``runtime_cuda``：能否运行？规则：比较 ``(主版本, 次版本)``
    两个整数，运行时不高于驱动即可（``'12.10'`` 高于 ``'12.9'``，要按数字比较，不能按字符串）。
    任一参数为 ``None``（没有驱动/没有 CUDA）时返回 ``False``；版本号不是数字时抛出 ``ValueError``。

    Compare ``(major, minor)`` as integers (a third part such as ``'12.1.105'`` is ignored):
    compatible when runtime ≤ driver. ``None`` for either → ``False``. A malformed version
    string (``'abc'``) → ``ValueError``.
    """
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


def parse_driver_cuda_version(nvidia_smi_output):
    """The highest CUDA version the driver supports (``CUDA Version: 12.2`` in nvidia-smi).

    驱动支持的最高 CUDA 版本（nvidia-smi 表头中的 ``CUDA Version``）；找不到时返回 ``None``。
    """
    found = re.findall(r"CUDA Version\s*:\s*(\d+\.\d+)", nvidia_smi_output or "")
    return found[0] if found else None


SystemEnv = namedtuple("SystemEnv", [
    "course_lib_version", "python_version", "python_platform", "numpy_version",
    "cupy_version", "is_cuda_available", "cuda_device_count", "cuda_compiled_version",
    "nvidia_gpu_models", "nvidia_driver_version", "driver_cuda_version",
    "nvcc_cuda_version", "runtime_fits_driver",
])


def _piece(fn, text, raw_pattern):
    """Call a lesson-00 piece; while it is not done, show the raw matching line instead."""
    try:
        return fn(text)
    except ExerciseNotDone:
        raw = re.search(raw_pattern, text)
        return f"{raw.group(0).strip() if raw else '?'} (00_setup 练习未完成 / exercise not done)"
    except Exception as e:  # a student's piece that crashes must not break the report
        return f"error: {type(e).__name__}: {e}"


def _module_version(name):
    try:
        module = __import__(name)
    except Exception:  # not installed, or broken (cupy without a GPU driver)
        return None
    return getattr(module, "__version__", None)


def get_env_info():
    """Collect the facts that decide whether the course (and its CUDA lessons) can run.

    收集决定课程（及其 CUDA 课）能否运行的环境信息，返回 ``SystemEnv``。
    """
    import course_lib

    try:
        from course_lib import cuda, version
        available = cuda.is_available()
        count = cuda.device_count()
        compiled = version.cuda
        names = [cuda.get_device_name(i) for i in range(count)] if available else []
    except (ImportError, AttributeError):
        available, count, compiled, names = False, 0, None, []

    rc, smi, _ = run(["nvidia-smi"])
    smi = smi if rc == 0 else ""
    rc, nvcc, _ = run(["nvcc", "-V"])
    nvcc = nvcc if rc == 0 else ""

    driver = _piece(parse_driver_version, smi, r"Driver Version:\s*\S+") if smi else None
    nvcc_cuda = _piece(parse_cuda_version, nvcc, r"release \S+") if nvcc else None
    driver_cuda = parse_driver_cuda_version(smi)
    fits = None
    if driver_cuda is not None and (compiled or nvcc_cuda):
        runtime = compiled or nvcc_cuda
        try:
            fits = cuda_compatible(driver_cuda, runtime)
        except ExerciseNotDone:
            fits = "00_setup 练习未完成 / exercise not done"
        except Exception as e:
            fits = f"error: {type(e).__name__}: {e}"

    return SystemEnv(
        course_lib_version=course_lib.__version__,
        python_version=sys.version.replace("\n", " "),
        python_platform=platform.platform(),
        numpy_version=_module_version("numpy"),
        cupy_version=_module_version("cupy"),
        is_cuda_available=available,
        cuda_device_count=count,
        cuda_compiled_version=compiled,
        nvidia_gpu_models=", ".join(names) or None,
        nvidia_driver_version=driver,
        driver_cuda_version=driver_cuda,
        nvcc_cuda_version=nvcc_cuda,
        runtime_fits_driver=fits,
    )


_LABELS = {
    "course_lib_version": "course_lib 版本 / version",
    "python_version": "Python 版本 / version",
    "python_platform": "平台 / Platform",
    "numpy_version": "NumPy 版本 / version",
    "cupy_version": "CuPy 版本 / version",
    "is_cuda_available": "CUDA 是否可用 / Is CUDA available",
    "cuda_device_count": "GPU 数量 / CUDA device count",
    "cuda_compiled_version": "CUDA 运行时 / CUDA runtime (version.cuda)",
    "nvidia_gpu_models": "GPU 型号 / GPU models",
    "nvidia_driver_version": "NVIDIA 驱动 / driver version",
    "driver_cuda_version": "驱动支持的 CUDA / CUDA supported by driver",
    "nvcc_cuda_version": "nvcc 工具包 / CUDA toolkit (nvcc)",
    "runtime_fits_driver": "运行时与驱动兼容 / runtime fits driver",
}


def get_pretty_env_info():
    """The report as text, one ``label: value`` line per fact. 以文本形式返回环境报告。"""
    info = get_env_info()
    lines = []
    for field, value in info._asdict().items():
        if value is None:
            value = "无法获取 / Could not collect"
        elif value is True:
            value = "是 / Yes"
        elif value is False:
            value = "否 / No"
        lines.append(f"{_LABELS[field]}: {value}")
    return "\n".join(lines)


def main():
    print("正在收集环境信息… / Collecting environment information...")
    print(get_pretty_env_info())


if __name__ == "__main__":
    main()
