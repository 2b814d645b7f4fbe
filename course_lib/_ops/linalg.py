"""Matrix products: ``matmul``/``@``, ``mm``, ``bmm``, ``mv``, ``dot``, ``addmm``, ``outer``.

矩阵乘法。Shape errors are torch's ("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)").
"""
from __future__ import annotations

import numpy as np

from ..autograd.functions import linalg as F
from ..autograd.functions.shape import SqueezeBackward4, UnsafeViewBackward0
from ..autograd.node import attach
from ._util import STATE, Tensor, _wrap, prep


def _pair(a, b, what):
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError(f"{what}(): argument 'other' (position 1) must be Tensor, not "
                        f"{type(b).__name__}")
    x, y, _ = prep(a, b)
    if x.dtype != y.dtype or a._data.dtype != b._data.dtype:
        if x.ndim == 1 and y.ndim == 1:
            from .._dtype import _by_np, scalar_name
            raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                               f"{scalar_name(_by_np[a._data.dtype])} and "
                               f"{scalar_name(_by_np[b._data.dtype])}")
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_name(a)} != {_name(b)}")
    return x, y


def _name(t):
    from .._dtype import _by_np

    n = _by_np[t._data.dtype]._name
    return {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "float16": "c10::Half", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char"}.get(n, n)


def _node(res, cls, inputs, saved, **attrs):
    node = cls()
    node.saved = saved
    for k, v in attrs.items():
        setattr(node, k, v)
    node.save_versions(*inputs)
    attach(res, node, inputs)
    return res


def mm(input, mat2, *, out=None):
    """(n, k) @ (k, m) → (n, m). 矩阵乘法。"""
    x, y = _pair(input, mat2, "mm")
    if x.ndim != 2 or y.ndim != 2:
        bad = "self" if x.ndim != 2 else "mat2"
        raise RuntimeError(f"{bad} must be a matrix")
    if x.shape[1] != y.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x{x.shape[1]}"
                           f" and {y.shape[0]}x{y.shape[1]})")
    res = _wrap(x @ y)
    if STATE[0] and (input._requires_grad or mat2._requires_grad):
        _node(res, F.MmBackward0, (input, mat2), (x, y))
    if out is not None:
        return _write_out(out, res)
    return res


def matmul(input, other, *, out=None):
    """Matrix product with torch's rules for 1-D and batched (broadcast) operands. 通用矩阵乘法。"""
    x, y = _pair(input, other, "matmul")
    if x.ndim == 0 or y.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{x.ndim}D and {y.ndim}D")
    if x.ndim == 2 and y.ndim == 2:
        return mm(input, other, out=out)
    k1 = x.shape[-1]
    k2 = y.shape[-2] if y.ndim > 1 else y.shape[0]
    if k1 != k2:
        if x.ndim == 1 and y.ndim == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{x.shape[0]}] and src "
                               f"[{y.shape[0]}] to have the same number of elements, but got "
                               f"{x.shape[0]} and {y.shape[0]} elements respectively")
        if y.ndim == 1:
            n = x.size // k1 if k1 else int(np.prod(x.shape[:-1]))
            raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{k1}), vec ({k2})")
        if y.ndim >= 3:  # torch broadcasts the batch dims and calls bmm
            from ._util import check_broadcast
            bx, by = x.shape[:-2], y.shape[:-2]
            b = int(np.prod(check_broadcast(bx, by)))
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                               f"[{b}, {k1}] but got: [{b}, {k2}].")
        a = x.reshape(-1, x.shape[-1]) if x.ndim > 1 else x.reshape(1, -1)
        b = y.reshape(y.shape[0], -1) if y.ndim > 1 else y.reshape(-1, 1)
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]}"
                           f" and {b.shape[0]}x{b.shape[1]})")
    try:
        r = x @ y
    except ValueError:
        from ._util import broadcast_error
        raise broadcast_error(x.shape[:-2], y.shape[:-2]) from None
    res = _wrap(r)
    if STATE[0] and (input._requires_grad or other._requires_grad):
        if x.ndim == 1 and y.ndim == 1:
            _node(res, F.DotBackward0, (input, other), (x, y))
        elif y.ndim == 1 and x.ndim == 2:
            _node(res, F.MvBackward0, (input, other), (x, y))
        else:  # torch's view node (SqueezeBackward4 / UnsafeViewBackward0) over the product's
            _node(res, F.BmmBackward0, (input, other), (x, y), shapes=(x.shape, y.shape))
            view = (SqueezeBackward4 if x.ndim == 1 and y.ndim == 2 else UnsafeViewBackward0)()
            view.shape = r.shape  # the product has the result's shape: the view passes g on
            view.next_functions = ((res._grad_fn, 0),)
            res._grad_fn = view
    if out is not None:
        return _write_out(out, res)
    return res


def bmm(input, mat2, *, out=None):
    """(b, n, k) @ (b, k, m) → (b, n, m). 批量矩阵乘法。"""
    if isinstance(mat2, Tensor) and input._data.dtype != mat2._data.dtype:
        from .._dtype import _by_np, scalar_name
        raise RuntimeError(f"expected scalar type {scalar_name(_by_np[input._data.dtype])} but "
                           f"found {scalar_name(_by_np[mat2._data.dtype])}")
    x, y = _pair(input, mat2, "bmm")
    if x.ndim != 3 or y.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor" if x.ndim != 3 else
                           "batch2 must be a 3D tensor")
    if x.shape[0] != y.shape[0] or x.shape[2] != y.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{x.shape[0]}, {x.shape[2]}] but got: [{y.shape[0]}, {y.shape[1]}].")
    res = _wrap(x @ y)
    if STATE[0] and (input._requires_grad or mat2._requires_grad):
        _node(res, F.BmmBackward0, (input, mat2), (x, y), shapes=(x.shape, y.shape))
    return res


def mv(input, vec):
    x, y = _pair(input, vec, "mv")
    if x.ndim != 2 or y.ndim != 1:
        raise RuntimeError("vector + matrix @ vector expected, got "
                           f"1, {x.ndim}, {y.ndim}")
    return matmul(input, vec)


def dot(input, other):
    x, y = _pair(input, other, "dot")
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {y.ndim}D tensors")
    return matmul(input, other)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)`` — the op behind ``nn.Linear``. 线性层的核心。"""
    a, b = _pair(mat1, mat2, "addmm")
    if a.ndim != 2 or b.ndim != 2:
        raise RuntimeError(f"{'mat1' if a.ndim != 2 else 'mat2'} must be a matrix, got "
                           f"{a.ndim if a.ndim != 2 else b.ndim}-D tensor")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]}"
                           f" and {b.shape[0]}x{b.shape[1]})")
    c = input._data
    m = a @ b
    if alpha != 1:
        m = m * alpha
    if (beta == 1 and type(c) is type(m) and c.dtype == m.dtype
            and (c.shape == m.shape or (c.ndim == 1 and c.shape[0] == m.shape[1]))):
        m += c  # the bias broadcast into the fresh product (nn.Linear's case): no temporary
        r = m
    else:
        r = None
    try:
        if r is None:
            r = m + (c if beta == 1 else beta * c)
    except ValueError:
        raise RuntimeError(f"The expanded size of the tensor ({m.shape[-1]}) must match the "
                           f"existing size ({c.shape[-1]}) at non-singleton dimension 1.  "
                           f"Target sizes: [{m.shape[0]}, {m.shape[1]}].  Tensor sizes: "
                           f"{list(c.shape)}") from None
    if r.shape != m.shape:
        raise RuntimeError(f"The expanded size of the tensor ({m.shape[-1]}) must match the "
                           f"existing size ({c.shape[-1]}) at non-singleton dimension 1")
    res = _wrap(r.astype(a.dtype, copy=False))
    if STATE[0] and (input._requires_grad or mat1._requires_grad or mat2._requires_grad):
        node = F.AddmmBackward0()
        node.saved = (a, b)
        node.bias_shape, node.alpha, node.beta = c.shape, alpha, beta
        node.save_versions(mat1, mat2)  # torch saves the two matrices, not the bias
        attach(res, node, (input, mat1, mat2))
    if out is not None:
        return _write_out(out, res)
    return res


def _add_product(name, node_cls, input, a, b, product, beta, alpha, inputs):
    """``beta · input + alpha · product`` (input broadcast to the product; beta = 0 ignores it,
    nan included, as torch)."""
    c = input._data
    m = product if alpha == 1 else product * alpha
    if c.shape != m.shape:
        try:
            if np.broadcast_shapes(c.shape, m.shape) != m.shape:
                raise ValueError
        except ValueError:
            k = next(i for i in range(1, min(c.ndim, m.ndim) + 1)
                     if c.shape[-i] != m.shape[-i] and c.shape[-i] != 1)
            raise RuntimeError(f"The expanded size of the tensor ({m.shape[-k]}) must match the "
                               f"existing size ({c.shape[-k]}) at non-singleton dimension "
                               f"{m.ndim - k}.  Target sizes: {list(m.shape)}.  Tensor sizes: "
                               f"{list(c.shape)}") from None
    r = m if beta == 0 else m + (c if beta == 1 else beta * c)
    res = _wrap(r.astype(a.dtype, copy=False))
    if STATE[0] and any(t._requires_grad for t in inputs):
        node = node_cls()
        node.saved = (a, b)
        node.shape, node.alpha, node.beta = c.shape, alpha, beta
        node.save_versions(*inputs[1:])
        attach(res, node, inputs)
    return res


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """``beta · input + alpha · (mat @ vec)``. 矩阵乘向量再加。"""
    a, v = _pair(mat, vec, "addmv")
    if a.ndim != 2 or v.ndim != 1 or input._data.ndim > 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input._data.ndim}, {a.ndim}, "
                           f"{v.ndim}")
    c = input._data
    if a.shape[1] != v.shape[0] or (c.ndim == 1 and c.shape[0] not in (1, a.shape[0])):
        raise RuntimeError(f"size mismatch, got input ({', '.join(map(str, c.shape))}), mat "
                           f"({a.shape[0]}x{a.shape[1]}), vec ({v.shape[0]})")
    res = _add_product("addmv", F.AddmvBackward0, input, a, v, a @ v, beta, alpha,
                       (input, mat, vec))
    return _write_out(out, res) if out is not None else res


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """``beta · input + alpha · (vec1 ⊗ vec2)``. 外积再加。"""
    a, b = _pair(vec1, vec2, "addr")
    for name, x in (("vec1", a), ("vec2", b)):
        if x.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {x.ndim}-D")
    res = _add_product("addr", F.AddrBackward0, input, a, b, np.multiply.outer(a, b), beta,
                       alpha, (input, vec1, vec2))
    return _write_out(out, res) if out is not None else res


def _batches(name, x, y):
    if x.ndim != 3 or y.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor" if x.ndim != 3 else
                           "batch2 must be a 3D tensor")
    if x.shape[0] != y.shape[0] or x.shape[2] != y.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{x.shape[0]}, {x.shape[2]}] but got: [{y.shape[0]}, {y.shape[1]}].")


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta · input + alpha · (batch1 @ batch2)`` per batch. 批量矩阵乘再加。"""
    x, y = _pair(batch1, batch2, "baddbmm")
    _batches("baddbmm", x, y)
    res = _add_product("baddbmm", F.BaddbmmBackward0, input, x, y, x @ y, beta, alpha,
                       (input, batch1, batch2))
    return _write_out(out, res) if out is not None else res


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta · input + alpha · Σ_b batch1[b] @ batch2[b]``. 批量矩阵乘之和再加。"""
    x, y = _pair(batch1, batch2, "addbmm")
    _batches("addbmm", x, y)
    res = _add_product("addbmm", F.AddbmmBackward0, input, x, y, (x @ y).sum(axis=0), beta,
                       alpha, (input, batch1, batch2))
    return _write_out(out, res) if out is not None else res


def outer(input, vec2):
    from .shape import unsqueeze

    for name, t in (("self", input), ("vec2", vec2)):
        if t._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t._data.ndim}-D")
    return unsqueeze(input, 1) * unsqueeze(vec2, 0)


def _write_out(out, res):
    """matmul-family ``out=``: torch wants exactly the result's dtype."""
    from .checks import write_out

    if isinstance(out, Tensor) and out._data.dtype != res._data.dtype:
        raise RuntimeError(f"Expected out tensor to have dtype {_name(res)}, but got "
                           f"{_name(out)} instead")
    return write_out(out, res)


def _inplace_product(f):
    def method(self, a, b, *, beta=1, alpha=1):
        from .inplace import _apply, check_inplace
        check_inplace(self, STATE[0] and (self._requires_grad or a._requires_grad
                                          or b._requires_grad))
        return _apply(self, f(self, a, b, beta=beta, alpha=alpha))
    method.__name__ = method.__qualname__ = f.__name__ + "_"
    return method


def _attach_methods():
    T = Tensor
    for n in ("mm", "matmul", "bmm", "mv", "dot", "addmm", "outer", "inverse", "det", "diagonal",
              "slogdet", "cross"):
        setattr(T, n, globals()[n])
    T.matrix_power = lambda self, n: _api().matrix_power(self, n)
    T.logdet = lambda self: _api().logdet(self)
    for f in (addmv, addr, baddbmm, addbmm):
        setattr(T, f.__name__, f)
        setattr(T, f.__name__ + "_", _inplace_product(f))
    T.__matmul__ = lambda a, b: NotImplemented if isinstance(b, (int, float)) else matmul(a, b)
    T.__rmatmul__ = lambda a, b: matmul(_as(b, a), a)


def _as(x, like):
    from .._creation import _from_data

    return _from_data(x, None, like.device)


# -- torch-level names of torch.linalg's ops (defined in linalg_api.py, imported on first use
# so that ``import course_lib`` stays fast)
def _api():
    from . import linalg_api
    return linalg_api


def matrix_power(input, n, *, out=None):
    """``torch.matrix_power``: ``linalg.matrix_power``. 矩阵的整数次幂。"""
    return _api().matrix_power(input, n, out=out)


def logdet(input):
    """log det A (nan where det < 0). 行列式的对数。"""
    return _api().logdet(input)


def inverse(input, *, out=None):
    """``torch.inverse``: ``linalg.inv``. 矩阵的逆。"""
    return _api().inv(input, out=out)


def det(input, *, out=None):
    """``torch.det``: ``linalg.det``. 行列式。"""
    return _api().det(input, out=out)


def slogdet(input):
    """``torch.slogdet``: ``linalg.slogdet`` as ``torch.return_types.slogdet``."""
    return _api().slogdet_(input)


def cross(input, other, dim=None, *, out=None):
    """``torch.cross``: ``linalg.cross`` whose default ``dim`` is the first of size 3. 叉积。"""
    return _api().cross_(input, other, dim, out=out)


def diagonal(input, offset=0, dim1=0, dim2=1):
    """``torch.diagonal``: the view of the diagonal over ``dim1``, ``dim2``. 对角线（视图）。"""
    return _api().diagonal(input, offset, dim1, dim2)


_ = np
_attach_methods()
