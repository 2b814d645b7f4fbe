"""``nn.functional.pad`` (constant / reflect / replicate / circular): values, float64
gradients, grad_fn names and errors like torch; finite differences; the simulated CUDA device.
填充：数值、梯度、节点名与报错和 torch 一致。"""
import numpy as np
import pytest

import course_lib as cl
from course_lib import _backend

SHAPES_PADS = [
    ((1, 2, 4, 5), (1, 2, 1, 0)), ((2, 4, 5), (1, 2)), ((4, 5), (1, 1)),
    ((2, 4, 5), (1, 1, 1, 1)), ((1, 2, 3, 4, 5), (1, 1, 2, 0, 1, 1)),
    ((2, 3, 4, 5), (1, 2, 0, 1, 2, 1)), ((4, 5), (-1, 2)), ((4, 5), (-1, -2, 1, -1)),
    ((3,), (0, 0)), ((1, 2, 4, 5), (1, 2)), ((2, 0, 3), (1, 1)), ((2, 3), (0, 0, 0, 0)),
    ((0, 3, 4), (1, 1)), ((0, 4), (1, 1)), ((1, 0, 3, 3), (1, 1, 1, 1)),
]
MODES = ["constant", "reflect", "replicate", "circular"]
CASES = [(m, s, p) for m in MODES for s, p in SHAPES_PADS]
BAD = [((4, 5), (1,), {}), ((4, 5), (1, 2, 3), {}), ((4, 5), (5, 5), {"mode": "reflect"}),
       ((4, 5), (1, 1), {"mode": "zeros"}), ((4, 5), (1, 1, 1, 1, 1, 1), {}),
       ((4, 5), (6, 0), {"mode": "circular"}), ((4, 5), (1, 1), {"mode": "reflect", "value": 1.0}),
       ((1, 2, 4, 5), (1, 1), {"mode": "replicate"})]


def _run(T, mode, shape, pads, **kw):
    a = np.random.default_rng(sum(shape) + len(pads)).standard_normal(shape)
    x = T.tensor(a, requires_grad=True)
    try:
        y = T.nn.functional.pad(x, pads, mode=mode, **kw)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    w = T.tensor(np.cos(np.arange(y.numel()).reshape(tuple(y.shape)) + 0.5))
    (y * w).sum().backward()
    return (tuple(y.shape), type(y.grad_fn).__name__, y.detach().numpy(), x.grad.numpy())


@pytest.mark.parametrize("mode,shape,pads", CASES, ids=[f"{m}-{s}-{p}" for m, s, p in CASES])
def test_like_torch(mode, shape, pads):
    torch = pytest.importorskip("torch")
    ours, theirs = _run(cl, mode, shape, pads), _run(torch, mode, shape, pads)
    assert type(ours[0]) is type(theirs[0]), (ours, theirs)
    if isinstance(ours[0], str):  # both raised
        assert ours[0] == theirs[0] and ours[1].splitlines()[0] == theirs[1].splitlines()[0]
        return
    assert ours[:2] == theirs[:2]
    np.testing.assert_allclose(ours[2], theirs[2], rtol=0, atol=0)
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape,pads,kw", BAD, ids=[f"{s}-{p}-{k}" for s, p, k in BAD])
def test_errors_like_torch(shape, pads, kw):
    torch = pytest.importorskip("torch")
    kw = dict(kw)
    mode = kw.pop("mode", "constant")
    ours, theirs = _run(cl, mode, shape, pads, **kw), _run(torch, mode, shape, pads, **kw)
    assert isinstance(ours[0], str) and isinstance(theirs[0], str), (ours, theirs)
    assert ours[0] == theirs[0] and ours[1].splitlines()[0] == theirs[1].splitlines()[0]


@pytest.mark.parametrize("mode", MODES)
def test_gradcheck(mode):
    x = cl.tensor(np.random.default_rng(3).standard_normal((1, 2, 4, 5)), requires_grad=True)
    assert cl.autograd.gradcheck(lambda t: cl.nn.functional.pad(t, (2, 1, 1, 3), mode=mode),
                                 (x,))


def test_values_without_torch():
    x = cl.arange(1.0, 4.0).reshape(1, 3)
    F = cl.nn.functional
    assert F.pad(x, (1, 2)).tolist() == [[0.0, 1.0, 2.0, 3.0, 0.0, 0.0]]
    assert F.pad(x, (1, 1), value=9.0).tolist() == [[9.0, 1.0, 2.0, 3.0, 9.0]]
    assert F.pad(x, (2, 2), mode="reflect").tolist() == [[3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]]
    assert F.pad(x, (2, 1), mode="replicate").tolist() == [[1.0, 1.0, 1.0, 2.0, 3.0, 3.0]]
    assert F.pad(x, (1, 2), mode="circular").tolist() == [[3.0, 1.0, 2.0, 3.0, 1.0, 2.0]]
    assert F.pad(x, (-1, 0)).tolist() == [[2.0, 3.0]]
    y = F.pad(x, (0, 0))
    y[0, 0] = 100.0  # a new tensor, never a view of the input
    assert x[0, 0].item() == 1.0


def test_simulated_cuda_device():
    old = _backend.simulating()
    cl.cuda.simulate(True)
    try:
        for mode in MODES:
            x = cl.ones(1, 1, 3, 3, device="cuda", requires_grad=True)
            y = cl.nn.functional.pad(x, (1, 1, 1, 1), mode=mode)
            assert y.device.type == "cuda"
            y.sum().backward()
            assert x.grad.device.type == "cuda" and x.grad.shape == x.shape
    finally:
        cl.cuda.simulate(old)


MODULES = [("ZeroPad1d", (2,), (2, 5)), ("ZeroPad2d", ((1, 2, 0, 1),), (1, 3, 4)),
           ("ZeroPad3d", (1,), (1, 2, 2, 3)), ("ConstantPad1d", (2, 3.5), (2, 5)),
           ("ConstantPad2d", ((1, 0, 1, 0), -1.0), (1, 2, 3, 3)), ("ConstantPad3d", (1, 2.0),
                                                                 (1, 2, 2, 2)),
           ("ReflectionPad1d", (2,), (2, 5)), ("ReflectionPad2d", ((1, 1, 2, 0),), (1, 3, 4)),
           ("ReflectionPad3d", (1,), (1, 2, 3, 3)), ("ReplicationPad1d", (3,), (2, 2)),
           ("ReplicationPad2d", (1,), (2, 1, 3, 3)), ("ReplicationPad3d", ((1, 0, 0, 1, 1, 0),),
                                                      (1, 2, 2, 2)),
           ("CircularPad1d", (1,), (1, 2, 4)), ("CircularPad2d", ((1, 2, 1, 0),), (1, 3, 4)),
           ("CircularPad3d", (1,), (1, 2, 3, 3))]


@pytest.mark.parametrize("name,args,shape", MODULES, ids=[m[0] for m in MODULES])
def test_padding_modules_like_torch(name, args, shape):
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(5).standard_normal(shape)
    got = []
    for T in (cl, torch):
        m = getattr(T.nn, name)(*args)
        x = T.tensor(a, requires_grad=True)
        y = m(x)
        y.pow(2).sum().backward()
        got.append((repr(m), m.padding, list(m.state_dict()), tuple(y.shape),
                    type(y.grad_fn).__name__, y.detach().numpy().tolist(), x.grad.numpy()))
    assert got[0][:6] == got[1][:6]
    np.testing.assert_allclose(got[0][6], got[1][6], rtol=1e-12, atol=1e-12)  # summation order
    assert type(getattr(cl.nn, name)(*args)).__module__ == "course_lib.nn.modules.padding"


def test_conv_same_even_kernel_pads_like_torch():
    """padding='same' with an even kernel pads one more row and column bottom/right through a
    ConstantPadNdBackward0 node, as torch's graph shows."""
    import warnings
    conv = cl.nn.Conv2d(2, 3, 4, padding="same")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's own "may require a zero-padded copy" note
        y = conv(cl.ones(1, 2, 5, 5, requires_grad=True))
    assert y.shape == (1, 3, 5, 5)
    assert [type(n).__name__ for n, _ in y.grad_fn.next_functions] == [
        "ConstantPadNdBackward0", "AccumulateGrad", "AccumulateGrad"]
