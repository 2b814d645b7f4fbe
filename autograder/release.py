"""`course release [--check]`: lessons/ from solutions/ (nbgrader generate_assignment) and the
student build of course_lib at lessons/course_lib/.

发布：用 nbgrader generate_assignment 从 solutions/ 生成 lessons/，并生成学生版 course_lib
（lessons/course_lib/，所有参考答案区域被替换，带 ``_build.py``：``STUDENT_BUILD = True``）。
``--check`` 检查 lessons/ 是否与发布结果一致，且其中没有任何参考答案或隐藏用例的文本。
"""
from __future__ import annotations

import ast
import filecmp
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .config import ROOT, ensure_bin_on_path, nbgrader_config

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = "raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook"


def lesson_ids(root: Path = ROOT) -> list:
    """Lessons present in solutions/ (``NN_topic/NN_topic.ipynb``)."""
    return sorted(p.parent.name for p in (Path(root) / "solutions").glob("*/*.ipynb")
                  if p.stem == p.parent.name)


def solution_regions(text: str) -> list:
    """``[(begin, end)]``: 1-based line numbers of each BEGIN/END SOLUTION marker pair."""
    out, start = [], None
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s == BEGIN:
            if start is not None:
                raise ValueError(f"line {i}: nested {BEGIN}")
            start = i
        elif s == END:
            if start is None:
                raise ValueError(f"line {i}: {END} without {BEGIN}")
            out.append((start, i))
            start = None
    if start is not None:
        raise ValueError(f"line {start}: unterminated {BEGIN} region")
    return out


def _exercise_lesson(fn) -> str | None:
    """The lesson of an ``@exercise("LESSON", ...)`` decorator on ``fn``, else None."""
    for d in fn.decorator_list:
        if not isinstance(d, ast.Call):
            continue
        f = d.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        if name != "exercise":
            continue
        arg = d.args[0] if d.args else next((k.value for k in d.keywords if k.arg == "lesson"), None)
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
        raise ValueError(f"line {d.lineno}: @exercise needs the lesson as a string literal")
    return None


def region_lessons(text: str, filename: str = "<source>") -> list:
    """``[(begin, end, lesson)]`` for each solution region: the lesson of the innermost
    ``@exercise`` function or method that encloses it. A region outside one is an error."""
    regions = solution_regions(text)
    if not regions:
        return []
    spans = [(fn.lineno, fn.end_lineno, lesson) for fn in ast.walk(ast.parse(text, filename))
             if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
             and (lesson := _exercise_lesson(fn)) is not None]
    out = []
    for b, e in regions:
        # a function's end_lineno is its last statement: the END marker comment lies after it
        inside = [s for s in spans if s[0] < b < s[1]]
        if not inside:
            raise ValueError(f"{filename}:{b}: solution region outside any @exercise function")
        out.append((b, e, max(inside, key=lambda s: s[0])[2]))
    return out


def strip_solutions(text: str, reveal: Iterable[str] = (), filename: str = "<source>") -> str:
    """Replace every solution region (markers included) by an indented stub, except regions of
    the lessons in ``reveal``: those keep their body and lose only the marker lines."""
    reveal = set(reveal)
    lines = text.splitlines(keepends=True)
    for b, e, lesson in reversed(region_lessons(text, filename)):
        if lesson in reveal:
            lines[b - 1:e] = lines[b:e - 1]
        else:
            indent = lines[b - 1][: len(lines[b - 1]) - len(lines[b - 1].lstrip())]
            lines[b - 1:e] = [f"{indent}{STUB}\n"]
    return "".join(lines)


def build_lib(dest: Path, reveal: Iterable[str] = (), root: Path = ROOT) -> None:
    """Copy course_lib to ``dest`` with every solution region replaced by the stub, except the
    regions of pieces whose lesson is in ``reveal``; add ``_build.py`` (STUDENT_BUILD, REVEALED).

    ``build_lib(d)`` is the student build; ``build_lib(d, reveal=<every lesson but L>)`` is the
    build that grades lesson L (the other lessons' references, L's pieces stubbed).
    学生版：去掉所有参考答案；reveal 中课程的参考答案保留（截止后公开，或评分其他课程时使用）。
    """
    reveal = tuple(sorted(set(reveal)))
    src, dest = Path(root) / "course_lib", Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    for f in sorted(src.rglob("*")):
        rel = f.relative_to(src)
        if f.is_dir() or "__pycache__" in rel.parts or f.suffix == ".pyc" or rel == Path("_build.py"):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.suffix == ".py":
            target.write_text(strip_solutions(f.read_text(encoding="utf-8"), reveal, str(f)),
                              encoding="utf-8")
        else:
            shutil.copyfile(f, target)
    (dest / "_build.py").write_text(
        '"""学生版 course_lib（由 `course release` 生成，请勿编辑）/ Student build of course_lib '
        '(generated by `course release`; do not edit).\n\nREVEALED: lessons whose reference '
        'pieces are published in this build. 已公开参考答案的课程。\n"""\n'
        f"STUDENT_BUILD = True\nREVEALED = {reveal!r}\n", encoding="utf-8")


def generate(lessons_dir: Path, root: Path = ROOT, db_url=None) -> None:
    """Run nbgrader generate_assignment for every lesson into ``lessons_dir``."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    ensure_bin_on_path()
    lessons_dir = Path(lessons_dir)
    work = Path(tempfile.mkdtemp(prefix="course-release-"))
    try:
        c = nbgrader_config(work, db_url or f"sqlite:///{work / 'gradebook.db'}",
                            source=str(Path(root) / "solutions"), release=str(lessons_dir))
        api = NbGraderAPI(CourseDirectory(config=c), config=c)
        for lesson in lesson_ids(root):
            res = api.generate_assignment(lesson, force=True, create=True)
            if not res.get("success"):
                raise RuntimeError(f"generate_assignment {lesson} failed:\n{res.get('log', '')}"
                                   f"{res.get('error', '')}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    build_lib(lessons_dir / "course_lib", root=root)


# ------------------------------------------------------------------ leak check

def _public_and_solution_lines(root: Path) -> tuple:
    """(lines visible by design, lines that only exist inside solution regions)."""
    lines, public = set(), set()
    texts = [p.read_text(encoding="utf-8") for p in (Path(root) / "course_lib").rglob("*.py")]
    import nbformat
    for nb in (Path(root) / "solutions").glob("*/*.ipynb"):
        texts += [c.source for c in nbformat.read(nb, 4).cells if c.cell_type == "code"]
    for t in texts:
        for m in re.finditer(re.escape(BEGIN) + r"(.*?)" + re.escape(END), t, re.S):
            lines.update(_significant(m.group(1)))
        public.update(_significant(re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), "", t,
                                          flags=re.S)))
    return public, lines - public


def _hidden_lines(root: Path) -> set:
    lines = set()
    for p in (Path(root) / "autograder" / "hidden").rglob("*.py"):
        lines.update(ln for ln in _significant(p.read_text(encoding="utf-8"))
                     if not ln.startswith(("@case", "def ", "from ", "import ", '"""')))
    return lines


def _significant(text: str) -> set:
    """Lines long enough to identify code (not comments, not short generic statements)."""
    return {s for s in (ln.strip() for ln in text.splitlines())
            if len(s) >= 24 and not s.startswith("#")}


def leaks(lessons_dir: Path, root: Path = ROOT) -> list:
    """``[(file, kind, line)]`` for solution or hidden-case lines found under lessons_dir."""
    public, sol = _public_and_solution_lines(root)
    hid = _hidden_lines(root) - public
    found = []
    for f in sorted(Path(lessons_dir).rglob("*")):
        if not f.is_file() or "__pycache__" in f.parts:
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        if f.suffix == ".ipynb":
            import json
            try:
                text = "\n".join("".join(c.get("source", "")) for c in json.loads(text)["cells"])
            except (ValueError, KeyError, TypeError):
                pass
        present = {ln.strip() for ln in text.splitlines()}
        found += [(str(f), "solution", ln) for ln in sorted(sol & present)]
        found += [(str(f), "hidden test", ln) for ln in sorted(hid & present)]
    return found


def _diff_dirs(a: Path, b: Path) -> list:
    def files(d):
        return {p.relative_to(d) for p in Path(d).rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
                and ".ipynb_checkpoints" not in p.parts}
    fa, fb = files(a), files(b)
    out = [f"missing in lessons/: {p}" for p in sorted(fb - fa)]
    out += [f"not made by release: {p}" for p in sorted(fa - fb)]
    out += [f"differs: {p}" for p in sorted(fa & fb)
            if not filecmp.cmp(a / p, b / p, shallow=False)]
    return out


def main(args) -> int:
    lessons = ROOT / "lessons"
    if not args.check:
        generate(lessons)
        print(f"已发布 {len(lesson_ids())} 课到 {lessons} / released {len(lesson_ids())} "
              f"lessons into {lessons} (+ student build lessons/course_lib)")
        problems = leaks(lessons)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="course-release-check-"))
        try:
            generate(tmp / "lessons")
            problems = [f"{p}" for p in _diff_dirs(lessons, tmp / "lessons")]
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        problems += [f"{kind} text in {f}: {ln[:80]}" for f, kind, ln in leaks(lessons)]
    for p in problems:
        print(f"✗ {p}")
    if problems:
        print(f"release 检查失败：{len(problems)} 个问题 / release check failed: "
              f"{len(problems)} problem(s)" + ("; run `course release`" if args.check else ""))
        return 1
    print("✓ lessons/ 与 solutions/ 一致且没有泄露 / lessons/ is up to date and leaks nothing")
    return 0
