"""Hidden cases for 05_nn / nn.Module.__setattr__(self, name, value): what gets registered where."""
from autograder.cases import case


def _stores(m):
    return (sorted(m._parameters), sorted(m._modules), sorted(m._buffers),
            sorted(k for k in m.__dict__ if not k.startswith("_") and k != "training"))


@case("参数进入 _parameters / a Parameter goes to _parameters")
def parameter(piece, torch, np):
    m = torch.nn.Module()
    w = torch.nn.Parameter(torch.arange(3.0))
    piece(m, "w", w)
    return _stores(m), m._parameters["w"] is w


@case("子模块进入 _modules / a Module goes to _modules")
def module(piece, torch, np):
    m = torch.nn.Module()
    torch.manual_seed(0)
    piece(m, "lin", torch.nn.Linear(2, 3))
    return _stores(m), [n for n, _ in m.named_parameters()]


@case("普通属性 / a plain attribute")
def plain(piece, torch, np):
    m = torch.nn.Module()
    piece(m, "k", 3)
    piece(m, "t", torch.ones(2))  # a Tensor that is not a registered buffer stays plain
    return _stores(m), m.__dict__["k"], m.__dict__["t"]


@case("参数改为 None / a parameter set to None")
def parameter_none(piece, torch, np):
    m = torch.nn.Linear(2, 2)
    piece(m, "bias", None)
    return _stores(m), m._parameters["bias"] is None, len(list(m.parameters()))


@case("参数名赋普通张量：TypeError / a Tensor for a parameter name: TypeError")
def parameter_tensor(piece, torch, np):
    piece(torch.nn.Linear(2, 2), "weight", torch.ones(2, 2))


@case("缓冲区重新赋值 / reassigning a buffer")
def buffer(piece, torch, np):
    m = torch.nn.Module()
    m.register_buffer("b", torch.zeros(2))
    piece(m, "b", torch.ones(2))
    piece(m, "c", torch.ones(1))  # not a buffer: plain
    return _stores(m), m._buffers["b"]


@case("缓冲区赋非张量：TypeError / a non-Tensor for a buffer: TypeError")
def buffer_bad(piece, torch, np):
    m = torch.nn.Module()
    m.register_buffer("b", torch.zeros(2))
    piece(m, "b", [1.0, 2.0])


@case("子模块换成参数 / a child module replaced by a Parameter")
def module_to_parameter(piece, torch, np):
    m = torch.nn.Sequential(torch.nn.Linear(1, 1))
    piece(m, "0", torch.nn.Parameter(torch.ones(1)))
    return _stores(m)


@case("参数换成子模块 / a parameter replaced by a module")
def parameter_to_module(piece, torch, np):
    m = torch.nn.Module()
    piece(m, "x", torch.nn.Parameter(torch.ones(1)))
    piece(m, "x", torch.nn.ReLU())
    return _stores(m)


@case("普通属性换成参数 / a plain attribute replaced by a Parameter")
def plain_to_parameter(piece, torch, np):
    m = torch.nn.Module()
    piece(m, "a", 1.5)
    piece(m, "a", torch.nn.Parameter(torch.ones(1)))
    return _stores(m)


@case("子模块名赋 None 与整数 / None, then an int, for a child's name")
def module_none_then_int(piece, torch, np):
    m = torch.nn.Sequential(torch.nn.ReLU())
    piece(m, "0", None)
    first = (_stores(m), m._modules["0"] is None)
    try:
        piece(m, "0", 3)
    except TypeError:
        return first, "TypeError"
    return first, "no error"


@case("__init__ 之前赋参数：AttributeError / a Parameter before __init__: AttributeError")
def before_init(piece, torch, np):
    m = object.__new__(torch.nn.Linear)
    piece(m, "w", torch.nn.Parameter(torch.ones(1)))


@case("__init__ 之前赋子模块：AttributeError / a Module before __init__: AttributeError")
def module_before_init(piece, torch, np):
    m = object.__new__(torch.nn.Sequential)
    piece(m, "child", torch.nn.ReLU())
