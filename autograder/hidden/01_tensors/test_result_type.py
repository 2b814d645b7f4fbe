"""Hidden cases for 01_tensors / result_type(tensor1, tensor2) -> dtype (torch's priorities)."""
from autograder.cases import case


def _dtypes(torch):
    return [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
            torch.float16, torch.float32, torch.float64]


@case("两个有维度的张量 / two tensors with dimensions")
def two_dimful(piece, torch, np):
    return tuple(piece(torch.zeros(2, dtype=a), torch.zeros(2, dtype=b))
                 for a in _dtypes(torch) for b in _dtypes(torch))


@case("张量与 Python 浮点数 / tensor with a Python float")
def with_float(piece, torch, np):
    return tuple(piece(torch.zeros(2, dtype=d), 2.5) for d in _dtypes(torch))


@case("张量与 Python 整数 / tensor with a Python int")
def with_int(piece, torch, np):
    return tuple(piece(torch.zeros(2, dtype=d), 300) for d in _dtypes(torch))


@case("张量与 Python bool / tensor with a Python bool")
def with_bool(piece, torch, np):
    return tuple(piece(torch.zeros(2, dtype=d), True) for d in _dtypes(torch))


@case("数在左边 / the number on the left")
def number_first(piece, torch, np):
    return tuple((piece(1.5, torch.zeros(2, dtype=d)), piece(7, torch.zeros(2, dtype=d)))
                 for d in _dtypes(torch))


@case("有维度的张量与 0 维张量 / a dim-ful tensor with a 0-dim tensor")
def zero_dim(piece, torch, np):
    return tuple(piece(torch.zeros(3, dtype=a), torch.tensor(1, dtype=b))
                 for a in _dtypes(torch) for b in _dtypes(torch))


@case("两个 0 维张量 / two 0-dim tensors")
def two_zero_dim(piece, torch, np):
    return tuple(piece(torch.tensor(1, dtype=a), torch.tensor(0, dtype=b))
                 for a in _dtypes(torch) for b in _dtypes(torch))


@case("两个 Python 数 / two Python numbers")
def two_numbers(piece, torch, np):
    return (piece(1, 2), piece(1, 2.0), piece(True, 2), piece(True, False), piece(2.0, True))


@case("默认类型为 float64 时 / with float64 as the default dtype")
def default_float64(piece, torch, np):
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return (piece(torch.zeros(2, dtype=torch.int32), 0.5), piece(torch.zeros(2, dtype=torch.float16), 0.5))
    finally:
        torch.set_default_dtype(old)


@case("空张量也按规则 / empty tensors follow the rules too")
def empty(piece, torch, np):
    return (piece(torch.zeros(0, dtype=torch.uint8), torch.tensor(1.0)),
            piece(torch.zeros(0, 3, dtype=torch.int8), torch.zeros(5, dtype=torch.uint8)))
