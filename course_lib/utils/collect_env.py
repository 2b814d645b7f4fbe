"""Environment probing, shaped like ``torch.utils.collect_env`` (lesson 00's pieces).

环境探测，对应 ``torch.utils.collect_env``（第 00 课的练习组件）。

Six pieces are exercises of lesson 00_setup: ``parse_package_list`` (``pip list --format=freeze``
/ ``conda list`` → ``{name: version}``), ``compare_versions`` (PEP 440 order),
``check_requirements`` (the course's requirements against what is installed),
``parse_driver_version`` (nvidia-smi → driver version), ``parse_cuda_version`` (nvcc -V → CUDA
toolkit release) and ``cuda_compatible`` (can this driver run that CUDA runtime? NVIDIA's rule).
``get_env_info`` / ``get_pretty_env_info`` / ``main`` report the whole set-up
(``python -m course_lib.utils.collect_env``) and ``course doctor`` asks the same pieces; while a
piece is not done they show the raw output instead, so they also work in the student build.
"""
from __future__ import annotations

import importlib.metadata as md
import os
import platform
import re
import shutil
import subprocess
import sys
from collections import namedtuple

from ..exercises import ExerciseNotDone, exercise

__all__ = [
    "run",
    "parse_package_list",
    "compare_versions",
    "check_requirements",
    "parse_driver_version",
    "parse_cuda_version",
    "cuda_compatible",
    "MIN_DRIVER_MINOR_COMPAT",
    "parse_driver_cuda_version",
    "installed_packages",
    "course_requirements",
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


# --------------------------------------------------------------------------- packages
@exercise("00_setup", "parse_package_list",
          key="course_lib.utils.collect_env.parse_package_list")
def parse_package_list(text):
    """Parse ``pip list --format=freeze`` or ``conda list`` output into ``{name: version}``.

    把 ``pip list --format=freeze``（每行 ``name==version``）或 ``conda list``（每行
    ``name  version  build  channel`` 几列，以 ``#`` 开头的是注释）的输出解析成字典
    ``{包名: 版本}``。包名按 PEP 503 规范化：小写，连续的 ``-``、``_``、``.`` 换成一个 ``-``
    （``Jinja2`` → ``jinja2``，``typing_extensions`` → ``typing-extensions``）。空行、注释、
    以 ``-`` 开头的行（``-e …``）以及其它无法识别的行（警告、报错、任何语言的说明文字）都忽略：
    一行有效，当且仅当包名由字母、数字与 ``. _ -`` 组成（以字母或数字开头），且版本以数字开头。
    版本原样保留（``'2.13.0+cpu'``）；同名出现两次时以后出现的为准。``None`` 或空文本 → ``{}``。

    A line counts when its name is letters, digits and ``. _ -`` (starting with a letter or a
    digit) and its version starts with a digit: ``name==version`` (pip; ``===`` too) or at
    least two whitespace-separated columns ``name version …`` (conda; also ``pip list``'s table).
    Blank lines, ``#`` comments, lines starting with ``-`` and anything else (warnings, errors,
    text in any language) are skipped; Windows line endings are fine. Names are normalised as
    PEP 503 says; versions are kept as written; a later line wins.
    """
    ### BEGIN SOLUTION
    packages = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        if "==" in line:
            name, _, version = line.partition("==")
            version = version.lstrip("=")
        else:
            fields = line.split()
            if len(fields) < 2:
                continue
            name, version = fields[0], fields[1]
        name, version = name.strip(), version.strip()
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) and re.match(r"\d", version):
            packages[re.sub(r"[-_.]+", "-", name).lower()] = version
    return packages
    ### END SOLUTION


@exercise("00_setup", "compare_versions",
          key="course_lib.utils.collect_env.compare_versions")
def compare_versions(a, b):
    """Compare two version strings in PEP 440 order: ``-1`` if a < b, ``0`` if equal, ``1`` if a > b.

    按 PEP 440（Python 包的版本规范）比较两个版本号：a < b 返回 ``-1``，相等返回 ``0``，a > b 返回 ``1``。
    版本的形式为 ``N(.N)*``，可带前缀 ``v``，其后依次可有：预发布 ``aN`` / ``bN`` / ``rcN``（数字可省，
    按 0 算）、``.postN``、``.devN``、本地标签 ``+…``（如 ``+cpu``，比较时忽略）；不区分大小写，
    首尾空白忽略。规则：发布号逐段按整数比较，末尾的 0 不算（``2.0 == 2.0.0``，``12.10 > 12.9``）；
    同一发布号内 ``.devN`` < ``aN`` < ``bN`` < ``rcN`` < 正式版 < ``.postN``；预发布或 post 版本后的
    ``.devN`` 排在它前面（``1.0rc1.dev0 < 1.0rc1``）。其它形式（如 ``'abc'``、``''``）抛出 ``ValueError``。

    Versions are ``N(.N)*`` with an optional leading ``v``, then optionally a pre-release ``aN`` /
    ``bN`` / ``rcN`` (a missing number is 0), ``.postN``, ``.devN`` and a local label ``+…``
    (ignored), case-insensitive, surrounding blanks ignored. Release numbers compare as integers,
    trailing zeros do not count; within one release ``.devN`` < ``aN`` < ``bN`` < ``rcN`` < final
    < ``.postN``, and a ``.devN`` after a pre- or post-release sorts just before it. Anything else
    raises ``ValueError``. ``packaging.version.Version`` is the oracle.
    """
    ### BEGIN SOLUTION
    keys = []
    for version in (a, b):
        m = re.fullmatch(r"v?(\d+(?:\.\d+)*)(?:(a|b|rc)(\d*))?(?:\.post(\d+))?(?:\.dev(\d+))?"
                         r"(?:\+[0-9a-z]+(?:\.[0-9a-z]+)*)?", str(version).strip().lower())
        if m is None:
            raise ValueError(f"invalid version / 非法版本号: {version!r}")
        release = [int(part) for part in m.group(1).split(".")]
        while len(release) > 1 and release[-1] == 0:
            release.pop()
        phase, pre, post, dev = m.group(2, 3, 4, 5)
        if phase:
            pre_key = (("a", "b", "rc").index(phase), int(pre or 0))
        elif dev is not None and post is None:
            pre_key = (-1, 0)            # 1.0.dev0 comes before 1.0a0
        else:
            pre_key = (3, 0)             # a final release comes after its pre-releases
        post_key = -1 if post is None else int(post)
        dev_key = float("inf") if dev is None else int(dev)
        keys.append((tuple(release), pre_key, post_key, dev_key))
    first, second = keys
    return (first > second) - (first < second)
    ### END SOLUTION


@exercise("00_setup", "check_requirements",
          key="course_lib.utils.collect_env.check_requirements")
def check_requirements(requirements, installed):
    """Check requirement strings against ``installed`` (``{name: version}``).

    逐条检查依赖要求是否满足。``requirements`` 是字符串列表，如 ``'numpy>=1.26'``、
    ``'jupyterlab >= 4.2, < 5'``、``'nbgrader==0.9.6'``、``'matplotlib'``（只要装了就行）、
    ``'course-lib[dev]'``（方括号里的 extras 忽略）、conda 写法 ``'python=3.11'``（单个 ``=`` 表示
    前缀匹配：``3.11.9`` 满足，``3.12.0`` 不满足）。``;`` 之后的环境标记忽略；空行、``#`` 注释和以
    ``-`` 开头的行（``-e .``）跳过。``installed`` 是 ``parse_package_list`` 的结果（名字已规范化）。

    返回列表，每条要求一项 ``(规范化的包名, 已装版本或 None, 是否满足)``，顺序同输入。运算符：
    ``== != >= <= > <``（用 ``compare_versions`` 比较，本地标签不参与），``==X.*`` / ``!=X.*``
    与 conda 的 ``=X``（前缀：``X.dev0 ≤ v < 下一个前缀.dev0``，下一个前缀把最后一段加 1），
    ``~=X.Y``（``>= X.Y`` 且前缀 ``X.*``），``===``（字符串完全相同）；``<``、``>`` 只按顺序比较
    （PEP 440 另有“``<1.0`` 不含 1.0 的预发布”一类细则，这里不做）。多个条件用逗号分隔，须全部满足；
    没装的包不满足。无法解析的要求（如 ``'>=1.0'``、``'numpy>>1'``）抛出 ``ValueError``。

    Returns one ``(normalised name, installed version or None, ok)`` per requirement, in order.
    Operators: ``== != >= <= > <`` through ``compare_versions``; ``==X.*`` / ``!=X.*`` and conda's
    ``=X`` are prefix matches (``X.dev0 <= v < next.dev0``, next = X with its last part + 1);
    ``~=X.Y`` means ``>= X.Y`` and prefix ``X.*``; ``===`` is string equality; ``<`` / ``>`` are
    plain order (PEP 440's extra rule that ``<1.0`` excludes 1.0's pre-releases is left out). Comma-separated
    conditions must all hold; a package that is not installed fails. Extras ``[…]`` and markers
    after ``;`` are ignored; blank, ``#`` and ``-`` lines are skipped. A requirement that cannot
    be parsed raises ``ValueError``.
    """
    ### BEGIN SOLUTION
    def prefix_bounds(prefix):
        parts = prefix.split(".")
        following = ".".join(parts[:-1] + [str(int(parts[-1]) + 1)])
        return prefix + ".dev0", following + ".dev0"

    def satisfies(version, op, wanted):
        if op == "===":
            return version == wanted
        if op == "~=":
            if "." not in wanted:
                raise ValueError(f"~= needs two parts / ~= 需要至少两段: {wanted!r}")
            return (compare_versions(version, wanted) >= 0
                    and satisfies(version, "==", wanted.rsplit(".", 1)[0] + ".*"))
        if op == "=" or wanted.endswith(".*"):
            low, high = prefix_bounds(wanted[:-2] if wanted.endswith(".*") else wanted)
            inside = compare_versions(version, low) >= 0 and compare_versions(version, high) < 0
            return not inside if op == "!=" else inside
        order = compare_versions(version.split("+")[0], wanted)
        return {"==": order == 0, "!=": order != 0, ">=": order >= 0, "<=": order <= 0,
                ">": order > 0, "<": order < 0}[op]

    results = []
    for line in requirements:
        line = line.split(";")[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)", line)
        if m is None:
            raise ValueError(f"not a requirement / 无法解析的依赖: {line!r}")
        name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
        conditions = []
        for spec in filter(None, (s.strip() for s in m.group(2).split(","))):
            c = re.fullmatch(r"(===|~=|==|!=|>=|<=|>|<|=)\s*([0-9A-Za-z.*+!_-]+)", spec)
            if c is None:
                raise ValueError(f"not a version condition / 无法解析的版本条件: {spec!r}")
            conditions.append(c.groups())
        version = installed.get(name)
        ok = version is not None and all(satisfies(version, op, w) for op, w in conditions)
        results.append((name, version, ok))
    return results
    ### END SOLUTION


def installed_packages():
    """``{name: version}`` of this Python's packages: ``pip list --format=freeze`` read by
    ``parse_package_list`` (without pip, the same lines are made from ``importlib.metadata``).

    本 Python 已安装的包（``pip list --format=freeze`` 经 ``parse_package_list`` 解析；没有 pip 时
    用 ``importlib.metadata`` 生成同样格式的行）。
    """
    rc, out, _ = run([sys.executable, "-m", "pip", "list", "--format=freeze",
                      "--disable-pip-version-check"], timeout=60.0)
    if rc != 0 or not out:
        out = "\n".join(f"{d.metadata['Name']}=={d.version}" for d in md.distributions()
                        if d.metadata["Name"])
    return parse_package_list(out)


def course_requirements():
    """The requirement strings of the installed course package (``pyproject.toml``'s
    ``dependencies``; optional extras left out), or ``None`` when it is not installed.

    已安装的课程包声明的依赖（``pyproject.toml`` 的 ``dependencies``，不含可选的 extras）；
    未安装时返回 ``None``。
    """
    for dist in md.packages_distributions().get("course_lib", []):
        try:
            found = md.requires(dist)
        except md.PackageNotFoundError:
            continue
        if found is not None:
            return [r for r in found if "extra ==" not in r.replace("extra==", "extra ==")]
    return None


# --------------------------------------------------------------------------- driver and CUDA
@exercise("00_setup", "parse_driver_version",
          key="course_lib.utils.collect_env.parse_driver_version")
def parse_driver_version(nvidia_smi_output):
    """Return the NVIDIA driver version shown by ``nvidia-smi``, e.g. ``'535.104.05'``.

    从 ``nvidia-smi`` 的输出中取出驱动版本号（如 ``'535.104.05'``）；找不到时返回 ``None``
    （例如没有驱动、命令不存在、输出为空）。

    The header line looks like ``| NVIDIA-SMI 535.104.05  Driver Version: 535.104.05
    CUDA Version: 12.2 |``. Return ``None`` when there is no ``Driver Version:`` in the text.
    """
    ### BEGIN SOLUTION
    match = re.search(r"Driver Version:\s*([0-9][0-9.]*[0-9])", nvidia_smi_output)
    return match.group(1) if match else None
    ### END SOLUTION


@exercise("00_setup", "parse_cuda_version",
          key="course_lib.utils.collect_env.parse_cuda_version")
def parse_cuda_version(nvcc_output):
    """Return the CUDA toolkit release printed by ``nvcc -V``, e.g. ``'12.1'``.

    从 ``nvcc -V`` 的输出中取出 CUDA 工具包的版本（``release`` 后面的 ``主.次``，如 ``'12.1'``）；
    找不到时返回 ``None``。

    The line looks like ``Cuda compilation tools, release 12.1, V12.1.105``: the answer is the
    ``major.minor`` after ``release``. Return ``None`` when there is no such line.
    """
    ### BEGIN SOLUTION
    match = re.search(r"release\s+(\d+\.\d+)", nvcc_output)
    return match.group(1) if match else None
    ### END SOLUTION


#: NVIDIA's minimum driver (Linux) for minor-version compatibility within a CUDA major release
#: (CUDA Compatibility guide; CUDA 11.0's first drivers were older: 450.80.02 is needed).
#: NVIDIA 规定的“次版本兼容”所需最低驱动（Linux）。
MIN_DRIVER_MINOR_COMPAT = {11: "450.80.02", 12: "525.60.13", 13: "580.65.06"}


@exercise("00_setup", "cuda_compatible",
          key="course_lib.utils.collect_env.cuda_compatible")
def cuda_compatible(driver_cuda, runtime_cuda, driver_version=None):
    """Can a driver that supports CUDA ``driver_cuda`` run the CUDA runtime ``runtime_cuda``?

    驱动支持的 CUDA 版本为 ``driver_cuda``（nvidia-smi 的 ``CUDA Version``），程序所用的 CUDA 运行时
    为 ``runtime_cuda``，``driver_version`` 是驱动本身的版本（如 ``'580.65.06'``，可以不给）。
    按 NVIDIA 的规则返回：

    - ``'yes'``：运行时 ≤ 驱动（向后兼容：新驱动能跑旧运行时，任何主版本都行）；
    - ``'minor'``：运行时更新但主版本相同且 ≥ 11（CUDA 11 起的“次版本兼容”），并且驱动不低于该主版本的
      最低驱动 ``MIN_DRIVER_MINOR_COMPAT[主版本]``（给了 ``driver_version`` 且表中有该主版本时才检查，
      用 ``compare_versions`` 比较）：能运行，但新版本才有的功能、以及需要驱动即时编译的 PTX 可能要
      更新的驱动；
    - ``'no'``：运行时的主版本比驱动的新，或 CUDA 11 之前的运行时比驱动新，或驱动低于最低驱动；
    - ``None``：``driver_cuda`` 或 ``runtime_cuda`` 为 ``None``（不知道）。

    版本按 ``(主, 次)`` 两个整数比较：第三段忽略（``'12.1.105'``），只有主版本时次版本为 0，
    ``'12.10'`` 高于 ``'12.9'``；不是数字时抛出 ``ValueError``。

    Returns ``'yes'`` (runtime ≤ driver: backward compatibility), ``'minor'`` (a newer runtime of
    the same major, CUDA ≥ 11: NVIDIA's minor-version compatibility — it runs, but features new in
    that minor release and PTX that the driver must JIT-compile may need a newer driver; the
    driver must be at least ``MIN_DRIVER_MINOR_COMPAT[major]``, checked with ``compare_versions``
    when ``driver_version`` is given and the table has the major), ``'no'`` (a newer major, a newer
    runtime before CUDA 11, or a driver below that minimum) or ``None`` (a version is ``None``).
    Versions compare as ``(major, minor)`` integers; a non-numeric one raises ``ValueError``.
    """
    ### BEGIN SOLUTION
    if driver_cuda is None or runtime_cuda is None:
        return None

    def major_minor(version):
        parts = str(version).strip().split(".")
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0

    driver, runtime = major_minor(driver_cuda), major_minor(runtime_cuda)
    if runtime <= driver:
        return "yes"
    if runtime[0] != driver[0] or runtime[0] < 11:
        return "no"
    minimum = MIN_DRIVER_MINOR_COMPAT.get(runtime[0])
    if driver_version is not None and minimum is not None \
            and compare_versions(driver_version, minimum) < 0:
        return "no"
    return "minor"
    ### END SOLUTION


def parse_driver_cuda_version(nvidia_smi_output):
    """The highest CUDA version the driver supports (``CUDA Version: 12.2`` in nvidia-smi).

    驱动支持的最高 CUDA 版本（nvidia-smi 表头中的 ``CUDA Version``）；找不到时返回 ``None``。
    """
    found = re.findall(r"CUDA Version\s*:\s*(\d+\.\d+)", nvidia_smi_output or "")
    return found[0] if found else None


# --------------------------------------------------------------------------- the report
SystemEnv = namedtuple("SystemEnv", [
    "course_lib_version", "python_version", "python_platform", "numpy_version",
    "cupy_version", "is_cuda_available", "cuda_device_count", "cuda_compiled_version",
    "nvidia_gpu_models", "nvidia_driver_version", "driver_cuda_version",
    "nvcc_cuda_version", "runtime_fits_driver", "requirements_unmet",
])

NOT_DONE = "00_setup 练习未完成 / exercise not done"

#: what ``cuda_compatible``'s answers mean, for the report
VERDICTS = {
    "yes": "是 / yes",
    "minor": ("是，次版本兼容：新功能与 PTX 即时编译可能需要更新的驱动 / yes, minor-version "
              "compatibility: new features and PTX JIT may need a newer driver"),
    "no": "否：请升级驱动 / no: update the driver",
}


def _piece(fn, text, raw_pattern):
    """Call a lesson-00 parser; while it is not done, show the raw matching line instead."""
    try:
        return fn(text)
    except ExerciseNotDone:
        raw = re.search(raw_pattern, text)
        return f"{raw.group(0).strip() if raw else '?'} ({NOT_DONE})"
    except Exception as e:  # a student's piece that crashes must not break the report
        return f"error: {type(e).__name__}: {e}"


def _ask(fn, *args):
    """Call a lesson-00 piece: ``(answer, None)``, or ``(None, why)`` when it is not done or fails."""
    try:
        return fn(*args), None
    except ExerciseNotDone:
        return None, NOT_DONE
    except Exception as e:  # a student's piece that crashes must not break the report
        return None, f"error: {type(e).__name__}: {e}"


def requirements_report():
    """``(unmet, why)``: the course's requirements that this Python does not meet, as
    ``'name (installed or missing; needs …)'`` strings — or ``(None, why)`` when that cannot be
    told (course package not installed, a lesson-00 piece not done or failing).

    课程依赖中本环境不满足的条目；无法判断时返回 ``(None, 原因)``。
    """
    wanted = course_requirements()
    if wanted is None:
        return None, "课程包未安装 / the course package is not installed"
    installed, why = _ask(installed_packages)
    if why:
        return None, why
    results, why = _ask(check_requirements, wanted, installed)
    if why:
        return None, why
    counted = [r for r in wanted if r.split(";")[0].strip()[:1] not in ("", "#", "-")]
    unmet = []
    for requirement, (name, version, ok) in zip(counted, results):
        if not ok:
            unmet.append(f"{name} {version or '未安装 / missing'} (需要 / needs {requirement})")
    return unmet, None


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
    runtime = compiled or nvcc_cuda
    if driver_cuda is not None and runtime and NOT_DONE not in runtime:
        exact = driver if driver and re.fullmatch(r"[0-9.]+", driver) else None
        verdict, why = _ask(cuda_compatible, driver_cuda, runtime, exact)
        fits = why or VERDICTS.get(verdict, repr(verdict))
    unmet, why = requirements_report()

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
        requirements_unmet=why or ("; ".join(unmet) if unmet else "无 / none"),
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
    "requirements_unmet": "未满足的课程依赖 / unmet course requirements",
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
