"""`course` console script: every subcommand has --help. 每个子命令都有 --help。"""
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
SUBCOMMANDS = ["release", "check", "submit", "grade", "feedback", "status", "doctor"]


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
    assert main(["submit", str(nb), "--student", "s123", "--out", str(tmp_path / "z"), "--no-check"]) == 0
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
    from autograder.release import build_lib
    lessons = tmp_path / "lessons"
    build_lib(lessons / "course_lib")
    r = subprocess.run([sys.executable, "-m", "autograder.cli", "status", "--lessons",
                        str(lessons)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "not done / 未完成" in r.stdout and "0 of" in r.stdout
    assert "05_nn" in r.stdout and "linear" in r.stdout


@pytest.mark.slow
def test_check_notebook_blank_fails_solved_passes(tmp_path, capsys):
    import shutil
    from autograder.release import build_lib
    lessons = tmp_path / "lessons"
    build_lib(lessons / "course_lib")
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


def _nbgrader(args, cwd):
    r = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def _config(path, **lines):
    text = "c = get_config()  # noqa: F821\n" + "".join(f"c.{k} = {v!r}\n"
                                                     for k, v in lines.items())
    path.write_text(text.replace("__", "."))


def test_submit_through_an_nbgrader_exchange(tmp_path, monkeypatch):
    """course submit --exchange → ExchangeSubmit → inbound; nbgrader collect → submitted/
    STUDENT/LESSON/, the layout that course grade reads."""
    _submit_and_collect(tmp_path, monkeypatch)


def _submit_and_collect(tmp_path, monkeypatch):
    from autograder.grade import collect
    exchange, lesson = tmp_path / "exchange", "00_setup"
    (exchange / "c101" / "inbound").mkdir(parents=True)
    released = exchange / "c101" / "outbound" / lesson
    released.mkdir(parents=True)
    nb_text = (ROOT / "solutions" / lesson / f"{lesson}.ipynb").read_text()
    (released / f"{lesson}.ipynb").write_text(nb_text)
    common = dict(Exchange__root=str(exchange), Exchange__cache=str(tmp_path / "cache"),
                  CourseDirectory__course_id="c101")
    home = tmp_path / "student"  # a student's folder with their nbgrader config
    (home / "elsewhere").mkdir(parents=True)
    _config(home / "nbgrader_config.py", **common)
    nb = home / "elsewhere" / f"{lesson}.ipynb"  # not in a folder named like the lesson
    nb.write_text(nb_text)
    monkeypatch.chdir(home)
    assert main(["submit", str(nb), "--student", "s123", "--exchange", "--no-check"]) == 0
    inbound = list((exchange / "c101" / "inbound").iterdir())
    assert [p.name.split("+")[:2] for p in inbound] == [["s123", lesson]]
    assert (inbound[0] / f"{lesson}.ipynb").read_text() == nb_text
    instructor = tmp_path / "instructor"
    instructor.mkdir()
    _config(instructor / "nbgrader_config.py", CourseDirectory__root=str(instructor),
            CourseDirectory__db_url=f"sqlite:///{tmp_path / 'gb.db'}", **common)
    _nbgrader(["collect", lesson], instructor)
    found = collect(lesson, instructor / "submitted", tmp_path / "work")
    assert list(found) == ["s123"] and found["s123"].read_text() == nb_text
    return home, instructor, lesson


def test_feedback_goes_back_through_the_exchange(tmp_path, monkeypatch):
    """submit → collect → course grade → course feedback → the student's nbgrader
    fetch_feedback gets our own feedback page (feedback.py: scores and hidden-case results)."""
    home, instructor, lesson = _submit_and_collect(tmp_path, monkeypatch)
    monkeypatch.chdir(instructor)
    assert main(["grade", lesson, "--submissions", "submitted", "--out", "grading", "--jobs",
                 "1"]) == 0
    zip_only = instructor / "submitted" / "zip_student" / lesson  # no secret: skipped
    zip_only.mkdir(parents=True)
    (zip_only / f"{lesson}.ipynb").write_text(
        (instructor / "submitted" / "s123" / lesson / f"{lesson}.ipynb").read_text())
    assert main(["grade", lesson, "--submissions", "submitted", "--out", "grading"]) == 0
    assert main(["feedback", lesson, "--submissions", "submitted", "--out", "grading"]) == 0
    _nbgrader(["fetch_feedback", lesson, "--student=s123"], home)
    got = list((home / lesson / "feedback").glob(f"*/{lesson}.html"))
    assert len(got) == 1, list(home.rglob("*.html"))
    page = got[0].read_text(encoding="utf-8")
    assert "隐藏用例 · Hidden cases" in page and "s123" in page
    assert page == (instructor / "grading" / "feedback" / "s123" / f"{lesson}.html").read_text(
        encoding="utf-8")


def test_feedback_without_grading_results_says_so(tmp_path, capsys):
    assert main(["feedback", "00_setup", "--submissions", str(tmp_path),
                 "--out", str(tmp_path / "none")]) == 2
    assert "course grade" in capsys.readouterr().err


def test_submit_zip_is_what_nbgrader_zip_collect_expects(tmp_path):
    """The zip of course submit, put where nbgrader zip_collect looks, with the course's
    config (FileNameCollectorPlugin.named_regexp) → submitted/STUDENT/LESSON/LESSON.ipynb."""
    lesson = "00_setup"
    course = tmp_path / "course"
    (course / "release" / lesson).mkdir(parents=True)
    nb_text = (ROOT / "solutions" / lesson / f"{lesson}.ipynb").read_text()
    (course / "release" / lesson / f"{lesson}.ipynb").write_text(nb_text)
    nb = tmp_path / f"{lesson}.ipynb"
    nb.write_text(nb_text)
    archive = course / "downloaded" / lesson / "archive"
    for sid in ("s123", "jo_doe"):
        assert main(["submit", str(nb), "--student", sid, "--out", str(archive), "--no-check"]) == 0
    (course / "nbgrader_config.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from autograder.config import nbgrader_config\n"
        f"get_config().merge(nbgrader_config({str(course)!r}, 'sqlite:///{course}/gb.db', "
        "source='source', release='release'))  # noqa: F821\n")
    _nbgrader(["zip_collect", lesson], course)
    for sid in ("s123", "jo_doe"):
        got = course / "submitted" / sid / lesson / f"{lesson}.ipynb"
        assert got.read_text() == nb_text


def test_version_help_and_bilingual_usage_errors(capsys):
    """`course --version` works; help shows no RST markup; argparse errors in both languages."""
    from autograder.cli import main
    from course_student import cli as student_cli

    for entry in (main, student_cli.main):
        with pytest.raises(SystemExit) as e:
            entry(["--version"])
        assert e.value.code == 0
        assert capsys.readouterr().out.startswith("course ")
        with pytest.raises(SystemExit):
            entry(["--help"])
        assert "``" not in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["grade", "05_nn"])
    err = capsys.readouterr().err
    assert e.value.code == 2
    assert "缺少必需的参数" in err and "the following arguments are required" in err
    with pytest.raises(SystemExit):
        student_cli.main(["frobnicate"])
    err = capsys.readouterr().err
    assert "取值无效" in err and "invalid choice" in err and "course --help" in err


def test_submit_checks_first_needs_a_valid_id_and_writes_to_submissions(tmp_path, capsys,
                                                                         monkeypatch):
    """course submit runs the visible checks and says what fails before packing; without an id
    (no --student, no $COURSE_STUDENT, no terminal) it refuses instead of taking $USER; a bad id
    is refused in both languages; the zip goes to the course folder's submissions/ (issue 16.4)."""
    import json
    monkeypatch.delenv("COURSE_STUDENT", raising=False)
    monkeypatch.setattr(sys, "stdin", None)
    course = tmp_path / "course"
    (course / "00_setup").mkdir(parents=True)
    nb = course / "00_setup" / "00_setup.ipynb"
    src = json.loads((ROOT / "solutions" / "00_setup" / "00_setup.ipynb").read_text())
    ex = next(c for c in src["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id", "")
              .startswith("ex_"))
    ex["source"] = "raise NotImplementedError()"  # one exercise left undone
    nb.write_text(json.dumps(src))
    assert main(["submit", str(nb), "--no-check"]) == 2
    assert "no student id" in capsys.readouterr().out
    assert main(["submit", str(nb), "--student", "../x", "--no-check"]) == 2
    assert "学号无效" in capsys.readouterr().out
    assert main(["submit", str(nb), "--student", "s42"]) == 0
    out = capsys.readouterr().out
    assert "running the visible checks first" in out and "not done yet" in out
    assert "packing anyway" in out
    assert (course / "submissions" / "s42_00_setup.zip").is_file()
    (course / ".course-student").write_text("s43\n")  # asked once, remembered
    assert main(["submit", str(nb), "--no-check"]) == 0
    assert (course / "submissions" / "s43_00_setup.zip").is_file()
