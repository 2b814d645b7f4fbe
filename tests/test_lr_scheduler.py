"""Learning-rate schedulers: the same lr sequence as torch, bit for bit (torch's recursive
formulas), for two parameter groups; closed form with step(epoch); errors; state_dict.
学习率调度器与 torch 逐位一致。"""
import math
import warnings

import pytest

import course_lib as cl

SCHEDULERS = [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.3)),
    ("ExponentialLR", dict(gamma=0.9)),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.001)),
    ("CosineAnnealingLR", dict(T_max=4)),
    ("LinearLR", dict(start_factor=0.25, end_factor=1.0, total_iters=6)),
    ("LinearLR", dict(start_factor=1.0, end_factor=0.1, total_iters=4)),
    ("ConstantLR", dict(factor=0.5, total_iters=4)),
    ("LambdaLR", dict(lr_lambda=lambda e: 0.95 ** e)),
    ("MultiplicativeLR", dict(lr_lambda=lambda e: 0.9 if e % 2 else 1.0)),
]
IDS = [f"{n}-{sorted(k)}" for n, k in SCHEDULERS]


def _lrs(T, name, kw, steps=25):
    w1, w2 = T.zeros(2, requires_grad=True), T.zeros(3, requires_grad=True)
    opt = T.optim.SGD([{"params": [w1]}, {"params": [w2], "lr": 0.03}], lr=0.1)
    sched = getattr(T.optim.lr_scheduler, name)(opt, **kw)
    out = [sched.get_last_lr()]
    for _ in range(steps):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr())
    return out, [g["lr"] for g in opt.param_groups]


@pytest.mark.parametrize("name,kw", SCHEDULERS, ids=IDS)
def test_lr_sequence_like_torch(name, kw):
    torch = pytest.importorskip("torch")
    ours, theirs = _lrs(cl, name, kw), _lrs(torch, name, kw)
    assert ours == theirs  # exact floats


@pytest.mark.parametrize("name,kw", SCHEDULERS[:8], ids=IDS[:8])
def test_closed_form_step_epoch_like_torch(name, kw):
    torch = pytest.importorskip("torch")
    got = []
    for T in (cl, torch):
        opt = T.optim.SGD([T.zeros(1, requires_grad=True)], lr=0.2)
        sched = getattr(T.optim.lr_scheduler, name)(opt, **kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch: step(epoch) is deprecated
            seq = []
            for e in (3, 7, 1, 12):
                sched.step(e)
                seq.append(sched.get_last_lr()[0])
        got.append(seq)
    assert got[0] == pytest.approx(got[1], rel=1e-12, abs=1e-15)


def test_cosine_without_torch():
    opt = cl.optim.SGD([cl.zeros(1, requires_grad=True)], lr=1.0)
    sched = cl.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    seq = [sched.get_last_lr()[0]]
    for _ in range(10):
        opt.step()
        sched.step()
        seq.append(sched.get_last_lr()[0])
    assert seq == pytest.approx([(1 + math.cos(math.pi * e / 10)) / 2 for e in range(11)],
                                abs=1e-12)


def test_errors_like_torch():
    opt = cl.optim.SGD([cl.zeros(1, requires_grad=True)], lr=1.0)
    with pytest.raises(ValueError, match="Starting multiplicative factor"):
        cl.optim.lr_scheduler.LinearLR(opt, start_factor=0)
    with pytest.raises(ValueError, match="Ending multiplicative factor"):
        cl.optim.lr_scheduler.LinearLR(opt, end_factor=2)
    with pytest.raises(ValueError, match="Constant multiplicative factor"):
        cl.optim.lr_scheduler.ConstantLR(opt, factor=1.5)
    with pytest.raises(ValueError, match="Expected 1 lr_lambdas, but got 2"):
        cl.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0, lambda e: 1.0])


def test_state_dict_round_trip():
    class Warmup:  # a callable object: its state is saved (a plain lambda's is not)
        def __init__(self):
            self.n = 3

        def __call__(self, e):
            return min(1.0, (e + 1) / self.n)

    def make():
        opt = cl.optim.SGD([cl.zeros(1, requires_grad=True)], lr=1.0)
        return opt, cl.optim.lr_scheduler.LambdaLR(opt, Warmup())
    opt, sched = make()
    sched.lr_lambdas[0].n = 5
    for _ in range(2):
        opt.step()
        sched.step()
    state = sched.state_dict()
    opt2, sched2 = make()
    sched2.load_state_dict(state)
    assert sched2.last_epoch == 2 and sched2.lr_lambdas[0].n == 5
    assert "optimizer" not in state
