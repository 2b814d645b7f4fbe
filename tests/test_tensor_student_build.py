"""The library reaches the pieces of lessons 01–03 (issue 13): in the student build, before the
student has done them, code that needs one stops with the bilingual ExerciseNotDone naming it;
what needs none of them (equal shapes and dtypes, cpu only) still runs.

学生版中，库需要某个尚未完成的练习时，会停下并给出点名该练习的中英双语 ExerciseNotDone。
"""
import numpy as np
import pytest

import course_lib as cl
from course_lib import exercises

LESSONS = ("01_tensors", "02_numpy", "03_cuda")


@pytest.fixture
def pieces_not_done():
    """Every piece of lessons 01–03 behaves as in a blank student build."""
    exercises._import_all()
    saved = dict(exercises.overrides)
    for key, (lesson, name, _) in exercises.registry.items():
        if lesson in LESSONS:
            def missing(*a, _l=lesson, _n=name, _k=key, **k):
                raise exercises.ExerciseNotDone(_l, _n, _k)
            exercises.overrides[key] = missing
    yield
    exercises.overrides.clear()
    exercises.overrides.update(saved)


@pytest.mark.parametrize("code,name", [
    (lambda: cl.ones(3, 1) + cl.ones(4), "broadcast_shapes"),
    (lambda: cl.ones(2, dtype=cl.int32) + cl.ones(2), "result_type"),
    (lambda: cl.arange(6.0).view(2, 3).t().contiguous(), "is_contiguous"),
    (lambda: cl.nn.Flatten()(cl.ones(2, 3, 4)), "flatten"),
    (lambda: float(cl.ones(1)), "item"),
    (lambda: cl.asarray(np.ones(2)), "as_tensor"),
    (lambda: cl.tensor(np.ones(2)), "as_tensor"),
    (lambda: cl.ones(3).reshape(3, 1), "is_contiguous"),
    (lambda: cl.cat([cl.ones(2), cl.ones(2)]), "result_type"),
    (lambda: cl.device("cuda:0"), "device"),
    (lambda: cl.zeros_like(cl.ones(2)), "empty_like"),
    (lambda: np.asarray(cl.ones(2)), "array"),
    (lambda: cl.ones(2).double(), "to"),
])
def test_code_that_needs_a_piece_stops_naming_it(pieces_not_done, code, name):
    with pytest.raises(exercises.ExerciseNotDone) as e:
        code()
    assert name in str(e.value) and "练习尚未完成" in str(e.value)


def test_what_needs_no_piece_still_runs(pieces_not_done):
    x = cl.ones(2, 3)
    y = (x * 2 + x) / 3 - x.exp().log()
    assert y.shape == (2, 3) and y.dtype == cl.float32
