"""Hidden cases for 05_nn / nn.Module.named_parameters(self, prefix='', recurse=True, remove_duplicate=True)."""
from autograder.cases import case


def _mlp(torch):
    torch.manual_seed(0)
    nn = torch.nn
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def _names(gen):
    return [name for name, _ in gen]


def _tower(torch):
    nn = torch.nn

    class Tower(nn.Module):
        def __init__(self):
            super().__init__()
            self.head = nn.Linear(2, 2)
            self.scale = nn.Parameter(torch.ones(1))  # own parameter registered after a child
            self.body = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1, bias=False))

        def forward(self, x):
            return self.body(self.head(x)) * self.scale

    torch.manual_seed(0)
    return Tower()


@case("Sequential：名字与参数 / Sequential: names and parameters")
def sequential(piece, torch, np):
    return list(piece(_mlp(torch)))


@case("嵌套模块，自己的参数在前 / nested modules, own parameters first")
def nested(piece, torch, np):
    return _names(piece(_tower(torch)))


@case("prefix 参数 / the prefix argument")
def prefix(piece, torch, np):
    return _names(piece(_tower(torch), prefix="model")), _names(piece(_mlp(torch), "net"))


@case("recurse=False / recurse=False")
def no_recurse(piece, torch, np):
    return _names(piece(_tower(torch), recurse=False)), _names(piece(_mlp(torch), recurse=False))


@case("bias=False 时跳过 None / None is skipped when bias=False")
def no_bias(piece, torch, np):
    torch.manual_seed(0)
    return list(piece(torch.nn.Linear(2, 3, bias=False)))


@case("共享的权重只出现一次 / a shared weight appears once")
def tied_weight(piece, torch, np):
    m = _mlp(torch)
    m[2].weight = torch.nn.Parameter(torch.zeros(2, 4))
    m.add_module("3", torch.nn.Linear(4, 2))
    m[3].weight = m[2].weight
    return _names(piece(m)), _names(piece(m, remove_duplicate=False))


@case("共享的子模块只出现一次 / a shared submodule appears once")
def shared_module(piece, torch, np):
    torch.manual_seed(0)
    lin = torch.nn.Linear(2, 2)
    m = torch.nn.Sequential(lin, torch.nn.ReLU(), lin)
    return _names(piece(m)), _names(piece(m, remove_duplicate=False))


@case("没有参数的模块 / a module without parameters")
def empty(piece, torch, np):
    return list(piece(torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Tanh()))), list(piece(torch.nn.ReLU()))


@case("产出的是同一个参数对象 / yields the very same parameter objects")
def identity(piece, torch, np):
    m = _tower(torch)
    got = [p for _, p in piece(m)]
    return [a is b for a, b in zip(got, [m.head.weight, m.head.bias, m.scale, m.body[0].weight])]


@case("返回生成器 / returns a generator")
def generator(piece, torch, np):
    return type(piece(_mlp(torch))).__name__


@case("冻结的参数也会产出 / frozen parameters are yielded too")
def frozen(piece, torch, np):
    m = _mlp(torch)
    m[0].weight.requires_grad_(False)
    return [(name, p.requires_grad) for name, p in piece(m)]
