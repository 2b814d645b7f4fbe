"""Run a student's pieces on the hidden cases in sandboxed child processes (parent side).

在沙箱子进程中用隐藏用例运行学生的练习（父进程端，可信）。

:func:`run_pieces` starts one jail (``jail.py``: bubblewrap, own uid, own pid/net/ipc
namespaces, read-only view of Python and of the grading build, a size-limited tmpfs) per
session, holding one fresh interpreter: the *zygote* of ``sandbox_child.py``. It imports the
grading build of course_lib (``build``: the graded pieces' reference bodies are stubs; the
grader runs one session per piece on that piece's own build) and the instructor's setup cell
once, then forks one child per exercise; the child gets resource limits
and runs only that exercise's answer cell and cases. Each piece's answer and hidden cases
travel in an unlinked file only its own child reads; each child writes its results (one JSON
line per case, exact-type encoding) on its own pipe; the zygote reports start/end of each child
on a control pipe. This process keeps a wall-clock deadline per piece; past it, or if the
zygote dies, it kills the jail (every process in it dies with its pid namespace) and starts a
new one for the pieces that have not run yet, so one piece never costs another.
"""
from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import jail

ROOT = Path(__file__).resolve().parent.parent
BUILD_IN_JAIL = "/opt/grading"  # where the grading build appears inside the jail
MPL_IN_JAIL = "/opt/mpl-seed"
MPL_CACHE = ROOT / ".course" / "mpl"  # matplotlib's font list, built once per machine
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from autograder.sandbox_child import zygote_main; zygote_main()")
BOOT_TIMEOUT = 60.0  # seconds for the zygote to import course_lib and the setup cell


def run_piece(key: str, answer: str, case_source: str, *, build: Path, **kw) -> dict:
    """One piece (see :func:`run_pieces`)."""
    return run_pieces([{"key": key, "answer": answer, "cases": case_source}], build=build,
                      **kw)[0]


def run_pieces(pieces, *, build: Path, timeout: float = 30.0, case_timeout: float = 10.0,
               mem_mb: int = 1024, max_output: int = 96 * 2**20, scratch_mb: int = 256,
               prelude: str = "", digest: str | None = None, hide=()) -> list:
    """Grade each ``{"key", "answer", "cases"}`` (answer-cell source, hidden-case source) in
    one sandbox session; ``build``: the grading build folder (``course_lib/`` + the sandbox's
    modules; it must hold no reference of these pieces, see ``hidden_grade.grading_build``);
    ``timeout`` is per piece; ``hide``: folders the jail must not show (see ``jail.wrap``).

    Returns, per piece, ``{"results": {index: encoded result}, "errors": {index: reason},
    "fatal": reason or None, "blocked": what the audit hook stopped or None}``; a case missing
    from both did not run (see ``fatal``). ``digest``: the build's course_lib digest
    (``cases.course_lib_digest``); a sandbox that imports another course_lib raises
    :class:`SandboxError`.
    """
    jail.require()
    outs = [{"results": {}, "errors": {}, "fatal": None, "blocked": None} for _ in pieces]
    todo = list(range(len(pieces)))
    logs = Path(tempfile.mkdtemp(prefix="course-sandbox-"))
    try:
        while todo:  # a new jail for what a killed or dead one left
            todo = _session(pieces, todo, outs, Path(build), logs, timeout=timeout,
                            case_timeout=case_timeout, mem_mb=mem_mb, max_output=max_output,
                            scratch_mb=scratch_mb, prelude=prelude, digest=digest, hide=hide)
    finally:
        _rmtree(logs)
    return outs


def _input_file(data: dict) -> int:
    """An unlinked file holding ``data`` (JSON), open read-only: only its child reads it."""
    with tempfile.TemporaryFile() as f:
        f.write(json.dumps(data).encode())
        f.flush()
        return os.open(f"/proc/self/fd/{f.fileno()}", os.O_RDONLY)


def mpl_cache() -> Path | None:
    """matplotlib's font list, built once per machine (not again in every sandbox)."""
    if not MPL_CACHE.is_dir():
        tmp = MPL_CACHE.with_name(f".mpl-{os.getpid()}-{time.monotonic_ns()}")
        try:
            subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"],
                           env=dict(os.environ, MPLCONFIGDIR=str(tmp), MPLBACKEND="agg"),
                           capture_output=True, timeout=120)
            if list(tmp.glob("fontlist-*.json")):
                os.rename(tmp, MPL_CACHE)  # fails if another run made it first
        except (OSError, subprocess.SubprocessError):
            pass
        _rmtree(tmp)
    return MPL_CACHE if MPL_CACHE.is_dir() else None


class _Slots:
    """At most ``n`` jails at once in this process (``course grade --jobs N``): the students
    graded side by side and the pieces of one notebook share them. 同时运行的沙箱数上限。"""

    def __init__(self, n: int):
        self.n, self.busy, self.cond = n, 0, threading.Condition()

    def set(self, n: int) -> None:
        with self.cond:
            self.n = max(1, int(n))
            self.cond.notify_all()

    @contextlib.contextmanager
    def __call__(self):
        with self.cond:
            self.cond.wait_for(lambda: self.busy < self.n)
            self.busy += 1
        try:
            yield
        finally:
            with self.cond:
                self.busy -= 1
                self.cond.notify()


#: the jail slots of this process (``grade_many`` sets them to ``--jobs``)
jail_slots = _Slots(max(1, min(8, len(os.sched_getaffinity(0)))))


def _session(pieces, todo, outs, build, logs, *, timeout, case_timeout, mem_mb, max_output,
             scratch_mb, prelude, digest, hide) -> list:
    """Run ``todo`` in one jail; return the indices still to run (after a kill)."""
    with jail_slots(), jail.uid_slot() as uid:
        return _session_as(uid, pieces, todo, outs, build, logs, timeout=timeout,
                           case_timeout=case_timeout, mem_mb=mem_mb, max_output=max_output,
                           scratch_mb=scratch_mb, prelude=prelude, digest=digest, hide=hide)


def _session_as(uid, pieces, todo, outs, build, logs, *, timeout, case_timeout, mem_mb,
                max_output, scratch_mb, prelude, digest, hide) -> list:
    ctl_r, ctl_w = os.pipe()
    pipes = {i: os.pipe() for i in todo}
    inputs = {i: _input_file({"answer": pieces[i]["answer"], "cases": pieces[i]["cases"]})
              for i in todo}
    sandboxed = not jail.unsandboxed()
    scratch_root = jail.SCRATCH if sandboxed else tempfile.mkdtemp(prefix="course-scratch-")
    mpl = mpl_cache()
    job = {"ctl": ctl_w, "prelude": prelude, "digest": digest, "cpu": int(timeout) + 1,
           "mem_mb": mem_mb, "nproc": 32 if sandboxed and os.geteuid() == 0 else None,
           "isolated": sandboxed,  # its own pid namespace: kill(-1) reaches only the jail
           "case_timeout": case_timeout, "timeout": timeout, "scratch_root": scratch_root,
           "mpl_seed": (MPL_IN_JAIL if sandboxed else str(mpl)) if mpl else None,
           "pieces": [{"key": pieces[i]["key"], "fd": pipes[i][1], "input": inputs[i]}
                      for i in todo]}
    ro = {build: BUILD_IN_JAIL}
    if mpl:
        ro[mpl] = MPL_IN_JAIL
    job["keep"] = sorted(jail.in_scratch(ro, hide)) if sandboxed else []
    env = {"PATH": "/usr/bin:/bin", "HOME": scratch_root, "TMPDIR": scratch_root,
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "MPLBACKEND": "agg", "MPLCONFIGDIR": f"{scratch_root}/.mpl",
           "COURSE_LESSONS_DIR": f"{scratch_root}/no-lessons", "LANG": "C.UTF-8"}
    argv = jail.wrap([sys.executable, "-I", "-c", _BOOT,
                      BUILD_IN_JAIL if sandboxed else str(build)],
                     ro=ro, uid=uid, scratch_mb=scratch_mb, cwd=scratch_root, env=env,
                     hide=hide)
    err_path = logs / "zygote-stderr.txt"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=err, cwd=scratch_root if not sandboxed else "/",
                                pass_fds=(ctl_w, *(w for _, w in pipes.values()),
                                          *inputs.values()),
                                env=env if not sandboxed else {"PATH": "/usr/bin:/bin"},
                                start_new_session=True)
    os.close(ctl_w)
    for _, w in pipes.values():
        os.close(w)
    for fd in inputs.values():
        os.close(fd)
    try:
        proc.stdin.write(json.dumps(job).encode())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    ctl = _Lines(ctl_r)
    left = []
    try:
        deadline = time.monotonic() + BOOT_TIMEOUT
        for n, i in enumerate(todo):
            msg = ctl.next(deadline)  # {"start": n}
            if not (isinstance(msg, dict) and msg.get("start") == n):
                if n == 0:  # no student code has run yet: the grader is broken, not the answer
                    raise SandboxError(_boot_failure(err_path, ctl.eof))
                stopped = ("the grading process stopped before this exercise / "
                           "评分进程在此练习前停止")
                outs[i]["fatal"] = stopped
                if ctl.eof:  # the zygote died: a new one for the rest
                    left = todo[n + 1:]
                else:  # it did not start in time (a broken grader): give up on the rest
                    for j in todo[n + 1:]:
                        outs[j]["fatal"] = stopped
                break
            done, rc, memory = _read_piece(pipes[i][0], outs[i], ctl, n,
                                           time.monotonic() + timeout + 5, max_output)
            if rc is None or rc == "timeout":  # past the deadline, too much output, zygote died
                if outs[i]["fatal"] is None:
                    outs[i]["fatal"] = (_death_reason(None, False) if ctl.eof and rc is None
                                        else f"time limit exceeded ({timeout:.0f} s) / 超出时间限制")
                if rc is None:
                    left = todo[n + 1:]
                    break
            elif not done and outs[i]["fatal"] is None:
                outs[i]["fatal"] = _death_reason(rc, memory)
            deadline = time.monotonic() + 10  # the next fork is immediate
    finally:
        os.close(ctl_r)
        for r, _ in pipes.values():
            try:
                os.close(r)
            except OSError:
                pass
        if not left:  # every piece ran: let the zygote end on its own (its CPU is counted)
            try:
                proc.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                pass
        if sandboxed:
            _kill(proc, uid)
        else:
            _kill(proc, None)
            _rmtree(Path(scratch_root))
    return left


class SandboxError(RuntimeError):
    """The sandbox could not start (course_lib or the setup imports fail, or too slow): a
    grader problem, so the student gets no result and is graded again on the next run."""


def _boot_failure(err_path: Path, died: bool) -> str:
    try:
        tail = err_path.read_text(errors="replace").strip().splitlines()
    except OSError:
        tail = []
    what = "it stopped" if died else f"no answer in {BOOT_TIMEOUT:.0f} s"
    return (f"the sandbox could not start ({what}): {tail[-1] if tail else 'no message'} / "
            f"沙箱无法启动")


class _Lines:
    """JSON lines from the zygote's control pipe."""

    def __init__(self, fd):
        self.fd, self.buf, self.eof, self.queue = fd, b"", False, []

    def fill(self, timeout: float) -> None:
        if self.eof:
            return
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if ready:
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                self.eof = True
            self.buf += chunk
            *lines, self.buf = self.buf.split(b"\n")
            for line in lines:
                try:
                    self.queue.append(json.loads(line))
                except ValueError:
                    pass

    def next(self, deadline: float):
        while not self.queue and not self.eof and time.monotonic() < deadline:
            self.fill(min(deadline - time.monotonic(), 1.0))
        return self.queue.pop(0) if self.queue else None


def _read_piece(r, out, ctl, n, deadline, max_output):
    """Read piece ``n``'s pipe until the zygote says it ended; (done, rc or None)."""
    buf, total, done, end = b"", 0, False, None
    open_ = True
    while True:
        if end is None and ctl.queue:
            msg = ctl.queue.pop(0)
            if isinstance(msg, dict) and msg.get("end") == n:
                end = msg
        if end is not None and not open_:
            rc = end.get("rc")
            return (done, (rc if type(rc) is int or rc == "timeout" else -signal.SIGKILL),
                    end.get("memory") is True)
        left = deadline - time.monotonic()
        if left <= 0 or (ctl.eof and end is None and not open_):
            return done, None, False
        fds = ([r] if open_ else []) + ([ctl.fd] if end is None and not ctl.eof else [])
        if not fds:
            return done, None, False
        ready, _, _ = select.select(fds, [], [], min(left, 1.0))
        if ctl.fd in ready:
            ctl.fill(0)
        if r in ready:
            chunk = os.read(r, 1 << 20)
            if not chunk:
                open_ = False
                continue
            total += len(chunk)
            if total > max_output:
                out["fatal"] = "result output too large / 输出过大"
                return done, None, False
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                done = _take(out, line) or done


def _take(out: dict, line: bytes) -> bool:
    """Record one message from the child; True when it says it is done."""
    try:
        msg = json.loads(line)
    except ValueError:
        return False
    if not isinstance(msg, dict):
        return False
    i = msg.get("i")
    if "fatal" in msg and out["fatal"] is None:
        detail = msg.get("raised") or msg.get("tampered")
        out["fatal"] = str(msg["fatal"])[:300] + (f" ({str(detail)[:80]})" if detail else "")
    if "blocked" in msg and out["blocked"] is None:
        out["blocked"] = str(msg["blocked"])[:300]
    if type(i) is int and i not in out["results"] and i not in out["errors"]:
        if isinstance(msg.get("enc"), dict):
            out["results"][i] = msg["enc"]
        elif "error" in msg:
            out["errors"][i] = str(msg["error"])[:500]
    return msg.get("done") is True


def _kill(proc, uid):
    """Kill the jail: its pid namespace takes every process in it along; then make sure no
    process of its uid is left before the uid is handed to another jail."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    if uid is None:
        return
    deadline = time.monotonic() + 5
    while True:
        left = jail.uid_processes({uid})
        if not left or time.monotonic() > deadline:
            break
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)


def _death_reason(rc, memory: bool) -> str:
    if memory:
        return "memory limit exceeded / 超出内存限制"
    if rc == -signal.SIGXCPU or rc == -signal.SIGKILL:
        return "CPU time limit exceeded or killed / 超出 CPU 时间限制或被终止"
    if rc is not None and rc < 0:
        return f"the grading process crashed (signal {-rc}) / 评分进程崩溃（信号 {-rc}）"
    return (f"the grading process ended early (exit code {rc}): os._exit, a crash or "
            f"tampering / 评分进程提前结束（退出码 {rc}）：os._exit、崩溃或篡改")


def _rmtree(p: Path):
    shutil.rmtree(p, ignore_errors=True)
