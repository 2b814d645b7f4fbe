"""``hstack``, ``vstack``/``row_stack``, ``dstack``, ``column_stack`` and ``atleast_{1,2,3}d``:
concatenation after giving every tensor enough dimensions (torch's graph: unsqueeze / view,
then cat). 按水平、竖直、深度方向拼接张量。
"""
from __future__ import annotations

from ._util import Tensor

__all__ = ["atleast_1d", "atleast_2d", "atleast_3d", "hstack", "vstack", "row_stack", "dstack",
           "column_stack"]


def _many(f, tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(f(t) for t in tensors[0])
    return f(tensors[0]) if len(tensors) == 1 else tuple(f(t) for t in tensors)


def _one_1d(t):
    return t.reshape(1) if t.dim() == 0 else t


def _one_2d(t):
    return t.reshape(1, 1) if t.dim() == 0 else t.unsqueeze(0) if t.dim() == 1 else t


def _one_3d(t):
    d = t.dim()
    if d == 0:
        return t.reshape(1, 1, 1)
    if d == 1:
        return t.unsqueeze(0).unsqueeze(-1)
    return t.unsqueeze(-1) if d == 2 else t


def atleast_1d(*tensors):
    return _many(_one_1d, tensors)


def atleast_2d(*tensors):
    return _many(_one_2d, tensors)


def atleast_3d(*tensors):
    return _many(_one_3d, tensors)


def _seq(tensors, name):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        f"not {type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return list(tensors)


def hstack(tensors, *, out=None):
    """Along dim 0 for 1-D tensors, else dim 1. 水平拼接。"""
    from .shape import cat
    ts = [_one_1d(t) for t in _seq(tensors, "hstack")]
    return cat(ts, 0 if ts[0].dim() == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    """Rows: 1-D tensors become (1, n), then dim 0. 竖直拼接。"""
    from .shape import cat
    return cat([_one_2d(t) for t in _seq(tensors, "vstack")], 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None):
    """Depth: every tensor at least 3-D, then dim 2. 深度方向拼接。"""
    from .shape import cat
    return cat([_one_3d(t) for t in _seq(tensors, "dstack")], 2, out=out)


def column_stack(tensors, *, out=None):
    """Columns: 0-D and 1-D tensors become (n, 1), then dim 1. 按列拼接。"""
    from .shape import cat
    ts = [t.reshape(t.numel(), 1) if t.dim() <= 1 else t
          for t in _seq(tensors, "column_stack")]
    return cat(ts, 1, out=out)
