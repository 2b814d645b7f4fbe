"""Printed results and errors of many tensor expressions equal torch's (``torch`` → ``course_lib``).

大量张量表达式的输出与报错（类型与信息）都与 torch 相同。
"""
import numpy as np
import pytest

import course_lib as cl

VALUES = [
    'T.diag(T.tensor([[1., 2, 3], [4, 5, 6], [7, 8, 9]]), -1)',
    'T.diag(T.tensor([1., 2]), 1)',
    'T.logaddexp(T.tensor([1., 1000.]), T.tensor([2., 1000.]))',
    'T.logspace(0, 2, 3)',
    'T.meshgrid(T.tensor([1, 2]), T.tensor([3, 4, 5]), indexing="xy")',
    'T.meshgrid(T.tensor([1, 2]), T.tensor([3, 4, 5]), indexing="ij")',
    'T.take(T.arange(6).view(2, 3), T.tensor([0, 5]))',
    'T.typename(T.ones(1))',
    'T.detach(T.ones(2, requires_grad=True))',
    'T.zero_(T.ones(2))',
    'T.finfo(T.float32).eps',
    'T.iinfo(T.int64).max',
    'T.result_type(T.tensor([1, 2]), 2.5)',
    'T.result_type(T.tensor([1, 2]), T.tensor(1., dtype=T.float64))',
    'T.can_cast(T.float32, T.int32)',
    'f"{T.tensor(2.5):.2f}"',
    '2 in T.tensor([1, 2])',
    'T.ones(2, 3).split([1, 1])',
    'T.ones(2, 3).gather(1, T.tensor([[0], [1]], dtype=T.int32))',
    'T.tensor([[1,2],[3,4]]) * 2.5',
    'T.tensor([1,2,3]) // 2',
    'T.tensor([1.,2,3]) % 2',
    '-T.tensor([1,2,3]) % 2',
    'T.tensor([5,-3]) // T.tensor([2,2])',
    'T.tensor([1.,2]) ** T.tensor([2,3])',
    'T.tensor([1,2]) ** 2',
    '2 ** T.tensor([1,2])',
    'T.tensor([True, False]) + T.tensor([True, True])',
    'T.tensor([1,2]) + True',
    'T.tensor([1., 2.]).to(T.int64)',
    'T.tensor([1.5, -2.5, 0.5]).round()',
    'T.tensor([[1., 2.], [3., 4.]]).mean(dim=0)',
    'T.tensor([[1., 2.], [3., 4.]]).std(dim=1, keepdim=True)',
    'T.tensor([[1., 2.], [3., 4.]]).var(unbiased=False)',
    'T.zeros(2, 3).unsqueeze(1).shape',
    'T.arange(6).view(2, 3).t().contiguous().view(-1)',
    'T.arange(6).reshape(2, 3)[:, None, :].shape',
    'T.arange(10)[2:8:3]',
    'T.arange(10)[-3:]',
    'T.arange(12).view(3,4)[[0,2],[1,3]]',
    'T.arange(12).view(3,4)[1:, [0, 2]]',
    'T.arange(12).view(3,4)[T.tensor([True, False, True])]',
    'T.ones(2, 3).sum(dim=(0, 1))',
    'T.ones(2, 3).sum(-1, keepdim=True).shape',
    'T.ones(2, 3).max()',
    'T.tensor([[1, 5], [7, 2]]).argmax(dim=1)',
    'T.cat([T.ones(2), T.zeros(3)])',
    'T.stack([T.ones(2), T.zeros(2)], dim=1)',
    'T.ones(4).chunk(3)',
    'T.arange(5).split([2, 3])',
    'T.tensor([[1.,2],[3,4]]) @ T.tensor([1., 1.])',
    'T.tensor(3.5).item()',
    'T.tensor([1, 2, 3]).tolist()',
    'T.tensor([[1, 2], [3, 4]]).flatten()',
    'T.tensor(1.).permute([])',
    'T.ones(T.tensor(2))',
    'T.empty([3, T.tensor([2])]).shape',
    'T.full([T.tensor(2)], 1.)',
    'T.permute(T.tensor(1.), ())',
    '(T.tensor(1., requires_grad=True) * 1).permute(dims=()).grad_fn.name()',
    'T.arange(6).reshape(2, 3).permute(dims=(1, 0))',
    'T.permute(T.arange(6).reshape(2, 3), dims=[1, 0])',
    '(lambda x, v: (x.flatten(1, 1) is x, v.flatten() is v, x.flatten(-1, 1) is x))(T.ones(2, 3), T.ones(4))',
    '(lambda x: (x.flatten().grad_fn.name(), x.flatten(0, 0) is x))((T.ones(3, requires_grad=True) * 2))',
    '(lambda x: (x.flatten().grad_fn.name(), x.flatten().shape))((T.tensor(2., requires_grad=True) * 2))',
    'T.ones(2, 2).new_tensor([1, 2])',
    'T.full((2,), 7)',
    'T.arange(0, 1, 0.25)',
    'T.linspace(-1, 1, 5)',
    'T.eye(2, 3)',
    'T.zeros(2, dtype=T.int32) + T.ones(2, dtype=T.uint8)',
    'T.tensor([1, 2], dtype=T.uint8) + T.tensor([1, 2], dtype=T.int8)',
    'T.tensor([1., 2.]).clamp(min=1.5)',
    'T.where(T.tensor([True, False]), T.tensor([1., 2.]), 0.)',
    'T.where(T.tensor([True, False]), 1., 0.)',
    "T.tensor([1., float('nan')]).isnan()",
    'T.tensor([0., 1.]).log()',
    'T.tensor([1, 2, 3]).float().mean()',
    'T.tensor([[1., 2.], [3., 4.]]).softmax(dim=-1)',
    'T.tensor([[1., 2.], [3., 4.]]).T',
    'T.tensor([[1., 2.], [3., 4.]]).mT',
    'T.ones(2, 3).expand(2, 2, 3).shape',
    'T.ones(2,3).permute(1, 0).shape',
    'T.tensor([3, 1, 2]).sort()',
    'T.tensor([3, 1, 2]).sort(descending=True).indices',
    'T.tensor([[1, 2], [3, 4]]).sum(0).dtype',
    'T.tensor([1, 2]).prod()',
    'T.tensor([True, False]).all()',
    'T.tensor([[0, 1], [1, 1]]).any(dim=1)',
    'T.ones(3).numpy()',
    'T.ones(2, 2, requires_grad=True).sum()',
    'T.ones(2, requires_grad=True) * 2',
    'T.ones(2, requires_grad=True).detach()',
    'T.ones(2, requires_grad=True).clone()',
    'T.tensor(5)',
    'T.tensor([])',
    'T.zeros(0, 3)',
    'T.tensor([1e-10, 1e10])',
    'T.tensor([1, 2]).shape',
    'T.tensor([[1, 2]]).size(1)',
    'T.ones(2, 3).numel()',
    'T.tensor([1.5]).int()',
    'T.tensor([-1.7, 1.7]).long()',
    'T.tensor([1, 2]).bool()',
    'T.tensor([1, 2]) == T.tensor([1, 3])',
    'T.tensor([1, 2]) != 2',
    'T.tensor([1., 2.]).abs().sqrt().exp().log()',
    'T.tensor([[1., 2.], [3., 4.]]).max(dim=1, keepdim=True)',
    'T.tensor([[1., 2.], [3., 4.]]).min(dim=0)',
    'T.tensor([4., 9.]).rsqrt()',
    'T.tensor([1, 0, 3]).nonzero()',
    'T.tensor([1, 1, 2]).unique()',
    'T.tensor([[1, 2], [3, 4]]).repeat(1, 2)',
    'T.tensor([0.5]).sigmoid()',
    'T.tensor([-1., 0., 2.]).relu()',
    'T.tensor([1., 2.]).dot(T.tensor([3., 4.]))',
    'T.randn(2, 3).to(T.float64).dtype',
    'T.tensor([1, 2, 3])[T.tensor(1)]',
    'T.tensor([[1, 2], [3, 4]])[0][1]',
    'T.ones(2, 2).type()',
    'T.ones(2).long().type()',
    'T.tensor([2.]).element_size()',
    'T.tensor(2.0) + T.tensor([1, 2])',
    'T.tensor([1, 2]) + T.tensor(2.0, dtype=T.float64)',
    'T.tensor([1., 2.], dtype=T.float16) * 1.5',
    'T.tensor([1, 2], dtype=T.int32) * T.tensor(3)',
    'T.tensor(1, dtype=T.int8) + T.tensor(1000)',
    'T.tensor([1, 2]) / T.tensor([2, 4])',
    'T.tensor([10]) // 3.0',
    'T.zeros(2, 3).transpose(-1, -2).shape',
    'T.zeros(3, 4)[..., :2].shape',
    'T.tensor([[1, 2], [3, 4]]).masked_fill(T.tensor([[True, False], [False, True]]), 0)',
    'T.ones(3).cumsum(0)',
    'T.tensor([1., 2., 3.]).lerp(T.tensor([3., 3., 3.]), 0.5)',
]

ERRORS = [
    'T.stack([])',
    'T.cat([T.ones(2), 3])',
    'float(T.ones(2))',
    'int(T.ones(2))',
    '[1, 2][T.ones(2)]',
    'T.ones(2, 3) + T.ones(4)',
    'T.ones(2, 3) @ T.ones(4, 5)',
    'T.ones(3) @ T.ones(4)',
    'T.ones(2, 3) @ T.ones(4)',
    'T.mm(T.ones(2), T.ones(2, 2))',
    'T.ones(2, 3).view(4)',
    'T.ones(2, 3).t().view(6)',
    'T.ones(2, 3).reshape(-1, -1)',
    'T.ones(2, 3)[2]',
    'T.ones(2, 3)[0, 0, 0]',
    'T.ones(2, 3).sum(2)',
    'T.ones(2, 3).permute(0)',
    'T.ones(2, 3).item()',
    'T.ones(2, 3).transpose(0, 2)',
    'T.cat([T.ones(2, 3), T.ones(3, 2)])',
    'T.cat([T.ones(2, 3), T.ones(3)])',
    'T.cat([])',
    'T.stack([T.ones(2), T.ones(3)])',
    'T.ones(3).expand(2, 4)',
    'T.tensor([1, 2]).mean()',
    'T.tensor([1, 2], requires_grad=True)',
    'T.ones(2, requires_grad=True).numpy()',
    'T.ones(2).backward()',
    '(T.ones(2, requires_grad=True) * 2).backward()',
    'T.ones(2, requires_grad=True).add_(1)',
    'T.tensor([1, 2]).add_(1.5)',
    'T.ones(3).add_(T.ones(2, 3))',
    'T.tensor([[1, 2], [3]])',
    'T.tensor("abc")',
    'T.from_numpy([1, 2])',
    'T.ones(2, 3).squeeze(3)',
    'T.ones(2).unsqueeze(3)',
    'T.randint(5, 2, (3,))',
    'T.arange(0, 10, 0)',
    'T.ones(2) + "a"',
    'T.ones(2, 2).t().view(-1)',
    'len(T.tensor(1.0))',
    'bool(T.ones(2))',
    'T.ones(2, 3).flatten(1, 0)',
    'T.tensor([1., 2.]).dot(T.tensor([1., 2., 3.]))',
    'T.ones(2, 3).bmm(T.ones(2, 3, 4))',
    'T.ones(2, 2, 3).bmm(T.ones(3, 3, 4))',
    'T.addmm(T.ones(3), T.ones(2, 3), T.ones(4, 5))',
    'T.ones(2).where(T.tensor([1, 0]), T.zeros(2))',
    'T.device("gpu")',
    'T.ones(2, dtype=T.int64).requires_grad_()',
    'T.ones(2) @ T.ones(2, dtype=T.float64)',
    'T.ones(3, 4)[[0, 5]]',
    'T.ones(3)[T.tensor([True, False])]',
    'T.empty(2, 3, 4).permute(0, 1)',
    'T.tensor(1.).permute()',
    'T.ones([T.tensor(2.5), 3])',
    'T.ones(3, T.ones(2))',
    'T.ones(T.ones(2))',
    'T.zeros(T.tensor(2.))',
    'T.ones([T.ones(2), 2.0])',
    'T.exp(2.0)',
    'T.exp(input=[1.0])',
    'T.sum(np.ones(2))',
    'T.cat([T.ones(2), 2.0])',
    'T.stack((T.ones(2), None))',
    'T.atleast_1d(T.ones(1), 3)',
    'T.broadcast_tensors([T.ones(2), 2.0])',
    'T.trapz([1., 2.])',
    'T.tensor(1.).permute(0)',
    'T.ones(2, 3).permute([])',
    'T.ones(2, 3).permute(1, dims=(1, 0))',
    'T.ones(2, 3).permute(1, 0, foo=1)',
    'T.ones(2, 3).expand(3, 3)',
]


def _run(T, expr):
    try:
        r = eval(expr, {"T": T, "np": np})
        return "OK " + repr(r).replace("torch", "course_lib")
    except Exception as ex:  # noqa: BLE001 - the exception itself is what we compare
        return f"{type(ex).__name__}: {str(ex).splitlines()[0][:150]}".replace("torch", "course_lib")


@pytest.mark.parametrize("expr", VALUES + ERRORS)
def test_same_output_as_torch(expr):
    torch = pytest.importorskip("torch")
    assert _run(cl, expr) == _run(torch, expr)


@pytest.mark.parametrize("expr", ERRORS)
def test_bad_input_raises_without_numpy_traceback(expr):
    out = _run(cl, expr)
    assert not out.startswith("OK")
    assert "axis" not in out and "operands could not" not in out and "inhomogeneous" not in out


def test_python_floats_with_an_explicit_float64_dtype_keep_their_precision():
    torch = pytest.importorskip("torch")
    import course_lib as cl
    for data in ([0.1], 0.1, [[0.1, 0.2], [1e-300, 1.5]], [1, 2.5]):
        got = cl.tensor(data, dtype=cl.float64).tolist()
        assert got == torch.tensor(data, dtype=torch.float64).tolist(), data
    assert cl.tensor([0.1]).dtype == cl.float32  # no dtype: the default float32, as torch
    assert cl.tensor([1.7, -2.2], dtype=cl.int64).tolist() == torch.tensor(
        [1.7, -2.2], dtype=torch.int64).tolist()


def test_torch_functional_names_are_the_top_level_objects():
    """torch.functional.<name> is torch.<name>; course_lib.functional mirrors that."""
    torch = pytest.importorskip("torch")
    import torch.functional as TF
    import course_lib.functional as CF
    for name in CF.__all__:
        assert name in TF.__all__
        if name != "split":  # course_lib.functional.split is a thin wrapper of course_lib.split
            assert getattr(CF, name) is getattr(cl, name), name
    x, y = np.arange(6.).reshape(2, 3), np.arange(12.).reshape(3, 4)
    for T, F in ((torch, TF), (cl, CF)):
        a, b = T.tensor(x), T.tensor(y)
        r = (F.tensordot(a, b, dims=1), F.cdist(a, a), F.block_diag(a, a), F.atleast_3d(a),
             F.cartesian_prod(T.tensor([1, 2]), T.tensor([3, 4])), F.norm(a))
        if T is torch:
            want = [t.numpy() for t in r]
        else:
            for g, w in zip(r, want):
                np.testing.assert_allclose(g.numpy(), w, rtol=1e-12)
    with pytest.raises(AttributeError, match="PyTorch has torch.functional.stft"):
        CF.stft


_NOT_TENSORS = (2.0, 3, np.ones(2), [1.0, 2.0], None)
# torch raises something else (or nothing) here, or its own message is an accident:
# norm: torch's AttributeError on .layout; clamp/clip without bounds; square reaches pow's scalar
# base; the others take no tensor first (shapes, a state, a number, an equation, a file)
_OWN_RULES = {"norm", "clamp", "clip", "square", "broadcast_shapes", "set_rng_state",
              "scalar_tensor", "einsum", "load", "repeat_interleave"}
_GLOBAL_STATE = {"manual_seed", "seed", "save", "compile"}  # (and set_*, use_*): not called here


def _public_functions():
    torch = pytest.importorskip("torch")
    return [n for n in sorted(dir(cl)) if not n.startswith(("_", "set_", "use_"))
            and n not in _OWN_RULES and n not in _GLOBAL_STATE
            and callable(getattr(cl, n)) and not isinstance(getattr(cl, n), type)
            and callable(getattr(torch, n, None))]


def test_a_non_tensor_where_a_tensor_belongs_is_torchs_type_error():
    """torch.exp(2.0), torch.sum([1, 2]), torch.cat([t, 2.0]): TypeError, as in torch, never an
    AttributeError about course_lib's internals ('float' object has no attribute '_data')."""
    torch = pytest.importorskip("torch")
    checked, wrong = 0, []
    for name in _public_functions():
        for x in _NOT_TENSORS:
            for form in ("alone", "in a list"):
                theirs = _run_call(getattr(torch, name), x, form, torch)
                ours = _run_call(getattr(cl, name), x, form, cl)
                if theirs == "TypeError":
                    checked += 1
                    if ours != "TypeError":
                        wrong.append((name, x, form, ours))
    assert checked > 400 and not wrong, wrong[:10]
    assert str(_err(lambda: cl.exp(2.0))) == str(_err(lambda: torch.exp(2.0)))
    assert str(_err(lambda: cl.exp(input=[1]))) == str(_err(lambda: torch.exp(input=[1])))
    assert str(_err(lambda: cl.sum(np.ones(2)))) == str(_err(lambda: torch.sum(np.ones(2))))
    assert str(_err(lambda: cl.cat([cl.ones(2), 2.0]))) == str(
        _err(lambda: torch.cat([torch.ones(2), 2.0])))
    assert str(_err(lambda: cl.stack((cl.ones(2), None)))) == str(
        _err(lambda: torch.stack((torch.ones(2), None))))


def _run_call(f, x, form, T):
    try:
        f(x) if form == "alone" else f([T.ones(2), x])
        return "OK"
    except Exception as ex:  # noqa: BLE001 - the exception type is what we compare
        return type(ex).__name__


def _err(f):
    try:
        f()
    except TypeError as e:
        return e
    raise AssertionError("no TypeError")
