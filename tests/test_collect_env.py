"""course_lib.utils.collect_env: lesson 00's pieces (packaging is the oracle for versions and
specifiers), the tools that call them, and the environment report."""
import functools
import importlib.metadata as md
import itertools
import re
import sys

import pytest

from course_lib import exercises
from course_lib.utils import collect_env

SMI = "| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2 |"
NVCC = "Cuda compilation tools, release 12.1, V12.1.105\nBuild cuda_12.1.r12.1/compiler.32688072_0"
KEY = "course_lib.utils.collect_env."

VERSIONS = ["0", "0.0", "1", "1.0", "1.0.0", "1.0.1", "1.0a1", "1.0a", "1.0b2", "1.0rc1", "1.0rc1.dev0",
            "1.0.dev0", "1.0.dev3", "1.0.post1", "1.0.post1.dev2", "1.0a1.post2", "2.13.0+cpu", "2.13.0",
            "2.13", "2.2", "12.10", "12.9", "v1.2", "1.2+local.7", "1.1rc0", "3.11.9", "3.12.0rc1",
            "3.12.0", "10.0", "9.99.99", "2.0.0.0.1", "580.159.04", "580.65.06", "1.0RC1", " 1.0 "]


def test_parsers():
    assert collect_env.parse_driver_version(SMI) == "535.104.05"
    assert collect_env.parse_driver_cuda_version(SMI) == "12.2"
    assert collect_env.parse_cuda_version(NVCC) == "12.1"
    assert collect_env.parse_driver_version("") is None and collect_env.parse_cuda_version("") is None


def test_compare_versions_orders_as_packaging_does():
    version = pytest.importorskip("packaging.version")
    for a, b in itertools.product(VERSIONS, VERSIONS):
        va, vb = (version.Version(version.Version(v).public) for v in (a, b))  # local labels ignored
        assert collect_env.compare_versions(a, b) == (va > vb) - (va < vb), (a, b)
    for bad in ("abc", "", "1.0-beta", "1..0", "1.0+"):
        with pytest.raises(ValueError):
            collect_env.compare_versions(bad, "1.0")


def test_check_requirements_agrees_with_packaging_specifiers():
    specifiers = pytest.importorskip("packaging.specifiers")
    specs = [">=1.0", "<1.0", "==1.0", "!=1.0", ">1.0a1", "<=2.13", "==1.*", "!=1.0.*", "~=1.0", "~=2.13.0",
             ">=1.0,<2", "==2.13.0", "===2.13.0+cpu", ">=9.99,!=10.0"]
    for spec, v in itertools.product(specs, VERSIONS):
        v = v.strip()
        if v.startswith("v") or v != v.lower():
            continue
        [(name, got, ok)] = collect_env.check_requirements([f"pkg{spec}"], {"pkg": v})
        assert name == "pkg" and got == v
        expected = specifiers.SpecifierSet(spec).contains(v, prereleases=True)
        if spec in ("<1.0", ">1.0a1") and v.startswith("1.0") and "+" not in v:
            # PEP 440's extra rule left out on purpose (documented): <V / >V are plain order
            expected = collect_env.compare_versions(v, spec[1:]) == (-1 if spec[0] == "<" else 1)
        assert ok == expected, (spec, v)


def test_check_requirements_conda_prefix_extras_markers_and_errors():
    got = collect_env.check_requirements(
        ["python=3.11", "python=3.1", "Py_Yaml[x]>=6; extra == 'y'", "", "# c", "-e .", "absent"],
        {"python": "3.11.9", "py-yaml": "6.0.2"})
    assert got == [("python", "3.11.9", True), ("python", "3.11.9", False), ("py-yaml", "6.0.2", True),
                   ("absent", None, False)]
    for bad in (["numpy>>1"], [">=1.0"], ["numpy>=1.0,"+"?"]):
        with pytest.raises(ValueError):
            collect_env.check_requirements(bad, {})


def test_parse_package_list_reads_this_pythons_real_pip_list():
    rc, out, err = collect_env.run([sys.executable, "-m", "pip", "list", "--format=freeze",
                                    "--disable-pip-version-check"], timeout=60)
    if rc != 0:
        pytest.skip(f"no pip here: {err}")
    found = collect_env.parse_package_list(out.replace("\n", "\r\n"))
    dists = {}  # name -> every version on the path (a vendored copy may sit beside the real one)
    for d in md.distributions():
        dists.setdefault(re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(), set()).add(d.version)
    assert found["numpy"] == md.version("numpy") and len(found) >= 20
    assert all(v in dists.get(name, ()) for name, v in found.items()), \
        {n: (v, dists.get(n)) for n, v in found.items() if v not in dists.get(n, ())}
    conda = "# packages in environment\n#\n_libgcc_mutex  0.1  conda_forge  conda-forge\n" \
            "typing_extensions 4.12.2 pyha770c72_0 conda-forge\n错误：找不到命令\nWARNING: x\n"
    assert collect_env.parse_package_list(conda) == {"typing-extensions": "4.12.2"}
    assert collect_env.parse_package_list(None) == {} == collect_env.parse_package_list("\r\n")


@pytest.mark.parametrize("driver_cuda,runtime,driver,verdict", [
    ("12.2", "12.1", None, "yes"), ("12.2", "12.2.140", None, "yes"), ("13.0", "12.8", None, "yes"),
    ("12.10", "12.9", None, "yes"), ("12.9", "12.10", None, "minor"),
    ("13.0", "13.2", "580.159.04", "minor"),      # the H200 of benchmarks/RESULTS.md: cupy 13.2 ran
    ("12.0", "12.6", "525.60.13", "minor"), ("12.0", "12.6", "525.60.11", "no"),
    ("11.0", "11.8", "450.36.06", "no"), ("11.0", "11.8", "450.80.02", "minor"),
    ("12.4", "13.0", None, "no"), ("11.4", "12.4", "470.82.01", "no"), ("10.1", "10.2", None, "no"),
    ("14.0", "14.1", "600.1", "minor"), (None, "12.1", None, None), ("12.2", None, "535.104.05", None),
])
def test_cuda_compatible_follows_nvidia(driver_cuda, runtime, driver, verdict):
    assert collect_env.cuda_compatible(driver_cuda, runtime, driver) == verdict


def test_cuda_compatible_rejects_malformed_versions():
    for args in (("abc", "12.1"), ("12.2", "x.1"), ("12.2", "12.4", "驱动")):
        with pytest.raises(ValueError):
            collect_env.cuda_compatible(*args)


def test_a_wrong_compare_versions_changes_requirements_and_cuda_verdicts(monkeypatch):
    """compare_versions carries check_requirements and cuda_compatible (through its dispatcher)."""
    assert collect_env.check_requirements(["numpy>=1.26"], {"numpy": "1.3"}) == [("numpy", "1.3", False)]
    assert collect_env.cuda_compatible("12.0", "12.6", "525.105.17") == "minor"
    as_strings = lambda a, b: (a > b) - (a < b)  # the classic mistake: compare the text
    monkeypatch.setitem(exercises.overrides, KEY + "compare_versions", as_strings)
    assert collect_env.check_requirements(["numpy>=1.26"], {"numpy": "1.3"}) == [("numpy", "1.3", True)]
    assert collect_env.cuda_compatible("12.0", "12.6", "525.105.17") == "no"  # '525.1' < '525.6' as text
    assert sorted(["1.10", "1.9"], key=functools.cmp_to_key(collect_env.compare_versions)) == ["1.10", "1.9"]


def test_report_checks_the_course_requirements_with_the_pieces(monkeypatch):
    wanted = collect_env.course_requirements()
    assert wanted and any(r.startswith("numpy") for r in wanted)
    assert not any("extra ==" in r for r in wanted)
    monkeypatch.setattr(collect_env, "course_requirements", lambda: ["numpy>=1.26", "no-such-package-x>=1"])
    unmet, why = collect_env.requirements_report()
    assert why is None and unmet == ["no-such-package-x 未安装 / missing (需要 / needs no-such-package-x>=1)"]
    # a wrong parse_package_list shows in the report (nothing parsed: numpy missing too)
    monkeypatch.setitem(exercises.overrides, KEY + "parse_package_list", lambda text: {})
    unmet, why = collect_env.requirements_report()
    assert len(unmet) == 2 and unmet[0].startswith("numpy 未安装")


def test_run_missing_command():
    rc, out, err = collect_env.run(["no-such-command-course-lib"])
    assert rc == 127 and out == "" and "not found" in err


def test_report_survives_unfinished_and_broken_pieces(monkeypatch):
    key = KEY + "parse_driver_version"

    def unfinished(*args):
        raise exercises.ExerciseNotDone("00_setup", "parse_driver_version", key)

    monkeypatch.setitem(exercises.overrides, key, unfinished)
    monkeypatch.setitem(exercises.overrides, KEY + "check_requirements", unfinished)
    monkeypatch.setattr(collect_env, "run", lambda cmd, timeout=10.0: (0, SMI, "") if cmd[0] == "nvidia-smi"
                        else (0, NVCC, "") if cmd[0] == "nvcc" else (0, "numpy==1.26.4", ""))
    info = collect_env.get_env_info()
    assert "exercise not done" in info.nvidia_driver_version and "535.104.05" in info.nvidia_driver_version
    assert info.nvcc_cuda_version == "12.1" and info.driver_cuda_version == "12.2"
    assert info.runtime_fits_driver == "是 / yes"
    assert "exercise not done" in info.requirements_unmet
    monkeypatch.setitem(exercises.overrides, key, lambda text: 1 / 0)
    monkeypatch.setitem(exercises.overrides, KEY + "cuda_compatible", lambda *a: "minor")
    info = collect_env.get_env_info()
    assert info.nvidia_driver_version.startswith("error: ZeroDivisionError")
    assert "minor-version compatibility" in info.runtime_fits_driver
    text = collect_env.get_pretty_env_info()
    assert "course_lib 版本 / version" in text and "未满足的课程依赖 / unmet course requirements" in text
