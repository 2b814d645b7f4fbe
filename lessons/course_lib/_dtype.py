"""dtypes: ``course_lib.float32`` & co., the default dtype and torch's type promotion.

数据类型：``course_lib.float32`` 等、默认浮点类型，以及 torch 的类型提升规则。
"""
from __future__ import annotations

import builtins as _b

import numpy as np

from .exercises import exercise

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


def _promote(a, b):
    """Private torch promotion of two dtypes (library code uses this, never promote_types)."""
    if a is b:
        return a
    if a is bool:
        return b
    if b is bool:
        return a
    if a.is_floating_point != b.is_floating_point:
        return a if a.is_floating_point else b
    if a.is_floating_point:
        return a if a.itemsize > b.itemsize else b
    return _by_np[np.promote_types(a._np, b._np)]


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
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


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


def result_type(tensor1, tensor2):
    """The dtype of ``tensor1 + tensor2`` under torch's promotion rules."""
    from ._ops._util import result_dtype, scalar_dtype

    t1 = hasattr(tensor1, "_data")
    t2 = hasattr(tensor2, "_data")
    if t1 and t2:
        return _by_np[result_dtype(tensor1._data, tensor2._data)]
    if not t1 and not t2:
        kinds = [_b.bool, _b.int, _b.float]
        k = _b.max(kinds.index(type(v)) for v in (tensor1, tensor2))
        return (bool, int64, _default[0])[k]
    t, s = (tensor1, tensor2) if t1 else (tensor2, tensor1)
    d = scalar_dtype(t._data, s)
    return _by_np[d] if d is not None else _by_np[t._data.dtype]
