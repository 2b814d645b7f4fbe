"""The jail: every process that runs a student's code runs inside it (OS isolation, bubblewrap).

监狱（沙箱的操作系统层）：运行学生代码的每个进程都在其中——bubblewrap 提供的独立 pid/网络/IPC/UTS
命名空间、只读的最小文件视图、限额的临时文件系统，以及专用的无特权用户。

:func:`wrap` turns a command into one that runs under ``bwrap`` with

* its own pid, network, IPC, UTS (and cgroup) namespaces: it sees only its own processes
  (no grader pid to signal, ptrace, open with a pidfd or read through ``/proc/<pid>/mem``), has
  no network, and everything in it dies with the namespace (``--die-with-parent``: when the
  grader kills the jail or dies itself); ``--new-session`` (no terminal to inject into);
* a private mount view: read-only binds of only what Python needs (``/usr``, the interpreter's
  prefix, the venv, a few ``/etc`` files) and of the caller's read-only folders (the grading
  build of course_lib), a fresh ``/proc`` and ``/dev``, and one writable size-limited tmpfs
  (``/tmp``, the scratch: the disk quota). No ``/work``, no solutions/, no autograder/hidden/,
  no submissions, no gradebook, no results;
* a dedicated unprivileged uid/gid (``60000 + slot``, all capabilities dropped, no new
  privileges) when the grader runs as root, so ``RLIMIT_NPROC`` counts only the jail's
  processes and file permissions apply; as an ordinary user, a user namespace instead;
* only the file descriptors the caller passes (the result pipes).

The rlimits (CPU, address space, processes, file size, open files) and ``PR_SET_DUMPABLE`` are
set by the process inside (``sandbox_child.py``), before any student code runs.
"""
from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent  # solutions/, autograder/hidden/, .course/
UID_BASE = 60000
SCRATCH = "/tmp"  # the writable tmpfs inside the jail
_ETC = ("/etc/ld.so.cache", "/etc/localtime", "/etc/fonts", "/etc/mime.types")
_UNSANDBOXED = [False]


class JailUnavailable(RuntimeError):
    """The OS refuses a layer of the jail (no bwrap, no namespaces): grading refuses to run."""


def allow_unsandboxed(flag: bool = True) -> None:
    """The instructor's explicit ``--unsandboxed``: run student code without the jail."""
    _UNSANDBOXED[0] = bool(flag)


def unsandboxed() -> bool:
    return _UNSANDBOXED[0]


def _is_root() -> bool:
    return os.geteuid() == 0


def _python_roots() -> list:
    """Folders the interpreter needs: the venv (sys.prefix) and the base installation."""
    roots = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix),
             os.path.realpath(sysconfig.get_paths()["stdlib"])}
    exe = os.path.realpath(sys.executable)
    roots.add(os.path.dirname(os.path.dirname(exe)))
    out = []
    for r in sorted(roots, key=len):  # drop those inside another (and anything under /usr)
        if r.startswith("/usr/") or r == "/usr" or any(r.startswith(o + "/") for o in out):
            continue
        out.append(r)
    return out


def _dirs(path: str, made: set) -> list:
    """``--dir`` (mode 0755) for every ancestor of ``path`` not made yet: bwrap makes missing
    mount points 0700, which the unprivileged uid could not traverse."""
    args, parts = [], Path(path).parts[1:-1]
    for i in range(len(parts)):
        d = "/" + "/".join(parts[: i + 1])
        if d not in made and d not in ("/usr", "/tmp", "/proc", "/dev"):
            made.add(d)
            args += ["--perms", "0755", "--dir", d]
    return args


def _masked() -> list:
    """Packages of the venv hidden in the jail: real PyTorch (the course's oracle) is no
    answer key a student may call from graded code. 评分时不能调用真正的 PyTorch。"""
    out = []
    for sp in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        for name in ("torch", "functorch", "torchgen"):
            p = os.path.join(sp, name)
            if os.path.isdir(p):
                out.append(os.path.realpath(p))
    return out


def wrap(argv: list, *, ro: dict, uid: int, scratch_mb: int = 256, cwd: str = SCRATCH,
         env: dict | None = None, always: bool = False, hide=()) -> list:
    """The command line that runs ``argv`` in the jail; ``ro``: {host path: jail path};
    ``hide``: folders (besides the repository) that must not be seen even if they lie under
    a bound folder (the submissions, the output). With ``--unsandboxed`` (and not
    ``always``), ``argv`` itself."""
    if unsandboxed() and not always:
        return list(argv)
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise JailUnavailable(missing_reason())
    args = [bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--clearenv"]
    if not _is_root():  # an ordinary user: a user namespace (the instructor's uid, no caps)
        args += ["--unshare-user", "--disable-userns"]
    args += ["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev"]
    # the scratch first: a folder bound later under it (a venv in /tmp/…) lands on top of it
    args += ["--size", str(int(scratch_mb) * 2**20), "--perms", "1777", "--tmpfs", SCRATCH]
    for link in ("bin", "lib", "lib64", "sbin"):
        p = f"/{link}"
        if os.path.islink(p):
            args += ["--symlink", os.readlink(p), p]
        elif os.path.isdir(p):
            args += ["--ro-bind", p, p]
    made: set = set()
    for e in _ETC:
        if os.path.exists(e):
            args += _dirs(e, made) + ["--ro-bind", e, e]
    roots = _python_roots()
    mounts = [(r, "--ro-bind") for r in roots]
    for secret in {str(REPO), *(os.path.realpath(h) for h in hide)}:
        if any(secret.startswith(r.rstrip("/") + "/") for r in ["/usr", *roots]):
            mounts.append((secret, "--tmpfs"))  # under a bound folder: an empty tmpfs
    for path, kind in sorted(mounts, key=lambda m: len(m[0])):  # parents before children
        if kind == "--tmpfs":
            args += ["--tmpfs", path]
        else:
            args += _dirs(path + "/x", made) + ["--ro-bind", path, path]
    for m in _masked():
        args += ["--tmpfs", m]
    for src, dest in ro.items():
        args += _dirs(str(dest) + "/x", made) + ["--ro-bind", str(src), str(dest)]
    args += ["--chdir", cwd]
    for k, v in (env or {}).items():
        args += ["--setenv", k, str(v)]
    if _is_root():  # drop to the slot's own uid, no capabilities, no new privileges
        args += ["--", shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}",
                 f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                 "--no-new-privs"]
    return args + ["--", *argv]


def in_scratch(ro: dict, hide=()) -> set:
    """Names in the scratch folder that are mount points (or lead to one) of what :func:`wrap`
    binds there — a venv or checkout under /tmp: the scratch's wipe must leave them alone."""
    roots = _python_roots()
    secrets = [s for s in {str(REPO), *(os.path.realpath(h) for h in hide)}
               if any(s.startswith(r.rstrip("/") + "/") for r in ["/usr", *roots])]
    targets = [*roots, *(str(d) for d in ro.values()), *_masked(), *secrets]
    prefix = SCRATCH.rstrip("/") + "/"
    return {t[len(prefix):].split("/", 1)[0] for t in targets if t.startswith(prefix)}


@contextlib.contextmanager
def uid_slot():
    """A uid of its own for one jail at a time (60000, 60001, …), unique on this machine: every
    grader process (several `course grade` may run at once) takes it under an exclusive lock
    (``flock``, released when the process ends), so no two jails share a uid, a process count
    or a clean-up. 每个沙箱独占一个 uid（跨进程加锁）。"""
    import fcntl
    lockdir = Path(tempfile.gettempdir()) / f"course-jail-uids-{os.geteuid()}"
    lockdir.mkdir(mode=0o700, exist_ok=True)
    for uid in range(UID_BASE, UID_BASE + 999):
        fd = os.open(lockdir / f"{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        try:
            yield uid
        finally:
            os.close(fd)  # releases the lock
        return
    raise JailUnavailable("没有空闲的沙箱 uid / no free jail uid (999 jails at once?)")


def missing_reason() -> str:
    return ("找不到 bubblewrap（bwrap）：请安装（Debian/Ubuntu: apt-get install bubblewrap）；"
            "或由教师明确传入 --unsandboxed 在没有隔离的情况下评分（学生代码可以读取答案并"
            "破坏其他成绩）/ bubblewrap (bwrap) not found: install it (Debian/Ubuntu: apt-get "
            "install bubblewrap), or pass --unsandboxed to grade without isolation (student code "
            "could then read the answers and damage other grades)")


@functools.lru_cache(maxsize=None)
def probe() -> str | None:
    """None when the jail works on this machine, else the bilingual reason it does not."""
    if shutil.which("bwrap") is None:
        return missing_reason()
    if _is_root() and shutil.which("setpriv") is None:
        return "找不到 setpriv（util-linux）/ setpriv (util-linux) not found"
    hidden = Path(__file__).resolve().parent / "hidden"
    script = f"test $$ -lt 10 && test ! -e '{hidden}' && id -u"  # own pid ns, no repository
    argv = wrap(["/bin/sh", "-c", script], ro={}, uid=UID_BASE + 999,
                env={"PATH": "/usr/bin:/bin"}, always=True)
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        return f"bwrap 无法运行 / bwrap cannot run: {e}"
    if r.returncode != 0:
        tail = (r.stderr.strip().splitlines() or ["?"])[-1]
        return (f"操作系统拒绝了沙箱的一层（用户/pid/网络命名空间？）/ the OS refused a layer of "
                f"the jail (user, pid or network namespaces?): {tail}")
    if _is_root() and r.stdout.strip() != str(UID_BASE + 999):
        return "沙箱没有切换到无特权用户 / the jail did not switch to its unprivileged uid"
    return None


def require() -> None:
    """Raise :class:`JailUnavailable` unless the jail works (or ``--unsandboxed`` was given)."""
    if unsandboxed():
        return
    why = probe()
    if why:
        raise JailUnavailable(
            f"{why}\n评分拒绝在没有沙箱的情况下运行；确需如此请加 --unsandboxed / grading refuses "
            f"to run without the sandbox; pass --unsandboxed only if you must")


def uid_processes(uids=None) -> list:
    """Pids of processes running as a jail uid (a test and `course doctor` look for leftovers)."""
    out = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            for line in (p / "status").read_text().splitlines():
                if line.startswith("Uid:"):
                    uid = int(line.split()[1])
                    if (uids is None and UID_BASE <= uid < UID_BASE + 1000) or \
                            (uids is not None and uid in uids):
                        out.append(int(p.name))
                    break
        except (OSError, ValueError):
            pass
    return out
