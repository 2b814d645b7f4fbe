"""The full nbgrader cycle per lesson, hostile submissions, resume. 完整评分流程测试。"""
import csv
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import grading_fixtures as fx  # noqa: E402

from autograder.cases import case_files  # noqa: E402
from autograder.release import lesson_ids  # noqa: E402

from autograder import jail  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(jail.probe() is not None, reason=f"no jail: {jail.probe()}")]
FAST = dict(case_timeout=10.0, piece_timeout=30.0)


def _gradable():
    """Lessons with a source notebook and hidden cases for each of its exercises."""
    out = []
    for lesson in lesson_ids():
        nb = json.loads((ROOT / "solutions" / lesson / f"{lesson}.ipynb").read_text())
        exs = fx.points(nb)
        if exs and set(exs) <= set(case_files(lesson)):
            out.append(lesson)
    return out


LESSONS = _gradable()


def _setup(lesson, tmp):
    from autograder.grade import make_template
    course = make_template(lesson)
    src = json.loads((course / "source" / lesson / f"{lesson}.ipynb").read_text())
    rel = json.loads((course / "release" / lesson / f"{lesson}.ipynb").read_text())
    return src, rel


def _put(subs, student, lesson, data: bytes):
    d = subs / student / lesson
    d.mkdir(parents=True)
    (d / f"{lesson}.ipynb").write_bytes(data)


def _scores(out):
    with open(out / "grades.csv", newline="") as f:
        return {(r["student"], r["exercise"]): float(r["score"]) for r in csv.DictReader(f)}


@pytest.mark.parametrize("lesson", LESSONS)
def test_cycle_solved_blank_mixed(lesson, tmp_path):
    from autograder.grade import grade
    src, rel = _setup(lesson, tmp_path)
    subs = tmp_path / "subs"
    expected = {}
    for name, build in (("solved", fx.solved), ("blank", fx.blank), ("mixed", fx.mixed)):
        data, exp = build(src, rel)
        _put(subs, name, lesson, data)
        expected[name] = exp
    grade(lesson, subs, tmp_path / "out", jobs=2, progress=False, **FAST)
    got = _scores(tmp_path / "out")
    for student, exp in expected.items():
        for ex, score in exp.items():
            # each piece is graded against the reference of everything else: a solved piece
            # beside unfinished ones of its lesson keeps full marks
            assert got[(student, ex)] == pytest.approx(score), (student, ex)
        assert got[(student, "total")] == pytest.approx(sum(exp.values())), student
    assert got[("solved", "total")] == pytest.approx(100)
    assert got[("blank", "total")] == 0
    page = (tmp_path / "out" / "feedback" / "mixed" / f"{lesson}.html").read_text()
    assert "隐藏用例 · Hidden cases" in page
    secret = _secret_lines(lesson)
    for student in expected:  # no hidden-case code in any feedback page
        page = (tmp_path / "out" / "feedback" / student / f"{lesson}.html").read_text()
        assert not [s for s in secret if s in page], student
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{tmp_path / 'out' / 'gradebook.db'}") as gb:
        assert gb.find_submission(lesson, "solved").score == pytest.approx(100)
        assert gb.find_submission(lesson, "blank").score == pytest.approx(0)


def _secret_lines(lesson):
    """Lines of the hidden case files that are code (not titles, docstrings or comments)."""
    return [ln.strip() for p in case_files(lesson).values() for ln in p.read_text().splitlines()
            if len(ln.strip()) > 25 and not ln.strip().startswith(("@case", '"""', "#", "def "))]


GROUPS = 4


@pytest.mark.parametrize("group", range(GROUPS))
def test_hostile_submissions(group, tmp_path):
    """Each hostile submission: 0 on the exercises it touches, others unaffected, no leak.
    (Split in groups so that pytest-xdist spreads them over the workers.)"""
    from autograder.grade import grade
    lesson = "00_setup" if "00_setup" in LESSONS else LESSONS[0]
    src, rel = _setup(lesson, tmp_path)
    subs, out = tmp_path / "subs", tmp_path / "out"
    hidden = sorted(case_files(lesson).values())[0]
    expected = {}
    for name in sorted(fx.HOSTILE)[group::GROUPS]:
        build = fx.HOSTILE[name]
        ctx = {"key": _first_key(lesson, rel), "hidden": str(hidden), "out": str(out),
               "student": name}
        data, exp = build(src, rel, ctx)
        _put(subs, name, lesson, data)
        expected[name] = exp
    data, exp = fx.solved(src, rel)
    _put(subs, "zz_honest", lesson, data)
    expected["zz_honest"] = exp
    grade(lesson, subs, out, jobs=1, progress=False, **FAST)
    got = _scores(out)
    wrong = [(s, ex, got.get((s, ex)), sc) for s, exp in expected.items()
             for ex, sc in exp.items() if got.get((s, ex)) != pytest.approx(sc)]
    assert not wrong
    secret = [ln.strip() for ln in hidden.read_text().splitlines() if len(ln.strip()) > 30
              and not ln.strip().startswith(("@case", "def ", '"""', "#"))]
    for student in {"read_hidden_tests", "read_gradebook"} & set(expected):
        page = (out / "feedback" / student / f"{lesson}.html").read_text()
        assert not [s for s in secret if s in page]
        assert "SQLite format" not in page
    for s in expected:  # every student has a reason-bearing feedback page
        page = (out / "feedback" / s / f"{lesson}.html").read_text()
        assert "Hidden cases" in page
    if "fake_result_files" in expected:
        res = json.loads((out / "work" / "results" / "fake_result_files.json").read_text())["result"]
        assert res["student"] == "fake_result_files" and res["total"] == sum(
            expected["fake_result_files"].values())


def _first_key(lesson, rel):
    from autograder.cases import find_key
    return find_key(lesson, next(iter(fx.points(rel))))


def test_resume_does_not_regrade(tmp_path):
    from autograder.grade import grade
    lesson = LESSONS[0]
    src, rel = _setup(lesson, tmp_path)
    subs, out = tmp_path / "subs", tmp_path / "out"
    _put(subs, "a", lesson, fx.solved(src, rel)[0])
    _put(subs, "b", lesson, fx.blank(src, rel)[0])
    grade(lesson, subs, out, jobs=1, progress=False, **FAST)
    first = _scores(out)
    stamp = (out / "work" / "results" / "a.json").stat().st_mtime_ns
    (out / "work" / "results" / "b.json").unlink()  # b was interrupted
    grade(lesson, subs, out, jobs=1, progress=False, **FAST)
    assert (out / "work" / "results" / "a.json").stat().st_mtime_ns == stamp
    assert _scores(out) == first


def test_resume_into_another_gradebook_url(tmp_path):
    """--db: any SQLAlchemy URL; a resumed run records finished students without regrading."""
    from nbgrader.api import Gradebook

    from autograder.grade import grade
    lesson = LESSONS[0]
    src, rel = _setup(lesson, tmp_path)
    subs, out = tmp_path / "subs", tmp_path / "out"
    _put(subs, "a", lesson, fx.solved(src, rel)[0])
    grade(lesson, subs, out, jobs=1, progress=False, **FAST)
    stamp = (out / "work" / "results" / "a.json").stat().st_mtime_ns
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    grade(lesson, subs, out, jobs=1, progress=False, db=url, **FAST)
    assert (out / "work" / "results" / "a.json").stat().st_mtime_ns == stamp
    with Gradebook(url) as gb:
        assert gb.find_submission(lesson, "a").score == pytest.approx(100)


def test_interrupted_run_resumes(tmp_path):
    """Ctrl-C during `course grade`: it stops soon, leaves no kernel behind, keeps who was
    finished; the same command again grades only the others and loses no grade."""
    import signal
    import subprocess
    import time
    from nbgrader.api import Gradebook
    lesson = LESSONS[0]
    src, rel = _setup(lesson, tmp_path)
    subs, out = tmp_path / "subs", tmp_path / "out"
    for s in "abcdef":
        _put(subs, s, lesson, fx.solved(src, rel)[0])
    cmd = [sys.executable, "-m", "autograder.cli", "grade", lesson, "--submissions", str(subs),
           "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = out / "work" / "results"
    deadline = time.monotonic() + 120
    while not list(results.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "resume" in err.decode()
    time.sleep(1)
    assert not fx.procs_mentioning(str(out))  # no worker or kernel left running
    finished = {p.stem: p.stat().st_mtime_ns for p in results.glob("*.json")}
    assert 1 <= len(finished) < 6
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert {p.stem: p.stat().st_mtime_ns for p in results.glob("*.json")
            if p.stem in finished} == finished  # not graded again
    got = _scores(out)
    assert {s: got[(s, "total")] for s in "abcdef"} == {s: 100 for s in "abcdef"}
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        assert sorted(x.student_id for x in gb.assignment_submissions(lesson)) == list("abcdef")
        assert all(gb.find_submission(lesson, s).score == pytest.approx(100) for s in "abcdef")
