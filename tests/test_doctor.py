"""course doctor: real run on this machine, faked GPU stacks (stub nvidia-smi / nvcc / cupy), no numpy,
and lesson 00's pieces (NVIDIA's compatibility rule, the course's requirements) done or not."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from course_student import doctor

ROOT = Path(__file__).resolve().parents[1]

SMI_HEADER = """\
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI {driver}             Driver Version: {driver}     CUDA Version: {cuda}     |
|-----------------------------------------+------------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |
|   0  NVIDIA H100 80GB HBM3          On  |   00000000:19:00.0 Off |                    0 |
+-----------------------------------------------------------------------------------------+"""
SMI_FAILED = ("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
              "Make sure that the latest NVIDIA driver is installed and running.")


def _stub(folder: Path, name: str, body: str):
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


def fake_smi(folder, driver="550.54.15", cuda="12.4", gpus=((0, "NVIDIA H100 80GB HBM3", 81559),)):
    header = SMI_HEADER.format(driver=driver, cuda=cuda)
    csv = "\n".join(f"{i}, {n}, {m}" for i, n, m in gpus)
    _stub(folder, "nvidia-smi", f'case "$1" in --query-gpu*) cat <<"E"\n{csv}\nE\n;;\n'
                                f'*) cat <<"E"\n{header}\nE\n;; esac\n')


def fake_nvcc(folder, release="12.1"):
    _stub(folder, "nvcc", f'echo "nvcc: NVIDIA (R) Cuda compiler driver"\n'
                          f'echo "Cuda compilation tools, release {release}, V{release}.105"\n')


def fake_cupy(folder, runtime=12040, driver=12040, devices=1, error=None):
    """A tiny importable `cupy` whose runtime reports the given versions (or raises `error`)."""
    pkg = folder / "pylib" / "cupy"
    pkg.mkdir(parents=True)
    fail = f"raise RuntimeError({error!r})" if error else "pass"
    (pkg / "__init__.py").write_text(textwrap.dedent(f"""\
        import types
        __version__ = "13.3.0"
        def _count():
            {fail}
            return {devices}
        runtime = types.SimpleNamespace(
            runtimeGetVersion=lambda: {runtime}, driverGetVersion=lambda: {driver},
            getDeviceCount=_count,
            getDeviceProperties=lambda i: {{"name": b"NVIDIA H100 80GB HBM3", "totalGlobalMem": 85520809984}})
        cuda = types.SimpleNamespace(runtime=runtime)
        """))


def run_doctor(folder: Path, *args):
    """Run `python -m course_student.doctor --json` with only the stub folder + system dirs on PATH."""
    env = dict(os.environ, PATH=f"{folder}:/usr/bin:/bin",
               PYTHONPATH=os.pathsep.join(p for p in (str(folder / "pylib"), str(ROOT)) if p))
    p = subprocess.run([sys.executable, "-m", "course_student.doctor", "--json", *args], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=60)
    out = json.loads(p.stdout)
    assert out["exit_code"] == p.returncode
    return p.returncode, out, {c["name"]: c for c in out["checks"]}


def test_this_machine_text_report_exits_0():
    p = subprocess.run([sys.executable, "-m", "course_student.doctor"], cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    for needle in ("Python", "numpy", "BLAS", "JupyterLab", "nbgrader", "CUDA"):
        assert needle in p.stdout


def test_no_gpu_explains_in_both_languages_and_exits_0(tmp_path):
    rc, out, checks = run_doctor(tmp_path)
    assert rc == 0 and out["facts"]["cuda_available"] is False
    cuda = checks["CUDA"]
    assert cuda["status"] == "info" and not cuda["required"]
    assert "CUDA 不可用" in cuda["fix_zh"] and "nvidia-smi" in cuda["fix_zh"]
    assert "CUDA is unavailable" in cuda["fix_en"] and "CuPy is not installed" in cuda["fix_en"]
    assert "simulate" in cuda["fix_en"]
    assert checks["NVIDIA driver"]["status"] == "info"
    rc, out, checks = run_doctor(tmp_path, "--require-gpu")
    assert rc == 1 and checks["CUDA"]["status"] == "fail"


def test_driver_too_old_for_runtime_is_a_mismatch(tmp_path):
    fake_smi(tmp_path, driver="470.82.01", cuda="11.4")
    fake_cupy(tmp_path, runtime=12040, driver=11040, error="cudaErrorInsufficientDriver")
    rc, out, checks = run_doctor(tmp_path)
    assert rc == 0  # the GPU is optional
    fit = checks["driver ↔ runtime"]
    assert fit["status"] == "warn" and "12.4 > driver CUDA 11.4" in fit["value"]
    assert "470.82.01" in fit["fix_zh"] and "too old" in fit["fix_en"]
    assert "cudaErrorInsufficientDriver" in checks["CuPy"]["value"]
    assert checks["NVIDIA driver"]["status"] == "warn" and "525.60" in checks["NVIDIA driver"]["fix_en"]
    assert out["facts"]["cuda_available"] is False
    rc, _, checks = run_doctor(tmp_path, "--require-gpu")
    assert rc == 1 and checks["driver ↔ runtime"]["status"] == "fail"


def test_working_gpu_lists_devices_with_memory(tmp_path):
    fake_smi(tmp_path, driver="550.54.15", cuda="12.4",
             gpus=((0, "NVIDIA H100 80GB HBM3", 81559), (1, "NVIDIA A100-SXM4-40GB", 40960)))
    fake_nvcc(tmp_path, "12.1")
    fake_cupy(tmp_path, runtime=12020, driver=12040, devices=2)
    rc, out, checks = run_doctor(tmp_path, "--require-gpu")
    assert rc == 0, checks
    assert checks["NVIDIA driver"]["value"].startswith("550.54.15 (CUDA ≤ 12.4)")
    assert checks["GPU 1"]["value"] == "NVIDIA A100-SXM4-40GB, 40960 MiB"
    assert checks["driver ↔ runtime"]["status"] == "ok" and "12.2 ≤ driver CUDA 12.4" in checks["driver ↔ runtime"]["value"]
    assert checks["CUDA"]["status"] == "ok" and out["facts"]["cuda_available"] is True
    assert out["facts"]["cupy_devices"][0]["memory_mib"] == 81559
    assert "driver ↔ nvcc" not in checks


def test_broken_driver_and_missing_cupy_give_fixes(tmp_path):
    _stub(tmp_path, "nvidia-smi", f'echo "{SMI_FAILED}"\nexit 9\n')
    rc, _, checks = run_doctor(tmp_path)
    assert rc == 0
    drv = checks["NVIDIA driver"]
    assert drv["status"] == "warn" and "couldn't communicate" in drv["value"]
    assert "重新安装" in drv["fix_zh"] and "reinstall" in drv["fix_en"]

    other = tmp_path / "cuda13"
    other.mkdir()
    fake_smi(other, driver="580.65.06", cuda="13.0")
    fake_nvcc(other, "13.1")
    rc, _, checks = run_doctor(other)
    assert rc == 0
    assert checks["CuPy"]["status"] == "warn" and "'.[cuda13]'" in checks["CuPy"]["fix_en"]
    assert "有 NVIDIA 驱动，但没有安装 CuPy" in checks["CUDA"]["fix_zh"]
    nv = checks["driver ↔ nvcc"]  # same major: NVIDIA's minor-version compatibility, not a mismatch
    assert nv["status"] == "info" and "13.1 > driver CUDA 13.0" in nv["value"] and "PTX" in nv["fix_en"]

    newer_major = tmp_path / "cuda12"
    newer_major.mkdir()
    fake_smi(newer_major, driver="550.54.15", cuda="12.4")
    fake_nvcc(newer_major, "13.0")
    _, _, checks = run_doctor(newer_major)
    nv = checks["driver ↔ nvcc"]
    assert nv["status"] == "warn" and "mismatch: nvcc CUDA 13.0 > driver CUDA 12.4" in nv["value"]


def test_missing_required_package_exits_1(monkeypatch, capsys):
    real = doctor._dist_version
    monkeypatch.setattr(doctor, "_dist_version", lambda name: None if name == "nbgrader" else real(name))
    monkeypatch.setattr(doctor, "check_gpu", lambda r, require_gpu=False: None)
    from autograder import cli
    assert cli.main(["doctor"]) == 1
    text = capsys.readouterr().out
    assert "✗ nbgrader" in text and "pip install -e ." in text and "required parts missing" in text


def test_disabled_nbgrader_extensions_are_reported(tmp_path, monkeypatch):
    cfg = tmp_path / "cfg"
    (cfg / "labconfig").mkdir(parents=True)
    (cfg / "jupyter_server_config.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.validate_assignment": False}}}))
    (cfg / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyter/nbgrader:validate-assignment": True}}))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(cfg))
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")  # so the user-level config comes first
    r = doctor.Report()
    doctor.check_extensions(r)
    checks = {c.name: c for c in r.checks}
    server = checks["nbgrader server extensions"]
    assert server.status == "warn" and "validate_assignment" in server.value
    assert "jupyter server extension enable --sys-prefix nbgrader.server_extensions.validate_assignment" in server.fix_en
    assert checks["nbgrader JupyterLab extension"].status == "warn"
    assert r.exit_code == 0


@pytest.mark.parametrize("text,expected", [("12.1.105", (12, 1)), ("12", (12, 0)), ("12.10", (12, 10))])
def test_version_tuple(text, expected):
    assert doctor.version_tuple(text) == expected
    assert doctor.version_tuple("12.10") > doctor.version_tuple("12.9")


def test_newer_minor_runtime_runs_by_minor_version_compatibility(tmp_path):
    """The H200 of benchmarks/RESULTS.md: driver 580.159.04 shows CUDA 13.0, cupy's runtime 13.2 runs."""
    fake_smi(tmp_path, driver="580.159.04", cuda="13.0", gpus=((0, "NVIDIA H200", 143771),))
    fake_cupy(tmp_path, runtime=13020, driver=13000)
    rc, out, checks = run_doctor(tmp_path, "--require-gpu")
    assert rc == 0, checks
    fit = checks["driver ↔ runtime"]
    assert fit["status"] == "ok" and "13.2 > driver CUDA 13.0" in fit["value"] and "minor-version" in fit["value"]
    assert "PTX" in fit["fix_en"] and "次版本兼容" in fit["fix_zh"]
    assert out["facts"]["runtime_fits_driver"] == "minor"


def test_without_numpy_the_doctor_still_runs_and_reports_what_it_sees(tmp_path):
    """No numpy → course_lib does not import: numpy fails (exit 1), the GPU lines use what CuPy does."""
    fake_smi(tmp_path, driver="580.159.04", cuda="13.0")
    fake_cupy(tmp_path, runtime=13020, driver=13000)
    (tmp_path / "pylib" / "numpy").mkdir()
    (tmp_path / "pylib" / "numpy" / "__init__.py").write_text("raise ImportError('numpy is broken here')\n")
    rc, out, checks = run_doctor(tmp_path)
    assert rc == 1 and checks["numpy"]["status"] == "fail" and "course requirements" not in checks
    fit = checks["driver ↔ runtime"]
    assert fit["status"] == "ok" and "CuPy runs" in fit["value"] and "cannot import course_lib" in fit["value"]


def _fake_gpu(monkeypatch, runtime="13.2", cupy_error=None):
    monkeypatch.setattr(doctor, "probe_nvidia_smi", lambda: {
        "nvidia_smi_rc": 0, "driver": "580.159.04", "driver_cuda": "13.0", "gpus": [], "nvidia_smi_error": None})
    monkeypatch.setattr(doctor, "probe_nvcc", lambda: None)
    monkeypatch.setattr(doctor, "probe_cupy", lambda: {
        "cupy": "14.2.0", "cupy_error": cupy_error, "cupy_wheel_cuda": "13", "runtime_cuda": runtime,
        "cupy_driver_cuda": "13.0", "cupy_devices": [] if cupy_error else [{"index": 0}]})


def test_lesson00_pieces_not_done_are_named_and_observation_stands_in(monkeypatch):
    from course_lib import exercises
    base = "course_lib.utils.collect_env."

    def not_done(*args):
        raise exercises.ExerciseNotDone("00_setup", "x", "k")

    for name in ("cuda_compatible", "parse_package_list"):
        monkeypatch.setitem(exercises.overrides, base + name, not_done)
    _fake_gpu(monkeypatch)
    r = doctor.Report()
    doctor.check_gpu(r)
    doctor.check_course_requirements(r)
    checks = {c.name: c for c in r.checks}
    fit, req = checks["driver ↔ runtime"], checks["course requirements"]
    assert fit.status == "ok" and "CuPy runs" in fit.value and "cuda_compatible not done" in fit.value
    assert req.status == "info" and "exercise not done" in req.value and "check_requirements" in req.fix_en
    _fake_gpu(monkeypatch, cupy_error="CUDARuntimeError: cudaErrorInsufficientDriver")
    r = doctor.Report()
    doctor.check_gpu(r)
    fit = {c.name: c for c in r.checks}["driver ↔ runtime"]
    assert fit.status == "info" and "cuda_compatible" in fit.fix_en and r.exit_code == 0
    # a student's wrong rule is what the doctor reports (it is their tool), and it is only a warning
    monkeypatch.setitem(exercises.overrides, base + "cuda_compatible", lambda *a: "no")
    r = doctor.Report()
    doctor.check_gpu(r)
    assert {c.name: c for c in r.checks}["driver ↔ runtime"].status == "warn" and r.exit_code == 0


def test_unmet_course_requirements_are_listed_with_the_fix(monkeypatch):
    from course_lib.utils import collect_env
    monkeypatch.setattr(collect_env, "course_requirements", lambda: ["numpy>=1.26", "numpy<1", "absent-pkg-x"])
    r = doctor.Report()
    doctor.check_course_requirements(r)
    [c] = r.checks
    assert c.status == "warn" and "needs numpy<1" in c.value and "absent-pkg-x 未安装 / missing" in c.value
    assert "pip install -e ." in c.fix_en and r.exit_code == 0
