"""The ops of ``torch.linalg`` (names in ``course_lib/linalg.py``): matrix_norm / norm, vecdot,
multi_dot, cross, diagonal, svd / svdvals, and inv / det / slogdet / solve of square matrices on
the backend's ``linalg`` module (numpy, or cupy), with torch's errors (``LinAlgError`` for
singular matrices).

torch.linalg 的运算。Imported on first use of ``course_lib.linalg`` (or of ``torch.det`` …), so
that ``import course_lib`` stays fast; ``vector_norm`` is ``torch.norm``'s (``reduce.py``).
"""
from __future__ import annotations

import numpy as np

from .._backend import xp_of
from .._tensor import _dim
from ..autograd.functions import linalg as F
from ..autograd.node import attach
from ._util import STATE, Tensor, _wrap
from .linalg import _name, _write_out, mm


class _LinAlgError(RuntimeError):
    """``torch.linalg.LinAlgError``: the matrix is singular (a RuntimeError, as torch's).
    线性代数错误：矩阵奇异。"""


_LinAlgError.__module__ = "course_lib.linalg"


def _scalar(t):
    from .._dtype import _by_np, scalar_name
    return scalar_name(_by_np[t._data.dtype])


def _matrices(A, name, square=True, low=None):
    """torch's checks of a batch of (square) matrices ``A``; its array."""
    from .reduce import _floating_only

    if not isinstance(A, Tensor):
        raise TypeError(f"{name.replace('.', '_')}(): argument 'A' (position 1) must be Tensor, "
                        f"not {type(A).__name__}")
    x = A._data
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if square and x.shape[-1] != x.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{x.shape[-2]} by {x.shape[-1]} matrices")
    _floating_only(x, f"{name}: Expected a floating point or complex tensor as input. Got ")
    if x.dtype.itemsize < 4 and low is not None:
        raise low(_scalar(A))
    return x


def _zero_pivot(m):
    """LAPACK getrf's ``info`` for one host matrix: the 1-based index of the first exactly
    zero pivot of LU with partial pivoting (0: none)."""
    a = np.array(m, copy=True)
    for j in range(a.shape[0]):
        p = j + int(np.argmax(np.abs(a[j:, j])))
        if a[p, j] == 0:
            return j + 1
        a[[j, p]] = a[[p, j]]
        a[j + 1:, j] /= a[j, j]
        a[j + 1:, j + 1:] -= np.outer(a[j + 1:, j], a[j, j + 1:])
    return 0


def _raise_singular(x, name):
    """torch's LinAlgError for the first singular matrix of the batch ``x`` (none: return)."""
    from .._backend import to_numpy

    h = to_numpy(x)
    for i, m in enumerate(h.reshape(-1, *h.shape[-2:])):
        info = _zero_pivot(m)
        if info:
            at = f"(Batch element {i}): " if h.ndim > 2 else ""
            if name == "linalg.inv":
                raise _LinAlgError(f"linalg.inv: {at}The diagonal element {info} is zero, the "
                                   "inversion could not be completed because the input matrix "
                                   "is singular.")
            raise _LinAlgError(f"torch.linalg.solve: {at}The solver failed because the input "
                               "matrix is singular.")


def _lapack(fn, x, name, *args):
    """``xp.linalg.fn(x, *args)`` with torch's LinAlgError for singular matrices (numpy raises,
    cupy hands back inf / nan)."""
    xp = xp_of(x)
    try:
        with np.errstate(all="ignore"):
            r = getattr(xp.linalg, fn)(x, *args)
    except np.linalg.LinAlgError:
        _raise_singular(x, name)
        raise _LinAlgError(f"{name}: the input matrix is singular.") from None
    if xp is not np and not bool(xp.isfinite(r).all()):
        _raise_singular(x, name)
    return r


def inv(A, *, out=None):
    """``linalg.inv``: the inverse of (a batch of) square matrices. 矩阵的逆。"""
    x = _matrices(A, "linalg.inv", low=lambda dt: RuntimeError(
        f"linalg.inv: Low precision dtypes not supported. Got {dt}"))
    res = _wrap(_lapack("inv", x, "linalg.inv"))
    if STATE[0] and A._requires_grad:
        node = F.LinalgInvExBackward0()
        node.saved = (res._data,)
        node.save_versions(out=res)
        attach(res, node, (A,))
    return _write_out(out, res) if out is not None else res


def _lu_half(dt):
    return NotImplementedError(f"\"lu_cpu\" not implemented for '{dt}'")


def det(A, *, out=None):
    """``linalg.det``: the determinant of (a batch of) square matrices. 行列式。"""
    x = _matrices(A, "linalg.det", low=_lu_half)
    from .._backend import ensure_array
    r = ensure_array(xp_of(x).linalg.det(x), x)
    res = _wrap(r.astype(x.dtype, copy=False))
    if STATE[0] and A._requires_grad:
        node = F.LinalgDetBackward0()
        node.saved = (x, res._data)
        node.save_versions(A, out=res)
        attach(res, node, (A,))
    return _write_out(out, res) if out is not None else res


def slogdet(A, *, out=None):
    """``linalg.slogdet``: (sign, log|det|) of (a batch of) square matrices. 行列式的符号与对数绝对值。"""
    from .. import return_types
    return return_types.linalg_slogdet(*_slogdet(A, "linalg.slogdet"))


def _slogdet(A, name):
    from .._backend import ensure_array
    x = _matrices(A, name, low=_lu_half)
    with np.errstate(all="ignore"):
        s, la = xp_of(x).linalg.slogdet(x)
    sign = _wrap(ensure_array(s, x).astype(x.dtype, copy=False))
    logabs = _wrap(ensure_array(la, x).astype(x.dtype, copy=False))
    if STATE[0] and A._requires_grad:
        node = F.LinalgSlogdetBackward0()
        node.saved = (x,)
        node.save_versions(A)
        attach(sign, node, (A,))
        attach(logabs, node, (A,))
        logabs._output_nr = 1
    return sign, logabs


def slogdet_(input):
    """``torch.slogdet``: ``linalg.slogdet`` as ``torch.return_types.slogdet``."""
    from .. import return_types
    return return_types.slogdet(*_slogdet(input, "linalg.slogdet"))


def solve(A, B, *, left=True, out=None):
    """``linalg.solve``: X with A X = B (``left=False``: X A = B) for square A, batches
    broadcast; B may be a vector (or a batch of them). 解线性方程组。"""
    x = _matrices(A, "linalg.solve", low=_lu_half)
    if not isinstance(B, Tensor):
        raise TypeError(f"linalg_solve(): argument 'B' (position 2) must be Tensor, not "
                        f"{type(B).__name__}")
    b = B._data
    if b.dtype != x.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A "
                           f"of type {_scalar(A)} and B of type {_scalar(B)} instead")
    vector = b.ndim == 1 or (b.ndim == x.ndim - 1 and b.shape == x.shape[:-1])
    bm = b[..., None] if vector else b
    if bm.ndim < 2:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    n = x.shape[-1]
    if (bm.shape[-2] if left else bm.shape[-1]) != n:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and "
                           f"{bm.shape[-2]}x{bm.shape[-1]})")
    from ._util import check_broadcast
    batch = check_broadcast(bm.shape[:-2], x.shape[:-2])
    xb = x if x.shape[:-2] == batch else np.broadcast_to(x, (*batch, n, n))
    if bm.shape[:-2] != batch:  # cupy's solve wants equal batch shapes
        bm = np.broadcast_to(bm, (*batch, *bm.shape[-2:]))
    if left:
        r = _lapack("solve", xb, "linalg.solve", bm)
    else:
        r = np.swapaxes(_lapack("solve", np.swapaxes(xb, -1, -2), "linalg.solve",
                                np.swapaxes(bm, -1, -2)), -1, -2)
    res = _wrap(r[..., 0].copy() if vector else r)
    if STATE[0] and (A._requires_grad or B._requires_grad):
        node = F.LinalgSolveExBackward0()
        node.saved = (x, res._data)
        node.left, node.vector, node.shapes = left, vector, (x.shape, b.shape)
        node.save_versions(A, out=res)
        attach(res, node, (A, B))
    return _write_out(out, res) if out is not None else res


def cross(input, other, *, dim=-1, out=None):
    """``linalg.cross``: the cross product of 3-vectors along ``dim`` (batches broadcast).
    向量叉积。"""
    x, y = input._data, other._data
    if x.dtype != y.dtype:
        raise RuntimeError(f"expected scalar type {_scalar(input)} but found {_scalar(other)}")
    if x.ndim != y.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = _dim(dim, x.ndim)
    if x.shape[d] != 3 or y.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{x.shape[d]} and {y.shape[d]}")
    from ._util import check_broadcast
    check_broadcast(x.shape, y.shape)
    res = _wrap(F.cross_product(x, y, d))
    if STATE[0] and (input._requires_grad or other._requires_grad):
        node = F.LinalgCrossBackward0()
        node.saved = (x, y)
        node.dim, node.shapes = d, (x.shape, y.shape)
        node.save_versions(input, other)
        attach(res, node, (input, other))
    return _write_out(out, res) if out is not None else res


def cross_(input, other, dim=None, *, out=None):
    """``torch.cross``: ``linalg.cross`` whose default ``dim`` is the first of size 3 (with
    torch's deprecation warning)."""
    if dim is None:
        import warnings
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease "
                      "either pass the dim explicitly or simply use torch.linalg.cross.\nThe "
                      "default value of dim will change to agree with that of linalg.cross in a "
                      "future release.", UserWarning, stacklevel=2)
        from ._util import check_broadcast
        sizes = check_broadcast(input._data.shape, other._data.shape)
        dim = next((i for i, s in enumerate(sizes) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return cross(input, other, dim=dim, out=out)


def vecdot(x, y, *, dim=-1, out=None):
    """``linalg.vecdot``: Σ xᵢ yᵢ along ``dim`` (batches broadcast). 沿 dim 的内积。"""
    from .reduce import _floating_only, sum as _sum

    if x._data.dtype != y._data.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x "
                           f"of type {_scalar(x)} and y of type {_scalar(y)} instead")
    _floating_only(x._data, "linalg.vecdot: Expected a floating point or complex tensor as "
                            "input. Got ")
    a, b = x._data, y._data
    if a.ndim == 1 and b.ndim == 1 and a.shape != b.shape:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                           f"[{b.shape[0]}] to have the same number of elements, but got "
                           f"{a.shape[0]} and {b.shape[0]} elements respectively")
    res = _sum(x * y, dim)
    return _write_out(out, res) if out is not None else res


def _chain_order(ms):
    """torch's matrix_chain_order: ``s[i][j]``, where the cheapest product of ms[i..j] splits."""
    n = len(ms)
    p = [m.shape[0] for m in ms] + [ms[-1].shape[1]]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if cost[i][j] is None or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def multi_dot(tensors, *, out=None):
    """``linalg.multi_dot``: A₁ @ A₂ @ … in the cheapest order (the first / last may be 1-D).
    多个矩阵连乘（自动选择最省的顺序）。"""
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    ts = list(tensors)
    shape = []
    for end, i in (("first", 0), ("last", n - 1)):
        nd = ts[i]._data.ndim
        if nd == 1:
            ts[i] = ts[i].unsqueeze(0 if i == 0 else -1)
        elif nd == 2:
            shape.append(ts[i].shape[0 if i == 0 else 1])
        else:
            raise RuntimeError(f"multi_dot(): the {end} tensor must be 1D or 2D but got {nd}D")
    for i in range(1, n - 1):
        if ts[i]._data.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {ts[i]._data.ndim}D")
    for i in range(1, n):
        if ts[i]._data.dtype != ts[0]._data.dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor "
                               f"0 is {_name(ts[0])} and tensor {i} {_name(ts[i])}")
        if ts[i - 1].shape[-1] != ts[i].shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i - 1} and {i} with shapes "
                               f"{list(tensors[i - 1].shape)} and {list(tensors[i].shape)} "
                               "cannot be multiplied")
    if n == 2:
        r = mm(ts[0], ts[1])
    elif n == 3:
        a, b, c, d = ts[0].shape[0], ts[1].shape[0], ts[2].shape[0], ts[2].shape[1]
        if (a * c) * (b + d) > (b * d) * (a + c):
            r = mm(ts[0], mm(ts[1], ts[2]))
        else:
            r = mm(mm(ts[0], ts[1]), ts[2])
    else:
        split = _chain_order(ts)

        def chain(i, j):
            return ts[i] if i == j else mm(chain(i, split[i][j]), chain(split[i][j] + 1, j))
        r = chain(0, n - 1)
    res = r.view(shape)
    return _write_out(out, res) if out is not None else res


def _diagonal_view(d, offset, a, b):
    """The (writable) view of ``d``'s diagonal over axes a, b, as the last axis (torch's)."""
    if not isinstance(d, np.ndarray):  # cupy: its diagonal is a view
        return d.diagonal(offset, a, b)
    sl = [slice(None)] * d.ndim
    sl[b if offset >= 0 else a] = slice(abs(offset), None)
    s = d[tuple(sl)]
    k = min(s.shape[a], s.shape[b])
    keep = [i for i in range(d.ndim) if i not in (a, b)]
    return np.lib.stride_tricks.as_strided(
        s, [s.shape[i] for i in keep] + [k], [s.strides[i] for i in keep]
        + [s.strides[a] + s.strides[b]], subok=True)


def diagonal(input, offset=0, dim1=0, dim2=1):
    """``torch.diagonal``: the view of the diagonal over ``dim1``, ``dim2`` (the result's last
    axis). 对角线（视图）。"""
    from .._tensor import _view_of

    d = input._data
    a, b = _dim(dim1, d.ndim), _dim(dim2, d.ndim)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    res = _view_of(_diagonal_view(d, offset, a, b), input)
    if STATE[0] and input._requires_grad:
        node = F.DiagonalBackward0()
        node.shape, node.offset, node.dims = d.shape, offset, (a, b)
        attach(res, node, (input,))
    return res


def linalg_diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """``linalg.diagonal``: ``torch.diagonal`` over the last two dims by default."""
    return diagonal(A, offset, dim1, dim2)


def matrix_power(A, n, *, out=None):
    """A^n by repeated squaring (n < 0: of the inverse); n = 0: the identity.
    矩阵的整数次幂（n < 0 时为逆矩阵的幂）。"""
    import course_lib as torch
    x = A._data
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they "
                           f"are {x.shape[-2]} by {x.shape[-1]} matrices" if x.ndim >= 2 else
                           f"linalg.matrix_power: The input tensor A must have at least 2 "
                           f"dimensions.")
    if n == 0:
        eye = torch.eye(x.shape[-1], dtype=A.dtype, device=A.device).expand_as(A)
        res = A.clone().copy_(eye)
    elif n == 1:
        res = A.clone()
    else:
        base = inv(A) if n < 0 else A
        k = abs(n)
        if k == 1:
            res = base
        else:
            res = None
            while k:  # binary powering, as torch
                if k & 1:
                    res = base if res is None else torch.matmul(res, base)
                k >>= 1
                if k:
                    base = torch.matmul(base, base)
    return res if out is None else out.copy_(res)


def logdet(input):
    """log det A (nan for a negative determinant, −inf for zero). 行列式的对数。"""
    import course_lib as torch
    sign, logabs = slogdet(input)
    nan = torch.full_like(logabs, float("nan"))
    return torch.where(sign == -1, nan, logabs)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """``linalg.matrix_norm`` over the two ``dim``: 'fro', 'nuc' (sum of the singular values),
    ±2 (largest / smallest singular value), ±1 (largest / smallest column sum of |aᵢⱼ|) and
    ±inf (row sums). 矩阵范数。"""
    from .reduce import _floating_only, _norm_dtype, amax, amin, vector_norm

    name = "linalg.matrix_norm"
    if isinstance(ord, str) and ord not in ("fro", "nuc"):
        raise RuntimeError(f"{name}: Order {ord} not supported.")
    if not isinstance(ord, str) and abs(ord) not in (1, 2, np.inf):
        raise RuntimeError(f"{name}: Order {ord:g} not supported.")
    x = A._data
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    _floating_only(x, f"{name}: Expected a floating point or complex tensor as input. Got ")
    dims = [dim] if isinstance(dim, int) else list(dim)
    if len(dims) != 2:
        raise RuntimeError(f"{name}: dim must be a 2-tuple. Got {' '.join(map(str, dims))}")
    dims = [_dim(d, x.ndim) for d in dims]
    if dims[0] == dims[1]:
        raise RuntimeError(f"{name}: dims must be different. Got ({dims[0]}, {dims[1]})")
    _norm_dtype(x, dtype, name)
    if ord == "fro":
        return vector_norm(A, 2, dims, keepdim, dtype=dtype, out=out)
    if ord == "nuc" or abs(ord) == 2:
        if x.dtype.itemsize < 4:
            raise RuntimeError(f"{name}: Low precision dtypes not supported. Got {_scalar(A)}")
        res = _svd_norm(A, ord, dims, keepdim, dtype)
        return _write_out(out, res) if out is not None else res
    if np.isinf(ord):  # the inf norm is the 1 norm of the transpose
        dims.reverse()
    if not keepdim and dims[0] < dims[1]:
        dims[1] -= 1
    r = vector_norm(A, 1, dims[0], keepdim, dtype=dtype)
    res = amax(r, dims[1], keepdim) if ord > 0 else amin(r, dims[1], keepdim)
    return _write_out(out, res) if out is not None else res


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """``linalg.norm``: a vector norm, or with ``ord`` over two dims (a 2-D A) a matrix norm.
    范数（向量或矩阵）。"""
    from .reduce import vector_norm

    x = A._data
    if dim is not None:
        dims = [dim] if isinstance(dim, int) else list(dim)
        if len(dims) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                               f"Got {dims}")
    elif ord is not None and x.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {x.ndim}D.")
    if isinstance(ord, str) or (ord is not None and (len(dims) == 2 if dim is not None
                                                     else x.ndim == 2)):
        return matrix_norm(A, ord, (0, 1) if dim is None else dims, keepdim, dtype=dtype,
                           out=out)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype, out=out)


def _svd(A, full_matrices, name):
    """U, S, Vh of (a batch of) matrices A, one LinalgSvdBackward0 node for the three."""
    x = _matrices(A, name, square=False, low=lambda dt: NotImplementedError(
        f"\"linalg_svd_cpu\" not implemented for '{dt}'"))
    u, s, vh = xp_of(x).linalg.svd(x, full_matrices=full_matrices)
    outs = (_wrap(u), _wrap(s), _wrap(vh))
    if STATE[0] and A._requires_grad:
        node = F.LinalgSvdBackward0()
        node.saved = (u, s, vh)
        node.rerun = (_svd_rerun(full_matrices, name), (x,))
        for i, o in enumerate(outs):
            attach(o, node, (A,))
            o._output_nr = i
    return outs


def _svd_rerun(full_matrices, name):
    """create_graph: U, S, Vh from a recorded svd of the input, so they depend on it again."""
    def rerun(a):
        return None, tuple(type(a)(t) for t in _svd(a.t, full_matrices, name))
    return rerun


def svd(A, full_matrices=True, *, driver=None, out=None):
    """``linalg.svd``: A = U diag(S) Vh (S descending). The signs of U's columns / Vh's rows
    are the backend's (LAPACK's), as in torch only up to sign. 奇异值分解。"""
    from .. import return_types
    return return_types.linalg_svd(*_svd(A, full_matrices, "linalg.svd"))


def svdvals(A, *, driver=None, out=None):
    """``linalg.svdvals``: the singular values of (a batch of) matrices, descending. 奇异值。"""
    if STATE[0] and isinstance(A, Tensor) and A._requires_grad:
        res = _svd(A, False, "linalg.svd")[1]
    else:
        x = _matrices(A, "linalg.svd", square=False, low=lambda dt: NotImplementedError(
            f"\"linalg_svd_cpu\" not implemented for '{dt}'"))
        res = _wrap(xp_of(x).linalg.svd(x, compute_uv=False))
    return _write_out(out, res) if out is not None else res


def _svd_norm(A, ord, dims, keepdim, dtype):
    """matrix_norm's 2, -2 and 'nuc': the dims moved to the end, svdvals, then max / min / sum
    over them (torch's composition: AmaxBackward0 / AminBackward0 / SumBackward1 over
    LinalgSvdBackward0; keepdim puts the dims back with PermuteBackward0)."""
    from .reduce import amax, amin, sum as _sum

    nd = A.ndim
    perm = [i for i in range(nd) if i not in dims] + list(dims)
    a = A if dtype is None else A.to(dtype)
    sv = svdvals(a.permute(*perm))
    if ord == "nuc":
        r = _sum(sv, -1, keepdim)
    else:
        r = (amax if ord > 0 else amin)(sv, -1, keepdim)
    if keepdim:
        back = [0] * nd
        for i, p in enumerate(perm):
            back[p] = i
        r = r.unsqueeze(-1).permute(*back)
    return r
