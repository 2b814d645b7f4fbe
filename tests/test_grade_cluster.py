"""`course grade --cluster`: grading on Dask distributed, with a worker killed mid-task.

在 Dask 集群上评分：本测试启动真实的调度器和两个工作进程（127.0.0.1，空闲端口），评分过程中
用 SIGKILL 杀死一个正在评分的工作进程，检查每名学生只评一次、成绩与本机评分相同、成绩库没有重复。

Without bubblewrap or Dask distributed these tests skip, saying why; on CI (CI=true) that is a
failure.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder import jail
from tests.fixtures.dask_cluster import BIN, dask_cluster, free_port, kill_a_busy_worker
from tests.fixtures.grading_fixtures import blank, mixed, solved

ROOT = Path(__file__).resolve().parent.parent
LESSON = "00_setup"


def _unavailable(why: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"cluster grading tests cannot run on CI: {why}", pytrace=False)
    pytest.skip(why)


@pytest.fixture(scope="module", autouse=True)
def _needs():
    if jail.probe() is not None:
        _unavailable(f"no jail: {jail.probe()}")
    if not (BIN / "dask").exists():
        _unavailable("Dask distributed is not installed (pip install distributed)")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler (address, scheduler file) and two single-threaded workers without nannies
    (a killed worker stays dead), all on 127.0.0.1, stopped at the end."""
    with dask_cluster(tmp_path_factory.mktemp("dask"), ROOT, 2) as (procs, client):
        yield procs, client


def _submissions(root: Path) -> dict:
    """Honest, partial, blank and broken notebooks of 00_setup: ``{student: expected total}``."""
    from autograder.grade import make_template
    course = make_template(LESSON)
    src = json.loads((course / "source" / LESSON / f"{LESSON}.ipynb").read_text())
    rel = json.loads((course / "release" / LESSON / f"{LESSON}.ipynb").read_text())
    kinds = {"honest": solved, "partial": mixed, "blank": blank}
    expected = {}
    for i in range(8):
        kind = ["honest", "partial", "blank", "honest", "partial", "broken", "honest",
                "partial"][i]
        student = f"s{i}_{kind}"
        d = root / student / LESSON
        d.mkdir(parents=True)
        if kind == "broken":
            data, pts = b"{ not a notebook", {}
        else:
            data, pts = kinds[kind](src, rel)
        (d / f"{LESSON}.ipynb").write_bytes(data)
        expected[student] = round(sum(pts.values()), 2)
    return expected


def _course(*args):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PATH=f"{BIN}:{os.environ['PATH']}")
    return subprocess.Popen([sys.executable, "-m", "autograder.cli", "grade", *map(str, args)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _totals(out: Path) -> dict:
    rows = [ln.split(",") for ln in (out / "grades.csv").read_text().splitlines()[1:]]
    return {r[0]: float(r[3]) for r in rows if r[2] == "total"}


def _long(out: Path) -> list:
    return sorted((out / "grades.csv").read_text().splitlines())


def test_cluster_grades_every_student_once_with_a_worker_killed_mid_task(cluster, tmp_path):
    subs = tmp_path / "subs"
    expected = _submissions(subs)
    procs, client = cluster
    out = tmp_path / "out-cluster"
    proc = _course(LESSON, "--submissions", subs, "--out", out, "--cluster", procs.address)
    killed = None
    try:
        deadline = time.monotonic() + 120
        while killed is None and proc.poll() is None and time.monotonic() < deadline:
            # after the first result is in, the next worker seen executing a task is killed
            if any((out / "work" / "results").glob("*.json")):
                killed = kill_a_busy_worker(client, procs)
            time.sleep(0.02)
        stdout, stderr = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert killed is not None, f"no worker was seen executing a task:\n{stderr[-3000:]}"
    address, pid, keys = killed
    worker = next(p for p in procs.workers if p.pid == pid)
    assert worker.wait(timeout=30) == -signal.SIGKILL  # it really died ...
    assert any(k.startswith(f"course-grade-{LESSON}-") for k in keys)  # ... grading someone
    victim = keys[0].split(f"course-grade-{LESSON}-")[1].rsplit("-", 1)[0]
    assert proc.returncode == 0, stderr[-3000:]
    assert "dashboard" in stderr

    totals = _totals(out)
    assert totals == expected  # every student once, the killed worker's student too
    assert victim in totals
    for student in expected:
        assert (out / "feedback" / student / f"{LESSON}.html").is_file()
        assert (out / "work" / "results" / f"{student}.json").is_file()
    with sqlite3.connect(out / "gradebook.db") as db:
        subs_rows = db.execute("SELECT count(*), count(DISTINCT student_id) FROM "
                               "submitted_assignment").fetchone()
        grades = db.execute("SELECT count(*) FROM grade").fetchone()[0]
        cells = db.execute("SELECT count(*) FROM grade_cells").fetchone()[0]
    assert subs_rows == (len(expected), len(expected))
    assert grades == len(expected) * cells

    local = tmp_path / "out-local"
    lp = _course(LESSON, "--submissions", subs, "--out", local, "--jobs", "2")
    _, lerr = lp.communicate(timeout=180)
    assert lp.returncode == 0, lerr[-3000:]
    assert _long(local) == _long(out)  # the same grades, exercise by exercise


def test_scheduler_file_and_bad_addresses(cluster, tmp_path):
    from autograder.cluster import ClusterUnavailable, connect
    procs, _ = cluster
    client, local = connect(str(procs.scheduler_file))
    try:
        assert local is None
        assert client.scheduler.address == procs.address
    finally:
        client.close()
    with pytest.raises(ClusterUnavailable, match="scheduler file not found"):
        connect(str(tmp_path / "missing.json"))
    with pytest.raises(ClusterUnavailable, match="needs a number"):
        connect("local:two")
    with pytest.raises(ClusterUnavailable, match="cannot reach the Dask scheduler"):
        connect(f"tcp://127.0.0.1:{free_port()}", timeout=2)


def test_local_cluster_has_n_single_threaded_workers():
    from autograder.cluster import connect
    client, local = connect("local:2")
    try:
        info = client.scheduler_info()["workers"]
        assert sorted(w["nthreads"] for w in info.values()) == [1, 1]
        assert all(w["host"] == "127.0.0.1" for w in info.values())
    finally:
        client.close()
        local.close()


def test_a_worker_with_another_grader_version_is_rejected(tmp_path, capsys):
    """The worker grades nothing when its grader digest is not the client's, and the client
    does not record a result whose digest differs."""
    from autograder import cluster
    from autograder.grade import Plan, grader_digest, make_template
    course = make_template(LESSON)
    digest = grader_digest(LESSON, course)
    nb = (ROOT / "solutions" / LESSON / f"{LESSON}.ipynb").read_bytes()
    answer = cluster.grade_task(LESSON, "alice", nb, "d", "another-version", {})
    assert answer["result"] is None and answer["grader"] == digest

    class Done:
        def __init__(self, value):
            self.value = value

        def result(self):
            if isinstance(self.value, BaseException):
                raise self.value
            return self.value

    plan = Plan(lesson=LESSON, out=tmp_path, grader="another-version", results=[])
    why = cluster._take(Done(dict(answer, grader="another-version",
                                  result={"grader": digest, "student": "alice",
                                          "lesson": LESSON})), plan, "alice", None)
    assert "another version of the course" in why and "评分版本" in why
    assert plan.results == [] and not (tmp_path / "feedback").exists()


def test_a_task_that_killed_workers_is_a_grader_error_of_that_student(tmp_path):
    """KilledWorker (more deaths than distributed.scheduler.allowed-failures) is said for that
    student, in both languages, and nothing is written for them."""
    import dask
    from distributed import KilledWorker
    from autograder import cluster
    from autograder.grade import Plan

    class Dead:
        def result(self):
            raise KilledWorker("course-grade-00_setup-bob-x", None, 3)

    plan = Plan(lesson=LESSON, out=tmp_path, grader="g", results=[])
    with dask.config.set({"distributed.scheduler.allowed-failures": 2}):
        why = cluster._take(Dead(), plan, "bob", None)
    assert "took down 3 workers" in why and "崩溃" in why
    assert plan.results == [] and not (tmp_path / "feedback").exists()
