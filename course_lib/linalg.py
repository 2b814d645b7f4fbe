"""``torch.linalg``: norms, products, svd, and inv / det / solve of square matrices.

线性代数（``torch.linalg``）：范数、乘积、奇异值分解，以及方阵的逆、行列式与线性方程组。The arrays are
numpy's (cpu) or cupy's (cuda): each op calls its backend's ``linalg`` module. One definition
per op: ``vector_norm`` is ``torch.norm``'s (``_ops/reduce.py``), ``matmul`` is ``torch.matmul``,
the rest live in ``_ops/linalg_api.py`` (imported with this module, on first use) with their
backward nodes in ``autograd/functions/linalg.py``.
"""
from ._ops.linalg import matmul
from ._ops.linalg_api import _LinAlgError as LinAlgError
from ._ops.linalg_api import (cross, det, inv, linalg_diagonal as diagonal, matrix_norm,
                              matrix_power, multi_dot, norm, slogdet, solve, svd, svdvals, vecdot)
from ._ops.reduce import vector_norm

__all__ = ["LinAlgError", "cross", "det", "diagonal", "inv", "matmul", "matrix_norm",
           "matrix_power", "multi_dot",
           "norm", "slogdet", "solve", "svd", "svdvals", "vecdot", "vector_norm"]

from ._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what torch.linalg has and course_lib lacks
