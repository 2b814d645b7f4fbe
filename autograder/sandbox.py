"""Run one student's piece on the hidden cases in a sandboxed child process.

在沙箱子进程中用隐藏用例运行学生的一个练习。

Parent (trusted): :func:`run_piece` starts a fresh interpreter (``python -I``) with resource
limits (CPU seconds, RLIMIT_AS memory, file size, no core), its own scratch directory and a
clean environment, sends it the job on stdin and reads one JSON line per case from a private
pipe. It kills the whole process group at the wall-clock limit.

Child: imports the complete course_lib, compiles the hidden cases from the sources it was sent
(never from disk), seals the reference of the graded piece, snapshots numpy / builtins /
course_lib / autograder callables, installs an audit hook (no reading grader files or the
gradebook, no writing outside scratch, no subprocess, sockets, ctypes, gc walking, signals to
other processes), then execs only the student's answer cell. Each case result is encoded with
exact types (results.encode) and the snapshot is re-checked after the exec and after every
case: any change → tampering, the remaining cases score 0.
"""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from autograder.sandbox import child_main; child_main()")


# =========================================================================== parent side

def run_piece(key: str, answer: str, case_source: str, *, timeout: float = 30.0,
              case_timeout: float = 10.0, mem_mb: int = 1024, blocked=(), scratch=None,
              max_output: int = 96 * 2**20, prelude: str = "") -> dict:
    """Grade ``answer`` (an answer cell's source) for ``key`` on the cases in ``case_source``.

    Returns ``{"results": {index: encoded result}, "errors": {index: reason},
    "fatal": reason or None}``; a case missing from both did not run (see ``fatal``).
    """
    own = scratch is None
    scratch = Path(tempfile.mkdtemp(prefix="course-sandbox-")) if own else Path(scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    r, w = os.pipe()
    job = {"key": key, "answer": answer, "prelude": prelude, "cases": case_source, "fd": w,
           "scratch": str(scratch), "cpu": int(timeout) + 1, "mem_mb": mem_mb,
           "case_timeout": case_timeout,
           "blocked": [str(Path(b).resolve()) for b in (*blocked, ROOT / "autograder",
                                                         ROOT / "solutions")],
           "course_lib": str(ROOT / "course_lib")}
    env = {"PATH": "/usr/bin:/bin", "HOME": str(scratch), "TMPDIR": str(scratch),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "COURSE_LESSONS_DIR": str(scratch / "no-lessons"), "LANG": "C.UTF-8"}
    out = {"results": {}, "errors": {}, "fatal": None, "blocked": None}
    with open(scratch / "child-stderr.txt", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-I", "-c", _BOOT, str(ROOT)],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err,
                                pass_fds=(w,), cwd=scratch, env=env, start_new_session=True)
    os.close(w)
    try:
        proc.stdin.write(json.dumps(job).encode())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    buf, total, deadline, done = b"", 0, time.monotonic() + timeout + 5, False
    try:
        while not done:
            left = deadline - time.monotonic()
            if left <= 0:
                out["fatal"] = f"time limit exceeded ({timeout:.0f} s) / 超出时间限制"
                break
            ready, _, _ = select.select([r], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_output:
                out["fatal"] = "result output too large / 输出过大"
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                done = _take(out, line) or done
    finally:
        os.close(r)
        _kill(proc)
    if not done and out["fatal"] is None:
        out["fatal"] = _death_reason(proc.returncode, scratch)
    if own:
        _rmtree(scratch)
    return out


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
    import shutil
    shutil.rmtree(p, ignore_errors=True)


# =========================================================================== child side

class _CaseTimeout(BaseException):
    pass


def _limits(job):
    import resource
    mem = int(job["mem_mb"]) * 2**20
    for what, value in ((resource.RLIMIT_AS, mem), (resource.RLIMIT_CPU, int(job["cpu"])),
                        (resource.RLIMIT_FSIZE, 64 * 2**20), (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(what, (value, value))
        except (ValueError, OSError):
            pass


_FORBIDDEN_IMPORTS = ("pytest", "_pytest")  # the test framework has no business in an answer
_WATCHED = ("builtins", "numpy", "course_lib", "autograder", "pytest", "_pytest", "json",
            "base64", "math", "functools", "operator", "os", "sys", "signal", "select")


def _snapshot():
    """{(module, attribute): value} for callables/types/modules of the watched modules,
    including the attributes of the classes they define."""
    import types
    snap = {}
    for name, m in list(sys.modules.items()):
        if m is None or name.split(".")[0] not in _WATCHED:
            continue
        d = getattr(m, "__dict__", None)
        if type(d) is not dict:
            continue
        for k, v in list(d.items()):
            if callable(v) or type(v) is types.ModuleType:
                snap[(name, k)] = v
                if type(v) is type and getattr(v, "__module__", None) == name:
                    for a, av in list(type.__dict__["__dict__"].__get__(v).items()):
                        snap[(name, f"{k}.{a}")] = av
    return snap


def _diff(before, after):
    for m in _FORBIDDEN_IMPORTS:
        if m in sys.modules and (m, "__name__") not in before and not any(
                k[0] == m for k in before):
            return f"{m} (imported and patched?)"
    for k, v in before.items():
        if after.get(k, _MISSING) is not v:
            return ".".join(k)
    for k in after:
        if k not in before and k[0].split(".")[0] in ("builtins", "numpy", "autograder"):
            return ".".join(k)
    return None


_MISSING = object()


def _audit_hook(job, report):
    """Block grader files, gradebook, processes, sockets, ctypes and memory walking."""
    scratch = os.path.realpath(job["scratch"])
    blocked = [os.path.realpath(b) for b in job["blocked"]] + [job["course_lib"]]
    allowed_read = [os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix), scratch,
                    "/dev/null", "/dev/urandom", "/proc/self"]
    deny = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
            "os.forkpty", "os.kill", "os.killpg", "signal.pthread_kill", "socket.__new__",
            "socket.connect", "socket.bind", "socket.getaddrinfo", "ctypes.dlopen",
            "ctypes.dlsym", "ctypes.cdata", "ctypes.call_function", "ctypes.addressof",
            "gc.get_objects", "gc.get_referrers", "gc.get_referents", "os.symlink", "os.link",
            "sqlite3.connect", "resource.setrlimit", "resource.prlimit", "urllib.Request",
            "sys.settrace", "sys.setprofile", "os.setsid", "os.chroot", "pty.spawn"}
    path_events = {"os.remove", "os.rename", "os.rmdir", "os.truncate", "os.chmod", "os.chown",
                   "os.mkdir", "os.utime", "shutil.rmtree", "shutil.copyfile", "shutil.move"}
    realpath, fsdecode = os.path.realpath, os.fsdecode

    def under(p, roots):
        return any(p == r or p.startswith(r.rstrip("/") + "/") for r in roots)

    def hook(event, args):
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            if type(path) is int or path is None:
                return
            p = realpath(fsdecode(path))
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                type(flags) is int and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
            if writing and not under(p, [scratch, "/dev/null"]):
                report(f"writing {p}")
                raise PermissionError(f"sandbox: writing outside the scratch dir: {p}")
            if not writing and under(p, blocked) and not under(p, allowed_read):
                report("reading grader files")
                raise PermissionError("sandbox: grader files cannot be read")
        elif event in deny or event.split(".")[0] == "ctypes":
            report(event)
            raise PermissionError(f"sandbox: {event} is not allowed")
        elif event in ("os.listdir", "os.scandir"):
            p = args[0] if args else "."
            if type(p) is not int and under(realpath(fsdecode(p if p is not None else ".")),
                                            blocked):
                report("listing grader files")
                raise PermissionError("sandbox: grader folders cannot be listed")
        elif event in path_events:
            for p in args:
                if isinstance(p, (str, bytes)) and not under(realpath(fsdecode(p)), [scratch]):
                    report(event)
                    raise PermissionError(f"sandbox: {event} outside the scratch dir")

    return hook


def child_main():
    job = json.loads(sys.stdin.read())
    fd = job["fd"]
    write, dumps = os.write, json.dumps

    def send(msg):
        data = (dumps(msg) + "\n").encode()
        while data:
            data = data[write(fd, data):]

    _limits(job)
    os.chdir(job["scratch"])
    import numpy as np  # noqa: F401

    import course_lib
    from autograder.cases import import_all_course_lib, load_cases
    from autograder.results import encode, encode_exception
    from course_lib import exercises

    import_all_course_lib()
    key = job["key"]
    try:
        cases = load_cases(job["cases"], "<hidden>")
        lesson, name, _ref = exercises.registry[key]
    except Exception as e:  # noqa: BLE001
        send({"fatal": f"grader error: {type(e).__name__}", "done": True})
        return
    job["cases"] = None
    exercises.registry[key] = (lesson, name, None)  # seal the reference of the graded piece
    del _ref
    import linecache
    linecache.clearcache()
    ns = {"__name__": "__main__", "torch": course_lib, "np": np,
          "implements": exercises.implements, "check": exercises.check}
    try:  # the instructor's setup cell (imports), trusted, before the snapshot
        exec(compile(job.pop("prelude") or "", "<setup>", "exec"), ns)
    except Exception as e:  # noqa: BLE001
        send({"fatal": f"grader error in the setup cell: {type(e).__name__}", "done": True})
        return
    before = _snapshot()
    first_block = []

    def report(what):
        if not first_block:
            first_block.append(what)
            try:
                send({"blocked": what})
            except Exception:  # noqa: BLE001
                pass

    sys.addaudithook(_audit_hook(job, report))

    def on_alarm(signum, frame):
        raise _CaseTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    exercises.overrides.clear()
    signal.setitimer(signal.ITIMER_REAL, float(job["case_timeout"]))
    try:
        exec(compile(job.pop("answer"), f"<answer ex_{name}>", "exec"), ns)
        signal.setitimer(signal.ITIMER_REAL, 0)
    except _CaseTimeout:
        send({"fatal": "the answer cell did not finish in time / 答案单元格运行超时", "done": True})
        return
    except BaseException as e:  # noqa: BLE001  (SystemExit included)
        signal.setitimer(signal.ITIMER_REAL, 0)
        send({"fatal": f"the answer cell raised {type(e).__name__} / 答案单元格抛出 "
                       f"{type(e).__name__}", "done": True})
        return
    piece = exercises.overrides.get(key)
    for other in [k for k in exercises.overrides if k != key]:
        del exercises.overrides[other]  # every other piece is the reference
    if piece is None:
        send({"fatal": f"the answer cell does not implement {key} (@implements missing) / "
                       f"答案单元格没有用 @implements 实现 {key}", "done": True})
        return
    changed = _diff(before, _snapshot())
    if changed:
        send({"fatal": f"tampering detected: {changed} was modified / 检测到篡改：{changed} 被修改",
              "done": True})
        return
    for i, c in enumerate(cases):
        signal.setitimer(signal.ITIMER_REAL, float(job["case_timeout"]))
        try:
            try:
                value = c.fn(piece, course_lib, np)
                enc = encode(value)
            except _CaseTimeout:
                raise
            except (Exception, SystemExit) as e:  # noqa: BLE001
                enc = encode_exception(e) if isinstance(e, Exception) else None
                if enc is None:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    send({"i": i, "error": "called sys.exit / 调用了 sys.exit"})
                    continue
            signal.setitimer(signal.ITIMER_REAL, 0)
        except _CaseTimeout:
            send({"fatal": f"time limit exceeded ({job['case_timeout']} s per case) / 超时",
                  "i": i, "error": f"time limit exceeded ({job['case_timeout']} s) / 超时",
                  "done": True})
            return
        except MemoryError:
            signal.setitimer(signal.ITIMER_REAL, 0)
            send({"i": i, "error": "memory limit exceeded / 超出内存限制"})
            continue
        changed = _diff(before, _snapshot())
        if changed:
            send({"fatal": f"tampering detected: {changed} was modified / 检测到篡改：{changed} 被修改",
                  "done": True})
            return
        send({"i": i, "enc": enc})
    send({"done": True})
    os._exit(0)
