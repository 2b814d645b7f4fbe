"""Backward nodes of course_lib's ops, by category; ``Mul``/``Sigmoid`` are lesson-04 exercises.

各类运算的反向节点；``Mul``、``Sigmoid`` 是第 04 课的练习。
"""
from .linalg import *  # noqa: F401,F403
from .linalg import AddmmBackward0, BmmBackward0, DotBackward0, MmBackward0, MvBackward0
from .pointwise import *  # noqa: F401,F403
from .pointwise import Mul, Sigmoid
from .reduction import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403

__all__ = ["Mul", "Sigmoid", "MmBackward0", "AddmmBackward0", "MvBackward0", "DotBackward0",
           "BmmBackward0"]
