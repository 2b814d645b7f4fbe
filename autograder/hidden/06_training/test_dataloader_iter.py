"""Hidden cases for 06_training / utils.data.DataLoader.__iter__(self): the batches of one epoch."""
from autograder.cases import case


class _Pairs:
    """Samples (features float32 (2,), label int) — a plain map-style dataset."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        import numpy as np
        return np.array([i, i * i], dtype=np.float32), i


def _batches(piece, loader):
    return list(piece(loader))


@case("按顺序分批 / batches in order")
def in_order(piece, torch, np):
    return _batches(piece, torch.utils.data.DataLoader(_Pairs(7), batch_size=3))


@case("drop_last 丢掉不完整的批次 / drop_last drops the short batch")
def drop_last(piece, torch, np):
    return _batches(piece, torch.utils.data.DataLoader(_Pairs(7), batch_size=3, drop_last=True))


@case("打乱（固定生成器）/ shuffled with a seeded generator")
def shuffled(piece, torch, np):
    loader = torch.utils.data.DataLoader(_Pairs(9), batch_size=4, shuffle=True,
                                         generator=torch.Generator().manual_seed(5))
    return _batches(piece, loader)


@case("batch_size=None：逐个样本 / batch_size=None: one sample at a time")
def no_batching(piece, torch, np):
    return _batches(piece, torch.utils.data.DataLoader(_Pairs(3), batch_size=None))


@case("自定义 collate_fn / a custom collate_fn")
def custom_collate(piece, torch, np):
    loader = torch.utils.data.DataLoader(_Pairs(5), batch_size=2,
                                         collate_fn=lambda samples: [s[1] for s in samples])
    return _batches(piece, loader)


@case("自定义 batch_sampler / a custom batch_sampler")
def custom_batch_sampler(piece, torch, np):
    loader = torch.utils.data.DataLoader(_Pairs(6), batch_sampler=[[5, 0], [2], [1, 3, 4]])
    return _batches(piece, loader)


@case("Subset 与 TensorDataset / a Subset and a TensorDataset")
def subset_and_tensors(piece, torch, np):
    x, y = torch.arange(12.0).reshape(6, 2), torch.arange(6)
    ds = torch.utils.data.TensorDataset(x, y)
    sub = torch.utils.data.Subset(ds, [4, 1, 3])
    return (_batches(piece, torch.utils.data.DataLoader(sub, batch_size=2)),
            _batches(piece, torch.utils.data.DataLoader(ds, batch_size=4)))


@case("字典样本 / dict samples")
def dict_samples(piece, torch, np):
    data = [{"x": torch.tensor([float(i)]), "name": f"s{i}"} for i in range(5)]
    return _batches(piece, torch.utils.data.DataLoader(data, batch_size=2))


@case("空数据集 / an empty dataset")
def empty(piece, torch, np):
    return _batches(piece, torch.utils.data.DataLoader(_Pairs(0), batch_size=2))


@case("批次数等于 len(loader) / as many batches as len(loader)")
def count(piece, torch, np):
    loaders = [torch.utils.data.DataLoader(_Pairs(n), batch_size=b, drop_last=d)
               for n, b, d in ((10, 3, False), (10, 3, True), (4, 4, False), (1, 5, False))]
    return [(len(list(piece(ld))), len(ld)) for ld in loaders]
