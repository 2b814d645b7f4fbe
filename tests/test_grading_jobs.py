"""``--jobs N`` = N grading tasks at work at once (hidden cases or notebook, ≈ one core each),
never more, never a deadlock, and the cores stay busy. 并行评分的调度：同时最多 N 个任务。"""
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder import grade as g

ROOT = Path(__file__).resolve().parent.parent
LESSON = "00_setup"


class _Tasks:
    """Fake hidden-case and notebook tasks that record how many run at once."""

    def __init__(self, seconds=0.05):
        self.lock, self.now, self.peak, self.seconds = threading.Lock(), 0, 0, seconds
        self.events = []

    def _busy(self, what, student):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
            self.events.append((what, student))
        time.sleep(self.seconds)
        with self.lock:
            self.now -= 1

    def hidden(self, lesson, todo, *, scratch, **kw):
        self._busy("hidden", scratch.name)
        return {ex: SimpleNamespace(fraction=1.0, fatal="", outcomes=[]) for ex in todo}

    def notebook(self, lesson, student, nb, course, scratch, scores_file, *args):
        while not scores_file.exists():  # as the real worker: feedback needs the scores
            time.sleep(0.005)
        self._busy("notebook", student)
        return "<html>feedback</html>"


def _submissions(tmp: Path, n: int) -> Path:
    nb = (ROOT / "solutions" / LESSON / f"{LESSON}.ipynb").read_bytes()
    for i in range(n):
        d = tmp / "subs" / f"s{i:02d}" / LESSON
        d.mkdir(parents=True)
        (d / f"{LESSON}.ipynb").write_bytes(nb)
    return tmp / "subs"


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_jobs_bounds_the_tasks_at_work(jobs, tmp_path, monkeypatch):
    tasks = _Tasks()
    monkeypatch.setattr(g, "grade_exercises", tasks.hidden)
    monkeypatch.setattr(g.worker, "autograde", tasks.notebook)
    monkeypatch.setattr(g.worker, "start_pool", lambda n, logdir: SimpleNamespace(close=lambda: 0))
    n = 8
    done = {}
    t = threading.Thread(target=lambda: done.setdefault("res", g.grade(
        LESSON, _submissions(tmp_path, n), tmp_path / "out", jobs=jobs, progress=False)),
        daemon=True)
    t.start()
    t.join(60)
    assert not t.is_alive(), "grading deadlocked"
    res = done["res"]
    assert len(res) == n and all(r["autograded"] for r in res)
    assert all(r["total"] == r["max_score"] for r in res)
    assert tasks.peak == jobs, (tasks.peak, jobs)  # never more, and the slots are used
    for i in range(n):  # a student's notebook starts after their hidden cases began
        s = f"s{i:02d}"
        order = [w for w, who in tasks.events if who == s]
        assert order == ["hidden", "notebook"], order


def test_default_jobs_is_the_cores_at_most_8():
    import os

    from autograder.cli import _default_jobs
    assert _default_jobs() == max(1, min(8, len(os.sched_getaffinity(0))))
