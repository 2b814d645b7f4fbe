"""Hidden cases for 06_training / utils.data.default_collate(batch)."""
import collections

from autograder.cases import case


def _t(torch, np, *shape, seed=0):
    g = np.random.default_rng(seed)
    return torch.tensor(g.standard_normal(shape), dtype=torch.float32)


@case("(张量, 整数) 元组 → 列表 / (tensor, int) tuples → a list")
def tensor_int(piece, torch, np):
    batch = [(_t(torch, np, 2, 3, seed=i), i % 3) for i in range(4)]
    out = piece(batch)
    return type(out).__name__, out[0], out[1]


@case("浮点数 → float64，整数 → int64 / floats → float64, ints → int64")
def numbers(piece, torch, np):
    return piece([0.5, -1.5, 2.0]), piece([3, 1, 4, 1])


@case("布尔值 / booleans")
def booleans(piece, torch, np):
    return piece([True, False, True])


@case("字典与字符串 / dicts and strings")
def dicts(piece, torch, np):
    batch = [{"x": _t(torch, np, 3, seed=i), "name": f"s{i}", "y": float(i)} for i in range(3)]
    out = piece(batch)
    return type(out).__name__, out["x"], out["name"], out["y"], list(out)


@case("numpy 数组 / numpy arrays")
def numpy_arrays(piece, torch, np):
    g = np.random.default_rng(1)
    return (piece([g.standard_normal((2, 2)) for _ in range(3)]),
            piece([np.arange(3, dtype=np.int32) + i for i in range(2)]))


@case("numpy 标量 / numpy scalars")
def numpy_scalars(piece, torch, np):
    return piece([np.float32(1.5), np.float32(-2.0)]), piece([np.int64(3), np.int64(4)])


@case("具名元组保持类型 / a namedtuple keeps its type")
def namedtuple(piece, torch, np):
    Pair = collections.namedtuple("Pair", ["image", "label"])
    out = piece([Pair(_t(torch, np, 2, seed=i), i) for i in range(3)])
    return type(out).__name__, out.image, out.label


@case("嵌套的列表 / nested lists")
def nested(piece, torch, np):
    batch = [[_t(torch, np, 2, seed=i), [i, float(i)]] for i in range(3)]
    out = piece(batch)
    return type(out).__name__, out[0], type(out[1]).__name__, out[1][0], out[1][1]


@case("0 维张量堆叠成 (B,) / 0-d tensors stack to (B,)")
def zero_d(piece, torch, np):
    return piece([torch.tensor(1.0), torch.tensor(2.0), torch.tensor(3.0)])


@case("长度不一致 → RuntimeError / unequal lengths → RuntimeError")
def unequal(piece, torch, np):
    return piece([[1, 2], [3]])


@case("形状不同的张量 → RuntimeError / tensors of different shapes → RuntimeError")
def bad_shapes(piece, torch, np):
    return piece([torch.zeros(2), torch.zeros(3)])


@case("不支持的类型 → TypeError / an unsupported type → TypeError")
def unsupported(piece, torch, np):
    return piece([object(), object()])


@case("字符串数组 → TypeError / an array of strings → TypeError")
def string_array(piece, torch, np):
    return piece([np.array(["a", "b"]), np.array(["c", "d"])])
