"""Hidden test cases: the ``@case`` decorator, loading, and a reference self-test.

隐藏测试用例：``@case`` 装饰器、加载，以及“参考实现对参考实现”的自检。

A file ``autograder/hidden/<lesson>/test_<exercise>.py`` holds functions decorated with
``@case(title, rtol=1e-5, atol=1e-6)``; each takes ``(piece, torch, np)`` and returns a value
(or raises). The grader runs every case once with the reference piece (trusted process) and
once with the student's piece (sandbox), then compares the two results (see results.py).

Self-test (reference vs reference), for people writing cases::

    python -m autograder.cases autograder/hidden/01_tensors            # one lesson
    python -m autograder.cases autograder/hidden/01_tensors/test_flatten.py
"""
from __future__ import annotations

import dataclasses
import importlib
import sys
from pathlib import Path

HIDDEN = Path(__file__).resolve().parent / "hidden"
_collector: list | None = None


@dataclasses.dataclass
class Case:
    title: str
    fn: object
    rtol: float = 1e-5
    atol: float = 1e-6

    @property
    def name(self) -> str:
        return getattr(self.fn, "__name__", "?")


def case(title: str, *, rtol: float = 1e-5, atol: float = 1e-6):
    """Mark ``fn(piece, torch, np)`` as a hidden case with a bilingual ``title``."""
    if not isinstance(title, str) or not title.strip():
        raise TypeError("case() needs a non-empty bilingual title")

    def decorate(fn):
        c = Case(title, fn, float(rtol), float(atol))
        fn.__case__ = c
        if _collector is not None:
            _collector.append(c)
        return fn

    return decorate


def load_cases(source: str, filename: str = "<hidden>") -> list:
    """Execute a case file's source in a fresh module namespace; return its cases in order."""
    global _collector
    code = compile(source, filename, "exec")
    ns = {"__name__": "autograder_hidden_case", "__file__": filename, "__builtins__": __builtins__}
    prev, _collector = _collector, []
    try:
        exec(code, ns)
        found = _collector
    finally:
        _collector = prev
    return found


def case_files(lesson: str, root: Path = HIDDEN) -> dict:
    """``{exercise: path}`` for the hidden case files of ``lesson``."""
    d = Path(root) / lesson
    return {p.stem[len("test_"):]: p for p in sorted(d.glob("test_*.py"))}


# ------------------------------------------------------------------ exercises and pieces

def import_all_course_lib() -> None:
    """Import every course_lib module so that every ``@exercise`` is registered."""
    import course_lib
    root = Path(course_lib.__file__).resolve().parent
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root.parent).with_suffix("")
        if rel.name.startswith("__") or any(p.startswith(".") for p in rel.parts):
            continue
        try:
            importlib.import_module(".".join(rel.parts))
        except Exception:  # a module under construction must not stop grading of others
            pass


def course_lib_digest(root: Path | None = None) -> str:
    """A digest of course_lib's sources (the imported one, or the copy at ``root``): the grading
    build must be made from the code the references ran — a run during which course_lib
    changes on disk must not grade anyone with a mismatch. 参考实现与评分版必须来自同一份源码。"""
    import hashlib

    if root is None:
        import course_lib
        root = Path(course_lib.__file__).resolve().parent
    root = Path(root)
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def find_key(lesson: str, name: str) -> str:
    """The dotted key of exercise ``name`` of ``lesson`` (imports course_lib as needed)."""
    from course_lib import exercises
    for attempt in (0, 1):
        for key, (les, nm, _ref) in exercises.registry.items():
            if les == lesson and nm == name:
                return key
        if attempt == 0:
            import_all_course_lib()
    raise LookupError(f"no exercise {name!r} in lesson {lesson!r} is registered in course_lib")


def reference(key: str):
    from course_lib import exercises
    ref = exercises.registry[key][2]
    if ref is None:
        raise LookupError(f"{key}: no reference (student build or sealed)")
    return ref


def run_case(c: Case, piece) -> dict:
    """Run one case and return the encoded result (or the encoded exception)."""
    import numpy as np

    import course_lib

    from .results import encode, encode_exception
    try:
        value = c.fn(piece, course_lib, np)
    except Exception as e:  # noqa: BLE001  (the exception type is the result)
        return encode_exception(e)
    try:
        return encode(value)
    except Exception as e:  # noqa: BLE001
        return {"k": "other", "type": f"unencodable ({type(e).__name__})"}


# ------------------------------------------------------------------ self-test

def self_test(path: Path, out=print) -> tuple:
    """Run every case of one file reference-vs-reference; return (passed, failed)."""
    from .results import _short, compare
    path = Path(path)
    lesson, name = path.parent.name, path.stem[len("test_"):]
    key = find_key(lesson, name)
    ref = reference(key)
    cases = load_cases(path.read_text(encoding="utf-8"), str(path))

    def not_done(*args, **kwargs):
        raise NotImplementedError

    ok = bad = 0
    out(f"{lesson}/{name}  ({key}): {len(cases)} cases")
    for c in cases:
        a, b = run_case(c, ref), run_case(c, ref)
        problems = []
        if a.get("k") == "other":
            problems.append(f"result cannot be graded: {_short(a)}")
        r = compare(a, b, c.rtol, c.atol)
        if r:
            problems.append(f"not deterministic: {r}")
        if compare(a, run_case(c, not_done), c.rtol, c.atol) is None:
            problems.append("an unfinished piece (raise NotImplementedError) passes this case")
        mark = "✗" if problems else "✓"
        ok, bad = (ok, bad + 1) if problems else (ok + 1, bad)
        out(f"  {mark} {c.title}  → {_short(a)}" + "".join(f"\n      ! {p}" for p in problems))
    if len(cases) < 8:
        out(f"  ! only {len(cases)} cases (at least 8 per exercise)")
    return ok, bad + (len(cases) < 8)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    total_bad = 0
    for arg in argv:
        p = Path(arg)
        files = sorted(p.glob("test_*.py")) if p.is_dir() else [p]
        for f in files:
            _, bad = self_test(f)
            total_bad += bad
    print("OK" if not total_bad else f"{total_bad} problem(s)")
    return 1 if total_bad else 0


if __name__ == "__main__":  # run the imported module, so case files share its collector
    from autograder.cases import main as _main
    sys.exit(_main())
