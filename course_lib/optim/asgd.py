"""``optim.ASGD``: averaged SGD — plain SGD steps with a decaying rate η_t, plus a running
average ``ax`` of the iterates (from step t0 on).

``optim.ASGD``：平均随机梯度下降——SGD 步长 η_t 逐步衰减，并维护参数的滑动平均 ax。
"""
from __future__ import annotations

import course_lib as torch

from ..nn import _glue as G
from ._checks import check_lr, check_weight_decay
from .optimizer import Optimizer

__all__ = ["ASGD"]


class ASGD(Optimizer):
    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        check_lr(lr)
        check_weight_decay(weight_decay)
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, capturable=capturable,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        with torch.no_grad():
            for group in self.param_groups:
                lr, lambd, alpha, t0 = group["lr"], group["lambd"], group["alpha"], group["t0"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = G.scalar_tensor(0.0)
                        state["eta"] = G.scalar_tensor(lr).to(p.device)
                        state["mu"] = G.scalar_tensor(1.0)
                        state["ax"] = G.zeros_like(p)
                    state["step"].add_(1)
                    g = -p.grad if group["maximize"] else p.grad
                    if group["weight_decay"] != 0:
                        g = g.add(p, alpha=group["weight_decay"])
                    eta = state["eta"].item()
                    p.mul_(1 - lambd * eta)
                    p.add_(g, alpha=-eta)
                    ax, mu = state["ax"], state["mu"]
                    if mu.item() != 1:
                        ax.add_(p.sub(ax).mul_(mu))
                    else:
                        ax.copy_(p)
                    t = state["step"].item()
                    state["eta"].copy_(torch.as_tensor(lr / ((1 + lambd * lr * t) ** alpha)))
                    state["mu"].copy_(torch.as_tensor(1 / max(1, t - t0)))
        return loss
