"""Makefile: set-up stamp logic (venv or active conda env), and `make lab` really serves the lessons."""
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*args, cwd=ROOT, env=None, check=False):
    env = {k: v for k, v in (env or os.environ).items() if k not in ("MAKEFLAGS", "MFLAGS", "CONDA_PREFIX")} | (
        {"CONDA_PREFIX": env["CONDA_PREFIX"]} if env and "CONDA_PREFIX" in env else {})
    return subprocess.run(["make", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60, check=check)


@pytest.fixture
def project(tmp_path):
    """A copy of the Makefile + pyproject.toml with a stand-in environment folder."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_venv_setup_runs_once_then_is_up_to_date(project):
    dry = make("-n", "setup", cwd=project).stdout
    assert "-m venv .venv" in dry and "pip install -q -e '.[dev]'" in dry
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / ".installed").touch()
    assert make("-q", "setup", cwd=project).returncode == 0  # nothing to do the second time
    time.sleep(0.01)
    os.utime(project / "pyproject.toml", None)  # a dependency change → install again
    assert make("-q", "setup", cwd=project).returncode == 1


def test_active_conda_env_is_used(project):
    conda = project / "conda-env"
    env = dict(os.environ, CONDA_PREFIX=str(conda))
    dry = make("-n", "setup", cwd=project, env=env).stdout
    assert f"{conda}/bin/python -m pip install -q -e '.[dev]'" in dry and ".venv" not in dry
    dry = make("-n", "setup", "USE_CONDA=no", cwd=project, env=env).stdout
    assert ".venv/bin/python -m pip install" in dry


def test_lab_command_line(project):
    for f in (".venv/.installed", ".venv/.course-lib-jupyter"):
        (project / f).parent.mkdir(parents=True, exist_ok=True)
        (project / f).touch()
    en = make("-n", "lab", "PORT=9123", "NO_BROWSER=1", "LANG=C.UTF-8", cwd=project).stdout
    assert "--port=9123 --no-browser" in en and "COURSE_UI_LANG=en" in en
    assert f'PYTHONPATH="{project}/build/student-course' in en
    assert f"course release --no-lessons --out {project}/build/student-course" in en
    assert "--ServerApp.port_retries=0" in en  # the banner's port is the one served
    assert "COURSE_UI_LANG=zh" in make("-n", "lab", "LANG=zh_CN.UTF-8", cwd=project).stdout
    assert "COURSE_UI_LANG=zh" in make("-n", "lab", "LANG_UI=zh", "LANG=C", cwd=project).stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read().decode()


@pytest.mark.slow
def test_make_lab_serves_the_lessons_in_chinese():
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_TOKEN=token, LANG="zh_CN.UTF-8")
    env.pop("CONDA_PREFIX", None)
    env.pop("MAKEFLAGS", None)
    proc = subprocess.Popen(["make", "lab", f"PORT={port}", "NO_BROWSER=1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "JupyterLab did not start in 90 s"
                time.sleep(0.5)
        banner = ""
        while f"127.0.0.1:{port}/lab?token=" not in banner:  # make prints it before jupyter starts
            banner += proc.stdout.readline()
        status, html = _get(f"{base}/lab?token={token}")
        assert status == 200 and "JupyterLab" in html
        _, tree = _get(f"{base}/api/contents?token={token}")
        names = {item["name"] for item in json.loads(tree)["content"]}
        assert {"00_setup", "course_lib"} <= names and "solutions" not in names
        _, lesson = _get(f"{base}/api/contents/00_setup?token={token}")
        assert "00_setup.ipynb" in {item["name"] for item in json.loads(lesson)["content"]}
        _, settings = _get(f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin?token={token}")
        assert json.loads(settings)["schema"]["properties"]["locale"]["default"] == "zh_CN"
        _, zh = _get(f"{base}/lab/api/translations/zh_CN?token={token}")
        assert json.loads(zh)["data"], "zh-CN language pack missing"
        # the server (and so every kernel it starts) puts the student build first on PYTHONPATH
        server = subprocess.run(["pgrep", "-s", str(proc.pid), "-f", "jupyter-lab"],
                                capture_output=True, text=True).stdout.split()
        environ = Path(f"/proc/{server[0]}/environ").read_bytes().split(b"\0")
        pythonpath = next(e for e in environ if e.startswith(b"PYTHONPATH=")).decode()
        assert pythonpath.split("=", 1)[1].split(os.pathsep)[0] == str(ROOT / "build" / "student-course")
        assert (ROOT / "build" / "student-course" / "course_lib" / "_build.py").is_file()
        assert f"http://127.0.0.1:{port}/lab?token={token}" in banner
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_readme_commands_exist():
    """Every `make TARGET [VAR=…]` and `course …` command that README.md shows is real."""
    import re
    import shlex
    from autograder.cli import build_parser
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```.*?```", text, re.S)
    readme = "\n".join(blocks + re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S)))
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    variables = set(re.findall(r"^([A-Z_]+) \?=", makefile, re.M))
    makes = re.findall(r"\bmake ([a-z][\w-]*)((?: [A-Z_]+=\S+)*)", readme)
    assert len(makes) >= 8
    for target, assigns in makes:
        assert target in targets, f"README: make {target}"
        for var in re.findall(r"([A-Z_]+)=", assigns):
            assert var in variables, f"README: make {target} {var}="
    courses = re.findall(r"\bcourse ((?:release|check|submit|grade|feedback|status|doctor)[^`\n#，（)]*)", readme)
    courses = [c for c in courses if "…" not in c]  # elided examples
    assert len(courses) >= 10
    parser = build_parser()
    for command in courses:
        args = parser.parse_args(shlex.split(command))  # argparse exits (fails the test) on a bad one
        assert callable(args.func)
    assert "course check" in readme and "course submit" in readme and "course grade" in readme


def test_make_test_installs_the_torch_oracle_and_has_a_fast_loop():
    """`make test` installs PyTorch (the test oracle) itself, so no torch parity test skips on a
    fresh machine; `make test-fast` leaves out the slow tests (issue 16 point 7)."""
    import subprocess
    for target in ("test", "test-fast"):
        r = subprocess.run(["make", "-n", target, "USE_CONDA=no", "VENV=/nonexistent-venv"],
                           cwd=ROOT, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert 'pip install -q "torch==' in r.stdout, r.stdout
    assert '-m "not slow"' in subprocess.run(["make", "-n", "test-fast"], cwd=ROOT,
                                              capture_output=True, text=True).stdout
