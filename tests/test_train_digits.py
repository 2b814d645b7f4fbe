"""Acceptance: real training on the offline digits set reaches ≥ 97 % test accuracy, quickly."""
import time

import pytest

import course_lib as torch  # the code below is plain PyTorch
from course_lib.datasets import Digits
from course_lib.utils.data import DataLoader


def accuracy(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += int((model(x).argmax(1) == y).sum())
            total += len(y)
    return correct / total


def fit(model, opt, epochs, seed):
    g = torch.Generator().manual_seed(seed)
    train = DataLoader(Digits(train=True), batch_size=32, shuffle=True, generator=g)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(epochs):
        model.train()
        for x, y in train:
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()
    return accuracy(model, DataLoader(Digits(train=False), batch_size=256))


@pytest.mark.slow
def test_mlp_reaches_97_percent_fast():
    torch.manual_seed(0)
    t0 = time.perf_counter()
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 128), torch.nn.ReLU(),
                                torch.nn.Dropout(0.1), torch.nn.Linear(128, 10))
    acc = fit(model, torch.optim.Adam(model.parameters(), lr=3e-3), epochs=15, seed=0)
    elapsed = time.perf_counter() - t0
    assert acc >= 0.97, acc
    assert elapsed < 20, elapsed


@pytest.mark.slow
def test_small_cnn_reaches_97_percent():
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(32 * 2 * 2, 10))
    acc = fit(model, torch.optim.Adam(model.parameters(), lr=3e-3), epochs=10, seed=1)
    assert acc >= 0.97, acc
