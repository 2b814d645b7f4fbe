"""Visible checks in lesson notebooks: ``check(title, got, expected)``.

notebook 中的可见检查：打印 ✓/✗，失败时抛出带输入、期望值和实际值的中英双语 AssertionError。

The student's object is never asked to compare itself: values are read by exact type
(tensors through ``object.__getattribute__(t, '_data')``), so a lying ``__eq__``,
``__bool__`` or ``__array__`` cannot make a check pass.
"""
from __future__ import annotations

import numpy as np

__all__ = ["check"]


def _tensor_classes():
    import sys
    out = []
    for mod, name in (("course_lib._tensor", "Tensor"), ("course_lib.nn.parameter", "Parameter")):
        m = sys.modules.get(mod)
        c = getattr(m, name, None) if m is not None else None
        if isinstance(c, type):
            out.append(c)
    return tuple(out)


def _plain(x, depth=0):
    """A comparable description of ``x`` built from exact types only."""
    t = type(x)
    if depth > 20:
        return ("deep",)
    if x is None or t in (bool, int, float, complex, str, bytes):
        return (t.__name__, x)
    if t in (tuple, list):
        return (t.__name__, tuple(_plain(v, depth + 1) for v in (tuple.__iter__(x) if t is tuple
                                                                  else list.__iter__(x))))
    if t is dict:
        return ("dict", tuple((_plain(k, depth + 1), _plain(dict.__getitem__(x, k), depth + 1))
                              for k in dict.__iter__(x)))
    if t in _tensor_classes():
        data = object.__getattribute__(x, "_data")
        if not isinstance(data, np.ndarray):
            data = data.get()  # cupy → host
        return ("Tensor", np.ndarray.view(data, np.ndarray).copy())
    if t is np.ndarray:
        return ("ndarray", x.copy())
    if isinstance(x, np.generic) and t.__module__ == "numpy":
        return ("npscalar", np.asarray(x))
    mod = getattr(t, "__module__", "")
    if isinstance(mod, str) and mod.startswith("course_lib") and t.__name__ in ("Size",):
        return ("Size", tuple(_plain(v, depth + 1) for v in tuple.__iter__(x)))
    if isinstance(mod, str) and mod.startswith("course_lib") and t.__name__ in ("dtype", "device"):
        return (t.__name__, _safe_repr(x))
    return ("other", f"{mod}.{t.__qualname__}")


def _safe_repr(x):
    """repr of a course_lib dtype/device through its own class (not an instance override)."""
    return type(x).__repr__(x)


def _same(e, g, rtol, atol):
    """None when equal, else a short English reason."""
    if e[0] != g[0]:
        return f"type: expected {e[0]}, got {g[0]}"
    kind = e[0]
    if kind in ("Tensor", "ndarray", "npscalar"):
        a, b = e[1], g[1]
        if a.shape != b.shape:
            return f"shape: expected {tuple(a.shape)}, got {tuple(b.shape)}"
        if a.dtype != b.dtype:
            return f"dtype: expected {a.dtype.name}, got {b.dtype.name}"
        if a.dtype.kind in "fc":
            ok = np.isclose(b, a, rtol=rtol, atol=atol, equal_nan=True)
        else:
            ok = a == b
        return None if bool(np.all(ok)) else "values differ"
    if kind in ("tuple", "list", "dict", "Size"):
        if len(e[1]) != len(g[1]):
            return f"length: expected {len(e[1])}, got {len(g[1])}"
        for i, (a, b) in enumerate(zip(e[1], g[1])):
            if kind == "dict":
                r = _same(a[0], b[0], rtol, atol) or _same(a[1], b[1], rtol, atol)
            else:
                r = _same(a, b, rtol, atol)
            if r:
                return f"[{i}] {r}"
        return None
    if kind == "float":
        a, b = e[1], g[1]
        return None if (a != a and b != b) or abs(a - b) <= atol + rtol * abs(a) else "values differ"
    if kind == "other":
        return None if e == g else f"type: expected {e[1]}, got {g[1]}"
    return None if e == g else "values differ"


def _show(p) -> str:
    kind, v = p[0], p[1] if len(p) > 1 else None
    if kind in ("Tensor", "ndarray", "npscalar"):
        body = np.array2string(v, threshold=20, precision=6)
        return f"{kind}(shape={tuple(v.shape)}, dtype={v.dtype.name}) {body}"
    if kind in ("tuple", "list", "Size"):
        inner = ", ".join(_show(x) for x in v[:8]) + (", ..." if len(v) > 8 else "")
        return {"tuple": f"({inner})", "list": f"[{inner}]", "Size": f"Size([{inner}])"}[kind]
    if kind == "dict":
        return "{" + ", ".join(f"{_show(a)}: {_show(b)}" for a, b in v[:8]) + "}"
    if kind == "other":
        return f"<{v} object>"
    s = repr(v)
    return s if len(s) < 300 else s[:297] + "..."


def check(title, got, expected, *, input=None, rtol=1e-5, atol=1e-8):
    """Compare ``got`` with ``expected``; print ✓/✗; raise a bilingual AssertionError.

    比较 ``got`` 与 ``expected``：相同打印 ✓，不同打印 ✗ 并抛出中英双语的 AssertionError
    （包含输入、期望值与实际值）。Values must have the same exact type, shape, dtype and
    (for floats) agree within ``rtol``/``atol``. Returns None, so a test cell that ends with
    ``check(...)`` shows no ``True`` under its output (nbgrader would read a number there as
    partial credit). 返回 None：测试单元格下方不会显示 ``True``。
    """
    e, g = _plain(expected), _plain(got)
    reason = _same(e, g, rtol, atol)
    if reason is None:
        print(f"✓ {title}")
        return None
    print(f"✗ {title}")
    lines = [f"检查未通过 / Check failed: {title}"]
    if input is not None:
        lines.append(f"  输入 input:    {_show(_plain(input))}")
    lines += [f"  期望 expected: {_show(e)}",
              f"  实际 got:      {_show(g)}",
              f"  原因 reason:   {reason}"]
    raise AssertionError("\n".join(lines))
