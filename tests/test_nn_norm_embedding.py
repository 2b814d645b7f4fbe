"""nn.LayerNorm / F.layer_norm and nn.Embedding / F.embedding like torch: values, float64
gradients (input, weight, bias), grad_fn names, reprs, parameters, errors; gradcheck.
层归一化与词嵌入与 torch 一致。"""
import numpy as np
import pytest

import course_lib as cl

LN = [((2, 3, 4), (4,), True, True), ((2, 3, 4), (3, 4), True, False),
      ((5, 6), (6,), False, False), ((4,), (4,), True, True), ((2, 0, 3), (3,), True, True)]


def _ln(T, shape, nshape, affine, bias):
    g = np.random.default_rng(11)
    x = T.tensor(g.standard_normal(shape) * 3 + 1, requires_grad=True)
    m = T.nn.LayerNorm(nshape, eps=1e-3, elementwise_affine=affine, bias=bias,
                       dtype=T.float64)
    params = [p for p in m.parameters()]
    with T.no_grad():
        for p in params:
            p.copy_(T.tensor(g.standard_normal(tuple(p.shape))))
    y = m(x)
    (y * T.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape)))).sum().backward()
    return (repr(m), list(m.state_dict()), type(y.grad_fn).__name__, y.detach().numpy(),
            x.grad.numpy(), [p.grad.numpy() for p in params])


@pytest.mark.parametrize("shape,nshape,affine,bias", LN, ids=[str(c) for c in LN])
def test_layer_norm_like_torch(shape, nshape, affine, bias):
    torch = pytest.importorskip("torch")
    ours, theirs = _ln(cl, shape, nshape, affine, bias), _ln(torch, shape, nshape, affine, bias)
    assert ours[:3] == theirs[:3]
    for a, b in zip(ours[3:5] + tuple(ours[5]), theirs[3:5] + tuple(theirs[5])):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_layer_norm_gradcheck_and_errors():
    g = np.random.default_rng(2)
    x = cl.tensor(g.standard_normal((3, 4)), requires_grad=True)
    w = cl.tensor(g.standard_normal(4), requires_grad=True)
    b = cl.tensor(g.standard_normal(4), requires_grad=True)
    assert cl.autograd.gradcheck(lambda *t: cl.nn.functional.layer_norm(t[0], (4,), t[1], t[2]),
                                 (x, w, b))
    with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[4\], expected input with "
                                           r"shape \[\*, 4\], but got input of size\[2, 3\]"):
        cl.nn.functional.layer_norm(cl.ones(2, 3), (4,))
    with pytest.raises(RuntimeError, match="Expected weight to be of same shape"):
        cl.nn.functional.layer_norm(cl.ones(2, 4), (4,), weight=cl.ones(3))


def _emb(T, padding_idx):
    g = np.random.default_rng(5)
    T.manual_seed(0)
    m = T.nn.Embedding(6, 3, padding_idx=padding_idx, dtype=T.float64)
    with T.no_grad():
        m.weight.copy_(T.tensor(g.standard_normal((6, 3))))
        if m.padding_idx is not None:
            m.weight[m.padding_idx].fill_(0)
    idx = T.tensor([[1, 2, 1], [0, 5, 1]])
    y = m(idx)
    (y * T.tensor(np.arange(18.0).reshape(2, 3, 3))).sum().backward()
    return (repr(m), m.padding_idx, type(y.grad_fn).__name__, y.detach().numpy().tolist(),
            m.weight.grad.numpy().tolist())


@pytest.mark.parametrize("padding_idx", [None, 0, 1, -1])
def test_embedding_like_torch(padding_idx):
    torch = pytest.importorskip("torch")
    assert _emb(cl, padding_idx) == _emb(torch, padding_idx)


def test_embedding_errors_and_init():
    m = cl.nn.Embedding(10, 4, padding_idx=2)
    assert m.weight.shape == (10, 4) and m.weight[2].abs().sum().item() == 0.0
    assert 0.5 < float(m.weight.detach().std()) < 1.6  # N(0, 1)
    with pytest.raises(RuntimeError, match="'indices' to have one of the following scalar "
                                           "types: Long, Int; but got course_lib.FloatTensor"):
        m(cl.tensor([1.0]))
    with pytest.raises(IndexError, match="index out of range in self"):
        m(cl.tensor([10]))
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        cl.nn.Embedding(5, 3, padding_idx=7)
    pre = cl.nn.Embedding.from_pretrained(cl.ones(3, 2))
    assert not pre.weight.requires_grad and pre(cl.tensor([2])).tolist() == [[1.0, 1.0]]


BN = [("BatchNorm2d", (3,), {}, (4, 3, 5, 5)), ("BatchNorm1d", (3,), {}, (6, 3)),
      ("BatchNorm1d", (3,), {"momentum": None}, (4, 3, 7)),
      ("BatchNorm2d", (3,), {"affine": False}, (2, 3, 4, 4)),
      ("BatchNorm1d", (3,), {"track_running_stats": False}, (5, 3)),
      ("BatchNorm2d", (3,), {"bias": False, "eps": 1e-3, "momentum": 0.3}, (2, 3, 3, 3))]


def _bn(T, name, args, kw, shape):
    g = np.random.default_rng(13)
    m = getattr(T.nn, name)(*args, dtype=T.float64, **kw)
    with T.no_grad():
        for p in m.parameters():
            p.copy_(T.tensor(g.standard_normal(tuple(p.shape))))
    rows = [repr(m), list(m.state_dict())]
    for step, mode in enumerate(["train", "train", "eval", "train"]):
        getattr(m, mode)()
        x = T.tensor(g.standard_normal(shape) * (step + 1) + step, requires_grad=True)
        y = m(x)
        (y * T.tensor(np.sin(np.arange(y.numel())).reshape(tuple(y.shape)))).sum().backward()
        rows.append((mode, type(y.grad_fn).__name__, y.detach().numpy(), x.grad.numpy(),
                     [p.grad.numpy().copy() for p in m.parameters()],
                     {k: v.numpy().copy() for k, v in m.state_dict().items()}))
        m.zero_grad()
    return rows


@pytest.mark.parametrize("name,args,kw,shape", BN, ids=[f"{b[0]}-{b[2]}" for b in BN])
def test_batch_norm_like_torch(name, args, kw, shape):
    torch = pytest.importorskip("torch")
    ours, theirs = _bn(cl, name, args, kw, shape), _bn(torch, name, args, kw, shape)
    assert ours[:2] == theirs[:2]
    for a, b in zip(ours[2:], theirs[2:]):
        assert a[:2] == b[:2]
        for u, v in zip((a[2], a[3], *a[4]), (b[2], b[3], *b[4])):
            np.testing.assert_allclose(u, v, rtol=1e-10, atol=1e-12)
        assert a[5].keys() == b[5].keys()
        for k in a[5]:
            np.testing.assert_allclose(a[5][k], b[5][k], rtol=1e-12, atol=1e-14)


def test_batch_norm_errors_and_gradcheck():
    with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
        cl.nn.BatchNorm2d(3)(cl.ones(3, 5, 5))
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        cl.nn.BatchNorm1d(3)(cl.ones(4, 3, 2, 2))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        cl.nn.BatchNorm1d(3)(cl.ones(1, 3))
    g = np.random.default_rng(1)
    x = cl.tensor(g.standard_normal((4, 2, 3)), requires_grad=True)
    w = cl.tensor(g.standard_normal(2), requires_grad=True)
    b = cl.tensor(g.standard_normal(2), requires_grad=True)
    assert cl.autograd.gradcheck(
        lambda *t: cl.nn.functional.batch_norm(t[0], None, None, t[1], t[2], training=True),
        (x, w, b))


GN = [(2, 4, (3, 4, 5), True), (1, 3, (2, 3, 2, 2), False), (3, 6, (2, 6), True),
      (6, 6, (2, 6, 3), True)]


def _gn(T, groups, channels, shape, affine):
    g = np.random.default_rng(17)
    m = T.nn.GroupNorm(groups, channels, eps=1e-4, affine=affine, dtype=T.float64)
    params = list(m.parameters())
    with T.no_grad():
        for p in params:
            p.copy_(T.tensor(g.standard_normal(tuple(p.shape))))
    x = T.tensor(g.standard_normal(shape) * 2 - 1, requires_grad=True)
    y = m(x)
    (y * T.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape)))).sum().backward()
    return (repr(m), list(m.state_dict()), type(y.grad_fn).__name__,
            [y.detach().numpy(), x.grad.numpy()] + [p.grad.numpy() for p in params])


@pytest.mark.parametrize("groups,channels,shape,affine", GN, ids=[str(c) for c in GN])
def test_group_norm_like_torch(groups, channels, shape, affine):
    torch = pytest.importorskip("torch")
    ours, theirs = _gn(cl, groups, channels, shape, affine), _gn(torch, groups, channels, shape,
                                                                 affine)
    assert ours[:3] == theirs[:3]
    for a, b in zip(ours[3], theirs[3]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_group_norm_errors_and_gradcheck():
    with pytest.raises(ValueError, match=r"num_channels \(4\) must be divisible by num_groups"):
        cl.nn.GroupNorm(3, 4)
    with pytest.raises(RuntimeError, match="Expected number of channels in input to be "
                                           "divisible by num_groups"):
        cl.nn.GroupNorm(2, 4)(cl.ones(3, 5, 2))
    g = np.random.default_rng(3)
    x = cl.tensor(g.standard_normal((2, 4, 3)), requires_grad=True)
    w = cl.tensor(g.standard_normal(4), requires_grad=True)
    b = cl.tensor(g.standard_normal(4), requires_grad=True)
    assert cl.autograd.gradcheck(lambda *t: cl.nn.functional.group_norm(t[0], 2, t[1], t[2]),
                                 (x, w, b))
