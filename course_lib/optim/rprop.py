"""``optim.Rprop``: resilient backpropagation — only the gradient's sign counts; each weight's
step grows while the sign holds and shrinks when it flips.

``optim.Rprop``：弹性反向传播——只看梯度符号，符号不变时步长增大，翻转时减小。
"""
from __future__ import annotations

import course_lib as torch

from ..nn import _glue as G
from ._checks import check_lr
from .optimizer import Optimizer

__all__ = ["Rprop"]


class Rprop(Optimizer):
    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        with torch.no_grad():
            for group in self.param_groups:
                (minus, plus), (lo, hi) = group["etas"], group["step_sizes"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = G.scalar_tensor(0.0)
                        state["prev"] = G.zeros_like(p)
                        state["step_size"] = torch.full_like(p.grad, group["lr"])
                    state["step"].add_(1)
                    g = -p.grad if group["maximize"] else p.grad
                    prev, size = state["prev"], state["step_size"]
                    sign = g.mul(prev).sign()
                    factor = torch.ones_like(size).masked_fill_(sign > 0, plus) \
                        .masked_fill_(sign < 0, minus)
                    size.mul_(factor).clamp_(lo, hi)
                    g = torch.where(sign < 0, torch.zeros_like(g), g)  # a flip: no move now
                    p.addcmul_(g.sign(), size, value=-1)
                    prev.copy_(g)
        return loss
