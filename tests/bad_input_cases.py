"""Bad calls for ``test_bad_input_parity.py``: each runs on course_lib and on torch.

错误输入用例表：每个用例分别在 course_lib 与 torch 上运行，比较异常类型与信息。
A case is a statement with ``T`` = the library, ``F`` = ``T.nn.functional``, ``nn`` = ``T.nn``.
"""
from itertools import product

# -- broadcasting: binary ops in every spelling ----------------------------------------------
_BAD_PAIRS = [((2, 3), (4,)), ((2, 3), (3, 2)), ((5,), (4,)), ((2, 1, 3), (4, 2))]
_BIN_FORMS = [
    "a + b", "a - b", "a * b", "a / b", "a // b", "a % b", "a ** b", "a == b", "a != b",
    "a < b", "a >= b", "T.add(a, b)", "T.sub(a, b)", "T.mul(a, b)", "T.div(a, b)",
    "T.maximum(a, b)", "T.minimum(a, b)", "T.eq(a, b)", "T.gt(a, b)", "T.remainder(a, b)",
    "T.pow(a, b)", "a.add(b, alpha=2)", "a.mul(b)", "T.where(a > 0, a, b)", "T.lerp(a, b, 0.5)",
    "T.addcmul(a, a, b)", "T.logaddexp(a, b)", "T.clamp(a, min=b)", "T.isclose(a, b)",
    "T.allclose(a, b)", "T.broadcast_tensors(a, b)", "a.expand_as(b)",
]
_BIN_BOOL = ["a & b", "a | b", "a ^ b", "T.logical_and(a, b)", "T.logical_or(a, b)"]

BROADCAST = [f"a = T.ones{sa}; b = T.ones{sb}; " + f
             for (sa, sb), f in product(_BAD_PAIRS, _BIN_FORMS)]
BROADCAST += [f"a = T.ones({sa}, dtype=T.bool); b = T.ones({sb}, dtype=T.bool); " + f
              for (sa, sb), f in product([("2, 3", "4"), ("5", "4")], _BIN_BOOL)]

# -- in place: the result must keep the written-to tensor's shape and dtype ---------------
_GROW = [((3,), (2, 3)), ((2, 1), (2, 3)), ((1,), (4,)), ((), (2,))]
INPLACE = [f"a = T.ones({sa}); a.{op}(T.ones({sb}))"
           for (sa, sb), op in product(_GROW, ["add_", "sub_", "mul_", "div_", "copy_",
                                               "pow_", "clamp_"])]
INPLACE += [f"a = T.ones({sa}); a += T.ones({sb})" for sa, sb in _GROW]
INPLACE += [f"a = T.ones({sa}); a *= T.ones({sb})" for sa, sb in _GROW]
INPLACE += [
    "T.tensor([1, 2]).add_(1.5)", "T.tensor([1, 2]).mul_(T.ones(2))", "T.tensor([1, 2]).div_(2)",
    "a = T.arange(3); a /= 2", "T.arange(3).sqrt_()", "T.arange(3).sigmoid_()",
    "T.arange(3).exp_()", "T.tensor([True]).add_(1)", "T.tensor([True]).mul_(2.5)",
    "T.tensor([1, 2]).sub_(T.tensor([0.5, 1]))", "T.tensor([1, 2]).pow_(0.5)",
    "T.arange(3).clamp_(0.5)", "T.tensor([1, 2], dtype=T.int32).add_(T.ones(2, dtype=T.int64))",
    "T.ones(3).add_(T.ones(3), alpha=T.ones(3))", "T.ones(2, 3).copy_(T.ones(3, 2))",
    "T.ones(2, 3).copy_(T.ones(4))", "T.ones(2).fill_(T.ones(2))", "T.ones(2).copy_([1, 2])",
    "a = T.ones(2, requires_grad=True); a.mul_(2)", "a = T.ones(2, requires_grad=True); a += 1",
    "a = T.ones(2, requires_grad=True); a.zero_()", "a = T.ones(2, requires_grad=True); a[0] = 5",
    "a = T.ones(4); a.add_(a[:2].expand(2, 2).reshape(4))",
]

# -- expanded tensors (more than one element per memory location) -----------------------
_EXP = "e = T.ones(3).expand(2, 3); "
EXPANDED = [_EXP + s for s in [
    "e.fill_(1)", "e.zero_()", "e[0] = 5", "e[0, 1] = 5", "e[0].fill_(2)", "e[0].add_(2)",
    "e[:, 0].fill_(2)", "e[:, 0].add_(2)", "e.add_(1)", "e.mul_(2)", "e.copy_(T.zeros(2, 3))",
    "e[:] = T.zeros(2, 3)", "e.normal_()", "e.uniform_()", "e.clamp_(0, 1)", "e.relu_()",
    "e.sigmoid_()", "e.neg_()", "e.t().add_(1)", "e += 1", "e[...] = 0",
]] + ["T.ones(1).expand(3).add_(1)", "T.tensor(1.).expand(3).add_(1)",
      "T.ones(3).expand(1, 3).add_(1)", "T.ones(3).expand(1, 3).fill_(2)",
      _EXP + "e[0:1] = 0", _EXP + "e[:, 0:2] = 0", _EXP + "e[:] = T.tensor(1.)",
      _EXP + "e[1] = T.zeros(3)", _EXP + "e.masked_fill_(T.ones(3) > 0, 1.)",
      _EXP + "e[T.tensor([0])] = 1.", _EXP + "e.copy_(T.zeros(3))", _EXP + "e.bernoulli_()",
      _EXP + "e.exp_()", _EXP + "e[0].copy_(T.zeros(3))", _EXP + "e.mul_(T.ones(2, 3))"]

# -- matrix products -----------------------------------------------------------------------
_MM_PAIRS = [((2, 3), (4, 5)), ((3,), (4,)), ((2, 3), (4,)), ((4,), (2, 3)), ((2, 2, 3), (3, 3, 4)),
             ((2, 3, 4), (3, 5)), ((2,), (2, 2, 3, 4)), ((2, 3, 4), (2, 3, 4))]
LINALG = [f"T.ones{a} @ T.ones{b}" for a, b in _MM_PAIRS]
LINALG += [f"T.matmul(T.ones{a}, T.ones{b})" for a, b in _MM_PAIRS]
LINALG += [f"T.ones{a}.matmul(T.ones{b})" for a, b in _MM_PAIRS[:4]]
LINALG += [
    "T.tensor(1.) @ T.ones(2)", "T.ones(2) @ T.tensor(1.)", "T.tensor(1.) @ T.tensor(2.)",
    "T.mm(T.ones(2, 3), T.ones(4, 5))", "T.mm(T.ones(2), T.ones(2, 2))",
    "T.mm(T.ones(2, 3), T.ones(3))", "T.mm(T.ones(2, 2, 2), T.ones(2, 2))",
    "T.bmm(T.ones(2, 3), T.ones(2, 3, 4))", "T.bmm(T.ones(2, 2, 3), T.ones(3, 3, 4))",
    "T.bmm(T.ones(2, 2, 3), T.ones(2, 4, 4))", "T.mv(T.ones(2, 3), T.ones(4))",
    "T.mv(T.ones(3), T.ones(3))", "T.mv(T.ones(2, 3), T.ones(3, 1))",
    "T.dot(T.ones(2), T.ones(3))", "T.dot(T.ones(2, 2), T.ones(2, 2))",
    "T.dot(T.ones(2), T.ones(2, dtype=T.float64))", "T.mm(T.ones(2, 2), T.ones(2, 2).long())",
    "T.ones(2, 2) @ T.ones(2, 2, dtype=T.float64)", "T.ones(2) @ T.ones(2, dtype=T.int64)",
    "T.addmm(T.ones(3), T.ones(2, 3), T.ones(4, 5))",
    "T.addmm(T.ones(3), T.ones(2, 3), T.ones(3, 4))",
    "T.outer(T.ones(2, 2), T.ones(2))", "T.ones(2, 3).mm(T.ones(2, 3))",
    "T.einsum('ij,jk->ik', T.ones(2, 3), T.ones(4, 5))", "T.einsum('ij->ijk', T.ones(2, 3))",
    "T.einsum('ij,jk->ik', T.ones(2, 3))",
]

# -- view / reshape / shape arguments ----------------------------------------------------
SHAPE = [
    "T.ones(2, 3).view(7)", "T.ones(2, 3).view(-1, -1)", "T.ones(2, 3).view(4, -1)",
    "T.ones(2, 3).view(-2, 3)", "T.ones(2, 3).reshape(5)", "T.ones(2, 3).reshape(2, -1, -1)",
    "T.ones(2, 3).reshape(0, -1)", "T.ones(2, 3).t().view(6)", "T.ones(2, 3).t().view(-1)",
    "T.ones(2, 3).t().view(2, 3)", "T.ones(4, 4)[:, :2].view(8)", "T.ones(6).view(2, 2)",
    "T.reshape(T.ones(6), (4, 2))", "T.ones(6).view((2, 3), 1)", "T.ones(6).view(2.5)",
    "T.ones(6).reshape('a')", "T.ones(2, 3).view(T.float64)", "T.ones(6).unflatten(0, (4, 2))",
    "T.ones(2, 3).unflatten(1, (2, 2))", "T.ones(2, 3).unflatten(2, (3, 1))",
    "T.ones(3).expand(2)", "T.ones(3).expand(4)", "T.ones(2, 3).expand(3)",
    "T.ones(2, 3).expand(-1, 4)", "T.ones(3).expand(-1, 3)", "T.ones(2, 3).expand(3, 3)",
    "T.ones(3).expand(2, -2)", "T.ones(2, 3).expand_as(T.ones(3))",
    "T.broadcast_to(T.ones(3), (2, 4))", "T.broadcast_shapes((2, 3), (4,))",
    "T.broadcast_shapes((2, 3), (3, 2))", "T.ones(2, 3).permute(0, 0)",
    "T.ones(2, 3).permute(0, 1, 2)",
    "T.ones(2, 3).permute(0)", "T.ones(2, 3).permute(0, 2)", "T.ones(2, 3).permute(-3, 0)",
    "T.permute(T.ones(2, 3), (1,))", "T.ones(2, 3, 4).t()", "T.ones(2, 3, 4).T", "T.ones(3).mT",
    "T.ones(2, 3).transpose(0, 2)", "T.ones(2, 3).transpose(-3, 1)", "T.transpose(T.ones(3), 0, 1)",
    "T.ones(2, 3).swapaxes(0, 5)", "T.ones(2, 3).movedim(0, 5)",
    "T.ones(2, 3).movedim((0, 1), (0,))",
    "T.ones(2, 3).movedim((0, 0), (0, 1))", "T.ones(2, 3).squeeze(2)", "T.ones(2, 3).squeeze(-3)",
    "T.tensor(1.).squeeze(1)", "T.ones(2, 3).unsqueeze(3)", "T.ones(2, 3).unsqueeze(-4)",
    "T.tensor(1.).unsqueeze(2)", "T.ones(2, 3).flatten(2)", "T.ones(2, 3).flatten(1, 0)",
    "T.ones(2, 3).flatten(0, 5)", "T.ones(2, 3).repeat(2)", "T.ones(2, 3).repeat(-1, 2)",
    "T.ones(2, 3).chunk(0)", "T.ones(2, 3).chunk(2, dim=2)", "T.ones(3).split([1, 1])",
    "T.ones(3).split(0)", "T.ones(3).split([2, 2])", "T.ones(2, 3).split(1, dim=2)",
    "T.ones(2, 3).narrow(0, 1, 5)", "T.ones(2, 3).narrow(2, 0, 1)", "T.ones(2, 3).narrow(0, 3, 1)",
    "T.ones(2, 3).select(0, 5)", "T.ones(2, 3).select(2, 0)", "T.ones(2, 3).select(1, -4)",
    "T.ones(2, 3).unbind(2)", "T.ones(2, 3).flip(0, 0)", "T.ones(2, 3).flip(2)",
    "T.diag(T.ones(2, 2, 2))", "T.tril(T.ones(3))", "T.triu(T.tensor(1.))",
    "T.ones(3).topk(5)", "T.ones(2, 3).sort(dim=2)", "T.ones(2, 3).argsort(dim=-3)",
    "T.ones(2, 3).size(2)", "T.ones(2, 3).size(-3)", "T.tensor(1.).size(0)",
    "T.ones(2, 3).stride(2)", "T.ones(2, 3).sum_to_size(4)", "T.ones(2, 3).sum_to_size(3, 3)",
    "T.ones(2, 3).tile(-1)", "T.ones(3).index_select(0, T.tensor([[0]]))",
    "T.ones(2, 3).flip(dims=[2])", "T.flip(T.ones(2, 3), (0, -2))", "T.ones(2, 3).view(T.int8)",
    "T.tensor(1.).view(T.float16)", "T.ones(2, 3).t().view(T.float16)",
    "T.ones(2, 4).view(T.int64)",
    "T.ones(2, 3).view(T.bool)", "T.ones(3).unflatten(0, (-1, -1))",
    "T.ones(6).unflatten(0, (-1, 4))",
    "T.ones(2, 3).expand(2, 3, -1)", "T.ones(1, 3).expand(-1, 4, 3)",
    "T.ones(2, 3).repeat(2, 1, 0)",
]

# -- concatenation ------------------------------------------------------------------------
CAT = [
    "T.cat([T.ones(2, 3), T.ones(2, 4)])", "T.cat([T.ones(2, 3), T.ones(3, 4)], dim=1)",
    "T.cat([T.ones(2, 3), T.ones(2, 3)], dim=2)", "T.cat([T.ones(2, 3), T.ones(2, 3)], dim=-3)",
    "T.cat([T.ones(2), T.ones(2, 2)])", "T.cat([T.tensor(1.), T.tensor(2.)])",
    "T.cat(T.ones(2))", "T.cat([T.ones(2), [1, 2]])", "T.cat((T.ones(2), None))",
    "T.concat([T.ones(1, 2), T.ones(1, 3)])", "T.stack([T.ones(2, 3), T.ones(3, 2)])",
    "T.stack([T.ones(2), T.ones(2)], dim=2)", "T.stack([T.ones(2), T.ones(2)], dim=-3)",
    "T.stack([T.ones(2), T.ones(2, 1)])", "T.stack(T.ones(2, 2), 0, 1)",
    "T.stack([T.ones(2), 5])", "T.ones(2).new_tensor([1, 2]).cat([1])",
]

# -- reductions with a bad dim / dtype ----------------------------------------------------
_RED = ["sum", "mean", "prod", "amax", "amin", "argmax", "argmin", "max", "min", "std", "var",
        "softmax", "log_softmax", "cumsum", "logsumexp", "any", "all", "count_nonzero", "norm"]
REDUCE = [f"T.ones(2, 3).{r}(dim={d})" for r, d in product(_RED, (2, -3))]
REDUCE += [f"T.tensor(1.).{r}(dim=1)" for r in _RED[:10]]
REDUCE += [f"T.{r}(T.ones(2, 3), dim=(0, 5))" for r in ("sum", "mean", "amax", "std", "logsumexp")]
REDUCE += [
    "T.ones(2, 3).sum(dim=(0, 0))", "T.ones(2, 3).mean(dim=(1, -1))", "T.ones(0).max()",
    "T.ones(0, 3).argmax()", "T.ones(0, 3).amax(dim=0)", "T.tensor([1, 2]).mean()",
    "T.tensor([1, 2]).std()", "T.tensor([1, 2]).var()", "T.tensor([1, 2]).softmax(0)",
    "T.tensor([1, 2]).log_softmax(0)", "T.tensor([1, 2]).logsumexp(0)", "T.tensor([1, 2]).norm()",
    "T.ones(2, 3).softmax()", "T.ones(2, 3).sum(1.5)", "T.ones(2, 3).sum('a')",
    "T.ones(2, 3).mean(dtype=T.int64)",
]

# -- indexing ----------------------------------------------------------------------------
INDEX = [
    "T.ones(2, 3)[2]", "T.ones(2, 3)[-3]", "T.ones(2, 3)[:, 3]", "T.ones(2, 3)[0, 0, 0]",
    "T.ones(2, 3)[1.5]", "T.ones(2, 3)['a']", "T.ones(2, 3)[0, 'a']",
    "T.ones(2, 3)[T.tensor([5])]", "T.ones(2, 3)[T.tensor([-3])]", "T.ones(2, 3)[:, T.tensor([3])]",
    "T.ones(2, 3)[T.tensor([0.5])]", "T.ones(2, 3)[T.tensor([True, False, True])]",
    "T.ones(3, 4)[T.ones(3, 3, dtype=T.bool)]", "T.ones(3)[[0, 5]]",
    "T.ones(3)[None, None, 5]", "T.ones(2, 3)[[0, 1], [0, 1, 2]]", "T.tensor(1.)[0]",
    "T.ones(3)[T.tensor(1.5)]", "T.ones(3)[T.tensor([[0, 1], [2, 3]])]",
    "a = T.ones(2, 3); a[2] = 1", "a = T.ones(2, 3); a[0] = T.ones(4)",
    "a = T.ones(2, 3); a[[0, 1]] = T.ones(3, 3)", "a = T.ones(2, 3); a[:, 0] = T.ones(3)",
    "a = T.ones(2, 3); a[T.tensor([True, False])] = T.ones(2, 3)",
    "a = T.ones(2, 3); a[0] = 'x'", "a = T.ones(2, 3); a[T.tensor([9])] = 0",
    "a = T.ones(2, 3); a[0, 0, 0] = 1", "a = T.zeros(3, dtype=T.int64); a[0] = T.ones(2)",
    "T.ones(2, 3).gather(1, T.tensor([[0], [3]]))", "T.ones(2, 3).gather(1, T.tensor([[0.]]))",
    "T.ones(2, 3).gather(2, T.tensor([[0]]))", "T.ones(2, 3).gather(1, T.tensor([0]))",
    "T.ones(2, 3).index_select(1, T.tensor([3]))", "T.ones(2, 3).index_select(1, T.tensor([0.]))",
    "T.ones(2, 3).index_select(2, T.tensor([0]))", "T.take(T.ones(2, 3), T.tensor([6]))",
    "T.ones(2, 3).scatter(1, T.tensor([[3]]), 1.)", "T.ones(2, 3).scatter(1, T.tensor([[0.]]), 1.)",
    "T.ones(2, 3).masked_fill(T.tensor([1, 0, 1]), 0)",
    "T.ones(2, 3).masked_fill(T.ones(4) > 0, 0)",
    "T.ones(2, 3).masked_fill(T.ones(3) > 0, T.ones(3))",
    "T.ones(3).masked_fill_(T.ones(2, 3) > 0, 0)",
    "T.ones(2, 3).masked_select(T.ones(4) > 0)", "T.ones(2, 3).masked_select(T.ones(3))",
    "T.where(T.tensor([1, 0]), T.ones(2), T.zeros(2))", "T.where(T.ones(3) > 0, T.ones(2), 0.)",
    "T.nn.functional.one_hot(T.tensor([0, 3]), 3)", "T.nn.functional.one_hot(T.tensor([0.]))",
    "T.nn.functional.one_hot(T.tensor([-1]))",
]

# -- scalars, Python protocol -------------------------------------------------------------
SCALAR = [
    "T.ones(2, 3).item()", "T.ones(0).item()", "bool(T.ones(2))", "bool(T.ones(0))",
    "float(T.ones(2))", "int(T.ones(2))", "complex(T.ones(2))", "len(T.tensor(1.))",
    "iter(T.tensor(1.))", "[1, 2][T.tensor(1.)]", "[1, 2][T.ones(2, dtype=T.int64)]",
    "range(T.tensor(2.))", "'%d' % T.ones(2)", "f'{T.ones(2):.2f}'", "T.ones(2) and True",
    "1 if T.ones(3) > 0 else 0", "T.ones(2) + 'a'", "T.ones(2) + None", "T.ones(2) * [1, 2, 3]",
    "T.ones(2) @ 2", "T.ones(2) < 'a'", "T.ones(2).tolist(5)", "T.ones(2)()",
    "hash(T.ones(2)) / 'a'",
    "T.ones(2).numpy(force=5)", "T.tensor(1.) in T.ones(2, 3) in 5", "T.ones(2).foo",
    "T.ones(2).to('gpu')", "T.ones(2).to(5)", "T.ones(2).type('float')",
]

# -- creation -----------------------------------------------------------------------------
CREATE = [
    "T.zeros(-1)", "T.ones(2, -3)", "T.empty(-1)", "T.full((2, -1), 1.)", "T.rand(-2)",
    "T.randn(2, -2)", "T.zeros(2.5)", "T.ones((2, 3), dtype='float32')", "T.zeros('a')",
    "T.full((2,), 'a')", "T.tensor([[1, 2], [3]])", "T.tensor([1, 'a'])", "T.tensor([[1], 2])",
    "T.tensor([T.ones(2), T.ones(3)])", "T.tensor({1: 2})", "T.tensor(None)",
    "T.arange(0, 10, -1)", "T.arange(5, 0)", "T.arange(0, 10, 0)", "T.arange('a')",
    "T.linspace(0, 1, -1)", "T.eye(-1)", "T.eye(2, -1)", "T.randint(0, 0, (2,))",
    "T.randint(5, 2, (3,))", "T.randint(5)", "T.randint(0, 5, 3)", "T.randn(2, dtype=T.int64)",
    "T.rand(2, dtype=T.int64)", "T.randperm(-1)", "T.normal(0., -1., (2,))",
    "T.tensor([1, 2], device='gpu')", "T.ones(2, device='tpu')", "T.ones(2, device='cuda:x')",
    "T.from_numpy([1, 2])", "T.from_numpy(np.array(['a']))", "T.as_tensor('a')",
    "T.tensor(np.array([1, 2], dtype=object))", "T.zeros_like([1, 2])",
    "T.ones_like(T.ones(2), dtype=5)",
    "T.full_like(T.ones(2), 'x')", "T.empty(2, 3, dtype=T.float32, requires_grad=5).foo",
    "T.tensor([1, 2], requires_grad=True)", "T.tensor([True], requires_grad=True)",
    "T.zeros(2, dtype=T.int64, requires_grad=True)", "T.arange(3, requires_grad=True)",
    "T.ones(2, 2).new_zeros(-1)", "T.ones(2).new_full((2,), 'a')", "T.Size([2, 'a'])",
    "T.ones(2, dtype=T.float32).to(T.int64).requires_grad_()", "T.manual_seed('a')",
    "T.multinomial(T.tensor([0., 0.]), 1)", "T.multinomial(T.tensor([1., 1.]), 3)",
    "T.bernoulli(T.tensor([2.]))", "T.set_default_dtype(T.int64)",
]

# -- autograd -----------------------------------------------------------------------------
AUTOGRAD = [
    "T.ones(2).backward()", "(T.ones(2, requires_grad=True) * 2).backward()",
    "(T.ones(2, 2, requires_grad=True) * 2).backward(T.ones(2))",
    "(T.ones(2, requires_grad=True) * 2).backward(T.ones(2, dtype=T.int64))",
    "(T.ones(2, requires_grad=True) * 2).backward(5)",
    "x = T.ones(2, requires_grad=True); y = (x * x).sum(); y.backward(); y.backward()",
    "x = T.ones(2, requires_grad=True); T.autograd.grad((x * 2).sum(), T.ones(2))",
    "x = T.ones(2, requires_grad=True); z = T.ones(2, requires_grad=True); "
    "T.autograd.grad((x * 2).sum(), z)",
    "x = T.ones(2, requires_grad=True); T.autograd.grad(x * 2, x)",
    "x = T.ones(2, requires_grad=True); x.grad = T.ones(3)",
    "x = T.ones(2, requires_grad=True); x.grad = T.ones(2, dtype=T.float64)",
    "x = T.ones(2, requires_grad=True); x.grad = [1., 1.]", "T.ones(2).grad.zero_()",
    "T.ones(2).retain_grad()", "T.ones(2).register_hook(print)",
    "x = T.ones(2, requires_grad=True); (x * 2).requires_grad_(False)",
    "x = T.ones(2, requires_grad=True); x[0].detach_()",
    "x = T.ones(2, requires_grad=True); y = x * 1; y.exp_(); x.exp_()",
    "x = T.ones(2, requires_grad=True); y = x.exp(); y.add_(1); y.sum().backward()",
    "T.ones(2, requires_grad=True).numpy()", "T.ones(2, requires_grad=True).tolist().foo",
    "T.tensor([1, 2]).requires_grad_()", "T.ones(2, dtype=T.int64).requires_grad_()",
    "x = T.tensor([1, 2]); x.requires_grad = True",
    "T.autograd.backward([T.ones(2, requires_grad=True).sum()], [T.ones(2)])",
    "import copy; copy.deepcopy(T.ones(2, requires_grad=True) * 2)",
    "with T.no_grad(): (T.ones(2, requires_grad=True) * 2).sum().backward()",
]

# -- dtypes in out= and mixed-dtype ops ---------------------------------------------------
DTYPE = [
    "T.add(T.ones(2), T.ones(2), out=T.zeros(2, dtype=T.int64))",
    "T.mul(T.ones(2), 2.5, out=T.zeros(2, dtype=T.int32))",
    "T.exp(T.ones(2), out=T.zeros(2, dtype=T.int64))",
    "T.div(T.tensor([1, 2]), 2, out=T.zeros(2, dtype=T.int64))",
    "T.add(T.ones(2), 1, out=T.zeros(2, dtype=T.bool))",
    "T.matmul(T.ones(2, 2), T.ones(2, 2), out=T.zeros(2, 2, dtype=T.int64))",
    "T.cat([T.ones(2), T.ones(2)], out=T.zeros(4, dtype=T.int64))",
    "T.add(T.ones(2, requires_grad=True), 1, out=T.zeros(2))",
    "T.add(T.ones(2), 1, out=T.zeros(2, requires_grad=True))",
    "T.ones(2) & T.ones(2)", "T.ones(2) | 1", "~T.ones(2)", "T.ones(2) ^ T.ones(2, dtype=T.int64)",
    "T.bitwise_not(T.ones(2))", "T.tensor([1.5]) % T.tensor([True])",
    "T.tensor([True]) - T.tensor([True])", "-T.tensor([True])", "T.tensor([1, 2]) ** -1",
    "T.ones(2).to('float32')", "T.ones(2).to(dtype='float32')",
    "T.ones(2, dtype=T.float32).view(T.int8)",
    "T.ones(2).type(T.int64).float().int().foo", "T.promote_types(T.float32, 'int64')",
    "T.ones(2, dtype=T.uint8) - 300", "T.tensor([1, 2]).lerp(T.tensor([3, 4]), 0.5)",
    "T.tensor([1, 2]).floor_divide(0)", "T.tensor([1, 2]) % 0", "T.tensor([1, 2]).remainder(0)",
]

# -- nn.functional -----------------------------------------------------------------------
NN = [
    "F.linear(T.ones(2, 3), T.ones(4, 5))", "F.linear(T.ones(3), T.ones(4, 5))",
    "F.linear(T.ones(2, 3), T.ones(4, 3), T.ones(3))", "F.linear(T.ones(2, 3), T.ones(3))",
    "F.linear(T.ones(2, 3), T.ones(4, 3, dtype=T.float64))",
    "F.linear(T.ones(2, 3).long(), T.ones(4, 3))",
    "nn.Linear(3, 4)(T.ones(2, 5))", "nn.Linear(3, 4)(T.ones(5))", "nn.Linear(3, 4)(T.tensor(1.))",
    "F.cross_entropy(T.ones(2, 3), T.tensor([0, 1, 2]))",
    "F.cross_entropy(T.ones(2, 3), T.tensor([0, 5]))",
    "F.cross_entropy(T.ones(2, 3), T.tensor([0, -1]))",
    "F.cross_entropy(T.ones(2, 3), T.tensor([0., 1.]))",
    "F.cross_entropy(T.ones(2, 3), T.tensor([0, 1], dtype=T.int32))",
    "F.cross_entropy(T.ones(2, 3), T.ones(2, 4))", "F.cross_entropy(T.ones(2, 3), T.ones(3, 3))",
    "F.cross_entropy(T.ones(2, 3), T.tensor([[0], [1]]))",
    "F.cross_entropy(T.ones(3), T.tensor([0]))",
    "F.cross_entropy(T.ones(2, 3).long(), T.tensor([0, 1]))", "F.cross_entropy(T.ones(2, 3), 1)",
    "F.cross_entropy(T.ones(2, 3), T.tensor([0, 1]), reduction='avg')",
    "F.nll_loss(T.ones(2, 3), T.tensor([0, 3]))", "F.nll_loss(T.ones(2, 3), T.tensor([0., 1.]))",
    "F.nll_loss(T.ones(2, 3), T.tensor([0, 1, 2]))",
    "F.nll_loss(T.ones(2, 3, 4, 5, 6), T.tensor([0, 1]))",
    "F.mse_loss(T.ones(2), T.ones(3))", "F.mse_loss(T.ones(2, 3), T.ones(4, 3))",
    "F.mse_loss(T.ones(2), T.ones(2), reduction='avg')", "F.mse_loss(T.ones(2), T.ones(2).long())",
    "F.mse_loss(T.ones(2), [1., 2.])", "F.l1_loss(T.ones(2), T.ones(3))",
    "nn.MSELoss()(T.ones(2), T.ones(3))", "nn.CrossEntropyLoss()(T.ones(2, 3), T.tensor([0, 7]))",
    "F.binary_cross_entropy(T.ones(3) * 0.5, T.ones(3, 1))",
    "F.binary_cross_entropy(T.tensor([2.]), T.ones(1))",
    "F.binary_cross_entropy(T.ones(3) * 0.5, T.ones(3).long())",
    "F.binary_cross_entropy_with_logits(T.ones(3), T.ones(2))", "F.softmax(T.ones(2, 3), dim=2)",
    "F.log_softmax(T.ones(2, 3), dim=-3)", "F.log_softmax(T.tensor([1, 2]), dim=0)",
    "F.relu(T.ones(2), inplace=True).foo", "F.dropout(T.ones(2), p=1.5)",
    "F.dropout(T.ones(2), p=-0.1)",
    "F.leaky_relu(T.tensor([1, 2]), 0.5)", "F.sigmoid(T.tensor([True]))",
    "F.conv2d(T.ones(1, 3, 5, 5), T.ones(2, 4, 3, 3))",
    "F.conv2d(T.ones(3, 5, 5, 1, 1), T.ones(2, 3, 3, 3))",
    "F.conv2d(T.ones(1, 3, 2, 2), T.ones(2, 3, 3, 3))", "F.max_pool2d(T.ones(1, 1, 2, 2), 3)",
    "F.max_pool2d(T.ones(2), 2)", "nn.Conv2d(3, 2, 3)(T.ones(1, 4, 5, 5))",
]

# -- a second sweep: unary/in-place dtype rules, random fills, more dims and indices -------
MORE = [
    "T.tensor([True]).neg()", "T.tensor([1, 2]).sigmoid_()", "T.tensor([1, 2]).log_()",
    "T.tensor([1, 2]).clamp_(min=0.5)", "T.ones(3).split([-1, 4])", "T.ones(3).narrow(0, -4, 1)",
    "T.ones(3).narrow(0, 1, -1)", "T.ones(2, 3).squeeze((0, 5))", "T.ones(2, 3).unsqueeze(1.5)",
    "T.ones(2, 3)[..., 5]", "T.ones(2, 3)[:, :, None, 0]", "T.ones(2, 3).argmax(dim=(0, 1))",
    "T.ones(2, 3).topk(2, dim=5)", "T.ones(2, 3).topk(-1)", "T.ones(2, 3).sort(dim=-3)",
    "T.ones(2, 3).cumsum()", "T.ones(2, 3).std(dim=5)",
    "T.ones(3).scatter_(0, T.tensor([0, 5]), 1.)", "T.ones(3).index_select(1, T.tensor([0]))",
    "T.empty(2, 3).uniform_(1, 0)", "T.ones(2).normal_(0, -1)", "T.ones(3).random_(5, 2)",
    "T.zeros(2).log_softmax(dim=1)", "T.ones(3).expand(3, -1)", "T.ones(3).expand_as(T.ones(2, 2))",
    "T.stack([T.ones(2)], dim=-3)", "T.ones(2, 3).movedim(2, 0)",
    "T.ones(2, 3).mean(dim=2, keepdim=True)",
    "T.ones(2).pow(T.ones(3))", "T.tensor([1, 2]) ** T.tensor([-1, 2])",
    "r = T.tensor([1, -1, 2, 0]) ** T.tensor([-1, -3, -2, 2])", "T.tensor(2) ** -1",
    "T.ones(3).clamp()", "T.ones(3).clamp(min=T.ones(2))",
    "T.ones(3).where(T.ones(3) > 0, T.ones(2))",
    "T.ones(2, 3).sum(dim=[0, 5])", "T.ones(2, 3).amax(dim=())", "T.ones(0).amax()",
    "T.ones(0).sum(0).item()", "T.ones(0).mean().item()", "T.ones(0).argmin()", "T.ones(0).min()",
    "T.ones(2, 3).max(dim=2, keepdim=True)", "T.ones(2, 3).argsort(dim=2)",
    "T.ones(2, 3).any(dim=4)", "T.ones(2, 3).all(dim=-4)", "T.ones(2, 3).logsumexp(dim=(0, 0))",
    "T.ones(2, 3).var(dim=(1, 1))", "T.ones(2, 3).norm(dim=3)", "T.ones(2, 3).count_nonzero(dim=3)",
    "T.tensor([1, 2]).float().requires_grad_().long().requires_grad_()",
    "T.ones(2, 3).view(3, 3)", "T.ones(2, 3).view(-1, 4)", "T.ones(0, 3).view(-1, 0)",
    "T.ones(2, 3).reshape(-1, 0)", "T.ones(2, 3).flatten(-3)", "T.ones(2, 3).unflatten(-3, (1, 2))",
    "T.ones(2, 3).chunk(-1)", "T.ones(2, 3).split(-1)", "T.ones(3)[T.tensor([True, False])] = 1",
    "T.ones(3)[[True, False]]", "T.ones(3)[-4]",
    "T.ones(3)[::-1]", "T.ones(3)[::0]", "T.ones(2, 3)[1:, 5]", "T.ones(2, 3)[T.tensor([[1]]), 3]",
    "a = T.ones(2, 3); a[T.tensor([0, 1])] = T.ones(3, 3)",
    "a = T.ones(2, 3); a[0, :] = T.ones(2, 3)",
    "a = T.ones(2, 3); a[...] = T.ones(3, 3)", "a = T.ones(2, 3); a[:, None] = T.ones(4)",
    "a = T.ones(3); a[T.tensor([0, 1])] = T.ones(3)", "a = T.ones(3); a[[0, 1]] = [1., 2., 3.]",
    "T.ones(2, 3).masked_fill(T.ones(2, 3) > 0, T.ones(2))",
    "T.ones(2).masked_fill(T.tensor([True]), 'a')",
    "T.ones(3) @ T.ones(3, 1, 2)", "T.ones(2, 3).mv(T.ones(2))", "T.ones(2).outer(T.ones(2, 2))",
    "T.bmm(T.ones(2, 2, 3), T.ones(2, 3, 4).double())",
    "T.addmm(T.ones(2, 4), T.ones(2, 3), T.ones(3, 5))",
    "T.cat([T.ones(2, 3), T.ones(2, 3)], dim=1.5)", "T.cat([T.ones(2, 3)], dim='a')",
    "T.stack([T.ones(2, 3), T.ones(2, 3)], dim=3)",
    "T.tensor([[1, 2], [3, 4, 5]])", "T.tensor([1, [2]])",
    "T.tensor([[1], [2, 3]], dtype=T.float32)",
    "T.full((2,), 1.5, dtype=T.bool).sum()", "T.zeros(2, 3, out=T.ones(1)).shape",
    "T.ones(2, -1, 3)",
    "T.arange(0, 5, 0.5, dtype=T.int64).tolist()", "T.arange(1, 0, 1)", "T.linspace(0, 1, 2.5)",
    "T.eye(2, 3.5)", "T.randint(3, (2,), dtype=T.float32).dtype", "T.randint(-1, -3, (2,))",
    "T.normal(T.ones(2), T.ones(3))", "T.rand(2, 3, dtype=T.bool)",
    "T.randn(2, dtype=T.float16).dtype",
]

ALL = (BROADCAST + INPLACE + EXPANDED + LINALG + SHAPE + CAT + REDUCE + INDEX + SCALAR + CREATE
       + AUTOGRAD + DTYPE + NN + MORE)
