"""``gradcheck``: compare autograd's gradients with finite differences (lesson 04 exercise).

梯度检验：把自动求导得到的雅可比矩阵与有限差分得到的雅可比矩阵相比较（第 04 课练习）。

For every input ``x_i`` that requires grad and every output ``y_k`` the check builds two
Jacobians of shape ``(x_i.numel(), y_k.numel())``, as torch does:

* numerical: column by column, ``J[j] = (f(x + eps·e_j) - f(x - eps·e_j)) / (2·eps)``
  (central differences, run without recording a graph);
* analytical: row by row of the output, ``autograd.grad(y_k, inputs, grad_outputs=e_m)``.

They must satisfy ``allclose(analytical, numerical, rtol, atol)``.
"""
from __future__ import annotations

import warnings

import course_lib as torch  # the body below reads like torch code (and runs on torch too)

from ..exercises import exercise

__all__ = ["gradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by :func:`gradcheck` when the gradients disagree. 梯度检验失败时抛出。"""


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _check_inputs(inputs):
    """torch's input checks: at least one input requires grad; warn when not float64."""
    if not any(isinstance(x, torch.Tensor) and x.requires_grad for x in inputs):
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, "
            "but none of them have requires_grad=True.")
    for i, x in enumerate(inputs):
        if isinstance(x, torch.Tensor) and x.requires_grad and x.dtype != torch.float64:
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point "
                "or complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ", stacklevel=3)


def _mismatch(k, i, numerical, analytical):
    return (f"Jacobian mismatch for output {k:d} with respect to input {i:d},\n"
            f"numerical:{numerical}\nanalytical:{analytical}\n")


@exercise("04_autograd", "gradcheck", key="course_lib.autograd.gradcheck")
def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check the gradients of ``func`` at ``inputs`` against finite differences.

    检查 ``func`` 在 ``inputs`` 处的梯度：与有限差分比较，一致返回 True；否则抛出
    ``GradcheckError``（``raise_exception=False`` 时返回 False）。
    Returns True when they agree; else raises ``GradcheckError`` (or returns False).
    """
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    raise NotImplementedError  # 学生版：请在 notebook 中完成 / student build: do it in the notebook
