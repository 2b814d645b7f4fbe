"""Sandbox child side, inside the jail: one zygote per session, one forked child per exercise.

沙箱子进程端（在 jail.py 的隔离环境中）：每个会话一个“母进程”（导入一次评分版 course_lib 与
setup 单元格；评分时每个练习一个会话），每个练习在其 fork 出的全新子进程中运行，互不影响。

The zygote (started by :func:`autograder.sandbox.run_pieces` inside the jail) never runs student
code: it makes itself non-dumpable (no ptrace, no ``/proc/<pid>/mem`` for its children), imports
numpy and the *grading build* of course_lib (the graded piece's reference body is a stub: there
is nothing to find; every other piece is the reference, so a piece is graded in isolation),
runs the instructor's setup cell once, then for each piece forks a child and waits for it (wall-clock limit, SIGKILL) and wipes its scratch folder. The child closes
every descriptor but its own two (its input, an unlinked file it reads once, and its result
pipe), sets its rlimits (CPU, address space, processes, file size, open files, no core), moves
into its own scratch folder on the jail's size-limited tmpfs, compiles its hidden cases from the
source it was sent, and only then execs the student's answer cell. The OS jail is what holds;
the audit hook (no new processes, signals or sockets) and the tamper snapshot are defence in
depth. Messages: the child writes one JSON line per case on its own pipe; the zygote reports
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
    limits = [(resource.RLIMIT_AS, mem), (resource.RLIMIT_CPU, int(job["cpu"])),
              (resource.RLIMIT_FSIZE, 64 * 2**20), (resource.RLIMIT_CORE, 0),
              (resource.RLIMIT_NOFILE, 256)]
    if job.get("nproc"):  # the jail's own uid: counts only this sandbox's processes
        limits.append((resource.RLIMIT_NPROC, int(job["nproc"])))
    for what, value in limits:
        try:
            resource.setrlimit(what, (value, value))
        except (ValueError, OSError):
            pass


_FORBIDDEN_IMPORTS = ("pytest", "_pytest")  # the test framework has no business in an answer
_WATCHED = ("builtins", "numpy", "course_lib", "autograder", "pytest", "_pytest", "json",
            "base64", "math", "functools", "operator", "os", "sys", "signal", "select")


def _snapshot():
    """{(module, attribute): value} for callables/types/modules of the watched modules, and
    the methods (functions, descriptors, nested classes) of the classes they define — not
    their data: honest code changes class-level state (a hook counter, a default), never a
    method. 只比较函数与方法，不比较类的数据属性。"""
    import types
    method = (types.FunctionType, staticmethod, classmethod, property, type,
              types.BuiltinFunctionType, types.MethodDescriptorType, types.WrapperDescriptorType)
    snap = {}
    for name, m in list(sys.modules.items()):
        if m is None or name.split(".")[0] not in _WATCHED:
            continue
        d = getattr(m, "__dict__", None)
        if type(d) is not dict:
            continue
        snap[(name, "")] = m
        for k, v in list(d.items()):
            if callable(v) or type(v) is types.ModuleType:
                snap[(name, k)] = v
                if type(v) is type and getattr(v, "__module__", None) == name:
                    for a, av in list(type.__dict__["__dict__"].__get__(v).items()):
                        if isinstance(av, method):
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
    for k, v in after.items():
        if k in before or k[0].split(".")[0] not in ("builtins", "numpy", "autograder"):
            continue
        if (k[0], "") not in before:  # a module imported since (np.polynomial): not a change
            continue
        sub = f"{k[0]}.{k[1]}"
        if (sub, "") not in before and sys.modules.get(sub) is v:  # its parent's attribute
            continue
        return ".".join(k)
    return None


_MISSING = object()


def _audit_hook(report):
    """Defence in depth only (the jail holds): no new processes, signals or sockets."""
    deny = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
            "os.forkpty", "os.kill", "os.killpg", "signal.pthread_kill", "socket.__new__",
            "socket.connect", "socket.bind", "resource.setrlimit", "resource.prlimit",
            "os.setsid", "os.chroot", "pty.spawn"}

    def hook(event, args):
        if event in deny:
            report(event)
            raise PermissionError(f"sandbox: {event} is not allowed / 沙箱：不允许 {event}")

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


def _undumpable():
    """PR_SET_DUMPABLE = 0: no ptrace and no /proc/<pid>/mem of this process (nor of its forks,
    which inherit it) by another process of the same uid. 禁止读取本进程内存。"""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
    except (OSError, AttributeError):
        pass


def _wipe(path):
    """Remove a file or folder of the scratch whatever the child did to its permissions."""
    import shutil
    if os.path.islink(path) or not os.path.isdir(path):
        try:
            os.unlink(path)
        except OSError:
            pass
        return
    for root, dirs, _files in os.walk(path):
        for d in dirs:
            try:
                os.chmod(os.path.join(root, d), 0o700)
            except OSError:
                pass
    shutil.rmtree(path, ignore_errors=True)


def _seed_mpl(job):
    """Copy matplotlib's font list into the fresh MPLCONFIGDIR (it is slow to rebuild)."""
    src, dest = job.get("mpl_seed"), os.environ.get("MPLCONFIGDIR")
    if not src or not dest or not os.path.isdir(src):
        return
    import shutil
    try:
        os.makedirs(dest, exist_ok=True)
        for f in os.listdir(src):
            if f.startswith("fontlist-"):
                shutil.copyfile(os.path.join(src, f), os.path.join(dest, f))
    except OSError:
        pass


#: modules of the setup cell that answers rarely use and that cost more to import than the
#: rest of the zygote (one zygote per piece): executed on first use, in the child that uses them
LAZY_IMPORTS = ("matplotlib.pyplot",)


class _LazyImports:
    """Meta-path finder that loads the modules in ``names`` lazily (importlib's LazyLoader)."""

    def __init__(self, names):
        self.names = frozenset(names)

    def find_spec(self, name, path, target=None):
        if name not in self.names:
            return None
        import importlib.machinery
        import importlib.util
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def zygote_main():
    """Entry point of the sandbox process (see the module docstring)."""
    _undumpable()
    job = json.loads(sys.stdin.read())
    ctl = _writer(job["ctl"])
    _seed_mpl(job)
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
    lazy = _LazyImports(LAZY_IMPORTS)
    sys.meta_path.insert(0, lazy)
    try:  # the instructor's setup cell (imports), trusted, before any fork
        exec(compile(job.pop("prelude") or "", "<setup>", "exec"), ns)
        setup_error = None
    except Exception as e:  # noqa: BLE001
        setup_error = f"grader error in the setup cell / 设置单元格中的评分工具错误: {type(e).__name__}"
    finally:
        sys.meta_path.remove(lazy)
    from autograder.results import encode  # noqa: F401  (imported once, before any fork)
    pieces = job.pop("pieces")
    fds = [(p["fd"], p["input"]) for p in pieces]
    for i, piece in enumerate(pieces):
        ctl({"start": i})
        sys.stdout.flush()
        sys.stderr.flush()
        scratch = os.path.join(job["scratch_root"], f"piece-{i}")
        os.makedirs(scratch, mode=0o700, exist_ok=True)
        pid = os.fork()
        if pid == 0:  # ---- the child: never returns into this loop
            code = 0
            try:
                os.close(job["ctl"])
                for j, (fd, inp) in enumerate(fds):
                    if j > i:  # earlier ones are closed already
                        os.close(fd)
                        os.close(inp)
                del pieces[:]
                _piece(job, piece, scratch, ns, setup_error)
            except BaseException:  # noqa: BLE001
                code = 70
            finally:
                os._exit(code)
        os.close(fds[i][0])
        os.close(fds[i][1])
        pieces[i] = None
        rc = _wait(pid, float(job["timeout"]) + 2)
        if job.get("isolated"):  # anything the child left running dies before the next one
            try:
                os.kill(-1, signal.SIGKILL)  # every process of the jail but this one and init
            except OSError:
                pass
        memory = False
        try:
            with open(os.path.join(scratch, "stderr.txt"), "rb") as f:
                f.seek(0, 2)
                f.seek(max(0, f.tell() - 4000))
                memory = b"MemoryError" in f.read()
        except OSError:
            pass
        keep = set(job.get("keep") or ())  # mount points of read-only binds (a venv in /tmp)
        for entry in os.listdir(job["scratch_root"]):  # the whole scratch: nothing carries over
            if entry not in keep:
                _wipe(os.path.join(job["scratch_root"], entry))
        _seed_mpl(job)
        ctl({"end": i, "rc": rc, "memory": memory})
    os._exit(0)


def _piece(job, piece, scratch, ns, setup_error):
    """One exercise in the forked child (result pipe ``piece['fd']``)."""
    send = _writer(piece["fd"])
    try:
        err = os.open(os.path.join(scratch, "stderr.txt"),
                      os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(err, 2)
        os.close(err)
    except OSError:
        pass
    data = b""
    while True:  # this piece's answer and cases: an unlinked file only this child holds
        chunk = os.pread(piece["input"], 1 << 20, len(data))
        if not chunk:
            break
        data += chunk
    os.close(piece["input"])
    piece.update(json.loads(data))
    del data
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
    exercises.registry[key] = (lesson, name, None)  # the build's stub: not a reference anyway
    del _ref
    import linecache
    linecache.clearcache()
    exercises.overrides.clear()
    before = _snapshot()
    first_block = []

    def report(what):
        if not first_block:
            first_block.append(what)
            try:
                send({"blocked": what})
            except Exception:  # noqa: BLE001
                pass

    sys.addaudithook(_audit_hook(report))

    def on_alarm(signum, frame):
        raise _CaseTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(job["case_timeout"]))
    try:
        exec(compile(piece.pop("answer"), f"<answer ex_{name}>", "exec"), ns)
        signal.setitimer(signal.ITIMER_REAL, 0)
    except _CaseTimeout:
        send({"fatal": "the answer cell did not finish in time / 答案单元格运行超时", "done": True})
        return
    except BaseException as e:  # noqa: BLE001  (SystemExit included)
        signal.setitimer(signal.ITIMER_REAL, 0)
        send({"fatal": "the answer cell raised an exception / 答案单元格抛出异常",
              "raised": _type_name(e), "done": True})
        return
    piece_fn = exercises.overrides.get(key)
    for other in [k for k in exercises.overrides if k != key]:
        del exercises.overrides[other]  # every other piece is the build's reference
    if piece_fn is None:
        send({"fatal": f"the answer cell does not implement {key} (@implements missing) / "
                       f"答案单元格没有用 @implements 实现 {key}", "done": True})
        return
    changed = _diff(before, _snapshot())
    if changed:
        send({"fatal": "tampering detected: a library function was replaced / "
                       "检测到篡改：库函数被替换", "tampered": changed, "done": True})
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
            send({"fatal": "tampering detected: a library function was replaced / "
                           "检测到篡改：库函数被替换", "tampered": changed, "done": True})
            return
        send({"i": i, "enc": enc})
    send({"done": True})


def _type_name(e) -> str:
    """The exception's class name as plain text (the parent truncates and escapes it)."""
    try:
        return str(type.__getattribute__(type(e), "__name__"))[:80]
    except Exception:  # noqa: BLE001
        return "?"
