"""Score one exercise: reference results (trusted, cached) vs the student's (sandbox).

给一个练习打分：参考结果（可信进程中计算并缓存）对比学生结果（沙箱中计算）。

The score of an exercise is (hidden cases passed / hidden cases) × its points, rounded once
to 2 decimals (:func:`score`). Reasons shown to students name the case by its title and say what
the student's function returned; any text of the hidden sources that shows up in a reason is
redacted. The sandbox imports the *grading build* of the lesson (:func:`grading_build`): a copy
of course_lib in which the graded lesson's reference bodies are stubs, so no process that runs
student code holds them; the references run here, in a process that never runs student code.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from . import cases as _cases
from .results import compare
from .sandbox import SandboxError, run_pieces

ROOT = Path(__file__).resolve().parent.parent
BUILDS = ROOT / ".course" / "grading"
#: the modules the sandbox imports from autograder (nothing else of it is in the jail)
SANDBOX_MODULES = ("__init__.py", "sandbox_child.py", "results.py", "cases.py")
_BUILD_LOCK = threading.Lock()
_BUILT: dict = {}


def score(fraction: float, points: float) -> float:
    """The one rounding of scores (2 decimals), used for exercises and totals alike."""
    return round(fraction * points + 0.0, 2)


def grading_build(lesson: str) -> tuple:
    """``(folder, course_lib digest)`` of the grading build of ``lesson``: ``course_lib/``
    with every other lesson revealed and ``lesson``'s pieces stubbed
    (``release.build_lib``), plus the sandbox's own modules. Built once per content (cached
    under ``.course/grading/``, made in a temp folder and renamed). 评分版 course_lib。"""
    from .release import build_lib, lesson_ids
    src = ROOT / "course_lib"
    with _BUILD_LOCK:
        if lesson in _BUILT:  # once per lesson and process: made from what the references ran
            return _BUILT[lesson]
        source_digest = _cases.course_lib_digest(src)
        if _DIGEST and _DIGEST[0] != source_digest:
            raise SandboxError("course_lib changed on disk during grading: the references and "
                               "the sandbox would differ; run again / 评分期间 course_lib 被修改，"
                               "请重新运行")
        reveal = sorted(set(lesson_ids()) - {lesson})
        h = hashlib.sha256(f"{lesson}\0{reveal}\0{source_digest}".encode())
        for m in (*SANDBOX_MODULES, "release.py"):  # release.py: how the build is made
            h.update((Path(__file__).parent / m).read_bytes())
        key = h.hexdigest()[:16]
        dest = BUILDS / f"{lesson}-{key}"
        if not (dest / "ready").exists():
            BUILDS.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{lesson}-", dir=BUILDS))
            build_lib(tmp / "course_lib", reveal=reveal)
            (tmp / "autograder").mkdir()
            for m in SANDBOX_MODULES:
                shutil.copyfile(Path(__file__).parent / m, tmp / "autograder" / m)
            import compileall  # the jail cannot write __pycache__: compile once here
            compileall.compile_dir(str(tmp), quiet=1, workers=1)
            for p in [tmp, *tmp.rglob("*")]:  # readable by the jail's own uid, writable by no one
                os.chmod(p, 0o555 if p.is_dir() else 0o444)
            (tmp / "ready").parent.chmod(0o755)
            (tmp / "ready").write_text("ok")
            tmp.chmod(0o555)
            try:
                os.rename(tmp, dest)
            except OSError:  # another run made it first
                _rmtree_ro(tmp)
        _BUILT[lesson] = (dest, _cases.course_lib_digest(dest / "course_lib"))
        return _BUILT[lesson]


def _rmtree_ro(p: Path) -> None:
    for d in [p, *p.rglob("*")]:
        if d.is_dir():
            d.chmod(0o755)
    shutil.rmtree(p, ignore_errors=True)

_REF_CACHE: dict = {}
_DIGEST: list = []  # course_lib's digest when the references were computed
# Cases seed course_lib's global RNG: two grading threads (--jobs 2) computing references at once
# would interleave their draws and get wrong references. 参考结果一次只算一个（全局随机数）。
_REF_LOCK = threading.Lock()


@dataclasses.dataclass
class CaseOutcome:
    title: str
    passed: bool
    reason: str = ""


@dataclasses.dataclass
class ExerciseResult:
    lesson: str
    exercise: str
    outcomes: list
    fatal: str | None = None

    @property
    def fraction(self) -> float:
        n = len(self.outcomes)
        return sum(o.passed for o in self.outcomes) / n if n else 0.0


def reference_results(lesson: str, name: str, source: str) -> list:
    """Encoded reference result of every case (computed once per process)."""
    k = (lesson, name, hash(source))
    with _REF_LOCK:
        return _REF_CACHE[k] if k in _REF_CACHE else _compute_reference(k, lesson, name, source)


def _compute_reference(k, lesson: str, name: str, source: str):
    key = _cases.find_key(lesson, name)
    if not _DIGEST:
        _DIGEST.append(_cases.course_lib_digest())
    ref = _cases.reference(key)
    cs = _cases.load_cases(source, f"<hidden {lesson}/{name}>")
    _REF_CACHE[k] = (key, cs, [_cases.run_case(c, ref) for c in cs])
    return _REF_CACHE[k]


def redactor(sources):
    """A function that removes hidden-source text (lines, string constants) from a reason."""
    pieces = set()
    for src in sources:
        for line in src.splitlines():
            s = line.strip()
            if len(s) >= 8 and not s.startswith(("@case", "#")):
                pieces.add(s)
        for m in re.finditer(r"(['\"])(.{12,}?)\1", src):
            pieces.add(m.group(2))
    # case titles are what feedback is meant to show / 用例标题本来就要显示在反馈中
    titles = {m.group(2) for src in sources
              for m in re.finditer(r"@case\(\s*(['\"])(.*?)\1", src)}
    ordered = sorted(pieces - titles, key=len, reverse=True)

    def redact(text: str) -> str:
        for p in ordered:
            if p in text:
                text = text.replace(p, "«…»")
        return text

    return redact


def grade_exercise(lesson: str, name: str, answer, *, case_file: Path | None = None,
                   **sandbox) -> ExerciseResult:
    """Grade the student's answer-cell source (None: missing) on the hidden cases."""
    return grade_exercises(lesson, {name: answer},
                           case_files={name: case_file} if case_file else None, **sandbox)[name]


def grade_exercises(lesson: str, answers: dict, *, case_files: dict | None = None,
                    siblings: dict | None = None, **sandbox) -> dict:
    """``{exercise: ExerciseResult}`` for ``{exercise: answer-cell source or None}``.

    Every answer that needs running runs in one sandbox session (one jail, one forked child
    per exercise; see sandbox.py). ``siblings``: ``{exercise: source}`` of the student's
    other finished answers of the lesson (default: those in ``answers``), which a case may
    reach through the library (the grading build has no reference of this lesson's pieces).
    """
    from course_lib.exercises import is_unfinished
    files = case_files or _cases.case_files(lesson)
    out, run, meta = {}, [], {}
    sib = {}
    for name, src in (answers if siblings is None else siblings).items():
        if src is not None and not is_unfinished(src):
            try:
                sib[name] = (_cases.find_key(lesson, name), src)
            except LookupError:
                pass
    for name, answer in answers.items():
        source = Path(files[name]).read_text(encoding="utf-8")
        key, cs, refs = reference_results(lesson, name, source)
        meta[name] = (source, cs, refs)
        if answer is None:
            out[name] = _all_fail(lesson, name, cs, "answer cell missing / 缺少答案单元格")
            continue
        if is_unfinished(answer):
            out[name] = _all_fail(lesson, name, cs, "not done / 未完成")
            continue
        run.append((name, {"key": key, "answer": answer, "cases": source,
                           "siblings": {k: s for n, (k, s) in sib.items() if n != name}}))
    if run:
        build, digest = grading_build(lesson)
        gots = run_pieces([p for _, p in run], build=build, digest=digest, **sandbox)
        for (name, _), got in zip(run, gots):
            out[name] = _result(lesson, name, *meta[name], got)
    return {name: out[name] for name in answers}


def _result(lesson, name, source, cs, refs, got) -> ExerciseResult:
    redact = redactor([source])
    outcomes = []
    fatal = got["fatal"]
    if fatal and got.get("blocked"):
        fatal += f" (blocked: {got['blocked']})"
    for i, c in enumerate(cs):
        if i in got["results"]:
            r = compare(refs[i], got["results"][i], c.rtol, c.atol)
            outcomes.append(CaseOutcome(c.title, r is None, redact(r or "")))
        elif i in got["errors"]:
            outcomes.append(CaseOutcome(c.title, False, redact(got["errors"][i])))
        else:
            outcomes.append(CaseOutcome(c.title, False, redact(fatal or "did not run / 未运行")))
    if got.get("blocked"):
        for o in outcomes:
            if not o.passed and "blocked" not in o.reason:
                o.reason += f" [sandbox blocked: {got['blocked']}]"
    return ExerciseResult(lesson, name, outcomes, redact(fatal) if fatal else None)


def _all_fail(lesson, name, cs, reason):
    return ExerciseResult(lesson, name, [CaseOutcome(c.title, False, reason) for c in cs], reason)
