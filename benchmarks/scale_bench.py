"""`grading_bench.py scale --n N`: N generated submissions graded on a Dask cluster here, one
worker killed mid-task (issue 17 point 4). See grading_bench.py's docstring and
benchmarks/GRADING.md. 在本机 Dask 集群上评分 N 份生成的提交，中途杀死一个工作进程。"""
from __future__ import annotations

import copy
import csv
import json
import math
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from grading_bench import ROOT, Meter, _load

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import grading_fixtures as fx  # noqa: E402
from dask_cluster import dask_cluster, kill_a_busy_worker  # noqa: E402

from autograder.cases import case_files, find_key  # noqa: E402
from autograder.grade import make_template  # noqa: E402
from autograder.release import lesson_ids  # noqa: E402

#: share of each kind among the ordinary submissions (the expensive ones are counted below)
WEIGHTS = {"honest": 40, "partial": 25, "blank": 12, "broken_not_json": 4,
           "broken_cell_ids": 4, "broken_syntax": 4, "hostile_read_hidden": 4,
           "hostile_write_outside": 4}
#: few of these, in the whole run: they cost their time limits
QUOTA = {"hostile_endless_loop": 3, "hostile_memory_hog": 5, "hostile_fork_bomb": 5}
FORK_BOMB = "import os\nwhile True:\n    os.fork()"


def templates(lesson: str, out: Path) -> dict:
    """``{kind: notebook bytes}`` of one lesson (``missing``: no notebook at all)."""
    course = make_template(lesson)
    src = json.loads((course / "source" / lesson / f"{lesson}.ipynb").read_text())
    rel = json.loads((course / "release" / lesson / f"{lesson}.ipynb").read_text())
    pts = fx.points(rel)
    first = next(iter(pts))
    ctx = dict(key=find_key(lesson, first), hidden=str(case_files(lesson)[first]),
               out=str(out), student="someone")
    hostile = {k: fx.HOSTILE[v](src, rel, ctx)[0] for k, v in (
        ("hostile_read_hidden", "read_hidden_tests"), ("hostile_write_outside",
                                                       "fake_result_files"),
        ("hostile_memory_hog", "memory_bomb"), ("hostile_endless_loop", "endless_loop"),
        ("broken_cell_ids", "changed_grade_id"))}
    return {"honest": fx.dump(src), "blank": fx.dump(rel), "partial": _partial(src, pts),
            "broken_not_json": b"this is not a notebook {", "broken_syntax":
            fx._touch_first("def broken(:\n    pass")(src, rel, ctx)[0],
            "hostile_fork_bomb": fx._touch_first(FORK_BOMB)(src, rel, ctx)[0],
            "missing": None, **hostile}


def _partial(src: dict, pts: dict) -> bytes:
    """Every other exercise's solution replaced by ``return None``: wrong, but it runs."""
    nb = copy.deepcopy(src)
    for k, ex in enumerate(pts):
        if k % 2:
            c = nb["cells"][fx._index(nb, f"ex_{ex}")]
            lines = "".join(c["source"]).splitlines(keepends=True)
            out, skip = [], False
            for ln in lines:
                if "### BEGIN SOLUTION" in ln:
                    indent = ln[:len(ln) - len(ln.lstrip())]
                    out.append(f"{indent}return None  # wrong on purpose\n")
                    skip = True
                elif "### END SOLUTION" in ln:
                    skip = False
                elif not skip:
                    out.append(ln)
            c["source"] = "".join(out)
    return fx.dump(nb)


def unique(data: bytes | None, student: str) -> bytes | None:
    """The template with the student's id in it (a comment in the first answer cell)."""
    if data is None:
        return None
    try:
        nb = json.loads(data)
    except ValueError:
        return data + f" {student}".encode()
    for c in nb["cells"]:
        gid = ((c.get("metadata") or {}).get("nbgrader") or {}).get("grade_id") or ""
        if gid.startswith("ex_"):
            src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            c["source"] = src + f"\n# submitted by {student}\n"
            break
    else:
        nb.setdefault("metadata", {})["submitted_by"] = student
    return fx.dump(nb)


def _write(subs: Path, student: str, lesson: str, data: bytes | None) -> None:
    d = subs / student
    d.mkdir(parents=True, exist_ok=True)
    if data is not None:
        (d / lesson).mkdir(exist_ok=True)
        (d / lesson / f"{lesson}.ipynb").write_bytes(data)


def _course(*args, log: Path) -> float:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               PYTHONPATH=str(ROOT), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    t = time.perf_counter()
    with open(log, "w") as f:
        r = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", *map(str, args)],
                           cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT)
    if r.returncode not in (0, 1):
        sys.exit(f"course grade failed ({r.returncode}): {log.read_text()[-3000:]}")
    return time.perf_counter() - t


def _rows(out: Path) -> dict:
    """``{student: {exercise: score}}`` (total included) from grades.csv."""
    got = defaultdict(dict)
    with open(out / "grades.csv", newline="") as f:
        for r in csv.DictReader(f):
            got[r["student"]][r["exercise"]] = float(r["score"])
    return got


def expected_grades(tmp: Path, lessons: list) -> tuple:
    """Each template graded once on the local path: ``{(lesson, kind): rows}`` and seconds."""
    expected, cost = {}, {}
    for lesson in lessons:
        subs, out = tmp / "tpl" / lesson, tmp / "tpl-out" / lesson
        kinds = templates(lesson, tmp / "out")
        for kind, data in kinds.items():
            _write(subs, f"t_{kind}", lesson, data)
        with Meter() as m:
            _course(lesson, "--submissions", subs, "--out", out, "--jobs", "2",
                    log=tmp / f"tpl-{lesson}.log")
        rows = _rows(out)
        if any("total" not in rows[f"t_{k}"] for k in kinds):
            sys.exit(f"a template of {lesson} was not graded:\n"
                     + (tmp / f"tpl-{lesson}.log").read_text()[-3000:])
        for kind in kinds:
            expected[(lesson, kind)] = rows[f"t_{kind}"]
        cost[lesson] = m
        print(f"  templates {lesson}: {m}; totals " + ", ".join(
            f"{k}={rows[f't_{k}']['total']:g}" for k in sorted(kinds)),
            flush=True)
    return expected, cost


def generate(subs: Path, lessons: list, n: int, seed: int = 17) -> dict:
    """``{(student, lesson): kind}`` for n notebooks: ceil(n/7) students, each lesson once
    (the last student's lessons beyond n are missing: graded as 'no notebook')."""
    rng = random.Random(seed)
    students = math.ceil(n / len(lessons))
    pairs = [(f"s{i:04d}", lesson) for i in range(students) for lesson in lessons]
    kinds = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=len(pairs))
    spots = iter(rng.sample(range(n), sum(QUOTA.values())))
    for kind, count in QUOTA.items():
        for _ in range(count):
            kinds[next(spots)] = kind
    plan = {}
    cache = {lesson: templates(lesson, subs.parent / "out") for lesson in lessons}
    for k, ((student, lesson), kind) in enumerate(zip(pairs, kinds)):
        kind = kind if k < n else "missing"
        plan[(student, lesson)] = kind
        _write(subs, student, lesson, unique(cache[lesson][kind], student))
    return plan


class Sampler(threading.Thread):
    """Load average and busy cores every 2 s while the run goes."""

    def __init__(self):
        super().__init__(daemon=True)
        self.loads, self.stop = [], threading.Event()

    def run(self):
        while not self.stop.wait(2.0):
            self.loads.append(float(_load().split()[0]))


def _noop(i):
    return i


def scheduler_overhead(client, n: int) -> float:
    """Seconds per no-op task, end to end (submit → result on the client), two workers."""
    from distributed import as_completed
    t = time.perf_counter()
    futs = [client.submit(_noop, i, pure=False) for i in range(n)]
    for _ in as_completed(futs):
        pass
    return (time.perf_counter() - t) / n


def client_write_cost(out: Path, lessons: list, tmp: Path) -> float:
    """Seconds per result of what the client alone does: the feedback page, the signed result
    and the gradebook row (SQLite), measured again on this run's results."""
    from autograder.grade import Recorder, keep
    n, total = 0, 0.0
    for lesson in lessons:
        dest = tmp / "rewrite" / lesson
        dest.mkdir(parents=True)
        shutil.copyfile(make_template(lesson) / "gradebook.db", dest / "gradebook.db")
        rec = Recorder(lesson, f"sqlite:///{dest / 'gradebook.db'}")
        rec.add([])
        docs = [json.loads(p.read_text())["result"]
                for p in sorted((out / lesson / "work" / "results").glob("*.json"))]
        pages = {d["student"]: (out / lesson / "feedback" / d["student"] / f"{lesson}.html")
                 .read_text() for d in docs}
        rec.add(docs[:1])  # the gradebook opened (once per run)
        t = time.perf_counter()
        for d in docs[1:]:
            keep(dest, d, pages[d["student"]])
            rec.add([d])
        total += time.perf_counter() - t
        n += len(docs) - 1
        rec.close()
    return total / max(1, n)


def scale(tmp: Path, n: int, *, kill_at: float, replace_after: float, noop: int) -> None:
    lessons = lesson_ids()
    print(f"scale: {n} submissions over {len(lessons)} lessons, load {_load()}", flush=True)
    for lesson in lessons:
        make_template(lesson)
    print("1. each template graded once on the local path (course grade LESSON --jobs 2):",
          flush=True)
    expected, _ = expected_grades(tmp, lessons)
    subs, out = tmp / "subs", tmp / "out"
    plan = generate(subs, lessons, n)
    mix = Counter(plan.values())
    print(f"2. {len(plan)} tasks ({sum(1 for k in plan.values() if k != 'missing')} notebooks): "
          + ", ".join(f"{k} {v}" for k, v in mix.most_common()), flush=True)
    logdir = tmp / "dask"
    logdir.mkdir()
    killed, replaced = None, None
    with dask_cluster(logdir, ROOT, 2, env={"PYTHONPATH": str(ROOT)}) as (procs, client):
        sampler = Sampler()
        sampler.start()
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(ROOT),
                   PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
        log = open(tmp / "cluster-run.log", "w")
        with Meter() as m:
            proc = subprocess.Popen([sys.executable, "-m", "autograder.cli", "grade", "all",
                                     "--submissions", str(subs), "--out", str(out),
                                     "--cluster", procs.address], cwd=ROOT, env=env,
                                    stdout=log, stderr=subprocess.STDOUT)
            while proc.poll() is None:
                done = sum(1 for _ in out.glob("*/work/results/*.json"))
                if killed is None and done >= kill_at * len(plan):
                    killed = kill_a_busy_worker(client, procs)
                    if killed:
                        killed = (*killed, time.monotonic(), done)
                        print(f"   SIGKILL worker {killed[0]} (pid {killed[1]}) while it ran "
                              f"{killed[2]} ({done} tasks done)", flush=True)
                if killed and replaced is None and replace_after >= 0 \
                        and time.monotonic() - killed[3] >= replace_after:
                    replaced = procs.add_worker()
                    print(f"   replacement worker started (pid {replaced.pid}), "
                          f"{replace_after:g} s after the kill", flush=True)
                time.sleep(0.1)
        t_end = time.monotonic()
        sampler.stop.set()
        log.close()
        rc = proc.returncode
        dead_rc = next(w for w in procs.workers if w.pid == killed[1]).wait(10) if killed \
            else None
        overhead = scheduler_overhead(client, noop) if noop else float("nan")
    print(f"3. course grade all --cluster (2 workers, --nthreads 1): rc {rc}; {m}", flush=True)
    _check(out, lessons, plan, expected, killed, dead_rc)
    # worker-seconds the run went without the killed worker (until its replacement, or the end)
    lost = 0.0 if not killed else (replace_after if replaced is not None else t_end - killed[3])
    _figures(out, lessons, plan, m, sampler, overhead, client_write_cost(out, lessons, tmp),
             lost)


def _check(out, lessons, plan, expected, killed, dead_rc) -> None:
    wrong, missing, rows_bad = [], [], []
    for lesson in lessons:
        got = _rows(out / lesson)
        for (student, les), kind in plan.items():
            if les != lesson:
                continue
            if student not in got:
                missing.append((student, lesson))
            elif got[student] != expected[(lesson, kind)]:
                wrong.append((student, lesson, kind, got[student]["total"],
                              expected[(lesson, kind)]["total"]))
        with sqlite3.connect(out / lesson / "gradebook.db") as db:
            subs, distinct = db.execute("SELECT count(*), count(DISTINCT student_id) FROM "
                                        "submitted_assignment").fetchone()
            grades = db.execute("SELECT count(*) FROM grade").fetchone()[0]
            cells = db.execute("SELECT count(*) FROM grade_cells").fetchone()[0]
        want = sum(1 for (_, les) in plan if les == lesson)
        if (subs, distinct, grades) != (want, want, want * cells):
            rows_bad.append((lesson, subs, distinct, grades, want, cells))
    print(f"   checked {len(plan)} grades: {len(missing)} missing, {len(wrong)} different from "
          f"their template, gradebook rows off in {len(rows_bad)} lessons", flush=True)
    for w in (missing + wrong + rows_bad)[:20]:
        print(f"   ! {w}", flush=True)
    if killed:
        key = killed[2][0]
        lesson = next(le for le in lessons if key.startswith(f"course-grade-{le}-"))
        student = key.removeprefix(f"course-grade-{lesson}-").rsplit("-", 1)[0]
        print(f"   killed worker's exit status {dead_rc}; its task {student}/{lesson} "
              f"({plan[(student, lesson)]}) graded on another worker: "
              f"{(student, lesson) not in missing}", flush=True)


def _figures(out, lessons, plan, m, sampler, overhead, write_cost, lost) -> None:
    secs = defaultdict(list)
    by_kind = defaultdict(list)
    for lesson in lessons:
        for p in (out / lesson / "work" / "results").glob("*.json"):
            r = json.loads(p.read_text())["result"]
            kind = plan[(r["student"], lesson)]
            by_kind[kind].append(r["seconds"])
            if kind not in QUOTA:
                secs[lesson].append(r["seconds"])
    tasks = len(plan)
    print(f"4. figures: {tasks} tasks in {m.wall:.1f} s = {tasks / m.wall * 60:.1f} tasks/min; "
          f"load avg (1 min) mean {statistics.mean(sampler.loads or [0]):.2f}, max "
          f"{max(sampler.loads or [0]):.2f}; machine busy {m.busy:.2f} of {os.cpu_count()} "
          f"cores = {m.busy * m.wall / tasks:.2f} core-s per task (everything: workers, "
          f"scheduler, client)", flush=True)
    print("   seconds per task on a worker (one jail slot ≈ one core), ordinary kinds, "
          "by lesson: mean / median / n", flush=True)
    for lesson in lessons:
        v = secs[lesson]
        print(f"     {lesson:12s} {statistics.mean(v):.2f} / {statistics.median(v):.2f} / "
              f"{len(v)}", flush=True)
    print("   by kind: " + "; ".join(f"{k} {statistics.mean(v):.2f} s (n={len(v)})"
                                     for k, v in sorted(by_kind.items())), flush=True)
    work = sum(sum(v) for v in by_kind.values())
    print(f"   scheduler overhead: {overhead * 1e3:.2f} ms per no-op task (end to end, "
          f"2 workers); client writes per result (page + signed result + SQLite gradebook): "
          f"{write_cost * 1e3:.1f} ms", flush=True)
    slots = 2
    pred = (work + tasks * (overhead + write_cost)) / slots + lost / slots
    print(f"5. model: Σ task seconds {work:.0f} s + {tasks} × (scheduler {overhead * 1e3:.1f} "
          f"+ client {write_cost * 1e3:.1f} ms) over {slots} worker slots, + the killed "
          f"worker's {lost:.0f} s without a replacement / {slots} → predicted {pred:.0f} s; "
          f"measured {m.wall:.0f} s ({(m.wall - pred) / m.wall * 100:+.0f} %)", flush=True)
    per_student = sum(statistics.mean(secs[le]) for le in lessons)
    print(f"   one student's seven lessons: {per_student:.1f} core-s (ordinary kinds); "
          f"10,000 students × 7 lessons on K machines of c cores: "
          f"T ≈ 10,000 × {per_student:.1f} s / (K·c), and never below 70,000 × "
          f"{(overhead + write_cost) * 1e3:.1f} ms = {70000 * (overhead + write_cost):.0f} s "
          f"(scheduler + the one client writing)", flush=True)
    for c in (16, 64):
        print("     c = %d: " % c + ", ".join(
            f"K={k}: {max(10000 * per_student / (k * c), 70000 * (overhead + write_cost)) / 60:.0f} min"
            for k in (1, 2, 4, 8, 16, 32, 64)), flush=True)
