"""Clear errors for the parts of PyTorch that course_lib does not have.

course_lib 没有实现的 PyTorch 功能：给出清楚的中英文说明，而不是一句普通的 AttributeError。

``import course_lib as torch`` makes PyTorch tutorials run on course_lib; when one reaches for
something course_lib leaves out (``nn.BatchNorm2d``, ``torch.fft``, ``optim.Adagrad`` …)
the error says that PyTorch has it and how to run the code on PyTorch, while a name PyTorch
does not have either gets Python's usual message (a typo). The names come from
``_torch_names.py`` (generated from PyTorch by tools/torch_names.py), so no PyTorch is needed.
A submodule of the package that is not imported yet is imported instead (as torch does).
Modules only: a ``__getattr__`` on Tensor would slow every attribute access of every tensor
(CPython stops specialising them), so a missing Tensor method keeps Python's message.
"""
from __future__ import annotations

import importlib
import os


def missing(where: str, name: str, module=None) -> AttributeError:
    """The AttributeError for ``where.name`` (``where``: a module name)."""
    plain = f"module '{where}' has no attribute '{name}'"
    theirs = where.replace("course_lib", "torch", 1) + f".{name}"
    if not name.startswith("_") and name in _names(where):
        msg = (f"{plain}：PyTorch 有 {theirs}，但 course_lib 只实现了课程用到的部分；要用它，请在"
               f"真正的 PyTorch 上运行这段代码（import torch）。\n{plain}: PyTorch has {theirs}, "
               "but course_lib implements only what the course uses; run this code on real "
               "PyTorch (import torch) to use it.")
    else:
        msg = plain
    e = AttributeError(msg)
    e.name, e.obj = name, module
    return e


def _names(where):
    from ._torch_names import NAMES  # only when a public name is missing
    return NAMES.get(where, ())


def module_getattr(module_name: str, module_file: str):
    """A module-level ``__getattr__``: import a submodule of the package, or raise ``missing``."""
    here = os.path.dirname(module_file)
    package = os.path.basename(module_file) == "__init__.py"

    def __getattr__(name: str):
        if package and not name.startswith("_") and (
                os.path.isdir(os.path.join(here, name))
                or os.path.isfile(os.path.join(here, name + ".py"))):
            return importlib.import_module(f"{module_name}.{name}")
        import sys
        raise missing(module_name, name, sys.modules.get(module_name))
    return __getattr__
