"""``course_lib.Tensor``: an n-dimensional array that can record its autograd history.

``course_lib.Tensor``：能记录自动求导历史的 n 维数组。

The data lives in ``t._data`` (numpy on cpu, cupy on cuda, :class:`SimulatedCudaArray` on the
simulated GPU). Operators and math methods are attached by the ``course_lib._ops`` modules.
"""
from __future__ import annotations

import warnings
import weakref

import numpy as np

from . import _backend
from ._device import CPU, device as _device_cls
from ._dtype import _by_np, _from_np, dtype as _dtype_cls, get_default_dtype
from ._size import Size
from .autograd import engine as _engine_mod, grad_mode, node as _node_mod, views as _views
from .autograd.engine import run_backward

__all__ = ["Tensor"]

_ndarray = np.ndarray
_new = object.__new__

NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. "
    "See github.com/pytorch/pytorch/pull/30531 for more informations.")


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

    __slots__ = ("_data", "_requires_grad", "_grad_fn", "_grad", "_ver", "_output_nr",
                 "_accum", "_hooks", "_base", "_gver", "_vmeta", "__weakref__")
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

    def is_contiguous(self, memory_format=None):
        return bool(self._data.flags.c_contiguous)

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return False

    def data_ptr(self):
        d = self._data
        return d.ctypes.data if isinstance(d, _ndarray) else d.data.ptr

    def type(self, dtype=None):
        if dtype is None:
            return _type_name(self)
        from ._ops.convert import _to

        return _to(self, None, dtype if isinstance(dtype, _dtype_cls) else _str_dtype(dtype))

    @property
    def _version(self):
        return self._ver[0]

    @property
    def _is_view(self):
        return self._base is not None

    # -- autograd attributes -------------------------------------------------------------
    @property
    def grad_fn(self):
        """The graph node that made this tensor (None for a leaf). 生成该张量的计算图节点。"""
        if self._base is None or self._gver == self._ver[0]:
            return self._grad_fn
        return _views.view_grad_fn(self)  # a view whose memory was changed in place

    @grad_fn.setter
    def grad_fn(self, fn):
        self._grad_fn = fn
        if self._base is not None:
            self._gver = self._ver[0]

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if flag and self._data.dtype.kind != "f" and self.grad_fn is None:
            raise RuntimeError("only Tensors of floating point and complex dtype can require "
                               "gradients")  # torch's wording differs from requires_grad_()'s
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place on a leaf; returns self. 就地设置 requires_grad。"""
        if self.grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach().")
            return self
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and not self._requires_grad and self._base is None:
            _views.flip_views(self)  # its views require grad too (torch)
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def grad(self):
        if self.grad_fn is not None and not self.retains_grad:
            warnings.warn(NONLEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            from ._ops.checks import check_grad_assign
            check_grad_assign(self, value)
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def retains_grad(self):
        h = self.grad_fn._hooks if self.grad_fn is not None else None
        return bool(h) and any(r() is self for _, r in h.get("retain", ()))

    def retain_grad(self):
        """Keep ``.grad`` of this non-leaf tensor after backward. 保留非叶子张量的梯度。"""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self.retains_grad:
            return
        self.grad_fn._hook_dict().setdefault("retain", []).append(
            (self._output_nr, weakref.ref(self)))

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; may return a new grad.

        在计算出该张量的梯度时调用 ``hook(grad)``，返回值（若不为 None）替换梯度。
        """
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from .autograd.node import _Handle

        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            return _Handle(self._hooks, hook)
        lst = self.grad_fn._hook_dict().setdefault("tensor", [])
        entry = (self._output_nr, hook)
        lst.append(entry)
        return _TensorHookHandle(lst, entry)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute gradients of this tensor w.r.t. the graph leaves (accumulated in ``.grad``).

        反向传播：把梯度累加到叶子张量的 ``.grad`` 中。
        """
        if inputs is None and not create_graph and self._requires_grad:
            d = self._data
            if gradient is None:
                if d.size == 1 and d.dtype.kind == "f":
                    run_backward((self,), (_ones_like(d),), bool(retain_graph))
                    return
            elif type(gradient) is Tensor:
                g = gradient._data
                if g.shape == d.shape and g.dtype == d.dtype and type(g) is type(d):
                    run_backward((self,), (g,), bool(retain_graph))
                    return
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self):
        """A new tensor sharing memory, cut from the graph. 共享内存、脱离计算图的新张量。"""
        t = _wrap(self._data)
        t._ver = self._ver  # same memory, same version counter (not an autograd view)
        return t

    def detach_(self):
        if self._base is not None and self._requires_grad:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self):
        return _wrap(self._data)  # same memory; unlike detach(), its own version counter

    @data.setter
    def data(self, value):
        self._data = value._data

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
        return _backend.to_numpy(self._data).reshape(()).item()

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

    def __array__(self, dtype=None, copy=None):
        from ._ops.interop import ERR_NUMPY_CUDA, ERR_NUMPY_GRAD

        if self._requires_grad:
            raise RuntimeError(ERR_NUMPY_GRAD)
        if not _backend.is_cpu(self._data):
            raise TypeError(ERR_NUMPY_CUDA.format(dev=self.device))
        a = self._data
        return a if dtype is None else a.astype(dtype, copy=False)

    def __reduce_ex__(self, proto):
        return (_rebuild, (_backend.to_numpy(self._data).copy(), str(self.device),
                           self._requires_grad, type(self)))

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
        return new


Tensor.__module__ = "course_lib"  # type(t) prints <class 'course_lib.Tensor'>, as torch.Tensor


class _TensorHookHandle:
    __slots__ = ("_list", "_entry")

    def __init__(self, lst, entry):
        self._list, self._entry = lst, entry

    def remove(self):
        if self._entry in self._list:
            self._list.remove(self._entry)


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
_ones_like = np.ones_like
_node_mod._wrap = _wrap
_engine_mod._wrap = _wrap
