"""`course` console script: every subcommand has --help. 每个子命令都有 --help。"""
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
SUBCOMMANDS = ["release", "check", "submit", "grade", "status", "doctor"]


@pytest.mark.parametrize("cmd", SUBCOMMANDS)
def test_help(cmd, capsys):
    with pytest.raises(SystemExit) as e:
        main([cmd, "--help"])
    assert e.value.code == 0
    assert cmd in capsys.readouterr().out


def test_top_level_help_lists_subcommands():
    text = build_parser().format_help()
    assert all(c in text for c in SUBCOMMANDS)


def test_module_entry_point_runs():
    r = subprocess.run([sys.executable, "-m", "autograder.cli", "--help"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0 and "grade" in r.stdout


def test_submit_makes_a_zip_that_grade_collects(tmp_path):
    from autograder.grade import collect
    nb = tmp_path / "00_setup.ipynb"
    nb.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    assert main(["submit", str(nb), "--student", "s123", "--out", str(tmp_path / "z")]) == 0
    found = collect("00_setup", tmp_path / "z", tmp_path / "work")
    assert list(found) == ["s123"]
    assert found["s123"].read_text() == nb.read_text()


def test_collect_blackboard_zip_names(tmp_path):
    import zipfile
    from autograder.grade import collect
    (tmp_path / "subs").mkdir()
    z = tmp_path / "subs" / "Lesson 00_jdoe_attempt_2026-11-24-10-00-00_00_setup.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("00_setup.ipynb", "{}")
    (tmp_path / "subs" / "broken.zip").write_bytes(b"not a zip")
    found = collect("00_setup", tmp_path / "subs", tmp_path / "work")
    assert set(found) == {"jdoe", "broken"}
    assert found["broken"] is None


def test_status_on_the_released_student_build(tmp_path):
    from autograder.release import build_student_lib
    lessons = tmp_path / "lessons"
    build_student_lib(lessons / "course_lib")
    r = subprocess.run([sys.executable, "-m", "autograder.cli", "status", "--lessons",
                        str(lessons)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "not done / 未完成" in r.stdout and "0 of" in r.stdout
    assert "05_nn" in r.stdout and "linear" in r.stdout


@pytest.mark.slow
def test_check_notebook_blank_fails_solved_passes(tmp_path, capsys):
    import shutil
    from autograder.release import build_student_lib
    lessons = tmp_path / "lessons"
    build_student_lib(lessons / "course_lib")
    (lessons / "00_setup").mkdir()
    blank = ROOT / "lessons" / "00_setup" / "00_setup.ipynb"
    if not blank.exists():
        pytest.skip("run `course release` first")
    shutil.copyfile(blank, lessons / "00_setup" / "00_setup.ipynb")
    assert main(["check", str(lessons / "00_setup" / "00_setup.ipynb")]) == 1
    out = capsys.readouterr().out
    assert "✗ test_parse_driver_version" in out and "check(s) failed" in out
    shutil.copyfile(ROOT / "solutions" / "00_setup" / "00_setup.ipynb",
                    lessons / "00_setup" / "00_setup.ipynb")
    assert main(["check", str(lessons / "00_setup" / "00_setup.ipynb")]) == 0
    assert "all visible checks pass" in capsys.readouterr().out
