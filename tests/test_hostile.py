"""Hostile submissions, one per route of issue 14, graded in one run of `course grade` beside
honest students: each attack scores 0 on its exercise and harms no other exercise or student;
nothing outlives the run; grades.csv and the gradebook are complete and correct after the run,
after a delayed attack had its chance, and after a resumed run. Lesson 00_setup.
恶意提交（每条攻击路径一个）：只有被攻击的练习得 0 分，其他练习与其他学生不受影响。"""
import copy
import csv
import json
import os
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest

from autograder import jail
from autograder.cases import case_files, find_key

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import grading_fixtures as fx  # noqa: E402

LESSON = "00_setup"
FAST = dict(case_timeout=10.0, piece_timeout=30.0)
MARKER = f"/tmp/course-hostile-{uuid.uuid4().hex}"
pytestmark = pytest.mark.skipif(jail.probe() is not None, reason=f"no jail: {jail.probe()}")

#: route -> code put before a failing body in the first exercise's answer cell: if the attack
#: worked, the cell implements the piece with what it stole (full marks); else it raises (0)
ROUTES = {
    "solutions_via_dir_fd": """
import os, json
_d = os.open({root!r}, os.O_RDONLY)
_fd = os.open("solutions/{lesson}/{lesson}.ipynb", os.O_RDONLY, dir_fd=_d)
_nb = json.loads(os.read(_fd, 1 << 26))
exec([''.join(c['source']) for c in _nb['cells']
      if c['metadata'].get('nbgrader', {{}}).get('grade_id') == 'ex_{ex}'][0])
""",
    "fork_exec_outlives_the_run": """
import _posixsubprocess, os, sys
_code = ("import time; time.sleep(4)\\n"
         "for p in ({out!r} + '/grades.csv', {out!r} + '/gradebook.db'):\\n"
         "    open(p, 'w').write('forged')\\n"
         "open({marker!r} + '-fork', 'w').write('alive')")
_posixsubprocess.fork_exec([sys.executable, '-c', _code], [os.fsencode(sys.executable)], True,
                           (), None, None, -1, -1, -1, -1, -1, -1, *os.pipe(), False, True,
                           -1, None, None, None, -1, None, False)
""",
    "popen_new_session_outlives_the_run": """
import subprocess, sys
subprocess.Popen([sys.executable, '-c', "import time; time.sleep(4); "
                  "open({out!r} + '/grades.csv', 'w').write('forged')"], start_new_session=True)
""",
    "pidfd_kills_the_grader": """
import os, signal
for _pid in ({grader_pid}, 1, os.getppid()):
    try:
        signal.pidfd_send_signal(os.pidfd_open(_pid), signal.SIGKILL)
    except OSError:
        pass
""",
    "grader_memory": """
import os, re
for _pid in ({grader_pid}, 1, os.getppid()):
    try:
        with open(f'/proc/{{_pid}}/maps') as _m, open(f'/proc/{{_pid}}/mem', 'rb') as _mem:
            for _line in _m:
                _a, _b = (int(x, 16) for x in _line.split()[0].split('-'))
                try:
                    _mem.seek(_a)
                    _chunk = _mem.read(_b - _a)
                except OSError:
                    continue
                _i = _chunk.find(b'### BEGIN SOLUTION')
                if _i >= 0:
                    exec(_chunk[_i:_i + 400].decode(errors='ignore'))
    except OSError:
        pass
""",
    "other_students_and_gradebook": """
import os, shutil
for _p in ({subs!r} + '/victim/{lesson}/{lesson}.ipynb', {out!r} + '/gradebook.db',
           {out!r} + '/work/results/victim.json', {out!r} + '/grades.csv'):
    try:
        open(_p, 'w').write('destroyed')
    except OSError:
        pass
shutil.rmtree({subs!r} + '/victim', ignore_errors=True)
shutil.rmtree({out!r} + '/work', ignore_errors=True)
""",
    # the child's own result pipe is its answer: a line there is no more than a returned value
    "fake_protocol_lines": """
import os
for _fd in range(0, 256):
    try:
        os.write(_fd, b'DONE 0\\n{{"done": true}}\\n{{"end": 1, "rc": 0}}\\n{{"start": 1}}\\n'
                      b'{{"i": 1, "enc": {{"k": "other", "type": "forged"}}}}\\n')
    except OSError:
        pass
""",
    "exception_name_carries_hidden_text": """
try:
    _leak = open({hidden!r}).read()[:2000]
except OSError:
    _leak = 'nothing'
_E = type('X' * 3000 + '<script>alert(1)</script>' + _leak.replace('\\n', ' '), (Exception,), {{}})

@implements({key!r})
def _leaky(*args, **kwargs):
    raise _E('<img src=x onerror=alert(2)>')
""",
    "fill_the_disk": """
with open('big.bin', 'wb') as _f:
    for _ in range(3000):
        _f.write(b'x' * 2**20)
""",
    "real_torch_as_answer_key": """
import torch as _real
_real.tensor([1.0])
""",
}

#: the body after the attack: raise unless the attack registered a working piece
FAIL_UNLESS_STOLEN = """
from course_lib import exercises as _ex
if {key!r} not in _ex.overrides:
    raise RuntimeError('attack failed / 攻击失败')
"""


def _nb(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _cell(nb, gid):
    return next(c for c in nb["cells"]
                if (c.get("metadata") or {}).get("nbgrader", {}).get("grade_id") == gid)


def _put(subs, student, data: bytes):
    d = subs / student / LESSON
    d.mkdir(parents=True)
    (d / f"{LESSON}.ipynb").write_bytes(data)


def _scores(out):
    with open(out / "grades.csv", newline="") as f:
        return {(r["student"], r["exercise"]): float(r["score"]) for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One grading run of every hostile submission beside honest ones."""
    from autograder.grade import grade, make_template
    tmp = tmp_path_factory.mktemp("hostile")
    subs, out = tmp / "subs", tmp / "out"
    course = make_template(LESSON)
    src = _nb(course / "source" / LESSON / f"{LESSON}.ipynb")
    rel = _nb(course / "release" / LESSON / f"{LESSON}.ipynb")
    pts = fx.points(rel)
    first = next(iter(pts))
    key = find_key(LESSON, first)
    ctx = dict(root=str(ROOT), lesson=LESSON, ex=first, key=key, out=str(out), subs=str(subs),
               grader_pid=os.getpid(), hidden=str(case_files(LESSON)[first]), marker=MARKER)
    expected = {}
    for name, code in ROUTES.items():
        nb = copy.deepcopy(rel)  # a blank notebook: only the attack can score
        for ex in pts:
            if ex != first:
                _cell(nb, f"ex_{ex}")["source"] = "".join(_cell(src, f"ex_{ex}")["source"])
        _cell(nb, f"ex_{first}")["source"] = code.format(**ctx) + FAIL_UNLESS_STOLEN.format(**ctx)
        _put(subs, name, fx.dump(nb))
        expected[name] = {**pts, first: 0.0}
    extra = copy.deepcopy(src)  # the attack in an extra cell: never runs, full marks
    extra["cells"].insert(2, {"cell_type": "code", "metadata": {}, "outputs": [],
                              "execution_count": None,
                              "source": f"open({MARKER!r}, 'w').write('ran')\n" +
                                        ROUTES["fork_exec_outlives_the_run"].format(**ctx)})
    _put(subs, "extra_cell", fx.dump(extra))
    expected["extra_cell"] = dict(pts)
    honest = copy.deepcopy(src)  # gc and detach().requires_grad_() are fine in the jail
    _cell(honest, f"ex_{first}")["source"] = "".join(_cell(src, f"ex_{first}")["source"]) + f"""
_solution = {first}

@implements({key!r})
def {first}(*args, **kwargs):
    import gc
    t = torch.ones(3).detach().requires_grad_()
    (t * 2.0).sum().backward()
    assert t.grad is not None and gc.get_referrers(t) is not None
    return _solution(*args, **kwargs)
"""
    _put(subs, "honest_gc_detach", fx.dump(honest))
    expected["honest_gc_detach"] = dict(pts)
    for name in ("victim", "zz_honest"):
        _put(subs, name, fx.dump(src))
        expected[name] = dict(pts)
    with zipfile.ZipFile(subs / f".._{LESSON}.zip", "w") as z:  # the id '..': refused
        z.writestr(f"{LESSON}.ipynb", fx.dump(src))
    t0 = time.monotonic()
    results = grade(LESSON, subs, out, jobs=2, progress=False, **FAST)
    seconds = time.monotonic() - t0
    after_run = (out / "grades.csv").read_bytes()
    time.sleep(6)  # the delayed attacks had their chance
    return dict(tmp=tmp, subs=subs, out=out, expected=expected, results=results, src=src,
                first=first, after_run=after_run, seconds=seconds, ctx=ctx)


def test_each_attack_scores_zero_on_its_exercise_only(run):
    got = _scores(run["out"])
    wrong = [(s, ex, got.get((s, ex)), sc) for s, exp in run["expected"].items()
             for ex, sc in exp.items() if got.get((s, ex)) != pytest.approx(sc)]
    assert not wrong
    assert {s for s, _ in got} == set(run["expected"])  # complete, and no student '..'
    assert run["seconds"] < 120


def test_nothing_outlives_the_run_and_nothing_was_forged(run):
    assert fx.procs_mentioning(str(run["out"])) == []  # the delayed attackers' command lines
    assert (run["out"] / "grades.csv").read_bytes() == run["after_run"]
    assert not Path(MARKER).exists() and not Path(MARKER + "-fork").exists()
    victim = run["subs"] / "victim" / LESSON / f"{LESSON}.ipynb"
    assert json.loads(victim.read_text()) == run["src"]


def test_gradebook_matches_the_csv(run):
    from nbgrader.api import Gradebook
    got = _scores(run["out"])
    with Gradebook(f"sqlite:///{run['out'] / 'gradebook.db'}") as gb:
        for s in run["expected"]:
            assert gb.find_submission(LESSON, s).score == pytest.approx(got[(s, "total")]), s


def test_feedback_escapes_and_truncates_student_strings(run):
    page = (run["out"] / "feedback" / "exception_name_carries_hidden_text" /
            f"{LESSON}.html").read_text()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "X" * 400 not in page  # a 3000-character class name is cut
    hidden = Path(run["ctx"]["hidden"]).read_text()
    secret = [ln.strip() for ln in hidden.splitlines() if len(ln.strip()) > 30
              and not ln.strip().startswith(("@case", "def ", '"""', "#"))]
    assert not [s for s in secret if s in page]


def test_a_resumed_run_regrades_no_one_and_changes_nothing(run):
    from nbgrader.api import Gradebook

    from autograder.grade import grade
    out = run["out"]
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "work" / "results").glob("*.json")}
    before = _scores(out)
    grade(LESSON, run["subs"], out, jobs=2, progress=False, **FAST)
    assert {p.name: p.stat().st_mtime_ns
            for p in (out / "work" / "results").glob("*.json")} == stamps
    assert _scores(out) == before
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        for s in run["expected"]:
            assert gb.find_submission(LESSON, s).score == pytest.approx(before[(s, "total")])


def test_forged_result_files_are_not_trusted(run):
    from autograder.grade import grade
    out = run["out"]
    path = out / "work" / "results" / "victim.json"
    doc = json.loads(path.read_text())
    doc["result"]["total"] = 999
    path.write_text(json.dumps(doc))  # the MAC no longer matches: graded again
    grade(LESSON, run["subs"], out, jobs=1, progress=False, **FAST)
    assert _scores(out)[("victim", "total")] == 100
    assert json.loads(path.read_text())["result"]["total"] == 100


def test_student_ids_that_are_not_ids_are_refused(tmp_path):
    from autograder.grade import collect, student_id_problem
    for bad in ("..", ".", ".hidden", "a/b", "a\\b", "tab\there", "", "x" * 200):
        assert student_id_problem(bad), bad
        assert "/" in student_id_problem(bad)  # bilingual: 中文 / English
    assert student_id_problem("alice_01") is None and student_id_problem("张三") is None
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / ".ipynb_checkpoints").mkdir()  # JupyterLab's: skipped without a word
    for name in (f".._{LESSON}.zip", f"._{LESSON}.zip", f"ok_{LESSON}.zip"):
        with zipfile.ZipFile(subs / name, "w") as z:
            z.writestr(f"{LESSON}.ipynb", b"{}")
    rejected = []
    found = collect(LESSON, subs, tmp_path / "work", rejected)
    assert list(found) == ["ok"] and len(rejected) == 2
    assert [p.name for p in (tmp_path / "work" / "unzipped").iterdir()] == ["ok"]
