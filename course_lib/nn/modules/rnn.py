"""Recurrent layers as torch 2.13: ``RNNCell`` / ``LSTMCell`` / ``GRUCell`` and the multi-layer
``RNN`` / ``LSTM`` / ``GRU`` (``RNNBase``, ``RNNCellBase``), which also take a ``PackedSequence``.
循环层（RNN / LSTM / GRU），也接受 PackedSequence。

Every step is built from differentiable course_lib ops — ``F.linear`` (lesson 05's piece),
``sigmoid``, ``tanh``, ``relu``, ``chunk``, ``stack`` / ``cat`` — so autograd, ``create_graph``
and devices need no new node. 每一步都由已有的可微算子组成，无需新的反向节点。
"""
from __future__ import annotations

import math
import numbers
import warnings

from .. import _glue as G
from .. import init
from .. import functional as F
from ..parameter import Parameter
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


def _cl():
    import course_lib
    return course_lib


# ---- one step of each cell (torch's CPU formulas: aten rnn_tanh_cell / lstm_cell / gru_cell) ----

def _rnn_step(x, h, w_ih, w_hh, b_ih, b_hh, act):
    return act(F.linear(x, w_ih, b_ih) + F.linear(h, w_hh, b_hh))


def _lstm_step(x, hc, w_ih, w_hh, b_ih, b_hh, w_hr=None):
    cl = _cl()
    h, c = hc
    gates = F.linear(x, w_ih, b_ih) + F.linear(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, 1)
    c = cl.sigmoid(f) * c + cl.sigmoid(i) * cl.tanh(g)
    h = cl.sigmoid(o) * cl.tanh(c)
    if w_hr is not None:
        h = F.linear(h, w_hr)
    return h, c


def _gru_step(x, h, w_ih, w_hh, b_ih, b_hh):
    cl = _cl()
    i_r, i_z, i_n = F.linear(x, w_ih, b_ih).chunk(3, 1)
    h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, 1)
    r = cl.sigmoid(i_r + h_r)
    z = cl.sigmoid(i_z + h_z)
    n = cl.tanh(i_n + r * h_n)
    return (h - n) * z + n


# ---- cells ----

class RNNCellBase(Module):
    """What the three cells share: parameters ``weight_ih`` (gates·hidden, input),
    ``weight_hh`` (gates·hidden, hidden), ``bias_ih`` / ``bias_hh``, all U(−1/√hidden, 1/√hidden)."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(G.empty((num_chunks * hidden_size, input_size), device, dtype))
        self.weight_hh = Parameter(G.empty((num_chunks * hidden_size, hidden_size), device, dtype))
        if bias:
            self.bias_ih = Parameter(G.empty((num_chunks * hidden_size,), device, dtype))
            self.bias_hh = Parameter(G.empty((num_chunks * hidden_size,), device, dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _check(self, input, hx, hx_name):
        """torch's dimension checks (Python) and aten's size checks; returns (input, batched)."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, "
                             f"got {input.dim()}D instead")
        if input.size(-1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(-1)} "
                               f"expected {self.input_size}")
        for k, h in enumerate(hx):
            if h is None:
                continue
            if h.dim() not in (1, 2):
                name = hx_name if len(hx) == 1 else f"hx[{k}]"
                raise ValueError(f"{type(self).__name__}: Expected {name} to be 1D or 2D, "
                                 f"got {h.dim()}D instead")
            if h.size(-1) != self.hidden_size:
                raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {h.size(-1)}, "
                                   f"expected {self.hidden_size}")
            if input.dim() == 2 and (h.dim() != 2 or h.size(0) != input.size(0)):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match "
                                   f"hidden{k} batch size {h.size(0)}")
        return input.dim() == 2

    def _zeros(self, input):
        return _cl().zeros(input.size(0), self.hidden_size, dtype=input.dtype, device=input.device)

    def _args(self):
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh


class RNNCell(RNNCellBase):
    """h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act = tanh or relu."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        batched = self._check(input, (hx,), "hidden")
        if not batched:
            input = input.unsqueeze(0)
        hx = self._zeros(input) if hx is None else (hx if batched else hx.unsqueeze(0))
        if self.nonlinearity == "tanh":
            act = _cl().tanh
        elif self.nonlinearity == "relu":
            act = _cl().relu
        else:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        ret = _rnn_step(input, hx, *self._args(), act)
        return ret if batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    """(h', c') from gates i, f, g, o: c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c')."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        batched = self._check(input, (None, None) if hx is None else tuple(hx), "hx")
        if not batched:
            input = input.unsqueeze(0)
        if hx is None:
            zeros = self._zeros(input)
            hx = (zeros, zeros)
        elif not batched:
            hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
        ret = _lstm_step(input, hx, *self._args())
        return ret if batched else (ret[0].squeeze(0), ret[1].squeeze(0))


class GRUCell(RNNCellBase):
    """h' = (h − n)·z + n, r = σ(.), z = σ(.), n = tanh(x W_inᵀ + b_in + r·(h W_hnᵀ + b_hn))."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        batched = self._check(input, (hx,), "hidden")
        if not batched:
            input = input.unsqueeze(0)
        hx = self._zeros(input) if hx is None else (hx if batched else hx.unsqueeze(0))
        ret = _gru_step(input, hx, *self._args())
        return ret if batched else ret.squeeze(0)


# ---- multi-layer ----

class RNNBase(Module):
    """Stacked (optionally bidirectional) recurrent layers; parameters per layer k and direction:
    ``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}``, ``weight_hr_l{k}``
    (LSTM with ``proj_size``), suffix ``_reverse`` for the backward direction."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1

        if (not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1
                or isinstance(dropout, bool)):
            raise ValueError("dropout should be a number in range [0, 1] "
                             "representing the probability of an element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                          "non-zero dropout expects num_layers greater than 1, but got "
                          f"dropout={dropout} and num_layers={num_layers}", stacklevel=2)
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size

        self._flat_weights_names = []
        self._all_weights = []
        real_hidden_size = proj_size if proj_size > 0 else hidden_size
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input_size = input_size if layer == 0 else real_hidden_size * num_directions
                shapes = [(gate_size, layer_input_size), (gate_size, real_hidden_size)]
                names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
                if bias:
                    shapes += [(gate_size,), (gate_size,)]
                    names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
                if proj_size > 0:
                    shapes.append((proj_size, hidden_size))
                    names.append("weight_hr_l{}{}")
                suffix = "_reverse" if direction == 1 else ""
                names = [n.format(layer, suffix) for n in names]
                for name, shape in zip(names, shapes):
                    setattr(self, name, Parameter(G.empty(shape, device, dtype)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self):
        return [getattr(self, n) for n in self._flat_weights_names]

    @property
    def all_weights(self):
        return [[getattr(self, n) for n in names] for names in self._all_weights]

    def flatten_parameters(self):
        """No-op (torch uses it for cuDNN's packed weights)."""

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    # torch's Python-side checks
    def check_input(self, input, batch_sizes):
        w = self._flat_weights[0]
        if input.dtype != w.dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype "
                             f"({w.dtype}). Convert input: input.to({w.dtype}), or convert "
                             f"model: model.to({input.dtype})")
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(f"input must have {expected_input_dim} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError("input.size(-1) must be equal to input_size. "
                               f"Expected {self.input_size}, got {input.size(-1)}")

    def get_expected_hidden_size(self, input, batch_sizes):
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        return (self.num_layers * num_directions, mini_batch,
                self.proj_size if self.proj_size > 0 else self.hidden_size)

    def check_hidden_size(self, hx, expected_hidden_size, msg="Expected hidden size {}, got {}"):
        if tuple(hx.size()) != expected_hidden_size:
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input, hidden, batch_sizes):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def _prepare(self, input, hx):
        """Unbatched → batch of 1; returns (input, hx, batched); hx as a tuple of states."""
        name = "LSTM" if self.mode == "LSTM" else "GRU" if self.mode == "GRU" else "RNN"
        if input.dim() not in (2, 3):
            tail = " tensor instead" if name == "RNN" else " instead"
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D{tail}")
        batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not batched:
            input = input.unsqueeze(batch_dim)
        if hx is not None:
            states = tuple(hx) if self.mode == "LSTM" else (hx,)
            for h in states:
                if batched and h.dim() != 3:
                    if self.mode == "LSTM":
                        raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D "
                                           f"but got ({states[0].dim()}-D, {states[1].dim()}-D) "
                                           "tensors")
                    raise RuntimeError("For batched 3-D input, hx should also be 3-D but got "
                                       f"{h.dim()}-D tensor")
                if not batched and h.dim() != 2:
                    if self.mode == "LSTM":
                        raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D "
                                           f"but got ({states[0].dim()}-D, {states[1].dim()}-D) "
                                           "tensors")
                    raise RuntimeError("For unbatched 2-D input, hx should also be 2-D but got "
                                       f"{h.dim()}-D tensor")
            if not batched:
                states = tuple(h.unsqueeze(1) for h in states)
        else:
            states = self._zero_states(input, input.size(0) if self.batch_first else input.size(1))
        self._check_states(input, states, None)
        return input, states, batched

    def _zero_states(self, input, mini_batch):
        """Default h0 (and c0): zeros (layers·directions, batch, hidden or proj_size)."""
        cl = _cl()
        lead = (self.num_layers * (2 if self.bidirectional else 1), mini_batch)
        states = (cl.zeros(*lead, self.proj_size or self.hidden_size, dtype=input.dtype,
                           device=input.device),)
        if self.mode == "LSTM":
            states += (cl.zeros(*lead, self.hidden_size, dtype=input.dtype, device=input.device),)
        return states

    def _check_states(self, input, states, batch_sizes):
        self.check_input(input, batch_sizes)
        expected = self.get_expected_hidden_size(input, batch_sizes)
        if self.mode == "LSTM":
            self.check_hidden_size(states[0], expected, "Expected hidden[0] size {}, got {}")
            self.check_hidden_size(states[1], expected[:2] + (self.hidden_size,),
                                   "Expected hidden[1] size {}, got {}")
        else:
            self.check_hidden_size(states[0], expected)

    def _step(self):
        if self.mode == "LSTM":
            return _lstm_step
        if self.mode == "GRU":
            return _gru_step
        act = _cl().tanh if self.mode == "RNN_TANH" else _cl().relu
        return lambda x, h, *w: _rnn_step(x, h, *w, act)

    def _run(self, input, states, batch_sizes=None):
        """Time-major input (T, B, *) and states (L·D, B, *) → output (T, B, D·H), final states.
        Packed (``batch_sizes`` given): input is the packed data (ΣB_t, *) and at step t only the
        first B_t rows advance, the others keep their state (batch_sizes never grow)."""
        cl = _cl()
        step = self._step()
        lstm = self.mode == "LSTM"
        num_directions = 2 if self.bidirectional else 1
        finals = [[] for _ in states]
        if batch_sizes is None:
            sizes = [input.size(1)] * input.size(0)
        else:
            sizes = [int(n) for n in batch_sizes.tolist()]
        layer_input = input
        for layer in range(self.num_layers):
            if batch_sizes is None:
                xs = [layer_input[t] for t in range(layer_input.size(0))]
            else:
                offsets = [sum(sizes[:t]) for t in range(len(sizes))]
                xs = [layer_input[o:o + n] for o, n in zip(offsets, sizes)]
            outs = []
            for d in range(num_directions):
                idx = layer * num_directions + d
                w = [getattr(self, n) for n in self._all_weights[idx]]
                b_ih, b_hh = (w[2], w[3]) if self.bias else (None, None)
                extra = (w[-1],) if self.proj_size > 0 else ()
                h = tuple(st[idx] for st in states)  # select, not unbind
                ys = []
                order = range(len(xs)) if d == 0 else reversed(range(len(xs)))
                for t in order:
                    n = sizes[t]
                    full = n == h[0].size(0)
                    active = h if full else tuple(v[:n] for v in h)
                    new = step(xs[t], active if lstm else active[0], w[0], w[1], b_ih, b_hh,
                               *extra)
                    new = new if lstm else (new,)
                    h = new if full else tuple(cl.cat([a, v[n:]], 0) for a, v in zip(new, h))
                    ys.append(new[0])
                ys = ys if d == 0 else ys[::-1]
                outs.append(cl.stack(ys, 0) if batch_sizes is None else cl.cat(ys, 0))
                for k, v in enumerate(h):
                    finals[k].append(v)
            # torch runs each direction over the sequence, then concatenates the directions
            layer_input = outs[0] if num_directions == 1 else cl.cat(outs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, True)
        return layer_input, tuple(cl.stack(f, 0) for f in finals)

    def forward(self, input, hx=None):
        from ..utils.rnn import PackedSequence
        if isinstance(input, PackedSequence):
            return self._forward_packed(input, hx)
        input, states, batched = self._prepare(input, hx)
        if self.batch_first:
            input = input.transpose(0, 1)
        output, finals = self._run(input, states)
        if self.batch_first:  # torch's RNN / GRU kernels transpose in place, LSTM's do not
            output = output.transpose(0, 1) if self.mode == "LSTM" else output.transpose_(0, 1)
        if not batched:
            output = output.squeeze(0 if self.batch_first else 1)
            finals = tuple(f.squeeze(1) for f in finals)
        return output, (finals if self.mode == "LSTM" else finals[0])

    def _forward_packed(self, packed, hx):
        from ..utils.rnn import PackedSequence
        data, batch_sizes, sorted_indices, unsorted_indices = packed
        if hx is None:
            states = self._zero_states(data, int(batch_sizes[0]))
        else:
            states = tuple(hx) if self.mode == "LSTM" else (hx,)
            if sorted_indices is not None:  # the caller's batch order → the packed order
                states = tuple(v.index_select(1, sorted_indices) for v in states)
        self._check_states(data, states, batch_sizes)
        output, finals = self._run(data, states, batch_sizes)
        if unsorted_indices is not None:
            finals = tuple(f.index_select(1, unsorted_indices) for f in finals)
        output = PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices)
        return output, (finals if self.mode == "LSTM" else finals[0])


class RNN(RNNBase):
    """Elman RNN, h_t = act(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh), act = tanh or relu."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. "
                             "Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """Long short-term memory; forward returns output, (h_n, c_n)."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)


class GRU(RNNBase):
    """Gated recurrent unit."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)
