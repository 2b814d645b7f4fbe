"""``course_lib.backends``: which compute backends exist here, as ``torch.backends``.

计算后端的查询与开关：``cuda``（``is_built()``、``matmul.allow_tf32``）、``cudnn``、``mps``。
course_lib computes with numpy on the cpu and cupy (or the simulated device) for ``cuda``; it has
no cuDNN and no Apple MPS, and says so the way a CPU-only PyTorch does. The "Build the model"
page's device choice runs as is:
``"cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"``.
"""
from __future__ import annotations

from . import cuda, cudnn, mps  # noqa: F401

from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks
