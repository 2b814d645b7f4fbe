"""Optimizers step for step equal to torch's; bookkeeping (groups, state_dict, zero_grad, StepLR)."""
import numpy as np
import pytest

import course_lib as cl

CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=1e-2)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=1e-3)),
    ("SGD", dict(lr=0.05, momentum=0.5, maximize=True)),
    ("Adam", dict(lr=1e-2)),
    ("Adam", dict(lr=1e-2, betas=(0.8, 0.99), eps=1e-6, weight_decay=1e-2)),
    ("Adam", dict(lr=1e-2, amsgrad=True, maximize=True)),
    ("AdamW", dict(lr=1e-2)),
    ("AdamW", dict(lr=1e-2, weight_decay=0.1, amsgrad=True)),
    ("RMSprop", dict(lr=1e-2)),
    ("RMSprop", dict(lr=1e-2, momentum=0.9, centered=True, weight_decay=1e-2)),
    ("RMSprop", dict(lr=1e-3, alpha=0.9, eps=1e-6, centered=True)),
]


def _mlp(lib, dtype):
    return lib.nn.Sequential(lib.nn.Linear(6, 8), lib.nn.Tanh(), lib.nn.Linear(8, 3)).to(dtype)


def _run(lib, name, kw, weights, x, y, dtype, steps=20):
    model = _mlp(lib, dtype)
    with lib.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(lib.tensor(w, dtype=dtype))
    opt = getattr(lib.optim, name)(model.parameters(), **kw)
    loss_fn = lib.nn.CrossEntropyLoss()
    X, Y = lib.tensor(x, dtype=dtype), lib.tensor(y)
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
    return [np.array(p.detach().numpy()) for p in model.parameters()], opt


@pytest.mark.parametrize("name,kw", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_20_steps_equal_torch(name, kw):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(len(kw))
    ref = _mlp(torch, torch.float64)
    weights = [p.detach().numpy().copy() for p in ref.parameters()]
    x, y = rng.standard_normal((16, 6)), rng.integers(0, 3, 16)
    got, _ = _run(cl, name, kw, weights, x, y, cl.float64)
    want, _ = _run(torch, name, kw, weights, x, y, torch.float64)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-9)
    got32, _ = _run(cl, name, kw, weights, x, y, cl.float32)
    want32, _ = _run(torch, name, kw, weights, x, y, torch.float32)
    for g, w in zip(got32, want32):
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)  # float32: BLAS order varies


def test_repr_and_state_dict_layout_equal_torch():
    torch = pytest.importorskip("torch")
    for name, kw in [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", {}), ("AdamW", {}), ("RMSprop", {})]:
        outs = []
        for lib in (cl, torch):
            p = lib.nn.Parameter(lib.ones(2))
            opt = getattr(lib.optim, name)([p], **kw)
            p.grad = lib.ones(2)
            opt.step()
            sd = opt.state_dict()
            outs.append((repr(opt), sd["param_groups"], {k: sorted(v) for k, v in sd["state"].items()}))
        assert outs[0] == outs[1], name


def test_state_dict_resume_continues_identically():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    ref = _mlp(torch, torch.float64)
    weights = [p.detach().numpy().copy() for p in ref.parameters()]
    x, y = rng.standard_normal((8, 6)), rng.integers(0, 3, 8)
    full, _ = _run(cl, "Adam", dict(lr=1e-2), weights, x, y, cl.float64, steps=10)
    half, opt = _run(cl, "Adam", dict(lr=1e-2), weights, x, y, cl.float64, steps=5)
    model = _mlp(cl, cl.float64)
    with cl.no_grad():
        for p, w in zip(model.parameters(), half):
            p.copy_(cl.tensor(w))
    opt2 = cl.optim.Adam(model.parameters(), lr=1.0)
    opt2.load_state_dict(opt.state_dict())
    assert opt2.param_groups[0]["lr"] == 1e-2
    X, Y = cl.tensor(x), cl.tensor(y)
    for _ in range(5):
        opt2.zero_grad()
        cl.nn.functional.cross_entropy(model(X), Y).backward()
        opt2.step()
    for g, w in zip(model.parameters(), full):
        np.testing.assert_allclose(g.detach().numpy(), w, rtol=1e-12)


def test_param_groups_errors_and_zero_grad():
    a, b = cl.nn.Parameter(cl.ones(2)), cl.nn.Parameter(cl.ones(3))
    opt = cl.optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="empty parameter list"):
        cl.optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="iterable of Tensors or dicts"):
        cl.optim.SGD(a, lr=0.1)
    with pytest.raises(ValueError, match="Nesterov momentum requires"):
        cl.optim.SGD([a], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        cl.optim.Adam([a], lr=-1)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        cl.optim.SGD([a * 2], lr=0.1)
    a.grad = cl.ones(2)
    opt.zero_grad(set_to_none=False)
    assert np.all(a.grad.numpy() == 0)
    opt.zero_grad()
    assert a.grad is None
    assert opt.step() is None and opt.step(lambda: 3.0) == 3.0


def test_step_lr_equals_torch():
    torch = pytest.importorskip("torch")
    lrs = []
    for lib in (cl, torch):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.ones(1))], lr=1.0)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
        seq = []
        for _ in range(10):
            opt.step()
            sched.step()
            seq.append((sched.get_last_lr()[0], opt.param_groups[0]["lr"], sched.last_epoch))
        lrs.append(seq)
    assert lrs[0] == lrs[1]
