"""Gradient clipping, as ``torch.nn.utils.clip_grad``. 梯度裁剪。

``clip_grad_norm_`` scales every gradient by ``min(1, max_norm / (‖g‖ + 1e-6))``, where ‖g‖ is
the norm of all gradients together (the norm of the per-tensor norms); it returns ‖g‖ before
clipping, a tensor. ``clip_grad_value_`` clamps each gradient element to ±clip_value. Both
change ``.grad`` in place and build no graph (like torch, under no_grad).
"""
from __future__ import annotations


from ..._backend import xp_of

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _grads(parameters):
    from ..._tensor import Tensor
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Scale the gradients so that their total ``norm_type`` norm is at most ``max_norm``."""
    from ..._tensor import _wrap
    from ...autograd.grad_mode import no_grad
    grads = _grads(parameters)
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not grads:
        from ..._creation import tensor
        return tensor(0.0)
    from ..._ops.reduce import norm
    from ..._ops.shape import stack
    xp = xp_of(grads[0]._data)
    with no_grad():
        total = norm(stack([norm(g, norm_type) for g in grads]), norm_type)._data
    if error_if_nonfinite and not bool(xp.isfinite(total)):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` "
                           "is non-finite, so it cannot be clipped. To disable this error and "
                           "scale the gradients by the non-finite norm anyway, set "
                           "`error_if_nonfinite=False`")
    coef = min(max_norm / (total + 1e-6), 1.0) if bool(xp.isfinite(total)) else \
        max_norm / (total + 1e-6)
    with no_grad():
        for g in grads:
            g._data *= xp.asarray(coef, dtype=g._data.dtype)
            g._ver[0] += 1
    return _wrap(xp.asarray(total))


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element to ``[-clip_value, clip_value]`` (in place)."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        xp = xp_of(g._data)
        xp.clip(g._data, -clip_value, clip_value, out=g._data)
        g._ver[0] += 1
