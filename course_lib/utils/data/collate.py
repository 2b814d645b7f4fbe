"""Collation: turn a list of samples into one batch (``default_collate``, ``default_convert``).

整理函数：把若干样本合成一个批次。张量 → 沿新维度 0 堆叠；numpy 数组 → 张量后堆叠；
float → float64 张量；int → int64 张量；str 原样成列表；dict/tuple/list 按位置递归。
"""
from __future__ import annotations

import collections.abc

import numpy as np

import course_lib as torch  # the solution region is written as a student writes it

from ...exercises import exercise

__all__ = ["default_collate", "default_convert"]

_ERR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        "found {}")


@exercise("06_training", "default_collate", key="course_lib.utils.data.default_collate")
def default_collate(batch):
    """Merge a list of samples into a batch (recursively, by the type of ``batch[0]``).

    把样本列表合成一个批次（按 ``batch[0]`` 的类型递归）：
      Tensor           → torch.stack(batch)：形状 (B, *sample_shape)
      numpy 数组/标量   → 先 torch.as_tensor，再堆叠
      float / int      → torch.tensor(batch)：float64 / int64，形状 (B,)
      str / bytes      → 原样返回列表
      dict             → {key: default_collate([d[key] for d in batch])}
      namedtuple       → 同类型，逐字段整理
      tuple / list     → 各位置分别整理，返回 list（长度不一致 → RuntimeError）
      其他             → TypeError
    Tensors are stacked on a new dim 0; numbers become float64/int64 tensors; strings stay a
    list; dicts and sequences are collated position by position (a tuple gives a list).
    """
    ### BEGIN SOLUTION
    elem = batch[0]
    if isinstance(elem, torch.Tensor):
        return torch.stack(batch)
    if isinstance(elem, (np.ndarray, np.generic)) and not isinstance(elem, (np.str_, np.bytes_)):
        if np.asarray(elem).dtype.kind in "OSUV":  # object / string arrays
            raise TypeError(_ERR.format(np.asarray(elem).dtype))
        return torch.stack([torch.from_numpy(np.asarray(b)) for b in batch])
    if isinstance(elem, float):
        return torch.tensor(batch, dtype=torch.float64)
    if isinstance(elem, int):
        return torch.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        if any(len(e) != len(elem) for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(samples) for samples in zip(*batch)]
    raise TypeError(_ERR.format(type(elem)))
    ### END SOLUTION


def default_convert(data):
    """Without batching: numpy arrays become tensors, containers are walked, the rest is kept."""
    if isinstance(data, np.ndarray) and data.dtype.kind not in "OSUV":
        return torch.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return {k: default_convert(v) for k, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, list):
        return [default_convert(d) for d in data]
    return data
