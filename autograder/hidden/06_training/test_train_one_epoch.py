"""Hidden cases for 06_training / training.train_one_epoch(model, loader, loss_fn, optimizer):
(mean loss, accuracy) and the parameters after one epoch."""
from autograder.cases import case


def _data(torch, np, n=40, seed=0, dtype=None):
    g = np.random.default_rng(seed)
    x = torch.tensor(g.standard_normal((n, 3)), dtype=dtype or torch.float32)
    y = torch.tensor((g.standard_normal(n) > 0).astype(np.int64) + (x.numpy()[:, 0] > 1))
    return torch.utils.data.TensorDataset(x, y)


def _model(torch, dropout=0.0, dtype=None):
    torch.manual_seed(0)
    nn = torch.nn
    m = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Dropout(dropout), nn.Linear(8, 3))
    return m.double() if dtype is not None else m


def _run(piece, torch, np, batch_size=8, opt=None, dropout=0.0, n=40, epochs=1, dtype=None,
         loss_fn=None):
    model = _model(torch, dropout, dtype)
    loader = torch.utils.data.DataLoader(_data(torch, np, n, dtype=dtype), batch_size=batch_size)
    optimizer = (opt or (lambda ps: torch.optim.SGD(ps, lr=0.1)))(model.parameters())
    out = [piece(model, loader, loss_fn or torch.nn.CrossEntropyLoss(), optimizer)
           for _ in range(epochs)]
    return out, [p.detach() for p in model.parameters()], model.training


@case("SGD 一个 epoch / one epoch of SGD")
def sgd(piece, torch, np):
    return _run(piece, torch, np)


@case("不整除的批次按样本数加权 / an uneven last batch is weighted by its size")
def uneven(piece, torch, np):
    return _run(piece, torch, np, batch_size=7, n=30)


@case("Adam 优化器 / the Adam optimiser")
def adam(piece, torch, np):
    return _run(piece, torch, np, opt=lambda ps: torch.optim.Adam(ps, lr=0.01))


@case("三个 epoch / three epochs")
def epochs(piece, torch, np):
    return _run(piece, torch, np, epochs=3)


@case("从 eval 模式切回训练模式 / switches back from eval to train mode")
def train_mode(piece, torch, np):
    model = _model(torch, dropout=0.5)
    model.eval()
    loader = torch.utils.data.DataLoader(_data(torch, np), batch_size=10)
    torch.manual_seed(1)
    piece(model, loader, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1))
    return model.training, [m.training for m in model]


@case("梯度不累积 / gradients do not pile up")
def no_accumulation(piece, torch, np):
    model = _model(torch)
    for p in model.parameters():
        p.grad = torch.full_like(p, 100.0)  # stale gradients from before
    loader = torch.utils.data.DataLoader(_data(torch, np), batch_size=40)
    piece(model, loader, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1))
    return [p.detach() for p in model.parameters()]


@case("双精度 float64 / float64")
def float64(piece, torch, np):
    return _run(piece, torch, np, dtype=torch.float64)


@case("返回 Python float / returns Python floats")
def types(piece, torch, np):
    (loss, acc), = _run(piece, torch, np)[0]
    return type(loss).__name__, type(acc).__name__


@case("一批就是全部 / one batch holds everything")
def full_batch(piece, torch, np):
    return _run(piece, torch, np, batch_size=64)
