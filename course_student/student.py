"""Student-side commands: ``course check``, ``course submit``, ``course status``.

Part of the student course (``course release`` copies this package into it); nothing here may
import the grader (``autograder``).

学生端命令：自查（像 nbgrader validate 一样运行 notebook 并报告每个检查单元格）、打包提交、进度。
"""
from __future__ import annotations

import contextlib
import io
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


def student_id_problem(sid) -> str | None:
    """Why ``sid`` cannot be a student id (bilingual), or None: it names folders and files on
    the grader's side too (``course grade`` refuses the same ids)."""
    if not isinstance(sid, str) or not sid:
        return "空的学生 ID / empty student id"
    if len(sid) > 100:
        return "学生 ID 过长 / student id too long"
    if sid.startswith(".") or sid in (".", ".."):
        return "学生 ID 不能以点开头 / a student id cannot start with a dot"
    if any(c in sid for c in "/\\") or any(ord(c) < 32 or ord(c) == 127 for c in sid):
        return "学生 ID 含有路径分隔符或控制字符 / a student id cannot hold path separators or " \
               "control characters"
    if any(c.isspace() for c in sid):
        return "学生 ID 不能含空格 / a student id cannot hold spaces"
    return None


ID_FILE = ".course-student"  # in the course folder: the id asked for once


def _student_id(explicit, course: Path):
    """The student id: --student, $COURSE_STUDENT, the course folder's .course-student, else
    asked for on a terminal (and remembered there); None when there is no way to know."""
    sid = explicit or os.environ.get("COURSE_STUDENT")
    if not sid:
        try:
            sid = (course / ID_FILE).read_text(encoding="utf-8").strip() or None
        except OSError:
            sid = None
    if not sid and sys.stdin is not None and sys.stdin.isatty():
        sid = input("你的学号 / your student id: ").strip()
        if sid and not student_id_problem(sid):
            try:
                (course / ID_FILE).write_text(sid + "\n", encoding="utf-8")
            except OSError:
                pass
    return sid or None


def submit(notebooks, student=None, out=None, exchange=False, run_checks=True) -> int:
    """``<student>_<lesson>.zip`` holding ``<lesson>.ipynb`` (what ``course grade`` and
    ``nbgrader zip_collect`` read) in ``out`` (default: the course folder's git-ignored
    ``submissions/``), or ``nbgrader submit`` into the configured exchange. The visible checks
    run first, so the student knows what is unfinished or failing before handing it in."""
    code = 0
    for nbp in notebooks:
        nbp = Path(nbp)
        lesson = nbp.stem
        if not nbp.is_file():
            print(f"✗ 找不到 / not found: {nbp}")
            code = 1
            continue
        course = nbp.resolve().parent.parent
        if run_checks:
            print(f"— {lesson}: 先运行可见检查 / running the visible checks first —")
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                failed = check_notebook(nbp) != 0
            report = buf.getvalue()
            print(report, end="")
            if failed or "not done yet" in report:
                print(f"! {lesson}: 上面列出的练习尚未完成或未通过检查；仍然打包，改好后可以重新提交。/ "
                      f"the exercises listed above are unfinished or fail their checks; packing "
                      f"anyway — you can submit again after fixing them.")
        if exchange:
            code = _submit_exchange(nbp, lesson, student or os.environ.get("COURSE_STUDENT")) or code
            continue
        sid = _student_id(student, course)
        if sid is None:
            print("✗ 不知道你的学号：用 --student ID，或设置 COURSE_STUDENT，或在终端中运行以便输入。/ "
                  "no student id: pass --student ID, set COURSE_STUDENT, or run it in a terminal "
                  "to type it in.")
            return 2
        problem = student_id_problem(sid)
        if problem:
            print(f"✗ 学号无效 / not a valid student id: {sid!r} — {problem}")
            return 2
        dest = Path(out) if out is not None else course / "submissions"
        dest.mkdir(parents=True, exist_ok=True)
        z = dest / f"{sid}_{lesson}.zip"
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
