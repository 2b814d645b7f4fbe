"""utils.data: datasets, random_split, DataLoader, default_collate (torch as oracle), Digits."""
import collections

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import course_lib as cl
from course_lib.utils.data import (DataLoader, Dataset, Subset, TensorDataset, default_collate,
                                   random_split)


class Pairs(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"x": np.full(2, i, dtype=np.float32), "i": i, "f": i / 2, "s": str(i)}


def test_tensor_dataset_and_subset():
    x, y = cl.arange(10).reshape(5, 2), cl.arange(5)
    ds = TensorDataset(x, y)
    assert len(ds) == 5
    a, b = ds[3]
    assert a.tolist() == [6, 7] and b.item() == 3
    sub = Subset(ds, [4, 0])
    assert len(sub) == 2 and sub[0][1].item() == 4
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(x, cl.arange(4))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), fracs=st.sampled_from([(0.5, 0.5), (0.7, 0.2, 0.1), (1 / 3,) * 3, (0.8, 0.2)]))
def test_random_split_fractions_like_torch(n, fracs):
    torch = pytest.importorskip("torch")
    with _nowarn():
        ours = [len(s) for s in random_split(range(n), fracs, generator=cl.Generator().manual_seed(0))]
        theirs = [len(s) for s in torch.utils.data.random_split(range(n), fracs)]
    assert ours == theirs


class _nowarn:
    def __enter__(self):
        import warnings
        self.w = warnings.catch_warnings()
        self.w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *a):
        self.w.__exit__(*a)


def test_random_split_partition_and_seed():
    g = cl.Generator().manual_seed(42)
    parts = random_split(range(10), [3, 7], generator=g)
    idx = sorted(parts[0].indices + parts[1].indices)
    assert idx == list(range(10)) and [len(p) for p in parts] == [3, 7]
    again = random_split(range(10), [3, 7], generator=cl.Generator().manual_seed(42))
    assert again[0].indices == parts[0].indices
    with pytest.raises(ValueError, match="Sum of input lengths does not equal"):
        random_split(range(10), [3, 3])


def test_default_collate_matches_torch():
    torch = pytest.importorskip("torch")
    samples = [(np.arange(3, dtype=np.float32) + i, i, i * 0.5, f"s{i}", {"k": np.int64(i)})
               for i in range(4)]
    ours = default_collate(samples)
    theirs = torch.utils.data.default_collate(samples)
    assert type(ours) is list and len(ours) == len(theirs) == 5
    for a, b in zip(ours[:3], theirs[:3]):
        assert a.dtype.__repr__().replace("course_lib", "torch") == repr(b.dtype)
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert ours[3] == theirs[3]
    np.testing.assert_array_equal(ours[4]["k"].numpy(), theirs[4]["k"].numpy())
    Point = collections.namedtuple("Point", "x y")
    p = default_collate([Point(cl.ones(2), 1), Point(cl.zeros(2), 2)])
    assert isinstance(p, Point) and tuple(p.x.shape) == (2, 2) and p.y.tolist() == [1, 2]
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([[1, 2], [1]])
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        default_collate([object(), object()])


def test_dataloader_batches_len_drop_last_and_shuffle_seed():
    x = cl.arange(20, dtype=cl.float32).reshape(10, 2)
    y = cl.arange(10)
    ds = TensorDataset(x, y)
    dl = DataLoader(ds, batch_size=4)
    batches = list(dl)
    assert len(dl) == 3 and [tuple(b[0].shape) for b in batches] == [(4, 2), (4, 2), (2, 2)]
    assert batches[0][1].tolist() == [0, 1, 2, 3] and batches[0][1].dtype == cl.int64
    assert len(DataLoader(ds, batch_size=4, drop_last=True)) == 2
    assert len(list(DataLoader(ds, batch_size=4, drop_last=True))) == 2
    order = lambda seed: [v for _, yb in DataLoader(ds, 3, shuffle=True,  # noqa: E731
                                                   generator=cl.Generator().manual_seed(seed))
                          for v in yb.tolist()]
    assert order(1) == order(1) and sorted(order(1)) == list(range(10)) and order(1) != order(2)
    # a TensorDataset's batches are the same as any dataset's with those samples
    class Plain(Dataset):
        def __len__(self):
            return 10

        def __getitem__(self, i):
            return x[i], y[i]
    slow = list(DataLoader(Plain(), 4))
    for (a, b), (c, d) in zip(batches, slow):
        assert a.tolist() == c.tolist() and b.tolist() == d.tolist() and a.dtype == c.dtype


@pytest.mark.parametrize("n,bs,drop_last", [(10, 4, False), (10, 4, True), (8, 4, True),
                                            (3, 5, False), (3, 5, True), (1, 1, False)])
def test_tensor_dataset_batches_like_torch(n, bs, drop_last):
    torch = pytest.importorskip("torch")
    x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n) % 4
    ours = [[t.tolist() for t in b] for b in DataLoader(
        TensorDataset(cl.tensor(x), cl.tensor(y)), bs, drop_last=drop_last)]
    theirs = [[t.tolist() for t in b] for b in torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.tensor(x), torch.tensor(y)), bs, drop_last=drop_last)]
    assert ours == theirs


def test_tensor_dataset_batches_go_through_default_collate(restore_overrides):
    """No private gather for a TensorDataset: the lesson-06 collate makes every batch (a wrong
    answer changes them), from samples fetched one by one (the student's __iter__)."""
    ds = TensorDataset(cl.arange(12, dtype=cl.float32).reshape(6, 2), cl.arange(6))
    assert [b[1].tolist() for b in DataLoader(ds, 4)] == [[0, 1, 2, 3], [4, 5]]
    seen = []

    @cl.exercises.implements("course_lib.utils.data.default_collate")
    def reversed_collate(batch):
        seen.append(len(batch))
        return [cl.stack([s[k] for s in batch[::-1]]) for k in range(len(batch[0]))]

    assert [b[1].tolist() for b in DataLoader(ds, 4)] == [[3, 2, 1, 0], [5, 4]]
    assert [b[1].tolist() for b in DataLoader(ds, 4, shuffle=True)] != []
    assert seen == [4, 2, 4, 2]


def test_dataloader_dicts_collate_fn_and_no_batching():
    dl = DataLoader(Pairs(5), batch_size=2)
    b = next(iter(dl))
    assert set(b) == {"x", "i", "f", "s"} and tuple(b["x"].shape) == (2, 2)
    assert b["i"].dtype == cl.int64 and b["f"].dtype == cl.float64 and b["s"] == ["0", "1"]
    assert [len(v) for v in DataLoader(Pairs(5), batch_size=2, collate_fn=lambda s: s)] == [2, 2, 1]
    one = next(iter(DataLoader(Pairs(3), batch_size=None)))
    assert one["i"] == 0 and isinstance(one["x"], cl.Tensor)
    with pytest.raises(ValueError, match="mutually exclusive"):
        DataLoader(Pairs(3), batch_size=None, drop_last=True)


def test_digits_dataset():
    from course_lib.datasets import Digits
    tr, te = Digits(train=True), Digits(train=False)
    assert (len(tr), len(te)) == (1437, 360)
    img, label = tr[0]
    assert tuple(img.shape) == (1, 8, 8) and img.dtype == cl.float32 and isinstance(label, int)
    assert 0 <= float(tr.data.min()) and float(tr.data.max()) <= 1
    xb, yb = next(iter(DataLoader(te, batch_size=32)))
    assert tuple(xb.shape) == (32, 1, 8, 8) and yb.dtype == cl.int64
    assert yb.tolist() == [te[i][1] for i in range(32)]
    # fixed split: train and test do not overlap
    a = {tuple(r) for r in tr.data.numpy().reshape(len(tr), -1).round(3).tolist()}
    b = [tuple(r) for r in te.data.numpy().reshape(len(te), -1).round(3).tolist()]
    assert sum(r in a for r in b) < 10  # (a few digits are exact duplicates in the raw data)


def test_utils_data_available_after_plain_import():
    import subprocess
    import sys
    code = "import course_lib; print(course_lib.utils.data.DataLoader.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "course_lib.utils.data.dataloader", out.stderr
