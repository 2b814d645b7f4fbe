"""Acceptance: the "Learn the Basics" build-model, optimization and save-and-load pages run
unchanged under ``import course_lib as torch`` and print what PyTorch prints.

Same mechanism as test_parity_scripts.py (its runner, masking and diff are reused): each script
in parity_scripts/lb_*.py runs once with real torch and once with course_lib injected as torch;
numbers are masked only on lines marked ``# parity: random``. Digits stand in for FashionMNIST
(parity_scripts/lb_vision.py: torchvision is absent and nothing may be downloaded).
Without torch the stored torch output in parity_scripts/expected/ is the reference.
Regenerate it:  .venv/bin/python tests/test_parity_learn_basics_nn.py
"""
import re

import pytest

from test_parity_scripts import HERE, diff, run_script
from test_parity_scripts import masked as _masked

SCRIPTS = ["lb_model_buildmodel_tutorial", "lb_optim_optimization_tutorial",
           "lb_save_saveloadrun_tutorial"]


def masked(name, output):
    """test_parity_scripts' masking, plus: a sign's column space after "[" is not compared."""
    return [re.sub(r"([\[(]) (?=#)", r"\1", line) for line in _masked(name, output)]


def _torch_output(name):
    try:
        import torch  # noqa: F401
    except ImportError:
        return (HERE / "expected" / f"{name}.out").read_text(encoding="utf-8")
    return run_script(name, course_lib=False)


@pytest.mark.slow
@pytest.mark.parametrize("name", SCRIPTS)
def test_learn_the_basics_nn_pages_print_like_torch(name):
    live = _torch_output(name)
    reference = masked(name, live)
    stored = masked(name, (HERE / "expected" / f"{name}.out").read_text(encoding="utf-8"))
    assert stored == reference, "stored torch output is stale:\n" + diff(stored, reference)
    got = masked(name, run_script(name, course_lib=True))
    assert got == reference, diff(reference, got)


if __name__ == "__main__":
    for n in SCRIPTS:
        (HERE / "expected" / f"{n}.out").write_text(run_script(n, course_lib=False), encoding="utf-8")
        print("wrote", n)
