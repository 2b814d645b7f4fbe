"""Run a student's pieces on the hidden cases in sandboxed child processes (parent side).

在沙箱子进程中用隐藏用例运行学生的练习（父进程端，可信）。

:func:`run_pieces` starts one fresh interpreter (``python -I``, clean environment, its own
process group) per notebook: the *zygote* of ``sandbox_child.py``. It imports the complete
course_lib and the instructor's setup cell once, then forks one child per exercise; the child
gets resource limits (CPU seconds, RLIMIT_AS memory, file size, no core), its own scratch
directory, the audit hook and the tamper snapshot, and runs only that exercise's answer cell
and cases. Each child writes its results (one JSON line per case, exact-type encoding) on its
own pipe; the zygote reports start/end of each child on a control pipe. This process keeps a
wall-clock deadline per piece; past it, or if the zygote dies, it kills the whole group and
starts a new zygote for the pieces that have not run yet, so one piece never costs another.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from autograder.sandbox_child import zygote_main; zygote_main()")
BOOT_TIMEOUT = 60.0  # seconds for the zygote to import course_lib and the setup cell


def run_piece(key: str, answer: str, case_source: str, *, scratch=None, **kw) -> dict:
    """One piece (see :func:`run_pieces`)."""
    return run_pieces([{"key": key, "answer": answer, "cases": case_source,
                        "scratch": scratch}], **kw)[0]


def run_pieces(pieces, *, timeout: float = 30.0, case_timeout: float = 10.0,
               mem_mb: int = 1024, blocked=(), max_output: int = 96 * 2**20,
               prelude: str = "", digest: str | None = None) -> list:
    """Grade each ``{"key", "answer", "cases", "scratch"}`` (answer-cell source, hidden-case
    source, scratch dir or None) in one sandbox session; ``timeout`` is per piece.

    Returns, per piece, ``{"results": {index: encoded result}, "errors": {index: reason},
    "fatal": reason or None, "blocked": what the audit hook stopped or None}``; a case missing
    from both did not run (see ``fatal``). ``digest``: course_lib's digest in this process
    (``cases.course_lib_digest``); a sandbox that imports another course_lib raises
    :class:`SandboxError`.
    """
    outs = [{"results": {}, "errors": {}, "fatal": None, "blocked": None} for _ in pieces]
    own = []
    dirs = []
    for p in pieces:
        if p.get("scratch") is None:
            own.append(Path(tempfile.mkdtemp(prefix="course-sandbox-")))
            dirs.append(own[-1])
        else:
            dirs.append(Path(p["scratch"]))
            dirs[-1].mkdir(parents=True, exist_ok=True)
    todo = list(range(len(pieces)))
    try:
        while todo:  # a new zygote for what a killed or dead one left
            todo = _session(pieces, dirs, todo, outs, timeout=timeout,
                            case_timeout=case_timeout, mem_mb=mem_mb, blocked=blocked,
                            max_output=max_output, prelude=prelude, digest=digest)
    finally:
        for d in own:
            _rmtree(d)
    return outs


def _session(pieces, dirs, todo, outs, *, timeout, case_timeout, mem_mb, blocked, max_output,
             prelude, digest) -> list:
    """Run ``todo`` in one zygote; return the indices still to run (after a kill)."""
    ctl_r, ctl_w = os.pipe()
    pipes = {i: os.pipe() for i in todo}
    job = {"ctl": ctl_w, "prelude": prelude, "digest": digest, "cpu": int(timeout) + 1,
           "mem_mb": mem_mb,
           "case_timeout": case_timeout, "timeout": timeout,
           "blocked": [str(Path(b).resolve()) for b in (*blocked, ROOT / "autograder",
                                                         ROOT / "solutions")],
           "course_lib": str(ROOT / "course_lib"),
           "pieces": [{"key": pieces[i]["key"], "answer": pieces[i]["answer"],
                       "cases": pieces[i]["cases"], "fd": pipes[i][1],
                       "scratch": str(dirs[i].resolve())} for i in todo]}
    home = dirs[todo[0]]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(home),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "MPLBACKEND": "agg", "MPLCONFIGDIR": str(home / ".mpl"),
           "COURSE_LESSONS_DIR": str(home / "no-lessons"), "LANG": "C.UTF-8"}
    for f in (ROOT / ".course" / "mpl").glob("fontlist-*.json"):  # see worker._seed_mpl
        try:
            (home / ".mpl").mkdir(exist_ok=True)
            shutil.copyfile(f, home / ".mpl" / f.name)
        except OSError:
            pass
    with open(home / "zygote-stderr.txt", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-I", "-c", _BOOT, str(ROOT)],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err,
                                pass_fds=(ctl_w, *(w for _, w in pipes.values())), cwd=home,
                                env=env, start_new_session=True)
    os.close(ctl_w)
    for _, w in pipes.values():
        os.close(w)
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
                    raise SandboxError(_boot_failure(home, ctl.eof))
                stopped = ("the grading process stopped before this exercise / "
                           "评分进程在此练习前停止")
                outs[i]["fatal"] = stopped
                if ctl.eof:  # the zygote died: a new one for the rest
                    left = todo[n + 1:]
                else:  # it did not start in time (a broken grader): give up on the rest
                    for j in todo[n + 1:]:
                        outs[j]["fatal"] = stopped
                break
            done, rc = _read_piece(pipes[i][0], outs[i], ctl, n, time.monotonic() + timeout + 5,
                                   max_output)
            if rc is None or rc == "timeout":  # past the deadline, too much output, zygote died
                if outs[i]["fatal"] is None:
                    outs[i]["fatal"] = (_death_reason(None, dirs[i]) if ctl.eof and rc is None
                                        else f"time limit exceeded ({timeout:.0f} s) / 超出时间限制")
                if rc is None:
                    left = todo[n + 1:]
                    break
            elif not done and outs[i]["fatal"] is None:
                outs[i]["fatal"] = _death_reason(rc, dirs[i])
            deadline = time.monotonic() + 10  # the next fork is immediate
    finally:
        os.close(ctl_r)
        for r, _ in pipes.values():
            try:
                os.close(r)
            except OSError:
                pass
        _kill(proc)
    return left


class SandboxError(RuntimeError):
    """The sandbox could not start (course_lib or the setup imports fail, or too slow): a
    grader problem, so the student gets no result and is graded again on the next run."""


def _boot_failure(home: Path, died: bool) -> str:
    try:
        tail = (home / "zygote-stderr.txt").read_text(errors="replace").strip().splitlines()
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
            return done, (rc if type(rc) is int or rc == "timeout" else -signal.SIGKILL)
        left = deadline - time.monotonic()
        if left <= 0 or (ctl.eof and end is None and not open_):
            return done, None
        fds = ([r] if open_ else []) + ([ctl.fd] if end is None and not ctl.eof else [])
        if not fds:
            return done, None
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
                return done, None
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
        out["fatal"] = str(msg["fatal"])[:500]
    if "blocked" in msg and out["blocked"] is None:
        out["blocked"] = str(msg["blocked"])[:300]
    if type(i) is int and i not in out["results"] and i not in out["errors"]:
        if isinstance(msg.get("enc"), dict):
            out["results"][i] = msg["enc"]
        elif "error" in msg:
            out["errors"][i] = str(msg["error"])[:500]
    return msg.get("done") is True


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _death_reason(rc, scratch: Path) -> str:
    tail = ""
    try:
        tail = (scratch / "child-stderr.txt").read_bytes()[-4000:].decode("utf-8", "replace")
    except OSError:
        pass
    if "MemoryError" in tail or rc in (-signal.SIGKILL,) and "memory" in tail.lower():
        return "memory limit exceeded / 超出内存限制"
    if rc == -signal.SIGXCPU or rc == -signal.SIGKILL:
        return "CPU time limit exceeded or killed / 超出 CPU 时间限制或被终止"
    if rc is not None and rc < 0:
        return f"the grading process crashed (signal {-rc}) / 评分进程崩溃（信号 {-rc}）"
    return (f"the grading process ended early (exit code {rc}): os._exit, a crash or "
            f"tampering / 评分进程提前结束（退出码 {rc}）：os._exit、崩溃或篡改")


def _rmtree(p: Path):
    shutil.rmtree(p, ignore_errors=True)
