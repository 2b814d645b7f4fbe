"""The exercise mechanism: dispatch, check(), earlier answers in the student build, status.

练习机制测试：分派、check()、学生版从之前的 notebook 读取答案、进度表。"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_lib import exercises
from course_lib.exercises import ExerciseNotDone, check, implements

ROOT = Path(__file__).resolve().parent.parent
KEY = "course_lib.utils.collect_env.parse_cuda_version"
NVCC = "Cuda compilation tools, release 12.1, V12.1.105"


def test_dispatch_reference_then_override():
    from course_lib.utils import collect_env
    assert collect_env.parse_cuda_version(NVCC) == "12.1"
    try:
        @implements(KEY)
        def mine(text):
            return "mine"
        assert collect_env.parse_cuda_version(NVCC) == "mine"
    finally:
        exercises.overrides.pop(KEY, None)
    assert collect_env.parse_cuda_version(NVCC) == "12.1"
    assert not hasattr(collect_env.parse_cuda_version, "__wrapped__")


def test_dispatcher_keeps_the_signature_and_forwards_every_argument():
    """The dispatcher takes the reference's parameters (keywords, defaults, keyword-only, a
    parameter called ``type``) and passes them all on; ``*args`` references get ``*args``."""
    import inspect
    seen = []

    @exercises.exercise("99_test", "sig", key="test.sig")
    def sig(type, b=2, *, c=3):  # noqa: A002
        seen.append((type, b, c))
        return type + b + c

    @exercises.exercise("99_test", "star", key="test.star")
    def star(self, *size):
        return size

    try:
        assert str(inspect.signature(sig)) == "(type, b=2, *, c=3)"
        assert sig(1) == 6 and sig(type=1, b=1, c=1) == 3 and seen == [(1, 2, 3), (1, 1, 1)]
        with pytest.raises(TypeError):
            sig(1, 2, 3)  # c is keyword-only, as in the reference
        assert star(None, 2, 3) == (2, 3)
        got = []

        @implements("test.sig")
        def mine(type, b=5, *, c=7):  # noqa: A002
            got.append((type, b, c))
            return 0
        assert sig(1) == 0 and got == [(1, 2, 3)]  # the reference's defaults are passed on

        @implements("test.sig")
        def stub(type, b=2, *, c=3):  # noqa: A002
            raise NotImplementedError()
        with pytest.raises(ExerciseNotDone, match="sig"):
            sig(1)
    finally:
        for k in ("test.sig", "test.star"):
            exercises.registry.pop(k, None)
            exercises.overrides.pop(k, None)


def test_implements_unknown_key():
    with pytest.raises(KeyError, match="No exercise"):
        implements("course_lib.nope")


def test_check_pass_and_bilingual_failure(capsys):
    assert check("ok / 好", (1, "a"), (1, "a")) is None  # no "True" under a test cell
    with pytest.raises(AssertionError) as e:
        check("版本 / version", "12.2", "12.1", input=NVCC)
    msg = str(e.value)
    for part in ("输入 input", "期望 expected", "实际 got", "'12.1'", "'12.2'", "release 12.1"):
        assert part in msg
    out = capsys.readouterr().out
    assert "✓ ok / 好" in out and "✗ 版本 / version" in out


def test_check_is_not_fooled_by_lying_objects():
    class Liar(str):
        def __eq__(self, other):
            return True

        def __bool__(self):
            return True

        __hash__ = str.__hash__

    with pytest.raises(AssertionError, match="type"):
        check("liar", Liar("x"), "12.1")
    with pytest.raises(AssertionError):
        check("int vs float", 1, 1.0)
    with pytest.raises(AssertionError):
        check("float tolerance", 1.0, 1.1)
    check("float tolerance ok", 1.0 + 1e-9, 1.0)


def test_check_numpy_arrays():
    import numpy as np
    check("arrays", np.arange(3.0), np.arange(3.0))
    with pytest.raises(AssertionError, match="dtype"):
        check("arrays dtype", np.arange(3), np.arange(3.0))
    with pytest.raises(AssertionError, match="shape"):
        check("arrays shape", np.zeros((2, 1)), np.zeros(2))


def test_is_unfinished():
    assert exercises.is_unfinished("# YOUR CODE HERE\nraise NotImplementedError()")
    assert exercises.is_unfinished(None) and exercises.is_unfinished("  \n# only comments")
    assert not exercises.is_unfinished("def f():\n    return 1")


def _student_tree(tmp: Path, answers: dict) -> Path:
    """lessons/ with the student build and a 00_setup notebook holding ``answers``."""
    from autograder.release import build_lib
    lessons = tmp / "lessons"
    build_lib(lessons / "course_lib")
    cells = []
    for name, src in answers.items():
        cells.append({"cell_type": "code", "execution_count": None, "outputs": [], "source": src,
                      "metadata": {"nbgrader": {"grade_id": f"ex_{name}", "solution": True,
                                                "grade": False, "locked": False,
                                                "schema_version": 3, "task": False}}})
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (lessons / "00_setup").mkdir()
    (lessons / "00_setup" / "00_setup.ipynb").write_text(json.dumps(nb))
    return lessons


def test_student_build_uses_earlier_notebook_answers(tmp_path):
    done = ('import re\n@implements("course_lib.utils.collect_env.parse_cuda_version")\n'
            'def parse_cuda_version(text):\n    return "from-notebook"\n')
    lessons = _student_tree(tmp_path, {
        "parse_cuda_version": done,
        "parse_driver_version": "# YOUR CODE HERE\nraise NotImplementedError()"})
    code = f"""
import sys
sys.path.insert(0, {str(lessons)!r})
import course_lib
assert course_lib.__file__.startswith({str(lessons)!r}), course_lib.__file__
from course_lib.utils import collect_env
from course_lib.exercises import ExerciseNotDone, status
print(collect_env.parse_cuda_version("x"))
try:
    collect_env.parse_driver_version("x")
except ExerciseNotDone as e:
    print("NOTDONE", e)
status()
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "from-notebook" in out
    assert "NOTDONE" in out and "00_setup" in out and "parse_driver_version" in out
    assert "练习尚未完成" in out and "Exercise not done yet" in out
    assert "parse_cuda_version" in out and "not done / 未完成" in out
    assert "answered, check not run yet" in out  # its notebook holds no check cell output


def test_exercise_not_done_is_not_implemented_error():
    e = ExerciseNotDone("05_nn", "linear", "course_lib.nn.functional.linear")
    assert isinstance(e, NotImplementedError)
    assert "05_nn" in str(e) and "linear" in str(e)


def test_test_cells_show_no_true_and_nbgrader_partial_credit_still_works():
    """A test cell ending in check(...) shows no "True" and gets full points; one whose last
    expression is a number gets that many points (nbgrader partial credit); a failing one 0."""
    import nbformat
    from nbclient import NotebookClient
    from nbgrader.utils import determine_grade

    def graded(src, gid):
        cell = nbformat.v4.new_code_cell(src)
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                     "grade_id": gid, "points": 5, "schema_version": 3}
        return cell

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from course_lib.exercises import check"),
                graded('check("一样 / same", (1, "a"), (1, "a"))', "full"),
                graded('check("一样 / same", 2.0, 2.0)\n2.5', "partial"),
                graded('check("不同 / differ", 1, 2)', "failed")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3").execute(env=env)
    full, partial, failed = nb.cells[1:]
    assert [o.output_type for o in full.outputs] == ["stream"]  # "✓ …" only, no "True"
    assert "True" not in json.dumps(full.outputs)
    assert determine_grade(full) == (5, 5)
    assert determine_grade(partial) == (2.5, 5)
    assert determine_grade(failed) == (0, 5)


def test_not_done_in_a_notebook_is_one_short_bilingual_message_and_stops_run_all():
    """An unfinished piece reached deep inside the library (the lesson-04 engine through
    ``backward()``) shows the bilingual message and where Run All stopped — no traceback
    through course_lib's internals — and the cells below do not run (issue 16 point 2)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(
            "import course_lib as torch\nfrom course_lib.exercises import implements\n"
            "@implements('course_lib.autograd.engine.execute')\n"
            "def execute(roots, retain_graph, run_node):\n    raise NotImplementedError()"),
        nbformat.v4.new_code_cell("x = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()"),
        nbformat.v4.new_code_cell("print('after')")])
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=60)
    with pytest.raises(nbclient.exceptions.CellExecutionError):
        client.execute(env=dict(os.environ, PYTHONPATH=str(ROOT)))
    (err,) = [o for o in nb.cells[1].outputs if o["output_type"] == "error"]
    text = "\n".join(err["traceback"])
    assert err["ename"] == "ExerciseNotDone" and "Exercise not done yet" in text
    assert "练习尚未完成" in text and "Run All" in text and "did not run" in text
    assert "Traceback" not in text and "File " not in text and "engine.py" not in text
    assert len(text.splitlines()) <= 6
    assert nb.cells[2].get("execution_count") is None


def test_status_reports_the_saved_visible_checks_with_points(tmp_path, capsys, monkeypatch,
                                                             restore_overrides):
    """course status: ✓ for an answer whose check cell ran clean, ✗ for one whose check failed
    (as saved in the notebook), ✗ not done for a stub, with visible points (issue 16 point 3)."""
    import json

    from course_lib import exercises
    src = json.loads((ROOT / "solutions" / "00_setup" / "00_setup.ipynb").read_text())
    by_id = {(c.get("metadata") or {}).get("nbgrader", {}).get("grade_id"): c
             for c in src["cells"]}
    names = [g[3:] for g in by_id if g and g.startswith("ex_")]
    assert len(names) >= 3
    ok, bad, blank = names[:3]
    by_id[f"test_{ok}"]["execution_count"] = 3
    by_id[f"test_{ok}"]["outputs"] = []
    by_id[f"test_{bad}"]["execution_count"] = 4
    by_id[f"test_{bad}"]["outputs"] = [{"output_type": "error", "ename": "AssertionError",
                                       "evalue": "✗", "traceback": []}]
    by_id[f"ex_{blank}"]["source"] = "raise NotImplementedError()"
    (tmp_path / "00_setup").mkdir()
    (tmp_path / "00_setup" / "00_setup.ipynb").write_text(json.dumps(src))
    monkeypatch.setenv("COURSE_LESSONS_DIR", str(tmp_path))
    # emptied in place: dispatchers made while status() imports the lessons' modules bind this
    # very dict (replacing it left them reading a dead one: later implements() had no effect)
    restore_overrides.clear()
    rows = {r["exercise"]: r for r in exercises.status() if r["lesson"] == "00_setup"}
    out = capsys.readouterr().out
    assert rows[ok]["passed"] and rows[ok]["earned"] == rows[ok]["points"] > 0
    assert rows[bad]["done"] and not rows[bad]["passed"] and rows[bad]["earned"] == 0
    assert "fails its visible check (AssertionError)" in rows[bad]["state"]
    assert not rows[blank]["done"] and rows[blank]["state"] == "not done / 未完成"
    assert f"{rows[ok]['points']:g}/{rows[ok]['points']:g}" in out and "pass their visible checks" in out
