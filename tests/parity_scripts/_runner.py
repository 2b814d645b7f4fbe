"""Run a tutorial script and tag every stdout line with the script line that printed it.

用法 / usage:  python _runner.py [--course-lib] SCRIPT.py

With ``--course-lib`` every ``import torch`` / ``import torch.x.y`` inside the script gets
``course_lib`` / ``course_lib.x.y`` instead, so the script itself is unchanged.
Output lines look like ``17|tensor([1., 2.])`` (17 = the line of SCRIPT that wrote it), which
lets the test mask numbers only on the lines the script marks ``# parity: random``.
"""
import importlib
import importlib.abc
import importlib.util
import os
import runpy
import sys


class _TorchIsCourseLib(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import hook: ``torch[.sub]`` → the already-importable ``course_lib[.sub]``."""

    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("course_lib" + spec.name[len("torch"):])

    def exec_module(self, module):
        pass


class _TaggedStdout:
    """Buffers text and emits complete lines prefixed with the script's current line number."""

    def __init__(self, out, script):
        self.out, self.script, self.buf, self.tag = out, os.path.abspath(script), "", None

    def _lineno(self):
        f = sys._getframe(2)
        while f is not None:
            if os.path.abspath(f.f_code.co_filename) == self.script:
                return f.f_lineno
            f = f.f_back
        return 0

    def write(self, s):
        if self.tag is None:
            self.tag = self._lineno()
        self.buf += s
        while "\n" in self.buf:
            line, self.buf = self.buf.split("\n", 1)
            self.out.write(f"{self.tag}|{line}\n")
            self.tag = self._lineno() if self.buf else None
        return len(s)

    def flush(self):
        if self.buf:
            self.out.write(f"{self.tag}|{self.buf}\n")
            self.buf, self.tag = "", None
        self.out.flush()


def main(argv):
    if argv and argv[0] == "--course-lib":
        sys.meta_path.insert(0, _TorchIsCourseLib())
        argv = argv[1:]
    script = argv[0]
    sys.stdout = _TaggedStdout(sys.__stdout__, script)
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
