"""The ``course`` command. ``course`` 命令。

    course release [--check]            lessons/ + student build from solutions/
    course check NOTEBOOK               student self-check (visible checks), bilingual
    course submit NOTEBOOK...           zip for the LMS (or an nbgrader exchange)
    course grade LESSON --submissions DIR --out DIR [--jobs N] [--db URL]
    course feedback LESSON --submissions DIR --out DIR   hand feedback back (nbgrader exchange)
    course status                       which exercises are done
    course doctor                       environment check
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import ROOT


def _release(args) -> int:
    from . import release
    return release.main(args)


def _grade(args) -> int:
    from . import grade
    return grade.main(args)


def _check(args) -> int:
    from .student import check_notebook
    return check_notebook(Path(args.notebook), timeout=args.timeout)


def _submit(args) -> int:
    from .student import submit
    return submit([Path(p) for p in args.notebooks], student=args.student, out=Path(args.out),
                  exchange=args.exchange)


def _feedback(args) -> int:
    from .handback import release
    return release(args.lesson, args.submissions, args.out)


def _status(args) -> int:
    from .student import status
    return status(Path(args.lessons))


def _doctor(args) -> int:
    try:
        from . import doctor
    except ImportError as e:
        print(f"course doctor 尚未安装 / is not available yet: {e}", file=sys.stderr)
        return 2
    return doctor.main(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="course", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("release", help="生成 lessons/ 与学生版 course_lib / build lessons/ and "
                                       "the student build from solutions/")
    s.add_argument("--check", action="store_true",
                   help="只检查 lessons/ 是否最新且无泄露 / only check that lessons/ is up to date "
                        "and leaks no solution or hidden-test text")
    s.set_defaults(func=_release)

    s = sub.add_parser("check", help="自查一个 notebook / self-check a lesson notebook")
    s.add_argument("notebook", help="lessons/NN_topic/NN_topic.ipynb")
    s.add_argument("--timeout", type=int, default=120, help="每个单元格的秒数 / seconds per cell")
    s.set_defaults(func=_check)

    s = sub.add_parser("submit", help="打包提交 / pack notebooks for submission")
    s.add_argument("notebooks", nargs="+", help="lesson notebooks / 课程 notebook")
    s.add_argument("--student", default=None, help="学生 ID / student id (default: $USER)")
    s.add_argument("--out", default=".", help="zip 的输出目录 / folder for the zip files")
    s.add_argument("--exchange", action="store_true",
                   help="通过 nbgrader exchange 提交 / submit through the configured nbgrader exchange")
    s.set_defaults(func=_submit)

    s = sub.add_parser("grade", help="批量评分 / grade all submissions of a lesson")
    s.add_argument("lesson", nargs="+", help="e.g. 05_nn (several, or 'all': one "
                                             "OUT/<lesson>/ each, sharing the workers)")
    s.add_argument("--submissions", required=True,
                   help="STUDENT/LESSON/*.ipynb 或 LMS 的 zip 文件 / folders or LMS zip files")
    s.add_argument("--out", required=True, help="grades.csv, feedback/, work/")
    s.add_argument("--jobs", type=int, default=_default_jobs(),
                   help="同时工作的评分进程数（每个约占一个 CPU 核；默认：本机核数，最多 8）/ "
                        "grading processes at work at once, about one CPU core each "
                        "(default: this machine's cores, at most 8; %(default)s here)")
    s.add_argument("--db", default=None, help="SQLAlchemy URL of the gradebook "
                                              "(default: sqlite in OUT)")
    s.add_argument("--cell-timeout", type=int, default=60, help="seconds per notebook cell")
    s.add_argument("--timeout", type=int, default=600, help="seconds per notebook")
    s.set_defaults(func=_grade)

    s = sub.add_parser("feedback", help="通过 nbgrader exchange 发回反馈 / hand the feedback "
                                        "of `course grade` back through the nbgrader exchange")
    s.add_argument("lesson", help="e.g. 05_nn")
    s.add_argument("--submissions", required=True,
                   help="course grade 用过的 submitted/ 文件夹 / the submitted/ folder that was graded")
    s.add_argument("--out", required=True, help="course grade 的 --out / the --out of course grade")
    s.set_defaults(func=_feedback)

    s = sub.add_parser("status", help="哪些练习已完成 / which exercises are done")
    s.add_argument("--lessons", default=str(ROOT / "lessons"),
                   help="folder with NN_topic/NN_topic.ipynb and the student build")
    s.set_defaults(func=_status)

    s = sub.add_parser("doctor", help="检查环境 / check the environment")
    try:
        from . import doctor
        doctor.add_arguments(s)
    except ImportError:
        pass
    s.set_defaults(func=_doctor)
    return p


def _default_jobs() -> int:
    import os
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


def main(argv=None) -> int:
    from .fastimport import install
    install()  # nbformat/nbgrader import in 0.2 s instead of 1.5 s
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
