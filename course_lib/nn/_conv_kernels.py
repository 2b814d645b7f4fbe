"""Array kernels for conv2d / max_pool2d (forward + backward), vectorised with as_strided.

卷积与最大池化的数组内核（前向与反向），用 as_strided 实现 im2col，无 Python 逐像素循环。
Works on numpy or cupy arrays alike (``xp`` is the array module).
"""
from __future__ import annotations

import math


def _pair(v, name="value"):
    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {v!r}")
        return tuple(int(i) for i in v)
    return (int(v), int(v))


def _as_strided(xp, a, shape, strides):
    if xp.__name__ == "numpy":
        return xp.lib.stride_tricks.as_strided(a, shape=shape, strides=strides, writeable=False)
    return xp.lib.stride_tricks.as_strided(a, shape=shape, strides=strides)


def _windows(xp, xp_padded, kh, kw, stride, dilation, ho, wo):
    """View (N, C, Ho, Wo, kh, kw) of a padded (N, C, H, W) array; no copy."""
    n, c, _, _ = xp_padded.shape
    sn, sc, sh, sw = xp_padded.strides
    return _as_strided(
        xp, xp_padded, (n, c, ho, wo, kh, kw),
        (sn, sc, sh * stride[0], sw * stride[1], sh * dilation[0], sw * dilation[1]))


def out_size(size, k, s, p, d, ceil_mode=False):
    span = size + 2 * p - d * (k - 1) - 1
    if ceil_mode:
        o = -(-span // s) + 1
        if (o - 1) * s >= size + p:  # last window must start inside input or left padding
            o -= 1
        return o
    return span // s + 1


def _pad(xp, x, ph, pw, value=0.0, extra_h=0, extra_w=0):
    if ph == 0 and pw == 0 and extra_h == 0 and extra_w == 0:
        return x
    n, c, h, w = x.shape
    out = xp.full((n, c, h + 2 * ph + extra_h, w + 2 * pw + extra_w), value, dtype=x.dtype)
    out[:, :, ph:ph + h, pw:pw + w] = x
    return out


# ---------------------------------------------------------------- conv2d
# Layout: columns as (N, C·kh·kw, Ho·Wo) so that out_n = W (O, C·kh·kw) @ cols_n lands directly
# in NCHW order (no output transpose) and col2im adds touch contiguous rows.
def conv2d_forward(xp, x, weight, bias, stride, padding, dilation, groups=1):
    """x (N, C, H, W), weight (O, C/groups, kh, kw) → out (N, O, Ho, Wo), plus saved cols."""
    n, c, h, w = x.shape
    o, cg, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    ho = out_size(h, kh, sh, ph, dh)
    wo = out_size(w, kw, sw, pw, dw)
    xpad = _pad(xp, x, ph, pw, 0)
    win = _windows(xp, xpad, kh, kw, stride, dilation, ho, wo)  # N C Ho Wo kh kw (view)
    cols = win.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, ho * wo)  # one copy
    out = _weight_times_cols(xp, weight, cols, groups)
    if bias is not None:
        out += bias[:, None]
    return out.reshape(n, o, ho, wo), cols


def _weight_times_cols(xp, weight, cols, groups):
    """W (O, C/groups·kh·kw) @ cols (N, C·kh·kw, L) → (N, O, L), group by group."""
    o = weight.shape[0]
    if groups == 1:
        return xp.matmul(weight.reshape(o, -1), cols)
    # (G, O/G, K) @ (N, G, K, L): each group sees its own channels (cols are C-major)
    n, k, length = cols.shape
    return xp.matmul(weight.reshape(groups, o // groups, -1),
                     cols.reshape(n, groups, k // groups, length)).reshape(n, o, length)


def im2col(xp, x, kernel, stride, padding, dilation, ho, wo):
    """The columns (N, C·kh·kw, Ho·Wo) of conv2d_forward by slicing and stacking: no strided
    view, so it runs on create_graph's TArray too (the columns then depend on x in the graph)."""
    n, c, h, w = x.shape
    ph, pw = padding
    xpad = x
    if ph or pw:
        xpad = xp.zeros_like(x, shape=(n, c, h + 2 * ph, w + 2 * pw))
        xpad[:, :, ph:ph + h, pw:pw + w] = x
    cols = xp.stack([xpad[at] for at in _offsets(kernel, stride, dilation, ho, wo)], axis=2)
    return cols.reshape(n, c * kernel[0] * kernel[1], ho * wo)


def conv2d_backward(xp, g, x_shape, weight, cols, stride, padding, dilation,
                    need_x=True, need_w=True, need_b=True, groups=1):
    n, c, h, w = x_shape
    o, cg, kh, kw = weight.shape
    ho, wo = g.shape[2], g.shape[3]
    g3 = g.reshape(n, o, ho * wo)
    gw = gb = gx = None
    if need_b:
        gb = g3.sum(axis=(0, 2))
    if groups != 1:
        k, og = cg * kh * kw, o // groups
        g4 = g3.reshape(n, groups, og, ho * wo)
        if need_w:  # Σ_n g_ng @ cols_ngᵀ per group
            cols4 = cols.reshape(n, groups, k, ho * wo)
            gw = xp.matmul(g4, cols4.transpose(0, 1, 3, 2)).sum(axis=0).reshape(weight.shape)
        if need_x:
            wg = weight.reshape(groups, og, k)
            gcols = xp.matmul(wg.transpose(0, 2, 1), g4).reshape(n, c, kh, kw, ho, wo)
            gx = _col2im_add(xp, g, gcols, x_shape, ho, wo, stride, padding, dilation)
        return gx, gw, gb
    if need_w:  # Σ_n g_n @ cols_nᵀ as one matmul over (N·Ho·Wo)
        gw = xp.tensordot(g3, cols, axes=([0, 2], [0, 2])).reshape(weight.shape)
    if need_x:
        if wo >= 8:
            gcols = xp.matmul(weight.reshape(o, -1).T, g3).reshape(n, c, kh, kw, ho, wo)
            gx = _col2im_add(xp, g, gcols, x_shape, ho, wo, stride, padding, dilation)
        else:
            gx = _col2im_chwn(xp, g, weight, x_shape, ho, wo, stride, padding, dilation)
    return gx, gw, gb


def _col2im_add(xp, g, gcols, x_shape, ho, wo, stride, padding, dilation):
    """Input gradient from column gradients (N, C, kh, kw, Ho, Wo): kh·kw shifted adds in NCHW
    (rows of Wo)."""
    n, c, h, w = x_shape
    kh, kw = gcols.shape[2], gcols.shape[3]
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    gxp = xp.zeros_like(g, shape=(n, c, h + 2 * ph, w + 2 * pw))
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dh, j * dw
            gxp[:, :, r0:r0 + sh * (ho - 1) + 1:sh, c0:c0 + sw * (wo - 1) + 1:sw] += gcols[:, :, i, j]
    return gxp[:, :, ph:ph + h, pw:pw + w].copy() if (ph or pw) else gxp


def _col2im_chwn(xp, g, weight, x_shape, ho, wo, stride, padding, dilation):
    """Same in a (C, H, W, N) layout: for small feature maps the shifted adds then run over
    long contiguous rows (Wo·N) instead of rows of Wo."""
    n, c, h, w = x_shape
    o, _, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    gt = g.transpose(1, 2, 3, 0).reshape(o, ho * wo * n)
    gcols = (weight.transpose(2, 3, 1, 0).reshape(kh * kw * c, o) @ gt).reshape(
        kh, kw, c, ho, wo, n)
    gxp = xp.zeros_like(g, shape=(c, h + 2 * ph, w + 2 * pw, n))
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dh, j * dw
            gxp[:, r0:r0 + sh * (ho - 1) + 1:sh, c0:c0 + sw * (wo - 1) + 1:sw] += gcols[i, j]
    return gxp[:, ph:ph + h, pw:pw + w].transpose(3, 0, 1, 2).copy()


# ---------------------------------------------------------------- conv_transpose2d
# The transposed convolution is conv2d's adjoint in its input: its forward is conv2d's input
# gradient, its input gradient is conv2d's forward, its weight gradient conv2d's weight gradient
# with input and output exchanged. weight (C_in, C_out/groups, kh, kw) as torch's.
def conv_transpose2d_forward(xp, x, weight, bias, stride, padding, dilation, groups, out_hw):
    """x (N, C_in, H, W) → out (N, C_out, *out_hw)."""
    shape = (x.shape[0], weight.shape[1] * groups) + tuple(out_hw)
    out = conv2d_backward(xp, x, shape, weight, None, stride, padding, dilation, True, False,
                          False, groups)[0]
    if bias is not None:
        out += bias[:, None, None]
    return out


def conv_transpose2d_backward(xp, g, x, weight, stride, padding, dilation, need_x=True,
                              need_w=True, need_b=True, groups=1):
    """(gx, gw, gb) of conv_transpose2d_forward; ``x`` (the input) is only read for gw."""
    cols = im2col(xp, g, weight.shape[2:], stride, padding, dilation, *x.shape[2:])
    gx = gw = gb = None
    if need_x:
        gx = _weight_times_cols(xp, weight, cols, groups).reshape(x.shape)
    if need_w:
        gw = conv2d_backward(xp, x, g.shape, weight, cols, stride, padding, dilation, False, True,
                             False, groups)[1]
    if need_b:
        gb = g.sum(axis=(0, 2, 3))
    return gx, gw, gb


# ---------------------------------------------------------------- max_pool2d
def max_pool2d_forward(xp, x, kernel, stride, padding, dilation, ceil_mode):
    """x (N, C, H, W) → out (N, C, Ho, Wo) and argmax within each window."""
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    if ph > kh // 2 or pw > kw // 2:
        raise RuntimeError("pad should be at most half of effective kernel size, but got "
                           f"pad={max(ph, pw)}, kernel_size={max(kh, kw)} and dilation={max(dh, dw)}")
    ho = out_size(h, kh, sh, ph, dh, ceil_mode)
    wo = out_size(w, kw, sw, pw, dw, ceil_mode)
    if ho <= 0 or wo <= 0:
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: "
                           f"({c}x{ho}x{wo}). Output size is too small")
    need_h = (ho - 1) * sh + dh * (kh - 1) + 1
    need_w = (wo - 1) * sw + dw * (kw - 1) + 1
    extra_h = max(0, need_h - (h + 2 * ph))
    extra_w = max(0, need_w - (w + 2 * pw))
    if (ph or pw or extra_h or extra_w):
        fill = -math.inf if xp.issubdtype(x.dtype, xp.floating) else xp.iinfo(x.dtype).min
        xpad = _pad(xp, x, ph, pw, fill, extra_h, extra_w)
    else:
        xpad = x
    out = None
    for view in _pool_views(xpad, kernel, stride, dilation, ho, wo):
        out = view.copy() if out is None else xp.maximum(out, view, out=out)
    # which element won is found in backward (only if it runs); the output is copied because
    # an in-place op may change it later (ReLU(inplace=True) after pooling is allowed in torch)
    return out, (xpad, out.copy())


def _pool_views(xpad, kernel, stride, dilation, ho, wo):
    """For each kernel offset (i, j): the strided view (N, C, Ho, Wo) of the elements it sees."""
    for at in _offsets(kernel, stride, dilation, ho, wo):
        yield xpad[at]


def _offsets(kernel, stride, dilation, ho, wo):
    """For each kernel offset (i, j): the index (N, C, Ho, Wo) of the elements it sees."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dh, j * dw
            yield (slice(None), slice(None), slice(r0, r0 + sh * (ho - 1) + 1, sh),
                   slice(c0, c0 + sw * (wo - 1) + 1, sw))


def max_pool2d_backward(xp, g, x_shape, saved, kernel, stride, padding, dilation):
    """The gradient goes to the first maximum of each window (torch's tie rule)."""
    xpad, out = saved
    n, c, h, w = x_shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    ho, wo = g.shape[2], g.shape[3]
    tiles = (sh, sw) == (kh, kw) and (dh, dw) == (1, 1)
    graph = getattr(g, "is_tarray", False)  # create_graph: g is a Tensor, no writes into views
    gxp = xp.zeros_like(g, shape=xpad.shape)
    free = None  # windows whose maximum has not been claimed yet
    for at in _offsets(kernel, stride, dilation, ho, wo):
        hit = xpad[at] == out
        if free is None:
            free = ~hit
        else:
            hit &= free
            free &= ~hit
        if graph:  # a Tensor's item assignment
            gxp[at] += g * hit
        elif tiles:  # windows do not overlap: plain assignment
            xp.multiply(g, hit, out=gxp[at])
        else:
            view = gxp[at]
            view += g * hit
    if tuple(xpad.shape) == tuple(x_shape):
        return gxp
    return gxp[:, :, ph:ph + h, pw:pw + w].copy()


def max_pool2d_indices(xp, xpad, x_shape, out_shape, kernel, stride, padding, dilation):
    """torch's return_indices: for each window the flat index (row · W + col, in the unpadded
    input) of its maximum — the first one in scan order (strictly greater replaces), a NaN
    wins; a window of -inf only gives its first in-bounds position."""
    _, _, h, w = x_shape
    ho, wo = out_shape[2], out_shape[3]
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    best = idx = None
    nan = xp.issubdtype(xpad.dtype, xp.floating)
    views = _pool_views(xpad, kernel, stride, dilation, ho, wo)
    for i in range(kh):
        r = xp.arange(ho) * sh - ph + i * dh
        for j in range(kw):
            c = xp.arange(wo) * sw - pw + j * dw
            view = next(views)
            valid = ((r >= 0) & (r < h))[:, None] & ((c >= 0) & (c < w))[None, :]
            pos = r[:, None] * w + c[None, :]
            if idx is None:
                upd = xp.broadcast_to(valid, view.shape)
                best, idx = view.copy(), xp.where(upd, pos, -1)
                continue
            upd = valid & ((view > best) | (idx < 0))
            if nan:
                upd |= valid & xp.isnan(view)
            best = xp.where(upd, view, best)
            idx = xp.where(upd, pos, idx)
    if bool((idx < 0).any()):  # windows wholly in the padding: torch's first-tap formula
        r0 = xp.arange(ho) * sh - ph
        c0 = xp.arange(wo) * sw - pw
        r0 = xp.where(r0 < 0, r0 + (-r0 + dh - 1) // dh * dh, r0)
        c0 = xp.where(c0 < 0, c0 + (-c0 + dw - 1) // dw * dw, c0)
        idx = xp.where(idx < 0, r0[:, None] * w + c0[None, :], idx)
    return idx.astype(xp.int64)
