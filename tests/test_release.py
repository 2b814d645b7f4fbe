"""`course release`: student build without reference code; --check. 发布与检查。"""
import json
import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.release import (BEGIN, MIN_TOKENS, SIMILAR, build_lib, leaks, normalized_tokens,
                                region_lessons, solution_regions, strip_solutions, twins)

ROOT = Path(__file__).resolve().parent.parent


def test_strip_solutions_keeps_indent_and_removes_body():
    src = ('@exercise("01_a", "f", key="k.f")\ndef f(x):\n    """doc"""\n'
           "    ### BEGIN SOLUTION\n    return x * 42\n    ### END SOLUTION\n")
    out = strip_solutions(src)
    assert "x * 42" not in out and BEGIN not in out
    assert '    """doc"""\n    raise NotImplementedError' in out
    compile(out, "<t>", "exec")
    shown = strip_solutions(src, reveal={"01_a"})
    assert "    return x * 42\n" in shown and BEGIN not in shown and "SOLUTION" not in shown
    with pytest.raises(ValueError, match="unterminated"):
        solution_regions("### BEGIN SOLUTION\nx = 1\n")


def test_region_lessons_follow_the_enclosing_exercise_decorator():
    src = ("class A:\n"
           "    @staticmethod\n"
           '    @exercise("04_b", "m", key="k.m")\n'
           "    def m(ctx, g):\n"
           "        def helper(y):\n"
           "            return y\n"
           "        ### BEGIN SOLUTION\n"
           "        return helper(g)\n"
           "        ### END SOLUTION\n"
           '@exercise(lesson="05_c", name="f", key="k.f")\n'
           "def f():\n"
           "    ### BEGIN SOLUTION\n"
           "    return 1\n"
           "    ### END SOLUTION\n")
    assert region_lessons(src) == [(7, 9, "04_b"), (12, 14, "05_c")]
    # a region in a plain function (no @exercise) belongs to no lesson: refused
    with pytest.raises(ValueError, match="outside any @exercise"):
        region_lessons("def g():\n    ### BEGIN SOLUTION\n    return 2\n    ### END SOLUTION\n")


def _course_lessons():
    """lesson -> number of solution regions in course_lib (read from the sources)."""
    out = {}
    for f in (ROOT / "course_lib").rglob("*.py"):
        for _, _, lesson in region_lessons(f.read_text(encoding="utf-8"), str(f)):
            out[lesson] = out.get(lesson, 0) + 1
    return out


def test_student_build_has_no_solutions(tmp_path):
    dest = tmp_path / "lessons" / "course_lib"
    build_lib(dest)
    build = (dest / "_build.py").read_text()
    assert "STUDENT_BUILD = True" in build and "REVEALED = ()" in build
    n_stubs = 0
    for f in dest.rglob("*.py"):
        text = f.read_text()
        assert BEGIN not in [ln.strip() for ln in text.splitlines()], f
        compile(text, str(f), "exec")
        n_stubs += text.count("raise NotImplementedError  # 学生版")
    assert n_stubs == sum(_course_lessons().values())
    assert leaks(tmp_path / "lessons") == []


def test_grading_build_reveals_every_lesson_but_one(tmp_path):
    """build_lib(d, reveal=all but L): L's pieces are stubs (ExerciseNotDone), every other
    piece runs its reference in the student build."""
    lessons = _course_lessons()
    graded = sorted(lessons)[len(lessons) // 2]
    dest = tmp_path / "grading" / "course_lib"
    build_lib(dest, reveal=set(lessons) - {graded})
    stubs = sum(f.read_text().count("raise NotImplementedError  # 学生版") for f in dest.rglob("*.py"))
    assert stubs == lessons[graded]
    code = f"""
import sys
sys.path.insert(0, {str(dest.parent)!r})
import course_lib
from course_lib import exercises as ex
assert course_lib.__file__.startswith({str(dest)!r}), course_lib.__file__
ex._import_all()
for key, (lesson, name, ref) in sorted(ex.registry.items()):
    try:
        f = ex.lookup(key)
        print(lesson, key, "ref" if f is ref else "other")
    except ex.ExerciseNotDone:
        print(lesson, key, "notdone")
"""
    env = {"PATH": "/usr/bin:/bin", "COURSE_LESSONS_DIR": str(tmp_path / "nothing")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = [ln.split() for ln in r.stdout.splitlines()]
    assert {lesson for lesson, _, _ in rows} == set(lessons)
    for lesson, key, how in rows:
        assert how == ("notdone" if lesson == graded else "ref"), (lesson, key, how)


def _piece_references(key):
    """``[(where, lesson, region text, params)]`` of the solution regions of piece ``key``."""
    import ast

    from autograder.release import _params, region_pieces
    out = []
    for f in sorted((ROOT / "course_lib").rglob("*.py")):
        text = f.read_text(encoding="utf-8")
        fns = [n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.FunctionDef)]
        for b, e, lesson, k in region_pieces(text, str(f)):
            if k == key:
                fn = max((n for n in fns if n.lineno < b < n.end_lineno), key=lambda n: n.lineno)
                out.append((f"{f.name}:{b}", lesson, "\n".join(text.splitlines()[b:e - 1]),
                            _params(fn)))
    return out


def test_grading_build_of_a_piece_hides_exactly_that_piece(tmp_path):
    """The jail's build for piece K (``hidden_grade.grading_build``, hard links into a revealed
    build) is ``build_lib(reveal=every lesson, hide={K})``: K's reference body is nowhere in it
    (similarity scan), the other pieces of its lesson are there, and only K is a stub."""
    from autograder.hidden_grade import grading_build
    from autograder.release import _units, similar_bodies
    lessons = _course_lessons()
    key, sibling = "course_lib.Tensor.is_contiguous", "course_lib.Tensor.flatten"
    mine, theirs = _piece_references(key), _piece_references(sibling)
    assert mine and theirs and mine[0][1] == theirs[0][1] == "01_tensors"
    jail_build = grading_build("01_tensors", key)[0] / "course_lib"
    dest = tmp_path / "grading" / "course_lib"
    build_lib(dest, reveal=set(lessons), hide={key})
    files = sorted(p.relative_to(dest) for p in dest.rglob("*.py"))
    assert files == sorted(p.relative_to(jail_build) for p in jail_build.rglob("*.py"))
    for rel in files:
        assert (jail_build / rel).read_text() == (dest / rel).read_text(), rel
    stubs = sum(f.read_text().count("raise NotImplementedError  # 学生版") for f in dest.rglob("*.py"))
    assert stubs == len(mine)
    units = [u for f in sorted(jail_build.rglob("*.py")) for u in _units(f)]
    assert not similar_bodies(units, mine)  # K's reference is nowhere, under no name
    assert similar_bodies(units, theirs)  # its sibling's is (the scan can find one)
    code = f"""
import sys
sys.path.insert(0, {str(jail_build.parent)!r})
import inspect
from course_lib import exercises as ex
ex._import_all()
for key, (lesson, name, ref) in sorted(ex.registry.items()):
    print(key, "stub" if "NotImplementedError  # 学生版" in inspect.getsource(ref) else "ref")
"""
    env = {"PATH": "/usr/bin:/bin", "COURSE_LESSONS_DIR": str(tmp_path / "nothing")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = dict(ln.split() for ln in r.stdout.splitlines())
    assert len(rows) > 20 and {k for k, how in rows.items() if how != "ref"} == {key}


def test_leak_check_finds_planted_hidden_and_solution_text(tmp_path):
    hidden = sorted((ROOT / "autograder" / "hidden").rglob("test_*.py"))
    if not hidden:
        pytest.skip("no hidden cases yet")
    line = next(ln for ln in hidden[0].read_text().splitlines()
                if len(ln.strip()) > 40 and ln.strip().startswith("return"))
    d = tmp_path / "course" / "00_setup"
    d.mkdir(parents=True)
    (d / "notes.py").write_text(line + "\n")
    assert [k for _, k, _ in leaks(tmp_path / "course")] == ["hidden test"]


# ------------------------------------------------------------------ the similarity scan

PIECES = '''
from course_lib.exercises import exercise


@exercise("01_a", "norm", key="k.norm")
def norm(values, scale=1.0):
    """The scaled Euclidean norm. 欧几里得范数。"""
    ### BEGIN SOLUTION
    total = 0.0
    for item in values:
        if item is None:
            continue
        total = total + item * item
    result = total ** 0.5
    return result * scale
    ### END SOLUTION


@exercise("02_b", "mean", key="k.mean")
def mean(values):
    ### BEGIN SOLUTION
    return _mean_impl(values)
    ### END SOLUTION


def _mean_impl(values):
    count, acc = 0, 0.0
    for v in values:
        acc += v
        count += 1
    return acc / count


def honest(rows, key=None):
    """Public code that shares idioms with the references but is not one of them."""
    out = {}
    for row in rows:
        k = row if key is None else key(row)
        out.setdefault(k, []).append(row)
    return sorted(out.items(), key=lambda kv: len(kv[1]))
'''

# the reference of ``norm`` with every local renamed, other comments and layout
RENAMED = '''
def _helper(xs, factor=1.0):
    # accumulate squares
    acc = 0.0
    for x in xs:
        if x is None: continue
        acc = acc + x * x     # square
    r = acc ** 0.5
    return r * factor
'''


def _notebook(path: Path, source: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                           "execution_count": None, "source": source}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


@pytest.fixture
def fake_root(tmp_path):
    """A course root whose course_lib has two pieces (``mean`` delegates to a private twin)."""
    root = tmp_path / "root"
    (root / "course_lib").mkdir(parents=True)
    (root / "course_lib" / "__init__.py").write_text("")
    (root / "course_lib" / "pieces.py").write_text(PIECES)
    (root / "solutions").mkdir()
    (root / "autograder" / "hidden").mkdir(parents=True)
    (root / "autograder" / "hidden" / "test_norm.py").write_text(
        "def test_norm():\n    assert abs(norm([3.0, 4.0], scale=2.0) - 10.0) < 1e-12\n")
    return root


def test_normalized_tokens_ignore_names_comments_and_docstrings():
    a = normalized_tokens('"""doc"""\ntotal = 0  # start\nfor v in xs:\n    total += v * 2\n',
                          {"xs"})
    b = normalized_tokens("acc = 0\nfor item in values:\n    acc += item * 7\n", {"values"})
    assert a == b and "doc" not in " ".join(a)
    # names that are not local (library calls, attributes) are kept: a different call differs
    assert normalized_tokens("return np.sum(x)", {"x"}) != normalized_tokens("return np.prod(x)", {"x"})


def test_similarity_scan_finds_a_renamed_copy_and_passes_the_honest_build(fake_root, tmp_path):
    course = tmp_path / "course"
    build_lib(course / "course_lib", root=fake_root)
    pieces = course / "course_lib" / "pieces.py"
    # as built, `mean`'s reference only returns its private helper, which the build still has
    found = twins(course, fake_root)
    assert [(k, u.rsplit(" ", 1)[-1]) for k, u, _, _ in found] == [("delegates to", "_mean_impl")]
    # without the twin the build is honest: nothing found, though `honest` shares idioms
    text = pieces.read_text()
    pieces.write_text(text[:text.index("def _mean_impl")] + text[text.index("def honest"):])
    assert twins(course, fake_root) == [] and leaks(course, fake_root) == []
    # a renamed copy of norm's reference, in a module and in a notebook cell: both caught
    (course / "course_lib" / "extra.py").write_text(RENAMED)
    _notebook(course / "01_a" / "01_a.ipynb", RENAMED.replace("_helper", "answer"))
    found = twins(course, fake_root)
    assert sorted(u.rsplit(" ", 1)[-1] for _, u, _, _ in found) == ["_helper", "answer"], found
    assert {r.split(" (")[-1] for _, _, r, _ in found} == {"01_a norm)"}
    assert all(k == "similar body" and s >= SIMILAR for k, _, _, s in found)
    # ... unless lesson 01_a is revealed
    assert twins(course, fake_root, reveal={"01_a"}) == []


def test_leak_check_finds_solution_notebooks_and_grader_files(fake_root, tmp_path):
    course = tmp_path / "course"
    build_lib(course / "course_lib", root=fake_root)
    (course / "autograder" / "hidden").mkdir(parents=True)
    (course / "autograder" / "hidden" / "notes.txt").write_text("x\n")
    answer = f"{BEGIN}\nx = 1\n### END SOLUTION\n"
    _notebook(course / "01_a" / "01_a.ipynb", answer)
    _notebook(course / "01_a" / ".ipynb_checkpoints" / "01_a-checkpoint.ipynb", answer)  # ignored
    (course / "course_lib" / "notes.py").write_text(
        "        total = total + item * item\n"
        "    assert abs(norm([3.0, 4.0], scale=2.0) - 10.0) < 1e-12\n")
    kinds = sorted({(k, Path(f).name) for f, k, _ in leaks(course, fake_root)})
    assert kinds == [("grader file", "notes.txt"), ("hidden test", "notes.py"),
                     ("solution", "notes.py"), ("solutions notebook", "01_a.ipynb")]


def test_renamed_copy_of_every_real_reference_is_caught(tmp_path, student_build):
    """Every solution region of course_lib (long enough to compare), its locals renamed and its
    layout redone by ast.unparse, is found in an otherwise real student build."""
    import ast
    import shutil
    import textwrap

    from autograder.release import _solution_sources
    refs = [r for r in _solution_sources(ROOT, ()) if r[0].startswith("course_lib")
            and len(normalized_tokens(r[2], r[3])) >= MIN_TOKENS]
    assert len(refs) >= 10
    course = tmp_path / "course"
    shutil.copytree(student_build / "course_lib", course / "course_lib")
    copies = []
    for i, (_, _, code, params) in enumerate(refs):
        tree = ast.parse(textwrap.dedent(code))
        local = set(params) | {n.id for n in ast.walk(tree)
                               if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        for n in ast.walk(tree):
            if isinstance(n, ast.Name) and n.id in local:
                n.id = f"z_{n.id}"
            elif isinstance(n, ast.arg) and n.arg in local:
                n.arg = f"z_{n.arg}"
        args = ", ".join(f"z_{p}" for p in sorted(params))
        copies.append(f"def copy_{i}({args}):\n{textwrap.indent(ast.unparse(tree), '    ')}\n")
    (course / "course_lib" / "copies.py").write_text("\n\n".join(copies))
    found = {u.rsplit(" ", 1)[-1] for _, u, _, _ in twins(course) if "copies.py" in u}
    assert found == {f"copy_{i}" for i in range(len(refs))}


def test_release_refuses_an_unknown_lesson_to_reveal(tmp_path, capsys):
    from autograder.cli import main
    assert main(["release", "--reveal", "99_nope", "--out", str(tmp_path / "c")]) == 2
    assert "99_nope" in capsys.readouterr().out and not (tmp_path / "c").exists()


@pytest.mark.slow
def test_release_check_passes_on_main(tmp_path):
    """The student course built from main, its wheel and sdist hold no answer; lessons/ is fresh."""
    r = subprocess.run([sys.executable, "-m", "autograder.cli", "release", "--check", "--out",
                        str(tmp_path / "student-course")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
