"""Tutorial code that once failed on course_lib, each pattern compared with torch (issue 15):
``x[range(n), target]`` and other sequence indices, 0-d index tensors in scatter_/gather/
index_select, ``torch.backends``, ``set_default_device`` / ``with torch.device(...)``, and the
old ``torch.autograd.Variable``.

教程里常见、曾在 course_lib 上失败的写法，逐一与 torch 对比（结果、dtype、形状、报错与警告）。
"""
import importlib
import importlib.util
import warnings

import numpy as np
import pytest

import course_lib as cl
from course_lib import _backend

torch = pytest.importorskip("torch")


def _outcome(T, code):
    """What ``code`` (T = the library) gives: ("value", repr, dtype name, shape) or ("error",
    type, message), plus the warnings it raised (torch's C++ location suffix dropped)."""
    x = T.arange(12.).reshape(3, 4)
    t = T.tensor([1, 0, 3])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = eval(code, {"T": T, "x": x, "t": t, "np": np})
            got = ("value", repr(r).replace("torch.", "").replace("course_lib.", ""),
                   str(getattr(r, "dtype", "")).split(".")[-1], tuple(getattr(r, "shape", ())))
        except Exception as e:  # noqa: BLE001  (the error itself is compared)
            got = ("error", type(e).__name__, str(e))
    msgs = [str(w.message).split(" (Triggered internally")[0] for w in caught]
    return got, msgs


def _same(code):
    assert _outcome(cl, code) == _outcome(torch, code), code


SEQUENCE_INDICES = [
    "x[range(3), t]", "x[range(2)]", "x[range(0, 3, 2)]", "x[range(0)]", "x[range(-1, -3, -1)]",
    "x[range(2), 1]", "x[1, range(2)]", "x[:, range(3)]", "x[range(3), [0, 1, 2]]",
    "x[(range(2), range(1, 3))]", "x[range(1, 3), t[:2]]", "x[np.array([0, 1]), range(2)]",
    "x[[0, 2]]", "x[[]]", "x[[0.9, 2.1]]", "x[[0, True]]", "x[[True, False, True]]",
    "x[[np.int64(0), np.int64(2)]]", "x[np.array([0., 1.9])]", "x[([0, 1], [1, 2])]",
    "x[([], )]", "x[[[0, 1], [1, 2]]]", "x[[range(2), range(2)]]", "x[[range(2)]]",
    "x[[0, slice(None)]]", "x[[0, None]]", "x[[Ellipsis, 0]]", "x[[T.tensor(0), T.tensor(1)]]",
    "x[[T.tensor([0, 1]), T.tensor([1, 2])]]", "T.arange(50)[range(40)]",
    "T.arange(50)[[[0]] * 32]", "T.arange(50.).reshape(50, 1)[[[0]] * 3]",
    "x[np.array([1, 0, 1], dtype=np.uint8)]",
    # errors
    "x[range(5)]", "x[range(-4, 0)]", "x[range(3), range(4)]", "x[t, range(3)]", 'x["a"]',
    'x[0, "a"]', 'x[["a"]]', 'x[b"a"]', "x[{0, 1}]", "x[{0: 1}]", "x[(i for i in range(2))]",
    "x[[T.tensor(1.), T.tensor(0.)]]", "x[[True]]",
]


@pytest.mark.parametrize("code", SEQUENCE_INDICES)
def test_sequence_index_like_torch(code):
    _same(code)


SEQUENCE_WRITES = [
    "x.__setitem__(range(2), 0.) or x", "x.__setitem__((range(3), t), T.tensor([7., 8., 9.])) or x",
    "x.__setitem__([0, 2], T.ones(4)) or x", "x.__setitem__((range(1, 3), range(2)), -1.) or x",
    "x.__setitem__([[0, 1], [1, 2]], 5.) or x", "x.__setitem__(range(4), 0.) or x",
    "x.__setitem__(range(2), T.ones(3)) or x",
]


@pytest.mark.parametrize("code", SEQUENCE_WRITES)
def test_sequence_index_assignment_like_torch(code):
    _same(code)


def _grads(T, f, *arrays):
    xs = [T.tensor(a, dtype=T.float64, requires_grad=True) for a in arrays]
    f(T, *xs).sum().backward()
    return [x.grad.numpy() for x in xs]


def test_nll_of_what_is_torch_nn_really_and_its_gradient():
    """``-input[range(target.shape[0]), target].mean()`` (nn_tutorial's nll): value, grad_fn
    and gradient equal torch's; float64 finite differences agree (gradcheck)."""
    g = np.random.default_rng(0)
    logits = g.standard_normal((5, 4))
    target = [3, 0, 1, 1, 2]

    def nll(T, inp):
        t = T.tensor(target)
        return -T.log_softmax(inp, dim=1)[range(t.shape[0]), t].mean()

    a = cl.tensor(logits, requires_grad=True)
    b = torch.tensor(logits, requires_grad=True)
    assert nll(cl, a).item() == pytest.approx(nll(torch, b).detach().item(), abs=1e-12)
    assert type(nll(cl, a).grad_fn).__name__ == type(nll(torch, b).grad_fn).__name__
    pick = lambda T, inp: inp[range(5), T.tensor(target)]  # noqa: E731
    assert type(pick(cl, a).grad_fn).__name__ == type(pick(torch, b).grad_fn).__name__
    for f in (nll, lambda T, inp: inp[range(1, 4)] * 2, lambda T, inp: inp[[0, 0, 2], range(3)],
              lambda T, inp: inp[:, range(3)] ** 2):
        np.testing.assert_allclose(_grads(cl, f, logits)[0], _grads(torch, f, logits)[0],
                                   rtol=1e-12, atol=1e-12)
        assert cl.autograd.gradcheck(lambda inp: f(cl, inp), (a,))


def test_sequence_assignment_gradient_like_torch():
    g = np.random.default_rng(1)
    base, val = g.standard_normal((4, 3)), g.standard_normal((2, 3))

    def put(T, x, v):
        y = x * 1
        y[range(2)] = v * 3  # a repeated index is not allowed in a differentiable write
        return y * T.arange(12, dtype=T.float64).reshape(4, 3)

    for mine, theirs in zip(_grads(cl, put, base, val), _grads(torch, put, base, val)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-12)
    x = cl.tensor(base, requires_grad=True)
    v = cl.tensor(val, requires_grad=True)
    assert cl.autograd.gradcheck(lambda x, v: put(cl, x, v), (x, v))


ZERO_DIM_INDEX = [
    # the one-hot Lambda of "Learn the Basics" — Transforms, verbatim (y = 3)
    "T.zeros(10, dtype=T.float).scatter_(0, T.tensor(3), value=1)",
    "T.zeros(10).scatter(0, T.tensor(3), T.tensor(5.))",
    "T.zeros(3).scatter(0, T.tensor(2), T.tensor([7., 8.]))",
    "T.zeros(10).scatter_(-1, T.tensor(9), value=2.5)",
    "T.tensor(5.).scatter_(0, T.tensor(0), value=1)",
    "T.tensor(5.).scatter(0, T.tensor(0), T.tensor(7.))",
    "T.arange(5.).gather(0, T.tensor(3))", "T.arange(5.).gather(-1, T.tensor(4))",
    "T.tensor(5.).gather(0, T.tensor(0))",
    "T.arange(5.).index_select(0, T.tensor(3))", "x.index_select(1, T.tensor(3))",
    "x.index_select(0, T.tensor(2))", "T.index_select(x, -1, T.tensor(0))",
    "T.tensor(5.).index_select(0, T.tensor(0))", "T.gather(T.arange(5.), 0, T.tensor(1))",
    # errors: wrong dims, out of range
    "T.zeros(10).scatter_(1, T.tensor(3), value=1)", "T.zeros(10).gather(1, T.tensor(3))",
    "T.zeros(3, 4).scatter_(0, T.tensor(1), value=1)", "T.zeros(3, 4).gather(0, T.tensor(1))",
    "T.zeros(3, 4).scatter(1, T.tensor(1), T.ones(3, 4))", "T.zeros(10).scatter_(0, T.tensor(10), value=1)",
    "T.zeros(10).gather(0, T.tensor(-11))", "x.index_select(2, T.tensor(0))",
    "x.index_select(1, T.tensor(4))", "x.index_select(1, T.tensor([[3]]))",
    "T.zeros(10).scatter_(0, T.tensor(3.), value=1)", "T.zeros(10).gather(0, T.tensor(3.))",
]


@pytest.mark.parametrize("code", ZERO_DIM_INDEX)
def test_zero_dim_index_like_torch(code):
    _same(code)


def test_one_hot_lambda_of_the_transforms_tutorial():
    """``Lambda(lambda y: torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1))``
    for every label: the same one-hot rows as torch."""
    def one_hot(T):
        target_transform = lambda y: T.zeros(10, dtype=T.float).scatter_(0, T.tensor(y), value=1)  # noqa: E731
        return np.stack([target_transform(y).numpy() for y in range(10)])

    np.testing.assert_array_equal(one_hot(cl), one_hot(torch))
    assert one_hot(cl).dtype == np.float32


def test_zero_dim_index_gradients_like_torch():
    g = np.random.default_rng(2)
    v, m = g.standard_normal(5), g.standard_normal((3, 4))
    cases = [(lambda T, a: a.gather(0, T.tensor(3)) * 2, v),
             (lambda T, a: a.index_select(0, T.tensor(1)) ** 2, v),
             (lambda T, a: a.index_select(1, T.tensor(2)) * T.tensor([[1.], [2.], [3.]],
                                                                      dtype=T.float64), m)]
    for f, data in cases:
        np.testing.assert_allclose(_grads(cl, f, data)[0], _grads(torch, f, data)[0], atol=1e-12)
        a = cl.tensor(data, requires_grad=True)
        assert type(f(cl, a).grad_fn).__name__ == type(f(torch, torch.tensor(data, requires_grad=True)).grad_fn).__name__
        assert cl.autograd.gradcheck(lambda a: f(cl, a), (a,))


@pytest.fixture
def plain_cpu(monkeypatch):
    """No simulated device: course_lib answers as on a machine without a GPU."""
    monkeypatch.setitem(_backend._state, "simulate", False)


@pytest.fixture
def simulated(monkeypatch):
    monkeypatch.setitem(_backend._state, "simulate", True)


def _backend_answers(T):
    b = T.backends
    return (b.mps.is_available(), b.mps.is_built(), b.cudnn.is_available(), b.cudnn.version(),
            b.cudnn.enabled, b.cudnn.benchmark, b.cudnn.deterministic, b.cudnn.allow_tf32,
            b.cudnn.benchmark_limit, b.cuda.is_built(), b.cuda.matmul.allow_tf32,
            b.cuda.matmul.allow_fp16_reduced_precision_reduction,
            b.cuda.matmul.allow_bf16_reduced_precision_reduction)


def test_backends_answer_as_cpu_only_torch(plain_cpu):
    if torch.backends.cuda.is_built() or importlib.util.find_spec("cupy") is not None:
        pytest.skip("the comparison is with a CPU-only torch on a machine without cupy")
    assert _backend_answers(cl) == _backend_answers(torch)
    assert not cl.backends.cudnn.is_acceptable(cl.ones(1)) and not torch.backends.cudnn.is_acceptable(torch.ones(1))


def test_backends_on_the_simulated_device(simulated):
    """The simulated device stands in for a CUDA build (is_available ⇒ is_built, as torch);
    there is still no cuDNN and no MPS."""
    assert cl.cuda.is_available() and cl.backends.cuda.is_built()
    assert not cl.backends.cudnn.is_available() and cl.backends.cudnn.version() is None
    assert not cl.backends.mps.is_available() and not cl.backends.mps.is_built()


@pytest.mark.parametrize("code", [
    "T.backends.cudnn.benchmark", "T.backends.cudnn.deterministic", "T.backends.cudnn.enabled",
    "T.backends.cudnn.allow_tf32", "T.backends.cuda.matmul.allow_tf32",
])
def test_backend_switches_set_and_check_like_torch(code):
    obj, _, name = code.rpartition(".")
    for T in (cl, torch):
        target = eval(obj, {"T": T})
        old = getattr(target, name)
        try:
            setattr(target, name, not old)
            assert getattr(target, name) is (not old)
        finally:
            setattr(target, name, old)
    errors = []
    for T in (cl, torch):
        target = eval(obj, {"T": T})
        with pytest.raises(Exception) as e:
            setattr(target, name, 1)
        errors.append((type(e.value), str(e.value)))
    assert errors[0] == errors[1]
    _same(code)


@pytest.mark.parametrize("code", ["T.backends.cuda.matmul.foo", "T.backends.cuda.matmul.__setattr__('foo', 1)"])
def test_unknown_matmul_switch_like_torch(code):
    _same(code)


def test_missing_backend_explains_itself():
    with pytest.raises(AttributeError) as e:
        cl.backends.mkldnn  # noqa: B018
    assert "PyTorch 有 torch.backends.mkldnn" in str(e.value)


DEVICE_CHOICE = [
    # "Learn the Basics" — Build the model, the current and the older form
    'T.accelerator.current_accelerator().type if T.accelerator.is_available() else "cpu"',
    '"cuda" if T.cuda.is_available() else "mps" if T.backends.mps.is_available() else "cpu"',
]


@pytest.mark.parametrize("code", DEVICE_CHOICE)
def test_device_selection_snippets(code, plain_cpu):
    if torch.cuda.is_available() or _backend.real_cuda_available():
        pytest.skip("compared on a machine without a GPU")
    assert eval(code, {"T": cl}) == eval(code, {"T": torch}) == "cpu"


@pytest.mark.parametrize("code", DEVICE_CHOICE)
def test_device_selection_snippets_on_the_simulated_device(code, simulated):
    assert eval(code, {"T": cl}) == "cuda"


@pytest.fixture
def default_device_restored():
    yield
    cl.set_default_device(None)
    torch.set_default_device(None)


FACTORIES = [  # (code, follows the default device in torch?)
    "T.zeros(2)", "T.ones(2, 3)", "T.empty(2)", "T.full((2,), 3.)", "T.rand(2)", "T.randn(2)",
    "T.randint(5, (2,))", "T.randperm(3)", "T.arange(3)", "T.linspace(0, 1, 3)", "T.eye(2)",
    "T.tensor([1., 2.])", "T.asarray([1, 2])", "T.scalar_tensor(1.)", "T.logspace(0, 1, 2)",
    "T.nn.Linear(2, 3).weight", "T.normal(0., 1., (2,))", "T.from_numpy(np.ones(2))",
    "T.zeros_like(T.ones(2, device='cpu'))", "T.ones(2, device='cpu')", "T.Tensor(2)",
    "T.get_rng_state()",
]


def _devices(T, dev):
    """The device type each factory creates on inside ``with T.device(dev)``, then under
    ``set_default_device(dev)``."""
    with T.device(dev):
        inside = [eval(c, {"T": T, "np": np}).device.type for c in FACTORIES]
    T.set_default_device(dev)
    try:
        after = [eval(c, {"T": T, "np": np}).device.type for c in FACTORIES]
    finally:
        T.set_default_device(None)
    return inside, after


def test_default_device_reaches_the_factories_torch_names(simulated, default_device_restored):
    """torch's 'meta' device (a device that is not the cpu) stands in for the simulated cuda."""
    ours = _devices(cl, "cuda")
    theirs = _devices(torch, "meta")
    assert ours == tuple([d.replace("meta", "cuda") for d in side] for side in theirs)
    assert "cuda" in ours[0] and "cpu" in ours[0]


def test_get_and_set_default_device(simulated, default_device_restored):
    assert cl.get_default_device() == cl.device("cpu") and repr(cl.get_default_device()) == repr(torch.get_default_device())
    cl.set_default_device("cuda")
    assert cl.get_default_device() == cl.device("cuda", 0)  # with its index, as torch
    with cl.device("cpu") as d:
        assert d == cl.device("cpu") and cl.get_default_device() == cl.device("cpu")
        assert cl.zeros(1).device.type == "cpu"
        cl.set_default_device("cuda:0")  # the innermost ``with`` still decides (torch)
        assert cl.zeros(1).device.type == "cpu"
    assert cl.zeros(1).device == cl.device("cuda", 0)
    cl.set_default_device(None)
    assert cl.get_default_device() == cl.device("cpu") and cl.zeros(1).device.type == "cpu"
    for T in (cl, torch):
        T.set_default_device(device="cpu:0")
        assert repr(T.get_default_device()) == "device(type='cpu', index=0)"
        assert T.zeros(1).device.type == "cpu"
        T.set_default_device(None)


def test_default_device_errors_like_torch(default_device_restored):
    for code in ("T.set_default_device('gpu')", "T.set_default_device('cuda:x')"):
        _same(code)


def test_default_cuda_without_cuda_fails_at_creation(plain_cpu, default_device_restored):
    if _backend.real_cuda_available():
        pytest.skip("a GPU is here")
    cl.set_default_device("cuda")  # as torch: setting works, creating fails
    with pytest.raises(RuntimeError, match="Torch not compiled with CUDA enabled"):
        cl.zeros(1)


def test_default_device_costs_ops_nothing():
    """Ops never read the default device: only creation functions consult it."""
    import inspect
    from course_lib._ops import pointwise, reduce, linalg
    for mod in (pointwise, reduce, linalg):
        assert "_default_device" not in inspect.getsource(mod)
    assert "_default_device" in inspect.getsource(importlib.import_module("course_lib._creation"))


VARIABLE = [
    "type(T.autograd.Variable(T.ones(2))).__name__", "T.autograd.Variable(T.ones(2))",
    "T.autograd.Variable(T.ones(2), requires_grad=True)",
    "T.autograd.Variable(T.ones(2), True).is_leaf", "T.autograd.Variable()",
    "isinstance(T.ones(1), T.autograd.Variable)", "isinstance(3, T.autograd.Variable)",
    "T.autograd.Variable(T.ones(2, requires_grad=True) * 2)",
    "T.autograd.Variable(T.ones(2, requires_grad=True) * 2).grad_fn",
    "T.autograd.Variable(T.ones(2), volatile=True)",
    "T.autograd.Variable.__name__", "T.autograd.Variable.__module__.split('.', 1)[1]",
    "T.autograd.Variable is T.autograd.variable.Variable",
    "T.autograd.Variable([1, 2])", "T.autograd.Variable(T.ones(2), volatile=True, requires_grad=True)",
    "T.autograd.Variable(T.tensor([1, 2]), requires_grad=True)",
    "T.autograd.Variable(T.ones(2), 'yes')", "T.autograd.Variable(T.ones(2), 1.5)",
    "T.autograd.Variable(T.ones(2), False, False, 3)",
]


@pytest.mark.parametrize("code", VARIABLE)
def test_variable_like_torch(code):
    _same(code)


def test_variable_shares_memory_and_is_a_new_leaf():
    """The old autograd tutorial: ``x = Variable(torch.ones(2, 2), requires_grad=True)``."""
    for T in (cl, torch):
        t = T.ones(2, 2)
        x = T.autograd.Variable(t, requires_grad=True)
        assert x is not t and x.is_leaf and not t.requires_grad
        out = ((x + 2) * (x + 2) * 3).mean()
        out.backward()
        np.testing.assert_allclose(x.grad.numpy(), np.full((2, 2), 4.5))
        assert t.grad is None
        with T.no_grad():
            x.add_(1)
        assert t[0, 0].item() == 2.0  # the same memory


def test_tutorial_patterns_on_the_simulated_device(simulated):
    """The same patterns on ``cuda`` (simulated): results stay on the device, values as on cpu."""
    data = np.arange(12.).reshape(3, 4)
    x = cl.tensor(data, device="cuda", requires_grad=True)
    t = cl.tensor([1, 0, 3], device="cuda")
    y = x[range(3), t]
    assert y.device.type == "cuda" and y.tolist() == [1., 4., 11.]
    y.sum().backward()
    assert x.grad.device.type == "cuda"
    np.testing.assert_array_equal(x.grad.cpu().numpy(), np.eye(4)[[1, 0, 3]])
    one_hot = cl.zeros(10, device="cuda").scatter_(0, cl.tensor(3, device="cuda"), value=1)
    assert one_hot.device.type == "cuda" and one_hot.argmax().item() == 3
    w = x.detach().clone()
    w[range(2)] = 0.
    assert w.device.type == "cuda" and w.cpu().numpy()[:2].sum() == 0
    picked = x.detach().index_select(1, cl.tensor(2, device="cuda"))
    assert picked.device.type == "cuda" and picked.shape == (3, 1)


@pytest.mark.parametrize("dim,index,use_src", [
    (0, [[0, 1, 2, 0], [2, 0, 0, 1], [1, 2, 1, 2]], True),
    (1, [[3, 0], [1, 1], [0, 2]], False),
    (1, [[3, 0, 1, 2], [1, 0, 2, 3], [0, 2, 3, 1]], True),
])
def test_out_of_place_scatter_is_differentiable_like_torch(dim, index, use_src):
    """``scatter`` (not in place) builds ScatterBackward0/1 with torch's gradients."""
    import torch

    got = []
    for M in (torch, cl):
        x = M.tensor(np.arange(12.).reshape(3, 4), requires_grad=True)
        idx = M.tensor(index)
        src = M.tensor(np.arange(10., 10 + idx.numel()).reshape(tuple(idx.shape)),
                       requires_grad=True)
        r = x.scatter(dim, idx, src) if use_src else x.scatter(dim, idx, 2.5)
        (r * M.tensor(np.arange(12.).reshape(3, 4)) ** 2).sum().backward()
        got.append((r.grad_fn.name(), r.tolist(), x.grad.tolist(),
                    src.grad.tolist() if use_src else None))
    assert got[0] == got[1]
