"""``optim.SGD``: stochastic gradient descent with momentum, dampening, Nesterov, weight decay.

``optim.SGD``：带动量、阻尼、Nesterov 与权重衰减的随机梯度下降，每一步与 torch 完全一致。
"""
from __future__ import annotations

import course_lib as torch  # the solution region is written as a student writes it

from ..exercises import exercise
from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach,
                        differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    @exercise("06_training", "sgd_step", key="course_lib.optim.SGD.step")
    def step(self, closure=None):
        """One SGD update of every parameter that has a gradient. 对每个有梯度的参数做一次更新。

        For each parameter p with gradient g (same shape as p) in each group:
          g ← -g if maximize;  g ← g + weight_decay·p
          if momentum ≠ 0:  buf ← g (first step) else buf ← momentum·buf + (1 − dampening)·g
                            g ← g + momentum·buf if nesterov else buf
          p ← p − lr·g        (in place, under no_grad; buf kept in self.state[p]["momentum_buffer"])
        Returns closure() if a closure is given, else None.
        """
        loss = self._closure(closure)  # closure() with grad enabled, or None
        ### BEGIN SOLUTION
        with torch.no_grad():
            for group in self.param_groups:
                lr, momentum = group["lr"], group["momentum"]
                dampening, weight_decay = group["dampening"], group["weight_decay"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = -p.grad if group["maximize"] else p.grad
                    if weight_decay != 0:
                        g = g.add(p, alpha=weight_decay)
                    if momentum != 0:
                        state = self.state[p]
                        buf = state.get("momentum_buffer")
                        if buf is None:
                            buf = state["momentum_buffer"] = g.clone().detach()
                        else:
                            buf.mul_(momentum).add_(g, alpha=1 - dampening)
                        g = g.add(buf, alpha=momentum) if group["nesterov"] else buf
                    p.add_(g, alpha=-lr)
        ### END SOLUTION
        return loss
