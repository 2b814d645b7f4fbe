"""Gradient mode: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``.

梯度模式：在 ``no_grad`` 之下，运算不建立计算图。
Each works as a context manager and as a decorator, like torch's.
"""
from __future__ import annotations

import functools
import inspect

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "inference_mode", "is_inference_mode_enabled"]

#: STATE[0] is True when operations record the graph (read on every op: keep it a list).
STATE = [True]


def is_grad_enabled() -> bool:
    """True when operations record the autograd graph. 是否记录计算图。"""
    return STATE[0]


class _Mode:
    """Context manager + decorator that sets grad mode to ``self._mode`` inside."""

    _mode = False

    def __enter__(self):
        self._prev = STATE[0]
        STATE[0] = self._mode

    def __exit__(self, *exc):
        STATE[0] = self._prev
        return False

    def clone(self):
        return type(self)()

    def __call__(self, func):
        if inspect.isclass(func):
            raise RuntimeError(f"{type(self).__name__} cannot decorate a class")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def gen(*args, **kwargs):
                with self.clone():
                    yield from func(*args, **kwargs)
            return gen

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper


class no_grad(_Mode):
    """Disable graph recording inside the block / decorated function. 关闭梯度记录。"""

    _mode = False

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)  # ``@no_grad`` without parentheses, as torch allows


class enable_grad(_Mode):
    """Enable graph recording inside the block (e.g. within ``no_grad``). 开启梯度记录。"""

    _mode = True


class set_grad_enabled(_Mode):
    """``set_grad_enabled(False)`` turns recording off now; as a ``with`` it restores after.

    直接调用会立即生效；用作 ``with`` 时，退出后恢复原状态。
    """

    def __init__(self, mode: bool):
        self._prev = STATE[0]
        self._mode = bool(mode)
        STATE[0] = self._mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        STATE[0] = self._prev
        return False

    def clone(self):
        return set_grad_enabled(self._mode)

    def __call__(self, func):
        STATE[0] = self._prev
        return super().__call__(func)


#: INFERENCE[0]: inside ``inference_mode()`` (read by ``is_inference_mode_enabled`` only)
INFERENCE = [False]


class inference_mode(_Mode):
    """Like ``no_grad`` here (course_lib has no separate inference tensors)."""

    def __init__(self, mode: bool = True):
        self._mode = not mode

    def __enter__(self):
        super().__enter__()
        self._prev_inference = INFERENCE[0]
        INFERENCE[0] = not self._mode

    def __exit__(self, *exc):
        INFERENCE[0] = self._prev_inference
        return super().__exit__(*exc)

    def clone(self):
        return inference_mode(not self._mode)


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()``. 是否处于推理模式。"""
    return INFERENCE[0]
