"""`course feedback LESSON --submissions DIR --out DIR`: hand the feedback of `course grade`
back through nbgrader's exchange.

把 `course grade` 生成的反馈通过 nbgrader exchange 发回给学生：学生在 JupyterLab 的 Assignments
页面点 “Fetch Feedback”（或运行 `nbgrader fetch_feedback LESSON`）即可看到带隐藏用例结果的反馈。

Works for submissions made through the exchange (`course submit --exchange` or JupyterLab's
Assignments tab, then `nbgrader collect LESSON`): each holds ``timestamp.txt`` and
``submission_secret.txt``, from which nbgrader names the feedback file so that only that student
can fetch it. Our page (``feedback.py``: scores, hidden cases, each exercise's text with its
maths as MathML, the answers; no script, so it also shows in JupyterLab's HTML viewer, offline)
is laid out as nbgrader's ``feedback/STUDENT/LESSON/NOTEBOOK.html`` in ``OUT/work/handback`` and
released by ``nbgrader release_feedback``, run in the current folder so that its
nbgrader_config.py (``Exchange.root``, ``CourseDirectory.course_id``) applies. Students graded
from LMS zip files have no secret: their pages stay in ``OUT/feedback/`` to hand back by hand.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .config import ensure_bin_on_path


def stage(lesson: str, submissions: Path, out: Path) -> tuple[list, list]:
    """Lay out the feedback as nbgrader's; return (staged students, skipped with reasons)."""
    from .grade import collect, load_result
    root = out / "work" / "handback"
    shutil.rmtree(root, ignore_errors=True)
    found = collect(lesson, submissions, out / "work")
    staged, skipped = [], []
    for res_file in sorted((out / "work" / "results").glob("*.json")):
        res = load_result(out / "work", res_file.stem)  # only results this run folder signed
        if res is None:
            continue
        student = res.get("student")
        if res.get("lesson") != lesson or student is None:
            continue
        page = out / "feedback" / student / f"{lesson}.html"
        nb = found.get(student)
        sub = nb.parent if nb is not None else None
        if not page.is_file():
            skipped.append((student, "没有反馈页面 / no feedback page"))
        elif sub is None or not (sub / "submission_secret.txt").is_file() \
                or not (sub / "timestamp.txt").is_file():
            skipped.append((student, "不是通过 exchange 提交的（请手动发回 HTML）/ not submitted "
                                     "through the exchange (hand the HTML back yourself)"))
        else:
            dest = root / "feedback" / student / lesson
            dest.mkdir(parents=True)
            shutil.copyfile(page, dest / f"{nb.stem}.html")
            for name in ("submission_secret.txt", "timestamp.txt"):
                shutil.copyfile(sub / name, dest / name)
            staged.append(student)
    return staged, skipped


def release(lesson: str, submissions, out) -> int:
    out, submissions = Path(out).resolve(), Path(submissions).resolve()
    if not (out / "work" / "results").is_dir():
        print(f"✗ {out} 中没有评分结果，请先运行 course grade / no grading results in {out}: run "
              f"`course grade {lesson} --submissions ... --out {out}` first", file=sys.stderr)
        return 2
    staged, skipped = stage(lesson, submissions, out)
    for student, why in skipped:
        print(f"… {student}: {why}")
    if not staged:
        print("✗ 没有可以发回的反馈 / no feedback to release", file=sys.stderr)
        return 1
    ensure_bin_on_path()
    r = subprocess.run([sys.executable, "-m", "nbgrader", "release_feedback", lesson,
                        f"--CourseDirectory.root={out / 'work' / 'handback'}"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout + r.stderr, file=sys.stderr)
        print("✗ nbgrader release_feedback 失败（exchange 是否已在 nbgrader_config.py 中配置？）/ "
              "nbgrader release_feedback failed (is an exchange configured in nbgrader_config.py "
              "here?)", file=sys.stderr)
        return r.returncode
    print(f"✓ {lesson}: 已发回 {len(staged)} 名学生的反馈 / feedback released to {len(staged)} "
          f"student(s); they fetch it in the Assignments tab or with `nbgrader fetch_feedback "
          f"{lesson}`")
    return 0
