"""`course release`: build the student course, publish it, and prove it holds no answer.

The student course (default ``build/student-course/``, ignored by git) is self-contained:
``NN_topic/NN_topic.ipynb`` (nbgrader generate_assignment of solutions/), ``course_lib/`` (the
student build: solution regions replaced by a stub, ``_build.py``), ``course_student/`` (the
student's ``course``: check, status, submit, doctor), README.md, environment.yml, pyproject.toml,
Makefile. ``--reveal LESSON`` keeps the reference of that lesson's pieces (after its deadline).
Publishing: ``--zip``, ``--git`` (its own repository, nbgitpuller-friendly), ``--exchange``
(nbgrader release_assignment). lessons/ in this repository keeps only the release notebooks.
``--check`` builds the student course, a wheel and an sdist from it, and fails on any solution
region text, reference body (normalised-token similarity, also under other names), hidden-case
text or solutions notebook in them.

发布：生成独立的学生课程文件夹（notebook、学生版 course_lib、学生端 ``course`` 命令、README、
环境文件），可发布为 git 仓库、zip 或 nbgrader exchange；``--check`` 证明其中（以及由它构建的
wheel / sdist 中）没有任何参考答案、隐藏用例或答案 notebook。
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


def _exercise_of(fn) -> tuple | None:
    """``(lesson, key)`` of an ``@exercise("LESSON", NAME, key=KEY)`` decorator on ``fn``, else
    None (``key`` None when it is not a string literal)."""
    for d in fn.decorator_list:
        if not isinstance(d, ast.Call):
            continue
        f = d.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        if name != "exercise":
            continue
        arg = d.args[0] if d.args else next((k.value for k in d.keywords if k.arg == "lesson"), None)
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise ValueError(f"line {d.lineno}: @exercise needs the lesson as a string literal")
        key = next((k.value for k in d.keywords if k.arg == "key"), None)
        return arg.value, (key.value if isinstance(key, ast.Constant)
                           and isinstance(key.value, str) else None)
    return None


def region_pieces(text: str, filename: str = "<source>") -> list:
    """``[(begin, end, lesson, key)]`` for each solution region: the lesson and ``key=`` of the
    innermost ``@exercise`` function or method that encloses it. A region outside one is an
    error."""
    regions = solution_regions(text)
    if not regions:
        return []
    spans = [(fn.lineno, fn.end_lineno, *piece) for fn in ast.walk(ast.parse(text, filename))
             if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
             and (piece := _exercise_of(fn)) is not None]
    out = []
    for b, e in regions:
        # a function's end_lineno is its last statement: the END marker comment lies after it
        inside = [s for s in spans if s[0] < b < s[1]]
        if not inside:
            raise ValueError(f"{filename}:{b}: solution region outside any @exercise function")
        out.append((b, e, *max(inside, key=lambda s: s[0])[2:]))
    return out


def region_lessons(text: str, filename: str = "<source>") -> list:
    """``[(begin, end, lesson)]`` for each solution region (see :func:`region_pieces`)."""
    return [(b, e, lesson) for b, e, lesson, _ in region_pieces(text, filename)]


def strip_solutions(text: str, reveal: Iterable[str] = (), filename: str = "<source>",
                    hide: Iterable[str] = ()) -> str:
    """Replace every solution region (markers included) by an indented stub, except regions of
    the lessons in ``reveal``: those keep their body and lose only the marker lines — unless
    their piece's key is in ``hide`` (stubbed whatever its lesson)."""
    reveal, hide = set(reveal), set(hide)
    lines = text.splitlines(keepends=True)
    for b, e, lesson, key in reversed(region_pieces(text, filename)):
        if lesson in reveal and key not in hide:
            lines[b - 1:e] = lines[b:e - 1]
        else:
            indent = lines[b - 1][: len(lines[b - 1]) - len(lines[b - 1].lstrip())]
            lines[b - 1:e] = [f"{indent}{STUB}\n"]
    return "".join(lines)


def build_lib(dest: Path, reveal: Iterable[str] = (), root: Path = ROOT,
              hide: Iterable[str] = ()) -> None:
    """Copy course_lib to ``dest`` with every solution region replaced by the stub, except the
    regions of pieces whose lesson is in ``reveal`` and whose key is not in ``hide``; add
    ``_build.py`` (STUDENT_BUILD, REVEALED, HIDDEN).

    ``build_lib(d)`` is the student build; ``build_lib(d, reveal=<every lesson>, hide={K})`` is
    the build that grades piece K (every other piece's reference, K stubbed).
    学生版：去掉所有参考答案；reveal 中课程的参考答案保留（截止后公开，或评分时使用），
    hide 中的组件（正在评分的那一个）仍是空壳。
    """
    reveal, hide = tuple(sorted(set(reveal))), tuple(sorted(set(hide)))
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
            target.write_text(strip_solutions(f.read_text(encoding="utf-8"), reveal, str(f), hide),
                              encoding="utf-8")
        else:
            shutil.copyfile(f, target)
    (dest / "_build.py").write_text(
        '"""学生版 course_lib（由 `course release` 生成，请勿编辑）/ Student build of course_lib '
        '(generated by `course release`; do not edit).\n\nREVEALED: lessons whose reference '
        'pieces are published in this build. 已公开参考答案的课程。\nHIDDEN: pieces stubbed even '
        'so (the piece being graded). 仍为空壳的组件（正在评分的组件）。\n"""\n'
        f"STUDENT_BUILD = True\nREVEALED = {reveal!r}\nHIDDEN = {hide!r}\n", encoding="utf-8")


def generate(lessons_dir: Path, root: Path = ROOT, db_url=None) -> None:
    """Run nbgrader generate_assignment for every lesson into ``lessons_dir`` (notebooks only)."""
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


# ------------------------------------------------------------------ the student course

STUDENT_COURSE = ROOT / "build" / "student-course"
TEMPLATES = Path(__file__).resolve().parent / "student_course"
#: optional dependency groups of this repository that are for the instructor only
_INSTRUCTOR_EXTRAS = {"dev", "parity"}


def _student_pyproject(root: Path) -> str:
    """pyproject.toml of the student package: course_lib + course_student, this repository's
    runtime dependencies, the student ``course`` command; no grader code."""
    import tomllib
    proj = tomllib.loads((Path(root) / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def lst(items):
        return "[\n" + "".join(f'    "{x}",\n' for x in items) + "]"
    extras = "".join(f"{k} = {lst(v)}\n" for k, v in proj.get("optional-dependencies", {}).items()
                     if k not in _INSTRUCTOR_EXTRAS)
    return f'''# 学生课程的包（由 `course release` 生成）/ the student course package (made by `course release`)
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "course-student"
version = "{proj["version"]}"
description = "Student course: build course_lib, a torch-shaped library, lesson by lesson"
readme = "README.md"
requires-python = "{proj.get("requires-python", ">=3.10")}"
dependencies = {lst(proj["dependencies"])}

[project.optional-dependencies]
{extras}
[project.scripts]
course = "course_student.cli:main"

[tool.setuptools.packages.find]
include = ["course_lib*", "course_student*"]
'''


def _student_environment(root: Path) -> str:
    """environment.yml of the student course: this repository's, without the development block
    (tests, browser) and installing the student course itself."""
    out, skip = [], False
    for line in (Path(root) / "environment.yml").read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if s.startswith("#") and ("开发" in s or "development" in s):
            skip = True  # the dev block runs until the pip: section
            continue
        if s.startswith("- pip:"):
            skip = False
        if skip or (line.startswith("#") and ("test_environment" in line or "-gpu" in line)):
            continue
        if s.startswith("- ") and s[2:].split(">")[0].split("=")[0].strip() in ("playwright",):
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def _copy_tree(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc",
                                                             ".ipynb_checkpoints"))


def build_student_course(dest: Path = STUDENT_COURSE, reveal: Iterable[str] = (),
                         root: Path = ROOT, notebooks: Path | None = None) -> Path:
    """Build the student course in ``dest`` (its ``.git`` kept, everything else replaced).

    ``notebooks``: a folder that already holds the release notebooks (``NN/NN.ipynb``; default:
    run nbgrader generate_assignment on solutions/)."""
    root, dest = Path(root), Path(dest)
    tmp = Path(tempfile.mkdtemp(prefix="student-course-"))
    try:
        new = tmp / "course"
        new.mkdir()
        if notebooks is None:
            generate(new, root)
        else:
            for lesson in lesson_ids(root):
                (new / lesson).mkdir()
                shutil.copyfile(Path(notebooks) / lesson / f"{lesson}.ipynb",
                                new / lesson / f"{lesson}.ipynb")
        build_lib(new / "course_lib", reveal, root)
        _copy_tree(root / "course_student", new / "course_student")
        _copy_tree(root / "autograder" / "jupyter", new / "jupyter")
        for name in ("README.md", "Makefile"):
            shutil.copyfile(TEMPLATES / name, new / name)
        shutil.copyfile(TEMPLATES / "gitignore", new / ".gitignore")
        (new / "pyproject.toml").write_text(_student_pyproject(root), encoding="utf-8")
        (new / "environment.yml").write_text(_student_environment(root), encoding="utf-8")
        dest.mkdir(parents=True, exist_ok=True)
        for old in dest.iterdir():
            if old.name != ".git":
                shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
        for item in new.iterdir():
            shutil.move(str(item), dest / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def sync_lessons(course: Path, lessons: Path) -> None:
    """lessons/ of this repository = the release notebooks of the student course, nothing else."""
    lessons.mkdir(exist_ok=True)
    ids = {p.parent.name for p in Path(course).glob("*/*.ipynb") if p.stem == p.parent.name}
    for old in lessons.iterdir():
        if old.name not in ids:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    for lesson in sorted(ids):
        (lessons / lesson).mkdir(exist_ok=True)
        shutil.copyfile(Path(course) / lesson / f"{lesson}.ipynb", lessons / lesson / f"{lesson}.ipynb")


# ------------------------------------------------------------------ publishing

def publish_zip(course: Path) -> Path:
    """``<course>.zip`` holding the folder as ``<name>/...`` (no .git)."""
    course = Path(course)
    z = course.with_suffix(".zip")
    import zipfile
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        for p in sorted(_course_files(course)):
            f.write(p, Path(course.name) / p.relative_to(course))
    return z


def publish_git(course: Path, message: str | None = None) -> str:
    """Commit the folder in its own git repository (``git init`` the first time); students
    clone it or open it with nbgitpuller. Returns the commit id."""
    import datetime
    import subprocess

    def git(*a):
        return subprocess.run(["git", "-C", str(course), *a], check=True, capture_output=True,
                              text=True).stdout.strip()
    if not (Path(course) / ".git").exists():
        git("init", "-q", "-b", "main")
    git("add", "-A")
    if git("status", "--porcelain"):
        when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        git("-c", "user.name=course release", "-c", "user.email=course@localhost",
            "commit", "-q", "-m", message or f"Release {when}")
    return git("rev-parse", "HEAD")


def publish_exchange(course: Path, course_id: str | None = None,
                     exchange: str | None = None) -> list:
    """``nbgrader release_assignment`` of every lesson notebook of the student course into the
    nbgrader exchange. ``Exchange.root`` and ``CourseDirectory.course_id`` come from the nbgrader
    configuration in effect (as for ``nbgrader release_assignment`` run here) unless given.
    Returns the released lesson ids."""
    from nbgrader.apps import NbGraderAPI, NbGraderApp
    from nbgrader.coursedir import CourseDirectory
    ensure_bin_on_path()
    course = Path(course).resolve()
    lessons = sorted(p.parent.name for p in course.glob("*/*.ipynb") if p.stem == p.parent.name)
    with tempfile.TemporaryDirectory(prefix="course-exchange-") as tmp:
        argv = [f"--CourseDirectory.root={course.parent}",
                f"--CourseDirectory.release_directory={course.name}",
                f"--CourseDirectory.db_url=sqlite:///{Path(tmp) / 'gradebook.db'}",
                "--ExchangeReleaseAssignment.force=True"]
        argv += [f"--CourseDirectory.course_id={course_id}"] if course_id else []
        argv += [f"--Exchange.root={exchange}"] if exchange else []
        app = NbGraderApp()
        app.initialize(argv)  # reads nbgrader_config.py files like the nbgrader command
        api = NbGraderAPI(CourseDirectory(config=app.config), config=app.config)
        for lesson in lessons:
            res = api.release_assignment(lesson)
            if not res.get("success"):
                raise RuntimeError(f"nbgrader release_assignment {lesson} failed:\n"
                                   f"{res.get('log', '')}{res.get('error', '')}")
    return lessons


# ------------------------------------------------------------------ leak check: text

def _course_files(course: Path):
    """Files of a student course (no .git, caches, checkpoints)."""
    for p in Path(course).rglob("*"):
        parts = p.relative_to(course).parts
        if p.is_file() and not ({".git", "__pycache__", ".ipynb_checkpoints"} & set(parts)) \
                and p.suffix != ".pyc":
            yield p


def _code_cells(path: Path) -> list:
    """Code cell sources of a notebook ([] if it is not one)."""
    import json
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in nb["cells"] if c.get("cell_type") == "code"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return []


def _solution_sources(root: Path, reveal: Iterable[str]) -> list:
    """``[(where, lesson, region text, parameter names)]``: every solution region of course_lib
    and of the solutions notebooks whose lesson is not revealed."""
    reveal, out = set(reveal), []
    for f in sorted((Path(root) / "course_lib").rglob("*.py")):
        text = f.read_text(encoding="utf-8")
        regions = region_lessons(text, str(f))
        if not regions:
            continue
        lines, tree = text.splitlines(), ast.parse(text)
        fns = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for b, e, lesson in regions:
            if lesson in reveal:
                continue
            fn = max((n for n in fns if n.lineno < b < n.end_lineno), key=lambda n: n.lineno)
            where = f"{f.relative_to(root)}:{b} ({lesson} {fn.name})"
            out.append((where, lesson, "\n".join(lines[b:e - 1]), _params(fn)))
    for nb in sorted((Path(root) / "solutions").glob("*/*.ipynb")):
        lesson = nb.parent.name
        if lesson in reveal:
            continue
        for i, src in enumerate(_code_cells(nb)):
            lines = src.splitlines()
            try:
                regions = solution_regions(src)
            except ValueError:
                continue
            params = set()
            try:
                for n in ast.walk(ast.parse(_no_magics(src))):
                    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        params |= _params(n)
            except SyntaxError:
                pass
            for b, e in regions:
                out.append((f"{nb.relative_to(root)} cell {i}", lesson, "\n".join(lines[b:e - 1]),
                            params))
    return out


def _hidden_lines(root: Path) -> set:
    lines = set()
    for p in (Path(root) / "autograder" / "hidden").rglob("*.py"):
        lines.update(ln for ln in _significant(p.read_text(encoding="utf-8"))
                     if not ln.startswith(("@case", "def ", "from ", "import ", '"""')))
    return lines


def _significant(text: str) -> set:
    """Lines long enough to identify code (trailing comments dropped; not comment lines, not
    short generic statements such as ``except Exception as e:``)."""
    return {s for s in (ln.split("  #")[0].strip() for ln in text.splitlines())
            if len(s) >= 24 and not s.startswith("#")}


def _public_lines(root: Path) -> set:
    """Lines of course_lib and of the solutions notebooks outside every solution region."""
    texts = [p.read_text(encoding="utf-8") for p in (Path(root) / "course_lib").rglob("*.py")]
    for nb in (Path(root) / "solutions").glob("*/*.ipynb"):
        texts += _code_cells(nb)
    pattern = re.escape(BEGIN) + r".*?" + re.escape(END)
    return set().union(*(_significant(re.sub(pattern, "", t, flags=re.S)) for t in texts))


def leaks(course: Path, root: Path = ROOT, reveal: Iterable[str] = ()) -> list:
    """``[(file, kind, detail)]``: solution-region lines (of lessons not revealed), hidden-case
    lines, solutions notebooks and grader files found in the student course folder ``course``."""
    root, course = Path(root), Path(course)
    public = _public_lines(root)
    sol = set().union(*(_significant(t) for _, _, t, _ in _solution_sources(root, reveal))) - public
    hid = _hidden_lines(root) - public
    answers = {p.read_bytes() for p in (root / "solutions").glob("*/*.ipynb")}
    found = []
    for f in sorted(_course_files(course)):
        rel = f.relative_to(course)
        if {"autograder", "hidden", "solutions"} & set(rel.parts):
            found.append((str(f), "grader file", str(rel)))
        if f.suffix == ".ipynb":
            cells = _code_cells(f)
            if f.read_bytes() in answers or any(BEGIN in c for c in cells):
                found.append((str(f), "solutions notebook", str(rel)))
            text = "\n".join(cells)
        else:
            text = f.read_text(encoding="utf-8", errors="replace")
        present = {ln.split("  #")[0].strip() for ln in text.splitlines()}
        found += [(str(f), "solution", ln) for ln in sorted(sol & present)]
        found += [(str(f), "hidden test", ln) for ln in sorted(hid & present)]
    return found


# ------------------------------------------------------------------ leak check: similarity

#: a unit this close to a reference body holds it (SequenceMatcher ratio of normalised tokens)
SIMILAR = 0.8
#: ... or contains this share of the reference's 5-token shingles while at most 4x as long
CONTAINED = 0.85
#: references shorter than this many tokens are checked by exact text only
MIN_TOKENS = 12


def _no_magics(src: str) -> str:
    return "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in src.splitlines())


def _params(fn) -> set:
    a = fn.args
    return {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs + [a.vararg, a.kwarg] if x}


def normalized_tokens(code: str, params: Iterable[str] = ()) -> list:
    """Tokens of ``code`` (statements) with comments, docstrings and layout dropped, its local
    names (``params`` and names it assigns) renamed v0, v1, ... by first use, numbers → ``#``
    and strings → ``$``. A copy with renamed variables or other comments has the same tokens."""
    import io
    import keyword
    import textwrap
    import tokenize
    code = textwrap.dedent(_no_magics(code))
    local = set(params)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    docstrings = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            local.add(n.id)
        elif isinstance(n, ast.arg):
            local.add(n.arg)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and \
                n.body and isinstance(n.body[0], ast.Expr) and \
                isinstance(n.body[0].value, ast.Constant) and isinstance(n.body[0].value.value, str):
            docstrings.add(n.body[0].lineno)
    names, out, prev = {}, [], None
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENCODING, tokenize.ENDMARKER}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type in skip:
                continue
            if tok.type == tokenize.STRING and tok.start[0] in docstrings and prev in (None, ":"):
                prev = "$doc"
                continue
            if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string) and \
                    tok.string in local and prev != ".":
                out.append(names.setdefault(tok.string, f"v{len(names)}"))
            elif tok.type == tokenize.NUMBER:
                out.append("#")
            elif tok.type in (tokenize.STRING, getattr(tokenize, "FSTRING_START", -1)):
                out.append("$")
            else:
                out.append(tok.string)
            prev = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return out


def _units(path: Path, text: str | None = None) -> list:
    """``[(where, tokens)]``: every function body of a .py file, and every function plus the
    top-level code of each code cell of a notebook."""
    sources = []
    if path.suffix == ".ipynb":
        sources = [(f"{path} cell {i}", src, True) for i, src in enumerate(_code_cells(path))]
    else:
        sources = [(str(path), text if text is not None else
                    path.read_text(encoding="utf-8", errors="replace"), False)]
    out = []
    for where, src, cell in sources:
        src = _no_magics(src)
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        lines = src.splitlines()
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            body = fn.body[1:] if (isinstance(fn.body[0], ast.Expr) and isinstance(
                fn.body[0].value, ast.Constant) and isinstance(fn.body[0].value.value, str)) \
                else fn.body
            if not body:
                continue
            code = "\n".join(lines[body[0].lineno - 1:fn.end_lineno])
            out.append((f"{where}:{fn.lineno} {fn.name}", normalized_tokens(code, _params(fn))))
        if cell:
            top = [n for n in tree.body if not isinstance(n, (ast.FunctionDef,
                                                              ast.AsyncFunctionDef, ast.ClassDef))]
            if top:
                out.append((f"{where} top level", normalized_tokens(
                    "\n".join(ast.get_source_segment(src, n) or "" for n in top))))
    return out


def _shingles(tokens: list, k: int = 5) -> set:
    return {tuple(tokens[i:i + k]) for i in range(max(1, len(tokens) - k + 1))}


def _delegate(tokens: list) -> str | None:
    """The callee of a reference that only returns a private helper's result (``return
    _x(...)`` / ``return m._x(...)``): the helper is the reference under another name."""
    if tokens[:1] != ["return"] or "return" in tokens[1:] or tokens[-1:] != [")"]:
        return None
    call = tokens[1:tokens.index("(")] if "(" in tokens else []
    if call and all(t == "." or t.isidentifier() for t in call) and call[-1].startswith("_") \
            and not call[-1].startswith("__"):
        return "".join(call)
    return None


def similar_bodies(units: list, references: list) -> list:
    """``[(unit where, reference where, score)]`` for each unit that holds a reference body."""
    import difflib
    refs = [(w, toks, _shingles(toks)) for w, _, code, params in references
            if len(toks := normalized_tokens(code, params)) >= MIN_TOKENS]
    found = []
    for where, toks in units:
        if len(toks) < MIN_TOKENS:
            continue
        sh = None
        for rwhere, rtoks, rsh in refs:
            score = 0.0
            if 0.6 <= len(toks) / len(rtoks) <= 1.67:
                m = difflib.SequenceMatcher(None, rtoks, toks, autojunk=False)
                if m.real_quick_ratio() >= SIMILAR and m.quick_ratio() >= SIMILAR:
                    score = m.ratio()
            if score < SIMILAR and len(toks) <= 4 * len(rtoks):
                sh = sh if sh is not None else _shingles(toks)
                score = max(score, len(rsh & sh) / len(rsh))
                score = score if score >= CONTAINED else 0.0
            if score >= min(SIMILAR, CONTAINED):
                found.append((where, rwhere, round(score, 3)))
    return found


def twins(course: Path, root: Path = ROOT, reveal: Iterable[str] = ()) -> list:
    """Reference bodies found in the student course: ``[(kind, unit, reference, score)]``.

    Every function of every .py file and every code cell of every notebook is compared with
    every solution region not revealed (normalised tokens, :func:`similar_bodies`); a reference
    that only returns a private helper's result names that helper (a twin under another name)."""
    references = _solution_sources(root, reveal)
    units = []
    for f in sorted(_course_files(course)):
        if f.suffix in (".py", ".ipynb"):
            units += _units(f)
    out = [("similar body", u, r, s) for u, r, s in similar_bodies(units, references)]
    defined = {w.rsplit(" ", 1)[1]: w for w, _ in units if " " in w}
    for where, _, code, params in references:
        callee = _delegate(normalized_tokens(code, params))
        if callee and callee.rsplit(".", 1)[-1] in defined:
            out.append(("delegates to", defined[callee.rsplit(".", 1)[-1]], where, 1.0))
    return out


# ------------------------------------------------------------------ leak check: packages

def build_packages(course: Path, out: Path) -> list:
    """A wheel and an sdist built from the student course's pyproject (offline, no isolation:
    setuptools' PEP 517 hooks in this interpreter, on a copy of the folder)."""
    import subprocess
    import sys
    out = Path(out)
    src = out / "src"
    shutil.copytree(course, src, ignore=shutil.ignore_patterns(".git", "__pycache__", "*.pyc",
                                                               ".ipynb_checkpoints"))
    code = ("import sys; from pathlib import Path; from setuptools import build_meta as b; "
            "out = sys.argv[1]; w = b.build_wheel(out); s = b.build_sdist(out); "  # it sets argv
            "Path(out, 'built.txt').write_text(w + '\\n' + s)")
    r = subprocess.run([sys.executable, "-c", code, str(out)], cwd=src, capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise RuntimeError(f"building the student packages failed:\n{r.stderr[-3000:]}")
    return [out / name for name in (out / "built.txt").read_text().split()]


def _unpack(archive: Path, dest: Path) -> Path:
    import tarfile
    import zipfile
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as z:
            z.extractall(dest)
    else:
        with tarfile.open(archive) as t:
            t.extractall(dest, filter="data")
    return dest


def check_student_course(course: Path, root: Path = ROOT, reveal: Iterable[str] = (),
                         packages: bool = True) -> list:
    """Problems (strings) of a built student course; [] when it holds no answer."""
    course = Path(course)
    targets = [(course, course.name)]
    tmp = Path(tempfile.mkdtemp(prefix="course-release-pkg-"))
    try:
        if packages:
            for pkg in build_packages(course, tmp / "dist"):
                targets.append((_unpack(pkg, tmp / pkg.name), pkg.name))
        problems = []
        for folder, label in targets:
            problems += [f"{kind} in {label}/{Path(f).relative_to(folder)}: {detail[:90]}"
                         for f, kind, detail in leaks(folder, root, reveal)]
            problems += [f"{kind} {_rel(u, folder, label)} ~ {r} ({s:.2f})"
                         for kind, u, r, s in twins(folder, root, reveal)]
            if folder is not course and not any(folder.rglob("course_lib/_build.py")):
                problems.append(f"{label}: no course_lib/_build.py (not the student build)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return problems


def _rel(where: str, folder: Path, label: str) -> str:
    return where.replace(str(folder), label, 1)


def _diff_lessons(course: Path, lessons: Path) -> list:
    """lessons/ differs from the student course's release notebooks."""
    want = {p.relative_to(course) for p in Path(course).glob("*/*.ipynb") if p.stem == p.parent.name}
    have = {p.relative_to(lessons) for p in _course_files(lessons)} if lessons.is_dir() else set()
    out = [f"missing in lessons/: {p}" for p in sorted(want - have)]
    out += [f"not a release notebook, in lessons/: {p}" for p in sorted(have - want)]
    out += [f"stale in lessons/: {p}" for p in sorted(want & have)
            if not filecmp.cmp(course / p, lessons / p, shallow=False)]
    return out


# ------------------------------------------------------------------ command line

def add_arguments(s) -> None:
    s.add_argument("--out", default=str(STUDENT_COURSE),
                   help="学生课程文件夹 / the student course folder (default: %(default)s)")
    s.add_argument("--reveal", action="append", default=[], metavar="LESSON",
                   help="公开该课练习的参考答案（截止之后；可重复）/ publish the reference of this "
                        "lesson's pieces (after its deadline; repeatable), e.g. 04_autograd")
    s.add_argument("--zip", action="store_true", help="另存为 <out>.zip / also write <out>.zip")
    s.add_argument("--git", action="store_true",
                   help="把文件夹提交为它自己的 git 仓库（可用 nbgitpuller）/ commit the folder as "
                        "its own git repository (nbgitpuller-friendly)")
    s.add_argument("--exchange", action="store_true",
                   help="nbgrader release_assignment 到 exchange / release every lesson into the "
                        "nbgrader exchange")
    s.add_argument("--no-lessons", action="store_true",
                   help="不更新本仓库的 lessons/ / leave this repository's lessons/ alone "
                        "(make lab)")
    s.add_argument("--check", action="store_true",
                   help="构建并检查：没有答案、隐藏用例，lessons/ 是最新的 / build and prove that the "
                        "student course (and its wheel and sdist) holds no answer, and that "
                        "lessons/ is up to date")


def main(args) -> int:
    out, reveal = Path(args.out).resolve(), tuple(args.reveal)
    unknown = sorted(set(reveal) - set(lesson_ids()))
    if unknown:
        print(f"✗ 没有这些课 / no such lessons: {', '.join(unknown)}")
        return 2
    course = build_student_course(out, reveal)
    print(f"✓ 学生课程 / student course: {course}" + (f" (reveal: {', '.join(reveal)})" if reveal else ""))
    lessons = ROOT / "lessons"
    if args.check:
        problems = ([] if args.no_lessons else _diff_lessons(course, lessons)) + \
            check_student_course(course, ROOT, reveal)
    else:
        if not args.no_lessons:
            sync_lessons(course, lessons)
        problems = check_student_course(course, ROOT, reveal, packages=False)
    for p in problems:
        print(f"✗ {p}")
    if problems:
        print(f"release 检查失败：{len(problems)} 个问题（未发布）/ release check failed: "
              f"{len(problems)} problem(s) (nothing published)")
        return 1
    if args.zip:
        print(f"✓ zip: {publish_zip(course)}")
    if args.git:
        print(f"✓ git: {course} @ {publish_git(course)[:12]}")
    if args.exchange:
        print(f"✓ nbgrader exchange: {', '.join(publish_exchange(course))}")
    print("✓ 学生课程中没有答案 / the student course holds no answer"
          + ("" if args.check else " (wheel/sdist: `course release --check`)"))
    return 0
