"""Issue 13 point 4: answers that call library internals instead of doing the work score 0.

In the jail the graded lesson's pieces have no reference (``build_lib`` stubs their regions), and
no private twin of a piece is left in the library, so each way of borrowing the library's own
answer fails: the registry's reference, the source of course_lib's file re-executed, and the
public API that itself goes through the piece (which recurses into the student's override).
Lesson 01_tensors; the other exercises of each submission are solved and keep full marks.
调用库内部实现而不自己完成的答案得 0 分。"""
import copy
import csv
import json
import sys
from pathlib import Path

import pytest

from autograder import jail

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import grading_fixtures as fx  # noqa: E402

LESSON = "01_tensors"
pytestmark = pytest.mark.skipif(jail.probe() is not None, reason=f"no jail: {jail.probe()}")

#: (exercise, answer cell) — each borrows the library instead of doing the work
CHEATS = {
    "registry_reference": ("broadcast_shapes", '''
from course_lib import exercises

@implements("course_lib.broadcast_shapes")
def broadcast_shapes(*shapes):
    return exercises.registry["course_lib.broadcast_shapes"][2](*shapes)
'''),
    "library_source_reexecuted": ("item", '''
import inspect, course_lib._ops.interop as _m
_ns = dict(vars(_m))
exec(inspect.getsource(_m), _ns)  # the file as the grader holds it

@implements("course_lib.Tensor.item")
def item(self):
    return _ns["item"](self)
'''),
    "public_api_through_the_piece": ("flatten", '''
@implements("course_lib.Tensor.flatten")
def flatten(self, start_dim=0, end_dim=-1):
    return torch.nn.Flatten(start_dim, end_dim)(self)  # nn.Flatten calls Tensor.flatten
'''),
}


def _cell(nb, gid):
    return next(c for c in nb["cells"]
                if (c.get("metadata") or {}).get("nbgrader", {}).get("grade_id") == gid)


def test_answers_that_borrow_the_library_score_zero(tmp_path):
    from autograder.grade import grade, make_template
    course = make_template(LESSON)
    src = json.loads((course / "source" / LESSON / f"{LESSON}.ipynb").read_text())
    rel = json.loads((course / "release" / LESSON / f"{LESSON}.ipynb").read_text())
    pts = fx.points(rel)
    subs = tmp_path / "subs"
    expected = {}
    for student, (ex, code) in CHEATS.items():
        assert ex in pts, (ex, list(pts))
        nb = copy.deepcopy(src)
        _cell(nb, f"ex_{ex}")["source"] = code
        d = subs / student / LESSON
        d.mkdir(parents=True)
        (d / f"{LESSON}.ipynb").write_bytes(fx.dump(nb))
        expected[student] = {**pts, ex: 0.0}
    out = tmp_path / "out"
    grade(LESSON, subs, out, jobs=2, progress=False, case_timeout=10.0, piece_timeout=30.0)
    with open(out / "grades.csv", newline="") as f:
        got = {(r["student"], r["exercise"]): float(r["score"]) for r in csv.DictReader(f)}
    wrong = [(s, ex, got.get((s, ex)), sc) for s, exp in expected.items()
             for ex, sc in exp.items() if got.get((s, ex)) != pytest.approx(sc)]
    assert not wrong


#: (exercise, answer cell) — a wrong answer that the library's other pieces would run into
WRONG = {
    # contiguous() asks is_contiguous: this recurses until RecursionError
    "recursive_is_contiguous": ("is_contiguous", '''
@implements("course_lib.Tensor.is_contiguous")
def is_contiguous(self, memory_format=None):
    return self.contiguous() is self
'''),
    # every dtype pair promotes to float32: result_type builds on promote_types
    "broken_promote_types": ("promote_types", '''
@implements("course_lib.promote_types")
def promote_types(type1, type2):
    return torch.float32
'''),
}


def test_each_piece_is_graded_against_the_reference_of_everything_else(tmp_path):
    """Issue 13 point 7: a wrong answer costs only its own points. Its siblings of the same
    lesson (flatten and item go through is_contiguous; result_type through promote_types)
    run on the reference of every piece but their own, so they keep full marks.
    一个错误答案只影响它自己的分数。"""
    from autograder.grade import grade, make_template
    course = make_template(LESSON)
    src = json.loads((course / "source" / LESSON / f"{LESSON}.ipynb").read_text())
    pts = fx.points(json.loads((course / "release" / LESSON / f"{LESSON}.ipynb").read_text()))
    subs = tmp_path / "subs"
    for student, (ex, code) in WRONG.items():
        nb = copy.deepcopy(src)
        _cell(nb, f"ex_{ex}")["source"] = code
        d = subs / student / LESSON
        d.mkdir(parents=True)
        (d / f"{LESSON}.ipynb").write_bytes(fx.dump(nb))
    out = tmp_path / "out"
    grade(LESSON, subs, out, jobs=2, progress=False, case_timeout=10.0, piece_timeout=30.0)
    with open(out / "grades.csv", newline="") as f:
        got = {(r["student"], r["exercise"]): float(r["score"]) for r in csv.DictReader(f)}
    assert got[("recursive_is_contiguous", "is_contiguous")] == 0
    assert got[("broken_promote_types", "promote_types")] < pts["promote_types"] / 2
    wrong = [(s, ex, got.get((s, ex)), p) for s, (bad, _) in WRONG.items()
             for ex, p in pts.items() if ex != bad and got.get((s, ex)) != pytest.approx(p)]
    assert not wrong  # flatten, item, result_type, … keep full marks


def test_an_object_array_from_the_student_is_a_wrong_answer_not_a_grader_error():
    """A piece returning ``np.array([None, ...])`` (or a tensor over one) fails its case."""
    import numpy as np
    from autograder.results import compare, encode
    reason = compare(encode(np.zeros(2)), encode(np.array([None, None])))
    assert reason and "non-numeric" in reason
    assert compare(encode(np.zeros(2)), encode(np.zeros(2))) is None
