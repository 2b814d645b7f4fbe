"""Hidden cases for 06_training / training.evaluate(model, loader, loss_fn): (mean loss, accuracy)
in eval mode without building a graph."""
from autograder.cases import case


def _setup(torch, np, n=30, dropout=0.0, seed=0):
    g = np.random.default_rng(seed)
    x = torch.tensor(g.standard_normal((n, 4)), dtype=torch.float32)
    y = torch.tensor(g.integers(0, 3, n))
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Dropout(dropout), nn.Linear(6, 3))
    return model, torch.utils.data.TensorDataset(x, y)


def _loader(torch, ds, bs):
    return torch.utils.data.DataLoader(ds, batch_size=bs)


@case("损失与准确率 / loss and accuracy")
def basic(piece, torch, np):
    model, ds = _setup(torch, np)
    return piece(model, _loader(torch, ds, 8), torch.nn.CrossEntropyLoss())


@case("不整除的批次按样本数加权 / an uneven last batch is weighted by its size")
def uneven(piece, torch, np):
    model, ds = _setup(torch, np, n=23)
    return piece(model, _loader(torch, ds, 5), torch.nn.CrossEntropyLoss())


@case("批次大小不影响结果 / the batch size does not change the result")
def batch_size_free(piece, torch, np):
    model, ds = _setup(torch, np, n=24)
    return [piece(model, _loader(torch, ds, b), torch.nn.CrossEntropyLoss()) for b in (1, 5, 24)]


@case("切换到 eval 模式 / switches to eval mode")
def eval_mode(piece, torch, np):
    model, ds = _setup(torch, np, dropout=0.5)
    piece(model, _loader(torch, ds, 10), torch.nn.CrossEntropyLoss())
    return model.training, [m.training for m in model]


@case("eval 模式下 Dropout 不起作用 / no dropout in eval mode")
def dropout_off(piece, torch, np):
    model, ds = _setup(torch, np, dropout=0.9)
    torch.manual_seed(3)
    return piece(model, _loader(torch, ds, 10), torch.nn.CrossEntropyLoss())


@case("不建计算图、不改参数 / no graph, parameters unchanged")
def no_graph(piece, torch, np):
    _, ds = _setup(torch, np)
    seen = []

    class Probe(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(4, 3)

        def forward(self, x):
            out = self.lin(x)
            seen.append((torch.is_grad_enabled(), out.requires_grad))
            return out

    torch.manual_seed(0)
    model = Probe()
    before = [p.detach().clone() for p in model.parameters()]
    piece(model, _loader(torch, ds, 10), torch.nn.CrossEntropyLoss())
    return seen, [p.grad is None for p in model.parameters()], \
        [bool((a == p).all()) for a, p in zip(before, model.parameters())]


@case("求和的损失函数 / a summed loss function")
def sum_loss(piece, torch, np):
    model, ds = _setup(torch, np, n=12)
    return piece(model, _loader(torch, ds, 4), torch.nn.CrossEntropyLoss(reduction="sum"))


@case("返回 Python float / returns Python floats")
def types(piece, torch, np):
    model, ds = _setup(torch, np)
    loss, acc = piece(model, _loader(torch, ds, 8), torch.nn.CrossEntropyLoss())
    return type(loss).__name__, type(acc).__name__


@case("完全正确的模型 / a model that is always right")
def perfect(piece, torch, np):
    x = torch.eye(3).repeat(4, 1)
    y = torch.tensor([0, 1, 2] * 4)
    model = torch.nn.Linear(3, 3, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.eye(3) * 10)
    return piece(model, _loader(torch, torch.utils.data.TensorDataset(x, y), 5),
                 torch.nn.CrossEntropyLoss())
