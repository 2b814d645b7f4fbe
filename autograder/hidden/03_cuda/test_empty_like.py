"""Hidden cases for 03_cuda / empty_like(input, *, dtype, device, requires_grad, memory_format)."""
from autograder.cases import case


def _meta(t):
    return tuple(t.shape), t.dtype, str(t.device), t.requires_grad


@case("形状与 dtype 同输入 / shape and dtype of the input")
def same(piece, torch, np):
    return _meta(piece(torch.ones(2, 3))), _meta(piece(torch.ones(4, dtype=torch.int64)))


@case("给出 dtype / a given dtype")
def given_dtype(piece, torch, np):
    return _meta(piece(torch.ones(2, 3), dtype=torch.float64)), _meta(piece(torch.ones(2), dtype=torch.bool))


@case("GPU 上的输入 → GPU 上的结果 / an input on the GPU → a result on the GPU")
def on_gpu(piece, torch, np):
    torch.cuda.simulate(True)
    try:
        return _meta(piece(torch.ones(3, device="cuda")))
    finally:
        torch.cuda.simulate(False)


@case("给出 device / a given device")
def given_device(piece, torch, np):
    torch.cuda.simulate(True)
    try:
        return _meta(piece(torch.ones(3), device="cuda")), _meta(piece(torch.ones(3, device="cuda"), device="cpu"))
    finally:
        torch.cuda.simulate(False)


@case("requires_grad=True")
def grad(piece, torch, np):
    return _meta(piece(torch.ones(2), requires_grad=True)), piece(torch.ones(2), requires_grad=True).is_leaf


@case("输入需要梯度，结果不需要 / the input requires grad, the result does not")
def input_grad(piece, torch, np):
    return _meta(piece(torch.ones(2, requires_grad=True)))


@case("0 维、空与非连续的输入 / 0-d, empty and non-contiguous inputs")
def shapes(piece, torch, np):
    return (_meta(piece(torch.tensor(1.0))), _meta(piece(torch.zeros(0, 3))),
            _meta(piece(torch.zeros(3, 4).t())), piece(torch.zeros(3, 4).t()).is_contiguous())


@case("新内存 / new memory")
def new_memory(piece, torch, np):
    x = torch.ones(3)
    y = piece(x)
    y.fill_(5.0)
    return x, y is x


@case("输入不是张量 / the input is not a tensor")
def not_a_tensor(piece, torch, np):
    return piece([1.0, 2.0])
