"""Hidden cases for 06_training / utils.data.random_split(dataset, lengths, generator=None).

Parts are compared by their indices (the permutation comes from torch.randperm with the given
generator, cut in order, as in torch) plus their type and dataset.
"""
import warnings

from autograder.cases import case


def _gen(torch, seed=0):
    return torch.Generator().manual_seed(seed)


def _describe(parts, dataset):
    return [(type(p).__name__, p.dataset is dataset, list(p.indices)) for p in parts]


@case("整数长度 / integer lengths")
def counts(piece, torch, np):
    data = range(10)
    return _describe(piece(data, [3, 7], generator=_gen(torch)), data)


@case("比例 0.3/0.3/0.4 / fractions 0.3/0.3/0.4")
def fractions(piece, torch, np):
    data = range(11)
    return _describe(piece(data, [0.3, 0.3, 0.4], generator=_gen(torch, 1)), data)


@case("余数轮流分配 / the remainder goes round robin")
def remainder(piece, torch, np):
    data = list(range(7))
    return [len(p) for p in piece(data, [0.25, 0.25, 0.25, 0.25], generator=_gen(torch, 2))]


@case("长度之和不对 → ValueError / lengths with the wrong sum → ValueError")
def wrong_sum(piece, torch, np):
    return piece(range(10), [3, 6], generator=_gen(torch))


@case("比例超出 [0, 1] → ValueError / a fraction outside [0, 1] → ValueError")
def bad_fraction(piece, torch, np):
    return piece(range(10), [1.5, -0.5], generator=_gen(torch))


@case("长度为 0 的一份 / a part of length 0")
def empty_part(piece, torch, np):
    data = range(5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (_describe(piece(data, [0, 5], generator=_gen(torch, 3)), data),
                _describe(piece(data, [0.0, 1.0], generator=_gen(torch, 3)), data))


@case("TensorDataset 的样本 / samples of a TensorDataset")
def tensor_dataset(piece, torch, np):
    ds = torch.utils.data.TensorDataset(torch.arange(8.0).reshape(4, 2), torch.tensor([0, 1, 0, 1]))
    a, b = piece(ds, [1, 3], generator=_gen(torch, 4))
    return a[0], b[0], b[2], len(a), len(b)


@case("不给 generator 时用全局随机数 / without a generator the global RNG is used")
def global_rng(piece, torch, np):
    torch.manual_seed(5)
    data = range(9)
    return _describe(piece(data, [4, 5]), data)


@case("长度可以是元组 / lengths may be a tuple")
def tuple_lengths(piece, torch, np):
    data = range(6)
    return _describe(piece(data, (2, 2, 2), generator=_gen(torch, 6)), data)


@case("只有一份 [1.0] / a single part [1.0]")
def single(piece, torch, np):
    data = range(6)
    return _describe(piece(data, [1.0], generator=_gen(torch, 7)), data)


@case("同一个种子结果相同 / the same seed gives the same split")
def deterministic(piece, torch, np):
    data = range(20)
    a = _describe(piece(data, [5, 15], generator=_gen(torch, 8)), data)
    b = _describe(piece(data, [5, 15], generator=_gen(torch, 8)), data)
    return a == b, a
