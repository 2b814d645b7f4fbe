"""Hidden cases for 04_autograd / autograd.functions.unary_backward(name, grad, saved, shape,
xp) — the ExpBackward0, LogBackward0, ReluBackward0, SigmoidBackward0, SumBackward0 rows."""
from autograder.cases import case


def _a(np, *shape, seed=0, dtype=None):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype or np.float32)


@case("exp：保存的是结果 / exp: the result is saved")
def exp(piece, torch, np):
    x = _a(np, 2, 3)
    return piece("ExpBackward0", _a(np, 2, 3, seed=1), (np.exp(x),), x.shape, np)


@case("log，float64 / log, float64", rtol=1e-10)
def log(piece, torch, np):
    x = np.abs(_a(np, 4, seed=2, dtype=np.float64)) + 0.1
    return piece("LogBackward0", _a(np, 4, seed=3, dtype=np.float64), (x,), x.shape, np)


@case("log 在 0 处为 inf / log at 0 gives inf")
def log_zero(piece, torch, np):
    with np.errstate(divide="ignore", invalid="ignore"):
        return piece("LogBackward0", np.ones(3, np.float32), (np.array([0.0, 1.0, 2.0], np.float32),),
                     (3,), np)


@case("relu：结果为 0 处梯度为 0 / relu: zero gradient where the result is 0")
def relu(piece, torch, np):
    r = np.maximum(np.array([[-1.0, 0.0, 2.0], [3.0, -0.5, 0.0]], np.float32), 0)
    return piece("ReluBackward0", _a(np, 2, 3, seed=4), (r,), r.shape, np)


@case("sigmoid：用保存的输出 / sigmoid: from the saved output")
def sigmoid(piece, torch, np):
    x = _a(np, 5, seed=5) * 3
    s = 1 / (1 + np.exp(-x))
    return piece("SigmoidBackward0", _a(np, 5, seed=6), (s,), x.shape, np)


@case("sigmoid 饱和区，float64 / sigmoid saturated, float64", rtol=1e-10)
def sigmoid_far(piece, torch, np):
    x = np.array([-40.0, -5.0, 0.0, 5.0, 40.0])
    s = 1 / (1 + np.exp(-x))
    return piece("SigmoidBackward0", np.ones(5), (s,), x.shape, np)


@case("sum：0 维梯度复制到 (2, 3)，dtype 不变 / sum: the 0-d gradient copied to (2, 3), same dtype")
def sum_(piece, torch, np):
    r = piece("SumBackward0", np.array(1.5, np.float32), (), (2, 3), np)
    return np.asarray(r), np.asarray(r).dtype


@case("sum：0 维输入与空输入 / sum of a 0-d and of an empty input")
def sum_edge(piece, torch, np):
    return (np.asarray(piece("SumBackward0", np.array(2.0), (), (), np)),
            np.asarray(piece("SumBackward0", np.array(2.0, np.float32), (), (0, 4), np)))


@case("非连续的梯度 / a non-contiguous gradient")
def non_contiguous(piece, torch, np):
    g = _a(np, 3, 2, seed=7).T
    r = np.exp(_a(np, 2, 3, seed=8))
    return (piece("ExpBackward0", g, (r,), r.shape, np),
            piece("ReluBackward0", g, (np.maximum(r - 1.5, 0),), r.shape, np))


@case("未知的运算名抛出 ValueError / an unknown name raises ValueError")
def unknown(piece, torch, np):
    return piece("TanhBackward0", np.ones(2), (np.ones(2),), (2,), np)
