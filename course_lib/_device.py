"""``course_lib.device``: where a tensor lives (``cpu`` or ``cuda:0``), as torch.device.

``course_lib.device``：张量所在的设备（``cpu`` 或 ``cuda:0``）。
"""
from __future__ import annotations

from .exercises import exercise
import course_lib as torch  # the solution regions use the names a notebook has

__all__ = ["device"]


class device:
    """``device("cuda:0")``, ``device("cuda", 0)``, ``device("cpu")``; ``.type``, ``.index``."""

    __slots__ = ("type", "index")

    @exercise("03_cuda", "parse_device", key="course_lib.device.__new__")
    def __new__(cls, type, index=None):  # noqa: A002  (torch's argument names)
        """Parse a device: ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``("cuda", 1)``, an int, a device.

        解析设备：字符串 ``"类型"`` 或 ``"类型:编号"``（类型只能是 cpu 或 cuda），或 ``(类型, 编号)``；
        一个整数 ``n`` 表示 ``cuda:n``；已经是 device 时原样返回。最后用 ``cls._make(类型, 编号)`` 创建
        （编号可以是 None）。与 torch 相同的错误：
        A string ``"type"`` or ``"type:index"`` (type cpu or cuda), or ``(type, index)``; an int
        ``n`` means ``cuda:n``; a device comes back as it is. Make it with ``cls._make(type, index)``
        (index may be None). torch's errors:
        ``"gpu"`` → ``RuntimeError("Expected one of cpu, cuda, … device type at start of device string: gpu")``;
        ``"cuda:x"`` → ``RuntimeError("Invalid device string: 'cuda:x'")``;
        ``("cuda:0", 1)`` → ``RuntimeError("type (string) must not include an index because index was passed explicitly: cuda:0")``;
        a negative index → ``RuntimeError("Device index must not be negative, got -1")``;
        ``("cpu", 1)`` → ``RuntimeError("CPU device index must be -1 or zero, got 1")``;
        not a string/int/device → ``TypeError``.
        Every ``device=`` argument, ``.to("cuda")`` and ``Module.to(device)`` come here.
        """
        ### BEGIN SOLUTION
        if isinstance(type, torch.device):
            if index is not None:
                raise TypeError("device(): a device object takes no index")
            return type
        if isinstance(type, int) and not isinstance(type, bool):
            type, index = "cuda", type
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type!r})")
        kind, sep, idx = type.partition(":")
        if sep:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was "
                                   f"passed explicitly: {type}")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(idx)
        if kind not in ("cpu", "cuda"):
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, "
                "maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start "
                "of device string: " + type)
        if index is not None:
            if not isinstance(index, int) or index < 0:
                raise RuntimeError(f"Device index must not be negative, got {index}")
            if kind == "cpu" and index != 0:
                raise RuntimeError(f"CPU device index must be -1 or zero, got {index}")
        return cls._make(kind, index)
        ### END SOLUTION

    @classmethod
    def _make(cls, kind, index):
        """A device of type ``kind`` ("cpu"/"cuda") with ``index`` (int or None), unchecked."""
        self = object.__new__(cls)
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "index", index)
        return self

    def __setattr__(self, name, value):
        raise AttributeError(f"attribute '{name}' of 'course_lib.device' objects is not writable")

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device._make("cpu", None)
CUDA0 = device._make("cuda", 0)


@exercise("03_cuda", "common_device", key="course_lib._device.common_device")
def common_device(*tensors):
    """The device an op on ``tensors`` runs on; torch's RuntimeError when they disagree.

    一个运算的所有张量必须在同一设备上。规则（与 torch 相同）：结果所在的设备是第一个不在 cpu 上的张量的设备
    （都在 cpu 上则为 cpu）；其余张量必须在这个设备上——唯一的例外是 cpu 上的 0 维张量（相当于一个数），
    它可以和任何设备上的张量一起运算。否则抛出
    The op's device is that of the first tensor not on the cpu (cpu if all are); every other
    tensor must be on it, except a 0-dim cpu tensor (a number), which may join any device. Else
    ``RuntimeError("Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!")``
    (the op's device first, then the odd one). Every binary op (``a + b``), ``F.linear`` and the
    losses ask this piece.
    """
    ### BEGIN SOLUTION
    common = torch.device("cpu")
    for t in tensors:
        if t.device.type != "cpu":
            common = t.device
            break
    for t in tensors:
        d = t.device
        if d != common and not (d.type == "cpu" and t.dim() == 0):
            raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                               f"two devices, {common} and {d}!")
    return common
    ### END SOLUTION
