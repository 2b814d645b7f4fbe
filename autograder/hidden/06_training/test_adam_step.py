"""Hidden cases for 06_training / optim.Adam.step(self, closure=None): parameters after a few steps."""
from autograder.cases import case


def _run(piece, torch, np, n=3, shapes=((3,), (2, 2)), dtype=None, seed=0, skip=(), groups=None,
         state=False, **kw):
    """Random parameters and gradients; ``n`` calls of ``piece(opt)``; the parameters after them."""
    g = np.random.default_rng(seed)
    params = [torch.nn.Parameter(torch.tensor(g.standard_normal(s), dtype=dtype or torch.float32))
              for s in shapes]
    opt = torch.optim.Adam(groups(params) if groups else params, **kw)
    for _ in range(n):
        for i, p in enumerate(params):
            p.grad = None if i in skip else torch.tensor(g.standard_normal(tuple(p.shape)), dtype=p.dtype)
        piece(opt)
    out = [p.detach() for p in params]
    if state:
        s = opt.state[params[0]]
        out.append({k: s[k] for k in sorted(s)})
    return out


@case("默认超参数 / default hyper-parameters")
def default(piece, torch, np):
    return _run(piece, torch, np)


@case("较多步数与较大的学习率 / more steps, a larger learning rate")
def many_steps(piece, torch, np):
    return _run(piece, torch, np, n=10, lr=0.05)


@case("自定义 betas 与 eps / custom betas and eps")
def betas(piece, torch, np):
    return _run(piece, torch, np, lr=0.01, betas=(0.5, 0.9), eps=1e-3)


@case("L2 权重衰减 / L2 weight decay")
def weight_decay(piece, torch, np):
    return _run(piece, torch, np, lr=0.01, weight_decay=0.1)


@case("解耦的权重衰减（AdamW） / decoupled weight decay (AdamW)")
def decoupled(piece, torch, np):
    return _run(piece, torch, np, lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)


@case("amsgrad / amsgrad")
def amsgrad(piece, torch, np):
    return _run(piece, torch, np, n=5, lr=0.01, amsgrad=True, state=True)


@case("maximize / maximize")
def maximize(piece, torch, np):
    return _run(piece, torch, np, lr=0.01, maximize=True)


@case("没有梯度的参数不变，也没有状态 / parameters without a gradient stay put, with no state")
def no_grad(piece, torch, np):
    g = np.random.default_rng(3)
    a = torch.nn.Parameter(torch.tensor(g.standard_normal(3), dtype=torch.float32))
    b = torch.nn.Parameter(torch.tensor(g.standard_normal(2), dtype=torch.float32))
    opt = torch.optim.Adam([a, b], lr=0.1)
    for _ in range(2):
        a.grad = torch.tensor(g.standard_normal(3), dtype=torch.float32)
        piece(opt)
    return a.detach(), b.detach(), len(opt.state[b])


@case("状态：step、exp_avg、exp_avg_sq / the state: step, exp_avg, exp_avg_sq")
def state(piece, torch, np):
    return _run(piece, torch, np, n=2, lr=0.01, state=True)


@case("两个参数组 / two parameter groups")
def param_groups(piece, torch, np):
    return _run(piece, torch, np, lr=0.01,
                groups=lambda ps: [{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.1, "betas": (0.8, 0.99)}])


@case("float64 与 0 维参数 / float64 and a 0-d parameter")
def float64(piece, torch, np):
    return _run(piece, torch, np, shapes=((), (4,)), dtype=torch.float64, lr=0.02)


@case("closure 的返回值 / the value returned with a closure")
def closure(piece, torch, np):
    w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    opt = torch.optim.Adam([w], lr=0.1)

    def loss_fn():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    losses = [piece(opt, loss_fn).detach() for _ in range(3)]
    return losses, w.detach(), piece(opt) is None
