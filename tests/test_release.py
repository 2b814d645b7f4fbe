"""`course release`: student build without reference code; --check. 发布与检查。"""
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.release import (BEGIN, build_lib, leaks, region_lessons, solution_regions,
                                strip_solutions)

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


def test_leak_check_finds_planted_hidden_and_solution_text(tmp_path):
    hidden = sorted((ROOT / "autograder" / "hidden").rglob("test_*.py"))
    if not hidden:
        pytest.skip("no hidden cases yet")
    line = next(ln for ln in hidden[0].read_text().splitlines()
                if len(ln.strip()) > 40 and ln.strip().startswith("return"))
    d = tmp_path / "lessons" / "00_setup"
    d.mkdir(parents=True)
    (d / "notes.py").write_text(line + "\n")
    assert [k for _, k, _ in leaks(tmp_path / "lessons")] == ["hidden test"]


@pytest.mark.slow
def test_release_check_passes_on_main():
    r = subprocess.run([sys.executable, "-m", "autograder.cli", "release", "--check"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
