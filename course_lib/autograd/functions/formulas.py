"""The backward formulas students write in lesson 04, as rows of PyTorch's derivatives.yaml.

第 04 课学生写的反向公式，对应 PyTorch derivatives.yaml 的各行。The graph nodes
(``AddBackward0``, ``MulBackward0``, ``MmBackward0``, ``AddmmBackward0``, ``ExpBackward0``,
``LogBackward0``, ``ReluBackward0``, ``SigmoidBackward0``, ``SumBackward0``) call them on arrays
(numpy, or cupy on a GPU); broadcast gradients are then summed back to each input's shape by
``Tensor.sum_to_size`` (the engine's step after every node, as torch's ``validate_outputs``).
The formulas use only operators, ``.T`` and ``xp``, so the same source runs on Tensors.
"""
from __future__ import annotations

from ...exercises import exercise

__all__ = ["binary_backward", "unary_backward"]


@exercise("04_autograd", "binary_backward", key="course_lib.autograd.functions.binary_backward")
def binary_backward(name, grad, a, b, needs_input_grad, alpha=1):
    """两输入运算的反向公式：已知 ``grad`` = ∂L/∂out，返回 ``(∂L/∂a, ∂L/∂b)``；
    ``needs_input_grad[i]`` 为 False 的输入返回 ``None``（不做多余的计算）。

    Gradients ``(grad_a, grad_b)`` of a two-input op from ``grad`` = ∂L/∂out; ``None`` for an
    input whose ``needs_input_grad[i]`` is False. ``name`` is the node's grad_fn name / 节点名：

    =============  ==================  ==========================  ==========================
    name           forward             ∂L/∂a                       ∂L/∂b
    =============  ==================  ==========================  ==========================
    AddBackward0   a + alpha * b       grad                        grad * alpha
    MulBackward0   a * b               grad * b                    grad * a
    MmBackward0    a @ b (2-D)         grad @ bᵀ                   aᵀ @ grad
    =============  ==================  ==========================  ==========================

    Broadcast shapes are fine: return the gradient in the OUTPUT's shape; the library sums it
    back to each input's shape with your ``sum_to_size``. Another name: raise ``ValueError``.
    广播时返回输出形状的梯度即可，库会用 ``sum_to_size`` 还原成输入的形状；未知的 name 抛出 ValueError。
    """
    ### BEGIN SOLUTION
    need_a, need_b = needs_input_grad
    if name == "AddBackward0":
        grad_a = grad if need_a else None
        grad_b = (grad if alpha == 1 else grad * alpha) if need_b else None
    elif name == "MulBackward0":
        grad_a = grad * b if need_a else None
        grad_b = grad * a if need_b else None
    elif name == "MmBackward0":
        grad_a = grad @ b.T if need_a else None
        grad_b = a.T @ grad if need_b else None
    else:
        raise ValueError(f"no backward formula for {name}")
    return grad_a, grad_b
    ### END SOLUTION


@exercise("04_autograd", "unary_backward", key="course_lib.autograd.functions.unary_backward")
def unary_backward(name, grad, saved, shape, xp):
    """单输入运算的反向公式：已知 ``grad`` = ∂L/∂out 与前向保存的值 ``saved``，返回 ∂L/∂x。

    Gradient ∂L/∂x of a one-input op ``out = f(x)`` from ``grad`` = ∂L/∂out and what the
    forward saved. ``shape``: the input's shape; ``xp``: the array module (numpy, or cupy).

    ================  ===============  =================  =============================
    name              forward          saved              ∂L/∂x
    ================  ===============  =================  =============================
    ExpBackward0      result = eˣ      (result,)          grad * result
    LogBackward0      log x            (x,)               grad / x
    ReluBackward0     max(x, 0)        (result,)          grad * (result > 0)
    SigmoidBackward0  1 / (1 + e⁻ˣ)    (result,)          grad * result * (1 - result)
    SumBackward0      x.sum() (0-d)    ()                 grad copied to ``shape``
    ================  ===============  =================  =============================

    Another name: raise ``ValueError``. 未知的 name 抛出 ValueError。
    """
    ### BEGIN SOLUTION
    if name == "ExpBackward0":
        (result,) = saved
        return grad * result
    if name == "LogBackward0":
        (x,) = saved
        return grad / x
    if name == "ReluBackward0":
        (result,) = saved
        return grad * (result > 0)
    if name == "SigmoidBackward0":
        (result,) = saved
        return grad * result * (1 - result)
    if name == "SumBackward0":
        return xp.zeros(shape, dtype=grad.dtype) + grad
    raise ValueError(f"no backward formula for {name}")
    ### END SOLUTION
