"""Hidden cases for 04_autograd / autograd.Function.apply(cls, *args, **kwargs).

A case calls ``piece(SomeFunction, ...)`` and inspects what it built (outputs, grad_fn, edges,
ctx) and runs the node's backward glue directly (``node.backward(arrays)``), so the engine is
not involved.
"""
from autograder.cases import case


def _x(torch, np, *shape, seed=0, grad=True, dtype=None):
    g = np.random.default_rng(seed)
    return torch.tensor(g.standard_normal(shape), dtype=dtype or torch.float64,
                        requires_grad=grad)


def _classes(torch):
    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x * x * g

    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    class Both(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b, a - b

        @staticmethod
        def backward(ctx, g1, g2):
            a, b = ctx.saved_tensors
            return g1 * b + g2, g1 * a - g2

    class Spy(torch.autograd.Function):
        seen = []

        @staticmethod
        def forward(ctx, x):
            Spy.seen.append(torch.is_grad_enabled())
            y = x.sin()
            Spy.seen.append(y.requires_grad)
            return y

        @staticmethod
        def backward(ctx, g):
            return g

    class WithIndex(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x.argmax()

        @staticmethod
        def backward(ctx, g, gi):
            return g * 2

    return Cube, Scale, Both, Spy, WithIndex


def _names(node):
    return [None if n is None else type(n).__name__ for n, _ in node.next_functions]


@case("前向结果、grad_fn 与反向 / forward result, grad_fn and backward")
def cube(piece, torch, np):
    Cube = _classes(torch)[0]
    x = _x(torch, np, 4)
    y = piece(Cube, x)
    node = y.grad_fn
    (gx,) = node.backward(np.ones(4))
    return y.detach(), type(node).__name__, node.needs_input_grad, _names(node), gx


@case("非张量参数 / a non-tensor argument")
def non_tensor(piece, torch, np):
    Scale = _classes(torch)[1]
    x = _x(torch, np, 3, seed=1)
    y = piece(Scale, x, 2.5)
    node = y.grad_fn
    return y.detach(), node.needs_input_grad, _names(node), node.backward(np.ones(3))


@case("输入不需要梯度：不建图 / no input needs a gradient: no graph")
def no_grad_inputs(piece, torch, np):
    Cube = _classes(torch)[0]
    y = piece(Cube, _x(torch, np, 3, seed=2, grad=False))
    return y, y.requires_grad, y.grad_fn is None


@case("在 no_grad() 里：不建图 / inside no_grad(): no graph")
def under_no_grad(piece, torch, np):
    Cube = _classes(torch)[0]
    x = _x(torch, np, 3, seed=3)
    with torch.no_grad():
        y = piece(Cube, x)
    return y, y.requires_grad, y.grad_fn is None


@case("forward 内部不记录计算图 / forward's own ops are not recorded")
def forward_not_recorded(piece, torch, np):
    Spy = _classes(torch)[3]
    Spy.seen.clear()
    y = piece(Spy, _x(torch, np, 3, seed=4))
    return list(Spy.seen), type(y.grad_fn).__name__, y.requires_grad


@case("两个输出共用一个节点 / two outputs share one node")
def two_outputs(piece, torch, np):
    Both = _classes(torch)[2]
    a, b = _x(torch, np, 3, seed=5), _x(torch, np, 3, seed=6)
    p, q = piece(Both, a, b)
    node = p.grad_fn
    return (q.grad_fn is node, p.detach(), q.detach(), _names(node),
            node.backward([np.ones(3), np.full(3, 0.5)]))


@case("只有一个输入需要梯度：边与 needs_input_grad / one input needs grad: edges and needs_input_grad")
def one_needs_grad(piece, torch, np):
    Both = _classes(torch)[2]
    a, b = _x(torch, np, 2, seed=7), _x(torch, np, 2, seed=8, grad=False)
    p, q = piece(Both, a, b)
    node = p.grad_fn
    return node.needs_input_grad, _names(node), node.backward([np.ones(2), np.ones(2)])


@case("整数输出不可导 / an integer output is not differentiable")
def integer_output(piece, torch, np):
    WithIndex = _classes(torch)[4]
    y, i = piece(WithIndex, _x(torch, np, 5, seed=9))
    return y.requires_grad, i, i.requires_grad, i.grad_fn is None


@case("前一个运算的输出作为输入：边指向它的 grad_fn / a computed input: the edge is its grad_fn")
def computed_input(piece, torch, np):
    Cube = _classes(torch)[0]
    x = _x(torch, np, 3, seed=10)
    h = x.sin()
    y = piece(Cube, h)
    return _names(y.grad_fn), y.grad_fn.next_functions[0][0] is h.grad_fn, y.detach()


@case("ctx.saved_tensors 取回保存的张量（float32）/ ctx.saved_tensors gives them back (float32)")
def saved(piece, torch, np):
    Both = _classes(torch)[2]
    a = _x(torch, np, 2, 2, seed=11, dtype=torch.float32)
    b = _x(torch, np, 2, 2, seed=12, dtype=torch.float32)
    p, _ = piece(Both, a, b)
    s = p.grad_fn.saved_tensors
    return s[0] is a, s[1] is b, p.dtype
