"""``optim.NAdam``: Adam with Nesterov momentum (and a momentum schedule μ_t).

``optim.NAdam``：带 Nesterov 动量（及动量衰减计划 μ_t）的 Adam。
"""
from __future__ import annotations

import course_lib as torch

from ..nn import _glue as G
from ._checks import check_betas, check_eps, check_lr, check_weight_decay
from .optimizer import Optimizer

__all__ = ["NAdam"]


class NAdam(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        check_lr(lr)
        check_eps(eps)
        check_betas(betas)
        check_weight_decay(weight_decay)
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        with torch.no_grad():
            for group in self.param_groups:
                (b1, b2), lr, wd = group["betas"], group["lr"], group["weight_decay"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if not state:
                        state["step"] = G.scalar_tensor(0.0)
                        state["mu_product"] = G.scalar_tensor(1.0)
                        state["exp_avg"] = G.zeros_like(p)
                        state["exp_avg_sq"] = G.zeros_like(p)
                    g = p.grad.neg() if group["maximize"] else p.grad
                    t = state["step"].add_(1).item()
                    if wd and group["decoupled_weight_decay"]:
                        p.mul_(1 - lr * wd)
                    elif wd:
                        g = g + wd * p
                    decay = group["momentum_decay"]
                    mu = b1 * (1.0 - 0.5 * (0.96 ** (t * decay)))
                    mu_next = b1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * decay)))
                    state["mu_product"].mul_(mu)
                    prod = state["mu_product"].item()
                    # first and second moments: b·old + (1 − b)·new
                    m = state["exp_avg"].mul_(b1).add_(g, alpha=1 - b1)
                    v = state["exp_avg_sq"].mul_(b2).add_(g * g, alpha=1 - b2)
                    denom = v.div(1 - b2 ** t).sqrt().add_(group["eps"])
                    p.addcdiv_(g, denom, value=-lr * (1.0 - mu) / (1.0 - prod))
                    p.addcdiv_(m, denom, value=(-lr * mu_next) / (1.0 - prod * mu_next))
        return loss
