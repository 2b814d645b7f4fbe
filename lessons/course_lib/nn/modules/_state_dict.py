"""``nn.Module``'s state dict: ``state_dict`` and ``load_state_dict`` with torch's key rules.

``nn.Module`` 的状态字典：``state_dict`` 与 ``load_state_dict``，键的规则与 torch 相同。

These are methods of ``Module``: ``course_lib.nn.modules.module`` binds them in its class body
and reports them as its own (``Module.state_dict.__qualname__ == "Module.state_dict"``,
``__module__ == "course_lib.nn.modules.module"``), as when they were written there.
"""
from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Mapping

from .. import _glue as G
from ..parameter import Parameter

_HOME = "course_lib.nn.modules.module"


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _save_to_state_dict(self, destination, prefix, keep_vars):
    for name, p in self._parameters.items():
        if p is not None:
            destination[prefix + name] = p if keep_vars else p.detach()
    for name, b in self._buffers.items():
        if b is not None and name not in self._non_persistent_buffers_set:
            destination[prefix + name] = b if keep_vars else b.detach()


def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
    if args:  # torch's deprecated positional form (destination, prefix, keep_vars)
        destination = args[0]
        prefix = args[1] if len(args) > 1 else prefix
        keep_vars = args[2] if len(args) > 2 else keep_vars
    if destination is None:
        destination = OrderedDict()
        destination._metadata = OrderedDict()
    if hasattr(destination, "_metadata"):
        destination._metadata[prefix[:-1]] = {"version": self._version}
    self._save_to_state_dict(destination, prefix, keep_vars)
    for name, m in self._modules.items():
        if m is not None:
            m.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
    return destination


def _load_from_state_dict(self, state_dict, prefix, missing, unexpected, errors, assign):
    local = {k: v for k, v in self._parameters.items() if v is not None}
    local.update((k, v) for k, v in self._buffers.items()
                 if v is not None and k not in self._non_persistent_buffers_set)
    for name, param in local.items():
        key = prefix + name
        if key not in state_dict:
            missing.append(key)
            continue
        value = state_dict[key]
        if not isinstance(value, G.Tensor):
            errors.append(f'While copying the parameter named "{key}", expected torch.Tensor '
                          f"or Tensor-like object from checkpoint but received {type(value)}")
            continue
        if len(param.shape) == 0 and len(value.shape) == 1 and value.shape[0] == 1:
            value = value[0]
        if value.shape != param.shape:
            errors.append(f"size mismatch for {key}: copying a param with shape {value.shape} "
                          f"from checkpoint, the shape in current model is {param.shape}.")
            continue
        try:
            if assign:
                if isinstance(param, Parameter):
                    value = Parameter(value, requires_grad=param.requires_grad)
                setattr(self, name, value)
            else:
                G.copy_into(param, value)
        except Exception as ex:  # report like torch
            errors.append(f'While copying the parameter named "{key}", whose dimensions in the '
                          f"model are {param.shape} and whose dimensions in the checkpoint are "
                          f"{value.shape}, an exception occurred : {ex.args}.")
    for key in state_dict:
        if key.startswith(prefix):
            first = key[len(prefix):].split(".", 1)[0]
            if first not in self._modules and first not in local:
                unexpected.append(key)


def load_state_dict(self, state_dict, strict=True, assign=False):
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
    missing, unexpected, errors = [], [], []

    def load(module, local_sd, prefix=""):
        module._load_from_state_dict(local_sd, prefix, missing, unexpected, errors, assign)
        for name, child in module._modules.items():
            if child is not None:
                cp = prefix + name + "."
                load(child, {k: v for k, v in local_sd.items() if k.startswith(cp)}, cp)

    load(self, dict(state_dict))
    if strict:
        if unexpected:
            errors.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                ", ".join(f'"{k}"' for k in unexpected)))
        if missing:
            errors.insert(0, "Missing key(s) in state_dict: {}. ".format(
                ", ".join(f'"{k}"' for k in missing)))
    if errors:
        raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
            self.__class__.__name__, "\n\t".join(errors)))
    return _IncompatibleKeys(missing, unexpected)


_IncompatibleKeys.__module__ = _HOME  # where it was defined before the split (torch's home too)
for _f in (_save_to_state_dict, state_dict, _load_from_state_dict, load_state_dict):
    _f.__module__, _f.__qualname__ = _HOME, "Module." + _f.__name__
del _f
