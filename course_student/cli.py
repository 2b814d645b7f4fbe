"""The student's course command: check, status, submit, doctor. 学生的 course 命令。

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
    return submit([Path(p) for p in args.notebooks], student=args.student,
                  out=Path(args.out) if args.out else None, exchange=args.exchange,
                  run_checks=not args.no_check)


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
    s.add_argument("--student", default=None,
                   help="学号 / student id (default: $COURSE_STUDENT, the course folder's "
                        ".course-student, or asked for once)")
    s.add_argument("--out", default=None,
                   help="zip 的输出目录（默认：课程文件夹的 submissions/）/ folder for the zip files "
                        "(default: the course folder's submissions/)")
    s.add_argument("--no-check", action="store_true",
                   help="不先运行可见检查 / do not run the visible checks first")
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


#: argparse's own messages (English only) → both languages; %s/%(…)s parts are kept as they are
_MESSAGES = [
    (r"the following arguments are required: (.*)", "缺少必需的参数：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
    (r"argument (\S+): invalid choice: (.*)", "参数 {0} 的取值无效：{1}"),
    (r"argument (\S+): invalid (\w+) value: (.*)", "参数 {0} 需要 {1} 类型的值，得到 {2}"),
    (r"argument (\S+): expected one argument", "参数 {0} 需要一个值"),
    (r"argument (\S+): expected at least one argument", "参数 {0} 至少需要一个值"),
    (r"argument (\S+): not allowed with argument (.*)", "参数 {0} 不能与 {1} 一起使用"),
    (r"ambiguous option: (.*)", "有歧义的选项：{0}"),
]


class BilingualParser(argparse.ArgumentParser):
    """argparse with its errors in both languages and an exit code of 2, as argparse's.

    出错时用中英文说明，并提示 --help。"""

    def error(self, message):
        import re
        zh = None
        for pattern, text in _MESSAGES:
            m = re.fullmatch(pattern, message)
            if m:
                zh = text.format(*m.groups())
                break
        self.print_usage(sys.stderr)
        lines = [f"{self.prog}: 错误 / error: {zh} / {message}" if zh
                 else f"{self.prog}: 错误 / error: {message}",
                 f"运行 / run `{self.prog} --help` 查看用法 / for usage"]
        self.exit(2, "\n".join(lines) + "\n")


def version_text() -> str:
    """``course X (course_lib X, Python X)`` for --version."""
    import platform
    try:
        from importlib.metadata import version
        v = version("course-lib")
    except Exception:  # noqa: BLE001 - not installed as a distribution (a plain checkout)
        v = "unknown"
    try:
        import course_lib
        lib = course_lib.__version__
    except Exception:  # noqa: BLE001 - a broken course_lib must not break --version
        lib = "not importable / 无法导入"
    return f"course {v} (course_lib {lib}, Python {platform.python_version()})"


def new_parser(description: str) -> argparse.ArgumentParser:
    """The top-level ``course`` parser (student's or instructor's): bilingual errors, --version."""
    p = BilingualParser(prog="course", description=description,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=version_text(),
                   help="显示版本 / show the version")
    return p


def build_parser() -> argparse.ArgumentParser:
    p = new_parser(__doc__)
    add_student_commands(p.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
