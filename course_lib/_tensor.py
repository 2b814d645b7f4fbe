"""``course_lib.Tensor``: an n-dimensional array that can record its autograd history.

``course_lib.Tensor``：能记录自动求导历史的 n 维数组。

The data lives in ``t._data`` (numpy on cpu, cupy on cuda, :class:`SimulatedCudaArray` on the
simulated GPU). Operators and math methods are attached by the ``course_lib._ops`` modules; the
autograd attributes (``grad_fn``, ``grad``, hooks, ``backward``, ``detach``) are written in
``course_lib._tensor_autograd`` and bound in the class body here.
"""
from __future__ import annotations

import warnings

import numpy as np

from . import _backend
from ._device import CPU, device as _device_cls
from ._dtype import _by_np, _from_np, dtype as _dtype_cls, get_default_dtype
from ._size import Size
from .autograd import engine as _engine_mod, grad_mode, node as _node_mod
from . import _tensor_autograd as _ag
from ._tensor_autograd import NONLEAF_GRAD_WARNING, _TensorHookHandle  # noqa: F401

__all__ = ["Tensor"]

_ndarray = np.ndarray
_new = object.__new__


def _wrap(data, requires_grad=False, cls=None):
    """A Tensor around the array ``data`` (no copy). The fast internal constructor."""
    if type(data) is not _ndarray and isinstance(data, np.generic):
        data = np.asarray(data)
    t = _new(cls or Tensor)
    t._data = data
    t._requires_grad = requires_grad
    t._grad_fn = None
    t._grad = None
    t._ver = [0]
    t._output_nr = 0
    t._accum = None
    t._hooks = None
    t._post_acc = None
    t._base = None
    return t


def _view_of(data, base):
    """A Tensor around ``data``, a view of ``base``'s memory (shares its version counter).

    ``_base`` is the root tensor that owns the memory; ``_gver`` the version at which the
    view's ``grad_fn`` was made (when the memory changes in place, ``grad_fn`` is remade, like
    torch's ``AsStridedBackward0``); ``_vmeta`` how the view was created (``autograd.views``).
    """
    t = _wrap(data)
    v = t._ver = base._ver
    t._gver = v[0]
    if base._base is None:
        t._base = base
        t._vmeta = 0
    else:
        t._base = base._base
        t._vmeta = base._vmeta  # a view of a no-grad or multi-output view is one too
    if not grad_mode.STATE[0]:
        t._vmeta = 1
        t._requires_grad = t._base._requires_grad  # torch: a view requires grad as its base
    return t


_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
               "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor"}


def _type_name(t):
    name = _TYPE_NAMES[_from_np(t._data.dtype)._name]
    return ("course_lib.cuda." if not _backend.is_cpu(t._data) else "course_lib.") + name


class Tensor:
    """A multi-dimensional array with autograd (torch.Tensor). 带自动求导的多维数组。

    ``course_lib.Tensor(2, 3)`` makes an uninitialised float32 tensor of that shape and
    ``course_lib.Tensor([1, 2])`` a float32 copy of the data, as torch's legacy constructor.
    Prefer ``course_lib.tensor(data)``. 推荐使用 ``course_lib.tensor(data)``。
    """

    # "__dict__": like torch, a tensor takes any new attribute (``t.name = ...``); the dict is
    # only made when one is set, and pickling, save/load and deepcopy keep it (detach does not)
    __slots__ = ("_data", "_requires_grad", "_grad_fn", "_grad", "_ver", "_output_nr",
                 "_accum", "_hooks", "_post_acc", "_base", "_gver", "_vmeta", "__weakref__",
                 "__dict__")
    __array_priority__ = 1000
    __array_ufunc__ = None  # ``ndarray * tensor`` calls Tensor.__rmul__ → a Tensor
    is_sparse = False
    is_quantized = False
    is_meta = False

    def __new__(cls, *args, device=None, dtype=None):
        from ._creation import _legacy_new

        return _legacy_new(cls, args, device)

    def __init__(self, *args, **kwargs):
        pass

    # -- metadata ------------------------------------------------------------------------
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        """Shape as ``course_lib.Size``, or the length of dimension ``dim``. 形状。"""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_dim_of(dim, self._data.ndim)]

    @property
    def dtype(self):
        return _by_np[self._data.dtype]

    @property
    def device(self):
        d = self._data
        return CPU if type(d) is _ndarray else _backend.device_of(d)

    @property
    def is_cuda(self):
        return type(self._data) is not _ndarray and self.device.type == "cuda"

    @property
    def is_cpu(self):
        return not self.is_cuda

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        return self._data.nbytes

    def stride(self, dim=None):
        s = tuple(x // self._data.itemsize for x in self._data.strides)
        return s if dim is None else s[_dim_of(dim, self._data.ndim)]

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return False

    def data_ptr(self):
        d = self._data
        return d.ctypes.data if isinstance(d, _ndarray) else d.data.ptr

    @property
    def output_nr(self):
        """Which output of its ``grad_fn`` this tensor is (0 for most ops). 是 grad_fn 的第几个输出。"""
        return self._output_nr

    def storage_offset(self):
        """How many elements into the memory it shares this tensor starts (0 unless a view)."""
        if self._base is None:
            return 0
        return (self.data_ptr() - self._base.data_ptr()) // self._data.itemsize

    def get_device(self):
        """-1 on the cpu, else the device's index. cpu 上为 -1，否则为设备编号。"""
        dev = self.device
        return -1 if dev.type == "cpu" else (dev.index or 0)

    def is_signed(self):
        return self._data.dtype.kind in "if"

    def is_same_size(self, other):
        return self._data.shape == other._data.shape

    def is_nonzero(self):
        return self.__bool__()

    def type(self, dtype=None):
        if dtype is None:
            return _type_name(self)
        return self.to(dtype if isinstance(dtype, _dtype_cls) else _str_dtype(dtype))

    @property
    def _version(self):
        return self._ver[0]

    @property
    def _is_view(self):
        return self._base is not None

    # -- autograd attributes (written in course_lib/_tensor_autograd.py) ------------------
    grad_fn, requires_grad, requires_grad_ = _ag.grad_fn, _ag.requires_grad, _ag.requires_grad_
    is_leaf, grad, retains_grad = _ag.is_leaf, _ag.grad, _ag.retains_grad
    retain_grad, register_hook, backward = _ag.retain_grad, _ag.register_hook, _ag.backward
    register_post_accumulate_grad_hook = _ag.register_post_accumulate_grad_hook
    detach, detach_, data = _ag.detach, _ag.detach_, _ag.data

    # -- Python protocol -----------------------------------------------------------------
    def __repr__(self, *, tensor_contents=None):
        try:
            from ._tensor_str import _str
        except ImportError:  # printing module not there yet
            return f"tensor({_backend.to_numpy(self._data)!r})"
        return _str(self, tensor_contents=tensor_contents)

    __hash__ = object.__hash__

    def __format__(self, spec):
        if self._data.ndim == 0 and type(self) is Tensor:
            return format(self._scalar("format"), spec)
        return object.__format__(self, spec)

    def __contains__(self, element):
        if isinstance(element, (Tensor, int, float, bool)):
            return bool((self == element).any())
        raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed "
                           f"in a {type(element)}.")

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        from ._ops.shape import unbind

        return iter(unbind(self, 0))

    def _scalar(self, what):
        if self._data.size != 1:
            if what in ("float", "int", "complex"):
                raise ValueError("only one element tensors can be converted to Python scalars")
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        if self._requires_grad and what in ("float", "int"):
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                          "unexpected behavior.\nConsider using tensor.detach() first.",
                          UserWarning, stacklevel=3)
        return self.item()  # the lesson-01 piece

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with "
                               f"{'no values' if not self._data.size else 'more than one value'} "
                               "is ambiguous")
        return bool(self._scalar("bool"))

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._scalar("index"))

    def __complex__(self):
        return complex(self._scalar("complex"))

    def __reduce_ex__(self, proto):
        args = (_backend.to_numpy(self._data).copy(), str(self.device), self._requires_grad,
                type(self))
        state = _attrs(self)
        return (_rebuild, args, state) if state else (_rebuild, args)

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.  If you were "
                               "attempting to deepcopy a module, this may be because of a "
                               "torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        new = _wrap(self._data.copy(), self._requires_grad, type(self))
        if self._grad is not None:
            new._grad = _wrap(self._grad._data.copy())
        memo[id(self)] = new
        state = _attrs(self)
        if state:
            from copy import deepcopy

            new.__dict__.update(deepcopy(state, memo))
        return new


def _attrs(t):
    """The attributes set on ``t`` (``t.name = ...``), or None."""
    return t.__dict__ or None


Tensor.__module__ = "course_lib"  # type(t) prints <class 'course_lib.Tensor'>, as torch.Tensor


def _rebuild(arr, dev, requires_grad, cls):
    t = _wrap(_backend.on_device(arr, _device_cls(dev)), cls=cls)
    t._requires_grad = requires_grad
    return t


def _dim(d, ndim):
    """Wrap a possibly negative dim; torch's IndexError when out of range."""
    if type(d) is not int:
        d = _int_dim(d)
    n = max(ndim, 1)
    if not -n <= d < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {d})")
    return d + n if d < 0 else d


def _int_dim(d):
    """A dim that is not a Python int: numpy/0-d integers are; anything else is torch's
    TypeError."""
    if hasattr(d, "__index__") and not isinstance(d, bool):
        return d.__index__()
    raise TypeError(f"argument 'dim' must be int, not {type(d).__name__}")


def _dim_of(d, ndim):
    """``_dim`` for size(d)/stride(d): a 0-d tensor has no dimension to ask about."""
    if ndim == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    return _dim(d, ndim)


def _str_dtype(s):
    from . import _dtype

    name = s.rsplit(".", 1)[-1]
    for d in _dtype.ALL:
        if _TYPE_NAMES[d._name] == name:
            return d
    raise ValueError(f"invalid type: '{s}'")


_ = get_default_dtype, grad_mode
_ag.Tensor = Tensor
_ag._wrap = _node_mod._wrap = _wrap
_engine_mod._wrap = _wrap
