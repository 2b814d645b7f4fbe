"""Hidden cases for 04_autograd / autograd.engine.execute(roots, retain_graph, run_node).

The graphs use ops whose backward formulas are not lesson-04 pieces (sin, cos, tanh, sub, rsub,
div, pow, mean, split; no add/mul/exp/log/relu/sigmoid/sum) and no broadcasting, so only the
engine is graded here. A case runs the
library's glue (``run_backward``) with ``engine=piece`` and returns the leaves' gradients.
"""
from autograder.cases import case


def _leaf(torch, np, *shape, seed=0, dtype=None):
    g = np.random.default_rng(seed)
    return torch.tensor(g.standard_normal(shape), dtype=dtype or torch.float64,
                        requires_grad=True)


def _backward(piece, torch, np, y, retain_graph=False):
    from course_lib.autograd.engine import run_backward
    run_backward([y], [np.ones(tuple(y.shape), dtype=y.detach().numpy().dtype)],
                 retain_graph, engine=piece)


@case("一条链 sin→cos→tanh / a chain sin → cos → tanh")
def chain(piece, torch, np):
    x = _leaf(torch, np, 5)
    _backward(piece, torch, np, x.sin().cos().tanh().mean())
    return x.grad


@case("扇出：一个中间结果用了两次 / fan-out: one intermediate used twice")
def fan_out(piece, torch, np):
    x = _leaf(torch, np, 4, seed=1)
    h = x.sin()
    _backward(piece, torch, np, (h.cos() - h.tanh()).mean())
    return x.grad


@case("菱形图：中间节点三条路径汇合 / diamond: three paths meet again")
def diamond(piece, torch, np):
    x = _leaf(torch, np, 3, seed=2)
    h = x.tanh()
    a, b, c = h.sin(), h.cos(), h / 3.0
    _backward(piece, torch, np, ((a - b) / (c - 2.0) - a.pow(2)).mean())
    return x.grad


@case("叶子用了多次、两个叶子 / a leaf used several times, two leaves")
def two_leaves(piece, torch, np):
    x, w = _leaf(torch, np, 3, seed=3), _leaf(torch, np, 3, seed=4)
    y = (x / (2.0 - w.cos()) - x.sin() - w.cos() / (3.0 - x.sin())).mean()
    _backward(piece, torch, np, y)
    return x.grad, w.grad


@case("不需要梯度的输入没有梯度 / an input that needs no gradient gets none")
def no_grad_input(piece, torch, np):
    x = _leaf(torch, np, 3, seed=5)
    c = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    _backward(piece, torch, np, (x.sin() / (c + 1.0) - c.cos()).mean())
    return x.grad, c.grad


@case("未 retain_graph 时第二次 backward 报错 / a second backward without retain_graph raises")
def freed(piece, torch, np):
    x = _leaf(torch, np, 3, seed=6)
    y = x.sin().tanh().mean()
    _backward(piece, torch, np, y)
    _backward(piece, torch, np, y)
    return x.grad


@case("retain_graph=True：两次反向，梯度累加 / retain_graph=True: two passes accumulate")
def retain(piece, torch, np):
    x = _leaf(torch, np, 3, seed=7)
    y = x.sin().pow(3).mean()
    _backward(piece, torch, np, y, retain_graph=True)
    first = x.grad.clone()
    _backward(piece, torch, np, y)
    return first, x.grad


@case("多输出节点 split / a node with several outputs (split)")
def multi_output(piece, torch, np):
    x = _leaf(torch, np, 6, seed=8)
    p, q, r = x.split(2)
    _backward(piece, torch, np, (p.sin() - r.pow(2)).mean() - q.cos().mean())
    return x.grad


@case("反向公式在关闭梯度记录时运行 / formulas run with gradient recording off")
def grad_mode_off(piece, torch, np):
    x = _leaf(torch, np, 3, seed=9)
    h = x.sin()
    seen = []
    h.register_hook(lambda g: seen.append(torch.is_grad_enabled()))
    _backward(piece, torch, np, h.cos().mean())
    return seen, x.grad


@case("3000 个节点的长链（不能递归）/ a chain of 3000 nodes (no recursion)")
def long_chain(piece, torch, np):
    x = _leaf(torch, np, 2, seed=10)
    y = x
    for _ in range(3000):
        y = y.sin() / 0.9
    _backward(piece, torch, np, y.mean())
    return x.grad


@case("非连续、float32 与空张量 / non-contiguous, float32 and empty tensors")
def layouts(piece, torch, np):
    base = np.random.default_rng(11).standard_normal((3, 4))
    x = torch.tensor(base, dtype=torch.float32).t().detach().requires_grad_()
    e = torch.zeros(0, 3, requires_grad=True)
    _backward(piece, torch, np, x.sin().cos().mean())
    _backward(piece, torch, np, e.sin().tanh())
    return x.grad, e.grad


@case("autograd.grad 的捕获路径 / autograd.grad's capture path")
def capture(piece, torch, np):
    from course_lib.autograd.engine import run_backward
    from course_lib.autograd.node import accumulator
    x = _leaf(torch, np, 4, seed=12)
    h = x.tanh()
    y = (h.sin() - h.cos()).mean()
    got = run_backward([y], [np.ones((), dtype=np.float64)], False,
                       capture={(accumulator(x), 0): 0, (h.grad_fn, 0): 1}, engine=piece)
    return got.get(0), got.get(1), x.grad
