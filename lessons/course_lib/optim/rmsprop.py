"""``optim.RMSprop``: divide the gradient by a running root-mean-square of recent gradients.

``optim.RMSprop``：用近期梯度平方的滑动平均的平方根来缩放梯度（支持 centered 与 momentum）。
"""
from __future__ import annotations

from ..nn import _glue as G
from .optimizer import Optimizer

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._closure(closure)
        with G.no_grad():
            for group in self.param_groups:
                lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
                wd, momentum = group["weight_decay"], group["momentum"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = -p.grad if group["maximize"] else p.grad
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = G.scalar_tensor(0.0)
                        state["square_avg"] = G.zeros_like(p)
                        if momentum > 0:
                            state["momentum_buffer"] = G.zeros_like(p)
                        if group["centered"]:
                            state["grad_avg"] = G.zeros_like(p)
                    state["step"].add_(1)
                    if wd != 0:
                        g = g.add(p, alpha=wd)
                    sq = state["square_avg"]
                    sq.mul_(alpha).addcmul_(g, g, value=1 - alpha)
                    if group["centered"]:
                        ga = state["grad_avg"]
                        ga.lerp_(g, 1 - alpha)
                        avg = sq.addcmul(ga, ga, value=-1).sqrt_()
                    else:
                        avg = sq.sqrt()
                    avg = avg.add_(eps)
                    if momentum > 0:
                        buf = state["momentum_buffer"]
                        buf.mul_(momentum).addcdiv_(g, avg)
                        p.add_(buf, alpha=-lr)
                    else:
                        p.addcdiv_(g, avg, value=-lr)
        return loss
