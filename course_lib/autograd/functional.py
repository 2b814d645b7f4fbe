"""``autograd.functional``: ``jacobian`` and ``hessian`` of a function, as torch's.

雅可比矩阵与黑塞矩阵。Both are rows of reverse-mode gradients: ``jacobian`` asks
``autograd.grad`` once per output element; ``hessian`` is the jacobian of the gradient, which
``create_graph=True`` makes differentiable.
"""
from __future__ import annotations

import course_lib as torch

__all__ = ["jacobian", "hessian", "vjp"]


def _tuple(x):
    return (tuple(x), True) if isinstance(x, (tuple, list)) else ((x,), False)


def _grad_inputs(inputs, create_graph):
    return tuple(x if create_graph and x.requires_grad else x.detach().requires_grad_()
                 for x in inputs)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), vᵀ·J)``. 向量-雅可比积。"""
    ins, is_tuple = _tuple(inputs)
    with torch.enable_grad():
        xs = _grad_inputs(ins, create_graph)
        out = func(*xs)
        outs, out_tuple = _tuple(out)
        vs = _tuple(v)[0] if v is not None else None
        gs = torch.autograd.grad(outs, xs, vs, create_graph=create_graph, allow_unused=True)
    gs = tuple(torch.zeros_like(x) if g is None else g for g, x in zip(gs, xs))
    res = tuple(o if create_graph else o.detach() for o in outs)
    return (res if out_tuple else res[0]), (gs if is_tuple else gs[0])


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: shape ``output.shape + input.shape`` (tuples of
    them for tuple inputs/outputs, as torch). 函数在 ``inputs`` 处的雅可比矩阵。"""
    if strategy != "reverse-mode":
        raise NotImplementedError(
            "course_lib 只实现了反向模式的 jacobian。\n"
            "course_lib implements jacobian with strategy='reverse-mode' only.")
    ins, is_tuple = _tuple(inputs)
    with torch.enable_grad():
        xs = _grad_inputs(ins, create_graph)
        outs, out_tuple = _tuple(func(*xs))
        rows = []  # rows[k][i]: d out_k / d in_i
        for y in outs:
            flat = y.reshape(-1)
            per_in = [[] for _ in xs]
            for m in range(flat.numel()):
                gs = (torch.autograd.grad(flat[m], xs, retain_graph=True,
                                          create_graph=create_graph, allow_unused=True)
                      if flat.requires_grad else (None,) * len(xs))
                for i, (g, x) in enumerate(zip(gs, xs)):
                    per_in[i].append(torch.zeros_like(x) if g is None else g)
            rows.append(tuple(
                (torch.stack(p) if p else torch.zeros(0, *x.shape, dtype=x.dtype))
                .reshape(*y.shape, *x.shape) for p, x in zip(per_in, xs)))
    if not create_graph:
        rows = [tuple(j.detach() for j in r) for r in rows]
    if out_tuple:
        return tuple(r if is_tuple else r[0] for r in rows)
    return rows[0] if is_tuple else rows[0][0]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar ``func`` at ``inputs`` (the jacobian of its gradient).
    标量函数的黑塞矩阵（梯度的雅可比矩阵）。"""
    ins, is_tuple = _tuple(inputs)

    def gradient(*xs):
        y = func(*xs)
        if y.numel() != 1:
            raise RuntimeError("The function given to hessian should return a single element "
                               "Tensor")
        gs = torch.autograd.grad(y.reshape(()), xs, create_graph=True, allow_unused=True)
        return tuple(torch.zeros_like(x) if g is None else g for g, x in zip(gs, xs))

    res = jacobian(gradient, ins, create_graph=create_graph, strategy=outer_jacobian_strategy)
    return res if is_tuple else res[0][0]
