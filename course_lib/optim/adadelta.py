"""``optim.Adadelta``: steps scaled by the ratio of running RMS of updates and of gradients.

``optim.Adadelta``：用更新量与梯度的滑动均方根之比来缩放步长。
"""
from __future__ import annotations

import course_lib as torch

from ..nn import _glue as G
from ._checks import check_eps, check_lr, check_weight_decay
from .optimizer import Optimizer

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_eps(eps)
        check_weight_decay(weight_decay)
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        with torch.no_grad():
            for group in self.param_groups:
                lr, rho, eps, wd = group["lr"], group["rho"], group["eps"], group["weight_decay"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = G.scalar_tensor(0.0)
                        state["square_avg"] = G.zeros_like(p)
                        state["acc_delta"] = G.zeros_like(p)
                    state["step"].add_(1)
                    g = -p.grad if group["maximize"] else p.grad
                    if wd != 0:
                        g = g.add(p, alpha=wd)
                    sq, acc = state["square_avg"], state["acc_delta"]
                    sq.mul_(rho).addcmul_(g, g, value=1 - rho)
                    delta = acc.add(eps).sqrt_().div_(sq.add(eps).sqrt_()).mul_(g)
                    acc.mul_(rho).addcmul_(delta, delta, value=1 - rho)
                    p.add_(delta, alpha=-lr)
        return loss
