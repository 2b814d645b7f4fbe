"""``course_lib.functional``: shape helpers that torch keeps in ``torch.functional``.

形状相关的辅助函数（torch 中位于 ``torch.functional``）。
"""
from __future__ import annotations

from ._missing import module_getattr as _module_getattr
from .exercises import exercise
import course_lib as torch  # the solution regions use the names a notebook has

__all__ = ["atleast_1d", "atleast_2d", "atleast_3d", "block_diag", "broadcast_shapes",
           "broadcast_tensors", "cartesian_prod", "cdist", "einsum", "meshgrid", "norm", "split",
           "tensordot", "unique", "unique_consecutive"]


@exercise("01_tensors", "broadcast_shapes", key="course_lib.broadcast_shapes")
def broadcast_shapes(*shapes):
    """The shape that tensors of the given shapes broadcast to together.

    几个形状一起广播后的形状。规则：从最后一维往前对齐；每一维上的大小要么相等，要么其中之一为 1
    （结果取较大者）；缺的维度当作 1。例：``(2, 1, 4)`` 与 ``(3, 1)`` → ``(2, 3, 4)``。
    An int counts as a 1-d shape. If two sizes differ and neither is 1 raise ``RuntimeError``
    (torch: "Attempting to broadcast a dimension of length 4 at -1! …"). Returns ``course_lib.Size``.
    """
    ### BEGIN SOLUTION
    result = []
    for j, shape in enumerate(shapes):
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        if len(shape) > len(result):  # missing leading dimensions count as 1
            result[:0] = [1] * (len(shape) - len(result))
        for i in range(-1, -len(shape) - 1, -1):  # align from the last dimension
            n = shape[i]
            if n != 1 and n != result[i]:
                if result[i] != 1:
                    raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {i}! "
                                       f"Mismatching argument at index {j} had {shape}; but "
                                       f"expected shape should be broadcastable to {result}")
                result[i] = n
    return torch.Size(result)
    ### END SOLUTION


def broadcast_tensors(*tensors):
    """Expand tensors to their common broadcast shape (views). 把张量广播成共同形状。"""
    from ._ops._util import check_broadcast
    from ._ops.shape import expand

    shape = check_broadcast(*(t._data.shape for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


def split(tensor, split_size_or_sections, dim=0):
    from ._ops.shape import split as _split

    return _split(tensor, split_size_or_sections, dim)


def einsum(equation, *operands):
    """Einstein summation, differentiable (see ``_ops/einsum.py``). 爱因斯坦求和。"""
    from ._ops.einsum import einsum as _einsum

    return _einsum(equation, *operands)



# torch defines these in torch.functional as well, where they are the very objects of torch.<name>.
# Here they live with their op families in _ops (which import this module), so they are looked up
# on first use; a name course_lib lacks gets the bilingual "PyTorch has it" error.
_TOP_LEVEL = frozenset(__all__) - {"broadcast_shapes", "broadcast_tensors", "split", "einsum"}
_missing_getattr = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks


def __getattr__(name):
    if name in _TOP_LEVEL:
        return getattr(torch, name)
    return _missing_getattr(name)
