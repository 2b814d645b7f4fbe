"""Private conv / pool ops behind ``nn.Conv2d``, ``nn.MaxPool2d`` and ``nn.functional``:
one graph node each (torch's grad_fn names), array kernels in ``_conv_kernels``.

卷积与池化的私有可微运算（节点名与 torch 相同），数组内核见 ``_conv_kernels``。
"""
from __future__ import annotations

from .._backend import xp_of
from ..autograd.node import Node, attach, fit
from . import _conv_kernels as CK
from ._ops import _keep_device, _needs, _rg, _same_device, _wrap


# ---------------------------------------------------------------- conv / pool
class ConvolutionBackward0(Node):
    __slots__ = ("meta",)

    @_keep_device
    def backward(self, g):
        cols, w = self.saved
        xshape, stride, padding, dilation, flags, dts, batched = self.meta
        if not batched:
            g = g[None]
        gx, gw, gb = CK.conv2d_backward(xp_of(g), g, xshape, w, cols, stride, padding, dilation,
                                        *flags)
        if gx is not None:
            gx = fit(gx, xshape, dts[0])
            if not batched:
                gx = gx[0]
        return (gx, None if gw is None else fit(gw, w.shape, dts[1]),
                None if gb is None else fit(gb, (w.shape[0],), dts[1]))


def _conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if groups != 1:
        raise NotImplementedError("course_lib 的 conv2d 暂只支持 groups=1。/ "
                                  "course_lib's conv2d supports groups=1 only.")
    _same_device(input, weight, bias)
    x, w = input._data, weight._data
    batched = x.ndim == 4
    if x.ndim not in (3, 4):
        raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got "
                           f"input of size: {list(x.shape)}")
    if not batched:
        x = x[None]
    if x.shape[1] != w.shape[1]:
        raise RuntimeError(f"Given groups=1, weight of size {list(w.shape)}, expected input"
                           f"{list(x.shape)} to have {w.shape[1]} channels, but got {x.shape[1]} "
                           "channels instead")
    stride, dilation = CK._pair(stride, "stride"), CK._pair(dilation, "dilation")
    padding = _conv_padding(padding, w.shape[2:], dilation)
    xp = xp_of(x)
    out, cols = CK.conv2d_forward(xp, x, w, None if bias is None else bias._data,
                                  stride, padding, dilation)
    res = _wrap(out if batched else out[0], x)
    if _needs(input, weight, bias):
        node = ConvolutionBackward0()
        node.saved = (cols, w)
        node.meta = (x.shape, stride, padding, dilation,
                     (_rg(input), _rg(weight), _rg(bias)), (x.dtype, w.dtype), batched)
        node.save_versions(weight)
        attach(res, node, (input, weight, bias))
    return res


def _conv_padding(padding, ksize, dilation):
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0)
        if padding == "same":
            total = [d * (k - 1) for k, d in zip(ksize, dilation)]
            if any(t % 2 for t in total):
                raise NotImplementedError("course_lib: padding='same' needs an odd effective kernel "
                                          "size here / 此处 padding='same' 需要奇数大小的有效卷积核")
            return tuple(t // 2 for t in total)
        raise ValueError(f"Invalid padding string '{padding}', should be one of ['valid', 'same']")
    return CK._pair(padding, "padding")


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
    if return_indices:
        raise NotImplementedError("course_lib: max_pool2d(return_indices=True) 暂不支持 / "
                                  "is not supported")
    x = input._data
    if x.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    batched = x.ndim == 4
    if not batched:
        x = x[None]
    k = CK._pair(kernel_size, "kernel_size")
    s = k if (stride is None or stride == [] or stride == ()) else CK._pair(stride, "stride")
    p, d = CK._pair(padding, "padding"), CK._pair(dilation, "dilation")
    out, saved = CK.max_pool2d_forward(xp_of(x), x, k, s, p, d, ceil_mode)
    res = _wrap(out if batched else out[0], x)
    if _needs(input):
        node = MaxPool2DWithIndicesBackward0()
        node.saved = saved
        node.save_versions(input)
        node.meta = (x.shape, k, s, p, d, batched)
        attach(res, node, (input,))
    return res
