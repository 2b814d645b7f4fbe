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


class NativeLayerNormBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        xhat, rstd, w = self.saved
        axes, needs = self.meta
        gx = gw = gb = None
        batch = tuple(range(g.ndim - len(axes)))
        if needs[0]:
            gh = g * w if w is not None else g
            gx = rstd * (gh - gh.mean(axis=axes, keepdims=True)
                         - xhat * (gh * xhat).mean(axis=axes, keepdims=True))
        if needs[1]:
            gw = (g * xhat).sum(axis=batch)
        if needs[2]:
            gb = g.sum(axis=batch)
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
    xp = xp_of(x)
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    rstd = 1 / xp.sqrt(var + eps)
    xhat = (x - mean) * rstd
    y = xhat
    w = weight._data if weight is not None else None
    if w is not None:
        y = y * w
    if bias is not None:
        y = y + bias._data
    out = _wrap(y.astype(x.dtype, copy=False), x)
    needs = tuple(t is not None and t._requires_grad for t in (input, weight, bias))
    if STATE[0] and any(needs):
        node = NativeLayerNormBackward0()
        node.saved, node.meta = (xhat, rstd, w), (axes, needs)
        node.save_versions(*(t for t in (input, weight) if t is not None))
        attach(out, node, (input, weight, bias))
    return out


class NativeBatchNormBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        xhat, rstd, w = self.saved
        axes, needs, training = self.meta
        shape = [1] * g.ndim
        shape[1] = g.shape[1]
        wb = 1 if w is None else w.reshape(shape)
        gx = gw = gb = None
        if needs[0]:
            gh = g * wb
            if training:
                gx = rstd * (gh - gh.mean(axis=axes, keepdims=True)
                             - xhat * (gh * xhat).mean(axis=axes, keepdims=True))
            else:
                gx = gh * rstd
        if needs[1]:
            gw = (g * xhat).sum(axis=axes)
        if needs[2]:
            gb = g.sum(axis=axes)
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
    xp = xp_of(x)
    shape = [1] * x.ndim
    shape[1] = x.shape[1]
    if training or running_mean is None:
        mean = x.mean(axis=axes, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
        if training and running_mean is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                unbiased = var.reshape(-1) * (count / (count - 1))
            rm, rv = running_mean._data, running_var._data
            rm[...] = (1 - momentum) * rm + momentum * mean.reshape(-1)
            rv[...] = (1 - momentum) * rv + momentum * unbiased
            running_mean._ver[0] += 1
            running_var._ver[0] += 1
    else:
        mean = running_mean._data.reshape(shape)
        var = running_var._data.reshape(shape)
    rstd = 1 / xp.sqrt(var + eps)
    xhat = (x - mean) * rstd
    w = weight._data if weight is not None else None
    y = xhat if w is None else xhat * w.reshape(shape)
    if bias is not None:
        y = y + bias._data.reshape(shape)
    out = _wrap(y.astype(x.dtype, copy=False), x)
    needs = tuple(t is not None and t._requires_grad for t in (input, weight, bias))
    if STATE[0] and any(needs):
        node = NativeBatchNormBackward0()
        node.saved = (xhat, rstd, w)
        node.meta = (axes, needs, bool(training or running_mean is None))
        node.save_versions(*(t for t in (input, weight) if t is not None))
        attach(out, node, (input, weight, bias))
    return out


class NativeGroupNormBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        xhat, rstd, w = self.saved  # xhat, rstd in the (N, G, rest) layout
        groups, needs = self.meta
        n, c = g.shape[:2]
        cshape = (1, c) + (1,) * (g.ndim - 2)
        gx = gw = gb = None
        if needs[0]:
            gh = (g * w.reshape(cshape) if w is not None else g).reshape(n, groups, -1)
            gx = (rstd * (gh - gh.mean(axis=-1, keepdims=True)
                          - xhat * (gh * xhat).mean(axis=-1, keepdims=True))).reshape(g.shape)
        other = (0,) + tuple(range(2, g.ndim))
        if needs[1]:
            gw = (g * xhat.reshape(g.shape)).sum(axis=other)
        if needs[2]:
            gb = g.sum(axis=other)
        return gx, gw, gb


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """(N, C, *) normalised over each group of C / num_groups channels (and the other dims)."""
    x = input._data
    if x.ndim < 2 or x.shape[1] % num_groups:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {list(x.shape)} and num_groups={num_groups}")
    xp = xp_of(x)
    n, c = x.shape[:2]
    xg = x.reshape(n, num_groups, -1)
    mean = xg.mean(axis=-1, keepdims=True)
    rstd = 1 / xp.sqrt(((xg - mean) ** 2).mean(axis=-1, keepdims=True) + eps)
    xhat = (xg - mean) * rstd
    y = xhat.reshape(x.shape)
    cshape = (1, c) + (1,) * (x.ndim - 2)
    w = weight._data if weight is not None else None
    if w is not None:
        y = y * w.reshape(cshape)
    if bias is not None:
        y = y + bias._data.reshape(cshape)
    out = _wrap(y.astype(x.dtype, copy=False), x)
    needs = tuple(t is not None and t._requires_grad for t in (input, weight, bias))
    if STATE[0] and any(needs):
        node = NativeGroupNormBackward0()
        node.saved, node.meta = (xhat, rstd, w), (num_groups, needs)
        node.save_versions(*(t for t in (input, weight) if t is not None))
        attach(out, node, (input, weight, bias))
    return out


class EmbeddingBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        (idx,) = self.saved
        num, padding_idx = self.meta
        xp = xp_of(g)
        gw = xp.zeros((num, g.shape[-1]), dtype=g.dtype)
        flat, rows = idx.reshape(-1), g.reshape(-1, g.shape[-1])
        if padding_idx is not None:
            keep = flat != padding_idx
            flat, rows = flat[keep], rows[keep]
        if xp is np or isinstance(gw, np.ndarray):
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
    if padding_idx is not None:
        if padding_idx < 0:
            padding_idx += num
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise IndexError("index out of range in self")
    out = _wrap(weight._data[idx], weight._data)
    if STATE[0] and weight._requires_grad:
        node = EmbeddingBackward0()
        node.saved, node.meta = (idx.copy(),), (num, padding_idx)
        attach(out, node, (input, weight))
    return out
