"""Hidden cases for 04_autograd / autograd.functions.binary_backward(name, grad, a, b,
needs_input_grad, alpha=1) — the AddBackward0, MulBackward0 and MmBackward0 rows, on arrays.

The library sums a broadcast gradient back to each input's shape afterwards, so results are
summed down the same way here: returning the output's shape or reducing it yourself both pass.
"""
from autograder.cases import case


def _a(np, *shape, seed=0, dtype=None):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype or np.float32)


def _down(np, g, shape):
    """Sum ``g`` down to ``shape`` (what the engine does after a node)."""
    if g is None:
        return None
    g = np.asarray(g)
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, s in enumerate(shape):
        if s == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g


def _run(piece, np, name, grad, a, b, needs=(True, True), alpha=1, sa=None, sb=None):
    ga, gb = piece(name, grad, a, b, needs, alpha)
    return (_down(np, ga, sa if sa is not None else np.shape(a)),
            _down(np, gb, sb if sb is not None else np.shape(b)))


@case("加法，同形状 / add, same shapes")
def add_same(piece, torch, np):
    g = _a(np, 2, 3, seed=1)
    return _run(piece, np, "AddBackward0", g, None, None, sa=(2, 3), sb=(2, 3))


@case("加法 alpha=2，只有 b 需要梯度 / add with alpha=2, only b needs a gradient")
def add_alpha(piece, torch, np):
    g = _a(np, 3, seed=2)
    return _run(piece, np, "AddBackward0", g, None, None, (False, True), 2.0, sa=(3,), sb=(3,))


@case("乘法，同形状，float64 / mul, same shapes, float64")
def mul_same(piece, torch, np):
    a, b, g = (_a(np, 3, 4, seed=s, dtype=np.float64) for s in (3, 4, 5))
    return _run(piece, np, "MulBackward0", g, a, b)


@case("乘法广播 (2, 3) × (3,) / mul broadcasting (2, 3) × (3,)")
def mul_broadcast(piece, torch, np):
    return _run(piece, np, "MulBackward0", _a(np, 2, 3, seed=6), _a(np, 2, 3, seed=7),
                _a(np, 3, seed=8))


@case("乘法广播 (4, 1) × (1, 5) / mul broadcasting (4, 1) × (1, 5)")
def mul_outer(piece, torch, np):
    return _run(piece, np, "MulBackward0", _a(np, 4, 5, seed=9), _a(np, 4, 1, seed=10),
                _a(np, 1, 5, seed=11))


@case("乘以一个 Python 数 / times a Python number")
def mul_scalar(piece, torch, np):
    ga, _ = piece("MulBackward0", _a(np, 3, seed=12), _a(np, 3, seed=13), 2.5, (True, False))
    return ga


@case("只有一个输入需要梯度时另一个为 None / None for the input that needs no gradient")
def needs(piece, torch, np):
    a, b, g = _a(np, 2, seed=14), _a(np, 2, seed=15), _a(np, 2, seed=16)
    r1 = piece("MulBackward0", g, a, b, (True, False))
    r2 = piece("MulBackward0", g, a, b, (False, True))
    return r1[1] is None, r2[0] is None, r1[0], r2[1]


@case("矩阵乘法 (3, 4) @ (4, 2) / matmul (3, 4) @ (4, 2)")
def mm(piece, torch, np):
    a, b, g = _a(np, 3, 4, seed=17), _a(np, 4, 2, seed=18), _a(np, 3, 2, seed=19)
    return _run(piece, np, "MmBackward0", g, a, b)


@case("矩阵乘法：非连续输入、float64 / matmul: non-contiguous inputs, float64", rtol=1e-10)
def mm_noncontig(piece, torch, np):
    a = _a(np, 5, 3, seed=20, dtype=np.float64).T
    b = _a(np, 2, 5, seed=21, dtype=np.float64).T
    g = _a(np, 3, 2, seed=22, dtype=np.float64)
    return _run(piece, np, "MmBackward0", g, a, b)


@case("矩阵乘法：空矩阵与只要 b 的梯度 / matmul: empty matrices, only b's gradient")
def mm_empty(piece, torch, np):
    a, b, g = np.zeros((0, 3), np.float32), _a(np, 3, 2, seed=23), np.zeros((0, 2), np.float32)
    r = piece("MmBackward0", g, a, b, (False, True))
    return r[0] is None, r[1]


@case("未知的运算名抛出 ValueError / an unknown name raises ValueError")
def unknown(piece, torch, np):
    return piece("DivBackward0", _a(np, 2), _a(np, 2), _a(np, 2), (True, True))
