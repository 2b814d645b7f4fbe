"""Hidden cases for 06_training / optim.SGD.step(self, closure=None): parameters after a few steps."""
from autograder.cases import case


def _run(piece, torch, np, n=3, shapes=((3,), (2, 2)), dtype=None, seed=0, skip=(), groups=None, **kw):
    """Random parameters and gradients; ``n`` calls of ``piece(opt)``; the parameters after them."""
    g = np.random.default_rng(seed)
    params = [torch.nn.Parameter(torch.tensor(g.standard_normal(s), dtype=dtype or torch.float32))
              for s in shapes]
    opt = torch.optim.SGD(groups(params) if groups else params, **kw)
    for _ in range(n):
        for i, p in enumerate(params):
            p.grad = None if i in skip else torch.tensor(g.standard_normal(tuple(p.shape)),
                                                         dtype=p.dtype)
        piece(opt)
    return [p.detach() for p in params]


@case("普通 SGD / plain SGD")
def plain(piece, torch, np):
    return _run(piece, torch, np, lr=0.1)


@case("动量 / momentum")
def momentum(piece, torch, np):
    return _run(piece, torch, np, n=4, lr=0.05, momentum=0.9)


@case("动量与阻尼 / momentum with dampening")
def dampening(piece, torch, np):
    return _run(piece, torch, np, n=4, lr=0.05, momentum=0.8, dampening=0.3)


@case("Nesterov 动量 / Nesterov momentum")
def nesterov(piece, torch, np):
    return _run(piece, torch, np, n=4, lr=0.05, momentum=0.9, nesterov=True)


@case("权重衰减 / weight decay")
def weight_decay(piece, torch, np):
    return _run(piece, torch, np, lr=0.1, weight_decay=0.01), _run(piece, torch, np, lr=0.1, momentum=0.5,
                                                                   weight_decay=0.1)


@case("maximize / maximize")
def maximize(piece, torch, np):
    return _run(piece, torch, np, lr=0.1, momentum=0.9, maximize=True)


@case("没有梯度的参数不变 / parameters without a gradient stay put")
def no_grad(piece, torch, np):
    return _run(piece, torch, np, lr=0.1, momentum=0.9, skip=(1,))


@case("两个参数组，学习率不同 / two parameter groups with different learning rates")
def param_groups(piece, torch, np):
    return _run(piece, torch, np, lr=0.1, momentum=0.5,
                groups=lambda ps: [{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.01, "momentum": 0.0}])


@case("float64 与 0 维参数 / float64 and a 0-d parameter")
def float64(piece, torch, np):
    return _run(piece, torch, np, shapes=((), (3,)), dtype=torch.float64, lr=0.2, momentum=0.3)


@case("closure 的返回值 / the value returned with a closure")
def closure(piece, torch, np):
    w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    opt = torch.optim.SGD([w], lr=0.1)

    def loss_fn():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    losses = [piece(opt, loss_fn).detach() for _ in range(3)]
    return losses, w.detach(), piece(opt) is None


@case("动量缓冲区 / the momentum buffer")
def buffer(piece, torch, np):
    w = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5]))
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    for k in range(3):
        w.grad = torch.tensor([0.5, -1.0, 2.0]) * (k + 1)
        piece(opt)
    return opt.state[w]["momentum_buffer"], w.detach()


@case("空参数 / an empty parameter")
def empty(piece, torch, np):
    return _run(piece, torch, np, shapes=((0,), (2,)), lr=0.1, momentum=0.9)
