"""Conv2d (groups, depthwise, padding='same'/'valid', bias=False) and MaxPool2d
(return_indices, ceil_mode, dilation) against torch in float64, plus finite differences.

卷积（分组、深度可分离、same/valid 填充、无偏置）与最大池化（返回下标、ceil_mode、膨胀）
与 torch 对照（float64），并用有限差分检查梯度。
"""
import warnings

import numpy as np
import pytest

import course_lib as cl
import course_lib.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional
RTOL = 1e-7


def close(a, b):
    np.testing.assert_allclose(np.asarray(a.detach().numpy()), b.detach().numpy(), rtol=RTOL,
                               atol=1e-10)


def conv_pair(x, w, b, graph=True, **kw):
    """Forward and all gradients of conv2d, course_lib vs torch (and the graph's names; torch
    pads an even 'same' kernel's extra row with a ConstantPadNd node, course_lib inside)."""
    ours = [cl.tensor(a, requires_grad=True) if a is not None else None for a in (x, w, b)]
    theirs = [torch.tensor(a, requires_grad=True) if a is not None else None for a in (x, w, b)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns once per process: see the test below
        o, t = F.conv2d(*ours, **kw), TF.conv2d(*theirs, **kw)
    close(o, t)
    assert tuple(o.shape) == tuple(t.shape)
    assert type(o.grad_fn).__name__ == type(t.grad_fn).__name__
    nxt = [type(f).__name__ for f, _ in o.grad_fn.next_functions if f is not None]
    if graph:
        assert nxt == [type(f).__name__ for f, _ in t.grad_fn.next_functions if f is not None]
    g = np.random.default_rng(5).standard_normal(tuple(t.shape))
    o.backward(cl.tensor(g))
    t.backward(torch.tensor(g))
    for a, b_ in zip(ours, theirs):
        if a is not None:
            close(a.grad, b_.grad)


GROUPED = [  # (N, C, H, W), (O, C/g, kh, kw), groups, kwargs
    ((2, 4, 7, 6), (6, 2, 3, 3), 2, {}),
    ((2, 6, 9, 9), (6, 1, 3, 3), 6, {"padding": 1}),                     # depthwise
    ((1, 6, 10, 11), (12, 1, 3, 2), 6, {"stride": 2, "dilation": (2, 1)}),  # depthwise ×2
    ((3, 6, 8, 5), (9, 2, 2, 3), 3, {"stride": (1, 2), "padding": (1, 0)}),
    ((2, 4, 12, 12), (4, 2, 3, 3), 2, {"padding": "same", "dilation": 2}),
    ((2, 8, 4, 4), (8, 2, 1, 1), 4, {}),
    ((1, 4, 5, 5), (4, 1, 3, 3), 4, {}),
]


@pytest.mark.parametrize("xs,ws,groups,kw", GROUPED)
@pytest.mark.parametrize("bias", [True, False])
def test_grouped_conv_matches_torch(xs, ws, groups, kw, bias):
    g = np.random.default_rng(0)
    b = g.standard_normal(ws[0]) if bias else None
    conv_pair(g.standard_normal(xs), g.standard_normal(ws), b, groups=groups, **kw)


def test_grouped_conv_unbatched_input():
    g = np.random.default_rng(1)
    conv_pair(g.standard_normal((4, 6, 6)), g.standard_normal((8, 2, 3, 3)), None, groups=2)


@pytest.mark.parametrize("k,d", [((2, 2), (1, 1)), ((2, 4), (1, 2)), ((3, 4), (2, 1)),
                                 ((1, 2), (1, 3)), ((3, 3), (1, 1))])
def test_padding_same_even_kernels(k, d):
    """torch pads the extra row / column at the bottom / right for an even effective kernel."""
    g = np.random.default_rng(2)
    even = any(di * (ki - 1) % 2 for ki, di in zip(k, d))
    conv_pair(g.standard_normal((2, 3, 7, 8)), g.standard_normal((4, 3) + k),
              g.standard_normal(4), graph=not even, padding="same", dilation=d)
    conv_pair(g.standard_normal((2, 3, 7, 8)), g.standard_normal((4, 3) + k), None,
              padding="valid", dilation=d)


def test_padding_same_even_kernel_warns_once_like_torch():
    import course_lib.nn._conv_ops as ops
    ops._WARNED.clear()
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        for _ in range(2):
            F.conv2d(cl.ones(1, 1, 4, 4), cl.ones(1, 1, 2, 2), padding="same")
    assert [str(m.message) for m in got] == [
        "Using padding='same' with even kernel lengths and odd dilation may require a "
        "zero-padded copy of the input be created"]


def test_conv2d_module_groups_bias_false_same_padding():
    cl.manual_seed(0)
    m = cl.nn.Conv2d(6, 9, 3, groups=3, bias=False, padding="same")
    tm = torch.nn.Conv2d(6, 9, 3, groups=3, bias=False, padding="same").double()
    assert m.bias is None and tuple(m.weight.shape) == (9, 2, 3, 3) == tuple(tm.weight.shape)
    assert repr(m) == repr(tm)
    with torch.no_grad():
        tm.weight.copy_(torch.tensor(m.weight.detach().numpy()))
    x = np.random.default_rng(3).standard_normal((2, 6, 5, 5)).astype(np.float32)
    close(m(cl.tensor(x)), tm.float()(torch.tensor(x)))
    bound = 1 / np.sqrt(2 * 9)  # kaiming_uniform(a=√5) on fan_in = C/groups·kh·kw
    assert np.abs(m.weight.detach().numpy()).max() <= bound
    assert [n for n, _ in m.named_parameters()] == ["weight"]


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding,kernel,dilation", [(1, 3, 1), ((2, 1), (3, 2), 1),
                                                      ("same", 4, 1), ("same", 3, 2),
                                                      ("valid", 3, 1)])
def test_padding_modes_like_torch(mode, padding, kernel, dilation):
    """Conv2d(padding_mode=…) pads with F.pad first (torch's graph), then convolves."""
    torch = pytest.importorskip("torch")
    import warnings
    a = np.random.default_rng(4).standard_normal((2, 3, 6, 7))
    got = []
    for T in (cl, torch):
        T.manual_seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 'same' with an even kernel: torch's own note
            m = T.nn.Conv2d(3, 4, kernel, padding=padding, dilation=dilation, padding_mode=mode,
                            dtype=T.float64)
        if T is cl:
            w, b = m.weight.detach().numpy().copy(), m.bias.detach().numpy().copy()
        else:
            with torch.no_grad():
                m.weight.copy_(torch.tensor(w))
                m.bias.copy_(torch.tensor(b))
        x = T.tensor(a, requires_grad=True)
        y = m(x)
        (y * y).sum().backward()
        got.append((repr(m), tuple(y.shape), _sig(y.grad_fn, 1 if mode == "circular" else 3),
                    y.detach().numpy(),
                    x.grad.numpy(), m.weight.grad.numpy()))
    assert got[0][:3] == got[1][:3]
    for ours, theirs in zip(got[0][3:], got[1][3:]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)


def _sig(fn, depth=2):
    """grad_fn and its inputs' names, ``depth`` levels (torch's circular padding is a long
    chain of slice copies below its CopySlices; course_lib's is one node)."""
    if depth == 0:
        return type(fn).__name__
    return (type(fn).__name__, tuple(_sig(n, depth - 1) for n, _ in
                                     getattr(fn, "next_functions", ()) if n is not None))


def fd_grad(f, a, eps=1e-6):
    """Central finite differences of the scalar f at the numpy array a."""
    out = np.zeros_like(a)
    it = np.nditer(a, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        p, m = a.copy(), a.copy()
        p[i] += eps
        m[i] -= eps
        out[i] = (f(p) - f(m)) / (2 * eps)
    return out


def test_grouped_conv_finite_differences():
    g = np.random.default_rng(4)
    x, w, b = g.standard_normal((1, 4, 5, 5)), g.standard_normal((4, 2, 2, 3)), g.standard_normal(4)
    u = g.standard_normal((1, 4, 5, 5))  # a random projection makes the loss a scalar

    def loss(xa, wa, ba):
        return float((F.conv2d(cl.tensor(xa), cl.tensor(wa), cl.tensor(ba), groups=2,
                               padding="same") * cl.tensor(u)).sum())

    xs, ws, bs = (cl.tensor(a, requires_grad=True) for a in (x, w, b))
    (F.conv2d(xs, ws, bs, groups=2, padding="same") * cl.tensor(u)).sum().backward()
    np.testing.assert_allclose(xs.grad.numpy(), fd_grad(lambda a: loss(a, w, b), x), rtol=1e-6,
                               atol=1e-7)
    np.testing.assert_allclose(ws.grad.numpy(), fd_grad(lambda a: loss(x, a, b), w), rtol=1e-6,
                               atol=1e-7)
    np.testing.assert_allclose(bs.grad.numpy(), fd_grad(lambda a: loss(x, w, a), b), rtol=1e-6,
                               atol=1e-7)


def _all_windows_touch_input(shape, k, s, p, d, ceil):
    """torch reads outside the input for windows wholly in the padding (undefined there)."""
    for size, kk, ss, pp, dd in zip(shape[-2:], k, s, p, d):
        o = torch.nn.functional.max_pool2d(torch.zeros(1, 1, size, 1 if size else 1),
                                           (kk, 1), (ss, 1), (pp, 0), (dd, 1), ceil).shape[2]
        for i in range(o):
            if not any(0 <= i * ss - pp + j * dd < size for j in range(kk)):
                return False
    return True


def test_max_pool2d_return_indices_random_against_torch():
    g = np.random.default_rng(7)
    done = 0
    for trial in range(400):
        n, c, h, w = (int(v) for v in g.integers(1, 3, 2).tolist() + g.integers(1, 9, 2).tolist())
        k = tuple(int(v) for v in g.integers(1, 4, 2))
        s = tuple(int(v) for v in g.integers(1, 4, 2))
        d = tuple(int(v) for v in g.integers(1, 3, 2))
        p = (int(g.integers(0, k[0] // 2 + 1)), int(g.integers(0, k[1] // 2 + 1)))
        ceil = bool(trial % 2)
        a = g.standard_normal((n, c, h, w))
        if trial % 3 == 0:
            a = np.round(a)  # ties: the first maximum in scan order wins
        if trial % 5 == 0:
            a[..., 0, 0] = np.inf
        tx = torch.tensor(a, requires_grad=True)
        try:
            to, ti = TF.max_pool2d(tx, k, s, p, d, ceil, True)
        except RuntimeError as e:
            with pytest.raises(RuntimeError, match=".+") as mine:
                F.max_pool2d(cl.tensor(a), k, s, p, d, ceil, True)
            assert str(mine.value) == str(e)
            continue
        if not _all_windows_touch_input((h, w), k, s, p, d, ceil):
            continue
        cx = cl.tensor(a, requires_grad=True)
        co, ci = F.max_pool2d(cx, k, s, p, d, ceil, True)
        np.testing.assert_array_equal(co.detach().numpy(), to.detach().numpy())
        assert ci.tolist() == ti.tolist() and ci.dtype == cl.int64 and not ci.requires_grad
        up = g.standard_normal(tuple(to.shape))
        to.backward(torch.tensor(up))
        co.backward(cl.tensor(up))
        np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=RTOL)
        assert type(co.grad_fn).__name__ == type(to.grad_fn).__name__
        done += 1
    assert done > 150


def test_max_pool2d_module_return_indices_unbatched_and_fd():
    g = np.random.default_rng(8)
    a = g.standard_normal((3, 7, 6))
    m, tm = cl.nn.MaxPool2d(3, 2, 1, ceil_mode=True, return_indices=True), \
        torch.nn.MaxPool2d(3, 2, 1, ceil_mode=True, return_indices=True)
    assert repr(m) == repr(tm)
    (o, i), (to, ti) = m(cl.tensor(a)), tm(torch.tensor(a))
    close(o, to)
    assert i.tolist() == ti.tolist() and tuple(i.shape) == tuple(ti.shape) == (3, 4, 4)
    u = g.standard_normal(tuple(to.shape))
    x = cl.tensor(a, requires_grad=True)
    (m(x)[0] * cl.tensor(u)).sum().backward()

    def loss(arr):
        return float((m(cl.tensor(arr))[0] * cl.tensor(u)).sum())

    np.testing.assert_allclose(x.grad.numpy(), fd_grad(loss, a), rtol=1e-6, atol=1e-7)
