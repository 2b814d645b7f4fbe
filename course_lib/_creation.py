"""Creation functions: ``tensor``, ``zeros``, ``ones``, ``rand``, ``arange`` … and ``from_numpy``.

创建张量的函数。Every one takes ``dtype=``, ``device=`` and (where torch does) ``requires_grad=``.
"""
from __future__ import annotations

import builtins

import numpy as np

from . import _backend
from ._default_device import DEFAULT as _DEFAULT
from ._device import CPU, device as _device
from ._dtype import _by_np, _default, _from_np, dtype as _dtype, float64 as _f64, int64 as _i64
from ._dtype import bool as _bool
from ._tensor import Tensor, _wrap
from .exercises import exercise
import course_lib as torch  # the solution regions use the names a notebook has
from ._ops.checks import _floating, _negative_dim_error, _ragged, _size  # noqa: F401
from .random import rng

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "empty", "full",
           "rand", "randn", "randint", "randperm", "arange", "linspace", "eye", "zeros_like",
           "ones_like", "empty_like", "full_like", "rand_like", "randn_like", "randint_like",
           "normal"]

_PY_TYPES = {builtins.float: _f64, builtins.int: _i64, builtins.bool: _bool}


def _dt(dtype):
    """A course_lib dtype from ``dtype=`` (also accepts Python float/int/bool like torch)."""
    if dtype is None or isinstance(dtype, _dtype):
        return dtype
    if dtype in _PY_TYPES:
        return _PY_TYPES[dtype]
    raise TypeError(f"argument 'dtype' must be course_lib.dtype, not {type(dtype).__name__}")


def _dev(device):
    if device is None:
        return CPU
    d = _device(device)
    if d.type == "cuda":
        _backend.require_cuda()
        if d.index is not None and d.index >= _backend.device_count():
            raise RuntimeError("CUDA error: invalid device ordinal")
    return d


def _finish(arr, dtype, device, requires_grad):
    if device is None:
        device = _DEFAULT[0]
    if dtype is not None and arr.dtype != dtype._np:
        arr = arr.astype(dtype._np)
    if device is not None:
        arr = _backend.on_device(arr, _dev(device)) if _backend.is_cpu(arr) else \
            _backend.transfer(arr, _dev(device))
    t = _wrap(arr)
    if requires_grad:
        if arr.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t._requires_grad = True
    return t


def _infer_np(data, dtype=None):
    """numpy array for Python data, with torch's dtype inference (Python floats stay float64
    when an explicit ``dtype`` follows: no rounding through the default float32)."""
    if isinstance(data, Tensor):
        return _backend.to_numpy(data._data).copy(), True
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
        data = [(_backend.to_numpy(x._data) if isinstance(x, Tensor) else x) for x in data]
    try:
        arr = np.array(data)
    except ValueError:
        raise _ragged(data) from None
    if arr.dtype == object:
        raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
    if arr.dtype.kind == "U" or arr.dtype.kind == "S":
        raise TypeError("new(): invalid data type 'str'")
    if arr.dtype.kind == "f" and arr.dtype == np.float64 and dtype is None:
        arr = arr.astype(_default[0]._np)
    elif arr.dtype.kind == "i" and arr.dtype != np.int64:
        arr = arr.astype(np.int64)
    return arr, True


def _from_data(data, dtype, device):
    """A Tensor copy of Python/numpy data (torch.tensor without requires_grad)."""
    if isinstance(data, (np.ndarray, np.generic)):  # a copy, through the lesson-02 pieces
        return _finish(as_tensor(np.array(data, copy=True))._data, _dt(dtype), device, False)
    if not _backend.is_cpu(data) and hasattr(data, "__cuda_array_interface__"):
        return _finish(data.copy(), _dt(dtype), device, False)
    arr, _ = _infer_np(data, dtype)  # Python data: no piece, so lesson 01 can make tensors
    return _finish(arr, _dt(dtype), device, False)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a COPY of ``data`` (number, nested lists, ndarray, tensor).

    用数据的拷贝创建张量。Python 整数 → int64，浮点 → 默认类型（float32），bool → bool；
    numpy 数组保留其 dtype。
    """
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    t = _from_data(data, dtype, device)
    if requires_grad:
        if t._data.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t._requires_grad = True
    return t


@exercise("02_numpy", "as_tensor", key="course_lib.as_tensor")
def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory whenever it can (copy only when it must).

    尽量不拷贝地把数据变成张量：
    * 张量 → ``dtype``、``device`` 都是 None 时是它本身，否则 ``data.to(device=device, dtype=dtype)``；
    * numpy 数组，``dtype`` 为 None 或与数组相同，``device`` 为 None 或 cpu →
      ``torch.from_numpy(data)``（共享内存）；
    * 其他一切 → ``torch.tensor(data, dtype=dtype, device=device)``（新内存）。
    A tensor → itself without ``dtype``/``device``, else ``data.to(device=device, dtype=dtype)``; a numpy array whose dtype stays (``dtype``
    None or the same) on the cpu (``device`` None or cpu; ``str(device) == "cpu"``) →
    ``torch.from_numpy(data)`` (shared memory); anything else → ``torch.tensor(data,
    dtype=dtype, device=device)`` (new memory). ``torch.asarray``, numpy operands of
    ``+ - * /`` and the DataLoader's collation of numpy samples come here.
    """
    ### BEGIN SOLUTION
    if isinstance(data, torch.Tensor):
        if dtype is None and device is None:
            return data
        return data.to(device=device, dtype=dtype)
    on_cpu = device is None or str(device) == "cpu"
    if isinstance(data, np.ndarray) and on_cpu:
        t = torch.from_numpy(data)
        if dtype is None or dtype == t.dtype:
            return t
    return torch.tensor(data, dtype=dtype, device=device)
    ### END SOLUTION


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    if device is None:
        device = _DEFAULT[0]
    t = tensor(obj, dtype=dtype, device=device) if copy else as_tensor(obj, dtype, device)
    return t.requires_grad_(True) if requires_grad else t


@exercise("02_numpy", "from_numpy", key="course_lib.from_numpy")
def from_numpy(ndarray):
    """A cpu tensor that SHARES memory with the numpy array (no copy) and keeps its dtype.

    从 numpy 数组创建张量：共享内存（不拷贝），dtype 不变（float64 仍是 float64）。
    改动其中一个，另一个也会变。Errors like torch / 与 torch 相同的错误：
    not an ndarray → ``TypeError: expected np.ndarray (got list)``;
    unsupported dtype (e.g. complex, str) → ``TypeError`` (``course_lib._dtype._from_np`` raises it).
    Hint / 提示：``torch._dtype._from_np(ndarray.dtype)`` checks the dtype; the fast internal
    constructor ``torch._tensor._wrap(array)`` makes a tensor around an array without copying.
    ``torch.tensor(ndarray)``, ``torch.as_tensor`` and ``np`` operands of ops all come here.
    """
    ### BEGIN SOLUTION
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    torch._dtype._from_np(ndarray.dtype)  # raises TypeError for dtypes course_lib lacks
    return torch._tensor._wrap(ndarray)
    ### END SOLUTION


def _float_dt(dtype):
    return (_dt(dtype) or _default[0])._np


def zeros(*size, out=None, dtype=None, device=None, requires_grad=False):
    """A tensor of zeros with shape ``size``. 全零张量。"""
    return _finish(np.zeros(_size(size, "zeros"), _float_dt(dtype)), None, device, requires_grad)


def ones(*size, out=None, dtype=None, device=None, requires_grad=False):
    """A tensor of ones. 全一张量。"""
    return _finish(np.ones(_size(size, "ones"), _float_dt(dtype)), None, device, requires_grad)


def empty(*size, out=None, dtype=None, device=None, requires_grad=False, memory_format=None):
    """An uninitialised tensor (here: zeros, so printing it is deterministic). 未初始化张量。"""
    return _finish(np.zeros(_size(size), _float_dt(dtype)), None, device, requires_grad)


def full(size, fill_value, *, out=None, dtype=None, device=None, requires_grad=False):
    """A tensor filled with ``fill_value`` (its dtype inferred like torch). 用常数填充。"""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if not isinstance(fill_value, (int, float, complex, np.number, np.bool_)):
        raise TypeError(f"full(): argument 'fill_value' (position 2) must be Number, not "
                        f"{type(fill_value).__name__}")
    d = _dt(dtype)
    if d is None:
        d = _bool if isinstance(fill_value, bool) else (
            _i64 if isinstance(fill_value, int) else _default[0])
    return _finish(np.full(_size((size,) if isinstance(size, int) else (size,)), fill_value,
                           d._np), None, device, requires_grad)


def rand(*size, generator=None, out=None, dtype=None, device=None, requires_grad=False):
    """Uniform random numbers in [0, 1). [0, 1) 上的均匀分布。"""
    _floating(dtype, "check_uniform_bounds")
    a = rng(generator).random(_size(size, "rand"), dtype=np.float64).astype(_float_dt(dtype))
    return _finish(a, None, device, requires_grad)


def randn(*size, generator=None, out=None, dtype=None, device=None, requires_grad=False):
    """Standard normal random numbers. 标准正态分布。"""
    _floating(dtype, "normal_kernel_cpu")
    a = rng(generator).standard_normal(_size(size, "randn")).astype(_float_dt(dtype))
    return _finish(a, None, device, requires_grad)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False):
    """Random integers in [low, high) (int64). [low, high) 中的随机整数。"""
    if size is None:
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing 1 required positional arguments: \"size\"")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    a = rng(generator).integers(low, high, _size((size,) if isinstance(size, int) else (size,)))
    return _finish(a.astype((_dt(dtype) or _i64)._np), None, device, requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    _size((n,), "randperm")
    a = rng(generator).permutation(n).astype((_dt(dtype) or _i64)._np)
    return _finish(a, None, device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, device=None):
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._data if isinstance(mean, Tensor) else mean
        s = std._data if isinstance(std, Tensor) else std
        from ._ops._util import check_broadcast
        shape = check_broadcast(np.shape(m), np.shape(s))
        a = rng(generator).standard_normal(shape) * _backend.to_numpy(np.asarray(s)) + \
            _backend.to_numpy(np.asarray(m))
        if np.any(np.asarray(_backend.to_numpy(np.asarray(s))) < 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
        like = mean if isinstance(mean, Tensor) else std
        return _finish(a.astype(like._data.dtype), None, like.device, False)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    a = rng(generator).normal(mean, std, _size((size,) if isinstance(size, int) else (size,)))
    return _finish(a.astype(_float_dt(dtype)), None, CPU if device is None else device, False)


def _num(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start, end=None, step=1, *, out=None, dtype=None, device=None, requires_grad=False):
    """Numbers from ``start`` to ``end`` (excluded) by ``step``. 等差数列（不含终点）。"""
    if end is None:
        start, end = 0, start
    start, end, step = _num(start), _num(end), _num(step)
    for name, v in (("start", start), ("end", end), ("step", step)):
        if not isinstance(v, (int, float, np.number)):
            raise TypeError(f"arange(): argument '{name}' must be Number, not "
                            f"{type(v).__name__}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    d = _dt(dtype)
    if d is None:
        d = _i64 if all(isinstance(v, int) for v in (start, end, step)) else _default[0]
    if not d.is_floating_point and isinstance(step, float) and int(step) == 0:
        raise ValueError("step must be nonzero")
    if d.is_floating_point:
        n = int(np.ceil((end - start) / step))
        a = (start + np.arange(n, dtype=np.float64) * step).astype(d._np)
    else:
        a = np.arange(start, end, step).astype(d._np)
    return _finish(a, None, device, requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced numbers from ``start`` to ``end`` (included). 等间距数列。"""
    if not isinstance(steps, (int, np.integer)):
        raise TypeError(f"linspace() received an invalid combination of arguments - got "
                        f"(steps={type(steps).__name__}), but expected (Number start, Number end, "
                        "int steps)")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    a = np.linspace(_num(start), _num(end), steps).astype(_float_dt(dtype))
    return _finish(a, None, device, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, device=None, requires_grad=False):
    """Identity matrix ``n × m``. 单位矩阵。"""
    for name, v in (("n", n), ("m", m)):
        if v is not None and not isinstance(v, (int, np.integer)):
            raise TypeError(f"eye() received an invalid combination of arguments - got "
                            f"({name}={type(v).__name__}), but expected (int n, int m)")
        if v is not None and v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    return _finish(np.eye(n, m, dtype=_float_dt(dtype)), None, device, requires_grad)


def _like(t, dtype, device, name="zeros_like"):
    if not isinstance(t, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(t).__name__}")
    return (_dt(dtype) or t.dtype), (device if device is not None else t.device)


@exercise("03_cuda", "empty_like", key="course_lib.empty_like")
def empty_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """A new tensor with the shape of ``input`` — and its dtype and DEVICE unless told otherwise.

    创建一个与 ``input`` 形状相同的新张量；``dtype``、``device`` 没给出（None）时与 ``input`` 相同——
    所以在 GPU 上的张量得到 GPU 上的新张量，代码不必关心设备。用 ``torch.empty(形状, dtype=…, device=…,
    requires_grad=…)`` 创建（course_lib 的 empty 填 0）。``input`` 不是张量时抛出 torch 的 TypeError：
    Same shape as ``input``; ``dtype`` and ``device`` default to ``input``'s (None means "the
    same"), so a tensor on the GPU gets a new tensor on the GPU. Make it with ``torch.empty(shape,
    dtype=…, device=…, requires_grad=…)``. Not a tensor → torch's
    ``TypeError("empty_like(): argument 'input' (position 1) must be Tensor, not list")``.
    ``zeros_like``, ``ones_like``, ``full_like``, ``rand_like``, ``randn_like`` and the
    optimizers' state (momentum, Adam's averages) all start here.
    """
    ### BEGIN SOLUTION
    if not isinstance(input, torch.Tensor):
        raise TypeError(f"empty_like(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return torch.empty(input.shape, dtype=input.dtype if dtype is None else dtype,
                       device=input.device if device is None else device,
                       requires_grad=requires_grad)
    ### END SOLUTION


def _from_like(name, input, dtype, device, requires_grad, fill):
    """``<name>_like``: a tensor from the piece ``empty_like``, then ``fill(array)`` writes it."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    t = empty_like(input, dtype=_dt(dtype), device=device)
    fill(t)
    if requires_grad:
        t.requires_grad_(True)
    return t


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _from_like("zeros_like", input, dtype, device, requires_grad,
                      lambda t: t._data.fill(0))


def ones_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _from_like("ones_like", input, dtype, device, requires_grad,
                      lambda t: t._data.fill(1))


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False,
              memory_format=None):
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if not isinstance(fill_value, (int, float, complex, np.number, np.bool_)):
        raise TypeError(f"full_like(): argument 'fill_value' (position 2) must be Number, not "
                        f"{type(fill_value).__name__}")
    if dtype is None and isinstance(input, Tensor):  # torch: the input's dtype, not the value's
        dtype = input.dtype
    return _from_like("full_like", input, dtype, device, requires_grad,
                      lambda t: t._data.fill(fill_value))


def _random_like(name, gen):
    def like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
        def fill(t):
            t._data[...] = gen(t.shape, dtype=t.dtype, device=t.device)._data
        return _from_like(name, input, dtype, device, requires_grad, fill)
    like.__name__ = like.__qualname__ = name
    return like


rand_like = _random_like("rand_like", rand)
randn_like = _random_like("randn_like", randn)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    e = empty_like(input, dtype=_dt(dtype), device=device)
    return randint(low, high, e.shape, dtype=e.dtype, device=e.device)


def _legacy_new(cls, args, device):
    """``course_lib.Tensor(...)``: sizes → uninitialised float32, data → float32 copy."""
    if len(args) == 0:
        t = _wrap(np.zeros((0,), np.float32), cls=cls)
    elif builtins.all(isinstance(a, (int, np.integer)) and not isinstance(a, bool)
                      for a in args) or (len(args) == 1 and isinstance(args[0], tuple)
                                         and type(args[0]).__name__ == "Size"):
        t = _wrap(np.zeros(_size(args), np.float32), cls=cls)
    elif len(args) == 1:
        src = args[0]
        if isinstance(src, Tensor):
            return src if cls is Tensor else _wrap(src._data, cls=cls)
        if src is None or isinstance(src, (bool, float, complex, np.generic)):  # not a sequence
            kind = type(src)
            name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
            raise TypeError(f"new(): data must be a sequence (got {name})")
        arr = src if isinstance(src, np.ndarray) else _infer_np(src)[0]
        t = _wrap(np.array(arr, dtype=np.float32), cls=cls)
    else:
        raise TypeError("new() received an invalid combination of arguments")
    if device is not None:
        t._data = _backend.on_device(t._data, _dev(device))
    return t


def _new_methods():
    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        d, dev = _like(self, dtype, device)
        t = tensor(data, dtype=d, device=dev)
        return t.requires_grad_(True) if requires_grad else t

    def new(name, fn):
        def method(self, *size, dtype=None, device=None, requires_grad=False, **kw):
            d, dev = _like(self, dtype, device)
            return fn(self, _size(size), d, dev, requires_grad, **kw)
        method.__name__ = name
        return method

    Tensor.new_tensor = new_tensor
    Tensor.new_zeros = new("new_zeros", lambda s, z, d, dev, rg: zeros(z, dtype=d, device=dev,
                                                                        requires_grad=rg))
    Tensor.new_ones = new("new_ones", lambda s, z, d, dev, rg: ones(z, dtype=d, device=dev,
                                                                     requires_grad=rg))
    Tensor.new_empty = new("new_empty", lambda s, z, d, dev, rg: empty(z, dtype=d, device=dev,
                                                                        requires_grad=rg))

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        d, dev = _like(self, dtype, device)
        return full(size, fill_value, dtype=d, device=dev, requires_grad=requires_grad)

    Tensor.new_full = new_full


_new_methods()
_ = _by_np


def _triangle_indices(name, np_fn, row, col, offset, dtype, device):
    d = _dt(dtype) or _i64
    if d._np.kind not in "iu":
        from ._dtype import scalar_name
        raise NotImplementedError(f'"{name}" not implemented for \'{scalar_name(d)}\'')
    r, c = np_fn(row, offset, col)
    return _finish(np.stack([r, c]).astype(d._np).reshape(2, -1), None, device, False)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """(2, N) coordinates of the lower triangle of a ``row × col`` matrix (``offset`` above the
    diagonal included), row by row. 下三角元素的坐标。"""
    return _triangle_indices("tril_indices", np.tril_indices, row, col, offset, dtype, device)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """(2, N) coordinates of the upper triangle of a ``row × col`` matrix. 上三角元素的坐标。"""
    return _triangle_indices("triu_indices", np.triu_indices, row, col, offset, dtype, device)


def _window(name, n, periodic, dtype, device, requires_grad, fn):
    """A window of ``n`` points: symmetric (``fn(i, m)`` for i = 0 … n−1 with m = n), or
    periodic (m = n + 1, the last point dropped), computed in the dtype as torch does."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name}(): argument 'window_length' (position 1) must be int, not "
                        f"{type(n).__name__}")
    d = _dt(dtype) or _default[0]
    if d._np.kind != "f":
        from ._ops.checks import _C_NAMES
        raise RuntimeError(f"{name} expects floating point dtypes, got: TensorOptions(dtype="
                           f"{_C_NAMES[d._np.name]}, device=cpu, layout=Strided (default), "
                           "requires_grad=false (default), pinned_memory=false, "
                           "memory_format=(nullopt))")
    if n < 0:
        raise RuntimeError(f"{name} requires non-negative window length, got "
                           f"window_length={n}")
    dt = d._np.type
    if n <= 1:
        w = np.ones(n, d._np)
    else:
        m = n + 1 if periodic else n
        with np.errstate(all="ignore"):
            w = np.asarray(fn(np.arange(m, dtype=d._np), m, dt), d._np)[:n]
    return _finish(w, None, device, requires_grad)


def _cosine_window(alpha, beta):
    """α − β·cos(2πi/(m−1)): Hann (½, ½) and Hamming."""
    def fn(i, m, dt):
        return np.cos(i * dt(2 * np.pi / (m - 1))) * dt(-beta) + dt(alpha)
    return fn


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                requires_grad=False):
    """½ − ½·cos(2πi/(N−1)); ``periodic`` (for spectral analysis) drops the last of N + 1.
    Hann 窗。"""
    return _window("hann_window", window_length, periodic, dtype, device, requires_grad,
                   _cosine_window(0.5, 0.5))


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, requires_grad=False):
    """α − β·cos(2πi/(N−1)). Hamming 窗。"""
    return _window("hamming_window", window_length, periodic, dtype, device, requires_grad,
                   _cosine_window(alpha, beta))


def _blackman(i, m, dt):
    t = i * dt(np.pi / (m - 1))
    return np.cos(t * dt(4)) * dt(0.08) - np.cos(t * dt(2)) * dt(0.5) + dt(0.42)


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False):
    """0.42 − 0.5·cos(2πi/(N−1)) + 0.08·cos(4πi/(N−1)). Blackman 窗。"""
    return _window("blackman_window", window_length, periodic, dtype, device, requires_grad,
                   _blackman)


def _bartlett(i, m, dt):
    w = i * dt(2.0 / (m - 1))
    half = (m - 1) // 2 + 1
    w[half:] = dt(2) - w[half:]
    return w


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False):
    """The triangle 1 − |2i/(N−1) − 1|. Bartlett（三角）窗。"""
    return _window("bartlett_window", window_length, periodic, dtype, device, requires_grad,
                   _bartlett)


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, requires_grad=False):
    """I₀(β·√(1 − (2i/(N−1) − 1)²)) / I₀(β) (I₀: modified Bessel function). Kaiser 窗。"""
    return _window("kaiser_window", window_length, periodic, dtype, device, requires_grad,
                   lambda i, m, dt: np.kaiser(m, beta))
