"""Every lesson runs: solutions top to bottom in < 60 s, blank releases stop at the first exercise.

每一课都能运行：解答 notebook 在 CPU 上、没有 torch 时 60 秒内从头跑到尾；空白的发布版停在第一个
未完成的练习，并给出中英双语的 ExerciseNotDone 信息，而不是很深的回溯。

The kernel runs with torch hidden (a ``torch`` package on PYTHONPATH whose import raises
ImportError), so "compare with PyTorch" cells must skip themselves and nothing may need torch.
A blank release runs in the student course (built into tmp) as a student who finished the
earlier lessons: their answers come from the solution notebooks via $COURSE_LESSONS_DIR.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from lesson_runs import LESSON_LIMIT_S as LIMIT_S  # one limit for every lesson run (issue 15)

nbclient = pytest.importorskip("nbclient")
from nbclient.exceptions import CellExecutionError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted(ROOT.glob("solutions/*/*.ipynb"))
LESSON_IDS = [p.parent.name for p in SOLUTIONS]
CJK = re.compile(r"[\u4e00-\u9fff]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def no_torch(tmp_path_factory):
    """A directory whose ``torch`` package refuses to import."""
    d = tmp_path_factory.mktemp("hide_torch")
    (d / "torch").mkdir()
    (d / "torch" / "__init__.py").write_text(
        'raise ImportError("torch is hidden for this test / 测试中隐藏了 torch")\n')
    return d


def _env(no_torch: Path, library_root: Path, lessons_dir: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COURSE_LIB_", "COURSE_LESSONS_DIR", "MPLBACKEND"))}
    env["PYTHONPATH"] = os.pathsep.join([str(no_torch), str(library_root)])
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    if lessons_dir is not None:
        env["COURSE_LESSONS_DIR"] = str(lessons_dir)
    return env


def _earlier_lessons_done(lesson: str, dest: Path) -> Path:
    """A lessons folder where every lesson before ``lesson`` is finished (its solution)."""
    for path in SOLUTIONS:
        if path.parent.name < lesson:
            (dest / path.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest / path.parent.name / path.name)
    return dest


def _execute(path: Path, env: dict):
    """Run a copy of the notebook in its folder; return (notebook, seconds, error or None)."""
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=int(LIMIT_S), kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}})
    start, error = time.perf_counter(), None
    try:
        client.execute(env=env)
    except CellExecutionError as e:
        error = e
    return nb, time.perf_counter() - start, error


@pytest.mark.parametrize("path", SOLUTIONS, ids=LESSON_IDS)
def test_solution_runs_without_torch(path, no_torch):
    nb, seconds, error = _execute(path, _env(no_torch, ROOT))
    assert error is None, f"{path.name} failed / 运行失败:\n{ANSI.sub('', str(error))[-3000:]}"
    assert seconds < LIMIT_S, f"{path.name} took {seconds:.1f} s (limit {LIMIT_S:.0f} s)"
    print(f"{path.parent.name}: {seconds:.1f} s")


def _first_exercise(nb) -> tuple[int, str]:
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and meta.get("grade_id", "").startswith("test_"):
            return i, meta["grade_id"][len("test_"):]
    raise AssertionError("no test cell / 没有检查单元格")


def _failed_cell(nb) -> int | None:
    for i, cell in enumerate(nb.cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i
    return None


@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_blank_release_stops_at_first_exercise(lesson, no_torch, tmp_path, student_course):
    path = student_course / lesson / f"{lesson}.ipynb"
    done = _earlier_lessons_done(lesson, tmp_path / "progress")
    nb, seconds, error = _execute(path, _env(no_torch, student_course, done))
    assert error is not None, f"{lesson}: the blank release ran to the end without stopping"
    index, exercise = _first_exercise(nb)
    failed = _failed_cell(nb)
    assert failed == index, (
        f"{lesson}: stopped at cell {failed}, expected the check of the first exercise "
        f"({exercise}, cell {index}):\n{ANSI.sub('', str(error))[-2000:]}")
    assert error.ename in ("ExerciseNotDone", "NotImplementedError"), f"{lesson}: {error.ename}: {error.evalue}"
    message = error.evalue
    assert CJK.search(message) and "Exercise not done" in message and exercise in message, \
        f"{lesson}: the message must be bilingual and name the exercise: {message!r}"
    frames = ANSI.sub("", error.traceback).count("\nFile ") + ANSI.sub("", error.traceback).count("Cell In[")
    assert frames <= 4, f"{lesson}: traceback too deep ({frames} frames):\n{ANSI.sub('', error.traceback)}"
    assert seconds < LIMIT_S
