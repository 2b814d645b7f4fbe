"""Gradient clipping, as ``torch.nn.utils.clip_grad``. 梯度裁剪。

``clip_grad_norm_`` scales every gradient by ``min(1, max_norm / (‖g‖ + 1e-6))``, where ‖g‖ is
the norm of all gradients together (the norm of the per-tensor norms, ``get_total_norm``; the
scaling is ``clip_grads_with_norm_``); it returns ‖g‖ before clipping, a tensor. ``clip_grad_value_`` clamps each gradient element to ±clip_value. Both
change ``.grad`` in place and build no graph (like torch, under no_grad).
"""
from __future__ import annotations


from ..._backend import xp_of

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_"]


def _grads(parameters):
    from ..._tensor import Tensor
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The ``norm_type`` norm of several tensors taken together (the norm of their norms);
    pass gradients: ``get_total_norm([p.grad for p in model.parameters()])``.
    多个张量合在一起的范数（各自范数的范数）。"""
    from ..._creation import tensor
    from ..._ops.reduce import vector_norm
    from ..._ops.shape import stack
    from ..._tensor import Tensor
    from ...autograd.grad_mode import no_grad
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return tensor(0.0)
    with no_grad():
        total = vector_norm(stack([vector_norm(t, norm_type) for t in tensors]), norm_type)
    if error_if_nonfinite and not bool(xp_of(total._data).isfinite(total._data)):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` "
                           "is non-finite, so it cannot be clipped. To disable this error and "
                           "scale the gradients by the non-finite norm anyway, set "
                           "`error_if_nonfinite=False`")
    return total


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the gradients by min(1, max_norm / (total_norm + 1e-6)) (in place), given their
    total norm from ``get_total_norm``. 按给定的总范数缩放梯度。"""
    grads = _grads(parameters)
    if not grads:
        return
    from ..._ops.pointwise import clamp
    from ...autograd.grad_mode import no_grad
    with no_grad():
        coef = clamp(float(max_norm) / (total_norm + 1e-6), max=1.0)
        for g in grads:
            g.mul_(coef.to(g.dtype))


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Scale the gradients so that their total ``norm_type`` norm is at most ``max_norm``;
    returns the total norm before clipping. 梯度范数裁剪。"""
    from ..._tensor import Tensor
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    parameters = list(parameters)
    total = get_total_norm(_grads(parameters), norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element to ``[-clip_value, clip_value]`` (in place)."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        xp = xp_of(g._data)
        xp.clip(g._data, -clip_value, clip_value, out=g._data)
        g._ver[0] += 1
