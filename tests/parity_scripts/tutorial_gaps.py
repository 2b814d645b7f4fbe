# Five tutorial patterns that once failed on course_lib (issue 15), as the pages write them:
# the nll of "What is torch.nn really?" (beginner_source/nn_tutorial.py: input[range(n), target]),
# the one-hot Lambda of "Learn the Basics" — Transforms (scatter_ with a 0-d index), the older
# device choice of "Build the model" (torch.backends.mps), set_default_device / get_default_device
# with ``with torch.device(...)``, and the pre-0.4 autograd tutorial's Variable.
# Digits (lb_vision) stand in for MNIST / FashionMNIST; nn_tutorial's random weights are replaced
# by fixed ones so that both libraries take the same path.
# Lines marked "# parity: random" print numbers whose last digits depend on float32 rounding.
import math

import numpy as np
import torch
from torch.autograd import Variable

from lb_vision import _digits, datasets, transforms

ToTensor, Lambda = transforms.ToTensor, transforms.Lambda

# ---- Learn the Basics — Transforms
ds = datasets.FashionMNIST(
    root="data",
    train=True,
    download=True,
    transform=ToTensor(),
    target_transform=Lambda(lambda y: torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(y), value=1))
)
img, label = ds[0]
print(img.shape, img.dtype)
print(label)
print([ds[i][1].argmax().item() for i in range(8)])

# ---- Build the model: the older device choice, and the cuDNN switches tutorials set
device = (
    "cuda"
    if torch.cuda.is_available()
    else "mps"
    if torch.backends.mps.is_available()
    else "cpu"
)
print(f"Using {device} device")
print(torch.backends.mps.is_built(), torch.backends.cudnn.is_available(), torch.backends.cudnn.version())
torch.backends.cudnn.benchmark = True
torch.backends.cudnn.deterministic = True
print(torch.backends.cudnn.benchmark, torch.backends.cudnn.deterministic, torch.backends.cuda.matmul.allow_tf32)

# ---- set_default_device (the torch.set_default_device docs), on the cpu
print(torch.get_default_device())
torch.set_default_device("cpu")
print(torch.get_default_device(), torch.zeros(2).device)
with torch.device("cpu"):
    print(torch.tensor([1.0]).device, torch.get_default_device())
torch.set_default_device(None)

# ---- What is torch.nn really? — neural net from scratch
x_train, y_train = _digits(True)
x_train = x_train.reshape(-1, 64).astype(np.float32) / 255
x_train, y_train = map(torch.tensor, (x_train, y_train))
n, c = x_train.shape
print(x_train.shape, y_train.min(), y_train.max())

weights = torch.linspace(-1, 1, 64 * 10).reshape(10, 64).t().contiguous() / math.sqrt(64)
weights.requires_grad_()
bias = torch.zeros(10, requires_grad=True)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


bs = 64  # batch size

xb = x_train[0:bs]  # a mini-batch from x
preds = model(xb)  # predictions
print(preds[0], preds.shape)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


loss_func = nll

yb = y_train[0:bs]
print(loss_func(preds, yb))


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


print(accuracy(preds, yb))
loss = loss_func(preds, yb)
loss.backward()
print(bias.grad)
print(weights.grad.abs().sum())  # parity: random
weights.grad.zero_()
bias.grad.zero_()

lr = 0.5  # learning rate
epochs = 2  # how many epochs to train for

for epoch in range(epochs):
    for i in range((n - 1) // bs + 1):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()

print(loss_func(model(xb), yb), accuracy(model(xb), yb))  # parity: random

# ---- the pre-0.4 autograd tutorial: Variable
x = Variable(torch.ones(2, 2), requires_grad=True)
print(x)
y = x + 2
print(y)
print(y.grad_fn)
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)
print(isinstance(x, Variable), type(Variable(torch.ones(1))))
