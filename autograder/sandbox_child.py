"""Sandbox child side: one zygote per notebook, one forked child per exercise.

沙箱子进程端：每份 notebook 一个“母进程”（导入一次 course_lib 与 setup 单元格），每个练习在其
fork 出的全新子进程中运行（资源限制、审计钩子、篡改快照），互不影响。

The zygote (``python -I``, started by :func:`autograder.sandbox.run_pieces`) never runs student
code: it imports numpy and the complete course_lib, runs the instructor's setup cell once, then
for each piece forks a child and waits for it (wall-clock limit, SIGKILL). The child closes
every pipe but its own, drops the other pieces' data, sets its rlimits (CPU, RLIMIT_AS, file
size, no core), moves into its own scratch directory, compiles its hidden cases from the
source it was sent (never from disk), seals the reference of its piece, takes the tamper
snapshot, installs the audit hook and only then execs the student's answer cell. A fork is a
fresh copy of a process that has run no student code, so each exercise starts as pristine as
a new interpreter, at a fraction of the cost (matplotlib and course_lib are imported once).
Messages: the child writes one JSON line per case on its own pipe; the zygote reports
``{"start": i}`` / ``{"end": i, "rc": …}`` on a control pipe no child can write to.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time

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
                raise PermissionError(f"sandbox: writing outside the scratch dir / 沙箱：不能在临时目录外写入: {p}")
            if not writing and under(p, blocked) and not under(p, allowed_read):
                report("reading grader files")
                raise PermissionError("sandbox: grader files cannot be read / 沙箱：不能读取评分文件")
        elif event in deny or event.split(".")[0] == "ctypes":
            report(event)
            raise PermissionError(f"sandbox: {event} is not allowed / 沙箱：不允许 {event}")
        elif event in ("os.listdir", "os.scandir"):
            p = args[0] if args else "."
            if type(p) is not int and under(realpath(fsdecode(p if p is not None else ".")),
                                            blocked):
                report("listing grader files")
                raise PermissionError("sandbox: grader folders cannot be listed / 沙箱：不能列出评分目录")
        elif event in path_events:
            for p in args:
                if isinstance(p, (str, bytes)) and not under(realpath(fsdecode(p)), [scratch]):
                    report(event)
                    raise PermissionError(f"sandbox: {event} outside the scratch dir / 沙箱：不允许在临时目录外 {event}")

    return hook


def _writer(fd):
    write, dumps = os.write, json.dumps

    def send(msg):
        data = (dumps(msg) + "\n").encode()
        while data:
            data = data[write(fd, data):]

    return send


def _wait(pid: int, limit: float):
    """Wait for child ``pid`` at most ``limit`` seconds (then SIGKILL); its return code."""
    deadline = time.monotonic() + limit
    pidfd = None
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pass
    try:
        import select
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            left = deadline - time.monotonic()
            if left <= 0:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)
                return "timeout"
            if pidfd is not None:
                select.select([pidfd], [], [], left)
            else:
                time.sleep(min(left, 0.005))
    finally:
        if pidfd is not None:
            os.close(pidfd)


def zygote_main():
    """Entry point of the sandbox process (see the module docstring)."""
    job = json.loads(sys.stdin.read())
    ctl = _writer(job["ctl"])
    import numpy as np

    import course_lib
    from autograder.cases import import_all_course_lib
    from course_lib import exercises

    import_all_course_lib()
    if job.get("digest"):
        from autograder.cases import course_lib_digest
        if course_lib_digest() != job["digest"]:
            print("course_lib changed on disk during grading: the reference and the sandbox "
                  "would differ; run again / 评分期间 course_lib 被修改，请重新运行",
                  file=sys.stderr, flush=True)
            os._exit(2)
    ns = {"__name__": "__main__", "torch": course_lib, "np": np,
          "implements": exercises.implements, "check": exercises.check}
    try:  # the instructor's setup cell (imports), trusted, before any fork
        exec(compile(job.pop("prelude") or "", "<setup>", "exec"), ns)
        setup_error = None
    except Exception as e:  # noqa: BLE001
        setup_error = f"grader error in the setup cell / 设置单元格中的评分工具错误: {type(e).__name__}"
    from autograder.results import encode  # noqa: F401  (imported once, before any fork)
    pieces = job.pop("pieces")
    fds = [p["fd"] for p in pieces]
    for i, piece in enumerate(pieces):
        ctl({"start": i})
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # ---- the child: never returns into this loop
            code = 0
            try:
                os.close(job["ctl"])
                for fd in fds[i + 1:]:  # earlier pipes are closed already
                    os.close(fd)
                del pieces[:]
                _piece(job, piece, ns, setup_error)
            except BaseException:  # noqa: BLE001
                code = 70
            finally:
                os._exit(code)
        os.close(fds[i])
        pieces[i] = None  # the zygote keeps no student answer either
        rc = _wait(pid, float(job["timeout"]) + 2)
        ctl({"end": i, "rc": rc})
    os._exit(0)


def _piece(job, piece, ns, setup_error):
    """One exercise in the forked child (pipe ``piece['fd']``)."""
    send = _writer(piece["fd"])
    scratch = piece["scratch"]
    try:
        err = os.open(os.path.join(scratch, "child-stderr.txt"),
                      os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(err, 2)
        os.close(err)
    except OSError:
        pass
    os.environ.update(HOME=scratch, TMPDIR=scratch)
    import tempfile
    tempfile.tempdir = None
    _limits(job)
    os.chdir(scratch)
    if setup_error:
        send({"fatal": setup_error, "done": True})
        return
    import course_lib
    import numpy as np
    from autograder.cases import load_cases
    from autograder.results import encode, encode_exception
    from course_lib import exercises

    key = piece["key"]
    try:
        cases = load_cases(piece.pop("cases"), "<hidden>")
        lesson, name, _ref = exercises.registry[key]
    except Exception as e:  # noqa: BLE001
        send({"fatal": f"grader error / 评分工具错误: {type(e).__name__}", "done": True})
        return
    exercises.registry[key] = (lesson, name, None)  # seal the reference of the graded piece
    del _ref
    import linecache
    linecache.clearcache()
    before = _snapshot()
    first_block = []

    def report(what):
        if not first_block:
            first_block.append(what)
            try:
                send({"blocked": what})
            except Exception:  # noqa: BLE001
                pass

    hook_job = dict(job, scratch=scratch)
    sys.addaudithook(_audit_hook(hook_job, report))

    def on_alarm(signum, frame):
        raise _CaseTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    exercises.overrides.clear()
    signal.setitimer(signal.ITIMER_REAL, float(job["case_timeout"]))
    try:
        exec(compile(piece.pop("answer"), f"<answer ex_{name}>", "exec"), ns)
        signal.setitimer(signal.ITIMER_REAL, 0)
    except _CaseTimeout:
        send({"fatal": "the answer cell did not finish in time / 答案单元格运行超时", "done": True})
        return
    except BaseException as e:  # noqa: BLE001  (SystemExit included)
        signal.setitimer(signal.ITIMER_REAL, 0)
        send({"fatal": f"the answer cell raised {type(e).__name__} / 答案单元格抛出 "
                       f"{type(e).__name__}", "done": True})
        return
    piece_fn = exercises.overrides.get(key)
    for other in [k for k in exercises.overrides if k != key]:
        del exercises.overrides[other]  # every other piece is the reference
    if piece_fn is None:
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
                value = c.fn(piece_fn, course_lib, np)
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
