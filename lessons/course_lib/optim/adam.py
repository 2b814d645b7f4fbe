"""``optim.Adam`` (and the shared Adam/AdamW update): adaptive moment estimation.

``optim.Adam``：自适应矩估计；与 torch 逐步一致（含 amsgrad、maximize、weight_decay）。
"""
from __future__ import annotations

from ..exercises import exercise
from ..nn import _glue as G
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
        raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook
