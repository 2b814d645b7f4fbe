"""Private conv / pool ops behind ``nn.Conv2d``, ``nn.MaxPool2d`` and ``nn.functional``:
one graph node each (torch's grad_fn names), array kernels in ``_conv_kernels``.

卷积与池化的私有可微运算（节点名与 torch 相同），数组内核见 ``_conv_kernels``。
"""
from __future__ import annotations

from .._backend import xp_of
from ..autograd.node import Node, attach, fit
from . import _conv_kernels as CK
from . import _glue as G
from ._ops import _C_NAMES, _keep_device, _needs, _rg, _same_device, _wrap


# ---------------------------------------------------------------- conv / pool
class ConvolutionBackward0(Node):
    """``saved``: (columns of the input, weight, input); create_graph (``g`` a TArray, the
    saved weight and input Tensors again) rebuilds the columns from the input by slicing, so
    the weight's gradient depends on the input in the graph; the formulas are the same."""

    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        cols, w, x = self.saved
        xshape, stride, padding, dilation, flags, dts, batched, groups = self.meta
        if not batched:
            g = g[None]
        if flags[1] and getattr(g, "is_tarray", False):
            cols = CK.im2col(xp_of(g), x, w.shape[2:], stride, padding, dilation, *g.shape[2:])
        gx, gw, gb = CK.conv2d_backward(xp_of(g), g, xshape, w, cols, stride, padding, dilation,
                                        *flags, groups=groups)
        if gx is not None:
            gx = fit(gx, xshape, dts[0])
            if not batched:
                gx = gx[0]
        return (gx, None if gw is None else fit(gw, w.shape, dts[1]),
                None if gb is None else fit(gb, (w.shape[0],), dts[1]))


def _conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    x, w, b = _conv_args(input, weight, bias, stride, padding, dilation, groups)
    if x.ndim == 3:  # unbatched: torch's graph is unsqueeze(0) → conv → squeeze(0)
        return _conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation,
                       groups).squeeze(0)
    _same_device(input, weight, bias)
    batched = True
    stride, dilation = _conv_pair(stride, "stride"), _conv_pair(dilation, "dilation")
    padding, extra = _conv_padding(padding, w.shape[2:], dilation, stride)
    _check_conv(x, w, b, stride, padding, dilation, groups, extra, input.ndim)
    if b is not None and b.dtype != x.dtype:
        raise RuntimeError(f"Input type ({_C_NAMES.get(x.dtype.name, x.dtype.name)}) and bias "
                           f"type ({_C_NAMES.get(b.dtype.name, b.dtype.name)}) should be the same")
    if w.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {G.dtype_name(input)} but found "
                           f"{G.dtype_name(weight)}")
    if extra != (0, 0):  # padding='same', even kernel: one more row/column bottom/right, as
        from ._pad_ops import pad  # torch does it (a ConstantPadNdBackward0 in the graph)
        input = pad(input, (0, extra[1], 0, extra[0]))
        x = input._data
    out, cols = CK.conv2d_forward(xp_of(x), x, w, b, stride, padding, dilation, groups)
    res = _wrap(out if batched else out[0], x)
    if _needs(input, weight, bias):
        node = ConvolutionBackward0()
        node.saved = (cols, w, x)
        node.meta = (x.shape, stride, padding, dilation, (_rg(input), _rg(weight), _rg(bias)),
                     (x.dtype, w.dtype), batched, groups)
        node.save_versions(weight, input)
        attach(res, node, (input, weight, bias))
    return res


def _conv_args(input, weight, bias, stride, padding, dilation, groups):
    """The arrays; torch's argument-parser TypeError for what is not a tensor / int."""
    args = [("", input), ("", weight)] + ([("", bias)] if bias is not None else [])
    bad = any(not isinstance(v, G.Tensor) for _, v in args)
    for name, v in (("stride", stride), ("padding", padding), ("dilation", dilation)):
        items = v if isinstance(v, (tuple, list)) else (v,)
        if not (name == "padding" and isinstance(v, str)) and \
                not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
            args.append((name, v))
            bad = True
    if not isinstance(groups, int) or isinstance(groups, bool):
        args.append(("groups", groups))
        bad = True
    if bad:
        got = ", ".join(("Tensor" if isinstance(v, G.Tensor) else type(v).__name__) if not n
                        else f"{n}={type(v).__name__}" for n, v in args)
        raise TypeError(f"conv2d() received an invalid combination of arguments - got ({got}), "
                        "but expected one of:\n * (Tensor input, Tensor weight, Tensor bias = "
                        "None, tuple of ints stride = 1, tuple of ints padding = 0, tuple of ints "
                        "dilation = 1, int groups = 1)")
    x, w = input._data, weight._data
    if x.ndim not in (3, 4) and w.ndim == 4:
        raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got "
                           f"input of size: {list(x.shape)}")
    if w.ndim != 4:
        k = max(w.ndim - 2, 0)
        raise RuntimeError(f"expected stride to be a single integer value or a list of {k} values "
                           f"to match the convolution dimensions, but got stride="
                           f"{list(_conv_pair(stride, 'stride'))}")
    return x, w, None if bias is None else bias._data


def _conv_pair(v, name):
    if isinstance(v, (tuple, list)):
        if len(v) == 1:
            return (int(v[0]), int(v[0]))
        if len(v) != 2:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of 2 "
                               f"values to match the convolution dimensions, but got "
                               f"{name}={list(v)}")
        return (int(v[0]), int(v[1]))
    return (int(v), int(v))


def _check_conv(x, w, b, stride, padding, dilation, groups, extra, ndim):
    """torch's checks in torch's order (groups, padding, stride, dilation, weight, input
    channels, bias, kernel size)."""
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if min(padding) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(stride) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(dilation) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    ws = list(w.shape)
    if ws[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at "
                           f"dimension 0, but got weight of size {ws} instead")
    if ws[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{ws}] instead")
    if x.shape[1] != ws[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {ws}, expected input"
                           f"{list(x.shape)} to have {ws[1] * groups} channels, but got "
                           f"{x.shape[1]} channels instead")
    if b is not None and (b.ndim != 1 or b.shape[0] != ws[0]):
        raise RuntimeError(f"Given weight of size {ws}, expected bias to be 1-dimensional with "
                           f"{ws[0]} elements, but got bias of size {list(b.shape)} instead")
    size = [x.shape[2 + i] + 2 * padding[i] + extra[i] for i in (0, 1)]
    kern = [dilation[i] * (ws[2 + i] - 1) + 1 for i in (0, 1)]
    if size[0] < kern[0] or size[1] < kern[1]:
        raise RuntimeError(f"Calculated padded input size per channel: ({size[0]} x {size[1]}). "
                           f"Kernel size: ({kern[0]} x {kern[1]}). Kernel size can't be greater "
                           "than actual input size")


_WARNED = []


def _conv_padding(padding, ksize, dilation, stride=(1, 1)):
    """(padding, extra): symmetric padding and the extra bottom/right row and column that
    padding='same' needs for an even effective kernel (as torch)."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding == "same":
            if stride != (1, 1):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [d * (k - 1) for k, d in zip(ksize, dilation)]
            if any(t % 2 for t in total) and not _WARNED:
                import warnings
                _WARNED.append(True)  # torch warns once per process
                warnings.warn("Using padding='same' with even kernel lengths and odd dilation may "
                              "require a zero-padded copy of the input be created", stacklevel=4)
            return tuple(t // 2 for t in total), tuple(t % 2 for t in total)
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    return _conv_pair(padding, "padding"), (0, 0)


class MaxPool2DWithIndicesBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        xshape, k, s, p, d, batched = self.meta
        if not batched:
            g = g[None]
        gx = CK.max_pool2d_backward(xp_of(g), g, xshape, self.saved, k, s, p, d)
        return (gx if batched else gx[0],)


def _max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                return_indices=False):
    if not isinstance(input, G.Tensor):
        raise TypeError(f"max_pool2d(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    x = input._data
    if x.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    no_stride = stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0)
    k = _pool_pair(kernel_size, "kernel_size", "must either be a single int, or a tuple of two ints")
    s = k if no_stride else _pool_pair(stride, "stride", "must either be omitted, a single int, "
                                       "or a tuple of two ints")
    p = _pool_pair(padding, "padding", "must either be a single int, or a tuple of two ints")
    d = _pool_pair(dilation, "dilation", "must be either a single int, or a tuple of two ints")
    if 0 in s:
        raise RuntimeError("stride should not be zero")
    if min(p) < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {min(p)}")
    for v, what, a, b in ((k, "kernel size", "kH", "kW"), (s, "stride", "dH", "dW"),
                          (d, "dilation", "dilationH", "dilationW")):
        if min(v) <= 0:
            raise RuntimeError(f"{what} should be greater than zero, but got {a}: {v[0]} "
                               f"{b}: {v[1]}")
    if 0 in x.shape[-3:] or (x.ndim == 3 and 0 in x.shape):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size "
                           f"for input, but got:{list(x.shape)}")
    if x.dtype.kind == "b":
        raise NotImplementedError("\"max_pool2d\" not implemented for 'Bool'")
    batched = x.ndim == 4
    if not batched:
        x = x[None]
    xp = xp_of(x)
    out, saved = CK.max_pool2d_forward(xp, x, k, s, p, d, ceil_mode)
    res = _wrap(out if batched else out[0], x)
    if _needs(input):
        node = MaxPool2DWithIndicesBackward0()
        node.saved = saved
        node.save_versions(input)
        node.meta = (x.shape, k, s, p, d, batched)
        attach(res, node, (input,))
    if not return_indices:
        return res
    idx = CK.max_pool2d_indices(xp, saved[0], x.shape, out.shape, k, s, p, d)
    return res, _wrap(idx if batched else idx[0], x)


def _pool_pair(v, name, rule, op="max_pool2d"):
    if isinstance(v, (tuple, list)):
        if len(v) not in (1, 2):
            raise RuntimeError(f"{op}: {name} {rule}")
        items = tuple(v) * (3 - len(v))
    else:
        items = (v, v)
    for i in items[:2]:
        if not isinstance(i, int) or isinstance(i, bool):
            pos = ("kernel_size", "stride", "padding", "dilation").index(name) + 2
            where = f" (position {pos})" if op == "max_pool2d" else ""  # torch's parsers differ
            raise TypeError(f"{op}(): argument '{name}'{where} must be tuple of "
                            f"ints, not "
                            f"{type(v).__name__}")
    return items[:2]
