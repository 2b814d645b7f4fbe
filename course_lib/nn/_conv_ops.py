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
    """``saved``: (columns of the input or None, weight, input), the inputs' own arrays; 1-D
    convolutions run as 2-D ones of height 1 (reshaped here). create_graph (``g`` a TArray, the
    saved weight and input Tensors again) rebuilds the columns from the input by slicing, so
    the weight's gradient depends on the input in the graph; the formulas are the same.
    Transposed: the columns are those of ``g`` (see ``conv_transpose2d_backward``)."""

    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        cols, w, x = self.saved
        stride, padding, dilation, flags, dts, transposed, groups = self.meta
        xshape, wshape, xp = x.shape, w.shape, xp_of(g)
        flat = len(wshape) == 3
        if flat:  # 1-D as 2-D of height 1
            g, w, x = (a.reshape(a.shape[:2] + (1,) + a.shape[2:]) for a in (g, w, x))
        if transposed:
            gx, gw, gb = CK.conv_transpose2d_backward(xp, g, x, w, stride, padding, dilation,
                                                      *flags, groups=groups)
        else:
            if flags[1] and getattr(g, "is_tarray", False):
                cols = CK.im2col(xp, x, w.shape[2:], stride, padding, dilation, *g.shape[2:])
            gx, gw, gb = CK.conv2d_backward(xp, g, x.shape, w, cols, stride, padding, dilation,
                                            *flags, groups=groups)
        if flat:
            gx = None if gx is None else gx.reshape(xshape)
            gw = None if gw is None else gw.reshape(wshape)
        return (None if gx is None else fit(gx, xshape, dts[0]),
                None if gw is None else fit(gw, wshape, dts[1]),
                None if gb is None else fit(gb, gb.shape, dts[1]))


_CONV_NAMES = {(1, False): "conv1d", (2, False): "conv2d", (1, True): "conv_transpose1d",
               (2, True): "conv_transpose2d"}


def _convolution(input, weight, bias, stride, padding, dilation, groups, nd, transposed=False,
                 output_padding=0):
    """torch's ``convolution``: conv1d / conv2d / conv_transpose1d / conv_transpose2d (``nd``
    spatial dims); one ConvolutionBackward0 node (unbatched: unsqueeze(0) → conv → squeeze(0),
    torch's graph)."""
    name = _CONV_NAMES[nd, transposed]
    x, w, b = _conv_args(input, weight, bias, stride, padding, dilation, groups, nd, name,
                         output_padding if transposed else None)
    if x.ndim == nd + 1:
        return _convolution(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups,
                            nd, transposed, output_padding).squeeze(0)
    _same_device(input, weight, bias)
    stride, dilation = _conv_tuple(stride, "stride", nd), _conv_tuple(dilation, "dilation", nd)
    if transposed:
        padding, extra = _conv_tuple(padding, "padding", nd), (0,) * nd
        output_padding = _conv_tuple(output_padding, "output_padding", nd)
    else:
        padding, extra = _conv_padding(padding, w.shape[2:], dilation, stride)
    _check_conv(x, w, b, stride, padding, dilation, groups, extra, transposed, output_padding)
    if w.dtype != x.dtype and transposed:  # torch's transposed path checks the weight first
        raise RuntimeError(f"expected scalar type {G.dtype_name(input)} but found "
                           f"{G.dtype_name(weight)}")
    if b is not None and b.dtype != x.dtype:
        raise RuntimeError(f"Input type ({_C_NAMES.get(x.dtype.name, x.dtype.name)}) and bias "
                           f"type ({_C_NAMES.get(b.dtype.name, b.dtype.name)}) should be the same")
    if w.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {G.dtype_name(input)} but found "
                           f"{G.dtype_name(weight)}")
    if any(extra):  # padding='same', even kernel: one more at the end of each such dim, as
        from ._pad_ops import pad  # torch does it (a ConstantPadNdBackward0 in the graph)
        input = pad(input, tuple(v for e in reversed(extra) for v in (0, e)))
        x = input._data
    x2, w2 = x, w
    if nd == 1:  # as 2-D of height 1
        x2, w2 = x[:, :, None], w[:, :, None]
        stride, padding, dilation = (1,) + stride, (0,) + padding, (1,) + dilation
    xp = xp_of(x)
    if transposed:
        size = [(i - 1) * s - 2 * p + d * (k - 1) + 1 for i, s, p, d, k in
                zip(x2.shape[2:], stride, padding, dilation, w2.shape[2:])]
        size[-1] += output_padding[-1]
        if nd == 2:
            size[0] += output_padding[0]
        out, cols = CK.conv_transpose2d_forward(xp, x2, w2, b, stride, padding, dilation, groups,
                                                size), None
    else:
        out, cols = CK.conv2d_forward(xp, x2, w2, b, stride, padding, dilation, groups)
    res = _wrap(out[:, :, 0] if nd == 1 else out, x)
    if _needs(input, weight, bias):
        node = ConvolutionBackward0()
        node.saved = (cols, w, x)
        node.meta = (stride, padding, dilation, (_rg(input), _rg(weight), _rg(bias)),
                     (x.dtype, w.dtype), transposed, groups)
        node.save_versions(weight, input)
        attach(res, node, (input, weight, bias))
    return res


def _conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 2)


_INTS = "tuple of ints"


def _conv_args(input, weight, bias, stride, padding, dilation, groups, nd, name, output_padding):
    """The arrays; torch's argument-parser TypeError for what is not a tensor / int."""
    if output_padding is not None:  # conv_transpose: one signature, the parser names the argument
        for pos, (arg, v, kind) in enumerate((("input", input, "Tensor"),
                                              ("weight", weight, "Tensor"),
                                              ("bias", bias, "Tensor"), ("stride", stride, _INTS),
                                              ("padding", padding, _INTS),
                                              ("output_padding", output_padding, _INTS),
                                              ("groups", groups, "int"),
                                              ("dilation", dilation, _INTS)), 1):
            if kind == "Tensor":
                ok = isinstance(v, G.Tensor) or (arg == "bias" and v is None)
            else:
                items = v if (kind == _INTS and isinstance(v, (tuple, list))) else (v,)
                ok = all(isinstance(i, int) and not isinstance(i, bool) for i in items)
            if not ok:
                raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be {kind}, "
                                f"not {type(v).__name__}")
    args = [("", input), ("", weight)] + ([("", bias)] if bias is not None else [])
    bad = any(not isinstance(v, G.Tensor) for _, v in args)
    for arg, v in (("stride", stride), ("padding", padding), ("dilation", dilation)):
        items = v if isinstance(v, (tuple, list)) else (v,)
        if not (arg == "padding" and isinstance(v, str)) and \
                not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
            args.append((arg, v))
            bad = True
    if not isinstance(groups, int) or isinstance(groups, bool):
        args.append(("groups", groups))
        bad = True
    if bad:
        got = ", ".join(("Tensor" if isinstance(v, G.Tensor) else type(v).__name__) if not n
                        else f"{n}={type(v).__name__}" for n, v in args)
        sig = ("(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, "
               "{} padding = {}, tuple of ints dilation = 1, int groups = 1)")
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                        f"but expected one of:\n * {sig.format(_INTS, 0)}\n * "
                        f"{sig.format('str', chr(34) + 'valid' + chr(34))}\n")
    x, w = input._data, weight._data
    if x.ndim not in (nd + 1, nd + 2) and w.ndim == nd + 2:
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{name}, but got input of size: {list(x.shape)}")
    if w.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if w.ndim != nd + 2:
        if x.ndim == nd + 2 and w.ndim > nd + 2:
            raise RuntimeError(f"Expected {w.ndim}-dimensional input for {w.ndim}-dimensional "
                               f"weight {list(w.shape)}, but got {x.ndim}-dimensional input of "
                               f"size {list(x.shape)} instead")
        raise RuntimeError(f"expected stride to be a single integer value or a list of "
                           f"{w.ndim - 2} values to match the convolution dimensions, but got "
                           f"stride={list(_conv_tuple(stride, 'stride', nd))}")
    return x, w, None if bias is None else bias._data


def _conv_tuple(v, name, nd=2):
    if isinstance(v, (tuple, list)):
        if len(v) == 1:
            return (int(v[0]),) * nd
        if len(v) != nd:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {nd} "
                               f"values to match the convolution dimensions, but got "
                               f"{name}={list(v)}")
        return tuple(int(i) for i in v)
    return (int(v),) * nd


_DIMS = ("height", "width")


def _check_conv(x, w, b, stride, padding, dilation, groups, extra, transposed=False,
                output_padding=None):
    """torch's checks in torch's order (groups, padding, stride, dilation, output padding,
    weight, input channels, bias, kernel size)."""
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if min(padding) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(stride) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    nd = len(stride)
    lift = nd == 1  # torch reports these for conv1d as the 2-D convolution it runs
    if min(dilation) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got "
                           f"{[1] * lift + list(dilation)}")
    if transposed and any(o >= s and o >= d for o, s, d in zip(output_padding, stride,
                                                               dilation)):
        parts = [f"output_padding_{n}: {o}" for n, o in zip(_DIMS, (0,) * lift + output_padding)]
        parts += [f"stride_{n}: {s}" for n, s in zip(_DIMS, (1,) * lift + stride)]
        parts += [f"dilation_{n}: {d}" for n, d in zip(_DIMS, (1,) * lift + dilation)]
        raise RuntimeError("output padding must be smaller than either stride or dilation, but "
                           "got " + " ".join(parts))
    ws = list(w.shape)
    if ws[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at "
                           f"dimension 0, but got weight of size {ws} instead")
    if ws[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{ws}] instead")
    given = "transposed=1" if transposed else f"groups={groups}"
    in_ch = ws[0] if transposed else ws[1] * groups
    if x.shape[1] != in_ch:
        raise RuntimeError(f"Given {given}, weight of size {ws}, expected input"
                           f"{list(x.shape)} to have {in_ch} channels, but got "
                           f"{x.shape[1]} channels instead")
    out_ch = ws[1] * groups if transposed else ws[0]
    if b is not None and (b.ndim != 1 or b.shape[0] != out_ch):
        raise RuntimeError(f"Given {'transposed=1, ' if transposed else ''}weight of size {ws}, "
                           f"expected bias to be 1-dimensional with {out_ch} elements, but got "
                           f"bias of size {list(b.shape)} instead")
    if transposed:
        return
    size = [x.shape[2 + i] + 2 * padding[i] + extra[i] for i in range(nd)]
    kern = [dilation[i] * (ws[2 + i] - 1) + 1 for i in range(nd)]
    if min(s - k for s, k in zip(size, kern)) < 0:
        raise RuntimeError(f"Calculated padded input size per channel: "
                           f"({' x '.join(map(str, size))}). Kernel size: "
                           f"({' x '.join(map(str, kern))}). Kernel size can't be greater "
                           "than actual input size")


_WARNED = []


def _user_level():
    """The warning's stacklevel of the first frame outside course_lib (the user's call)."""
    import os
    import sys
    root, frame, level = os.path.dirname(os.path.dirname(__file__)), sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(root):
        frame, level = frame.f_back, level + 1
    return level


def _conv_padding(padding, ksize, dilation, stride=(1, 1)):
    """(padding, extra): symmetric padding and the extra one at the end of each dim that
    padding='same' needs for an even effective kernel (as torch)."""
    nd = len(ksize)
    if isinstance(padding, str):
        if padding == "valid":
            return (0,) * nd, (0,) * nd
        if padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [d * (k - 1) for k, d in zip(ksize, dilation)]
            if any(t % 2 for t in total) and not _WARNED:
                import warnings
                _WARNED.append(True)  # torch warns once per process
                warnings.warn("Using padding='same' with even kernel lengths and odd dilation may "
                              "require a zero-padded copy of the input be created",
                              stacklevel=_user_level())
            return tuple(t // 2 for t in total), tuple(t % 2 for t in total)
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    return _conv_tuple(padding, "padding", nd), (0,) * nd


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


# ---------------------------------------------------------------- 1-D pooling
# torch runs max_pool1d / avg_pool1d / adaptive_avg_pool1d as the 2-D op on input.unsqueeze(-2)
# (its graph: UnsqueezeBackward0 → the 2-D node → SqueezeBackward1), after its 1-D checks.
def _pool1d_arg(v, name, op, rule, default=None):
    """One int from an int or a 1-sequence (``rule``: torch's size error, called with the
    size); ``default`` where torch allows None / [] (stride)."""
    if default is not None and (v is None or (isinstance(v, (tuple, list)) and len(v) == 0)):
        return default
    if isinstance(v, (tuple, list)):
        if len(v) != 1:
            raise RuntimeError(rule(len(v)))
        item = v[0]
    else:
        item = v
    if not isinstance(item, int) or isinstance(item, bool):
        pos = ("kernel_size", "stride", "padding", "dilation", "output_size").index(name)
        pos = 2 if name == "output_size" else pos + 2
        raise TypeError(f"{op}(): argument '{name}' (position {pos}) must be tuple of ints, "
                        f"not {type(v).__name__}")
    return item


def _pool1d_input(input, op, max_pool=False):
    if not isinstance(input, G.Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    x = input._data
    if max_pool and (x.ndim not in (2, 3) or 0 in x.shape[-2:]):
        raise RuntimeError(f"{op}: Expected 2D or 3D (batch mode) tensor with optional 0 dim "
                           f"batch size for input, but got:{list(x.shape)}")
    if x.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {x.ndim}-dimensional tensor "
                           f"for argument #1 'self' (while checking arguments for {op})")
    return x


def _max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                return_indices=False):
    x = _pool1d_input(input, "max_pool1d", max_pool=True)
    op, sizes = "max_pool1d()", "list of ints or tuple of ints of size 1 but got size"
    k = _pool1d_arg(kernel_size, "kernel_size", "max_pool1d",
                    lambda n: f"{op} kernel_size must be an int, {sizes} {n}")
    s = _pool1d_arg(stride, "stride", "max_pool1d",
                    lambda n: f"{op} stride must be None, an int, list of ints, or tuple of ints "
                              f"of size 1 but got size {n}", default=k)
    p = _pool1d_arg(padding, "padding", "max_pool1d",
                    lambda n: f"{op} padding must be an int, list of ints, or tuple of ints of "
                              f"size 1 but got size {n}")
    d = _pool1d_arg(dilation, "dilation", "max_pool1d",
                    lambda n: f"{op} dilation must be an int, {sizes} {n}")
    for what, v, bad in (("kernel_size", k, k <= 0), ("stride", s, s <= 0),
                         ("padding", p, p < 0), ("dilation", d, d <= 0)):
        if bad:
            rule = "be non-negative" if what == "padding" else "be greater than zero"
            raise RuntimeError(f"{op} {what} must {rule}, but got {v}")
        if what == "padding" and p > k // 2:
            raise RuntimeError(f"{op} padding should be at most half of kernel size, but got "
                               f"padding={p} and kernel_size={k}")
    n_out = CK.out_size(x.shape[-1], k, s, p, d, ceil_mode)
    if n_out <= 0:
        raise RuntimeError(f"{op} Invalid computed output size: {max(n_out, 0)}")
    if x.dtype.kind not in "f":
        raise NotImplementedError(f"\"max_pool1d_impl\" not implemented for "
                                  f"'{G.dtype_name(input)}'")
    res = _max_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), (1, d), ceil_mode,
                      return_indices)
    if return_indices:
        return res[0].squeeze(-2), res[1].squeeze(-2)
    return res.squeeze(-2)
