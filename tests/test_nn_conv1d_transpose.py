"""conv1d / Conv1d, conv_transpose1d / conv_transpose2d / ConvTranspose1d / ConvTranspose2d,
max_pool1d / avg_pool1d / adaptive_avg_pool1d and their modules against torch: values, float64
gradients, graphs (grad_fn names along the way), errors, module reprs, gradcheck and
gradgradcheck, simulated CUDA. 一维卷积、转置卷积与一维池化与 torch 一致。"""
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import course_lib as cl
from course_lib.autograd import gradcheck, gradgradcheck

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from like_torch import graph_names as _graph  # noqa: E402

torch = pytest.importorskip("torch")


def _env(T):
    g = np.random.default_rng(7)

    def t(*shape, grad=True):
        return T.tensor(g.standard_normal(shape), dtype=T.float64, requires_grad=grad)

    return {"T": T, "F": T.nn.functional, "nn": T.nn,
            "x": t(2, 4, 9), "w": t(6, 4, 3), "wg": t(6, 2, 3), "w4": t(6, 4, 4), "b": t(6),
            "xi": t(2, 4, 5, 6), "wt": t(4, 3, 3, 2), "wtg": t(4, 2, 3, 2), "bt": t(3),
            "bt4": t(4), "wt1": t(4, 3, 3), "wt1g": t(4, 1, 2)}


def _run(T, expr):
    env = _env(T)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = eval(expr, env)
    if isinstance(y, tuple):
        y, idx = y
        idx = idx.numpy()
    else:
        idx = None
    u = T.tensor(np.cos(np.arange(y.numel()) * 0.7).reshape(tuple(y.shape)), dtype=T.float64)
    (y * u).sum().backward()
    grads = {k: v.grad.numpy() for k, v in env.items()
             if isinstance(v, T.Tensor) and v.grad is not None}
    return _graph(y), tuple(y.shape), y.detach().numpy(), grads, idx


CALLS = [
    # conv1d: stride, padding ('same' / 'valid' incl. even kernels), dilation, groups, bias,
    # unbatched (torch's Unsqueeze → Convolution → Squeeze), one side constant
    "F.conv1d(x, w)", "F.conv1d(x, w, b, stride=2, padding=1)",
    "F.conv1d(x, w, b, padding=2, dilation=3)", "F.conv1d(x, wg, b, groups=2, stride=(2,))",
    "F.conv1d(x, w4, b, padding='same')", "F.conv1d(x, w4, None, padding='same', dilation=2)",
    "F.conv1d(x, w, b, padding='valid')", "F.conv1d(x[0], w, b, padding=(1,))",
    "F.conv1d(x[0], w4, b, padding='same')", "F.conv1d(x.detach(), w, b)",
    "F.conv1d(x, w.detach())", "F.conv1d(x[:, :, ::2], w, b)",
    # transposed: stride, padding, output_padding, groups, dilation, bias, unbatched
    "F.conv_transpose2d(xi, wt)", "F.conv_transpose2d(xi, wt, bt, stride=2, padding=1)",
    "F.conv_transpose2d(xi, wt, bt, stride=(2, 3), output_padding=(1, 2))",
    "F.conv_transpose2d(xi, wtg, None, stride=2, padding=(1, 0), groups=2, dilation=(1, 2))",
    "F.conv_transpose2d(xi, wt, bt, dilation=2, output_padding=1)",
    "F.conv_transpose2d(xi[1], wt, bt, 1, 1)", "F.conv_transpose2d(xi.detach(), wt, bt)",
    "F.conv_transpose2d(xi, wt.detach())",
    "F.conv_transpose1d(x, wt1)", "F.conv_transpose1d(x, wt1, bt, stride=3, padding=1, "
    "output_padding=2)", "F.conv_transpose1d(x, wt1g, bt4, groups=4, dilation=2)",
    "F.conv_transpose1d(x[0], wt1, bt, 2, 0, 1)",
    # pooling: overlapping, padded, dilation, ceil mode, count_include_pad, unbatched, indices
    "F.max_pool1d(x, 2)", "F.max_pool1d(x, 3, 1, 1)", "F.max_pool1d(x, 3, 2, 1, 2)",
    "F.max_pool1d(x, 2, ceil_mode=True)", "F.max_pool1d(x[0], (3,), [2])",
    "F.max_pool1d(x, 3, stride=[], padding=(1,))", "F.max_pool1d(x, 2, return_indices=True)",
    "F.max_pool1d(x[1], 4, 3, 2, ceil_mode=True, return_indices=True)",
    "F.avg_pool1d(x, 2)", "F.avg_pool1d(x, 3, 2, 1)",
    "F.avg_pool1d(x, 3, 2, 1, count_include_pad=False)", "F.avg_pool1d(x, 4, 3, 2, True)",
    "F.avg_pool1d(x[0], (3,), (1,))",
    "F.adaptive_avg_pool1d(x, 4)", "F.adaptive_avg_pool1d(x, 1)", "F.adaptive_avg_pool1d(x, 9)",
    "F.adaptive_avg_pool1d(x[0], (5,))", "F.adaptive_avg_pool1d(x, 13)",
]


@pytest.mark.parametrize("expr", CALLS)
def test_like_torch(expr):
    ours, theirs = _run(cl, expr), _run(torch, expr)
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-10, atol=1e-12)
    assert ours[3].keys() == theirs[3].keys()
    for k in ours[3]:
        np.testing.assert_allclose(ours[3][k], theirs[3][k], rtol=1e-10, atol=1e-12, err_msg=k)
    if theirs[4] is not None:
        np.testing.assert_array_equal(ours[4], theirs[4])


def test_conv1d_graph_has_no_unsqueeze_when_batched():
    y = cl.nn.functional.conv1d(_env(cl)["x"], _env(cl)["w"])
    assert _graph(y) == ["ConvolutionBackward0", "AccumulateGrad", "AccumulateGrad", None]


def _error(T, expr):
    env = _env(T)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            eval(expr, env)
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return type(e).__name__, _sorted_sets(str(e).replace("torch.", "course_lib."))
    return None


def _sorted_sets(msg):
    """torch prints Python sets, whose order differs between processes: compare sorted."""
    return re.sub(r"\{('[^{}]*')\}",
                  lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", msg)


ERRORS = [
    "F.conv1d(xi, w)", "F.conv1d(x[0, 0], w)", "F.conv1d(x, w[:, :, :, None])",
    "F.conv1d(x, w[:, :, 0])", "F.conv1d(x, w, stride=(1, 2))",
    "F.conv1d(x, w, padding='same', stride=2)", "F.conv1d(x, wg)", "F.conv1d(x, w, stride=0)",
    "F.conv1d(x, w, padding=-1)", "F.conv1d(x, w, dilation=0)", "F.conv1d(x, w, groups=0)",
    "F.conv1d(x, T.ones(6, 4, 20, dtype=T.float64))", "F.conv1d(x, w, 'a')",
    "F.conv1d(x, w, padding='foo')", "F.conv1d(x, w, b[:4])", "F.conv1d(x, w.float())",
    "F.conv1d(x, wg, groups=4)", "F.conv1d(x, w, stride=1.5)",
    "F.conv_transpose2d(xi, wt, output_padding=1)",
    "F.conv_transpose2d(xi, wt, stride=2, output_padding=2)",
    "F.conv_transpose2d(xi, wt, stride=(2, 1), output_padding=(1, 1))",
    "F.conv_transpose2d(xi, T.ones(3, 2, 3, 3, dtype=T.float64))",
    "F.conv_transpose2d(xi, wt, groups=3)", "F.conv_transpose2d(xi, wt, b)",
    "F.conv_transpose2d(xi[0, 0], wt)", "F.conv_transpose2d(xi[None], wt)",
    "F.conv_transpose2d(xi, wt, None, 1, 'same')", "F.conv_transpose2d(xi, wt, 'a')",
    "F.conv_transpose1d(x, wt1, None, 1, 1.5)", "F.conv_transpose1d(xi, wt1)",
    "F.conv_transpose1d(x, wt1, stride=2, output_padding=2)",
    "F.max_pool1d(xi, 2)", "F.max_pool1d(x[0, 0], 2)", "F.max_pool1d(x, 10)",
    "F.max_pool1d(x, 4, dilation=3)", "F.max_pool1d(x, 2, padding=2)", "F.max_pool1d(x, 0)",
    "F.max_pool1d(x, (2, 2))", "F.max_pool1d(x, [])", "F.max_pool1d(x, 2, stride=0)",
    "F.max_pool1d(x, 2, stride=(1, 2))", "F.max_pool1d(x, 2, padding=-1)",
    "F.max_pool1d(x, 2, padding=(1, 2))", "F.max_pool1d(x, 2, dilation=0)",
    "F.max_pool1d(x, 2, dilation=(1, 1))", "F.max_pool1d(x, 2.0)",
    "F.max_pool1d(x.int(), 2)", "F.max_pool1d(x[:, :0], 2)",
    "F.avg_pool1d(xi, 2)", "F.avg_pool1d(x, 20)", "F.avg_pool1d(x, 2, padding=2)",
    "F.avg_pool1d(x, (2, 2))", "F.avg_pool1d(x, 2, stride=(1, 1))",
    "F.avg_pool1d(x, 2, padding=(1, 1))", "F.avg_pool1d(x, 2.0)", "F.avg_pool1d(x, 2, 0)",
    "F.avg_pool1d(x.int(), 2)",
    "F.adaptive_avg_pool1d(xi, 2)", "F.adaptive_avg_pool1d(x[0, 0], 2)",
    "F.adaptive_avg_pool1d(x, (2, 2))", "F.adaptive_avg_pool1d(x, None)",
    "F.adaptive_avg_pool1d(x, 2.0)",
    "nn.ConvTranspose2d(4, 3, 3, stride=2).double()(xi, output_size=(13, 13))",
    "nn.ConvTranspose2d(4, 3, 3, stride=2).double()(xi, output_size=(13,))",
    "nn.ConvTranspose2d(4, 3, 3, stride=2)(xi)",
    "nn.ConvTranspose1d(4, 3, 3, padding_mode='reflect')",
    "nn.Conv1d(4, 6, 3, padding='same', stride=2)", "nn.Conv1d(4, 6, 3, padding='full')",
    "nn.Conv1d(4, 6, 3, groups=4)", "nn.Conv1d(4, 6, 3, padding_mode='wrap')",
]


@pytest.mark.parametrize("expr", ERRORS)
def test_errors_like_torch(expr):
    theirs = _error(torch, expr)
    assert theirs is not None
    assert _error(cl, expr) == theirs


MODULES = [
    "nn.Conv1d(4, 6, 3)", "nn.Conv1d(4, 6, 3, stride=2, padding=1, bias=False)",
    "nn.Conv1d(4, 6, 4, padding='same', dilation=2, groups=2)",
    "nn.Conv1d(4, 6, (3,), padding=2, padding_mode='reflect')",
    "nn.Conv1d(4, 6, 4, padding='same', padding_mode='circular')",
    "nn.Conv1d(4, 6, 3, padding='valid', padding_mode='replicate')",
    "nn.ConvTranspose1d(4, 3, 3)", "nn.ConvTranspose1d(4, 2, 2, 3, 1, 2, groups=2, bias=False)",
    "nn.ConvTranspose2d(4, 3, 3)", "nn.ConvTranspose2d(4, 3, (3, 2), stride=2, padding=1, "
    "output_padding=1, dilation=(1, 2))", "nn.ConvTranspose2d(4, 6, 2, groups=2, bias=False)",
    "nn.MaxPool1d(2)", "nn.MaxPool1d(3, 1, 1, ceil_mode=True)", "nn.MaxPool1d((3,), 2, dilation=2)",
    "nn.AvgPool1d(2)", "nn.AvgPool1d(3, 2, 1, count_include_pad=False)",
    "nn.AvgPool1d((3,), ceil_mode=True)", "nn.AdaptiveAvgPool1d(4)", "nn.AdaptiveAvgPool1d((3,))",
]


def _module(T, expr):
    env = _env(T)
    m = eval(expr, env)
    m = m.double()
    with T.no_grad():  # the same parameters in both libraries
        for i, p in enumerate(m.parameters()):
            p.copy_(T.tensor(np.sin(np.arange(p.numel()) * 0.3 + i).reshape(tuple(p.shape)),
                             dtype=T.float64))
    x = env["xi"] if "2d" in expr else env["x"]
    y = m(x)
    y.pow(2).sum().backward()
    grads = [p.grad.numpy() for p in m.parameters()]
    return repr(m).replace("torch", "course_lib"), _graph(y), y.detach().numpy(), x.grad.numpy(), \
        grads, [(k, tuple(v.shape)) for k, v in m.state_dict().items()]


@pytest.mark.parametrize("expr", MODULES)
def test_modules_like_torch(expr):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = _module(cl, expr), _module(torch, expr)
    assert ours[0] == theirs[0]
    if "circular" not in expr:  # F.pad's circular graph is not torch's (a known difference)
        assert ours[1] == theirs[1]
    assert ours[5] == theirs[5]
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours[3], theirs[3], rtol=1e-10, atol=1e-12)
    for a, b in zip(ours[4], theirs[4]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("size", [(11, 12), (2, 3, 12, 13), [11, 13]])
def test_conv_transpose_output_size_like_torch(size):
    outs = []
    for T in (cl, torch):
        env = _env(T)
        T.manual_seed(0)
        m = T.nn.ConvTranspose2d(4, 3, (3, 2), stride=2).double()
        with T.no_grad():
            m.weight.copy_(env["wt"])
            m.bias.copy_(env["bt"])
        outs.append(m(env["xi"], output_size=size).detach().numpy())
    assert outs[0].shape == outs[1].shape
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-10, atol=1e-12)


def test_module_init_like_torch():
    """Parameter shapes and kaiming-uniform bounds: the transposed weight is (in, out/groups, k)
    and its fan-in is its dim 1 times the kernel, as torch's."""
    for expr in ("Conv1d(4, 6, 3, groups=2)", "ConvTranspose1d(4, 6, 3, groups=2)",
                 "ConvTranspose2d(4, 6, (3, 2))"):
        ours, theirs = eval("cl.nn." + expr), eval("torch.nn." + expr)
        for a, b in zip(ours.parameters(), theirs.parameters()):
            assert tuple(a.shape) == tuple(b.shape)
            fan_in = b.shape[1] * int(np.prod(b.shape[2:])) if b.dim() > 1 else None
            if fan_in:
                assert abs(a).max().item() <= 1 / np.sqrt(fan_in) + 1e-7


GRADCHECK = [
    ("conv1d", lambda F, x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2),
     (2, 2, 9), (3, 2, 3), (3,)),
    ("conv1d_groups_same", lambda F, x, w, b: F.conv1d(x, w, b, padding="same", groups=2),
     (2, 4, 7), (4, 2, 4), (4,)),
    ("conv_transpose2d", lambda F, x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1,
                                                               output_padding=1),
     (1, 2, 3, 4), (2, 3, 3, 2), (3,)),
    ("conv_transpose2d_groups", lambda F, x, w, b: F.conv_transpose2d(x, w, b, groups=2,
                                                                      dilation=2),
     (2, 4, 3, 3), (4, 1, 2, 2), (2,)),
    ("conv_transpose1d", lambda F, x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=1,
                                                               output_padding=1),
     (2, 2, 4), (2, 3, 3), (3,)),
    ("max_pool1d", lambda F, x, w, b: F.max_pool1d(x * w.sum() + b.sum(), 3, 2, 1) ** 2,
     (2, 3, 9), (2,), (1,)),
    ("avg_pool1d", lambda F, x, w, b: F.avg_pool1d(x * w.sum() + b.sum(), 3, 2, 1,
                                                   ceil_mode=True) ** 2,
     (2, 3, 9), (2,), (1,)),
    ("adaptive_avg_pool1d", lambda F, x, w, b: F.adaptive_avg_pool1d(x * w.sum() + b.sum(),
                                                                     4) ** 2,
     (2, 3, 9), (2,), (1,)),
]


@pytest.mark.parametrize("name,fn,xs,ws,bs", GRADCHECK, ids=[c[0] for c in GRADCHECK])
def test_gradcheck_and_gradgradcheck(name, fn, xs, ws, bs):
    g = np.random.default_rng(3)
    args = tuple(cl.tensor(g.standard_normal(s), requires_grad=True) for s in (xs, ws, bs))
    F = cl.nn.functional
    assert gradcheck(lambda *a: fn(F, *a), args)
    assert gradgradcheck(lambda *a: fn(F, *a), args)


SIMULATED = ["F.conv1d(x, wg, b, groups=2, padding=1)", "F.conv1d(x[0], w4, b, padding='same')",
             "F.conv_transpose2d(xi, wt, bt, stride=2, output_padding=1)",
             "F.conv_transpose1d(x, wt1, bt, 2)", "F.max_pool1d(x, 3, 2, 1)",
             "F.avg_pool1d(x, 3, 2, 1)", "F.adaptive_avg_pool1d(x, 4)"]


@pytest.mark.parametrize("expr", SIMULATED)
def test_simulated_cuda(simulated, expr):
    env = {k: (v.detach().to("cuda").requires_grad_() if isinstance(v, cl.Tensor) else v)
           for k, v in _env(cl).items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = eval(expr, env)
    assert y.device.type == "cuda"
    y.pow(2).sum().backward()
    used = [k for k, v in env.items() if isinstance(v, cl.Tensor) and v.grad is not None]
    assert used and all(env[k].grad.device.type == "cuda" for k in used)
    ref = _run(cl, expr)
    np.testing.assert_allclose(y.detach().cpu().numpy(), ref[2], rtol=1e-12)
    assert _graph(y) == ref[0]
