"""PolynomialLR, CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR, SequentialLR,
ChainedScheduler and ReduceLROnPlateau against torch 2.13: the same lr (and momentum / beta1)
sequence bit for bit, for two parameter groups; epochs given to step(); state_dict round trips;
errors. 学习率调度器与 torch 逐位一致。"""
import warnings

import pytest

import course_lib as cl

torch = pytest.importorskip("torch")


def _opt(T, kind="sgd"):
    w1, w2 = T.zeros(2, requires_grad=True), T.zeros(3, requires_grad=True)
    groups = [{"params": [w1]}, {"params": [w2], "lr": 0.03}]
    if kind == "adam":
        return T.optim.Adam(groups, lr=0.1)
    return T.optim.SGD(groups, lr=0.1, momentum=0.9)


def _make(T, name, opt):
    S = T.optim.lr_scheduler
    return {
        "poly": lambda: S.PolynomialLR(opt, total_iters=6, power=2.0),
        "poly-linear": lambda: S.PolynomialLR(opt),
        "warm-restarts": lambda: S.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2,
                                                              eta_min=0.001),
        "warm-restarts-1": lambda: S.CosineAnnealingWarmRestarts(opt, T_0=5),
        "cyclic": lambda: S.CyclicLR(opt, 0.01, 0.1, step_size_up=4),
        "cyclic2": lambda: S.CyclicLR(opt, [0.01, 0.02], 0.2, step_size_up=3, step_size_down=5,
                                      mode="triangular2"),
        "cyclic-exp": lambda: S.CyclicLR(opt, 0.01, 0.1, step_size_up=3, mode="exp_range",
                                         gamma=0.97),
        "cyclic-fn": lambda: S.CyclicLR(opt, 0.01, 0.1, 2, scale_fn=lambda x: 1 / (1 + x),
                                        scale_mode="iterations"),
        "cyclic-no-momentum": lambda: S.CyclicLR(opt, 0.01, 0.1, 3, cycle_momentum=False),
        "onecycle": lambda: S.OneCycleLR(opt, 0.5, total_steps=30),
        "onecycle-linear": lambda: S.OneCycleLR(opt, [0.5, 0.2], epochs=3, steps_per_epoch=10,
                                                anneal_strategy="linear", pct_start=0.2),
        "onecycle-3": lambda: S.OneCycleLR(opt, 0.4, total_steps=31, three_phase=True),
        "sequential": lambda: S.SequentialLR(opt, [S.LinearLR(opt, 0.1, total_iters=4),
                                                   S.CosineAnnealingLR(opt, T_max=8)], [5]),
        "sequential-3": lambda: S.SequentialLR(opt, [S.ConstantLR(opt, 0.5, total_iters=2),
                                                     S.ExponentialLR(opt, 0.9),
                                                     S.StepLR(opt, 3, 0.5)], [3, 10]),
        "chained": lambda: S.ChainedScheduler([S.ConstantLR(opt, 0.5, total_iters=4),
                                               S.ExponentialLR(opt, 0.9)]),
    }[name]()


NAMES = ["poly", "poly-linear", "warm-restarts", "warm-restarts-1", "cyclic", "cyclic2",
         "cyclic-exp", "cyclic-fn", "cyclic-no-momentum", "onecycle", "onecycle-linear",
         "onecycle-3", "sequential", "sequential-3", "chained"]


def _sequence(T, name, kind, steps=25):
    opt = _opt(T, kind)
    sched = _make(T, name, opt)
    key = "betas" if kind == "adam" else "momentum"
    out = [(sched.get_last_lr(), [g[key] for g in opt.param_groups])]
    for _ in range(steps):
        opt.step()
        sched.step()
        out.append((sched.get_last_lr(), [g[key] for g in opt.param_groups]))
    return out


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("name", NAMES)
def test_sequence_like_torch(name, kind):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch: "optimizer.step() before lr_scheduler.step()"
        assert _sequence(cl, name, kind) == _sequence(torch, name, kind)  # exact floats


def test_warm_restarts_with_epochs_like_torch():
    got = []
    for T in (cl, torch):
        opt = _opt(T)
        s = T.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=3, eta_min=0.01)
        seq = []
        for e in (0.5, 1, 2, 3.25, 7, 8, 20, 4):
            s.step(e)
            seq.append((s.get_last_lr(), s.T_i, s.T_cur, s.last_epoch))
        got.append(seq)
    assert got[0] == got[1]


METRICS = [1.0, 0.9, 0.95, 0.95, 0.95, 0.96, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.71, 0.72, 0.73,
           0.74, 0.75, 0.76, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
PLATEAU = [{}, {"patience": 2}, {"patience": 1, "cooldown": 2, "factor": 0.5},
           {"mode": "max", "patience": 1}, {"threshold_mode": "abs", "threshold": 0.05,
                                             "patience": 1},
           {"patience": 0, "min_lr": [0.02, 0.001]}, {"patience": 0, "eps": 0.05}]


@pytest.mark.parametrize("kw", PLATEAU, ids=[str(sorted(k.items())) for k in PLATEAU])
def test_reduce_on_plateau_like_torch(kw):
    got = []
    for T in (cl, torch):
        opt = _opt(T)
        s = T.optim.lr_scheduler.ReduceLROnPlateau(opt, **kw)
        seq = []
        for m in METRICS:
            s.step(T.tensor(m) if m == 0.1 else m)
            seq.append((s.get_last_lr(), s.num_bad_epochs, s.cooldown_counter, s.best))
        got.append(seq)
    assert got[0] == got[1]


def _resumed(T, name):
    """Seven steps, a state_dict, a fresh optimizer + scheduler that loads it, five steps more."""
    opt = _opt(T)
    s = _make(T, name, opt)
    for _ in range(7):
        opt.step()
        s.step()
    state, groups = s.state_dict(), [dict(g) for g in opt.param_groups]
    opt2 = _opt(T)
    s2 = _make(T, name, opt2)
    s2.load_state_dict(state)
    for g, saved in zip(opt2.param_groups, groups):
        g.update({k: v for k, v in saved.items() if k != "params"})
    out = []
    for _ in range(5):
        opt2.step()
        s2.step()
        out.append(s2.get_last_lr())
    return out


@pytest.mark.parametrize("name", ["cyclic", "onecycle", "sequential", "chained",
                                  "warm-restarts", "poly"])
def test_state_dict_resumes_like_torch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _resumed(cl, name) == _resumed(torch, name)


@pytest.mark.parametrize("expr", [
    "S.OneCycleLR(o, 0.1)", "S.OneCycleLR(o, 0.1, total_steps=0)",
    "S.OneCycleLR(o, 0.1, total_steps=5, pct_start=1)", "S.OneCycleLR(o, 0.1, 5, anneal_strategy='x')",
    "S.OneCycleLR(o, [0.1], 5)", "S.CyclicLR(o, 0.1, 0.2, mode='x')",
    "S.CosineAnnealingWarmRestarts(o, 0)", "S.CosineAnnealingWarmRestarts(o, 2, T_mult=0)",
    "S.ReduceLROnPlateau(o, factor=1.0)", "S.ReduceLROnPlateau(o, mode='x')",
    "S.ReduceLROnPlateau(o, min_lr=[0.1])", "S.SequentialLR(o, [], [])",
    "S.SequentialLR(o, [S.StepLR(o, 2)], [1])", "S.ChainedScheduler([])",
    "S.SequentialLR(o, [S.ReduceLROnPlateau(o)], [])", "S.PolynomialLR(3)",
    "[s := S.OneCycleLR(o, 0.1, total_steps=2), s.step(), s.step(), s.step()]",
])
def test_errors_like_torch(expr):
    got = []
    for T in (cl, torch):
        env = {"S": T.optim.lr_scheduler, "o": _opt(T)}
        with pytest.raises(Exception) as e, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            eval(expr, env)
        got.append((type(e.value).__name__, str(e.value)))
    assert got[0] == got[1]
