"""One submission through nbgrader autograde + generate_feedback, in its own process.

在独立进程中对一份提交运行 nbgrader autograde 与 generate_feedback。

Usage (internal): ``python -m autograder.autograde_one JOB.json``. JOB names the scratch
course dir (a copy of the template course with its gradebook), student, lesson, the
hidden-case score of every test cell, the blocked paths and the kernel memory limit. The
kernel inherits PYTHONPATH=kernel_guard so its sitecustomize installs the guard.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(job_path: str) -> int:
    job = json.loads(Path(job_path).read_text())
    root = Path(job["course"])
    here = Path(__file__).resolve().parent
    os.environ["PYTHONPATH"] = os.pathsep.join([str(here / "kernel_guard"), str(here.parent)])
    os.environ["COURSE_GUARD_BLOCKED"] = os.pathsep.join(job["blocked"])
    os.environ["COURSE_GUARD_ALLOWED"] = str(root)
    os.environ["COURSE_GUARD_HARD"] = os.pathsep.join(job["hard"])
    os.environ["COURSE_GUARD_MEM_MB"] = str(job["mem_mb"])
    os.environ["JUPYTER_RUNTIME_DIR"] = str(root / ".runtime")
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    sys.path.insert(0, str(here.parent))
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from autograder.config import ensure_bin_on_path, nbgrader_config
    ensure_bin_on_path()
    c = nbgrader_config(root, f"sqlite:///{root / 'gradebook.db'}", source="source",
                        release="release")
    c.Execute.timeout = int(job["cell_timeout"])
    api = NbGraderAPI(CourseDirectory(config=c), config=c)
    lesson, student = job["lesson"], job["student"]
    res = api.autograde(lesson, student, force=True, create=True)
    if not res.get("success"):
        print(res.get("log", ""), res.get("error", ""), file=sys.stderr)
        return 3
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for cell, score in job["scores"].items():
            g = gb.find_grade(cell, lesson, lesson, student)
            g.auto_score = float(score)
        gb.db.commit()
    res = api.generate_feedback(lesson, student, force=True)
    if not res.get("success"):
        print(res.get("log", ""), res.get("error", ""), file=sys.stderr)
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
