"""dtypes: ``course_lib.float32`` & co., the default dtype and torch's type promotion.

数据类型：``course_lib.float32`` 等、默认浮点类型，以及 torch 的类型提升规则。
"""
from __future__ import annotations

import builtins as _b

import numpy as np

from .exercises import exercise
import course_lib as torch  # the solution regions use the names a notebook has

__all__ = ["dtype", "get_default_dtype", "set_default_dtype", "promote_types"]


class dtype:
    """A tensor element type (torch.dtype). 张量元素类型。

    ``._np`` is the numpy dtype behind it; ``repr`` is ``course_lib.float32``.
    """

    __slots__ = ("_name", "_np", "is_floating_point", "is_complex", "is_signed", "itemsize")

    def __init__(self, name, np_dtype):
        self._name = name
        self._np = np.dtype(np_dtype)
        self.is_floating_point = self._np.kind == "f"
        self.is_complex = self._np.kind == "c"
        self.is_signed = self._np.kind in "fic"
        self.itemsize = self._np.itemsize

    def __repr__(self):
        return "course_lib." + self._name

    __str__ = __repr__

    def __reduce__(self):
        return (_by_name, (self._name,))

    def to_real(self):
        return self

    def to_complex(self):
        raise NotImplementedError("course_lib has no complex dtypes / course_lib 不支持复数类型")


float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
bool = dtype("bool", np.bool_)  # noqa: A001  (torch.bool)

half, float, double = float16, float32, float64  # noqa: A001
short, int, long = int16, int32, int64  # noqa: A001

ALL = (bool, uint8, int8, int16, int32, int64, float16, float32, float64)
_by_np = {d._np: d for d in ALL}
_names = {d._name: d for d in ALL}


_SCALAR_NAMES = {"float16": "Half", "float32": "Float", "float64": "Double", "uint8": "Byte",
                 "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long", "bool": "Bool"}


def scalar_name(d):
    """torch's C++ ScalarType name (``Float``, ``Long`` …) used in its error messages."""
    return _SCALAR_NAMES[d._name]


def _by_name(name):
    return _names[name]


def _from_np(np_dtype):
    """course_lib dtype of a numpy dtype; TypeError for the ones torch lacks."""
    try:
        return _by_np[np_dtype]
    except KeyError:
        pass
    npd = np.dtype(np_dtype)
    if npd in _by_np:
        return _by_np[npd]
    raise TypeError(
        f"can't convert np.ndarray of type numpy.{npd.type.__name__}. The only supported types are: "
        "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
    )


_default = [float32]


def get_default_dtype():
    """The default floating dtype (float32 unless changed). 默认浮点类型。"""
    return _default[0]


def set_default_dtype(d):
    """Set the default floating dtype (float32 or float64 or float16). 设置默认浮点类型。"""
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = d


@exercise("01_tensors", "promote_types", key="course_lib.promote_types")
def promote_types(type1, type2):
    """The smallest dtype that both ``type1`` and ``type2`` convert to safely (torch rules).

    两个 dtype 都能安全转换到的最小 dtype（torch 规则）：

    * same dtype → itself; ``bool`` with anything → the other one;
      相同 → 自身；``bool`` 与任何类型 → 另一个；
    * an integer type with a floating type → the floating type (``int64 + float16 → float16``);
      整数与浮点 → 浮点（``int64 + float16 → float16``，与 numpy 不同！）；
    * two floating types → the wider one; 两个浮点 → 较宽者；
    * two integer types → the smallest integer type holding both ranges
      (``uint8 + int8 → int16``); 两个整数 → 能容纳两者取值范围的最小整数类型。

    Example: ``promote_types(course_lib.int32, course_lib.float32) → course_lib.float32``.
    """
    ### BEGIN SOLUTION
    if type1 is type2:
        return type1
    if type1 is torch.bool or type2 is torch.bool:
        return type2 if type1 is torch.bool else type1
    if type1.is_floating_point != type2.is_floating_point:
        return type1 if type1.is_floating_point else type2
    if type1.is_floating_point:
        return type1 if type1.itemsize >= type2.itemsize else type2
    if type1 is torch.uint8 or type2 is torch.uint8:  # one unsigned, one signed
        signed = type2 if type1 is torch.uint8 else type1
        return torch.int16 if signed is torch.int8 else signed
    return type1 if type1.itemsize >= type2.itemsize else type2
    ### END SOLUTION


class finfo:
    """Limits of a floating dtype (torch.finfo): ``eps``, ``max``, ``min``, ``tiny``. 浮点类型极限。"""

    def __init__(self, type=None):  # noqa: A002
        d = type or _default[0]
        f = np.finfo(d._np)
        self.dtype = d._name
        self.bits, self.eps, self.max, self.min = f.bits, _b.float(f.eps), _b.float(f.max), _b.float(f.min)
        self.tiny = self.smallest_normal = _b.float(f.tiny)
        self.resolution = _b.float(f.resolution)

    def __repr__(self):
        return (f"finfo(resolution={self.resolution}, min={self.min:e}, max={self.max:e}, "
                f"eps={self.eps:e}, smallest_normal={self.tiny:e}, tiny={self.tiny:e}, "
                f"dtype={self.dtype})")


class iinfo:
    """Limits of an integer dtype (torch.iinfo): ``min``, ``max``, ``bits``. 整数类型极限。"""

    def __init__(self, type):  # noqa: A002
        i = np.iinfo(type._np)
        self.dtype, self.bits, self.min, self.max = type._name, i.bits, _b.int(i.min), _b.int(i.max)

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"


def can_cast(from_, to):
    """True if torch allows casting ``from_`` to ``to`` in an in-place op (same or higher kind)."""
    order = {"b": 0, "u": 1, "i": 1, "f": 2}
    return order[from_._np.kind] <= order[to._np.kind]


@exercise("01_tensors", "result_type", key="course_lib.result_type")
def result_type(tensor1, tensor2):
    """The dtype of ``tensor1 + tensor2``: each operand is a Tensor or a Python number.

    运算结果的 dtype。每个操作数有一个"优先级"：有维度的张量 (2) > 0 维张量 (1) > Python 数 (0)。
    Python 数的 dtype：``bool`` → bool，``int`` → int64，``float`` → 默认浮点类型。
    A Python number's dtype: bool → bool, int → int64, float → the default float dtype.

    * same priority → ``promote_types`` of the two; 优先级相同 → 两者 ``promote_types``；
    * else the higher-priority dtype wins, unless the other one is of a higher *category*
      (bool < integer < floating), then ``promote_types`` of the two.
      否则优先级高者胜出，除非另一个属于更高的*类别*（bool < 整数 < 浮点），那时取两者的 promote_types。

    Example: ``result_type(int32 tensor, 2.5) → float32``; ``result_type(uint8 tensor, 300) → uint8``.
    Every binary op (``+ - * / ** == <`` …) takes its result dtype from here.
    """
    ### BEGIN SOLUTION
    def dtype_and_priority(x):
        if isinstance(x, torch.Tensor):
            return x.dtype, (2 if x.dim() > 0 else 1)
        return torch.tensor(x).dtype, 0  # a Python number: bool, int64 or the default float

    def category(d):
        return 0 if d is torch.bool else (2 if d.is_floating_point else 1)

    d1, p1 = dtype_and_priority(tensor1)
    d2, p2 = dtype_and_priority(tensor2)
    if p1 == p2:
        return torch.promote_types(d1, d2)
    high, low = (d1, d2) if p1 > p2 else (d2, d1)
    if category(low) > category(high):
        return torch.promote_types(high, low)
    return high
    ### END SOLUTION
