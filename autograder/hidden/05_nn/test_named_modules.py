"""Hidden cases for 05_nn / nn.Module.named_modules(self, memo=None, prefix='', remove_duplicate=True)."""
from autograder.cases import case


def _walk(gen):
    return [(name, type(m).__name__) for name, m in gen]


def _tower(torch):
    nn = torch.nn

    class Tower(nn.Module):
        def __init__(self):
            super().__init__()
            self.head = nn.Linear(2, 2)
            self.body = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Sequential(nn.ReLU()))
            self.tail = nn.Identity()

    torch.manual_seed(0)
    return Tower()


@case("顺序容器 Sequential / a Sequential")
def sequential(piece, torch, np):
    nn = torch.nn
    return _walk(piece(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))))


@case("嵌套模块，深度优先 / nested modules, depth first")
def nested(piece, torch, np):
    return _walk(piece(_tower(torch)))


@case("单个模块 / a single module")
def single(piece, torch, np):
    return _walk(piece(torch.nn.ReLU()))


@case("前缀 / a prefix")
def prefix(piece, torch, np):
    return _walk(piece(_tower(torch), prefix="model"))


@case("共享的模块只出现一次 / a shared module appears once")
def shared(piece, torch, np):
    nn = torch.nn
    lin = nn.Linear(2, 2)
    return _walk(piece(nn.Sequential(lin, nn.ReLU(), lin, nn.Sequential(lin))))


@case("remove_duplicate=False 保留重复 / remove_duplicate=False keeps repeats")
def keep_duplicates(piece, torch, np):
    nn = torch.nn
    lin = nn.Linear(2, 2)
    return _walk(piece(nn.Sequential(lin, nn.ReLU(), lin), remove_duplicate=False))


@case("跳过为 None 的子模块 / children set to None are skipped")
def none_child(piece, torch, np):
    nn = torch.nn
    m = nn.Sequential(nn.Linear(1, 1), nn.ReLU())
    m._modules["0"] = None
    return _walk(piece(m))


@case("给定 memo / a memo given")
def memo_given(piece, torch, np):
    nn = torch.nn
    relu = nn.ReLU()
    m = nn.Sequential(nn.Linear(1, 1), relu)
    memo = {relu}
    return _walk(piece(m, memo)), len(memo)


@case("产出的是同一个对象 / the very objects are yielded")
def identity(piece, torch, np):
    tower = _tower(torch)
    got = dict(piece(tower))
    return got[""] is tower, got["body.2.0"] is tower.body[2][0], sorted(got)


@case("深层嵌套 / deep nesting")
def deep(piece, torch, np):
    nn = torch.nn
    m = nn.ReLU()
    for _ in range(6):
        m = nn.Sequential(m, nn.Identity())
    return _walk(piece(m))
