"""The exercise mechanism: pieces of course_lib that students implement in notebooks.

练习机制：学生在 notebook 中实现的 course_lib 组件。

A piece is declared in the library with ``@exercise(lesson, name, key=...)``; its reference
body sits between ``### BEGIN SOLUTION`` / ``### END SOLUTION``. A notebook answer cell
registers the student's version with ``@implements(key)``; from then on the library calls it.
In the student build (no reference code) a piece not implemented in this session is taken
from the student's own earlier notebook ``lessons/<lesson>/<lesson>.ipynb``; if it is not
done there either, calling it raises :class:`ExerciseNotDone`.
"""
from __future__ import annotations

import functools
import json
import os
from pathlib import Path

from ._check import check

__all__ = ["exercise", "implements", "check", "status", "lookup", "ExerciseNotDone",
           "registry", "overrides"]

#: key -> (lesson, name, reference function or None)
registry: dict = {}
#: key -> the student's function
overrides: dict = {}
#: key -> the student's answer loaded from an earlier notebook (None: not done there)
_earlier: dict = {}
#: environment variable naming the folder that holds ``<lesson>/<lesson>.ipynb``
LESSONS_ENV = "COURSE_LESSONS_DIR"


class ExerciseNotDone(NotImplementedError):
    """Raised when a piece has no implementation yet. 练习尚未完成时抛出。"""

    def __init__(self, lesson: str, name: str, key: str):
        self.lesson, self.name, self.key = lesson, name, key
        super().__init__(
            f"练习尚未完成：第 {lesson} 课的练习 '{name}'（{key}）。"
            f"请先在课程文件夹的 {lesson}/{lesson}.ipynb 中完成它并运行该单元格。\n"
            f"Exercise not done yet: '{name}' of lesson {lesson} ({key}). "
            f"Complete it in {lesson}/{lesson}.ipynb of the course folder and run that cell first."
        )


STOPPED_HERE = ("本单元格之后的单元格没有运行（Run All 在这里停下）。完成上面所说的练习后，从这里继续运行。\n"
                "The cells below this one did not run (Run All stops here). Do the exercise named "
                "above, then run on from here.")


def _not_done_in_notebook(shell, etype, value, tb, tb_offset=None):
    """IPython's handler for ExerciseNotDone: the bilingual message alone, no traceback through
    course_lib's internals; it is still an error, so Run All (and Validate) stop here."""
    stb = [f"{etype.__name__}: {value}", "", STOPPED_HERE]
    shell._showtraceback(etype, value, stb)
    return stb


def _install_notebook_handler() -> None:
    import sys
    ipython = sys.modules.get("IPython")  # only inside IPython/Jupyter (never import it here)
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc((ExerciseNotDone,), _not_done_in_notebook)


_install_notebook_handler()


@functools.lru_cache(maxsize=None)  # a failed import is slow (~2 ms): check once
def _student_build() -> bool:
    try:
        from . import _build
    except ImportError:
        return False
    return bool(getattr(_build, "STUDENT_BUILD", False))


_STUDENT_BUILD = [_student_build()]  # read by every dispatcher call (no function call)


@functools.lru_cache(maxsize=None)
def _revealed() -> frozenset:
    """Lessons whose reference pieces this student build carries (``course release --reveal``)."""
    try:
        from . import _build
    except ImportError:
        return frozenset()
    return frozenset(getattr(_build, "REVEALED", ()))


def lookup(key: str):
    """The function that implements ``key`` now: the student's from this session, else the
    reference (instructor build, or a lesson revealed in the student build), else the student's
    earlier notebook (student build); raises ExerciseNotDone if none."""
    f = overrides.get(key)
    if f is not None:
        return f
    lesson, name, ref = registry[key]
    if ref is not None and (not _student_build() or lesson in _revealed()):
        return ref
    f = _load_earlier_answer(key)
    if f is None:
        raise ExerciseNotDone(lesson, name, key)
    return f


def exercise(lesson: str, name: str, *, key: str):
    """Mark a library function as the exercise ``name`` of ``lesson``.

    The returned dispatcher is on hot paths (binary ops, the engine, Linear, optimizers): it
    takes the reference's own parameters (no ``*args`` packing when it has no ``*args``), looks
    up an override, then the reference, and calls it. ``overrides`` and ``registry`` are read
    at every call (mutate them in place; the grader seals a reference by setting its registry
    entry's function to None).
    """

    def decorate(ref):
        registry[key] = (lesson, name, ref)
        dispatch = _dispatcher(ref, lesson, name, key)
        # the reference is reachable only through the registry (not __wrapped__, not the
        # closure), so the grader can seal it: registry[key] = (lesson, name, None)
        functools.update_wrapper(dispatch, ref)
        del dispatch.__wrapped__
        dispatch.__course_exercise__ = (lesson, name, key)
        return dispatch

    return decorate


_DISPATCH = """
def dispatch({params}):
    __ex_f = __ex_get(__ex_key)
    if __ex_f is None:
        __ex_f = __ex_registry[__ex_key][2]
        if __ex_f is not None and not __ex_student[0]:
            return __ex_f({call})  # the reference raises its own errors
        __ex_f = __ex_lookup(__ex_key)
    try:
        return __ex_f({call})
    except __ex_NIE as __ex_e:
        # the released answer cell's stub ``raise NotImplementedError()``: say so bilingually
        if __ex_type(__ex_e) is __ex_NIE and not __ex_e.args:
            raise __ex_not_done(__ex_lesson, __ex_name, __ex_key) from None
        raise
"""


def _dispatcher(ref, lesson, name, key):
    """The dispatcher of ``key``, with ``ref``'s parameters (``*args, **kwargs`` otherwise)."""
    import inspect

    P = inspect.Parameter
    params, call, ns = [], [], {}
    try:
        sig = inspect.signature(ref)
    except (TypeError, ValueError):
        sig = None
    star = False
    for i, p in enumerate(sig.parameters.values() if sig is not None else ()):
        d = ""
        if p.default is not P.empty:
            ns[f"__ex_d{i}"] = p.default
            d = f"=__ex_d{i}"
        if p.kind is P.POSITIONAL_OR_KEYWORD:
            params.append(p.name + d)
            call.append(p.name)
        elif p.kind is P.KEYWORD_ONLY:
            if not star:
                params.append("*")
                star = True
            params.append(p.name + d)
            call.append(f"{p.name}={p.name}")
        else:  # *args, **kwargs, positional-only: forward everything as is
            params, call, ns = ["*args", "**kwargs"], ["*args", "**kwargs"], {}
            break
    if sig is None:
        params, call = ["*args", "**kwargs"], ["*args", "**kwargs"]
    src = _DISPATCH.format(params=", ".join(params), call=", ".join(call))
    ns.update(__ex_get=overrides.get, __ex_registry=registry, __ex_student=_STUDENT_BUILD,
              __ex_lookup=lookup, __ex_not_done=ExerciseNotDone, __ex_key=key,
              __ex_lesson=lesson, __ex_name=name, __ex_type=type,
              __ex_NIE=NotImplementedError)  # bound here: a parameter may be called ``type``
    exec(compile(src, f"<exercise {key}>", "exec"), ns)
    return ns["dispatch"]


def implements(key: str):
    """Register the decorated function as the student's version of ``key``.

    用被装饰的函数替换 course_lib 中的组件 ``key``。
    """
    if key not in registry:
        _import_all()
    if key not in registry:
        known = ", ".join(sorted(registry)) or "-"
        raise KeyError(
            f"没有名为 {key!r} 的练习。/ No exercise is called {key!r}. Known: {known}"
        )

    def decorate(f):
        overrides[key] = f
        return f

    return decorate


# ------------------------------------------------------------------ earlier notebooks

def lessons_dir() -> Path:
    """Where the student's lesson notebooks (``NN_topic/NN_topic.ipynb``) are: $COURSE_LESSONS_DIR,
    else the student course that holds this course_lib, else (course_lib installed elsewhere,
    e.g. on JupyterHub) the folder above the kernel's lesson folder, or the current one."""
    env = os.environ.get(LESSONS_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    for d in (here, Path.cwd().parent, Path.cwd()):
        if any(d.glob("[0-9][0-9]_*/[0-9][0-9]_*.ipynb")):
            return d
    return here


def _answer_source(lesson: str, name: str):
    """The source of the answer cell ``ex_<name>`` in the student's notebook, or None."""
    path = lessons_dir() / lesson / f"{lesson}.ipynb"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            meta = (cell.get("metadata") or {}).get("nbgrader") or {}
            if meta.get("grade_id") == f"ex_{name}":
                src = cell.get("source", "")
                return "".join(src) if isinstance(src, list) else str(src)
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    return None


def is_unfinished(source) -> bool:
    """An answer cell still as released: empty, or raising NotImplementedError."""
    if source is None:
        return True
    code = "\n".join(ln for ln in source.splitlines() if not ln.strip().startswith("#"))
    return "raise NotImplementedError" in code or not code.strip()


def _load_earlier_answer(key):
    """Exec the student's answer cell for ``key`` from their earlier notebook (cached)."""
    if key in _earlier:
        return _earlier[key]
    lesson, name, _ = registry[key]
    src = _answer_source(lesson, name)
    _earlier[key] = None
    if is_unfinished(src):
        return None
    import numpy as np

    import course_lib
    ns = {"__name__": f"course_lib_answer_{lesson}_{name}", "torch": course_lib, "np": np,
          "implements": implements, "check": check}
    before = overrides.get(key)
    try:
        exec(compile(src, f"<{lesson}.ipynb ex_{name}>", "exec"), ns)
    except Exception as e:
        raise RuntimeError(
            f"第 {lesson} 课练习 '{name}' 的答案单元格运行出错 / the answer cell of exercise "
            f"'{name}' (lesson {lesson}) failed: {type(e).__name__}: {e}") from e
    f = overrides.get(key)
    if before is None:  # loaded, not implemented in this session: keep it out of overrides
        overrides.pop(key, None)
    _earlier[key] = f
    return f


# ------------------------------------------------------------------ status

def _import_all() -> None:
    import importlib
    root = Path(__file__).resolve().parent
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root.parent).with_suffix("")
        if rel.name.startswith("__"):
            continue
        try:
            importlib.import_module(".".join(rel.parts))
        except Exception:  # a broken module must not hide the others
            pass


def _saved_check(lesson: str, name: str) -> tuple:
    """``(state, points)`` of the check cell ``test_<name>`` as saved in the student's notebook:
    state ``"passed"`` (ran, no error), ``"failed"`` (its error's name), ``"not run"``, or
    ``None`` when the notebook or the cell is missing; points from nbgrader's metadata."""
    path = lessons_dir() / lesson / f"{lesson}.ipynb"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, 0.0
    for cell in nb.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if meta.get("grade_id") != f"test_{name}":
            continue
        points = float(meta.get("points") or 0)
        errors = [o for o in cell.get("outputs") or [] if o.get("output_type") == "error"]
        if errors:
            return f"failed: {errors[0].get('ename', '')}", points
        if cell.get("execution_count") is None:
            return "not run", points
        return "passed", points
    return None, 0.0


def status(print_table: bool = True) -> list:
    """Which exercises are done, and do they pass their visible checks (as last run and saved
    in the notebook)? 哪些练习已完成、是否通过可见检查（按 notebook 中保存的运行结果）。
    Returns a list of dicts and prints a table with the visible points."""
    _import_all()
    rows = []
    for key, (lesson, name, _) in sorted(registry.items(), key=lambda kv: (kv[1][0], kv[0])):
        done = key in overrides or not is_unfinished(_answer_source(lesson, name))
        check, points = _saved_check(lesson, name)
        if not done:
            mark, state = "✗", "not done / 未完成"
        elif check == "passed":
            mark, state = "✓", "passes its visible check / 通过可见检查"
        elif check and check.startswith("failed"):
            mark, state = "✗", (f"fails its visible check ({check[8:]}) / 未通过可见检查")
        else:
            mark, state = "?", "answered, check not run yet / 已作答，检查尚未运行"
        rows.append({"lesson": lesson, "exercise": name, "key": key, "done": done,
                     "passed": done and check == "passed", "mark": mark, "state": state,
                     "points": points, "earned": points if done and check == "passed" else 0.0})
    if print_table:
        w = max([len(r["exercise"]) for r in rows] + [8])
        print(f"{'课程 lesson':<14}{'练习 exercise':<{w + 4}}{'分数 points':<14}状态 status")
        for r in rows:
            pts = f"{r['earned']:g}/{r['points']:g}" if r["points"] else "-"
            print(f"{r['lesson']:<14}{r['exercise']:<{w + 4}}{pts:<14}{r['mark']} {r['state']}")
        n = sum(r["done"] for r in rows)
        ok = sum(r["passed"] for r in rows)
        print(f"已完成 {n}/{len(rows)} 个练习，其中 {ok} 个通过可见检查（隐藏用例在评分时运行）/ "
              f"{n} of {len(rows)} exercises done, {ok} pass their visible checks "
              f"(hidden cases run at grading time)")
    return rows
