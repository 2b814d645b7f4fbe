"""``optim.RAdam``: Adam whose adaptive step is switched on (and rectified) only once the
variance of the second-moment estimate is tractable (ρ_t > 5).

``optim.RAdam``：修正的 Adam——二阶矩估计方差可控（ρ_t > 5）后才使用自适应步长。
"""
from __future__ import annotations

import course_lib as torch

from ..nn import _glue as G
from ._checks import check_betas, check_eps, check_lr, check_weight_decay
from .optimizer import Optimizer

__all__ = ["RAdam"]


class RAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        check_lr(lr)
        check_eps(eps)
        check_betas(betas)
        check_weight_decay(weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        with torch.no_grad():
            for group in self.param_groups:
                (b1, b2), lr, wd = group["betas"], group["lr"], group["weight_decay"]
                rho_inf = 2 / (1 - b2) - 1
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if not state:
                        state["step"] = G.scalar_tensor(0.0)
                        state["exp_avg"] = G.zeros_like(p)
                        state["exp_avg_sq"] = G.zeros_like(p)
                    g = p.grad.neg() if group["maximize"] else p.grad
                    t = state["step"].add_(1).item()
                    if wd and group["decoupled_weight_decay"]:
                        p.mul_(1 - lr * wd)
                    elif wd:
                        g = g + wd * p
                    # first and second moments: b·old + (1 − b)·new
                    m = state["exp_avg"].mul_(b1).add_(g, alpha=1 - b1)
                    v = state["exp_avg_sq"].mul_(b2).add_(g * g, alpha=1 - b2)
                    corrected = m / (1 - b1 ** t)
                    bc2 = 1 - b2 ** t
                    rho_t = rho_inf - 2 * t * (b2 ** t) / bc2
                    if rho_t > 5.0:
                        rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                                / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                        adaptive = (bc2 ** 0.5) / v.sqrt().add_(group["eps"])
                        p.add_(corrected * lr * adaptive * rect, alpha=-1.0)
                    else:
                        p.add_(corrected * lr, alpha=-1.0)
        return loss
