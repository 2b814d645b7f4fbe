"""Hidden cases for 04_autograd / autograd.gradcheck(func, inputs, *, eps, atol, rtol, raise_exception)."""
from autograder.cases import case


def _t(torch, np, *shape, seed=0, grad=True):
    g = np.random.default_rng(seed)
    return torch.tensor(g.standard_normal(shape), dtype=torch.float64, requires_grad=grad)


def _scaled(torch, factor):
    """A Function computing x² whose backward is multiplied by ``factor`` (1 = correct)."""

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 2 * x * factor

    return Square.apply


def _kind(piece, *args, **kwargs):
    """The result, or the name of the exception raised (GradcheckError, ValueError, ...)."""
    try:
        return piece(*args, **kwargs)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__


@case("正确的 sigmoid 通过 / a correct sigmoid passes")
def sigmoid_ok(piece, torch, np):
    return piece(torch.sigmoid, (_t(torch, np, 4),))


@case("两个输入的广播乘法通过 / broadcasting product of two inputs passes")
def mul_two(piece, torch, np):
    return piece(lambda a, b: a * b, (_t(torch, np, 2, 3), _t(torch, np, 3, seed=1)))


@case("单个张量（不是元组）作为输入 / a single tensor, not a tuple, as inputs")
def single_tensor(piece, torch, np):
    return piece(lambda x: (x * x).sum(), _t(torch, np, 3))


@case("错误的反向，raise_exception=False → False / a wrong backward, raise_exception=False → False")
def wrong_false(piece, torch, np):
    return piece(_scaled(torch, 0.5), (_t(torch, np, 3),), raise_exception=False)


@case("错误的反向 → GradcheckError / a wrong backward → GradcheckError")
def wrong_raises(piece, torch, np):
    return piece(_scaled(torch, 1.5), (_t(torch, np, 2, 2),))


@case("没有输入需要梯度 → ValueError / no input requires grad → ValueError")
def none_requires_grad(piece, torch, np):
    return piece(torch.sigmoid, (_t(torch, np, 3, grad=False),))


@case("多个输出 / several outputs")
def tuple_outputs(piece, torch, np):
    return piece(lambda a, b: (a * b, torch.sigmoid(a) + b), (_t(torch, np, 3), _t(torch, np, 3, seed=1)))


@case("输入中混有不需要梯度的张量 / a mix of inputs with and without grad")
def mixed_inputs(piece, torch, np):
    return piece(lambda a, b, c: a * b + c, (_t(torch, np, 3), _t(torch, np, 3, seed=1, grad=False),
                                              _t(torch, np, 3, seed=2)))


@case("输出与某个输入无关（零雅可比） / an output independent of an input (zero Jacobian)")
def unused_input(piece, torch, np):
    return piece(lambda a, b: torch.sigmoid(a), (_t(torch, np, 3), _t(torch, np, 2, seed=1)))


@case("只有第二个输入的反向是错的 / only the second input's backward is wrong")
def wrong_second(piece, torch, np):
    bad = _scaled(torch, 0.9)
    return _kind(piece, lambda a, b: a * 3 + bad(b), (_t(torch, np, 2), _t(torch, np, 2, seed=1)))


@case("容差参数：微小误差 / tolerances: a tiny error")
def tolerances(piece, torch, np):
    off = _scaled(torch, 1 + 1e-4)
    x = (_t(torch, np, 3) + 2).detach().requires_grad_()
    return (piece(off, (x,)), _kind(piece, off, (x,), rtol=1e-6, atol=1e-9),
            piece(off, (x,), rtol=1e-6, atol=1e-9, raise_exception=False))


@case("0 维输入 / a 0-d input")
def zero_d(piece, torch, np):
    x = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    return (piece(torch.sigmoid, (x,)), piece(_scaled(torch, 2.0), (x,), raise_exception=False))


@case("检验不改变输入 / checking leaves the inputs unchanged")
def inputs_unchanged(piece, torch, np):
    x = _t(torch, np, 2, 2)
    before = x.detach().clone()
    piece(lambda a: (a * a).sum(), (x,))
    return x.detach(), before, x.grad
