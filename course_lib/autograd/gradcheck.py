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

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError", "as_tuple", "check_inputs", "mismatch_message"]


class GradcheckError(RuntimeError):
    """Raised by :func:`gradcheck` when the gradients disagree. 梯度检验失败时抛出。"""


def as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def check_inputs(inputs):
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


def mismatch_message(k, i, numerical, analytical):
    return (f"Jacobian mismatch for output {k:d} with respect to input {i:d},\n"
            f"numerical:{numerical}\nanalytical:{analytical}\n")


@exercise("04_autograd", "gradcheck", key="course_lib.autograd.gradcheck")
def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """检查 ``func`` 在 ``inputs`` 处的梯度：与有限差分比较，一致返回 True；否则抛出
    ``GradcheckError``（``raise_exception=False`` 时返回 False）。

    Check the gradients of ``func`` at ``inputs`` against finite differences.
    Returns True when they agree; else raises ``GradcheckError`` (or returns False).
    """
    inputs = as_tuple(inputs)
    check_inputs(inputs)
    ### BEGIN SOLUTION
    ys = as_tuple(func(*inputs))
    keep = [k for k, y in enumerate(ys) if y.requires_grad]  # the differentiable outputs

    def f(*args):  # func's differentiable outputs, flattened, without building a graph
        with torch.no_grad():
            out = as_tuple(func(*args))
        return [out[k].reshape(-1) for k in keep]

    for i, x in enumerate(inputs):
        if not (isinstance(x, torch.Tensor) and x.requires_grad):
            continue
        # numerical Jacobians: row j = (f(x + eps e_j) - f(x - eps e_j)) / (2 eps)
        numerical = [torch.zeros(x.numel(), ys[k].numel(), dtype=torch.float64, device=x.device)
                     for k in keep]
        for j in range(x.numel()):
            shifted = []
            for step in (eps, -eps):
                flat = x.detach().reshape(-1).clone()
                flat[j] += step
                shifted.append(f(*inputs[:i], flat.view(x.shape), *inputs[i + 1:]))
            for n, plus, minus in zip(numerical, *shifted):
                n[j] = (plus - minus) / (2 * eps)
        # analytical Jacobians: column m = the gradient of output element m w.r.t. x
        for o, (n, k) in enumerate(zip(numerical, keep)):  # o: index among differentiable outputs
            y = ys[k]
            analytical = torch.zeros_like(n)
            for m in range(y.numel()):
                e_m = torch.zeros(y.numel(), dtype=y.dtype, device=y.device)
                e_m[m] = 1
                (g,) = torch.autograd.grad(y, x, grad_outputs=e_m.view(y.shape),
                                           retain_graph=True, allow_unused=True)
                if g is not None:
                    analytical[:, m] = g.reshape(-1)
            if not torch.allclose(analytical, n, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                raise GradcheckError(mismatch_message(o, i, n, analytical))
    return True
    ### END SOLUTION


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, **_unused):
    """Check second derivatives: :func:`gradcheck` of the first gradients of ``func``
    (computed with ``create_graph=True``) with respect to the inputs and the grad_outputs.

    二阶导数检验：对 ``create_graph=True`` 得到的一阶梯度再做 gradcheck（torch.autograd.gradgradcheck）。
    """
    inputs = as_tuple(inputs)
    check_inputs(inputs)
    outs = [y for y in as_tuple(func(*inputs)) if isinstance(y, torch.Tensor) and y.requires_grad]
    if grad_outputs is None:
        gen = torch.Generator().manual_seed(0)
        grad_outputs = tuple(torch.randn(y.shape, generator=gen, dtype=y.dtype,
                                         device=y.device).requires_grad_() for y in outs)
    grad_outputs = as_tuple(grad_outputs)
    n_in = len(inputs)
    needs = [isinstance(x, torch.Tensor) and x.requires_grad for x in inputs]

    def first_gradients(*args):
        with torch.enable_grad():
            xs = [a.detach().requires_grad_() if need and not a.requires_grad else a
                  for a, need in zip(args[:n_in], needs)]
            ys = [y for y in as_tuple(func(*xs)) if isinstance(y, torch.Tensor)
                  and y.requires_grad]
            diff = [x for x, need in zip(xs, needs) if need]
            gs = torch.autograd.grad(ys, diff, args[n_in:], create_graph=True,
                                     allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(first_gradients, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
