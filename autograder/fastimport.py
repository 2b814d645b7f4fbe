"""Make ``import nbformat`` / ``import nbgrader`` cheap in grading processes.

让评分进程中 ``import nbformat`` / ``import nbgrader`` 变快。

``jsonschema`` (imported by nbformat) imports ``rfc3987_syntax`` when it is installed, and that
package compiles ~40 lark grammars at import time: 1.3–2.7 s on this machine, paid by every
process that reads a notebook (the ``course`` command, each autograde worker). nbformat never
validates the ``iri`` formats those grammars serve. :func:`install` puts a stand-in module in
``sys.modules`` whose ``is_valid_syntax`` imports the real package on first use, so behaviour
is unchanged and only a process that really checks an IRI pays for the grammars.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types

_NAME = "rfc3987_syntax"


def _real():
    stub = sys.modules.pop(_NAME, None)
    try:
        mod = importlib.import_module(_NAME)
    except BaseException:
        if stub is not None:
            sys.modules[_NAME] = stub
        raise
    return mod


def install() -> None:
    """Install the lazy stand-in (no-op if the package is absent or already imported)."""
    if _NAME in sys.modules:
        return
    try:
        if importlib.util.find_spec(_NAME) is None:
            return
    except (ImportError, ValueError):
        return
    stub = types.ModuleType(_NAME, "lazy stand-in (autograder.fastimport)")

    def is_valid_syntax(*args, **kwargs):
        return _real().is_valid_syntax(*args, **kwargs)

    def __getattr__(attr):
        if attr.startswith("__"):  # import machinery probing (__path__, __file__, …)
            raise AttributeError(attr)
        return getattr(_real(), attr)

    stub.is_valid_syntax = is_valid_syntax
    stub.__getattr__ = __getattr__
    sys.modules[_NAME] = stub
