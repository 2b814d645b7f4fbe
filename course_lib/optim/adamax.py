"""``optim.Adamax``: Adam with the infinity norm in place of the second moment.

``optim.Adamax``：以无穷范数代替二阶矩的 Adam 变体。
"""
from __future__ import annotations

import course_lib as torch

from ..nn import _glue as G
from ._checks import check_betas, check_eps, check_lr, check_weight_decay
from .optimizer import Optimizer

__all__ = ["Adamax"]


class Adamax(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        check_lr(lr)
        check_eps(eps)
        check_betas(betas)
        check_weight_decay(weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        with torch.no_grad():
            for group in self.param_groups:
                (b1, b2), lr = group["betas"], group["lr"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = G.scalar_tensor(0.0)
                        state["exp_avg"] = G.zeros_like(p)
                        state["exp_inf"] = G.zeros_like(p)
                    state["step"].add_(1)
                    g = -p.grad if group["maximize"] else p.grad
                    if group["weight_decay"] != 0:
                        g = g.add(p, alpha=group["weight_decay"])
                    m = state["exp_avg"].mul_(b1).add_(g, alpha=1 - b1)
                    u = state["exp_inf"]
                    u.copy_(torch.maximum(u.mul_(b2), g.abs().add_(group["eps"])))
                    clr = lr / (1 - b1 ** state["step"].item())
                    p.addcdiv_(m, u, value=-clr)
        return loss
