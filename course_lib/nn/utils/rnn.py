"""``course_lib.nn.utils.rnn``: ``pad_sequence`` (torch.nn.utils.rnn).

把长度不同的序列填充成一个张量。
"""
from __future__ import annotations

__all__ = ["pad_sequence"]


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
