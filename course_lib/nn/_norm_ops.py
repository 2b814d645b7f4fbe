"""``layer_norm``, ``batch_norm`` and ``embedding``: one graph node each (torch's names),
forward and chain rule side by side. 层归一化、批归一化与词嵌入（各一个计算图节点）。

layer_norm over the last dims D (N = their size): x̂ = (x − μ)·r with r = 1/√(σ² + eps),
y = x̂·w + b.  Backward: with ĝ = g·w,
    ∂L/∂x = r · (ĝ − mean_D(ĝ) − x̂ · mean_D(ĝ · x̂)),  ∂L/∂w = Σ_batch g·x̂,  ∂L/∂b = Σ_batch g.
batch_norm per channel c over the other dims (M values): training uses the batch's μ, σ²
(biased) and updates running_mean/var (unbiased σ²) with ``momentum``; eval uses the running
ones (then r is a constant: ∂L/∂x = g·w·r).  Training backward, with ĝ = g·w:
    ∂L/∂x = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) — the layer_norm formula over other axes.
embedding: y = W[idx]; ∂L/∂W adds each row of g into the row it came from (rows of
``padding_idx`` get nothing).
"""
from __future__ import annotations

import numpy as np

from .._backend import xp_of
from ..autograd.grad_mode import STATE
from ..autograd.node import Node, attach
from . import _glue as G
from ._ops import _keep_device, _wrap


def _standardize(x, axes, eps, mean=None, var=None):
    """(x̂, r, μ, σ²): x̂ = (x − μ)·r, r = 1/√(σ² + eps), statistics over ``axes`` unless given."""
    if mean is None:
        mean = x.mean(axis=axes, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    rstd = 1 / xp_of(x).sqrt(var + eps)
    return (x - mean) * rstd, rstd, mean, var


def _standardize_grad(gh, xhat, rstd, axes):
    """∂L/∂x from ĝ = ∂L/∂x̂ when μ and σ² were taken over ``axes``."""
    return rstd * (gh - gh.mean(axis=axes, keepdims=True)
                   - xhat * (gh * xhat).mean(axis=axes, keepdims=True))


def _affine(input, xhat, rstd, weight, bias, wshape, node_cls, meta, stats):
    """y = x̂·w + b (w, b seen as ``wshape``), and the node (saved x̂, r, w; meta + (needs,)).

    ``stats(x) -> (x̂, r)`` recomputes x̂ and r: create_graph re-runs it on the input as a
    Tensor (``node.rerun``), so the saved x̂ and r depend on x again in the graph of the
    gradient (the backward formulas themselves are unchanged)."""
    x = input._data
    w = weight._data if weight is not None else None
    y = xhat.reshape(x.shape)
    if w is not None:
        y = y * w.reshape(wshape)
    if bias is not None:
        y = y + bias._data.reshape(wshape)
    out = _wrap(y.astype(x.dtype, copy=False), x)
    needs = tuple(t is not None and t._requires_grad for t in (input, weight, bias))
    if STATE[0] and any(needs):
        node = node_cls()
        node.saved, node.meta = (xhat, rstd, w), meta + (needs,)
        node.rerun = (lambda xt, wt=None: (None, stats(xt) + (wt,)), (x, w, None))
        node.save_versions(*(t for t in (input, weight) if t is not None))
        attach(out, node, (input, weight, bias))
    return out


def _channels(g):
    """The shape that lines a (C,) vector up with dim 1 of ``g``."""
    return (1, g.shape[1]) + (1,) * (g.ndim - 2)


class NativeLayerNormBackward0(Node):
    __slots__ = ("meta", "rerun")

    @_keep_device
    def backward(self, g):
        xhat, rstd, w = self.saved
        axes, needs = self.meta
        batch = tuple(range(g.ndim - len(axes)))
        gx = _standardize_grad(g if w is None else g * w, xhat, rstd, axes) if needs[0] else None
        gw = (g * xhat).sum(axis=batch) if needs[1] else None
        gb = g.sum(axis=batch) if needs[2] else None
        return gx, gw, gb


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last ``len(normalized_shape)`` dims: (*, *normalized_shape)."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    shape = tuple(normalized_shape)
    x = input._data
    if tuple(x.shape[x.ndim - len(shape):]) != shape or len(shape) > x.ndim:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size"
                           f"{list(x.shape)}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(p.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(p.shape)} and normalized_shape = "
                               f"{list(shape)}")
    axes = tuple(range(x.ndim - len(shape), x.ndim))

    def stats(a):
        return _standardize(a, axes, eps)[:2]
    xhat, rstd = stats(x)
    return _affine(input, xhat, rstd, weight, bias, shape, NativeLayerNormBackward0, (axes,),
                   stats)


class NativeBatchNormBackward0(Node):
    __slots__ = ("meta", "rerun")

    @_keep_device
    def backward(self, g):
        xhat, rstd, w = self.saved
        axes, batch_stats, needs = self.meta
        gx = None
        if needs[0]:
            gh = g if w is None else g * w.reshape(_channels(g))
            gx = _standardize_grad(gh, xhat, rstd, axes) if batch_stats else gh * rstd
        gw = (g * xhat).sum(axis=axes) if needs[1] else None
        gb = g.sum(axis=axes) if needs[2] else None
        return gx, gw, gb


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """(N, C, *) normalised per channel C; running stats updated in place when training."""
    x = input._data
    if x.ndim < 2:
        raise ValueError(f"Expected 2D or 3D input (got {x.ndim}D input)")
    axes = (0,) + tuple(range(2, x.ndim))
    count = x.size // max(x.shape[1], 1)
    if training and count <= 1:
        raise ValueError("Expected more than 1 value per channel when training, got input size "
                         f"course_lib.Size({list(x.shape)})")
    batch_stats = training or running_mean is None
    if batch_stats:
        def stats(a):
            return _standardize(a, axes, eps)[:2]
        xhat, rstd, mean, var = _standardize(x, axes, eps)
        if training and running_mean is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                unbiased = var.reshape(-1) * (count / (count - 1))
            rm, rv = running_mean._data, running_var._data
            rm[...] = (1 - momentum) * rm + momentum * mean.reshape(-1)
            rv[...] = (1 - momentum) * rv + momentum * unbiased
            running_mean._ver[0] += 1
            running_var._ver[0] += 1
    else:  # the running statistics as they are now (constants of this node)
        rm = running_mean._data.reshape(_channels(x)).copy()
        rv = running_var._data.reshape(_channels(x)).copy()

        def stats(a):
            return _standardize(a, axes, eps, rm, rv)[:2]
        xhat, rstd = stats(x)
    return _affine(input, xhat, rstd, weight, bias, _channels(x), NativeBatchNormBackward0,
                   (axes, batch_stats), stats)


class NativeGroupNormBackward0(Node):
    __slots__ = ("meta", "rerun")

    @_keep_device
    def backward(self, g):
        xhat, rstd, w = self.saved  # x̂ and r in the (N, G, rest) layout
        groups, needs = self.meta
        gx = None
        if needs[0]:
            gh = (g if w is None else g * w.reshape(_channels(g))).reshape(xhat.shape)
            gx = _standardize_grad(gh, xhat, rstd, (-1,)).reshape(g.shape)
        other = (0,) + tuple(range(2, g.ndim))
        gw = (g * xhat.reshape(g.shape)).sum(axis=other) if needs[1] else None
        gb = g.sum(axis=other) if needs[2] else None
        return gx, gw, gb


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """(N, C, *) normalised over each group of C / num_groups channels (and the other dims)."""
    x = input._data
    if x.ndim < 2 or x.shape[1] % num_groups:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {list(x.shape)} and num_groups={num_groups}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and (p.ndim != 1 or p.shape[0] != x.shape[1]):
            shown = [0] if weight is None else list(weight.shape)  # torch shows the weight's
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape "
                               f"{list(p.shape) if name == 'weight' else shown} and input of "
                               f"shape {list(x.shape)}")

    def stats(a):
        return _standardize(a.reshape(a.shape[0], num_groups, -1), (-1,), eps)[:2]
    xhat, rstd = stats(x)
    return _affine(input, xhat, rstd, weight, bias, _channels(x), NativeGroupNormBackward0,
                   (num_groups,), stats)


class EmbeddingBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        (idx,) = self.saved
        num, padding_idx = self.meta
        xp = xp_of(g)
        gw = xp.zeros_like(g, shape=(num, g.shape[-1]))  # a Tensor too under create_graph
        flat, rows = idx.reshape(-1), g.reshape(-1, g.shape[-1])
        if padding_idx is not None:
            keep = flat != padding_idx
            flat, rows = flat[keep], rows[keep]
        if xp is np or getattr(g, "is_tarray", False):
            np.add.at(gw, flat, rows)
        else:  # pragma: no cover - needs a GPU
            import cupyx
            cupyx.scatter_add(gw, flat, rows)
        return None, gw


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of ``weight`` (num_embeddings, dim) picked by the integer ``input``: (*, dim)."""
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("course_lib 的 embedding 不支持 max_norm、scale_grad_by_freq、"
                                  "sparse / course_lib's embedding does not support max_norm, "
                                  "scale_grad_by_freq or sparse")
    idx = input._data
    if idx.dtype.kind not in "iu" or idx.dtype.itemsize < 4:
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got "
                           f"{G._type_name(input)} instead (while checking arguments for "
                           "embedding)")
    num = weight.shape[0]
    if padding_idx is not None and padding_idx < 0:
        padding_idx += num
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise IndexError("index out of range in self")
    out = _wrap(weight._data[idx], weight._data)
    if STATE[0] and weight._requires_grad:
        node = EmbeddingBackward0()
        node.saved, node.meta = (idx.copy(),), (num, padding_idx)
        node.save_versions(indices=(input,))  # torch: changing the indices later is an error
        attach(out, node, (input, weight))
    return out


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """x / √(mean(x²) + eps) over the last dims, times ``weight``: torch's composite and graph
    (PowBackward0, MeanBackward1, AddBackward1, RsqrtBackward0, MulBackward0, CloneBackward0
    when the result is not contiguous); float16 is computed in float32 and cast back
    (ToCopyBackward0); eps defaults to that computing dtype's machine epsilon."""
    from ._distance_ops import _add_number  # aten's ``x + number``: AddBackward1
    from ._ops import _arg_type_error
    if not isinstance(input, G.Tensor) or not isinstance(weight, (G.Tensor, type(None))):
        raise _arg_type_error("rms_norm", ("input", "normalized_shape", "weight"),
                              (input, None, weight))
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError(f"rms_norm(): argument 'normalized_shape' (position 2) must be tuple of "
                        f"ints, not {type(normalized_shape).__name__}")
    if eps is not None and (isinstance(eps, bool) or not isinstance(eps, (int, float))):
        raise TypeError(f"rms_norm(): argument 'eps' (position 4) must be float, not "
                        f"{type(eps).__name__}")
    shape = tuple(normalized_shape)
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           "containing at least one element, but got normalized_shape = []")
    if weight is not None and tuple(weight.shape) != shape:
        raise RuntimeError(f"Expected weight to be of same shape as normalized_shape, but got "
                           f"weight of shape {list(weight.shape)} and normalized_shape = "
                           f"{list(shape)}")
    if len(shape) > input.dim():
        raise ValueError(f"Input tensor must have at least {len(shape)} dimensions, but got "
                         f"{input.dim()}")
    if tuple(input.shape[input.dim() - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*{', '.join(map(str, shape))}], but got input of size"
                           f"{list(input.shape)}")
    if not input.is_floating_point():
        raise NotImplementedError(f"\"rms_norm\" not implemented for '{G.dtype_name(input)}'")
    x = input.to(G.float32) if input.dtype == G.float16 else input  # torch's opmath type
    if eps is None:
        eps = float(np.finfo(x._data.dtype).eps)
    dims = list(range(-len(shape), 0))
    out = x * _add_number(x.pow(2).mean(dims, keepdim=True), eps).rsqrt()
    if weight is not None:
        out = out * weight
    out = out.contiguous()
    return out if out.dtype == input.dtype else out.to(input.dtype)
