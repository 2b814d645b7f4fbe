"""Anomaly detection, as ``torch.autograd.anomaly_mode``. 异常检测模式。

中文：打开后，每个反向节点都会记住创建它的前向代码位置；反向传播出错时先发出警告，指出是哪一行
前向代码产生了出错的节点；``check_nan=True`` 时，某个节点算出 NaN 梯度会立即报错并指出节点名。

While enabled, every graph node records the stack of the forward call that made it
(``node.metadata["traceback_"]``, course_lib's own frames left out so the student's lines
show); when a node's backward fails, a ``UserWarning`` "Error detected in XBackward0.
Traceback of forward call that caused the error: …" comes before the error, and with
``check_nan`` a gradient with NaN stops backward: "Function 'SqrtBackward0' returned nan values
in its 0th output." Off by default (recording stacks is slow).

    with torch.autograd.detect_anomaly():
        loss = model(x).sum()
        loss.backward()
"""
from __future__ import annotations

import os
import warnings

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled"]

ANOMALY = [False, True]  # [enabled, check_nan]; read by the engine
on_change: list = []  # callbacks(enabled): node.py swaps Node.__init__ (records the stack)
_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def is_anomaly_enabled() -> bool:
    return ANOMALY[0]


def is_anomaly_check_nan_enabled() -> bool:
    return ANOMALY[1]


def forward_stack() -> list:
    """The current stack as formatted lines, without course_lib's own frames."""
    import traceback

    frames = [f for f in traceback.extract_stack()[:-1] if not f.filename.startswith(_PKG)]
    return traceback.format_list(frames)


class detect_anomaly:
    """Context manager that turns anomaly detection on (and restores the previous mode)."""

    def __init__(self, check_nan: bool = True) -> None:
        self.prev, self.prev_check_nan, self.check_nan = ANOMALY[0], ANOMALY[1], check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)

    def __enter__(self) -> None:
        _set(True, self.check_nan)

    def __exit__(self, *args) -> None:
        _set(self.prev, self.prev_check_nan)


def _set(mode, check_nan) -> None:
    ANOMALY[0], ANOMALY[1] = bool(mode), bool(check_nan)
    for fn in on_change:
        fn(ANOMALY[0])


class set_detect_anomaly:
    """Turn anomaly detection on or off now; as a context manager, restore it on exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev, self.prev_check_nan = ANOMALY[0], ANOMALY[1]
        _set(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args) -> None:
        _set(self.prev, self.prev_check_nan)


def checked_backward(node, g):
    """``node.backward(g)`` with anomaly mode's checks (the engine calls it when enabled)."""
    from .node import ERR_FREED, FREED

    try:
        if node.saved is FREED:
            raise RuntimeError(ERR_FREED)
        node._check_saved()
        outs = node.backward(g)
        if ANOMALY[1]:
            for i, o in enumerate(outs or ()):
                if o is not None and getattr(o, "dtype", None) is not None and \
                        o.dtype.kind in "fc" and bool((o != o).any()):
                    raise RuntimeError(f"Function '{node.name()}' returned nan values in its "
                                       f"{i}th output.")
        return outs
    except Exception:
        stack = ((node._hooks or {}).get("metadata") or {}).get("traceback_")
        if stack:  # (torch says nothing for a node made with anomaly mode off)
            warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that "
                          f"caused the error:\n{''.join(stack)}", stacklevel=4)
        raise
