"""Loaded by the kernel that autograde starts (PYTHONPATH): memory limit and an audit hook.

自动评分内核的防护：内存上限，以及禁止读取评分文件/成绩库、禁止结束其他进程的审计钩子。
Active only when COURSE_GUARD_BLOCKED is set (by autograder.autograde_one).
"""
import os
import sys

_blocked = [p for p in os.environ.get("COURSE_GUARD_BLOCKED", "").split(os.pathsep) if p]
if _blocked:
    import resource

    _mem = int(os.environ.get("COURSE_GUARD_MEM_MB", "2048")) * 2**20
    try:
        resource.setrlimit(resource.RLIMIT_AS, (_mem, _mem))
    except (ValueError, OSError):
        pass
    _real, _me = os.path.realpath, os.getpid()

    _allowed = [p for p in os.environ.get("COURSE_GUARD_ALLOWED", "").split(os.pathsep) if p]
    _hard = [p for p in os.environ.get("COURSE_GUARD_HARD", "").split(os.pathsep) if p]

    def _in(p, roots):
        return any(p == b or p.startswith(b.rstrip("/") + "/") for b in roots)

    def _under(p):
        """Blocked: a hard path, or a blocked path outside the kernel's own scratch dir."""
        return _in(p, _hard) or (_in(p, _blocked) and not _in(p, _allowed))

    def _hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes)):
            mode = args[1] if len(args) > 1 else "r"
            writing = isinstance(mode, str) and any(c in mode for c in "wax+") or (
                len(args) > 2 and isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR))
            p = _real(os.fsdecode(args[0]))
            if writing and _in(p, _blocked + _hard) and not (_in(p, _allowed) and not _in(p, _hard)):
                raise PermissionError("cannot write grader files / 不能写评分文件")
            if _under(p):
                raise PermissionError("grader files cannot be read / 不能读取评分文件")
        elif event in ("os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes)):
            if _under(_real(os.fsdecode(args[0]))):
                raise PermissionError("grader folders cannot be listed / 不能列出评分目录")
        elif event in ("os.kill", "os.killpg") and args and args[0] not in (_me, 0):
            raise PermissionError("cannot signal other processes / 不能向其他进程发信号")
        elif event == "sqlite3.connect" and args and isinstance(args[0], (str, bytes)):
            if _under(_real(os.fsdecode(args[0]))):
                raise PermissionError("the gradebook cannot be opened / 不能打开成绩库")
        elif event in ("resource.setrlimit", "resource.prlimit"):
            raise PermissionError(f"{event} is not allowed here / 不允许")

    sys.addaudithook(_hook)

    if os.environ.get("COURSE_GUARD_NO_TORCH"):
        class _NoTorch:
            """Grading runs without real PyTorch ("compare with PyTorch" cells are skipped)."""

            @staticmethod
            def find_spec(name, path=None, target=None):
                if name == "torch" or name.startswith("torch."):
                    raise ImportError("torch is not available while grading / 评分时不加载 torch")
                return None

        sys.meta_path.insert(0, _NoTorch)
