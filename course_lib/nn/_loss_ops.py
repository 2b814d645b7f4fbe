"""Private helpers behind the losses of ``nn.functional``: torch's argument checks, and the
binary cross-entropy ops (one graph node each with a fused backward, torch's grad_fn names).
log_softmax, nll_loss, cross_entropy, mse_loss and l1_loss are written with tensor ops in
``functional.py`` (their graph nodes are autograd's).

损失函数的私有辅助：torch 的参数检查，以及二元交叉熵的融合运算。
"""
from __future__ import annotations

from .._backend import xp_of
from ..autograd.node import Node, attach, fit
from . import _glue as G
from . import _loss_kernels as LK
from ._ops import _keep_device, _needs, _same_device, _wrap


# ---------------------------------------------------------------- checks
def _float_data(t, dim, dtype=None, log=False):
    """The array to (log_)softmax over and ``dim`` normalised; torch's errors for a tensor that
    is not one, a bad dim, or an integer dtype (NotImplementedError naming the kernel)."""
    a = getattr(t, "_data", None)
    if a is None:
        raise AttributeError(f"'{type(t).__name__}' object has no attribute "
                             f"'{'log_softmax' if log else 'softmax'}'")
    if type(dim) is not int:
        _dim_type(dim, log)
    dim = G.norm_dim(dim, a.ndim)
    if dtype is not None:
        a = a.astype(G.np_dtype(dtype))
    if a.dtype.kind not in "fc":
        last = "_lastdim" if dim == max(a.ndim, 1) - 1 else ""
        name = G.dtype_name(t) if dtype is None else str(dtype).rsplit(".", 1)[-1]
        name = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
                "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}.get(name, name)
        raise NotImplementedError(f'"{"log_" if log else ""}softmax{last}_kernel_impl" not '
                                  f"implemented for '{name}'")
    return a, dim


def _dim_type(dim, log):
    import operator
    try:
        operator.index(dim)
    except TypeError:
        raise TypeError(f"{'log_softmax' if log else 'softmax'}(): argument 'dim' (position 1) "
                        f"must be int, not {type(dim).__name__}") from None


def _check_reduction(reduction):
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _class_targets(x, t):
    """1-D input (one sample): a 0-d target, or a 1-D one of size 1 (as torch)."""
    if x.ndim == 1 and t.ndim >= 1:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if t.shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                             f"{t.shape[0]}")
        return t.reshape(())
    return t


def _check_weight(input, weight):
    x, w = input._data, weight._data
    c = x.shape[0 if x.ndim == 1 else 1]
    if w.ndim != 1 or w.shape[0] != c:
        if x.ndim > 2:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no "
                           f"classes but got weight tensor of shape: {list(w.shape)}")
    if w.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {G.dtype_name(input)} but found "
                           f"{G.dtype_name(weight)}")



# ---------------------------------------------------------------- binary cross entropy
class BinaryCrossEntropyBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        p, y, w = self.saved
        return (LK.bce_bwd(xp_of(g), g, p, y, w, self.meta).astype(p.dtype, copy=False), None, None)


def _bce(input, target, weight=None, reduction="mean"):
    _check_reduction(reduction)
    _same_device(input, target, weight)
    p, y = input._data, target._data
    if p.shape != y.shape:
        raise ValueError(f"Using a target size ({G.size_of(target)}) that is different to the input "
                         f"size ({G.size_of(input)}) is deprecated. Please ensure they have the same size.")
    xp = xp_of(p)
    w = None if weight is None else weight._data
    res = _wrap(xp.asarray(LK.bce_fwd(xp, p, y, w, reduction), dtype=p.dtype), p)
    if _needs(input):
        node = BinaryCrossEntropyBackward0()
        node.saved, node.meta = (p, y, w), reduction
        attach(res, node, (input, None, None))
    return res


class BinaryCrossEntropyWithLogitsBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        x, y, w, pw = self.saved
        gx = LK.bce_logits_bwd(xp_of(g), g, x, y, w, pw, self.meta)
        return (fit(gx, x.shape, x.dtype), None)


def _bce_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    _check_reduction(reduction)
    _same_device(input, target, weight, pos_weight)
    x, y = input._data, target._data
    if x.shape != y.shape:
        raise ValueError(f"Target size ({G.size_of(target)}) must be the same as input size "
                         f"({G.size_of(input)})")
    xp = xp_of(x)
    w = None if weight is None else weight._data
    pw = None if pos_weight is None else pos_weight._data
    res = _wrap(xp.asarray(LK.bce_logits_fwd(xp, x, y, w, pw, reduction), dtype=x.dtype), x)
    if _needs(input):
        node = BinaryCrossEntropyWithLogitsBackward0()
        node.saved, node.meta = (x, y, w, pw), reduction
        attach(res, node, (input, None))
    return res
