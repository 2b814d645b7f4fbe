"""Backward nodes of course_lib's ops, by category; ``formulas`` holds lesson 04's pieces.

各类运算的反向节点；``formulas`` 是第 04 课的练习（反向公式）。
"""
from .formulas import binary_backward, unary_backward
from .linalg import *  # noqa: F401,F403
from .linalg import AddmmBackward0, BmmBackward0, DotBackward0, MmBackward0, MvBackward0
from .pointwise import *  # noqa: F401,F403
from .reduction import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403

__all__ = ["binary_backward", "unary_backward", "MmBackward0", "AddmmBackward0", "MvBackward0",
           "DotBackward0", "BmmBackward0"]
