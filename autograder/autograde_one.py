"""nbgrader autograde + generate_feedback of one submission; a reusable worker process.

对一份提交运行 nbgrader autograde 与 generate_feedback；工作进程可重复使用（每份提交仍用
全新的内核）。

``python -m autograder.autograde_one JOB.json`` grades one job; ``--serve`` reads job paths
from stdin (one per line) and answers ``DONE <code>`` per job, so nbgrader is imported once per
worker. JOB names the scratch course dir (a copy of the template course with its gradebook),
student, lesson, the hidden-case score of every test cell, the blocked paths and the kernel
memory limit. Kernels inherit PYTHONPATH=kernel_guard, whose sitecustomize installs the guard.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text())
    root = Path(job["course"])
    os.environ.update({
        "PYTHONPATH": os.pathsep.join([str(HERE / "kernel_guard"), str(HERE.parent)]),
        "COURSE_GUARD_BLOCKED": os.pathsep.join(job["blocked"]),
        "COURSE_GUARD_ALLOWED": str(root),
        "COURSE_GUARD_HARD": os.pathsep.join(job["hard"]),
        "COURSE_GUARD_MEM_MB": str(job["mem_mb"]),
        "COURSE_GUARD_NO_TORCH": "1",
        "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
        "OPENBLAS_NUM_THREADS": "1",
        "HOME": str(root / ".home"),
        "MPLCONFIGDIR": str(root / ".home" / "mpl"),
        "MPLBACKEND": "agg",
    })
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from autograder.config import ensure_bin_on_path, nbgrader_config
    ensure_bin_on_path()
    c = nbgrader_config(root, f"sqlite:///{root / 'gradebook.db'}", source="source",
                        release="release")
    c.Execute.timeout = int(job["cell_timeout"])
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute

    from autograder.nb_execute import BudgetExecute
    c.Autograde.autograde_preprocessors = [
        BudgetExecute if p is Execute else p
        for p in Autograde.class_traits()["autograde_preprocessors"].default()]
    c.BudgetExecute.notebook_budget = int(job["nb_budget"])
    # the kernel's state is thrown away: kill it (and its process group) at once instead of a
    # graceful shutdown that waits 0.1–3.5 s per notebook. 评分后直接结束内核，不等待。
    c.BudgetExecute.shutdown_kernel = "immediate"
    # …and none of jupyter_client's fixed sleeps at kernel start and kill (fast_kernel.py)
    c.BudgetExecute.kernel_manager_class = "autograder.fast_kernel.FastKernelManager"
    (root / ".home").mkdir(exist_ok=True)
    api = NbGraderAPI(CourseDirectory(config=c), config=c)
    lesson, student = job["lesson"], job["student"]
    t0 = time.monotonic()
    res = api.autograde(lesson, student, force=True, create=True)
    t1 = time.monotonic()
    if not res.get("success"):
        print(res.get("log", ""), res.get("error", ""), file=sys.stderr)
        return 3
    scores_file = Path(job["scores_file"])  # the hidden-case scores, written by the parent
    deadline = time.monotonic() + float(job.get("scores_wait", 600))
    while not scores_file.exists():
        if time.monotonic() > deadline:
            return 6
        time.sleep(0.02)
    scores = json.loads(scores_file.read_text())
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for cell, score in scores.items():
            g = gb.find_grade(cell, lesson, lesson, student)
            g.auto_score = float(score)
        gb.db.commit()
    t2 = time.monotonic()
    res = api.generate_feedback(lesson, student, force=True)
    if not res.get("success"):
        print(res.get("log", ""), res.get("error", ""), file=sys.stderr)
        return 4
    print(f"[course] {student}/{lesson}: autograde {t1 - t0:.1f} s, waited for hidden "
          f"{t2 - t1:.1f} s, feedback {time.monotonic() - t2:.1f} s", file=sys.stderr)
    return 0


def serve() -> int:
    sys.path.insert(0, str(HERE.parent))
    from autograder.fastimport import install
    install()
    for line in sys.stdin:
        path = line.strip()
        if not path:
            continue
        if path == "--warm":
            import nbgrader.apps  # noqa: F401  (the slow import, done before the first job)

            from autograder.template_cache import install as share_templates
            share_templates()  # feedback templates compiled once per worker
            continue
        try:
            code = run(path)
        except Exception as e:  # noqa: BLE001  one bad notebook never stops the worker
            print(f"{type(e).__name__}: {e}", file=sys.stderr)
            code = 5
        sys.stderr.flush()
        sys.stdout.write(f"DONE {code}\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    from autograder.fastimport import install
    install()
    if sys.argv[1:] == ["--serve"]:
        sys.exit(serve())
    sys.exit(run(sys.argv[1]))
