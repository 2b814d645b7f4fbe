"""Grading benchmark (not a timed test). 评分性能基准（不是计时测试）。

    python benchmarks/grading_bench.py seven            # one student's seven lessons (grade all)
    python benchmarks/grading_bench.py jobs --n 100     # N submissions of one lesson, jobs 1 vs 2

Submissions are the solution notebooks (every exercise passes, every cell runs). The
template course of each lesson is built once beforehand (cached in .course/templates), as it
is for an instructor who grades more than once.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.grade import grade, grade_many, make_template  # noqa: E402
from autograder.release import lesson_ids  # noqa: E402


def _subs(tmp: Path, lesson: str, n: int) -> Path:
    subs = tmp / f"subs-{lesson}-{n}"
    for i in range(n):
        d = subs / f"s{i:03d}" / lesson
        d.mkdir(parents=True)
        shutil.copyfile(ROOT / "solutions" / lesson / f"{lesson}.ipynb", d / f"{lesson}.ipynb")
    return subs


def _cpu() -> float:
    import resource
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def seven(tmp: Path) -> None:
    """`course grade all --submissions S --out O` for one student who did every lesson."""
    lessons = lesson_ids()
    subs = tmp / "subs"
    for lesson in lessons:
        make_template(lesson)
        d = subs / "student" / lesson
        d.mkdir(parents=True)
        shutil.copyfile(ROOT / "solutions" / lesson / f"{lesson}.ipynb", d / f"{lesson}.ipynb")
    t, cpu0 = time.perf_counter(), _cpu()
    res = grade_many(lessons, subs, tmp / "out", jobs=1, progress=False)
    total = time.perf_counter() - t
    for lesson, r in res.items():
        print(f"{lesson:14s} {r[0]['seconds']:6.1f} s  score {r[0]['total']:g}/"
              f"{r[0]['max_score']:g}")
    print(f"one student, {len(lessons)} lessons: {total:.1f} s wall (target < 60 s), "
          f"{_cpu() - cpu0:.1f} s CPU (self + finished children; kernels not counted)")


def jobs(tmp: Path, lesson: str, n: int) -> None:
    make_template(lesson)
    subs = _subs(tmp, lesson, n)
    times = {}
    for j in (1, 2):
        t = time.perf_counter()
        grade(lesson, subs, tmp / f"out-j{j}", jobs=j, progress=True)
        times[j] = time.perf_counter() - t
        print(f"--jobs {j}: {times[j]:.1f} s for {n} submissions of {lesson}")
    print(f"speed-up --jobs 2 vs --jobs 1: {times[1] / times[2]:.2f}x")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["seven", "jobs"])
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--lesson", default="00_setup")
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        if a.mode == "seven":
            seven(Path(tmp))
        else:
            jobs(Path(tmp), a.lesson, a.n)


if __name__ == "__main__":
    main()
