"""``nn.Module``: the base class of every layer, with torch's registration rules and repr.

``nn.Module``：所有网络层的基类；参数注册规则与 repr 与 torch 相同。State dict / 状态字典:
``_state_dict.py``; repr: ``_module_repr.py`` (bound in the class body / 在类体中绑定)."""
from __future__ import annotations

from collections import OrderedDict

from .. import _glue as G
from . import _module_repr as _mr, _state_dict as _sd
from ._module_repr import _addindent  # noqa: F401  (container.py and torch's home of it)
from ._state_dict import _IncompatibleKeys  # noqa: F401  (torch's home of the class)
import course_lib as torch  # the solution regions are written as a student writes them

from ...exercises import exercise
from ..parameter import Buffer, Parameter

__all__ = ["Module"]


class Module:
    """Base class for all neural network modules. 所有神经网络模块的基类。"""

    training: bool
    _version = 1

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() takes 1 positional argument but "
                            f"{len(args) + 1} were given")
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent_buffers_set", set())
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())

    # ---- forward ----
    def forward(self, *input):
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        if not (self._forward_hooks or self._forward_pre_hooks):
            return self.forward(*args, **kwargs)
        for hook in list(self._forward_pre_hooks.values()):
            out = hook(self, args)
            if out is not None:
                args = out if isinstance(out, tuple) else (out,)
        result = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            out = hook(self, args, result)
            if out is not None:
                result = out
        return result

    def register_forward_hook(self, hook):
        return _Handle(self._forward_hooks, hook)

    def register_forward_pre_hook(self, hook):
        return _Handle(self._forward_pre_hooks, hook)

    # ---- registration ----
    def register_buffer(self, name, tensor, persistent=True):
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"buffer name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError('buffer name can\'t contain "."')
        if name == "":
            raise KeyError('buffer name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, G.Tensor):
            raise TypeError(f"cannot assign '{G.typename(tensor)}' object to buffer '{name}' "
                            "(course_lib Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name, param):
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"parameter name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError('parameter name can\'t contain "."')
        if name == "":
            raise KeyError('parameter name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is None:
            self._parameters[name] = None
        elif not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{G.typename(param)}' object to parameter '{name}' "
                            "(course_lib.nn.Parameter or None required)")
        else:
            self._parameters[name] = param

    def add_module(self, name, module):
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{G.typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {type(name).__name__}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    register_module = add_module

    @exercise("05_nn", "module_setattr", key="course_lib.nn.Module.__setattr__")
    def __setattr__(self, name, value):
        """``self.name = value`` registers what it assigns. 赋值即注册。

        Parameter → ``self._parameters[name]``; Module → ``self._modules[name]`` (the name is
        removed from the other stores and from ``__dict__``); None or a Parameter for a name
        already in ``_parameters`` (anything else: TypeError); None or a Module for a name in
        ``_modules``; None or a Tensor for a name in ``_buffers``; anything else is a plain
        attribute (``object.__setattr__``). Assigning a Parameter / Module before
        ``Module.__init__()`` ran: AttributeError.
        参数 → ``_parameters``；子模块 → ``_modules``；已登记为缓冲区的名字 → ``_buffers``；
        其余是普通属性。
        """
        ### BEGIN SOLUTION
        params = self.__dict__.get("_parameters")
        if isinstance(value, torch.nn.Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            for store in (self.__dict__, self._buffers, self._modules):
                store.pop(name, None)
            self._non_persistent_buffers_set.discard(name)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{torch.typename(value)}' as parameter '{name}' "
                                "(course_lib.nn.Parameter or None expected)")
            self.register_parameter(name, value)
        else:
            modules = self.__dict__.get("_modules")
            buffers = self.__dict__.get("_buffers")
            if isinstance(value, torch.nn.Module):
                if modules is None:
                    raise AttributeError("cannot assign module before Module.__init__() call")
                for store in (self.__dict__, self._parameters, self._buffers):
                    store.pop(name, None)
                self._non_persistent_buffers_set.discard(name)
                modules[name] = value
            elif modules is not None and name in modules:
                if value is not None:
                    raise TypeError(f"cannot assign '{torch.typename(value)}' as child module "
                                    f"'{name}' (torch.nn.Module or None expected)")
                modules[name] = value
            elif buffers is not None and name in buffers:
                if value is not None and not isinstance(value, torch.Tensor):
                    raise TypeError(f"cannot assign '{torch.typename(value)}' as buffer '{name}' "
                                    "(torch.Tensor or None expected)")
                buffers[name] = value
            else:
                object.__setattr__(self, name, value)
        ### END SOLUTION

    _setattr = __setattr__  # lesson 05's piece (its dispatcher): the __setattr__ below calls it

    def __setattr__(self, name, value):  # noqa: F811
        """An ``nn.Buffer`` (for a name that is not a parameter's or a child module's) registers
        itself as a buffer, its ``persistent`` flag kept, as torch; everything else goes to the
        piece above. 赋值 ``nn.Buffer`` 即注册缓冲区；其余交给上面的练习。"""
        if isinstance(value, Buffer):
            d = self.__dict__
            if name not in d.get("_parameters", ()) and name not in d.get("_modules", ()):
                return self.register_buffer(name, value, value.persistent)
        Module._setattr(self, name, value)

    def __getattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            s = d.get(store)
            if s is not None and name in s:
                return s[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            super().__delattr__(name)

    def __dir__(self):
        keys = set(super().__dir__()) | set(self._parameters) | set(self._modules) | set(self._buffers)
        return sorted(k for k in keys if not k[0].isdigit())

    def __setstate__(self, state):
        self.__dict__.update(state)

    # ---- iteration: every walk goes through named_modules (a lesson-05 piece) ----
    def _named_members(self, get_members_fn, prefix="", recurse=True, remove_duplicate=True):
        """(name, member) of every module of the walk, each object once (torch's helper)."""
        memo = set()
        modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
                   if recurse else [(prefix, self)])
        for module_prefix, module in modules:
            for k, v in get_members_fn(module):
                if v is None or v in memo:
                    continue
                if remove_duplicate:
                    memo.add(v)
                yield module_prefix + ("." if module_prefix else "") + k, v

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(name, parameter) pairs, own first then each child's; names joined with ``.``."""
        yield from self._named_members(lambda m: m._parameters.items(), prefix, recurse,
                                       remove_duplicate)

    def buffers(self, recurse=True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        yield from self._named_members(lambda m: m._buffers.items(), prefix, recurse,
                                       remove_duplicate)

    def children(self):
        for _, m in self.named_children():
            yield m

    def named_children(self):
        seen = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def modules(self):
        for _, m in self.named_modules():
            yield m

    @exercise("05_nn", "named_modules", key="course_lib.nn.Module.named_modules")
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """Yield ``(name, module)`` for this module and every sub-module, depth first.

        先产出 ``(prefix, self)``，再按注册顺序递归每个子模块（跳过 None），名字用 ``.`` 连接，
        如 ``"0"``、``"block.1"``；``remove_duplicate=True`` 时同一个模块对象只产出一次
        （``memo`` 记住已产出模块的 id）。parameters()、state_dict()、train()、zero_grad()
        都靠这次遍历。
        ``(prefix, self)`` first, then each child (None skipped) recursively in registration
        order, names joined with ``.`` (``"0"``, ``"block.1"``); with ``remove_duplicate`` a
        module object shared twice is yielded once (``memo`` holds what was yielded).
        parameters(), state_dict(), train() and zero_grad() all rely on this walk.
        """
        ### BEGIN SOLUTION
        if memo is None:
            memo = set()
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            child_prefix = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, child_prefix, remove_duplicate)
        ### END SOLUTION

    def get_submodule(self, target):
        mod = self
        if target == "":
            return mod
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(mod._get_name() + " has no attribute `" + item + "`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")
        return mod

    def get_parameter(self, target):
        mod_path, _, name = target.rpartition(".")
        mod = self.get_submodule(mod_path)
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        param = getattr(mod, name)
        if name not in mod._parameters:
            raise AttributeError("`" + name + "` is not an nn.Parameter")
        return param

    def get_buffer(self, target):
        mod_path, _, name = target.rpartition(".")
        mod = self.get_submodule(mod_path)
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        if name not in mod._buffers:
            raise AttributeError("`" + name + "` is not a buffer")
        return getattr(mod, name)

    # ---- modes ----
    def train(self, mode=True):
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        object.__setattr__(self, "training", mode)
        for module in self.children():
            module.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        if not isinstance(requires_grad, bool):
            raise TypeError(f"requires_grad_(): argument 'requires_grad' (position 1) must be "
                            f"bool, not {type(requires_grad).__name__}")
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        for p in self.parameters():
            G.zero_grad_of(p, set_to_none)

    def apply(self, fn):
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    # ---- device / dtype ----
    def _apply(self, convert):
        """Convert every parameter, gradient and buffer in place (identity is kept)."""
        for m in self.modules():
            for p in m._parameters.values():
                if p is not None:
                    G.convert_inplace(p, convert)
                    if p.grad is not None:
                        G.convert_inplace(p.grad, convert)
            for k, b in m._buffers.items():
                if b is not None:
                    G.convert_inplace(b, convert)
        return self

    def to(self, *args, **kwargs):
        device, dtype = G.parse_to_args(args, kwargs)
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError("nn.Module.to only accepts floating point or complex dtypes, "
                            f"but got desired dtype={dtype}")

        def convert(t):
            dt = dtype if (dtype is not None and t.is_floating_point()) else None
            return G.move_array(t, device, dt)

        return self._apply(convert)

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None):
        return self.to("cuda" if device is None else G.cuda_device(device))

    def float(self):
        return self._apply(lambda t: G.move_array(t, None, G.float32 if t.is_floating_point() else None))

    def double(self):
        return self._apply(lambda t: G.move_array(t, None, G.float64 if t.is_floating_point() else None))

    def type(self, dst_type):
        return self._apply(lambda t: G.move_array(t, None, dst_type))

    # ---- state (written in _state_dict.py) ----
    _save_to_state_dict, state_dict = _sd._save_to_state_dict, _sd.state_dict
    _load_from_state_dict, load_state_dict = _sd._load_from_state_dict, _sd.load_state_dict

    # ---- repr (written in _module_repr.py) ----
    extra_repr, _get_name, __repr__ = _mr.extra_repr, _mr._get_name, _mr.__repr__


class _Handle:
    """Removable hook handle (``handle.remove()``)."""
    _next = 0

    def __init__(self, store, hook):
        _Handle._next += 1
        self.id, self._store = _Handle._next, store
        store[self.id] = hook

    def remove(self):
        self._store.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
