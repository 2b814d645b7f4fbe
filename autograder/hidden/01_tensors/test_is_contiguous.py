"""Hidden cases for 01_tensors / Tensor.is_contiguous(self) -> bool (from shape and stride)."""
from autograder.cases import case


@case("新建的张量 / freshly made tensors")
def fresh(piece, torch, np):
    return tuple(piece(torch.zeros(s)) for s in [(3,), (2, 3), (2, 3, 4), (1,), ()])


@case("转置 / transposes")
def transposed(piece, torch, np):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return (piece(x.t() if x.dim() == 2 else x.transpose(0, 1)), piece(x.transpose(1, 2)),
            piece(x.permute(2, 0, 1)), piece(torch.zeros(3, 4).t()))


@case("切片 / slices")
def slices(piece, torch, np):
    x = torch.arange(20.0).reshape(4, 5)
    return (piece(x[1:3]), piece(x[:, 1:3]), piece(x[:, ::2]), piece(x[::2]), piece(x[1]), piece(x[:, 0]))


@case("大小为 1 的维度步长随意 / a size-1 dimension may have any stride")
def size_one(piece, torch, np):
    x = torch.arange(6.0).reshape(1, 6)
    return (piece(x.t().t()), piece(torch.zeros(3, 1).t()), piece(torch.zeros(1, 4)[:, 1:2]),
            piece(torch.zeros(4, 5)[:, 2:3]))


@case("没有元素的张量 / tensors with no elements")
def empty(piece, torch, np):
    return (piece(torch.zeros(0)), piece(torch.zeros(0, 3).t()), piece(torch.zeros(3, 4)[:, :0]),
            piece(torch.zeros(2, 0, 5).permute(2, 0, 1)))


@case("expand 的结果（步长 0）/ expanded tensors (stride 0)")
def expanded(piece, torch, np):
    return (piece(torch.zeros(3, 1).expand(3, 4)), piece(torch.zeros(1, 4).expand(1, 4)),
            piece(torch.zeros(4).expand(2, 4)))


@case("unsqueeze 与 view / unsqueeze and view")
def views(piece, torch, np):
    x = torch.arange(12.0)
    return (piece(x.view(3, 4)), piece(x.unsqueeze(0)), piece(x.view(3, 4).unsqueeze(1)),
            piece(x.view(3, 4).t().unsqueeze(0)))


@case("float64 与 int 张量 / float64 and int tensors")
def dtypes(piece, torch, np):
    return (piece(torch.zeros(3, 4, dtype=torch.float64).t()), piece(torch.arange(12).reshape(3, 4)),
            piece(torch.arange(12, dtype=torch.int8).reshape(3, 4)[:, 1:]))


@case("返回 Python bool / returns a Python bool")
def returns_bool(piece, torch, np):
    return type(piece(torch.zeros(2, 2))).__name__, type(piece(torch.zeros(2, 2).t())).__name__
