"""The default device: ``set_default_device``, ``get_default_device``, ``with torch.device(...)``.

默认设备：不写 ``device=`` 的创建函数（``zeros``、``tensor``、``nn.Linear`` 的参数……）在哪个设备上创建。
As torch's DeviceContext: the factories of torch's list read it (``_creation._finish``); ``normal``,
``from_numpy``, ``*_like`` and ``Tensor(...)`` do not, and ops never look (no cost per op).
"""
from __future__ import annotations

from ._device import CPU, device as _device

__all__ = ["set_default_device", "get_default_device"]

_GLOBAL = [None]  # set_default_device's device (None: cpu)
_WITH = []        # the devices of the ``with`` blocks now open, innermost last
DEFAULT = [None]  # what factories use: the innermost ``with``, else the global; None for cpu


def _refresh():
    d = _WITH[-1] if _WITH else _GLOBAL[0]
    DEFAULT[0] = None if d is None or d.type == "cpu" else d


def set_default_device(device):
    """Factories without ``device=`` create on ``device`` from now on (None: back to cpu).

    设置默认设备：之后不写 ``device=`` 的创建函数都在这个设备上创建；``from_numpy``、``*_like``
    不受影响。临时切换用 ``with torch.device("cuda"):``。
    """
    _GLOBAL[0] = None if device is None else _device(device)
    _refresh()


def get_default_device():
    """The device factories create on (``cuda`` comes with its index, as torch). 默认设备。"""
    d = _WITH[-1] if _WITH else _GLOBAL[0]
    if d is None:
        return CPU
    if d.type == "cuda" and d.index is None:
        from .cuda import current_device
        return _device("cuda", current_device())
    return d


def _enter(self):
    _WITH.append(self)
    _refresh()
    return self


def _exit(self, exc_type, exc_value, traceback):
    _WITH.pop()
    _refresh()


_device.__enter__, _device.__exit__ = _enter, _exit  # ``with torch.device("cuda"):``
