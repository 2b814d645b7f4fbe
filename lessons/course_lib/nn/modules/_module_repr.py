"""``nn.Module``'s repr: ``extra_repr``, ``_get_name`` and torch's nested layout.

``nn.Module`` 的 repr：``extra_repr``、``_get_name`` 与 torch 相同的嵌套缩进格式。

These are methods of ``Module``: ``course_lib.nn.modules.module`` binds them in its class body
and reports them as its own (``Module.__repr__.__qualname__ == "Module.__repr__"``,
``__module__ == "course_lib.nn.modules.module"``), as when they were written there.
"""
from __future__ import annotations

_HOME = "course_lib.nn.modules.module"


def _addindent(s_, num_spaces):
    s = s_.split("\n")
    if len(s) == 1:
        return s_
    first = s.pop(0)
    return first + "\n" + "\n".join((num_spaces * " ") + line for line in s)


def extra_repr(self):
    return ""


def _get_name(self):
    return self.__class__.__name__


def __repr__(self):
    extra_lines = []
    extra = self.extra_repr()
    if extra:
        extra_lines = extra.split("\n")
    child_lines = []
    for key, module in self._modules.items():
        child_lines.append("(" + key + "): " + _addindent(repr(module), 2))
    lines = extra_lines + child_lines
    main = self._get_name() + "("
    if lines:
        if len(extra_lines) == 1 and not child_lines:
            main += extra_lines[0]
        else:
            main += "\n  " + "\n  ".join(lines) + "\n"
    return main + ")"


_addindent.__module__ = _HOME  # torch's home of _addindent; module.py re-exports it
for _f in (extra_repr, _get_name, __repr__):
    _f.__module__, _f.__qualname__ = _HOME, "Module." + _f.__name__
del _f
