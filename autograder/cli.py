"""The instructor's course command. 教师的 course 命令。

    course release [--out DIR] [--reveal LESSON] [--zip] [--git] [--exchange] [--check]
                                        build (and publish) the student course
    course grade LESSON --submissions DIR --out DIR [--jobs N] [--db URL] [--cluster ADDRESS]
    course feedback LESSON --submissions DIR --out DIR   hand feedback back (nbgrader exchange)
    course check | status | submit | doctor   the student commands (course_student.cli)

Students get a course command with only the student commands (course_student.cli, in the
student course).
"""
from __future__ import annotations

import argparse
import sys

from course_student.cli import add_student_commands, new_parser


def _release(args) -> int:
    from . import release
    return release.main(args)


def _grade(args) -> int:
    from . import grade
    return grade.main(args)


def _feedback(args) -> int:
    from .handback import release
    return release(args.lesson, args.submissions, args.out)


def build_parser() -> argparse.ArgumentParser:
    p = new_parser(__doc__)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("release", help="生成学生课程 / build the student course")
    from .release import add_arguments
    add_arguments(s)
    s.set_defaults(func=_release)

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
    s.add_argument("--db", default=None, metavar="URL",
                   help="成绩簿的 SQLAlchemy URL（默认：OUT 中的 SQLite）；多台机器或多个评分进程同时"
                        "写入时用 PostgreSQL，如 postgresql://user@host/course / SQLAlchemy URL of the "
                        "gradebook (default: SQLite in OUT); use PostgreSQL, e.g. "
                        "postgresql://user@host/course, when several machines or grading processes "
                        "write at once")
    s.add_argument("--cluster", default=None, metavar="ADDRESS",
                   help="在 Dask 集群上评分：调度器地址 tcp://host:port、调度器文件（JSON）或 local[:N]"
                        "（本机 N 个单线程工作进程）；工作进程以 --nthreads 1 启动 / grade on Dask "
                        "distributed: a scheduler address, a scheduler file (JSON) or local[:N] "
                        "(N single-threaded worker processes here); start workers with "
                        "--nthreads 1 --nworkers K (autograder/README.md)")
    s.add_argument("--force", action="store_true",
                   help="全部重新评分（默认只评新的或改变了的提交）/ regrade everyone (default: only "
                        "new or changed submissions)")
    s.add_argument("--unsandboxed", action="store_true",
                   help="没有沙箱（bubblewrap）也评分：学生代码可以读取答案、破坏成绩 / grade even "
                        "without the sandbox (bubblewrap): student code could read the answers "
                        "and damage grades")
    s.set_defaults(func=_grade)

    s = sub.add_parser("feedback", help="通过 nbgrader exchange 发回反馈 / hand the feedback "
                                        "of `course grade` back through the nbgrader exchange")
    s.add_argument("lesson", help="e.g. 05_nn")
    s.add_argument("--submissions", required=True,
                   help="course grade 用过的 submitted/ 文件夹 / the submitted/ folder that was graded")
    s.add_argument("--out", required=True, help="course grade 的 --out / the --out of course grade")
    s.set_defaults(func=_feedback)

    add_student_commands(sub)
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
