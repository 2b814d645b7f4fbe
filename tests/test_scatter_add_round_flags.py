"""``scatter_add`` / ``scatter_add_``, ``round(decimals=…)`` and ``backends.cudnn.flags``, each
compared with torch: values, dtypes, grad_fn names, gradients, errors (type and message).

scatter_add、round(decimals=…)、backends.cudnn.flags 与 torch 逐项对比。
"""
import inspect

import numpy as np
import pytest

import course_lib as cl
from course_lib import _backend
from course_lib.autograd import gradgradcheck

torch = pytest.importorskip("torch")


def _outcome(T, code):
    """("value", repr, dtype name, shape) or ("error", type name, message) of ``code``."""
    env = {"T": T, "x": T.arange(12.).reshape(3, 4), "i": T.tensor([[0, 1, 2, 0], [1, 1, 1, 1]]),
           "s": T.arange(1., 9.).reshape(2, 4), "np": np}
    try:
        r = eval(code, env)
    except Exception as e:  # noqa: BLE001  (the error itself is compared)
        return ("error", type(e).__name__, str(e).splitlines()[0])
    return ("value", repr(r).replace("torch.", "").replace("course_lib.", ""),
            str(getattr(r, "dtype", "")).split(".")[-1], tuple(getattr(r, "shape", ())))


def _same(code):
    got, want = _outcome(cl, code), _outcome(torch, code)
    assert got == want, code


SCATTER_ADD = [
    # values: duplicates add up; every dim; int32 index; int/bool dtypes; keywords
    "x.scatter_add(0, i, s)", "x.scatter_add(1, i, s)", "x.scatter_add(-2, i, s)",
    "x.scatter_add(-1, i, s)", "T.scatter_add(x, 0, i, s)", "x.scatter_add(0, i.int(), s)",
    "T.scatter_add(x, dim=1, index=i, src=s)", "x.scatter_add(dim=0, index=i, src=s)",
    "x.long().scatter_add(0, i, s.long())", "x.int().scatter_add(1, i, s.int())",
    "T.zeros(3, dtype=T.bool).scatter_add(0, T.tensor([1, 1]), T.tensor([True, True]))",
    "T.zeros(5).scatter_add(0, T.tensor([1, 1, 3, 1]), T.tensor([1., 2., 3., 4.]))",
    "x.scatter_add(0, T.zeros(5, 4, dtype=T.long), T.ones(5, 4))",
    "x.scatter_add(1, T.tensor([[3, 3]]), T.ones(2, 3))",  # index smaller than src and self
    "x.scatter_add(0, T.tensor([[2], [0], [2]]), T.ones(3, 3))",
    "T.zeros(2, 3, 4).scatter_add(1, T.tensor([[[0, 2], [2, 2]]]), T.ones(1, 2, 2))",
    "T.tensor(1.).scatter_add(0, T.tensor(0), T.tensor(2.))",
    "T.tensor(1.).scatter_add(0, T.tensor([0, 0]), T.tensor([2., 3.]))",
    "T.zeros(3).scatter_add(0, T.tensor(2), T.tensor([2., 5.]))",
    "T.zeros(3).scatter_add(0, T.tensor([2]), T.tensor(5.))",
    "T.zeros(3).scatter_add(0, T.tensor([]), T.tensor([]))",  # empty: no index dtype check
    "T.zeros(2, 3).scatter_add(0, T.zeros(0, 5, dtype=T.long), T.ones(1, 1))",
    "T.zeros(3).scatter_add_(0, T.tensor([1, 1]), T.tensor([1., 2.]))",
    # errors: dim, argument types, dtypes, shapes, bounds
    "x.scatter_add(2, i, s)", "x.scatter_add(-3, i, s)", "x.scatter_add(0.0, i, s)",
    "x.scatter_add(True, i, s)", "T.scatter_add(x, 0.0, i, s)", "x.scatter_add(0, [[0]], s)",
    "T.scatter_add(x, 0, [[0]], s)", "x.scatter_add(0, i, 1.0)", "T.scatter_add(x, 0, i, 2)",
    "T.scatter_add([1.], 0, i, s)", "x.scatter_add_(0, i, 2.0)",
    "x.scatter_add(0, i.float(), s)", "x.scatter_add(0, i.short(), s)",
    "x.scatter_add(0, i.bool(), s)", "x.scatter_add(0, i, s.double())",
    "x.long().scatter_add(0, i, s.int())",
    "T.zeros(3).scatter_add(0, T.tensor([0.]), T.ones(1).double())",
    "x.scatter_add(0, T.tensor([0]), T.ones(1))",
    "x.scatter_add(0, T.zeros(2, 5, dtype=T.long), T.ones(2, 6))",
    "x.scatter_add(1, T.zeros(4, 2, dtype=T.long), T.ones(4, 2))",
    "x.scatter_add(0, T.zeros(2, 3, dtype=T.long), T.ones(2, 2))",
    "T.zeros(3).scatter_add(0, T.tensor([1]), T.tensor([[1.]]))",
    "T.zeros(3, 2).scatter_add(0, T.tensor([[1]]), T.tensor([1.]))",
    "T.zeros(3, 2).scatter_add(0, T.tensor([[1]]), T.tensor(1.))",
    "x.scatter_add(0, T.tensor([[3]]), T.ones(1, 1))",
    "x.scatter_add(0, T.tensor([[-1]]), T.ones(1, 1))",
    "x.scatter_add(1, T.tensor([[0, 4]]), T.ones(1, 2))",
    "T.tensor(1.).scatter_add(1, T.tensor(0), T.tensor(2.))",
    "T.tensor(1.).scatter_add(0, T.tensor([1]), T.tensor([2.]))",
    "T.zeros(3, requires_grad=True).scatter_add_(0, T.tensor([1]), T.ones(1))",
]


@pytest.mark.parametrize("code", SCATTER_ADD)
def test_scatter_add_like_torch(code):
    _same(code)


def _grads(T, self_shape, dim, index, src_shape, seed=0):
    g = np.random.default_rng(seed)
    x = T.tensor(g.standard_normal(self_shape), requires_grad=True)
    s = T.tensor(g.standard_normal(src_shape), requires_grad=True)
    y = x.scatter_add(dim, T.tensor(index), s)
    w = T.tensor(g.standard_normal(tuple(y.shape)))
    (y * w).sum().backward()
    return y.grad_fn.name(), y.detach().numpy(), x.grad.numpy(), s.grad.numpy()


@pytest.mark.parametrize("self_shape,dim,index,src_shape", [
    ((3, 4), 0, [[0, 1, 2, 0], [1, 1, 1, 1]], (2, 4)),
    ((3, 4), 1, [[3, 3, 0], [1, 1, 1]], (2, 3)),  # index smaller than self in dim 0
    ((2, 3, 4), 2, [[[0, 0], [3, 1]]], (1, 2, 2)),
    ((), 0, [0, 0], (2,)),
    ((), 0, 0, ()),
    ((3,), 0, [2], ()),  # src 0-d: its gradient sums the one gathered element, as torch
])
def test_scatter_add_gradients_like_torch(self_shape, dim, index, src_shape):
    ours, theirs = (_grads(T, self_shape, dim, index, src_shape) for T in (cl, torch))
    assert ours[0] == theirs[0] == "ScatterAddBackward0"
    for a, b in zip(ours[1:], theirs[1:]):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("self_shape,index,src_shape", [((2, 3), [[0, 0]], (2, 3)),
                                                        ((3,), 2, (2,))])
def test_scatter_add_src_larger_than_index_fails_in_backward_like_torch(self_shape, index,
                                                                        src_shape):
    errors = []
    for T in (cl, torch):
        x = T.zeros(self_shape, requires_grad=True)
        s = T.ones(src_shape, requires_grad=True)
        y = x.scatter_add(0 if len(self_shape) == 1 else 1, T.tensor(index), s)
        with pytest.raises(RuntimeError) as e:
            y.sum().backward()
        errors.append(str(e.value))
    assert errors[0] == errors[1] and "ScatterAddBackward0" in errors[0]


def test_scatter_add_edges_and_in_place_like_torch():
    out = []
    for T in (cl, torch):
        x0 = T.zeros(4, requires_grad=True)
        s = T.tensor([1., 2., 3.], requires_grad=True)
        only_x = x0.scatter_add(0, T.tensor([1, 1, 3]), s.detach())
        only_s = x0.detach().scatter_add(0, T.tensor([1, 1, 3]), s)
        x = x0.clone()
        v = x._version
        r = x.scatter_add_(0, T.tensor([1, 1, 3]), s)
        (r * T.arange(1., 5.)).sum().backward()
        out.append((r is x, x._version - v, r.grad_fn.name(), r.tolist(),
                    [f is None for f, _ in only_x.grad_fn.next_functions],
                    [f is None for f, _ in only_s.grad_fn.next_functions],
                    x0.grad.tolist(), s.grad.tolist()))
    assert out[0] == out[1]
    assert out[0][:4] == (True, 1, "ScatterAddBackward0", [0.0, 3.0, 0.0, 3.0])


def test_scatter_add_double_backward_float64():
    g = np.random.default_rng(1)
    x = cl.tensor(g.standard_normal((2, 3, 4)), requires_grad=True)
    s = cl.tensor(g.standard_normal((2, 2, 4)), requires_grad=True)
    idx = cl.tensor([[[0, 2, 2, 1], [2, 2, 0, 0]], [[1, 1, 1, 1], [0, 2, 1, 0]]])
    assert gradgradcheck(lambda a, b: a.scatter_add(1, idx, b * b) ** 2, (x, s))


def test_scatter_add_on_the_simulated_device(monkeypatch):
    monkeypatch.setitem(_backend._state, "simulate", True)
    idx = [[0, 1, 2, 0], [1, 1, 1, 1]]
    res = []
    for dev in ("cpu", "cuda"):
        x = cl.arange(12.).reshape(3, 4).to(dev).requires_grad_()
        s = cl.arange(1., 9.).reshape(2, 4).to(dev).requires_grad_()
        y = x.scatter_add(0, cl.tensor(idx, device=dev), s)
        (y * y).sum().backward()
        assert y.device.type == x.grad.device.type == s.grad.device.type == dev
        z = cl.zeros(3, device=dev).scatter_add_(0, cl.tensor([2, 2], device=dev),
                                                 cl.ones(2, device=dev))
        assert z.device.type == dev
        res.append((y.tolist(), x.grad.tolist(), s.grad.tolist(), z.tolist()))
    assert res[0] == res[1]
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, but "
                                           "found at least two devices, cuda:0 and cpu!"):
        cl.zeros(3, device="cuda").scatter_add(0, cl.tensor([1]), cl.ones(1))


# -- round(decimals=...) ----------------------------------------------------------------------
def _round_inputs():
    g = np.random.default_rng(0)
    ties = np.arange(-40, 40) + 0.5
    return np.concatenate([ties, ties / 10, ties / 100, ties * 10, ties * 100,
                           g.standard_normal(2000) * 10.0 ** g.integers(-3, 6, 2000),
                           [0.0, -0.0, 1e30, -1e30, 3e38, np.inf, -np.inf, np.nan, 1e-40]])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_round_decimals_values_like_torch(dtype):
    with np.errstate(over="ignore"):  # 3e38 is inf in float16
        data = _round_inputs().astype(dtype)
    for decimals in (None, 0, 1, 2, 3, -1, -2, -3, 10, 30, 300, 400, -400):
        kw = {} if decimals is None else {"decimals": decimals}
        with np.errstate(all="ignore"):
            got = cl.round(cl.tensor(data), **kw).numpy()
        want = torch.round(torch.tensor(data), **kw).numpy()
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want, err_msg=f"decimals={decimals}")
        assert np.array_equal(np.signbit(got), np.signbit(want)), decimals  # -0.0 as torch
    x = cl.tensor(data)
    np.testing.assert_array_equal(x.round(decimals=2).numpy(),
                                  torch.tensor(data).round(decimals=2).numpy())


ROUND = [
    "T.tensor([0.5, 1.5, 2.5, -0.5, -2.5]).round()", "T.tensor([1.25, 1.35]).round(decimals=1)",
    "T.tensor([1, 15, 25, -25]).round()", "T.tensor([1, 15, 25]).round(decimals=-1)",
    "T.tensor([1, 15, 25]).round(decimals=0)", "T.tensor([True]).round()",
    "T.tensor([True]).round(decimals=1)", "T.tensor([1, 2], dtype=T.uint8).round(decimals=1)",
    "T.tensor([1.25]).round(decimals=1.0)", "T.tensor([1.25]).round(decimals=None)",
    "T.tensor([1.25]).round(decimals=True)", "T.tensor([1.25]).round(decimals=np.int64(1))",
    "T.tensor([1.25, 2.5]).round_(decimals=1)", "T.tensor(2.5).round(decimals=0)",
    "T.round(T.tensor([1.25], requires_grad=True), decimals=1, out=T.empty(1))",
    "T.round(T.tensor([1.26]), decimals=1, out=T.empty(1))",
    "T.tensor([1.25], requires_grad=True).round(decimals=-1)",
    "T.tensor([1.25], requires_grad=True).round(decimals=0)",
    "T.tensor([1.25], requires_grad=True).round()",
]


@pytest.mark.parametrize("code", ROUND)
def test_round_like_torch(code):
    _same(code)


def test_round_decimals_is_keyword_only_and_has_zero_gradient():
    for T in (cl, torch):
        with pytest.raises(TypeError):
            T.round(T.tensor([1.25]), 1)
        with pytest.raises(TypeError):
            T.tensor([1.25]).round(1)
        x = T.tensor([1.25, -3.5], requires_grad=True)
        y = x.round(decimals=1)
        assert y.grad_fn.name() == "RoundBackward1"
        (y * 3).sum().backward()
        assert x.grad.tolist() == [0.0, 0.0]


# -- backends.cudnn.flags ---------------------------------------------------------------------
_SWITCHES = ("enabled", "benchmark", "deterministic", "allow_tf32", "fp32_precision",
             "depthwise_kernel")


def _state(T):
    return tuple(getattr(T.backends.cudnn, n) for n in _SWITCHES)


@pytest.fixture
def torch_cudnn_restored():
    """torch's flags() keeps the switches it set before refusing a value: put them back."""
    old = _state(torch)
    yield
    for n, v in zip(_SWITCHES, old):
        setattr(torch.backends.cudnn, n, v)


def test_flags_signature_is_torchs():
    ours = inspect.signature(cl.backends.cudnn.flags)
    assert ours == inspect.signature(torch.backends.cudnn.flags.__wrapped__)
    assert "flags" in cl.backends.cudnn.__all__


@pytest.mark.parametrize("kwargs", [
    {}, {"enabled": True}, {"benchmark": True, "deterministic": True},
    {"enabled": None, "benchmark": None, "deterministic": None, "allow_tf32": None,
     "fp32_precision": None, "depthwise_kernel": None},
    {"allow_tf32": False, "fp32_precision": "ieee", "depthwise_kernel": "native"},
    {"benchmark_limit": 3, "enabled": True, "benchmark": True},
])
def test_flags_set_and_restore_like_torch(kwargs, torch_cudnn_restored):
    before = _state(cl)
    assert before == _state(torch)
    for T in (cl, torch):  # non-default values outside, to see them come back
        T.backends.cudnn.benchmark = True
    inside = []
    for T in (cl, torch):
        with T.backends.cudnn.flags(**kwargs):
            inside.append(_state(T))
            with T.backends.cudnn.flags(enabled=True, deterministic=True):  # nested
                assert T.backends.cudnn.deterministic and T.backends.cudnn.enabled
            inside.append(_state(T))
    assert inside[0] == inside[2] and inside[1] == inside[3] == inside[0]
    assert _state(cl) == _state(torch) and cl.backends.cudnn.benchmark is True
    cl.backends.cudnn.benchmark = False


def test_flags_restore_after_an_error_in_the_block():
    before = _state(cl)
    with pytest.raises(ZeroDivisionError):
        with cl.backends.cudnn.flags(enabled=True, benchmark=True, deterministic=True,
                                     allow_tf32=False):
            assert _state(cl)[:4] == (True, True, True, False)
            1 / 0
    assert _state(cl) == before


@pytest.mark.parametrize("kwargs", [{"enabled": "x"}, {"enabled": 1}, {"benchmark": 0},
                                    {"deterministic": "yes"}, {"allow_tf32": 0},
                                    {"fp32_precision": "bad"}, {"fp32_precision": "bf16"},
                                    {"depthwise_kernel": "bad"}, {"depthwise_kernel": 1}])
def test_flags_refuse_what_torch_refuses(kwargs, torch_cudnn_restored):
    before = _state(cl)
    errors = []
    for T in (cl, torch):
        with pytest.raises(RuntimeError) as e:
            with T.backends.cudnn.flags(**kwargs):
                pass
        errors.append(str(e.value))
    assert errors[0] == errors[1]
    assert _state(cl) == before  # unlike torch, nothing set before the refusal stays
