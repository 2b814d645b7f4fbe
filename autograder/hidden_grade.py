"""Score one exercise: reference results (trusted, cached) vs the student's (sandbox).

给一个练习打分：参考结果（可信进程中计算并缓存）对比学生结果（沙箱中计算）。

The score of an exercise is (hidden cases passed / hidden cases) × its points, rounded once
to 2 decimals (:func:`score`). Reasons shown to students name the case by its title and say what
the student's function returned; any text of the hidden sources that shows up in a reason is
redacted. Each piece is graded in isolation against the reference of everything else: its
sandbox imports the *grading build* of that piece (:func:`grading_build`): a copy of course_lib
in which only that piece's reference body is a stub, so no process that runs student code holds
the reference of the piece it grades; the references run here, in a process that never runs
student code. 每个练习单独评分，其余一切都是参考实现。
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
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


def grading_build(lesson: str, key: str) -> tuple:
    """``(folder, course_lib digest)`` of the grading build of piece ``key`` of ``lesson``:
    ``course_lib/`` with every lesson revealed but ``key``'s regions stubbed
    (``release.build_lib(..., hide={key})``), plus the sandbox's own modules. Built once per
    content under ``.course/grading/``: the files that do not hold ``key`` are hard links into
    one build with every piece revealed (never shown to a jail), the others are written and
    byte-compiled again. 评分版 course_lib：除被评分组件外，其余组件均为参考实现。"""
    from .release import lesson_ids, strip_solutions
    src = ROOT / "course_lib"
    with _BUILD_LOCK:
        if (lesson, key) in _BUILT:  # once per piece and process: made from what the references ran
            return _BUILT[(lesson, key)]
        source_digest = _cases.course_lib_digest(src)
        if _DIGEST and _DIGEST[0] != source_digest:
            raise SandboxError("course_lib changed on disk during grading: the references and "
                               "the sandbox would differ; run again / 评分期间 course_lib 被修改，"
                               "请重新运行")
        reveal = sorted(lesson_ids())
        h = hashlib.sha256(f"{key}\0{reveal}\0{source_digest}".encode())
        for m in (*SANDBOX_MODULES, "release.py"):  # release.py: how the build is made
            h.update((Path(__file__).parent / m).read_bytes())
        name = re.sub(r"[^A-Za-z0-9_]+", "_", key.removeprefix("course_lib."))[:60]
        dest = BUILDS / f"{lesson}-{name}-{h.hexdigest()[:16]}"
        if not (dest / "ready").exists():
            base = _revealed_build(reveal, source_digest)
            # the files that hold the piece (and _build.py, which names it) are written anew
            own = {Path("course_lib") / f.relative_to(src) for f in src.rglob("*.py")
                   if key in (text := f.read_text(encoding="utf-8"))
                   and strip_solutions(text, reveal, str(f), (key,)) != strip_solutions(
                       text, reveal, str(f))} | {Path("course_lib/_build.py")}
            tmp = Path(tempfile.mkdtemp(prefix=f".{lesson}-", dir=BUILDS))
            for f in sorted(base.rglob("*")):
                rel = f.relative_to(base)
                if f.is_dir() or rel == Path("ready") or rel in own or (
                        f.parent.name == "__pycache__"
                        and rel.parent.parent / (f.name.split(".")[0] + ".py") in own):
                    continue
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(f, tmp / rel)
                except OSError:
                    shutil.copyfile(f, tmp / rel)
            for rel in own:
                text = (src / rel.relative_to("course_lib")).read_text(encoding="utf-8") \
                    if rel.name != "_build.py" else None
                (tmp / rel).write_text(
                    strip_solutions(text, reveal, str(rel), (key,)) if text is not None else
                    (base / rel).read_text(encoding="utf-8").replace(
                        "HIDDEN = ()", f"HIDDEN = {(key,)!r}"), encoding="utf-8")
            _seal(tmp)
            try:
                os.rename(tmp, dest)
            except OSError:  # another run made it first
                _rmtree_ro(tmp)
        _BUILT[(lesson, key)] = (dest, _cases.course_lib_digest(dest / "course_lib"))
        return _BUILT[(lesson, key)]


def _revealed_build(reveal, source_digest) -> Path:
    """course_lib with every piece revealed plus the sandbox's modules, byte-compiled: what the
    per-piece builds link to (no jail ever sees this folder). 全部公开的版本，仅供链接。"""
    from .release import build_lib
    h = hashlib.sha256(f"{reveal}\0{source_digest}".encode())
    for m in (*SANDBOX_MODULES, "release.py"):
        h.update((Path(__file__).parent / m).read_bytes())
    dest = BUILDS / f"revealed-{h.hexdigest()[:16]}"
    if not (dest / "ready").exists():
        BUILDS.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".revealed-", dir=BUILDS))
        build_lib(tmp / "course_lib", reveal=reveal)
        (tmp / "autograder").mkdir()
        for m in SANDBOX_MODULES:
            shutil.copyfile(Path(__file__).parent / m, tmp / "autograder" / m)
        _seal(tmp)
        try:
            os.rename(tmp, dest)
        except OSError:
            _rmtree_ro(tmp)
    return dest


def _seal(tmp: Path) -> None:
    """Byte-compile (the jail cannot write __pycache__) and make the folder read-only for
    everyone (readable by the jail's own uid), then mark it ready."""
    import compileall
    compileall.compile_dir(str(tmp), quiet=1, workers=1)
    for p in [tmp, *tmp.rglob("*")]:
        os.chmod(p, 0o555 if p.is_dir() else 0o444)
    tmp.chmod(0o755)
    (tmp / "ready").write_text("ok")
    tmp.chmod(0o555)


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
                    **sandbox) -> dict:
    """``{exercise: ExerciseResult}`` for ``{exercise: answer-cell source or None}``.

    Each piece is graded in isolation against the reference of everything else: its answer
    runs in a sandbox session of its own (one jail, see sandbox.py) on its own grading build
    (:func:`grading_build`: every other piece, of this lesson too, is the reference; this one
    is a stub), so a wrong answer costs only its own points. The sessions of one notebook run
    side by side within the jail slots (``sandbox.jail_slots``). 每个练习单独评分：其余组件
    （包括同一课的其他练习）均为参考实现。
    """
    from course_lib.exercises import is_unfinished
    files = case_files or _cases.case_files(lesson)
    out, run, meta = {}, [], {}
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
        run.append((name, {"key": key, "answer": answer, "cases": source},
                    grading_build(lesson, key)))

    def one(piece, build):
        return run_pieces([piece], build=build[0], digest=build[1], **sandbox)[0]

    if len(run) > 1:
        with ThreadPoolExecutor(max_workers=len(run)) as pool:  # bounded by the jail slots
            gots = list(pool.map(lambda r: one(*r[1:]), run))
    else:
        gots = [one(*r[1:]) for r in run]
    for (name, _, _), got in zip(run, gots):
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
