"""Acceptance: the "Learn the Basics" build-model, optimization and save-and-load pages run
unchanged under ``import course_lib as torch`` and print what PyTorch prints.

Same mechanism as test_parity_scripts.py (its runner, masking and diff are reused): each script
in parity_scripts/lb_*.py runs once with real torch and once with course_lib injected as torch;
numbers are masked only on lines marked ``# parity: random``. Digits stand in for FashionMNIST
(parity_scripts/lb_vision.py: torchvision is absent and nothing may be downloaded).
parity_scripts/nn_tutorial.py is "What is torch.nn really?" on the same digits, by the same rules;
parity_scripts/blitz_neural_networks.py the 60 Minute Blitz's Neural Networks page (LeNet), unchanged;
parity_scripts/tensors_deeper.py the "Introduction to PyTorch Tensors" page (its CUDA cells dropped);
parity_scripts/autogradyt.py "The Fundamentals of Autograd" (no plots, no profiler).
Without torch the stored torch output in parity_scripts/expected/ is the reference.
Regenerate it:  .venv/bin/python tests/test_parity_learn_basics_nn.py
"""
import os
import re
import subprocess
import sys

import pytest

from test_parity_scripts import HERE, RUNNER, diff, random_lines
from test_parity_scripts import masked as _masked

SCRIPTS = ["lb_model_buildmodel_tutorial", "lb_optim_optimization_tutorial",
           "lb_save_saveloadrun_tutorial", "nn_tutorial", "blitz_neural_networks",
           "tensors_deeper", "autogradyt"]


def masked(name, output):
    """test_parity_scripts' masking, plus: the lines one random-valued print wrote are joined
    and spaces dropped — how random numbers wrap (width, sign column, scientific notation)
    depends on the values, which differ between the two libraries."""
    rand = random_lines(name)
    out = []
    for line in _masked(name, output):
        tag, _, text = line.partition("|")
        if tag.isdigit() and int(tag) in rand:
            text = re.sub(r"\s+", "", text)
            if out and out[-1][0] == tag:
                out[-1] = (tag, out[-1][1] + text)
                continue
        out.append((tag, text))
    return [f"{t}|{x}" for t, x in out]


def run_script(name, course_lib):
    """test_parity_scripts.run_script with single-threaded BLAS/OpenMP: the pages train small
    networks, and threads fighting over 2 busy cores made torch's run take minutes."""
    root = str(HERE.parent.parent)
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONPATH=os.pathsep.join([root] + [p for p in os.environ.get(
                   "PYTHONPATH", "").split(os.pathsep) if p]))
    cmd = [sys.executable, str(RUNNER)] + (["--course-lib"] if course_lib else []) + [
        str(HERE / f"{name}.py")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=root, env=env)
    assert proc.returncode == 0, f"{name} ({'course_lib' if course_lib else 'torch'}) failed:\n" \
        f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


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
