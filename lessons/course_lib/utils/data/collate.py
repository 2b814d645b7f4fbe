"""Collation: turn a list of samples into one batch (``default_collate``, ``default_convert``).

整理函数：把若干样本合成一个批次。张量 → 沿新维度 0 堆叠；numpy 数组 → 张量后堆叠；
float → float64 张量；int → int64 张量；str 原样成列表；dict/tuple/list 按位置递归。
"""
from __future__ import annotations

import collections.abc as abc

import numpy as np

from ...exercises import exercise
from ...nn import _glue as G

__all__ = ["default_collate", "default_convert"]

_ERR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        "found {}")


def _np_ok(a):
    if a.dtype.kind in "OSUV":
        raise TypeError(_ERR.format(a.dtype))


def _collate(batch):
    """DataLoader's own collate (private: it must work before the exercise is done)."""
    elem = batch[0]
    if isinstance(elem, G.Tensor):
        return G.stack(batch)
    if isinstance(elem, (np.ndarray, np.generic)) and not isinstance(elem, (np.str_, np.bytes_)):
        _np_ok(np.asarray(elem))
        return G.from_host(np.stack([np.asarray(b) for b in batch]))
    if isinstance(elem, float):
        return G.tensor(batch, G.float64)
    if isinstance(elem, int):
        return G.tensor(batch, None)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, abc.Mapping):
        out = {k: _collate([d[k] for d in batch]) for k in elem}
        try:
            return type(elem)(out)
        except TypeError:
            return out
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(_collate(s) for s in zip(*batch)))
    if isinstance(elem, abc.Sequence):
        if any(len(e) != len(elem) for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        cols = [_collate(s) for s in zip(*batch)]
        if isinstance(elem, tuple):
            return cols
        try:
            return type(elem)(cols)
        except TypeError:
            return cols
    raise TypeError(_ERR.format(type(elem)))


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
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook


def default_convert(data):
    """Without batching: numpy arrays become tensors, containers are walked, the rest is kept."""
    if isinstance(data, np.ndarray) and data.dtype.kind not in "OSUV":
        return G.as_tensor(data)
    if isinstance(data, abc.Mapping):
        return {k: default_convert(v) for k, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, list):
        return [default_convert(d) for d in data]
    return data
