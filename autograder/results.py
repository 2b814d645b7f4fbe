"""Pristine results: turn a case's return value into plain JSON, and compare two of them.

结果的“净化”：把用例的返回值变成纯 JSON（只按精确类型读取，不调用学生对象的任何方法），
再在可信进程中比较。

``encode`` never calls a method of the value (no ``__eq__``, ``__bool__``, ``__array__``,
``__len__``, ``__iter__``): it dispatches on ``type(x) is ...`` and reads tensors through
``object.__getattribute__(t, '_data')`` and numpy's own C methods. Anything else is encoded
as an opaque type name, which never equals a real result. ``compare`` runs in the trusted
process on two encodings.
"""
from __future__ import annotations

import base64
import math

import numpy as np

_ndarray_tobytes = np.ndarray.tobytes
_ascontiguous = np.ascontiguousarray
_MAX_BYTES = 64 * 2**20
_MAX_DEPTH = 32


def _qualname(t) -> str:
    """``module.qualname`` of a type, at most 120 characters (a student's class names it)."""
    d = type.__getattribute__(t, "__dict__")
    mod = d.get("__module__", "?") if isinstance(d.get("__module__"), str) else "?"
    return f"{mod}.{type.__getattribute__(t, '__qualname__')}"[:120]


def _tensor_types():
    """Exact tensor classes of course_lib (Tensor, nn.Parameter) that exist right now."""
    import sys
    out = {}
    for mod, name in (("course_lib._tensor", "Tensor"), ("course_lib.nn.parameter", "Parameter"),
                      ("course_lib.nn.modules.module", "Parameter")):
        m = sys.modules.get(mod)
        c = m.__dict__.get(name) if m is not None else None
        if isinstance(c, type):
            out[c] = name
    return out


def _array(a, budget):
    """Encode an exact numpy ndarray (or a numpy subclass used by the simulated device)."""
    a = np.ndarray.view(a, np.ndarray)
    data = _ndarray_tobytes(_ascontiguous(a))
    budget[0] -= len(data)
    if budget[0] < 0:
        raise ValueError("result too large / 结果过大")
    return {"dtype": a.dtype.str, "shape": list(a.shape),
            "b64": base64.b64encode(data).decode("ascii")}


def _backing(data, budget):
    """The numpy view of a tensor's backing array (numpy, simulated cuda, or cupy)."""
    if isinstance(data, np.ndarray):  # isinstance on a C type: cannot be faked by __class__
        return _array(data, budget)
    import sys
    cp = sys.modules.get("cupy")
    if cp is not None and type(data) is cp.ndarray:
        return _array(cp.asnumpy(data), budget)
    raise TypeError("unknown backing array")


def encode(x, _depth=0, _budget=None, _tensors=None):
    """A JSON-able description of ``x`` built only from exact types."""
    budget = _budget if _budget is not None else [_MAX_BYTES]
    tensors = _tensors if _tensors is not None else _tensor_types()
    if _depth > _MAX_DEPTH:
        return {"k": "deep"}
    t = type(x)
    rec = lambda v: encode(v, _depth + 1, budget, tensors)  # noqa: E731
    if x is None:
        return {"k": "none"}
    if t is bool:
        return {"k": "bool", "v": x is True}
    if t is int:
        return {"k": "int", "v": int.__repr__(x)}
    if t is float:
        return {"k": "float", "v": float.__repr__(x)}
    if t is complex:
        return {"k": "complex", "v": [float.__repr__(x.real), float.__repr__(x.imag)]}
    if t is str:
        return {"k": "str", "v": str.__str__(x)}
    if t is bytes:
        return {"k": "bytes", "v": base64.b64encode(x).decode("ascii")}
    if t is tuple or t is list:
        seq = tuple.__iter__(x) if t is tuple else list.__iter__(x)
        return {"k": t.__name__, "v": [rec(v) for v in seq]}
    if t is dict:
        items = []
        for k in dict.__iter__(x):
            items.append([rec(k), rec(dict.__getitem__(x, k))])
        return {"k": "dict", "v": items}
    if t in tensors:
        try:
            data = object.__getattribute__(x, "_data")
            enc = _backing(data, budget)
        except ValueError:
            raise
        except Exception:
            return {"k": "other", "type": _qualname(t) + " (broken)"}
        enc.update(k="tensor", type=tensors[t], device=_device_of(x, data),
                   requires_grad=_flag(x, "requires_grad"))
        return enc
    if t is np.ndarray:
        enc = _array(x, budget)
        enc["k"] = "ndarray"
        return enc
    if isinstance(x, np.generic) and t.__module__ == "numpy":
        enc = _array(np.asarray(x), budget)
        enc["k"] = "npscalar"
        return enc
    if t is np.dtype or (isinstance(x, np.dtype) and type(t).__module__.startswith("numpy")):
        return {"k": "npdtype", "v": np.dtype.__str__(x)}
    qn = _qualname(t)
    if qn == "course_lib._size.Size":
        return {"k": "Size", "v": [rec(v) for v in tuple.__iter__(x)]}
    if qn == "course_lib._dtype.dtype":
        return {"k": "dtype", "v": str(object.__getattribute__(x, "_name"))}
    if qn == "course_lib._device.device":
        idx = object.__getattribute__(x, "index")
        return {"k": "device", "v": [str(object.__getattribute__(x, "type")),
                                     idx if type(idx) is int else None]}
    return {"k": "other", "type": qn}


def _flag(x, name):
    try:
        v = object.__getattribute__(x, name)
    except Exception:
        return None
    return v if type(v) is bool else None


def _device_of(x, data):
    try:
        d = object.__getattribute__(x, "device")
        e = encode(d)
        if e["k"] == "device":
            return e["v"]
    except Exception:
        pass
    return ["cpu", None] if type(data) is np.ndarray else ["?", None]


def encode_exception(e: BaseException) -> dict:
    """The exact type of an exception (its message is not used for grading)."""
    return {"k": "raise", "type": _qualname(type(e))}


# --------------------------------------------------------------------------- comparison

def _short(enc) -> str:
    """A short human description of an encoded value (for reasons shown to the student)."""
    k = enc.get("k")
    if k in ("none",):
        return "None"
    if k in ("bool", "int", "float", "str"):
        v = enc["v"]
        s = repr(v) if k == "str" else str(v)
        return s if len(s) <= 60 else s[:57] + "..."
    if k in ("tensor", "ndarray"):
        return f"{enc.get('type', 'ndarray')}(shape={tuple(enc['shape'])}, dtype={_dt(enc)})"
    if k == "raise":
        return f"raised {enc['type'].rsplit('.', 1)[-1]}"
    if k in ("tuple", "list", "Size"):
        return f"{k} of length {len(enc['v'])}"
    if k == "dict":
        return f"dict with {len(enc['v'])} keys"
    if k == "other":
        return f"object of type {enc['type']}"
    return f"{k} {enc.get('v')!r}"[:60]


def _dt(enc) -> str:
    return np.dtype(enc["dtype"]).name


def _decode_array(enc):
    return np.frombuffer(base64.b64decode(enc["b64"]), dtype=np.dtype(enc["dtype"])).reshape(
        enc["shape"])


def _close_arrays(e, g, rtol, atol):
    if e.shape != g.shape:
        return f"shape: expected {tuple(e.shape)}, got {tuple(g.shape)}"
    if e.dtype != g.dtype:
        return f"dtype: expected {e.dtype.name}, got {g.dtype.name}"
    if e.size == 0:
        return None
    if e.dtype.kind in "fc":
        ok = np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
    else:
        ok = e == g
    if bool(np.all(ok)):
        return None
    bad = int(np.size(ok) - np.count_nonzero(ok))
    idx = tuple(int(i) for i in np.argwhere(~ok)[0])
    msg = f"values differ at {bad} of {e.size} positions (first at index {idx}"
    if e.dtype.kind in "fc":
        with np.errstate(all="ignore"):
            err = np.nanmax(np.abs(np.asarray(g, np.complex128) - np.asarray(e, np.complex128)))
        msg += f", max abs error {float(err):.3g}"
    return msg + ")"


def compare(expected: dict, got: dict, rtol=1e-5, atol=1e-6,
            where="用你的函数算出的值 / the value computed with your function") -> str | None:
    """None when ``got`` matches ``expected``, else a short reason (values only, never code)."""
    ke, kg = expected.get("k"), got.get("k")
    if ke == "raise":
        if kg == "raise" and got["type"] == expected["type"]:
            return None
        want = expected["type"].rsplit(".", 1)[-1]
        return f"{where}: expected to raise {want}, got {_short(got)}"
    if kg == "raise":
        return f"{where}: expected {_short(expected)}, but it {_short(got)}"
    if ke != kg:
        return f"{where}: expected {_short(expected)}, got {_short(got)}"
    if ke in ("tensor", "ndarray", "npscalar"):
        if ke == "tensor":
            if expected["type"] != got["type"]:
                return f"{where}: expected a {expected['type']}, got a {got['type']}"
            if expected["device"] != got["device"]:
                return f"{where}: device: expected {expected['device'][0]}, got {got['device'][0]}"
            if expected["requires_grad"] != got["requires_grad"]:
                return (f"{where}: requires_grad: expected {expected['requires_grad']}, "
                        f"got {got['requires_grad']}")
        try:
            g = _decode_array(got)
        except (ValueError, TypeError):  # an object array (pointers) from the student's code
            return f"{where}: expected {_short(expected)}, got an array of non-numeric data"
        r = _close_arrays(_decode_array(expected), g, rtol, atol)
        return f"{where}: {r}" if r else None
    if ke == "float":
        e, g = float(expected["v"]), float(got["v"])
        if (math.isnan(e) and math.isnan(g)) or e == g or abs(e - g) <= atol + rtol * abs(e):
            return None
        return f"{where}: expected {_short(expected)}, got {_short(got)}"
    if ke in ("tuple", "list", "Size", "dict"):
        ev, gv = expected["v"], got["v"]
        if len(ev) != len(gv):
            return f"{where}: expected {_short(expected)}, got {_short(got)}"
        for i, (a, b) in enumerate(zip(ev, gv)):
            if ke == "dict":
                r = compare(a[0], b[0], rtol, atol, f"{where} key #{i}") or compare(
                    a[1], b[1], rtol, atol, f"{where}[{_short(a[0])}]")
            else:
                r = compare(a, b, rtol, atol, f"{where}[{i}]")
            if r:
                return r
        return None
    if ke == "other":
        return f"{where}: cannot compare objects of type {expected['type']} (grader case error)"
    if expected == got:
        return None
    return f"{where}: expected {_short(expected)}, got {_short(got)}"
