"""``course_lib.nn.utils.rnn``: ``pad_sequence``, ``PackedSequence``, ``pack_padded_sequence``,
``pad_packed_sequence``, ``pack_sequence`` (torch.nn.utils.rnn).

变长序列的填充与打包。
"""
from __future__ import annotations

from collections import namedtuple

__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "pack_sequence"]


class PackedSequence(namedtuple("PackedSequence_",
                                ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """Sequences of decreasing length stored step by step: ``data`` (ΣB_t, *) holds step t's
    B_t rows after step t−1's; ``batch_sizes`` (int64, CPU) the B_t. Made by
    ``pack_padded_sequence`` / ``pack_sequence``; every RNN module accepts one.
    按时间步存放的变长序列；由 pack_padded_sequence / pack_sequence 生成。"""

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None and sorted_indices is not None:
            unsorted_indices = _invert_permutation(sorted_indices)
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        move = (lambda t: None if t is None else t.to(data.device))
        return type(self)(data, self.batch_sizes, move(self.sorted_indices),
                          move(self.unsorted_indices))

    @property
    def is_cuda(self):
        return self.data.is_cuda


def _invert_permutation(permutation):
    import course_lib as cl
    out = cl.empty_like(permutation)
    out.scatter_(0, permutation, cl.arange(0, permutation.numel(), device=permutation.device))
    return out


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch (T, B, *) — (B, T, *) with ``batch_first`` — of the given lengths.
    把填充后的批次按长度打包成 PackedSequence。"""
    import course_lib as cl

    if not isinstance(lengths, cl.Tensor):
        lengths = cl.tensor(lengths, dtype=cl.int64)
    lengths = lengths.to("cpu").to(cl.int64)
    if enforce_sorted:
        sorted_indices = None
    else:
        lengths, sorted_indices = cl.sort(lengths, descending=True)
        sorted_indices = sorted_indices.to(input.device)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    lens = [int(n) for n in lengths.tolist()]
    if any(n <= 0 for n in lens):
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if any(a < b for a, b in zip(lens, lens[1:])):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                           "`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
                           "pack_padded_sequence and/or pack_sequence to sidestep this "
                           "requirement if you do not need ONNX exportability.")
    if batch_first:
        input = input.transpose(0, 1)
    batch_sizes = [sum(1 for n in lens if n > t) for t in range(lens[0])]
    data = cl.cat([input[t, :n] for t, n in enumerate(batch_sizes)], 0)
    return PackedSequence(data, cl.tensor(batch_sizes, dtype=cl.int64), sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Inverse of ``pack_padded_sequence``: (padded batch, lengths) in the caller's order.
    pack_padded_sequence 的逆操作：返回填充后的批次与各序列长度。"""
    import course_lib as cl

    data, batch_sizes = sequence.data, [int(n) for n in sequence.batch_sizes.tolist()]
    max_len = len(batch_sizes)
    if total_length is not None:
        if total_length < max_len:
            raise ValueError("Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {max_len}")
    else:
        total_length = max_len
    b = batch_sizes[0]
    trailing = tuple(data.shape[1:])
    out = cl.full((total_length, b) + trailing, padding_value, dtype=data.dtype,
                  device=data.device)
    offset = 0
    for t, n in enumerate(batch_sizes):
        out[t].narrow(0, 0, n).copy_(data[offset:offset + n])
        offset += n
    lengths = cl.tensor([sum(1 for n in batch_sizes if n > i) for i in range(b)],
                        dtype=cl.int64)
    if batch_first:
        out = out.transpose(0, 1)
    if sequence.unsorted_indices is not None:
        out = out.index_select(0 if batch_first else 1, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices.to("cpu")]
    return out, lengths


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack sequences of shape (L_i, *) into (max L, B, *) — (B, max L, *) with
    ``batch_first`` — filling with ``padding_value`` on ``padding_side``. As torch, each sequence
    is copied into a slice of the filled result (grad_fn CopySlices).
    把 (L_i, *) 的序列填充并堆叠成 (max L, B, *)（batch_first 时为 (B, max L, *)）。"""
    import course_lib as cl

    if isinstance(sequences, cl.Tensor):
        sequences = sequences.unbind(0)
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(
            f"Expected padding_side to be one of left or right, but got {padding_side}.")
    first = sequences[0]
    max_len = max(s.size(0) for s in sequences)
    trailing = tuple(first.shape[1:])
    shape = ((len(sequences), max_len) if batch_first else (max_len, len(sequences))) + trailing
    out = cl.full(shape, padding_value, dtype=first.dtype, device=first.device)
    for i, s in enumerate(sequences):
        length = s.size(0)
        start = max_len - length if padding_side == "left" else 0
        out.select(0 if batch_first else 1, i).narrow(0, start, length).copy_(s)
    return out


def pack_sequence(sequences, enforce_sorted=True):
    """``pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=...)``.
    直接把一组变长序列打包。"""
    import course_lib as cl
    lengths = cl.tensor([s.size(0) for s in sequences], dtype=cl.int64)
    return pack_padded_sequence(pad_sequence(sequences), lengths,
                                enforce_sorted=enforce_sorted)
