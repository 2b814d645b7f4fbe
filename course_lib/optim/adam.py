"""``optim.Adam`` (and the shared Adam/AdamW update): adaptive moment estimation.

``optim.Adam``：自适应矩估计；与 torch 逐步一致（含 amsgrad、maximize、weight_decay）。
"""
from __future__ import annotations

import course_lib as torch  # the solution region is written as a student writes it

from ..exercises import exercise
from .optimizer import Optimizer

__all__ = ["Adam"]


def _check(lr, betas, eps, weight_decay):
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        _check(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    @exercise("06_training", "adam_step", key="course_lib.optim.Adam.step")
    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient. 一次 Adam 更新。

        Per parameter p (gradient g, same shape), state: step t, exp_avg m, exp_avg_sq v:
          t ← t + 1;  g ← -g if maximize
          weight decay: p ← p·(1 − lr·wd) if decoupled (AdamW) else g ← g + wd·p
          m ← m + (1 − β1)(g − m)  (lerp)   v ← β2·v + (1 − β2)·g²
          (amsgrad: v_max ← max(v_max, v), used instead of v)
          p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)
        """
        loss = self._closure(closure)  # closure() with grad enabled, or None
        ### BEGIN SOLUTION
        with torch.no_grad():
            for group in self.param_groups:
                beta1, beta2 = group["betas"]
                lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = -p.grad if group["maximize"] else p.grad
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = torch.tensor(0.0)
                        state["exp_avg"] = torch.zeros_like(p)
                        state["exp_avg_sq"] = torch.zeros_like(p)
                        if group["amsgrad"]:
                            state["max_exp_avg_sq"] = torch.zeros_like(p)
                    state["step"] += 1
                    t = state["step"].item()
                    if wd != 0:
                        if group["decoupled_weight_decay"]:
                            p.mul_(1 - lr * wd)
                        else:
                            g = g.add(p, alpha=wd)
                    m, v = state["exp_avg"], state["exp_avg_sq"]
                    m.lerp_(g, 1 - beta1)
                    v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                    if group["amsgrad"]:
                        v = state["max_exp_avg_sq"]
                        v.copy_(torch.maximum(v, state["exp_avg_sq"]))
                    step_size = lr / (1 - beta1 ** t)
                    denom = (v.sqrt() / (1 - beta2 ** t) ** 0.5).add_(eps)
                    p.addcdiv_(m, denom, value=-step_size)
        ### END SOLUTION
        return loss
