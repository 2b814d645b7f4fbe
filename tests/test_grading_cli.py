"""`course grade` as an instructor meets it: changed resubmissions regraded (by content),
`--force`, bilingual one-line errors, and no grading without the sandbox unless asked.
评分命令：按内容重评、--force、双语错误信息、没有沙箱时拒绝评分。"""
import argparse
import csv
import json
from pathlib import Path

import pytest

from autograder import grade as g
from autograder import jail

ROOT = Path(__file__).resolve().parent.parent
LESSON = "00_setup"
FAST = dict(case_timeout=10.0, piece_timeout=30.0)


def _args(subs, out, lesson=(LESSON,), **kw):
    return argparse.Namespace(lesson=list(lesson), submissions=str(subs), out=str(out), jobs=1,
                              db=None, force=kw.get("force", False),
                              unsandboxed=kw.get("unsandboxed", False))


def _put(subs, student, source):
    d = subs / student / LESSON
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{LESSON}.ipynb").write_bytes(Path(source).read_bytes())


def _totals(out):
    with open(out / "grades.csv", newline="") as f:
        return {r["student"]: float(r["score"]) for r in csv.DictReader(f)
                if r["exercise"] == "total"}


SOLVED = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"


def _blank(tmp):
    from autograder.grade import make_template
    return make_template(LESSON) / "release" / LESSON / f"{LESSON}.ipynb"


@pytest.mark.skipif(jail.probe() is not None, reason="no jail here")
def test_a_changed_resubmission_is_regraded_and_force_regrades_all(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    _put(subs, "a", _blank(tmp_path))
    _put(subs, "b", SOLVED)
    g.grade(LESSON, subs, out, progress=False, **FAST)
    assert _totals(out) == {"a": 0, "b": 100}
    stamp = (out / "work" / "results" / "b.json").stat().st_mtime_ns
    _put(subs, "a", SOLVED)  # a resubmits, same name, new content
    g.grade(LESSON, subs, out, progress=False, **FAST)
    assert _totals(out) == {"a": 100, "b": 100}
    assert (out / "work" / "results" / "b.json").stat().st_mtime_ns == stamp  # b untouched
    g.grade(LESSON, subs, out, progress=False, force=True, **FAST)
    assert (out / "work" / "results" / "b.json").stat().st_mtime_ns != stamp
    wide = (out / "grades_wide.csv").read_text().splitlines()
    assert wide[0].split(",")[0] == "student" and wide[0].endswith(f"{LESSON}:total")
    assert wide[1].startswith("a,") and wide[1].endswith(",100")


def test_bilingual_one_line_errors(tmp_path, capsys):
    assert g.main(_args(tmp_path / "missing", tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "找不到提交文件夹" in err and "submissions folder not found" in err
    assert "Traceback" not in err
    (tmp_path / "empty" / ".ipynb_checkpoints").mkdir(parents=True)  # still empty
    assert g.main(_args(tmp_path / "empty", tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert "提交文件夹是空的" in err and "no submissions" in err
    assert g.main(_args(tmp_path / "empty", tmp_path / "out", lesson=("00_setpu",))) == 2
    err = capsys.readouterr().err
    assert "unknown lesson: 00_setpu" in err and "did you mean 00_setup" in err


def test_no_sandbox_no_grading_unless_unsandboxed(tmp_path, capsys, monkeypatch):
    subs, out = tmp_path / "subs", tmp_path / "out"
    _put(subs, "a", SOLVED)
    monkeypatch.setattr(jail, "probe", lambda: jail.missing_reason())
    monkeypatch.setattr(jail, "_UNSANDBOXED", [False])
    assert g.main(_args(subs, out)) == 3
    err = capsys.readouterr().err
    assert "bubblewrap" in err and "拒绝" in err and "--unsandboxed" in err
    assert not (out / "grades.csv").exists()
    assert g.main(_args(subs, out, unsandboxed=True)) == 0
    assert "without OS isolation" in capsys.readouterr().err
    assert _totals(out) == {"a": 100}


@pytest.mark.skipif(jail.probe() is not None, reason="no jail here")
def test_the_jail_view(tmp_path):
    """Inside: pid namespace, own uid, no repository, no network, a size-limited scratch."""
    import subprocess
    import sys
    code = ("import os, socket, json\n"
            "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=2); net = True\n"
            "except OSError:\n    net = False\n"
            "st = os.statvfs('/tmp')\n"
            "print(json.dumps({'pid': os.getpid(), 'uid': os.getuid(), 'net': net,\n"
            "    'repo': os.path.exists(%r), 'tmp': st.f_blocks * st.f_frsize,\n"
            "    'procs': sorted(int(p) for p in os.listdir('/proc') if p.isdigit())}))\n"
            % str(ROOT / "solutions"))
    with jail.uid_slot() as uid:
        argv = jail.wrap([sys.executable, "-I", "-c", code], ro={}, uid=uid, scratch_mb=32,
                         env={"PATH": "/usr/bin:/bin"})
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["pid"] < 10 and max(got["procs"]) < 10
    assert not got["net"] and not got["repo"]
    assert got["tmp"] <= 32 * 2**20
    import os
    if os.geteuid() == 0:
        assert got["uid"] == uid >= jail.UID_BASE


def test_course_doctor_reports_the_sandbox(monkeypatch):
    from course_student import doctor
    r = doctor.Report()
    doctor.check_grading_sandbox(r)
    assert [c.name for c in r.checks] == ["grading sandbox (bubblewrap)"]
    assert r.checks[0].status == (doctor.OK if jail.probe() is None else doctor.WARN)
    monkeypatch.setattr(jail, "probe", lambda: jail.missing_reason())
    r = doctor.Report()
    doctor.check_grading_sandbox(r)
    assert r.checks[0].status == doctor.WARN and "bubblewrap" in r.checks[0].value
    assert "拒绝评分" in r.checks[0].fix_zh and "refuses" in r.checks[0].fix_en


@pytest.mark.skipif(jail.probe() is not None, reason="no jail here")
def test_repository_and_submissions_stay_hidden_under_a_bound_python_prefix(monkeypatch):
    """A Python installed in a folder that also holds the course or the submissions (e.g. the
    repo inside a conda prefix): the folder is bound, the repository and the submissions in
    it are empty tmpfs."""
    import subprocess
    import sys
    import shutil
    import tempfile
    parent = str(jail.REPO.parent)
    real = jail._python_roots
    monkeypatch.setattr(jail, "_python_roots", lambda: [parent, *real()])
    subs = Path(tempfile.mkdtemp(dir=parent, prefix=".course-test-subs-"))
    try:
        (subs / "alice.ipynb").write_text("{}")
        code = (f"import os; print(os.path.isdir({parent!r}), "
                f"os.path.exists({str(jail.REPO / 'solutions')!r}), "
                f"os.path.exists({str(subs / 'alice.ipynb')!r}))")
        with jail.uid_slot() as uid:
            argv = jail.wrap([sys.executable, "-I", "-c", code], ro={}, uid=uid,
                             env={"PATH": "/usr/bin:/bin"}, hide=[subs])
            r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(subs)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "False", "False"]
