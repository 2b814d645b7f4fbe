"""One sandbox session per piece (its own jail, its own grading build): a hostile answer costs
only its own exercise.

每个练习一个沙箱会话（自己的 jail 与评分版 course_lib）：恶意答案只影响它自己的练习。
"""
import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from autograder import jail
from autograder import submission as subm
from autograder.hidden_grade import grade_exercises

pytestmark = pytest.mark.skipif(jail.probe() is not None, reason=f"no jail: {jail.probe()}")

ROOT = Path(__file__).resolve().parent.parent
LESSON = "00_setup"
FAST = dict(timeout=8.0, case_timeout=2.0)


def _answers():
    nb = json.loads((ROOT / "solutions" / LESSON / f"{LESSON}.ipynb").read_text())
    out = {}
    for c in nb["cells"]:
        gid = (c.get("metadata") or {}).get("nbgrader", {}).get("grade_id", "")
        if gid.startswith("ex_"):
            out[gid[3:]] = "".join(c["source"])
    return out, subm.setup_source(nb)


ANSWERS, PRELUDE = _answers()
FIRST = next(iter(ANSWERS))


def _key():
    from autograder.cases import find_key
    return find_key(LESSON, FIRST)
FLOOD = """import os
for _fd in range(3, 64):
    try:
        os.write(_fd, b'{"i": 0, "enc": {}}\\n{"end": 1, "rc": 0}\\n{"start": 1}\\n' * 4096)
    except OSError:
        pass
"""
LINGER = """import _posixsubprocess, os, sys
_code = ("import os, signal, time\\n"  # kills every process started after it
         "for _ in range(1000):\\n"
         "    time.sleep(0.005)\\n"
         "    for p in os.listdir('/proc'):\\n"
         "        if p.isdigit() and int(p) > os.getpid():\\n"
         "            try:\\n"
         "                os.kill(int(p), signal.SIGKILL)\\n"
         "            except OSError:\\n"
         "                pass\\n"
         "    open('/tmp/junk', 'ab').write(b'x' * 2**20)\\n")
_posixsubprocess.fork_exec([sys.executable, '-c', _code], [os.fsencode(sys.executable)], True,
                           (), None, None, -1, -1, -1, -1, -1, -1, *os.pipe(), False, True,
                           -1, None, None, None, -1, None, False)
raise RuntimeError('left a process behind')
"""
HOSTILE = {
    "endless loop": ("while True:\n    pass", "did not finish in time"),
    "memory bomb": ("_big = bytearray(64 * 2**30)", "MemoryError"),
    "os._exit": ("import os\nos._exit(3)", "exit code 3"),
    "kill the zygote": ("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
                        "PermissionError"),
    "kill past the hook": ("import posix, signal\nposix.kill(1, signal.SIGKILL)\n"
                           "posix.kill(posix.getppid(), signal.SIGKILL)", "PermissionError"),
    "kill the group": ("import os, signal\nos.killpg(0, signal.SIGKILL)", "PermissionError"),
    "fork": ("import os\nos.fork()", "PermissionError"),
    "segfault": ("import faulthandler\nfaulthandler._sigsegv()", "signal 11"),
    "flood every pipe": (FLOOD, "too large"),
    "a process left behind": (LINGER, "RuntimeError"),
}


def test_solutions_score_full_in_one_session():
    got = grade_exercises(LESSON, dict(ANSWERS), prelude=PRELUDE, **FAST)
    assert {ex: r.fraction for ex, r in got.items()} == {ex: 1.0 for ex in ANSWERS}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_answer_costs_only_its_exercise(name):
    code, reason = HOSTILE[name]
    answers = dict(ANSWERS, **{FIRST: code})
    t = time.monotonic()
    got = grade_exercises(LESSON, answers, prelude=PRELUDE, max_output=2**16, **FAST)
    assert time.monotonic() - t < 30
    assert got[FIRST].fraction == 0.0
    assert reason in (got[FIRST].fatal or ""), got[FIRST].fatal
    for ex in ANSWERS:
        if ex != FIRST:
            assert got[ex].fraction == 1.0, (ex, got[ex].fatal)


def test_child_sees_no_other_exercise_data():
    """The forked child drops the other pieces (answers and hidden-case sources)."""
    probe = ANSWERS[FIRST] + """
import sys
_frames, _f = [], sys._getframe()
while _f is not None:
    _frames.append(_f)
    _f = _f.f_back
_text = repr([(f.f_locals.keys(), [v for v in f.f_locals.values() if type(v) in (dict, list)])
              for f in _frames])
if "@case(" in _text or "BEGIN SOLUTION" in _text:
    raise RuntimeError("leak")
"""
    got = grade_exercises(LESSON, dict(ANSWERS, **{FIRST: probe}), prelude=PRELUDE, **FAST)
    assert got[FIRST].fraction == 1.0, got[FIRST].fatal


def test_a_sandbox_that_cannot_start_is_a_grader_error(monkeypatch):
    """No student code has run when the zygote fails to start: raise, do not score 0."""
    from autograder import sandbox
    monkeypatch.setattr(sandbox, "_BOOT", "import sys; print('ImportError: broken lib', "
                                          "file=sys.stderr); sys.exit(1)")
    with pytest.raises(sandbox.SandboxError, match="broken lib"):
        grade_exercises(LESSON, dict(ANSWERS), prelude=PRELUDE, **FAST)


def test_grader_error_leaves_the_student_ungraded_until_the_next_run(tmp_path, monkeypatch):
    from autograder import grade as g
    from autograder import sandbox
    d = tmp_path / "subs" / "s1" / LESSON
    d.mkdir(parents=True)
    (d / f"{LESSON}.ipynb").write_text(
        (ROOT / "solutions" / LESSON / f"{LESSON}.ipynb").read_text())
    out = tmp_path / "out"
    boot = sandbox._BOOT
    monkeypatch.setattr(sandbox, "_BOOT", "import sys; sys.exit(1)")
    assert g.grade(LESSON, tmp_path / "subs", out, progress=False) == []
    assert g.GRADER_ERRORS[LESSON] == ["s1"]
    assert not (out / "work" / "results" / "s1.json").exists()
    monkeypatch.setattr(sandbox, "_BOOT", boot)
    res = g.grade(LESSON, tmp_path / "subs", out, progress=False)
    assert [r["total"] for r in res] == [100] and g.GRADER_ERRORS[LESSON] == []


def test_course_lib_changed_during_the_run_is_a_grader_error(monkeypatch):
    """References (this process) and sandbox must run the same course_lib sources."""
    from autograder import hidden_grade
    from autograder.sandbox import SandboxError
    grade_exercises(LESSON, dict(ANSWERS), prelude=PRELUDE, **FAST)  # references computed
    assert hidden_grade._DIGEST
    monkeypatch.setattr(hidden_grade, "_DIGEST", ["0123456789abcdef"])
    monkeypatch.setattr(hidden_grade, "_BUILT", {})
    with pytest.raises(SandboxError, match="changed on disk"):
        grade_exercises(LESSON, dict(ANSWERS), prelude=PRELUDE, **FAST)


def test_honest_class_state_changes_are_not_tampering():
    """A forward hook bumps a class-level counter of course_lib; changing class data is what
    honest code does (only replacing a function or method is tampering)."""
    honest = ANSWERS[FIRST] + f"""
_solution = {FIRST}

@implements({_key()!r})
def {FIRST}(*args, **kwargs):
    m = torch.nn.Linear(2, 2)
    m.register_forward_hook(lambda *a: None).remove()
    m(torch.ones(1, 2))
    return _solution(*args, **kwargs)
"""
    got = grade_exercises(LESSON, dict(ANSWERS, **{FIRST: honest}), prelude=PRELUDE, **FAST)
    assert got[FIRST].fraction == 1.0, got[FIRST].fatal
    patched = ANSWERS[FIRST] + "\nimport course_lib\ncourse_lib.nn.Linear.forward = lambda s, x: x\n"
    got = grade_exercises(LESSON, dict(ANSWERS, **{FIRST: patched}), prelude=PRELUDE, **FAST)
    assert got[FIRST].fraction == 0.0 and "tampering" in got[FIRST].fatal



def test_honest_imports_after_the_snapshot_are_not_tampering():
    """A numpy submodule first imported by the answer (np.polynomial) and matplotlib.pyplot of
    the setup cell, which the zygote imports lazily (sandbox_child.LAZY_IMPORTS) and the
    answer's child loads on first use, are not tampering; a new function put into numpy still
    is. 答案中首次导入的模块不算篡改。"""
    honest = ANSWERS[FIRST] + """
assert np.polynomial.Polynomial([1, 2])(3) == 7
_fig, _ax = plt.subplots()
_ax.plot([1, 2], [3, 4])
assert type(plt).__name__ == "module" and len(_ax.lines) == 1
"""
    prelude = PRELUDE + "\nimport matplotlib.pyplot as plt"
    got = grade_exercises(LESSON, {FIRST: honest}, prelude=prelude, **FAST)
    assert got[FIRST].fraction == 1.0, got[FIRST].fatal
    planted = ANSWERS[FIRST] + "\nnp.polynomial\nnp.lib.helper = lambda: 0\n"
    got = grade_exercises(LESSON, {FIRST: planted}, prelude=prelude, **FAST)
    assert got[FIRST].fraction == 0.0 and "np.lib.helper" not in got[FIRST].fatal \
        and "numpy.lib.helper" in got[FIRST].fatal


@pytest.mark.skipif(jail.probe() is not None, reason=f"no jail: {jail.probe()}")
def test_a_python_under_tmp_is_still_seen_in_the_jail(tmp_path, monkeypatch):
    """The scratch tmpfs is /tmp inside the jail; an interpreter or checkout that lives under
    /tmp on the host (a CI clone) is bound on top of it, not hidden by it, and the scratch's
    wipe leaves its mount point alone (CI failed with 'setpriv: failed to execute
    /tmp/…/.venv/bin/python')."""
    import subprocess
    root = Path(tempfile.mkdtemp(prefix="course-fake-venv-", dir="/tmp"))
    try:
        (root / "marker").write_text("seen")
        root.chmod(0o755)
        (root / "marker").chmod(0o644)
        monkeypatch.setattr(jail, "_python_roots", lambda: [str(root)])
        assert root.name in jail.in_scratch({})
        with jail.uid_slot() as uid:
            argv = jail.wrap(["/bin/cat", str(root / "marker")], ro={}, uid=uid, always=True)
            r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        assert r.returncode == 0 and r.stdout == "seen", r.stderr
    finally:
        shutil.rmtree(root, ignore_errors=True)
