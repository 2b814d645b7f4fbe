"""`course grade ... --cluster ADDRESS`: grading on Dask distributed.

在 Dask 集群上评分：每个（学生, 课）一个任务，发送到安装了本仓库和 bubblewrap 的工作进程；工作进程在
与本机相同的沙箱中评分，只返回结果与反馈页面；成绩库、签名结果、反馈页面和 grades.csv 只由本进程
（客户端）写入，每名学生每课一次。

ADDRESS: ``tcp://host:port`` (a running ``dask scheduler``), the path of a scheduler file
(``dask scheduler --scheduler-file F``), or ``local[:N]`` (a ``LocalCluster`` of N
single-threaded worker processes here; default N = this machine's cores). Workers: start them
with ``--nthreads 1 --nworkers K`` (K = the machine's cores): a worker's threads are its jail
slots, like ``--jobs``. Each worker builds the template course and the grading builds from its
own checkout (cached per content, one builder per machine under a file lock) and grades only if
its hidden cases and release notebook (the grader digest) are the client's; otherwise the
student is reported as a grader error. A worker that dies mid-task loses nothing: the scheduler
runs the task again on another worker; a task that took down
``distributed.scheduler.allowed-failures`` + 1 workers (default 3 + 1) is that student's grader
error, and the others go on.
"""
from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

from .grade import assess, file_lock, grader_digest, keep, make_template, Recorder

#: a notebook bigger than this goes to the workers on its own (``scatter``), not in the task
SCATTER_BYTES = 1 << 20


class ClusterUnavailable(RuntimeError):
    """The scheduler cannot be reached (bilingual message)."""


def connect(address: str, timeout: float = 30.0):
    """``(client, cluster or None)`` for ``--cluster ADDRESS`` (see the module docstring)."""
    from distributed import Client, LocalCluster
    if address == "local" or address.startswith("local:"):
        n = address.partition(":")[2]
        try:
            n = int(n) if n else _cores()
        except ValueError:
            raise ClusterUnavailable(f"--cluster local:N 需要一个整数 / needs a number: {address}")
        cluster = LocalCluster(n_workers=max(1, n), threads_per_worker=1, processes=True,
                               dashboard_address="127.0.0.1:0", host="127.0.0.1")
        return Client(cluster), cluster
    try:
        if "://" not in address and (address.endswith(".json") or os.path.exists(address)):
            if not os.path.isfile(address):
                raise ClusterUnavailable(f"找不到调度器文件 / scheduler file not found: {address}")
            return Client(scheduler_file=address, timeout=timeout), None
        return Client(address, timeout=timeout), None
    except ClusterUnavailable:
        raise
    except (OSError, TimeoutError, ValueError) as e:
        raise ClusterUnavailable(f"无法连接 Dask 调度器 / cannot reach the Dask scheduler "
                                 f"{address}: {e}") from e


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# ------------------------------------------------------------------ the worker's side

_WARM: set = set()


def grade_task(lesson: str, student: str, notebook, nb_digest: str, grader: str,
               opts: dict) -> dict:
    """One student's lesson, on a worker: ``{"result", "page", "grader", "worker"}``;
    ``result`` is None when this worker's grader digest is not the client's (not graded)."""
    from . import jail
    from .sandbox import jail_slots
    if opts.get("unsandboxed"):
        jail.allow_unsandboxed()
    jail.require()
    jail_slots.set(_worker_threads())
    course = make_template(lesson)
    mine = grader_digest(lesson, course)
    answer = {"result": None, "page": "", "grader": mine, "worker": _worker_address(),
              "pid": os.getpid()}
    if mine != grader:
        return answer
    _warm(lesson)
    kw = {k: v for k, v in opts.items() if k != "unsandboxed"}
    with tempfile.TemporaryDirectory(prefix="course-task-") as tmp:
        path = None
        if notebook is not None:
            path = Path(tmp) / student / f"{lesson}.ipynb"
            path.parent.mkdir(parents=True)
            path.write_bytes(notebook)
        answer["result"], answer["page"] = assess(lesson, student, path, course,
                                                  nb_digest=nb_digest, grader=mine,
                                                  hide=(tmp,), **kw)
    return answer


def _worker_threads() -> int:
    try:
        from distributed import get_worker
        w = get_worker()
        return max(1, int(getattr(w, "state", w).nthreads))
    except (ImportError, ValueError, AttributeError):
        return 1


def _worker_address() -> str:
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return ""


def _warm(lesson: str) -> None:
    """Make the lesson's grading builds once per machine: two worker processes would otherwise
    both build them (each safe on its own, but twice the work) at the start of a run."""
    if lesson in _WARM:
        return
    from . import cases as _cases
    from .hidden_grade import BUILDS, grading_build
    BUILDS.mkdir(parents=True, exist_ok=True)
    with file_lock(BUILDS / f".{lesson}.lock"):
        for name in _cases.case_files(lesson):
            grading_build(lesson, _cases.find_key(lesson, name))
    _WARM.add(lesson)


# ------------------------------------------------------------------ the client's side

def run(address: str, plans: list, kw: dict, *, progress: bool = True) -> dict:
    """Grade every plan's ``todo`` on the cluster; record each result as it arrives (the one
    writer). Returns ``{lesson: [students not graded]}``."""
    import logging
    from distributed import as_completed
    from tqdm import tqdm
    from . import jail
    logging.getLogger("distributed").setLevel(logging.ERROR)  # the bar and our lines say it
    client, local = connect(address)
    failed = {p.lesson: [] for p in plans}
    recorders = {p.lesson: Recorder(p.lesson, p.db_url) for p in plans}
    bar = None
    try:
        link = _dashboard(client)
        workers = len(client.scheduler_info().get("workers", {}))
        print(f"Dask: {client.scheduler.address}，{workers} 个工作进程 / worker(s); "
              f"仪表板 / dashboard: {link or '无 / none'}", file=sys.stderr)
        opts = dict(kw, unsandboxed=jail.unsandboxed())
        token = secrets.token_hex(4)  # this run's keys: never an old run's result
        futures, futs = {}, []
        for p in plans:
            recorders[p.lesson].add(list(p.results))  # finished in an earlier run (resume)
            for student, nb, digest in p.todo:
                data = _read(nb)
                if data is not None and len(data) > SCATTER_BYTES:
                    data = client.scatter(data, hash=False)
                fut = client.submit(grade_task, p.lesson, student, data, digest, p.grader,
                                    opts, key=f"course-grade-{p.lesson}-{student}-{token}",
                                    pure=False, retries=1)
                futures[fut.key] = (p, student)
                futs.append(fut)
        total = sum(p.students for p in plans)
        bar = tqdm(total=total, initial=total - len(futures), unit="task", disable=not progress,
                   desc="grading on the cluster")
        seen = set()
        try:
            for fut in as_completed(futs):
                if fut.key in seen:  # one record per (student, lesson), whatever happens
                    continue
                seen.add(fut.key)
                p, student = futures[fut.key]
                why = _take(fut, p, student, recorders[p.lesson])
                if why:
                    print(f"✗ {student} ({p.lesson}): {why}", file=sys.stderr)
                    failed[p.lesson].append(student)
                bar.update(1)
        except BaseException:  # Ctrl-C: the rest is cancelled, what finished is kept
            client.cancel([f for f in futs if f.key not in seen])
            raise
    finally:
        if bar is not None:
            bar.close()
        for rec in recorders.values():
            rec.close()
        client.close()
        if local is not None:
            local.close()
    return failed


def _take(fut, p, student, rec) -> str | None:
    """Write one finished task's result (None) or say why the student is not graded."""
    from distributed import KilledWorker
    try:
        answer = fut.result()
    except KilledWorker:
        from dask import config
        n = int(config.get("distributed.scheduler.allowed-failures", 3)) + 1
        return (f"这份提交的评分任务使 {n} 个工作进程崩溃，未评分（评分工具错误）/ the task of this "
                f"submission took down {n} workers in a row; not graded (grader error)")
    except Exception as e:  # noqa: BLE001  one failure never stops the others
        return f"grader error / 评分工具错误 {type(e).__name__}: {e}"
    res = answer.get("result")
    if answer.get("grader") != p.grader or res is None or res.get("grader") != p.grader:
        return (f"工作进程 {answer.get('worker')} 的评分版本（隐藏用例 / 发布的 notebook）与本机不同 "
                f"({answer.get('grader')} ≠ {p.grader})，结果被拒绝；请在所有工作机器上更新课程仓库 / "
                f"worker {answer.get('worker')} grades with another version of the course "
                f"(hidden cases or release notebook), its result is rejected; update the "
                f"repository on every worker machine")
    if res.get("student") != student or res.get("lesson") != p.lesson:
        return "grader error / 评分工具错误: a result for another student or lesson"
    keep(p.out, res, answer["page"])
    p.results.append(res)
    rec.add([res])
    return None


def _read(nb) -> bytes | None:
    if nb is None:
        return None
    try:
        return Path(nb).read_bytes()
    except OSError:
        return None


def _dashboard(client) -> str | None:
    try:
        return client.dashboard_link if "dashboard" in str(
            client.scheduler_info().get("services", {})) else None
    except Exception:  # noqa: BLE001  (no dashboard: nothing to print)
        return None
