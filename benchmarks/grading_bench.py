"""Grading benchmark (not a timed test). 评分性能基准（不是计时测试）。

    python benchmarks/grading_bench.py seven            # one student's seven lessons
    python benchmarks/grading_bench.py jobs --n 100     # N submissions of one lesson, jobs 1 vs 2
    python benchmarks/grading_bench.py lessons          # each solution notebook, top to bottom
    python benchmarks/grading_bench.py all --n 20       # lessons, seven and jobs (what `make bench` runs)
    python benchmarks/grading_bench.py scale --n 1000   # N generated submissions on a Dask cluster
    ... --snapshot                                      # grade with a copy of git HEAD

``seven``: ``course grade LESSON`` as its own command for each of the seven lessons (what an
instructor types, every start-up cost included), then ``course grade all`` (one command).
``jobs``: ``--jobs 1`` then ``--jobs 2`` on the same N submissions (``--lesson``, default
00_setup). Submissions are the solution notebooks (every exercise passes).
``scale``: N submissions across the seven lessons (honest, partial, blank, broken, hostile; each
unique, each a copy of one of a few templates whose grade is taken by grading the template once
on the local path), graded by ``course grade all --cluster`` on a scheduler and two worker
subprocesses here; one worker is SIGKILLed mid-task at ``--kill-at`` of the run and a
replacement started ``--replace-after`` seconds later. Checks every grade against its template
and the gradebooks for missing or doubled rows; measures throughput, seconds per task per lesson,
the scheduler's overhead per task (no-op tasks) and the client's writes per result, and checks a
model of the wall time against the run (benchmarks/GRADING.md). Take the machine's lock:
``flock /tmp/cpu-heavy.lock python benchmarks/grading_bench.py scale --n 1000 --snapshot``.
The template course of each lesson is built beforehand (cached in .course/templates), as it
is for an instructor who grades more than once. Each figure comes with the load average and
the CPU time the grading used (its processes that were waited for: a jail's processes are
not, so this undercounts) and the share of the two
cores that was busy (``/proc/stat``: everything on the machine, other users' work included).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.grade import make_template  # noqa: E402
from autograder.release import lesson_ids  # noqa: E402


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _stat():
    vals = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return sum(vals), vals[3] + vals[4]  # total, idle + iowait


class Meter:
    """Wall time, CPU time of finished child processes, busy cores of the whole machine."""

    def __enter__(self):
        self.t, self.stat, self.load = time.perf_counter(), _stat(), _load()
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = r.ru_utime + r.ru_stime
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = r.ru_utime + r.ru_stime - self.cpu
        total, idle = _stat()
        dt, di = total - self.stat[0], idle - self.stat[1]
        self.busy = (os.cpu_count() or 1) * (1 - di / dt) if dt else float("nan")
        self.end_load = _load()

    def __str__(self):
        return (f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU, machine busy "
                f"{self.busy:.2f} of {os.cpu_count()} cores, load {self.load} → {self.end_load}")


def _course(*args) -> None:
    """`course grade ARGS`; a grader error is reported and the benchmark goes on (lessons
    under construction), anything else stops it."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", *args], cwd=ROOT,
                       env=env, capture_output=True, text=True)
    if r.returncode == 1 and "grader error" in r.stderr:
        print("  ! grader error: " + next((ln for ln in r.stderr.splitlines()
                                          if "grader error" in ln), "")[:200])
    elif r.returncode:
        sys.exit(r.stdout + r.stderr)


def _total(csv_path: Path) -> str:
    lines = csv_path.read_text().strip().splitlines() if csv_path.exists() else []
    if len(lines) < 2:
        return "not graded"
    last = lines[-1].split(",")
    return f"{last[3]}/{last[4]}"


def seven(tmp: Path) -> None:
    lessons = lesson_ids()
    subs = tmp / "subs"
    for lesson in lessons:
        make_template(lesson)
        d = subs / "student" / lesson
        d.mkdir(parents=True)
        shutil.copyfile(ROOT / "solutions" / lesson / f"{lesson}.ipynb", d / f"{lesson}.ipynb")
    print("one `course grade LESSON` command per lesson:")
    with Meter() as all7:
        for lesson in lessons:
            with Meter() as m:
                _course(lesson, "--submissions", str(subs), "--out", str(tmp / lesson))
            print(f"  {lesson:14s} {m.wall:5.1f} s  score {_total(tmp / lesson / 'grades.csv')}")
    print(f"one student, {len(lessons)} lessons, 7 commands: {all7}  (target < 30 s)")
    with Meter() as m:
        _course("all", "--submissions", str(subs), "--out", str(tmp / "all"))
    print(f"one student, `course grade all` (one command): {m}")


def jobs(tmp: Path, lesson: str, n: int) -> None:
    make_template(lesson)
    subs = tmp / f"subs-{lesson}-{n}"
    for i in range(n):
        d = subs / f"s{i:03d}" / lesson
        d.mkdir(parents=True)
        shutil.copyfile(ROOT / "solutions" / lesson / f"{lesson}.ipynb", d / f"{lesson}.ipynb")
    walls = {}
    for j in (1, 2):
        out = tmp / f"out-j{j}"
        with Meter() as m:
            _course(lesson, "--submissions", str(subs), "--out", str(out), "--jobs", str(j))
        walls[j] = m.wall
        scores = {ln.split(",")[3] for ln in (out / "grades.csv").read_text().splitlines()
                  if ",total," in ln}
        print(f"--jobs {j}: {n} submissions of {lesson}: {m}; {m.wall / n:.2f} s and "
              f"{m.cpu / n:.2f} s CPU per submission; totals {sorted(scores)}")
        _explain(out)
    print(f"speed-up --jobs 2 vs --jobs 1: {walls[1] / walls[2]:.2f}x")


def _explain(out: Path) -> None:
    """Say why any submission (all of them solutions) lost points."""
    import json
    reasons = {}
    for f in sorted((out / "work" / "results").glob("*.json")):
        res = json.loads(f.read_text())["result"]
        for r in res["exercises"]:
            if r["score"] < r["max_score"]:
                why = r["reason"] or "; ".join(c["reason"] for c in r["cases"] if not c["passed"])
                reasons.setdefault(why[:200], []).append(f"{res['student']}/{r['exercise']}")
    for why, who in reasons.items():
        print(f"  ! {len(who)} × {why}  (e.g. {', '.join(who[:3])})")


def lessons() -> None:
    """Each solution notebook top to bottom in a fresh kernel (what a student's laptop does)."""
    import nbformat
    from nbclient import NotebookClient
    env = dict(os.environ, MPLBACKEND="agg", OPENBLAS_NUM_THREADS="1")
    print("each lesson, top to bottom (solutions, fresh kernel) / 每课从头运行到尾:", flush=True)
    total = 0.0
    for lesson in lesson_ids():
        path = ROOT / "solutions" / lesson / f"{lesson}.ipynb"
        nb = nbformat.read(path, as_version=4)
        t = time.perf_counter()
        NotebookClient(nb, timeout=120, kernel_name="python3", env=env,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        total += (dt := time.perf_counter() - t)
        print(f"  {lesson:<14} {dt:5.1f} s  (kernel start included)", flush=True)
    print(f"seven lessons: {total:.1f} s in all (target: each well under 60 s)", flush=True)


def _in_snapshot() -> int:
    """Run this benchmark again inside a copy of HEAD (template and grading-build caches
    copied along: a build is used only if its content key matches)."""
    with tempfile.TemporaryDirectory(prefix="grading-bench-tree-") as tree:
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        for cache in ("templates", "grading"):  # as for an instructor who grades again
            if (ROOT / ".course" / cache).is_dir():
                shutil.copytree(ROOT / ".course" / cache, Path(tree) / ".course" / cache,
                                symlinks=True)
        argv = [a for a in sys.argv[1:] if a != "--snapshot"]
        print(f"(a copy of HEAD in {tree})", flush=True)
        return subprocess.run([sys.executable, str(Path(tree) / "benchmarks" /
                                                   "grading_bench.py"), *argv]).returncode


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["seven", "jobs", "lessons", "all", "scale"])
    p.add_argument("--n", type=int, default=100, help="submissions (jobs and scale modes)")
    p.add_argument("--kill-at", type=float, default=0.3,
                   help="scale: SIGKILL a busy worker when this share of tasks is done")
    p.add_argument("--replace-after", type=float, default=20.0,
                   help="scale: start a replacement worker this many seconds after the kill "
                        "(negative: none)")
    p.add_argument("--noop", type=int, default=5000, help="scale: no-op tasks timed")
    p.add_argument("--lesson", default="00_setup", help="lesson (jobs mode)")
    p.add_argument("--snapshot", action="store_true",
                   help="grade with a copy of git HEAD (immune to edits of course_lib during "
                        "the run, which the grader turns into grader errors)")
    a = p.parse_args()
    if a.snapshot:
        sys.exit(_in_snapshot())
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        if a.mode in ("lessons", "all"):
            lessons()
        if a.mode in ("seven", "all"):
            seven(Path(tmp))
        if a.mode in ("jobs", "all"):
            jobs(Path(tmp), a.lesson, a.n)
        if a.mode == "scale":
            from scale_bench import scale
            scale(Path(tmp), a.n, kill_at=a.kill_at, replace_after=a.replace_after,
                  noop=a.noop)


if __name__ == "__main__":
    main()
