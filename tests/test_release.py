"""`course release`: student build without reference code; --check. 发布与检查。"""
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.release import BEGIN, build_student_lib, leaks, strip_solutions

ROOT = Path(__file__).resolve().parent.parent


def test_strip_solutions_keeps_indent_and_removes_body():
    src = "def f(x):\n    ### BEGIN SOLUTION\n    return x * 42\n    ### END SOLUTION\n"
    out = strip_solutions(src)
    assert "x * 42" not in out and BEGIN not in out
    assert out.startswith("def f(x):\n    raise NotImplementedError")
    compile(out, "<t>", "exec")
    with pytest.raises(ValueError):
        strip_solutions("### BEGIN SOLUTION\nx = 1\n")


def test_student_build_has_no_solutions(tmp_path):
    dest = tmp_path / "lessons" / "course_lib"
    build_student_lib(dest)
    assert (dest / "_build.py").read_text().count("STUDENT_BUILD = True") == 1
    for f in dest.rglob("*.py"):
        assert BEGIN not in [ln.strip() for ln in f.read_text().splitlines()], f
        compile(f.read_text(), str(f), "exec")
    assert leaks(tmp_path / "lessons") == []


def test_leak_check_finds_planted_hidden_and_solution_text(tmp_path):
    hidden = sorted((ROOT / "autograder" / "hidden").rglob("test_*.py"))
    if not hidden:
        pytest.skip("no hidden cases yet")
    line = next(ln for ln in hidden[0].read_text().splitlines()
                if len(ln.strip()) > 40 and ln.strip().startswith("return"))
    d = tmp_path / "lessons" / "00_setup"
    d.mkdir(parents=True)
    (d / "notes.py").write_text(line + "\n")
    assert [k for _, k, _ in leaks(tmp_path / "lessons")] == ["hidden test"]


@pytest.mark.slow
def test_release_check_passes_on_main():
    r = subprocess.run([sys.executable, "-m", "autograder.cli", "release", "--check"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
