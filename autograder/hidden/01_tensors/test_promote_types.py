"""Hidden cases for 01_tensors / promote_types(type1, type2) -> dtype (torch's rules)."""
from autograder.cases import case


def _all(torch):
    return [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
            torch.float16, torch.float32, torch.float64]


@case("相同类型 → 自身 / same dtype → itself")
def same(piece, torch, np):
    return tuple(piece(d, d) for d in _all(torch))


@case("bool 与任何类型 / bool with every dtype")
def with_bool(piece, torch, np):
    return tuple((piece(torch.bool, d), piece(d, torch.bool)) for d in _all(torch))


@case("整数与浮点 → 浮点 / integer with float → the float")
def int_float(piece, torch, np):
    ints = [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]
    floats = [torch.float16, torch.float32, torch.float64]
    return tuple((piece(i, f), piece(f, i)) for i in ints for f in floats)


@case("int64 与 float16 → float16（与 numpy 不同）/ int64 with float16 → float16 (unlike numpy)")
def int64_float16(piece, torch, np):
    return piece(torch.int64, torch.float16)


@case("两个浮点 → 较宽者 / two floats → the wider")
def two_floats(piece, torch, np):
    f = [torch.float16, torch.float32, torch.float64]
    return tuple(piece(a, b) for a in f for b in f)


@case("两个有符号整数 → 较宽者 / two signed integers → the wider")
def two_signed(piece, torch, np):
    s = [torch.int8, torch.int16, torch.int32, torch.int64]
    return tuple(piece(a, b) for a in s for b in s)


@case("uint8 与有符号整数 / uint8 with signed integers")
def uint8_signed(piece, torch, np):
    s = [torch.int8, torch.int16, torch.int32, torch.int64]
    return tuple((piece(torch.uint8, d), piece(d, torch.uint8)) for d in s)


@case("对称性：所有组合 / symmetry over all pairs")
def all_pairs(piece, torch, np):
    return tuple(piece(a, b) for a in _all(torch) for b in _all(torch))


@case("别名 torch.long、torch.half / aliases torch.long, torch.half")
def aliases(piece, torch, np):
    return (piece(torch.long, torch.half), piece(torch.int, torch.double), piece(torch.short, torch.float))
