"""The student's ``course`` command: check, status, submit, doctor. 学生的 ``course`` 命令。

    course check NOTEBOOK        run a lesson notebook and report each visible check
    course status                which exercises are done
    course submit NOTEBOOK...    zip for the course platform (or --exchange: nbgrader submit)
    course doctor                environment check
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _check(args) -> int:
    from .student import check_notebook
    return check_notebook(Path(args.notebook), timeout=args.timeout)


def _submit(args) -> int:
    from .student import submit
    return submit([Path(p) for p in args.notebooks], student=args.student, out=Path(args.out),
                  exchange=args.exchange)


def _status(args) -> int:
    from .student import status
    return status(Path(args.lessons) if args.lessons else None)


def _doctor(args) -> int:
    from . import doctor
    return doctor.main(args)


def add_student_commands(sub, lessons_default=None) -> None:
    """Add check, submit, status and doctor to an argparse sub-command set."""
    s = sub.add_parser("check", help="自查一个 notebook / self-check a lesson notebook")
    s.add_argument("notebook", help="NN_topic/NN_topic.ipynb")
    s.add_argument("--timeout", type=int, default=120, help="每个单元格的秒数 / seconds per cell")
    s.set_defaults(func=_check)

    s = sub.add_parser("submit", help="打包提交 / pack notebooks for submission")
    s.add_argument("notebooks", nargs="+", help="lesson notebooks / 课程 notebook")
    s.add_argument("--student", default=None, help="学生 ID / student id (default: $USER)")
    s.add_argument("--out", default=".", help="zip 的输出目录 / folder for the zip files")
    s.add_argument("--exchange", action="store_true",
                   help="通过 nbgrader exchange 提交 / submit through the configured nbgrader exchange")
    s.set_defaults(func=_submit)

    s = sub.add_parser("status", help="哪些练习已完成 / which exercises are done")
    s.add_argument("--lessons", default=lessons_default,
                   help="含 NN_topic/NN_topic.ipynb 的课程文件夹 / the course folder with "
                        "NN_topic/NN_topic.ipynb (default: the one holding course_lib)")
    s.set_defaults(func=_status)

    from . import doctor
    s = sub.add_parser("doctor", help="检查环境 / check the environment")
    doctor.add_arguments(s)
    s.set_defaults(func=_doctor)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="course", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_student_commands(p.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
