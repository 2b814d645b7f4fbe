"""Datasets: ``Dataset``, ``TensorDataset``, ``Subset``, ``ConcatDataset``, ``random_split``.

数据集：``Dataset``、``TensorDataset``、``Subset``、``ConcatDataset`` 与 ``random_split``。
"""
from __future__ import annotations

import bisect
import itertools
import math
import warnings

import course_lib as torch  # the solution region is written as a student writes it

from ...exercises import exercise

__all__ = ["Dataset", "TensorDataset", "Subset", "ConcatDataset", "StackDataset", "random_split"]


class Dataset:
    """An indexable collection of samples: override ``__getitem__`` (and ``__len__``).

    数据集：可按下标取样本的集合；子类需实现 ``__getitem__``（以及 ``__len__``）。
    """

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other):
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Samples are ``tuple(t[i] for t in tensors)``; all tensors share the first dimension."""

    def __init__(self, *tensors):
        assert all(tensors[0].size(0) == t.size(0) for t in tensors), "Size mismatch between tensors"
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple([t[index] for t in self.tensors])

    def __len__(self):
        return self.tensors[0].size(0)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices`` (in that order)."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices):
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    """Several datasets one after the other."""

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        d = bisect.bisect_right(self.cumulative_sizes, idx)
        start = 0 if d == 0 else self.cumulative_sizes[d - 1]
        return self.datasets[d][idx - start]


class StackDataset(Dataset):
    """Several datasets of the same length side by side: item i is the tuple (positional) or
    dict (keyword) of their items i. 并列组合等长的数据集。"""

    def __init__(self, *args, **kwargs):
        if args:
            if kwargs:
                raise ValueError("Supported either ``tuple``- (via ``args``) or``dict``- (via "
                                 "``kwargs``) like input/output, but both types are given.")
            self._length = len(args[0])
            if any(self._length != len(d) for d in args):
                raise ValueError("Size mismatch between datasets")
            self.datasets = args
        elif kwargs:
            parts = list(kwargs.values())
            self._length = len(parts[0])
            if any(self._length != len(d) for d in parts):
                raise ValueError("Size mismatch between datasets")
            self.datasets = kwargs
        else:
            raise ValueError("At least one dataset should be passed")

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self):
        return self._length


@exercise("06_training", "random_split", key="course_lib.utils.data.random_split")
def random_split(dataset, lengths, generator=None):
    """Split ``dataset`` into non-overlapping random ``Subset``s of the given lengths.

    把数据集随机划分为互不重叠的若干 ``Subset``。``lengths`` 可以是整数个数（总和必须等于
    ``len(dataset)``，否则 ValueError），也可以是总和为 1 的比例（向下取整，余数从第一个
    起轮流加 1）。下标来自 ``randperm(len(dataset), generator=generator)``，按顺序切片。
    ``lengths`` are counts summing to ``len(dataset)`` (else ValueError) or fractions summing to
    1 (floored; the remainder is added one by one from the first split). Indices come from
    ``randperm(len(dataset), generator=generator)``, cut in order.
    """
    ### BEGIN SOLUTION
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:  # fractions → counts
        counts = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            counts.append(int(math.floor(n * frac)))
        for i in range(n - sum(counts)):  # the remainder, round-robin from the first
            counts[i % len(counts)] += 1
        for i, c in enumerate(counts):
            if c == 0:
                warnings.warn(f"Length of split at index {i} is 0. "
                              "This might result in an empty dataset.")
        lengths = counts
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    indices = torch.randperm(n, generator=generator).tolist()
    splits, start = [], 0
    for length in lengths:
        splits.append(torch.utils.data.Subset(dataset, indices[start:start + length]))
        start += length
    return splits
    ### END SOLUTION
