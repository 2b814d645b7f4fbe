"""Hidden cases for 01_tensors / Tensor.item(self) -> Python number."""
from autograder.cases import case


@case("0 维 float32 → float / 0-d float32 → float")
def scalar_float(piece, torch, np):
    return piece(torch.tensor(2.5))


@case("float32 的精度：0.1 / float32 precision: 0.1")
def float32_precision(piece, torch, np):
    return piece(torch.tensor(0.1))


@case("float64 与 float16 / float64 and float16")
def float64_float16(piece, torch, np):
    return (piece(torch.tensor(0.1, dtype=torch.float64)), piece(torch.tensor(0.1, dtype=torch.float16)))


@case("形状 (1,) 的 int64 → int / int64 of shape (1,) → int")
def one_int(piece, torch, np):
    return piece(torch.tensor([7]))


@case("很大的 int64 保持精确 / a huge int64 stays exact")
def huge_int(piece, torch, np):
    return piece(torch.tensor([[2**62 + 1]]))


@case("负的 int8 与 bool / negative int8 and bool")
def int8_bool(piece, torch, np):
    return (piece(torch.tensor([-5], dtype=torch.int8)), piece(torch.tensor([[[True]]])),
            piece(torch.tensor(False)))


@case("非连续视图中的一个元素 / one element of a non-contiguous view")
def view_element(piece, torch, np):
    x = torch.arange(12.0).reshape(3, 4).t()
    return piece(x[1:2, 2:3])


@case("索引得到的 0 维张量 / a 0-d tensor from indexing")
def indexed(piece, torch, np):
    g = np.random.default_rng(1)
    x = torch.tensor(g.standard_normal((4, 5)))
    return piece(x[2, 3])


@case("需要梯度的张量 / a tensor that requires grad")
def requires_grad(piece, torch, np):
    return piece(torch.tensor(3.0, requires_grad=True))


@case("两个元素 → RuntimeError / two elements → RuntimeError")
def two_elements(piece, torch, np):
    return piece(torch.tensor([1.0, 2.0]))


@case("空张量 → RuntimeError / empty tensor → RuntimeError")
def empty(piece, torch, np):
    return piece(torch.zeros(0))
