"""A pool of reusable nbgrader autograde workers (``autograde_one --serve``).

可重复使用的 nbgrader 自动评分工作进程池：nbgrader 在每个工作进程中只导入一次，每份提交仍使用
全新的内核与自己的临时课程目录。

Each worker imports nbgrader once (while the first hidden cases run) and then grades one job
at a time with a fresh kernel; it is killed with its kernels and restarted when a notebook
runs past its budget. :func:`autograde` copies the template course into the student's
scratch dir, writes the job file and hands it to a free worker.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
from pathlib import Path

from .config import ROOT

MPL_CACHE = ROOT / ".course" / "mpl"  # matplotlib's font list, built once per machine
_POOL: "Pool | None" = None


class _Worker:
    """One ``autograde_one --serve`` process."""

    def __init__(self, log: Path):
        self.proc, self.log = None, log
        self.start()  # warm: nbgrader is imported while the first hidden cases run

    def start(self):
        if self.proc is None or self.proc.poll() is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            with open(self.log, "ab") as err:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "autograder.autograde_one", "--serve"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, cwd=ROOT,
                    env=dict(os.environ, PYTHONPATH=str(ROOT)), start_new_session=True)
            self.proc.stdin.write(b"--warm\n")  # import nbgrader now
            self.proc.stdin.flush()

    def run(self, job: Path, timeout: float):
        import select
        self.start()
        try:
            self.proc.stdin.write(f"{job}\n".encode())
            self.proc.stdin.flush()
            ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
            line = self.proc.stdout.readline() if ready else b""
        except (BrokenPipeError, OSError):
            line = b""
        if line.startswith(b"DONE "):
            return int(line.split()[1])
        self.close()
        return None

    def close(self):
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, 9)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait()
            self.proc = None


class Pool:
    def __init__(self, n: int, logdir: Path):
        self.free = queue.Queue()
        self.all = [_Worker(logdir / f"autograde-{i}.log") for i in range(n)]
        for w in self.all:
            self.free.put(w)

    def close(self):
        for w in self.all:
            w.close()


def start_pool(n: int, logdir: Path) -> Pool:
    """Start ``n`` workers (the pool that :func:`autograde` uses)."""
    global _POOL
    _POOL = Pool(n, logdir)
    return _POOL


def _seed_mpl(dest: Path) -> None:
    """Copy matplotlib's font list into a fresh MPLCONFIGDIR (≈0.2 s saved per kernel)."""
    try:
        if not MPL_CACHE.is_dir():
            import threading
            tmp = MPL_CACHE.with_name(f".mpl-{os.getpid()}-{threading.get_ident()}")
            subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"],
                           env=dict(os.environ, MPLCONFIGDIR=str(tmp), MPLBACKEND="agg"),
                           capture_output=True, timeout=120)
            try:
                if list(tmp.glob("fontlist-*.json")):
                    os.rename(tmp, MPL_CACHE)  # fails if another run made it first
            except OSError:
                pass
            shutil.rmtree(tmp, ignore_errors=True)
        dest.mkdir(parents=True, exist_ok=True)
        for f in MPL_CACHE.glob("fontlist-*.json"):
            shutil.copyfile(f, dest / f.name)
    except (OSError, subprocess.SubprocessError):
        pass  # only slower: matplotlib builds it again


def autograde(lesson, student, nb, course, scratch, scores_file, cell_timeout, nb_budget, wait,
              mem_mb, blocked):
    """nbgrader autograde + generate_feedback in a worker; the feedback HTML or None."""
    sc = scratch / "course"
    sc.mkdir(parents=True)
    for d in ("source", "release"):
        shutil.copytree(course / d, sc / d)
    shutil.copyfile(course / "gradebook.db", sc / "gradebook.db")
    sub = sc / "submitted" / student / lesson
    sub.mkdir(parents=True)
    (sub / f"{lesson}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    _seed_mpl(sc / ".home" / "mpl")
    job = {"course": str(sc), "lesson": lesson, "student": student, "mem_mb": mem_mb,
           "cell_timeout": cell_timeout,
           "blocked": [str(Path(b).resolve()) for b in (*blocked, ROOT / "autograder",
                                                        ROOT / "solutions", course)],
           "hard": [str(sc / "gradebook.db"), str(sc / "source"), str(sc / "release")],
           "scores_file": str(scores_file), "scores_wait": wait, "nb_budget": nb_budget}
    (scratch / "job.json").write_text(json.dumps(job))
    w = _POOL.free.get()
    try:
        code = w.run(scratch / "job.json", wait)
    finally:
        _POOL.free.put(w)
    fb = sc / "feedback" / student / lesson / f"{lesson}.html"
    try:
        return fb.read_text(encoding="utf-8", errors="replace") if code == 0 else None
    except OSError:
        return None
