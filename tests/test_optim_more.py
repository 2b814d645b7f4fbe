"""Adagrad, Adadelta, Adamax, NAdam, RAdam, Rprop and ASGD step for step equal to torch 2.13
(float64 and float32, 20 steps of a small MLP), reprs and state_dict layouts equal, argument
errors equal. 更多优化器与 torch 逐步一致。"""
import numpy as np
import pytest

import course_lib as cl

torch = pytest.importorskip("torch")

CONFIGS = [
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1)),
    ("Adagrad", dict(lr=0.05, maximize=True, eps=1e-6)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.01, eps=1e-5)),
    ("Adamax", dict(lr=0.01)),
    ("Adamax", dict(lr=0.01, betas=(0.8, 0.95), weight_decay=0.01, maximize=True)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.01, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.05, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01, betas=(0.9, 0.8), weight_decay=0.01)),  # rho_t > 5 from step 6
    ("RAdam", dict(lr=0.01, betas=(0.9, 0.7), weight_decay=0.05, decoupled_weight_decay=True)),
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2), maximize=True)),
    ("ASGD", dict(lr=0.05)),
    ("ASGD", dict(lr=0.05, lambd=0.01, alpha=0.5, t0=5, weight_decay=0.01)),
]


def _mlp(lib, dtype):
    return lib.nn.Sequential(lib.nn.Linear(6, 8), lib.nn.Tanh(), lib.nn.Linear(8, 3)).to(dtype)


def _run(lib, name, kw, weights, x, y, dtype, steps=20):
    model = _mlp(lib, dtype)
    with lib.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(lib.tensor(w, dtype=dtype))
    opt = getattr(lib.optim, name)(model.parameters(), **kw)
    X, Y = lib.tensor(x, dtype=dtype), lib.tensor(y)
    for _ in range(steps):
        opt.zero_grad()
        lib.nn.functional.cross_entropy(model(X), Y).backward()
        opt.step()
    return [np.array(p.detach().numpy()) for p in model.parameters()], opt


@pytest.mark.parametrize("name,kw", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_20_steps_equal_torch(name, kw):
    rng = np.random.default_rng(len(kw))
    ref = _mlp(torch, torch.float64)
    weights = [p.detach().numpy().copy() for p in ref.parameters()]
    x, y = rng.standard_normal((16, 6)), rng.integers(0, 3, 16)
    got, opt = _run(cl, name, kw, weights, x, y, cl.float64)
    want, topt = _run(torch, name, kw, weights, x, y, torch.float64)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-9, atol=1e-12)
    for (s1, s2) in zip(opt.state.values(), topt.state.values()):
        assert sorted(s1) == sorted(s2)
        for k in s1:
            np.testing.assert_allclose(s1[k].numpy(), s2[k].numpy(), rtol=1e-9, atol=1e-12)
    got32, _ = _run(cl, name, kw, weights, x, y, cl.float32)
    want32, _ = _run(torch, name, kw, weights, x, y, torch.float32)
    for g, w in zip(got32, want32):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "Rprop",
                                  "ASGD"])
def test_repr_and_state_dict_layout_equal_torch(name):
    outs = []
    for lib in (cl, torch):
        p = lib.nn.Parameter(lib.ones(2))
        opt = getattr(lib.optim, name)([p])
        p.grad = lib.ones(2)
        opt.step()
        sd = opt.state_dict()
        state = {k: {n: (tuple(v.shape), str(v.dtype).split(".")[-1]) for n, v in s.items()}
                 for k, s in sd["state"].items()}
        outs.append((repr(opt), sd["param_groups"], state))
    assert outs[0] == outs[1]


@pytest.mark.parametrize("expr", [
    "O.Adagrad(ps, lr=-1)", "O.Adagrad(ps, lr_decay=-1)", "O.Adagrad(ps, initial_accumulator_value=-1)",
    "O.Adadelta(ps, rho=1.5)", "O.Adamax(ps, betas=(1.0, 0.9))", "O.NAdam(ps, momentum_decay=-1)",
    "O.RAdam(ps, betas=(0.9, 1.0))", "O.Rprop(ps, etas=(1.5, 2.0))", "O.ASGD(ps, weight_decay=-1)",
    "O.NAdam(ps, eps=-1)",
])
def test_errors_like_torch(expr):
    got = []
    for lib in (cl, torch):
        with pytest.raises(Exception) as e:
            eval(expr, {"O": lib.optim, "ps": [lib.nn.Parameter(lib.ones(2))]})
        got.append((type(e.value).__name__, str(e.value)))
    assert got[0] == got[1]


def _resumed(lib, name, weights, x, y):
    """Ten steps; at step 5 a new optimizer loads the old one's state_dict (torch casts loaded
    state other than "step" to the parameter's dtype: NAdam's mu_product, ASGD's eta and mu)."""
    model = _mlp(lib, lib.float64)
    with lib.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(lib.tensor(w))
    opt = getattr(lib.optim, name)(model.parameters(), lr=0.01)
    X, Y = lib.tensor(x), lib.tensor(y)
    for i in range(10):
        if i == 5:
            state = opt.state_dict()
            opt = getattr(lib.optim, name)(model.parameters(), lr=0.01)
            opt.load_state_dict(state)
        opt.zero_grad()
        lib.nn.functional.cross_entropy(model(X), Y).backward()
        opt.step()
    return [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("name", ["Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "Rprop",
                                  "ASGD"])
def test_resume_from_state_dict_like_torch(name):
    rng = np.random.default_rng(3)
    weights = [p.detach().numpy().copy() for p in _mlp(torch, torch.float64).parameters()]
    x, y = rng.standard_normal((8, 6)), rng.integers(0, 3, 8)
    for a, b in zip(_resumed(cl, name, weights, x, y), _resumed(torch, name, weights, x, y)):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
