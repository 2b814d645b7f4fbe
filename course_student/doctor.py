"""``course doctor``: check the environment, explain each problem and its fix in 中文 + English.

``course doctor`` 检查环境：Python、操作系统、numpy 及其 BLAS、CuPy、NVIDIA 驱动（nvidia-smi）、
CUDA 运行时（CuPy / nvcc -V）、GPU 与显存、版本是否匹配、JupyterLab 与 nbgrader 及其扩展。

Exit status 1 only when something REQUIRED is missing (Python, numpy, course_lib, JupyterLab,
nbgrader). The GPU is optional: without one the report explains why CUDA is unavailable and the
exit status stays 0 (unless ``--require-gpu``). The doctor probes with its own code and needs neither
numpy nor course_lib (it must explain a broken install), so its required checks never depend on the
student's answers. Two verdicts are lesson 00's pieces (``course_lib.utils.collect_env``): whether the
CUDA runtime fits the driver (``cuda_compatible``) and whether the course's requirements are met
(``parse_package_list`` / ``compare_versions`` / ``check_requirements``); while those are not done, or
course_lib does not import, the doctor says so and reports what it observed instead (does CuPy run).
``python -m course_student.doctor [--json]`` works too.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.metadata as md
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

OK, INFO, WARN, FAIL = "ok", "info", "warn", "fail"
_MARK = {OK: "✓", INFO: "·", WARN: "!", FAIL: "✗"}
MIN_PYTHON = (3, 10)
NBGRADER_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.formgrader",
)


@dataclass
class Check:
    name: str
    status: str
    value: str
    required: bool = False
    fix_zh: str = ""
    fix_en: str = ""


@dataclass
class Report:
    checks: list = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    def add(self, *args, **kwargs):
        self.checks.append(Check(*args, **kwargs))

    @property
    def exit_code(self) -> int:
        return int(any(c.status == FAIL for c in self.checks))


def run(cmd, timeout=15.0):
    """(returncode, stdout, stderr); 127 when the command is not on PATH."""
    if shutil.which(cmd[0]) is None:
        return 127, "", f"{cmd[0]}: command not found"
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return 1, "", str(e)
    return p.returncode, p.stdout.strip(), p.stderr.strip()


def version_tuple(version):
    """'12.1.105' → (12, 1); None stays None."""
    if version is None:
        return None
    major, _, rest = str(version).partition(".")
    return int(major), int(rest.partition(".")[0] or 0)


def _dist_version(name):
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return None


# --------------------------------------------------------------------------- probes
def probe_nvidia_smi():
    """Driver version, the CUDA version it supports, GPUs with memory (or why there are none)."""
    rc, out, err = run(["nvidia-smi"])
    facts = {"nvidia_smi_rc": rc, "driver": None, "driver_cuda": None, "gpus": [],
             "nvidia_smi_error": None if rc == 0 else (err or out)[:300]}
    if rc != 0:
        return facts
    m = re.search(r"Driver Version:\s*([0-9][0-9.]*[0-9])", out)
    facts["driver"] = m.group(1) if m else None
    m = re.search(r"CUDA Version\s*:\s*(\d+\.\d+)", out)
    facts["driver_cuda"] = m.group(1) if m else None
    rc, out, _ = run(["nvidia-smi", "--query-gpu=index,name,memory.total",
                      "--format=csv,noheader,nounits"])
    for line in out.splitlines() if rc == 0 else []:
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 3 and parts[2].isdigit():
            facts["gpus"].append({"index": int(parts[0]), "name": parts[1],
                                  "memory_mib": int(parts[2])})
    return facts


def probe_nvcc():
    rc, out, _ = run(["nvcc", "-V"])
    m = re.search(r"release\s+(\d+\.\d+)", out) if rc == 0 else None
    return m.group(1) if m else None


def probe_cupy():
    """CuPy version, its wheel's CUDA major, runtime/driver versions, GPUs — or the import error."""
    facts = {"cupy": None, "cupy_error": None, "cupy_wheel_cuda": None, "runtime_cuda": None,
             "cupy_driver_cuda": None, "cupy_devices": None}
    for dist in ("cupy-cuda13x", "cupy-cuda12x", "cupy-cuda11x", "cupy"):
        if _dist_version(dist):
            m = re.search(r"cuda(\d+)x", dist)
            facts["cupy_wheel_cuda"] = m.group(1) if m else None
            break
    try:
        cupy = importlib.import_module("cupy")
    except Exception as e:  # not installed, or its CUDA libraries do not load
        facts["cupy_error"] = f"{type(e).__name__}: {e}"[:300]
        return facts
    facts["cupy"] = getattr(cupy, "__version__", "?")
    rt = cupy.cuda.runtime

    def cuda_str(v):
        return f"{v // 1000}.{(v % 1000) // 10}"
    try:
        facts["runtime_cuda"] = cuda_str(rt.runtimeGetVersion())
        facts["cupy_driver_cuda"] = cuda_str(rt.driverGetVersion())
        n = rt.getDeviceCount()
        facts["cupy_devices"] = []
        for i in range(n):
            props = rt.getDeviceProperties(i)
            name = props.get("name", b"?")
            facts["cupy_devices"].append({
                "index": i, "name": name.decode() if isinstance(name, bytes) else str(name),
                "memory_mib": int(props.get("totalGlobalMem", 0)) // 2**20})
    except Exception as e:  # e.g. cudaErrorInsufficientDriver, no device
        facts["cupy_error"] = f"{type(e).__name__}: {e}"[:300]
    return facts


def probe_blas():
    try:
        from threadpoolctl import threadpool_info
        import numpy  # noqa: F401  (loads numpy's BLAS so threadpoolctl sees it)
        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                return (f"{pool.get('internal_api')} {pool.get('version') or ''} "
                        f"({pool.get('num_threads')} threads)").replace("  ", " ")
    except Exception:
        pass
    try:
        import numpy
        cfg = numpy.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception:
        return None


def probe_extensions():
    """nbgrader's server extensions (enabled?) and its JupyterLab extension (installed, enabled?)."""
    facts = {"server": {}, "lab_nbgrader": None}
    try:
        from jupyter_core.paths import jupyter_config_path, jupyter_path
        from jupyter_server.config_manager import BaseJSONConfigManager
        from jupyter_server.extension.config import ExtensionConfigManager
    except ImportError:
        return facts
    enabled = ExtensionConfigManager(read_config_path=jupyter_config_path()).get_jpserver_extensions()
    facts["server"] = {name: bool(enabled.get(name)) for name in NBGRADER_SERVER_EXTENSIONS}
    installed = any((Path(d) / "@jupyter" / "nbgrader" / "package.json").is_file()
                    for d in jupyter_path("labextensions"))
    disabled = False
    for d in jupyter_config_path():
        page = BaseJSONConfigManager(config_dir=os.path.join(d, "labconfig")).get("page_config")
        off = page.get("disabledExtensions", {}) or {}
        names = off if isinstance(off, list) else [k for k, v in off.items() if v]
        disabled |= any(n == "@jupyter/nbgrader" or n.startswith("@jupyter/nbgrader:") for n in names)
    facts["lab_nbgrader"] = "enabled" if installed and not disabled else (
        "disabled" if installed else "missing")
    return facts


# --------------------------------------------------------------------------- checks
def check_python(r: Report):
    v = sys.version_info
    value = f"{platform.python_version()} ({sys.executable})"
    if v[:2] >= MIN_PYTHON:
        r.add("Python", OK, value, True)
    else:
        r.add("Python", FAIL, value, True,
              "需要 Python ≥ 3.10：`conda env create -f environment.yml` 会装好 Python 3.11。",
              "Python ≥ 3.10 is needed: `conda env create -f environment.yml` installs Python 3.11.")
    r.add("OS", INFO, f"{platform.platform()} ({platform.machine()})")


def check_python_packages(r: Report):
    try:
        import numpy
        r.add("numpy", OK, f"{numpy.__version__}, BLAS: {probe_blas() or '?'}", True)
    except ImportError as e:
        r.add("numpy", FAIL, str(e), True, "安装依赖：在课程文件夹中运行 `make lab` 或 `pip install -e .`。",
              "Install the dependencies: run `make lab` or `pip install -e .` in the course folder.")
    try:
        spec = importlib.util.find_spec("course_lib")
        where = Path(spec.origin).parent if spec and spec.origin else None
        if where is None:
            raise ImportError("course_lib not found")
        build = ("学生版 / student build" if (where / "_build.py").is_file()
                 else "完整版 / full (instructor)")
        r.add("course_lib", OK, f"{where} ({build})", True)
    except ImportError as e:
        r.add("course_lib", FAIL, str(e), True,
              "在课程文件夹中运行 `pip install -e .`（或 `make lab`）。",
              "Run `pip install -e .` (or `make lab`) in the course folder.")
    for dist, label in (("jupyterlab", "JupyterLab"), ("nbgrader", "nbgrader")):
        v = _dist_version(dist)
        if v:
            r.add(label, OK, v, True)
        else:
            r.add(label, FAIL, "未安装 / not installed", True,
                  f"安装 {label}：`pip install -e .`（或 conda：`conda env update -f environment.yml`）。",
                  f"Install {label}: `pip install -e .` (or conda: `conda env update -f environment.yml`).")
    zh = _dist_version("jupyterlab-language-pack-zh-CN")
    r.add("中文界面 / zh-CN language pack", INFO, zh or "未安装 / not installed")


def check_extensions(r: Report):
    ext = probe_extensions()
    r.facts["extensions"] = ext
    if not ext["server"]:
        return
    off = [n for n, on in ext["server"].items() if not on]
    if not off:
        r.add("nbgrader server extensions", OK, "enabled: " + ", ".join(
            n.rsplit(".", 1)[1] for n in ext["server"]))
    else:
        cmds = "; ".join(f"jupyter server extension enable --sys-prefix {n}" for n in off)
        r.add("nbgrader server extensions", WARN, "disabled: " + ", ".join(off), False,
              f"启用它们（否则 Validate / Assignments 等按钮不可用）：`{cmds}`",
              f"Enable them (otherwise Validate / Assignments do not work): `{cmds}`")
    if ext["lab_nbgrader"] == "enabled":
        r.add("nbgrader JupyterLab extension", OK, "@jupyter/nbgrader enabled")
    else:
        r.add("nbgrader JupyterLab extension", WARN, f"@jupyter/nbgrader {ext['lab_nbgrader']}", False,
              "运行 `jupyter labextension enable @jupyter/nbgrader`；若缺失，重新安装 `pip install nbgrader==0.9.6`。",
              "Run `jupyter labextension enable @jupyter/nbgrader`; if missing, reinstall "
              "`pip install nbgrader==0.9.6`.")


def check_grading_sandbox(r: Report):
    """The instructor's grading sandbox (autograder/jail.py); absent in the student course."""
    try:
        from autograder import jail
    except ImportError:
        return
    why = jail.probe()
    if why is None:
        r.add("grading sandbox (bubblewrap)", OK, "bwrap: pid/net/ipc namespaces, own uid, "
              "read-only view")
    else:
        r.add("grading sandbox (bubblewrap)", WARN, why, False,
              "`course grade` 会拒绝评分：安装 bubblewrap（apt-get install bubblewrap）并允许用户命名空间。",
              "`course grade` refuses to grade: install bubblewrap (apt-get install bubblewrap) "
              "and allow user namespaces.")


def ask_lesson00(piece, *args):
    """``(answer, None)`` from lesson 00's ``piece`` in course_lib, or ``(None, why)`` (bilingual)
    when course_lib does not import (e.g. no numpy), the piece is not done or it fails."""
    try:
        from course_lib.utils import collect_env
    except Exception as e:  # noqa: BLE001  (a broken install is what the doctor explains)
        return None, f"course_lib 无法导入 / cannot import course_lib: {type(e).__name__}"
    try:
        return getattr(collect_env, piece)(*args), None
    except NotImplementedError:  # ExerciseNotDone
        return None, f"第 00 课练习 {piece} 未完成 / lesson 00's {piece} not done"
    except Exception as e:  # noqa: BLE001  (a student's piece that crashes)
        return None, f"{piece}: {type(e).__name__}: {e}"[:200]


def _extra_for(driver_cuda):
    return "cuda13" if driver_cuda and version_tuple(driver_cuda) >= (13, 0) else "cuda12"


def check_gpu(r: Report, require_gpu=False):
    """Driver, runtime, GPUs and whether they fit; GPU problems fail only with --require-gpu."""
    smi, cp, nvcc = probe_nvidia_smi(), probe_cupy(), probe_nvcc()
    r.facts.update(smi, nvcc=nvcc, **cp)
    bad = FAIL if require_gpu else WARN

    old_driver = smi["driver_cuda"] and version_tuple(smi["driver_cuda"]) < (12, 0)
    if smi["driver"] and not old_driver:
        r.add("NVIDIA driver", OK, f"{smi['driver']} (CUDA ≤ {smi['driver_cuda']})", require_gpu)
    elif smi["driver"]:
        r.add("NVIDIA driver", bad, f"{smi['driver']} (CUDA ≤ {smi['driver_cuda']})", require_gpu,
              "驱动太旧：课程的 CuPy（cuda12/cuda13）需要支持 CUDA ≥ 12 的驱动（Linux ≥ 525.60）。请升级驱动。",
              "The driver is too old: the course's CuPy (cuda12/cuda13) needs a driver that supports "
              "CUDA ≥ 12 (Linux ≥ 525.60). Update the driver.")
    elif smi["nvidia_smi_rc"] == 127:
        r.add("NVIDIA driver", INFO if not require_gpu else FAIL, "nvidia-smi 未找到 / not found",
              require_gpu)
    else:
        r.add("NVIDIA driver", bad, f"nvidia-smi 失败 / failed: {smi['nvidia_smi_error']}", require_gpu,
              "驱动无法工作：重新安装或更新 NVIDIA 驱动后重启（内核更新后常见）。",
              "The driver does not work: reinstall or update the NVIDIA driver and reboot (common "
              "after a kernel update).")
    for g in smi["gpus"]:
        r.add(f"GPU {g['index']}", OK, f"{g['name']}, {g['memory_mib']} MiB")

    if cp["cupy"]:
        r.add("CuPy", OK if not cp["cupy_error"] else bad,
              f"{cp['cupy']} (wheel cuda{cp['cupy_wheel_cuda'] or '?'}x, runtime CUDA "
              f"{cp['runtime_cuda'] or '?'})" + (f"; {cp['cupy_error']}" if cp["cupy_error"] else ""),
              require_gpu,
              *(("CuPy 装好了但无法使用 GPU：见下面关于驱动与运行时版本的说明。",
                 "CuPy is installed but cannot use the GPU: see the driver/runtime notes below.")
                if cp["cupy_error"] else ()))
    else:
        extra = _extra_for(smi["driver_cuda"])
        r.add("CuPy", bad if (smi["driver"] or require_gpu) else INFO,
              "未安装 / not installed" if "No module" in (cp["cupy_error"] or "") else cp["cupy_error"],
              require_gpu,
              *((f"有 GPU 但没有 CuPy：`pip install -e '.[{extra}]'`，或 conda："
                 "`conda env update -f environment-gpu.yml`。",
                 f"A GPU but no CuPy: `pip install -e '.[{extra}]'`, or with conda: "
                 "`conda env update -f environment-gpu.yml`.") if smi["driver"] else ()))
    if nvcc:
        r.add("nvcc (CUDA toolkit)", INFO, f"{nvcc}（pip/conda 的 CuPy 自带运行时，nvcc 不是必需的 / "
              "CuPy from pip/conda brings its own runtime; nvcc is optional)")

    # Do the versions fit together? NVIDIA's rule is lesson 00's cuda_compatible.  版本是否匹配？
    runtime = cp["runtime_cuda"] or (f"{cp['cupy_wheel_cuda']}.0" if cp["cupy_wheel_cuda"] else None)
    drv, drv_cuda = smi["driver"], smi["driver_cuda"]
    if drv_cuda and runtime:
        verdict, why = ask_lesson00("cuda_compatible", drv_cuda, runtime, drv)
        r.facts["runtime_fits_driver"] = verdict or why
        if verdict == "yes":
            r.add("driver ↔ runtime", OK, f"runtime CUDA {runtime} ≤ driver CUDA {drv_cuda}")
        elif verdict == "minor":
            r.add("driver ↔ runtime", OK, f"runtime CUDA {runtime} > driver CUDA {drv_cuda}: "
                  "次版本兼容 / minor-version compatibility", False,
                  f"CUDA 11 起，同一主版本内较新的运行时可以在较旧的驱动上运行（NVIDIA 的次版本兼容），但 CUDA "
                  f"{runtime} 新增的功能和需要驱动即时编译的 PTX 可能要求更新的驱动；遇到 "
                  "cudaErrorCallRequiresNewerDriver 或 PTX 错误时请升级驱动。",
                  f"Since CUDA 11 a newer runtime of the same major runs on an older driver (NVIDIA's "
                  f"minor-version compatibility), but features new in CUDA {runtime} and PTX the driver must "
                  "JIT-compile may need a newer driver; on cudaErrorCallRequiresNewerDriver or PTX errors, "
                  "update the driver.")
        elif verdict == "no":
            r.add("driver ↔ runtime", bad,
                  f"mismatch: runtime CUDA {runtime} > driver CUDA {drv_cuda}", require_gpu,
                  f"驱动 {drv}（CUDA {drv_cuda}）跑不了 CUDA {runtime} 的运行时：把驱动升级到支持 CUDA {runtime} "
                  f"的版本，或安装与驱动相符的 CuPy（`pip install -e '.[{_extra_for(drv_cuda)}]'`）。",
                  f"Driver {drv} (CUDA {drv_cuda}) is too old for the CUDA {runtime} runtime: update the "
                  f"driver to one that supports CUDA {runtime}, or install the CuPy that fits the driver "
                  f"(`pip install -e '.[{_extra_for(drv_cuda)}]'`).")
        elif cp["cupy"] and not cp["cupy_error"]:
            r.add("driver ↔ runtime", OK, f"runtime CUDA {runtime}, driver CUDA {drv_cuda}: "
                  f"CuPy 能运行 / CuPy runs ({why})")
        else:
            r.add("driver ↔ runtime", INFO, f"runtime CUDA {runtime}, driver CUDA {drv_cuda} ({why})", False,
                  "完成第 00 课的 cuda_compatible 后，这里按 NVIDIA 的规则判断二者是否兼容。",
                  "Once lesson 00's cuda_compatible is done, this line applies NVIDIA's rule to the two.")
    if nvcc and drv_cuda:
        verdict, _ = ask_lesson00("cuda_compatible", drv_cuda, nvcc, drv)
        if verdict == "no":
            r.add("driver ↔ nvcc", WARN, f"mismatch: nvcc CUDA {nvcc} > driver CUDA {drv_cuda}", False,
                  "用 nvcc 编译的程序会报 “driver version is insufficient”：升级驱动或换用较旧的工具包。",
                  "Programs built with this nvcc fail with 'driver version is insufficient': update the "
                  "driver or use an older toolkit.")
        elif verdict == "minor":
            r.add("driver ↔ nvcc", INFO, f"nvcc CUDA {nvcc} > driver CUDA {drv_cuda}: "
                  "次版本兼容 / minor-version compatibility", False,
                  "用这个 nvcc 编译成机器码（cubin）的程序能运行；只带 PTX、需要驱动即时编译的程序要更新的驱动。",
                  "Programs this nvcc compiles to machine code (cubin) run; programs shipping only PTX for "
                  "the driver to JIT-compile need a newer driver.")

    usable = bool(cp["cupy"] and not cp["cupy_error"] and cp["cupy_devices"])
    r.facts["cuda_available"] = usable
    if usable:
        r.add("CUDA", OK, f"可用 / available: {len(cp['cupy_devices'])} GPU(s)")
        return
    if not smi["driver"] and not cp["cupy"]:
        why_zh = "本机没有可用的 NVIDIA GPU 驱动（找不到或无法运行 nvidia-smi），也没有安装 CuPy"
        why_en = "this machine has no working NVIDIA driver (nvidia-smi is missing or fails) and CuPy is not installed"
    elif not smi["driver"]:
        why_zh, why_en = "装了 CuPy，但没有可用的 NVIDIA 驱动/GPU", "CuPy is installed but there is no working NVIDIA driver/GPU"
    elif not cp["cupy"]:
        why_zh, why_en = "有 NVIDIA 驱动，但没有安装 CuPy", "there is an NVIDIA driver but CuPy is not installed"
    else:
        why_zh = f"CuPy 无法使用 GPU（{cp['cupy_error'] or '没有设备'}）"
        why_en = f"CuPy cannot use the GPU ({cp['cupy_error'] or 'no device'})"
    r.add("CUDA", FAIL if require_gpu else INFO, "不可用 / unavailable", require_gpu,
          f"CUDA 不可用，因为{why_zh}。GPU 是可选的：所有课程都能在 CPU 上运行，第 03 课可以用模拟 CUDA 设备"
          "（`course_lib.cuda.simulate(True)` 或环境变量 COURSE_LIB_SIMULATE_CUDA=1）。",
          f"CUDA is unavailable because {why_en}. The GPU is optional: every lesson runs on the CPU, "
          "and lesson 03 can use the simulated CUDA device (`course_lib.cuda.simulate(True)` or "
          "COURSE_LIB_SIMULATE_CUDA=1).")


def check_course_requirements(r: Report):
    """The course's requirements (pyproject) against ``pip list``, through lesson 00's pieces."""
    try:
        from course_lib.utils import collect_env
    except Exception:  # noqa: BLE001  (no numpy / course_lib: the required checks above say so)
        return
    unmet, why = collect_env.requirements_report()
    if why:
        r.add("course requirements", INFO, why, False,
              "完成第 00 课的练习 1–3（parse_package_list、compare_versions、check_requirements）后，这里逐条检查"
              "课程的依赖。",
              "Once lesson 00's exercises 1–3 (parse_package_list, compare_versions, check_requirements) "
              "are done, this line checks each of the course's requirements.")
    elif unmet:
        r.add("course requirements", WARN, "; ".join(unmet), False,
              "在课程文件夹中运行 `pip install -e .`（conda：`conda env update -f environment.yml`）装上或升级它们。",
              "Run `pip install -e .` in the course folder (conda: `conda env update -f environment.yml`) "
              "to install or upgrade them.")
    else:
        r.add("course requirements", OK, "全部满足 / all met")


def diagnose(require_gpu=False) -> Report:
    r = Report()
    check_python(r)
    check_python_packages(r)
    check_course_requirements(r)
    check_extensions(r)
    check_gpu(r, require_gpu)
    check_grading_sandbox(r)
    return r


# --------------------------------------------------------------------------- output
def format_text(r: Report) -> str:
    lines = ["course doctor — 环境检查 / environment check", ""]
    for c in r.checks:
        lines.append(f"{_MARK[c.status]} {c.name}: {c.value}")
        if c.fix_zh:
            lines.append(f"    修复 · 说明: {c.fix_zh}")
            lines.append(f"    Fix · note:  {c.fix_en}")
    fails = [c.name for c in r.checks if c.status == FAIL]
    warns = [c.name for c in r.checks if c.status == WARN]
    lines.append("")
    if fails:
        lines.append(f"✗ 缺少必需的部分 / required parts missing: {', '.join(fails)}")
    elif warns:
        lines.append(f"! 可以上课，但请看上面的提示 / ready, but see the notes above: {', '.join(warns)}")
    else:
        lines.append("✓ 一切就绪 / all set")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    parser.add_argument("--require-gpu", action="store_true",
                        help="没有可用 GPU 时返回非零 / non-zero exit when no usable GPU")


def main(args) -> int:
    r = diagnose(require_gpu=getattr(args, "require_gpu", False))
    if getattr(args, "json", False):
        print(json.dumps({"exit_code": r.exit_code, "checks": [asdict(c) for c in r.checks],
                          "facts": r.facts}, ensure_ascii=False, indent=2))
    else:
        print(format_text(r))
    return r.exit_code


if __name__ == "__main__":
    p = argparse.ArgumentParser(prog="course doctor", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(p)
    sys.exit(main(p.parse_args()))
