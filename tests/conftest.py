"""Shared fixtures: the student build of course_lib and the student course, built into tmp.

学生版 course_lib 与学生课程（构建到临时目录，每个测试会话一次）。
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def student_build(tmp_path_factory) -> Path:
    """A folder holding ``course_lib/``, the student build (put it first on PYTHONPATH)."""
    from autograder.release import build_lib
    folder = tmp_path_factory.mktemp("student-build")
    build_lib(folder / "course_lib")
    return folder


@pytest.fixture(scope="session")
def student_course(tmp_path_factory) -> Path:
    """The student course as ``course release`` builds it (nbgrader generate_assignment)."""
    from autograder.release import build_student_course
    return build_student_course(tmp_path_factory.mktemp("release") / "student-course")


@pytest.fixture
def restore_overrides():
    """Lets a test register (wrong) answers with ``implements``; puts ``exercises.overrides``
    back as it was afterwards. 测试结束后恢复学生答案的注册表。"""
    from course_lib import exercises
    saved = dict(exercises.overrides)
    yield exercises.overrides
    exercises.overrides.clear()
    exercises.overrides.update(saved)


@pytest.fixture
def simulated():
    """course_lib's simulated CUDA device on for the test, its old state back afterwards."""
    import course_lib
    from course_lib import _backend

    old = _backend.simulating()
    course_lib.cuda.simulate(True)
    yield
    course_lib.cuda.simulate(old)
