"""``optim.Adagrad``: per-coordinate step sizes that shrink with the sum of squared gradients.

``optim.Adagrad``：按坐标累积梯度平方和来缩小步长（与 torch 逐步一致）。
"""
from __future__ import annotations

import course_lib as torch

from ..nn import _glue as G
from ._checks import check_eps, check_lr, check_weight_decay
from .optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_lr(lr)
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        check_weight_decay(weight_decay)
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        check_eps(eps)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:  # torch makes the state at construction
            for p in group["params"]:
                state = self.state[p]
                state["step"] = G.scalar_tensor(0.0)
                state["sum"] = torch.full_like(p.detach(), group["initial_accumulator_value"])

    def step(self, closure=None):
        loss = self._closure(closure)
        with torch.no_grad():
            for group in self.param_groups:
                lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    state["step"].add_(1)
                    step = state["step"].item()
                    g = -p.grad if group["maximize"] else p.grad
                    if wd != 0:
                        g = g.add(p, alpha=wd)
                    clr = lr / (1 + (step - 1) * group["lr_decay"])
                    state["sum"].addcmul_(g, g, value=1)
                    p.addcdiv_(g, state["sum"].sqrt().add_(eps), value=-clr)
        return loss
