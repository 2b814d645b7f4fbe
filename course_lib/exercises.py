"""The exercise mechanism: pieces of course_lib that students implement in notebooks.

练习机制：学生在 notebook 中实现的 course_lib 组件。

A piece is declared in the library with ``@exercise(lesson, name, key=...)``; its reference
body sits between ``### BEGIN SOLUTION`` / ``### END SOLUTION``. A notebook answer cell
registers the student's version with ``@implements(key)``; from then on the library calls it.
"""
from __future__ import annotations

import functools

__all__ = ["exercise", "implements", "ExerciseNotDone", "registry", "overrides"]

#: key -> (lesson, name, reference function)
registry: dict = {}
#: key -> the student's function
overrides: dict = {}


class ExerciseNotDone(NotImplementedError):
    """Raised when a piece has no implementation yet. 练习尚未完成时抛出。"""

    def __init__(self, lesson: str, name: str, key: str):
        self.lesson, self.name, self.key = lesson, name, key
        super().__init__(
            f"练习尚未完成：第 {lesson} 课的练习 '{name}'（{key}）。"
            f"请先在 lessons/{lesson}/{lesson}.ipynb 中完成它并运行该单元格。\n"
            f"Exercise not done yet: '{name}' of lesson {lesson} ({key}). "
            f"Complete it in lessons/{lesson}/{lesson}.ipynb and run that cell first."
        )


def _student_build() -> bool:
    try:
        from . import _build
    except ImportError:
        return False
    return bool(getattr(_build, "STUDENT_BUILD", False))


def exercise(lesson: str, name: str, *, key: str):
    """Mark a library function as the exercise ``name`` of ``lesson``."""

    def decorate(ref):
        registry[key] = (lesson, name, ref)
        student = _student_build()

        @functools.wraps(ref)
        def dispatch(*args, **kwargs):
            f = overrides.get(key)
            if f is None:
                if student:
                    f = _load_earlier_answer(key)
                    if f is None:
                        raise ExerciseNotDone(lesson, name, key)
                else:
                    f = ref
            return f(*args, **kwargs)

        dispatch.__course_exercise__ = (lesson, name, key)
        return dispatch

    return decorate


def implements(key: str):
    """Register the decorated function as the student's version of ``key``.

    用被装饰的函数替换 course_lib 中的组件 ``key``。
    """
    if key not in registry:
        known = ", ".join(sorted(registry)) or "-"
        raise KeyError(
            f"没有名为 {key!r} 的练习。/ No exercise is called {key!r}. Known: {known}"
        )

    def decorate(f):
        overrides[key] = f
        return f

    return decorate


def _load_earlier_answer(key):
    """Hook for picking up the student's answer from their earlier notebook (grading issue)."""
    return None
