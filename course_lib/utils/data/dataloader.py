"""``DataLoader``: iterate a dataset in (shuffled) mini-batches.

``DataLoader``：按（可打乱的）小批次遍历数据集。``generator=`` 让打乱可复现。
Iteration (``__iter__``) and collation (``default_collate``) are lesson-06 pieces: every batch
is made by them (samples fetched one by one, then collated), as torch's map-style fetcher does
for datasets without ``__getitems__`` (``TensorDataset`` has none in torch either).
"""
from __future__ import annotations

from ...exercises import exercise
from .collate import default_collate, default_convert
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader"]


class DataLoader:
    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers  # accepted; batches are always made in this process
        self.generator = generator
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        if collate_fn is None:
            collate_fn = (default_collate if batch_size is not None or batch_sampler is not None
                          else default_convert)
        self.collate_fn = collate_fn

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    def __len__(self):
        if self._auto_collation:
            return len(self.batch_sampler)
        return len(self.sampler)

    @exercise("06_training", "dataloader_iter", key="course_lib.utils.data.DataLoader.__iter__")
    def __iter__(self):
        """Yield the batches of one epoch. 产出一个 epoch 的所有批次。

        ``self.batch_sampler`` yields lists of indices (``batch_size`` of them, in the
        sampler's order: 0…n−1, or ``randperm(n, generator)`` with ``shuffle=True``; the last
        short one dropped with ``drop_last``); fetch those samples from ``self.dataset`` and
        merge them with ``self.collate_fn``. With ``batch_size=None`` (``batch_sampler`` is
        None) each index of ``self.sampler`` gives one sample, passed to ``collate_fn`` alone.
        ``batch_sampler`` 产出下标列表；取出这些样本，用 ``collate_fn`` 合成一个批次。
        """
        ### BEGIN SOLUTION
        if self.batch_sampler is None:
            for index in self.sampler:
                yield self.collate_fn(self.dataset[index])
            return
        for indices in self.batch_sampler:
            yield self.collate_fn([self.dataset[i] for i in indices])
        ### END SOLUTION

    def __repr__(self):
        return object.__repr__(self)
