"""A tiny stand-in for the parts of torchvision that the "Learn the Basics" pages use.

torchvision 不在环境中（也不能下载数据）：本模块用 scikit-learn 自带的 8×8 手写数字代替
FashionMNIST，用一个小型 VGG 风格网络代替 vgg16。它只用 ``import torch``，所以在真正的
torch 与 ``course_lib``（作为 torch 注入）下行为相同。
torchvision is absent and nothing may be downloaded: scikit-learn's bundled 8×8 digits stand in
for FashionMNIST (same fixed split as course_lib.datasets.Digits: 1437 train / 360 test) and a
small VGG-style network for vgg16. It uses only ``import torch``, so it behaves the same under
real torch and under course_lib injected as torch.
"""
import numpy as np
import torch
from torch import nn


class transforms:
    class ToTensor:
        """uint8 (H, W) image → float32 tensor (1, H, W) in [0, 1]."""

        def __call__(self, pic):
            return torch.tensor(pic[None].astype(np.float32) / np.float32(255.0))

    class Lambda:
        def __init__(self, fn):
            self.fn = fn

        def __call__(self, x):
            return self.fn(x)


ToTensor = transforms.ToTensor


def _digits(train):
    from sklearn.datasets import load_digits

    d = load_digits()
    order = np.random.default_rng(0).permutation(len(d.target))
    img = np.round(d.images[order] * (255.0 / 16.0)).astype(np.uint8)
    lab = d.target[order].astype(np.int64)
    return (img[:-360], lab[:-360]) if train else (img[-360:], lab[-360:])


class datasets:
    class FashionMNIST:
        """Signature of torchvision's FashionMNIST; data: 8×8 digits (root/download ignored)."""

        def __init__(self, root="data", train=True, download=False, transform=None,
                     target_transform=None):
            self.data, self.targets = _digits(train)
            self.transform, self.target_transform = transform, target_transform

        def __len__(self):
            return len(self.targets)

        def __getitem__(self, i):
            img, label = self.data[i], int(self.targets[i])
            if self.transform is not None:
                img = self.transform(img)
            if self.target_transform is not None:
                label = self.target_transform(label)
            return img, label


class models:
    class VGG(nn.Module):
        """VGG layout (features → avgpool → classifier) scaled down to 1×8×8 inputs."""

        def __init__(self, num_classes=10):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(inplace=True),
                nn.Conv2d(16, 16, kernel_size=3, padding=1), nn.ReLU(inplace=True),
                nn.MaxPool2d(kernel_size=2, stride=2),
                nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(inplace=True),
                nn.MaxPool2d(kernel_size=2, stride=2))
            self.avgpool = nn.Identity()
            self.classifier = nn.Sequential(
                nn.Linear(32 * 2 * 2, 64), nn.ReLU(True), nn.Dropout(p=0.5),
                nn.Linear(64, num_classes))

        def forward(self, x):
            x = self.avgpool(self.features(x))
            return self.classifier(torch.flatten(x, 1))

    @staticmethod
    def vgg16(weights=None):
        """Pretrained weights cannot be downloaded: ``weights`` only fixes the seed."""
        if weights is not None:
            torch.manual_seed(0)
        return models.VGG()
