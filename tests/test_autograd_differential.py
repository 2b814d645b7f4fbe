"""Acceptance 1 of the autograd issue: random programs, values and gradients vs torch and vs
finite differences.

Each program is drawn from a seed: a chain of blocks (broadcasting arithmetic, unary math,
matmul, reductions with dim/keepdim, views, indexing read and write, cat/stack, softmax,
losses), each creating its own float64 leaves from the same numpy generator. The program is
replayed with ``T = course_lib`` and ``T = torch``: identical random choices and data (choices
depend only on the generator and on shapes). Then ``L = (out * W).sum()`` is backpropagated.

* with torch installed: output values and every leaf's gradient equal torch's (rtol 1e-7);
* always: every leaf's gradient equals central finite differences of L computed by course_lib;
  ``autograd.grad`` gives the same gradients, and ``retain_graph=True`` + a second backward
  doubles them; the programs replayed on the simulated CUDA device give identical results.
"""
import numpy as np
import pytest

import course_lib
from course_lib import _backend

N_PROGRAMS = 240
MAX_NUMEL = 48


def _have(name):
    nnf = getattr(getattr(course_lib, "nn", None), "functional", None)
    return nnf is not None and hasattr(nnf, name)


# Decided once from course_lib and used for both libraries, so both replay the same program.
HAVE = {n: _have(n) for n in ("softmax", "log_softmax", "mse_loss", "cross_entropy",
                              "binary_cross_entropy_with_logits")}


class Program:
    """Replays seed ``seed`` on module ``T``; ``values[k]`` replaces the k-th leaf's data."""

    def __init__(self, seed, T, values=None, device="cpu", dtype=np.float64):
        self.g = np.random.default_rng(seed)
        self.T, self.values, self.device, self.dtype = T, values, device, dtype
        self.leaves, self.trace = [], []

    # -- helpers ---------------------------------------------------------------------------
    def pick(self, options):
        return options[int(self.g.integers(len(options)))]

    def leaf(self, shape):
        data = self.g.standard_normal(shape)
        k = len(self.leaves)
        if self.values is not None:
            data = self.values[k]
        t = self.T.tensor(np.array(data, dtype=self.dtype), requires_grad=True, device=self.device)
        self.leaves.append(t)
        return t

    def bshape(self, shape, grow=True):
        """A shape that broadcasts against ``shape`` (suffix, some dims 1, maybe a new dim)."""
        n = int(self.g.integers(0, len(shape) + 1))
        s = [1 if self.g.random() < 0.3 else d for d in shape[len(shape) - n:]]
        if grow and len(shape) < 3 and self.g.random() < 0.2:
            s = [2] + [d for d in shape[:len(shape) - n]] + s
        return tuple(s)

    def log(self, text, x):
        self.trace.append(f"{text:<48} -> {tuple(x.shape)}")
        return x

    # -- blocks ----------------------------------------------------------------------------
    def binary(self, x):
        T = self.T
        op = self.pick(["add", "sub", "mul", "div", "scalar", "where", "fn"])
        if op == "scalar":
            c = float(np.round(self.g.uniform(0.2, 2), 2)) * self.pick([1, -1])
            form = self.pick(["x + c", "c - x", "x * c", "c / (x*x + 1)", "x / c"])
            out = {"x + c": lambda: x + c, "c - x": lambda: c - x, "x * c": lambda: x * c,
                   "c / (x*x + 1)": lambda: c / (x * x + 1), "x / c": lambda: x / c}[form]()
            return self.log(form.replace("c", str(c)), out)
        y = self.leaf(self.bshape(tuple(x.shape)))
        a, b = (x, y) if self.g.random() < 0.5 else (y, x)
        s = tuple(y.shape)
        if op == "add":
            return self.log(f"a + b, leaf{s}", a + b)
        if op == "sub":
            return self.log(f"a - b, leaf{s}", a - b)
        if op == "mul":
            return self.log(f"a * b, leaf{s}", a * b)
        if op == "div":
            return self.log(f"a / (b*b + 0.5), leaf{s}", a / (b * b + 0.5))
        if op == "where":
            return self.log(f"where(a > 0, a, b), leaf{s}", T.where(a > 0, a, b))
        return self.log(f"torch.add(a, torch.mul(a, b), alpha=0.5), leaf{s}",
                        T.add(a, T.mul(a, b), alpha=0.5))

    def unary(self, x):
        T = self.T
        op = self.pick(["exp", "tanh", "sigmoid", "sin", "cos", "relu", "abs", "neg", "log",
                        "sqrt", "pow2", "pow3", "powf", "rpow", "clamp", "clamp_min", "fexp"])
        f = {
            "exp": lambda: x.tanh().exp(), "tanh": lambda: x.tanh(), "sigmoid": lambda: x.sigmoid(),
            "sin": lambda: x.sin(), "cos": lambda: T.cos(x), "relu": lambda: x.relu(),
            "abs": lambda: x.abs(), "neg": lambda: -x, "log": lambda: (x.abs() + 0.5).log(),
            "sqrt": lambda: (x * x + 0.25).sqrt(), "pow2": lambda: x ** 2,
            "pow3": lambda: x.pow(3), "powf": lambda: (x * x + 1) ** 0.5,
            "rpow": lambda: 2.0 ** x.tanh(), "clamp": lambda: x.clamp(-0.5, 0.5),
            "clamp_min": lambda: T.clamp(x, min=0.1), "fexp": lambda: T.exp(T.tanh(x)),
        }[op]
        return self.log(op, f())

    def matmul(self, x):
        T, k = self.T, int(self.g.integers(1, 4))
        if x.dim() == 0:
            return self.unary(x)
        n = x.shape[-1]
        if x.dim() == 1:
            form = self.pick(["x @ W", "W @ x", "x @ v"])
            if form == "x @ W":
                return self.log(f"x @ W({n}, {k})", x @ self.leaf((n, k)))
            if form == "W @ x":
                return self.log(f"W({k}, {n}) @ x", self.leaf((k, n)) @ x)
            return self.log(f"x @ v({n},)", T.matmul(x, self.leaf((n,))))
        if x.dim() == 2:
            form = self.pick(["mm", "matmul", "left", "vec"])
            if form == "mm":
                return self.log(f"torch.mm(x, W({n}, {k}))", T.mm(x, self.leaf((n, k))))
            if form == "matmul":
                return self.log(f"x.matmul(W({n}, {k}))", x.matmul(self.leaf((n, k))))
            if form == "left":
                m = x.shape[0]
                return self.log(f"W({k}, {m}) @ x", self.leaf((k, m)) @ x)
            return self.log(f"x @ v({n},)", x @ self.leaf((n,)))
        w = self.leaf((n, k)) if self.g.random() < 0.5 else self.leaf((x.shape[-3], n, k) if x.dim() == 3 else (n, k))
        return self.log(f"batched x @ W{tuple(w.shape)}", x @ w)

    def reduce(self, x):
        T = self.T
        if x.dim() == 0:
            return self.unary(x)
        d = int(self.g.integers(-x.dim(), x.dim()))
        kd = bool(self.g.random() < 0.5)
        op = self.pick(["sum", "mean", "sum_all", "mean_all", "prod", "max", "min", "max_all",
                        "std", "var", "sum_tuple", "tsum"])
        if op in ("std", "var") and x.shape[d] < 2:
            op = "mean"
        if op == "std":  # std is not differentiable where all values are equal (e.g. expanded)
            spread = (x.detach().max(dim=d)[0] - x.detach().min(dim=d)[0]).min()
            op = "var" if float(spread) < 1e-6 else op
        if op == "sum_tuple" and x.dim() < 2:
            op = "sum"
        f = {
            "sum": lambda: x.sum(dim=d, keepdim=kd), "mean": lambda: x.mean(d, keepdim=kd),
            "sum_all": lambda: x.sum(), "mean_all": lambda: T.mean(x),
            "prod": lambda: x.prod(d, keepdim=kd), "max": lambda: x.max(dim=d, keepdim=kd)[0],
            "min": lambda: T.min(x, d, keepdim=kd)[0], "max_all": lambda: x.max(),
            "std": lambda: x.std(dim=d, keepdim=kd), "var": lambda: x.var(d, keepdim=kd),
            "sum_tuple": lambda: x.sum(dim=(0, -1), keepdim=kd),
            "tsum": lambda: T.sum(x, d),
        }[op]
        return self.log(f"{op}(dim={d}, keepdim={kd})", f())

    def view(self, x):
        T, shape, nd = self.T, tuple(x.shape), x.dim()
        op = self.pick(["reshape", "view", "transpose", "permute", "t", "unsqueeze", "squeeze",
                        "flatten", "expand"])
        if nd == 0 and op not in ("reshape", "unsqueeze"):
            op = "unsqueeze"
        if op in ("reshape", "view"):
            n = int(np.prod(shape, dtype=np.int64))
            dims, rest = [], n
            for p in (2, 3, 2, 5, 7, 2):
                while rest % p == 0 and self.g.random() < 0.5:
                    dims.append(p)
                    rest //= p
            dims.append(rest)
            self.g.shuffle(dims)
            if op == "view":
                return self.log(f"contiguous().view{tuple(dims)}", x.contiguous().view(*dims))
            if len(dims) > 1 and self.g.random() < 0.5:
                dims[int(self.g.integers(len(dims)))] = -1
            return self.log(f"reshape{tuple(dims)}", x.reshape(tuple(dims)))
        if op == "transpose" and nd >= 2:
            a, b = (int(v) for v in self.g.choice(nd, 2, replace=False))
            return self.log(f"transpose({a}, {b})", x.transpose(a, b))
        if op == "permute" and nd >= 2:
            perm = [int(v) for v in self.g.permutation(nd)]
            return self.log(f"permute{tuple(perm)}", x.permute(*perm))
        if op == "t" and nd <= 2:
            return self.log("t()", x.t())
        if op == "unsqueeze" and nd < 4:
            d = int(self.g.integers(-nd - 1, nd + 1))
            return self.log(f"unsqueeze({d})", x.unsqueeze(d))
        if op == "squeeze":
            return self.log("squeeze()", x.squeeze())
        if op == "flatten":
            return self.log("flatten()", x.flatten())
        if op == "expand" and nd < 3:
            target = tuple(3 if s == 1 else s for s in shape)
            return self.log(f"expand(2, {target})", x.expand(2, *target))
        return self.log("contiguous()", x.contiguous())

    def index(self, x):
        T, nd = self.T, x.dim()
        if nd == 0:
            return self.unary(x)
        n0 = x.shape[0]
        op = self.pick(["int", "neg", "slice", "step", "ellipsis", "none", "list", "mask",
                        "tensor_idx", "setitem"])
        if op == "int":
            i = int(self.g.integers(n0))
            return self.log(f"x[{i}]", x[i])
        if op == "neg":
            return self.log("x[-1]", x[-1])
        if op == "slice":
            a = int(self.g.integers(0, n0))
            return self.log(f"x[{a}:]", x[a:])
        if op == "step":
            return self.log("x[..., ::2]", x[..., ::2])
        if op == "ellipsis" and nd >= 2:
            return self.log("x[..., 0]", x[..., 0])
        if op == "none":
            return self.log("x[None, :]", x[None, :])
        if op == "list":
            idx = [int(v) for v in self.g.integers(0, n0, size=3)]
            return self.log(f"x[{idx}]", x[idx])
        if op == "mask":
            m = x > 0
            return self.log("x[x > 0]", x[m]) if bool(m.any()) else self.log("x[x <= 0]", x[~m])
        if op == "tensor_idx" and nd >= 2:
            idx = T.tensor([int(v) for v in self.g.integers(0, x.shape[1], size=2)])
            return self.log(f"x[:, tensor({idx.tolist()})]", x[:, idx])
        if op == "tensor_idx":
            idx = T.tensor([int(v) for v in self.g.integers(0, n0, size=2)])
            return self.log(f"x[tensor({idx.tolist()})]", x[idx])
        y = x * 1.0
        v = self.leaf(tuple(x.shape[1:]))
        y[int(self.g.integers(n0))] = v
        return self.log("y = x * 1; y[i] = leaf", y)

    def inplace(self, x):
        """In-place ops on a non-leaf copy (torch's version counter allows these)."""
        y = x.clone() if self.g.random() < 0.5 else x * 1.0
        op = self.pick(["add_", "sub_", "mul_", "div_", "clamp_", "mul_t"])
        if op == "add_":
            y.add_(self.leaf(self.bshape(tuple(x.shape), grow=False)))
        elif op == "sub_":
            y.sub_(self.leaf(self.bshape(tuple(x.shape), grow=False)), alpha=2)
        elif op == "mul_":
            y.mul_(1.5)
        elif op == "div_":
            y.div_(-4.0)
        elif op == "clamp_":
            y.clamp_(-0.7, 0.7)
        else:
            y.mul_(self.leaf(self.bshape(tuple(x.shape), grow=False)))
        return self.log(f"y = copy(x); y.{op}(…)", y)

    def join(self, x):
        T = self.T
        y = self.leaf(tuple(x.shape))
        if x.dim() == 0 or self.g.random() < 0.4:
            d = int(self.g.integers(0, x.dim() + 1))
            return self.log(f"stack([x, y], {d})", T.stack([x, y], dim=d))
        d = int(self.g.integers(0, x.dim()))
        return self.log(f"cat([x, y], {d})", T.cat((x, y), dim=d))

    def softmax(self, x):
        F = self.T.nn.functional
        if x.dim() == 0 or not (HAVE["softmax"] and HAVE["log_softmax"]):
            return self.unary(x)
        d = int(self.g.integers(-x.dim(), x.dim()))
        if self.g.random() < 0.5:
            return self.log(f"F.softmax(x, dim={d})", F.softmax(x, dim=d))
        return self.log(f"F.log_softmax(x, dim={d})", F.log_softmax(x, dim=d))

    def loss(self, x):
        T, F = self.T, self.T.nn.functional
        kinds = [k for k in ("mse_loss", "cross_entropy", "binary_cross_entropy_with_logits")
                 if HAVE[k]]
        if not kinds:
            return x
        kind = self.pick(kinds)
        if kind == "cross_entropy":
            z = x.reshape(-1, 2) if x.numel() % 2 == 0 and x.numel() > 0 else x.reshape(1, -1)
            labels = T.tensor(self.g.integers(0, z.shape[1], size=z.shape[0]), device=self.device)
            return self.log("F.cross_entropy(x.reshape(N, C), labels)", F.cross_entropy(z, labels))
        target = T.tensor(self.g.uniform(0, 1, size=tuple(x.shape)).astype(self.dtype),
                          device=self.device)
        red = self.pick(["mean", "sum"])
        return self.log(f"F.{kind}(x, target, reduction={red!r})",
                        getattr(F, kind)(x, target, reduction=red))

    # -- the program -----------------------------------------------------------------------
    def run(self):
        shape = tuple(int(s) for s in self.g.integers(1, 4, size=int(self.g.integers(0, 4))))
        x = self.log(f"x = leaf{shape}", self.leaf(shape))
        blocks = [self.binary, self.unary, self.matmul, self.reduce, self.view, self.index,
                  self.join, self.softmax, self.inplace]
        weights = np.array([3, 3, 2, 2, 2, 2, 1, 1, 1], dtype=float)
        for _ in range(int(self.g.integers(2, 7))):
            block = blocks[int(self.g.choice(len(blocks), p=weights / weights.sum()))]
            if x.numel() > MAX_NUMEL:
                block = self.reduce
            x = block(x)
        if self.g.random() < 0.25:
            x = self.loss(x)
        w = self.T.tensor(np.asarray(self.g.standard_normal(tuple(x.shape)), dtype=self.dtype),
                          device=self.device)
        self.out, self.loss_value = x, (x * w).sum()
        return self


def to_np(t):
    if type(t).__module__.startswith("torch"):
        return t.detach().numpy()
    return _backend.to_numpy(t.detach()._data).copy()


def program_grads(seed):
    p = Program(seed, course_lib).run()
    p.loss_value.backward()
    return p, [to_np(x.grad) if x.grad is not None else np.zeros(x.shape) for x in p.leaves]


def close(a, b, rtol, atol):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)


@pytest.mark.parametrize("seed", range(N_PROGRAMS))
def test_program_matches_finite_differences(seed):
    p, grads = program_grads(seed)
    trace = "\n".join(p.trace)
    base = [to_np(x) for x in p.leaves]
    eps = 1e-6

    def loss_at(values):
        with course_lib.no_grad():
            return float(to_np(Program(seed, course_lib, values).run().loss_value))

    if seed % 3 == 0:  # autograd.grad returns the same gradients and leaves .grad alone
        q = Program(seed, course_lib).run()
        got = course_lib.autograd.grad(q.loss_value, q.leaves, allow_unused=True)
        for x, gq, want in zip(q.leaves, got, grads):
            assert x.grad is None
            assert np.array_equal(np.zeros(want.shape) if gq is None else to_np(gq), want), trace
    elif seed % 3 == 1:  # retain_graph=True: a second backward adds the same gradients again
        q = Program(seed, course_lib).run()
        q.loss_value.backward(retain_graph=True)
        q.loss_value.backward()
        for x, want in zip(q.leaves, grads):
            got = np.zeros(want.shape) if x.grad is None else to_np(x.grad)
            assert np.allclose(got, 2 * want, rtol=1e-12, atol=0), trace
    g = np.random.default_rng(seed + 10_000)
    for k, (x0, grad) in enumerate(zip(base, grads)):
        # small leaves: every element; larger ones: 4 random directions v (grad·v vs dL/dv)
        dirs = np.eye(x0.size) if x0.size <= 8 else g.standard_normal((4, x0.size))
        for v in dirs:
            vals = [b.copy() for b in base]
            vals[k] = x0 + eps * v.reshape(x0.shape)
            plus = loss_at(vals)
            vals[k] = x0 - eps * v.reshape(x0.shape)
            numerical = (plus - loss_at(vals)) / (2 * eps)
            analytical = float(np.dot(grad.reshape(-1), v))
            scale = max(1.0, abs(numerical))
            assert abs(analytical - numerical) <= 1e-4 * scale, \
                f"seed {seed}, leaf {k}, direction {v}: autograd {analytical}, " \
                f"finite differences {numerical}\ngrad:\n{grad}\n{trace}"


@pytest.mark.parametrize("chunk", range(0, N_PROGRAMS, 40))
def test_programs_match_torch(chunk):
    torch = pytest.importorskip("torch")
    for seed in range(chunk, chunk + 40):
        p, grads = program_grads(seed)
        q = Program(seed, torch).run()
        q.loss_value.backward()
        trace = "\n".join(p.trace)
        assert p.trace == q.trace, f"seed {seed}: programs diverged\n{trace}\n--\n" + "\n".join(q.trace)
        ref = to_np(q.out)
        scale = max(1.0, float(np.nanmax(np.abs(ref), initial=0.0)))
        assert close(to_np(p.out), ref, rtol=1e-7, atol=1e-12 * scale), f"seed {seed} values\n{trace}"
        for k, (x, grad) in enumerate(zip(q.leaves, grads)):
            want = to_np(x.grad) if x.grad is not None else np.zeros(tuple(x.shape))
            scale = max(1.0, float(np.abs(want).max(initial=0.0)))
            assert close(grad, want, rtol=1e-7, atol=1e-12 * scale), \
                f"seed {seed}, leaf {k}: ours\n{grad}\ntorch\n{want}\n{trace}"


def test_simulated_cuda_runs_the_same_programs():
    """The same programs on the simulated CUDA device: identical values and gradients, and
    every gradient lives on cuda:0."""
    from course_lib import _backend

    was = _backend.simulating()
    course_lib.cuda.simulate(True)
    try:
        for seed in range(0, N_PROGRAMS, 6):
            cpu, grads = program_grads(seed)
            gpu = Program(seed, course_lib, device="cuda").run()
            gpu.loss_value.backward()
            assert np.array_equal(to_np(gpu.out), to_np(cpu.out), equal_nan=True), seed
            for x, want in zip(gpu.leaves, grads):
                if x.grad is None:
                    assert not want.any(), seed
                    continue
                assert x.grad.device == course_lib.device("cuda:0"), (seed, "\n".join(gpu.trace))
                assert np.array_equal(to_np(x.grad), want), (seed, "\n".join(gpu.trace))
    finally:
        course_lib.cuda.simulate(was)


def test_float32_programs_match_torch():
    """Every 3rd program in float32 (the default dtype students use): same dtypes everywhere,
    values and gradients equal to torch's up to float32 rounding."""
    torch = pytest.importorskip("torch")
    for seed in range(0, N_PROGRAMS, 3):
        p = Program(seed, course_lib, dtype=np.float32).run()
        q = Program(seed, torch, dtype=np.float32).run()
        p.loss_value.backward()
        q.loss_value.backward()
        trace = "\n".join(p.trace)
        assert str(p.out.dtype) == str(q.out.dtype).replace("torch.", "course_lib."), trace
        ref = to_np(q.out)
        scale = max(1.0, float(np.nanmax(np.abs(ref), initial=0.0)))
        assert close(to_np(p.out), ref, rtol=1e-4, atol=1e-5 * scale), f"seed {seed}\n{trace}"
        for k, (x, y) in enumerate(zip(p.leaves, q.leaves)):
            if y.grad is None:
                continue
            want = to_np(y.grad)
            assert x.grad is not None and to_np(x.grad).dtype == np.float32, (seed, k, trace)
            scale = max(1.0, float(np.abs(want).max(initial=0.0)))
            assert close(to_np(x.grad), want, rtol=1e-4, atol=1e-5 * scale), \
                f"seed {seed}, leaf {k}\n{to_np(x.grad)}\n{want}\n{trace}"
