"""``--jobs N`` = N students graded at once (one sandbox each, ≈ one core each), never more,
and the slots are used. 并行评分：同时最多 N 个沙箱。"""
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder import grade as g

ROOT = Path(__file__).resolve().parent.parent
LESSON = "00_setup"


class _Sandboxes:
    """A fake hidden-case run that records how many run at once."""

    def __init__(self, seconds=0.05):
        self.lock, self.now, self.peak, self.seconds = threading.Lock(), 0, 0, seconds

    def hidden(self, lesson, todo, **kw):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(self.seconds)
        with self.lock:
            self.now -= 1
        return {ex: SimpleNamespace(fraction=1.0, fatal="", outcomes=[]) for ex in todo}


def _submissions(tmp: Path, n: int) -> Path:
    nb = (ROOT / "solutions" / LESSON / f"{LESSON}.ipynb").read_bytes()
    for i in range(n):
        d = tmp / "subs" / f"s{i:02d}" / LESSON
        d.mkdir(parents=True)
        (d / f"{LESSON}.ipynb").write_bytes(nb)
    return tmp / "subs"


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_jobs_bounds_the_sandboxes_at_work(jobs, tmp_path, monkeypatch):
    from autograder import jail
    boxes = _Sandboxes()
    monkeypatch.setattr(g, "grade_exercises", boxes.hidden)
    monkeypatch.setattr(jail, "probe", lambda: None)  # no sandbox runs here
    n = 8
    res = g.grade(LESSON, _submissions(tmp_path, n), tmp_path / "out", jobs=jobs,
                  progress=False)
    assert len(res) == n and all(r["total"] == r["max_score"] == 100 for r in res)
    assert boxes.peak == jobs, (boxes.peak, jobs)  # never more, and the slots are used


def test_default_jobs_is_the_cores_at_most_8():
    import os

    from autograder.cli import _default_jobs
    assert _default_jobs() == max(1, min(8, len(os.sched_getaffinity(0))))


@pytest.mark.parametrize("slots", [1, 2])
def test_the_pieces_of_one_notebook_share_the_jail_slots(slots, monkeypatch):
    """Each piece has a jail of its own; a notebook's jails run side by side, at most ``slots``
    (``--jobs``) at once. 一份 notebook 的各练习并行评分，但不超过 --jobs 个沙箱。"""
    import json

    from autograder import jail, sandbox
    from autograder.hidden_grade import grade_exercises
    boxes = _Sandboxes()

    def session(uid, pieces, todo, outs, *a, **kw):
        boxes.hidden(None, {})
        return []

    monkeypatch.setattr(sandbox, "_session_as", session)
    monkeypatch.setattr(jail, "require", lambda: None)
    monkeypatch.setattr(sandbox.jail_slots, "n", slots)
    lesson = "01_tensors"
    nb = json.loads((ROOT / "solutions" / lesson / f"{lesson}.ipynb").read_text())
    answers = {c["metadata"]["nbgrader"]["grade_id"][3:]: "".join(c["source"])
               for c in nb["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "").startswith("ex_")}
    assert len(answers) > slots
    got = grade_exercises(lesson, answers)
    assert set(got) == set(answers) and boxes.peak == slots, (boxes.peak, slots)
