# "Learning PyTorch with Examples" — PyTorch: nn and PyTorch: optim
# (beginner_source/examples_nn/polynomial_nn.py, polynomial_optim.py), with Adam as in the
# torch.optim docs, and the torch.utils.data.random_split docs example.
# The weights start from fixed values so that both libraries follow the same path.
# Lines marked "# parity: random" print numbers whose last digits depend on float32 rounding.
import math

import torch

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
print(xx.shape)

model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1)
)
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[0.1, -0.2, 0.05]]))
    model[0].bias.fill_(0.0)
loss_fn = torch.nn.MSELoss(reduction='sum')
print(loss_fn)

learning_rate = 1e-3
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
print(optimizer)
for t in range(2000):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 500 == 99:
        print(t, round(loss.item(), 1))  # parity: random
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

linear_layer = model[0]
print(f'Result: y = {linear_layer.bias.item():.2f} + {linear_layer.weight[:, 0].item():.2f} x + '
      f'{linear_layer.weight[:, 1].item():.2f} x^2 + {linear_layer.weight[:, 2].item():.2f} x^3')
print(loss.grad_fn)

# torch.nn.functional.mse_loss, mean reduction
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
b = torch.tensor([[1.5, 2.0], [2.0, 5.0]])
m = torch.nn.functional.mse_loss(a, b)
m.backward()
print(m, a.grad)

# torch.utils.data.random_split (docs example)
from torch.utils.data import random_split

train, test = random_split(range(10), [3, 7], generator=torch.Generator().manual_seed(42))
print(len(train), len(test), type(train).__name__)
parts = random_split(range(30), [0.3, 0.3, 0.4], generator=torch.Generator().manual_seed(42))
print([len(s) for s in parts])
