"""The library never calls its own exercise pieces internally (the student build must run).

库内部从不调用练习组件：在学生版中，练习未完成时库的其余部分也必须能运行。
Every registered piece is replaced by one that raises; then a broad workload runs.
"""
import pytest

import course_lib as cl
from course_lib import exercises

# the two backward exercises replace the library's own nodes on purpose, when registered
_BY_DESIGN = {"course_lib.autograd.functions.Mul.backward",
              "course_lib.autograd.functions.Sigmoid.backward"}


@pytest.fixture
def all_pieces_missing():
    def make(key):
        def raiser(*a, **k):
            raise AssertionError(f"library code called the exercise piece {key}")
        return raiser

    saved = dict(exercises.overrides)
    for key in exercises.registry:
        if key not in _BY_DESIGN:
            exercises.overrides[key] = make(key)
    yield
    exercises.overrides.clear()
    exercises.overrides.update(saved)


def test_core_workload_runs_without_exercise_pieces(all_pieces_missing):
    x = cl.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    w = cl.randn(3, 2, requires_grad=True)
    b = cl.zeros(2, requires_grad=True)
    y = (x @ w + b).relu().sigmoid() * 2 - x.sum(1, keepdim=True) / 3
    z = y.view(-1).reshape(2, 2).t().contiguous()[0].exp().log().mean()
    z.backward()
    assert x.grad.shape == x.shape and b.grad.shape == (2,)
    repr(z), str(x), repr(x.shape), repr(x.dtype)
    _ = x.detach() + cl.tensor(1.0, dtype=cl.float64) * 2 + cl.ones(1, 3)
    _ = cl.cat([x.detach(), x.detach()]).max(0).values.argmax()
    a = cl.ones(2, 3) + cl.arange(3)
    a[0] = 5
    a.add_(1).mul_(2)
    assert cl.allclose(a, a.clone()) and len(a) == 2 and [r for r in a]
    float(a[0, 0]), int(a.sum()), bool(a[0, 0] > 0)
    _ = cl.as_tensor([1, 2]).float().double().long()
    _ = cl.autograd.grad((x * x).sum(), x)
    cl.cuda.simulate(True)
    try:
        g = cl.ones(2, device="cuda")
        _ = (g * 2).sum()
    finally:
        cl.cuda.simulate(False)


def test_nn_forward_backward_runs_without_exercise_pieces(all_pieces_missing):
    model = cl.nn.Sequential(cl.nn.Linear(4, 8), cl.nn.ReLU(), cl.nn.Linear(8, 3))
    x = cl.randn(5, 4)
    loss = cl.nn.functional.cross_entropy(model(x), cl.tensor([0, 1, 2, 0, 1]))
    loss.backward()
    for p in model.parameters():
        assert p.grad is not None
    repr(model)
