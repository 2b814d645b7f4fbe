"""Random numbers: ``manual_seed``, ``seed``, ``Generator`` (numpy's PCG64 underneath).

随机数：``manual_seed`` 让结果可复现。The stream differs from torch's (same API, other numbers).
"""
from __future__ import annotations

import numpy as np

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
           "set_rng_state", "default_generator"]


class Generator:
    """A random-number generator (torch.Generator). 随机数生成器。"""

    def __init__(self, device="cpu"):
        self.device = device
        self._seed = int(np.random.SeedSequence().entropy % (2 ** 63))
        self._rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed):
        seed = int(seed)
        self._seed = seed
        self._rng = np.random.default_rng(seed & 0xFFFF_FFFF_FFFF_FFFF)
        return self

    def seed(self):
        self._seed = int(np.random.SeedSequence().entropy % (2 ** 63))
        self._rng = np.random.default_rng(self._seed)
        return self._seed

    def initial_seed(self):
        return self._seed

    def get_state(self):
        from ._creation import tensor

        st = self._rng.bit_generator.state
        return tensor(list(np.frombuffer(repr(st).encode(), np.uint8)), dtype=None, device="cpu")

    def set_state(self, state):
        import ast

        from ._backend import to_numpy

        s = bytes(to_numpy(state._data).astype(np.uint8)).decode()
        self._rng.bit_generator.state = ast.literal_eval(s)
        return self


default_generator = Generator()


def rng(generator=None):
    """The numpy Generator to draw from."""
    return (generator or default_generator)._rng


def manual_seed(seed):
    """Seed the default generator (results become reproducible). 设定随机种子。"""
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)
