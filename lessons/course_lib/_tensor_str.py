"""How tensors print: the rules of ``torch/_tensor_str.py``, re-done on numpy arrays.

张量的打印规则：与 PyTorch 的 ``torch/_tensor_str.py`` 相同，在 numpy 数组上实现。

``Tensor.__repr__`` calls :func:`_str`. The output is character-for-character torch's, with
``torch.`` spelled ``course_lib.`` (``dtype=course_lib.float64``).
"""
from __future__ import annotations

import contextlib
import dataclasses
import math
from typing import Any

import numpy as np

__all__ = ["set_printoptions", "get_printoptions", "printoptions"]


@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrinterOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Set options for printing, exactly like ``torch.set_printoptions``.

    设置打印选项（与 torch.set_printoptions 相同）。profile: 'default' | 'short' | 'full'.
    """
    if profile is not None:
        for name, value in _PROFILES.get(profile, {}).items():
            setattr(PRINT_OPTS, name, value)
    for name, value in (("precision", precision), ("threshold", threshold),
                        ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            setattr(PRINT_OPTS, name, value)
    PRINT_OPTS.sci_mode = sci_mode  # like torch: always set, None means "automatic"


def get_printoptions() -> dict[str, Any]:
    """The current options as a dict for ``set_printoptions(**opts)``. 当前的打印选项。"""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Temporarily change the print options. 临时修改打印选项。"""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """Decides int mode / scientific mode and the common width of all elements."""

    def __init__(self, arr: np.ndarray, floating: bool):
        self.floating_dtype = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = arr.reshape(-1)
        if not floating:
            if flat.size:  # str() length is largest at the two extremes (bool: "False")
                ends = {flat.min().item(), flat.max().item()}
                self.max_width = max(self.max_width, *(len(f"{v}") for v in ends))
            return
        vals = flat.astype(np.float64)
        vals = vals[np.isfinite(vals) & (vals != 0)]
        if vals.size == 0:
            return  # no valid number: keep the defaults
        absv = np.abs(vals)
        vmin, vmax = absv.min(), absv.max()
        self.int_mode = bool(np.all(vals == np.ceil(vals)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = bool(vmax / vmin > 1000.0 or vmax > 1.0e8 or vmin < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        # Formatted length is monotone in |v| per sign (sci: the exponent grows at both ends),
        # so the widest element is one of the extremes of each sign.
        cands = set()
        for part in (vals[vals > 0], vals[vals < 0]):
            if part.size:
                cands.update((part.min().item(), part.max().item()))
        p = PRINT_OPTS.precision
        for v in cands:
            if self.sci_mode:
                w = len(f"{v:.{p}e}")
            elif self.int_mode:
                w = len(f"{v:.0f}") + 1  # room for the trailing "."
            else:
                w = len(f"{v:.{p}f}")
            self.max_width = max(self.max_width, w)

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        if self.floating_dtype:
            p = PRINT_OPTS.precision
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{p}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{value:.{p}f}"
        else:
            ret = f"{value}"
        return (self.max_width - len(ret)) * " " + ret


def _vector_str(arr, indent, summarize, fmt):
    element_length = fmt.width() + 2  # with ", "
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    edge = PRINT_OPTS.edgeitems
    if summarize and not edge:
        data = ["..."]
    elif summarize and arr.shape[0] > 2 * edge:
        data = ([fmt.format(v) for v in arr[:edge].tolist()] + [" ..."]
                + [fmt.format(v) for v in arr[-edge:].tolist()])
    else:
        data = [fmt.format(v) for v in arr.tolist()]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(arr, indent, summarize, fmt):
    dim = arr.ndim
    if dim == 0:
        return fmt.format(arr.item())
    if dim == 1:
        return _vector_str(arr, indent, summarize, fmt)
    edge = PRINT_OPTS.edgeitems
    n = arr.shape[0]
    if summarize and n > 2 * edge:
        rows = list(range(edge)) + [None] + list(range(n - edge, n))
    else:
        rows = range(n)
    slices = ["..." if i is None else
              _tensor_str_with_formatter(arr[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized_data(arr):
    """The elements that will actually be printed (edges of every dimension)."""
    edge = PRINT_OPTS.edgeitems
    if arr.ndim == 0:
        return arr
    if arr.ndim == 1:
        return np.concatenate((arr[:edge], arr[-edge:])) if arr.shape[0] > 2 * edge else arr
    if not edge:
        return arr[(slice(0, 0),) * arr.ndim]
    n = arr.shape[0]
    rows = list(range(edge)) + list(range(n - edge, n)) if n > 2 * edge else range(n)
    return np.stack([_summarized_data(arr[i]) for i in rows])


def _array_str(arr: np.ndarray, floating: bool, indent: int) -> str:
    """The bracketed body of a repr, e.g. ``[[1., 2.],\\n        [3., 4.]]``."""
    if arr.size == 0:
        return "[]"
    summarize = arr.size > PRINT_OPTS.threshold
    fmt = _Formatter(_summarized_data(arr) if summarize else arr, floating)
    return _tensor_str_with_formatter(arr, indent, summarize, fmt)


def _add_suffixes(tensor_str, suffixes, indent, force_newline=False):
    out = [tensor_str]
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1  # torch's arithmetic, kept
    for suffix in suffixes:
        # Lengths are counted with torch's spelling ("torch." is 5 characters shorter than
        # "course_lib."), so lines break exactly where torch breaks them.
        n = len(suffix.replace("course_lib.", "torch."))
        if force_newline or last_line_len + n + 2 > PRINT_OPTS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last_line_len = indent + n
            force_newline = False
        else:
            out.append(", " + suffix)
            last_line_len += n + 2
    out.append(")")
    return "".join(out)


def _host_array(t) -> np.ndarray:
    """A numpy copy/view of the tensor's data, whatever its device."""
    from . import _backend

    return _backend.to_numpy(t._data)


def _grad_fn_name(t):
    try:
        grad_fn = getattr(t, "grad_fn", None)
    except RuntimeError:  # a no-grad view whose base changed in place: torch prints <Invalid>
        return "Invalid"
    if grad_fn is None:
        return None
    return type(grad_fn).__name__


def _str(self, *, tensor_contents=None) -> str:
    """``repr(tensor)``, exactly as torch prints it. 与 torch 完全相同的张量表示。"""
    from ._dtype import get_default_dtype

    cls = type(self).__name__
    prefix = "tensor(" if cls in ("Tensor", "Parameter") else f"{cls}("
    indent = len(prefix)
    dtype = self.dtype
    default = get_default_dtype()
    suffixes = []
    if self.device.type != "cpu":
        suffixes.append(f"device='{self.device}'")
    arr = _host_array(self)
    np_kind = np.dtype(dtype._np)
    has_default_dtype = dtype == default or np_kind in (np.dtype(np.int64), np.dtype(np.bool_))
    if arr.size == 0:
        if arr.ndim != 1:
            suffixes.append("size=" + str(tuple(arr.shape)))
        if dtype != default:
            suffixes.append(f"dtype={dtype}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append("size=" + str(tuple(arr.shape)))
        if not has_default_dtype:
            suffixes.append(f"dtype={dtype}")
        body = _array_str(arr, bool(dtype.is_floating_point), indent)
    if tensor_contents is not None:
        body = tensor_contents
    name = _grad_fn_name(self)
    if name is not None:
        suffixes.append(f"grad_fn=<{name}>")
    elif self.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
