"""Student-side commands: ``course check``, ``course submit``, ``course status``.

Part of the student course (``course release`` copies this package into it); nothing here may
import the grader (``autograder``).

学生端命令：自查（像 nbgrader validate 一样运行 notebook 并报告每个检查单元格）、打包提交、进度。
"""
from __future__ import annotations

import getpass
import os
import subprocess
import sys
import zipfile
from pathlib import Path


def _nbgrader_meta(cell) -> dict:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def check_notebook(path: Path, timeout: int = 120) -> int:
    """Run the notebook (in its folder, like the student's kernel) and report each check."""
    import nbformat
    from nbclient import NotebookClient

    from course_lib.exercises import is_unfinished
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # noqa: BLE001
        print(f"✗ 无法读取 notebook / cannot read the notebook: {e}")
        return 2
    env_dir = path.resolve().parent
    env = dict(os.environ)
    env.setdefault("COURSE_LESSONS_DIR", str(env_dir.parent))
    if (env_dir.parent / "course_lib").is_dir():  # the student build next to the lessons
        env["PYTHONPATH"] = os.pathsep.join(
            [str(env_dir.parent)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    client = NotebookClient(nb, timeout=timeout, allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(env_dir)}},
                            shutdown_kernel="immediate")  # the kernel is thrown away
    try:
        client.execute(env=env)
    except Exception as e:  # noqa: BLE001  (dead kernel, timeout)
        print(f"✗ notebook 运行失败 / the notebook failed to run: {type(e).__name__}: {e}")
    failed, earned, total = 0, 0.0, 0.0
    for cell in nb.cells:
        m = _nbgrader_meta(cell)
        gid = m.get("grade_id", "")
        if m.get("solution") and gid.startswith("ex_") and is_unfinished(cell.source):
            print(f"… {gid[3:]}: 尚未完成 / not done yet")
        if not m.get("grade"):
            continue
        points = float(m.get("points") or 0)
        total += points
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            failed += 1
            msg = "\n    ".join(str(errors[0].get("evalue", "")).splitlines()[:8])
            print(f"✗ {gid} (0/{points:g}): {errors[0].get('ename')}\n    {msg}")
        elif cell.get("execution_count") is None:
            failed += 1
            print(f"✗ {gid} (0/{points:g}): 没有运行（上面的单元格出错，Run All 停下了）/ "
                  f"did not run (a cell above failed and stopped the run)")
        else:
            earned += points
            print(f"✓ {gid} ({points:g}/{points:g})")
    print(f"可见检查得分 / visible checks: {earned:g} / {total:g}")
    if failed:
        print(f"{failed} 个检查未通过 / {failed} check(s) failed")
        return 1
    print("全部可见检查通过（隐藏用例会在评分时运行）/ all visible checks pass "
          "(hidden cases run at grading time)")
    return 0


def submit(notebooks, student=None, out=Path("."), exchange=False) -> int:
    """``<student>_<lesson>.zip`` holding ``<lesson>.ipynb`` (what ``course grade`` and
    ``nbgrader zip_collect`` read), or ``nbgrader submit`` into the configured exchange."""
    explicit = student or os.environ.get("COURSE_STUDENT")
    student = explicit or getpass.getuser()
    code = 0
    for nbp in notebooks:
        nbp = Path(nbp)
        lesson = nbp.stem
        if not nbp.is_file():
            print(f"✗ 找不到 / not found: {nbp}")
            code = 1
            continue
        if exchange:
            code = _submit_exchange(nbp, lesson, explicit) or code
            continue
        out.mkdir(parents=True, exist_ok=True)
        z = out / f"{student}_{lesson}.zip"
        with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
            f.write(nbp, f"{lesson}.ipynb")
        print(f"✓ {z}  （上传到课程平台 / upload it to the course platform）")
    return code


def _submit_exchange(nbp: Path, lesson: str, student=None) -> int:
    """``nbgrader submit`` (ExchangeSubmit) with the nbgrader configuration in effect here
    (``Exchange.root``, ``CourseDirectory.course_id``). nbgrader submits a folder named like
    the assignment: a notebook kept elsewhere is submitted from a temporary one."""
    import shutil
    import tempfile
    with tempfile.TemporaryDirectory(prefix="course-submit-") as tmp:
        src = nbp.resolve().parent
        if src.name != lesson:
            src = Path(tmp) / lesson
            src.mkdir()
            shutil.copyfile(nbp, src / f"{lesson}.ipynb")
        cmd = [sys.executable, "-m", "nbgrader", "submit", str(src)]
        if student:
            cmd.append(f"--student={student}")
        r = subprocess.run(cmd)
    if r.returncode == 0:
        print(f"✓ {lesson}: 已提交到 nbgrader exchange / submitted to the nbgrader exchange")
    else:
        print(f"✗ {lesson}: nbgrader submit 失败（见上方日志；exchange 是否已配置？）/ nbgrader "
              f"submit failed (see the log above; is an exchange configured?)")
    return r.returncode


def status(lessons: Path | None = None) -> int:
    """Print the done / not-done table for the lesson notebooks in ``lessons`` (default: the
    student course that holds the imported course_lib, or $COURSE_LESSONS_DIR)."""
    if lessons is None:
        from course_lib.exercises import lessons_dir
        lessons = lessons_dir()
    os.environ["COURSE_LESSONS_DIR"] = str(lessons)
    if (lessons / "course_lib").is_dir():
        sys.path.insert(0, str(lessons))
        for m in [m for m in sys.modules if m == "course_lib" or m.startswith("course_lib.")]:
            del sys.modules[m]
    from course_lib import exercises
    exercises.status()
    return 0
