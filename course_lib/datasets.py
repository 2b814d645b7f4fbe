"""``course_lib.datasets.Digits``: scikit-learn's bundled 8×8 handwritten digits as a Dataset.

课程专用（torch 没有这个模块）：scikit-learn 自带的 8×8 手写数字数据集，离线可用、不下载。
1797 images, a fixed split (numpy PCG64 seed 0 permutation; the last 360 are the test set):
1437 train / 360 test. Each sample is ``(image, label)``: image a float32 tensor (1, 8, 8) in
[0, 1] (pixel / 16), label an ``int`` 0–9, like torchvision's MNIST.
"""
from __future__ import annotations

import numpy as np

from .utils.data.dataset import Dataset

__all__ = ["Digits"]

N_TEST = 360
_cache = {}


def _arrays():
    if "all" not in _cache:
        from sklearn.datasets import load_digits

        d = load_digits()
        x = (d.images.astype(np.float32) / np.float32(16.0)).reshape(-1, 1, 8, 8)
        y = d.target.astype(np.int64)
        order = np.random.default_rng(0).permutation(len(y))
        _cache["all"] = (np.ascontiguousarray(x[order]), np.ascontiguousarray(y[order]))
    return _cache["all"]


class Digits(Dataset):
    """Digits(train=True, transform=None, target_transform=None). 手写数字数据集。"""

    classes = [str(i) for i in range(10)]

    def __init__(self, train=True, transform=None, target_transform=None):
        from ._tensor import _wrap

        x, y = _arrays()
        sl = slice(0, len(y) - N_TEST) if train else slice(len(y) - N_TEST, None)
        self.train = train
        self.data = _wrap(x[sl].copy())
        self.targets = _wrap(y[sl].copy())
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return self.targets._data.shape[0]

    def __getitem__(self, index):
        from ._tensor import _wrap

        img = _wrap(self.data._data[index])
        label = int(self.targets._data[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return img, label

    def __repr__(self):
        split = "Train" if self.train else "Test"
        return (f"Dataset Digits\n    Number of datapoints: {len(self)}\n    Split: {split}\n"
                "    Source: sklearn.datasets.load_digits (bundled, offline)")
