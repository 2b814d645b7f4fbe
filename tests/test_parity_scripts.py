"""Acceptance: PyTorch's tensor/autograd tutorial pages print the same under course_lib.

Each script in tests/parity_scripts/ is a tutorial page using only ``import torch``. It runs in a
subprocess twice: with real torch, and with course_lib injected as ``torch`` (an import hook in
_runner.py; the script is unchanged). stdout is compared line by line after masking:

* ``torch.`` → ``course_lib.`` (the one spelling difference the API promise allows);
* hex addresses ``0x7f…`` (``<AddBackward0 object at 0x…>``) — differ between any two runs;
* numbers, only on output lines written by a script line marked ``# parity: random``: the two
  libraries draw different random values, so there every number becomes ``#`` and runs of
  spaces collapse (a sign changes a column's width). Everything else must match exactly.

Without torch the reference is the stored torch output in parity_scripts/expected/; with torch,
the live torch output, and the stored file is checked to still equal it.
Regenerate the stored files:  .venv/bin/python tests/test_parity_scripts.py
"""
import difflib
import os
import pathlib
import re
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).parent / "parity_scripts"
RUNNER = HERE / "_runner.py"
SCRIPTS = ["tensor_tutorial", "tensorqs_tutorial", "autograd_tutorial", "autogradqs_tutorial",
           "examples_nn_optim", "examples_more", "polynomial_custom_function", "tutorial_gaps"]
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?!\w)|\bnan\b|\binf\b")


def run_script(name: str, course_lib: bool) -> str:
    cmd = [sys.executable, str(RUNNER)] + (["--course-lib"] if course_lib else []) + [
        str(HERE / f"{name}.py")]
    root = str(HERE.parent.parent)  # course_lib importable even when not pip-installed
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=root, env=env)
    assert proc.returncode == 0, f"{name} ({'course_lib' if course_lib else 'torch'}) failed:\n" \
        f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def random_lines(name: str) -> set:
    src = (HERE / f"{name}.py").read_text(encoding="utf-8").splitlines()
    return {i for i, line in enumerate(src, 1) if line.rstrip().endswith("# parity: random")}


def masked(name: str, output: str) -> list:
    rand = random_lines(name)
    out = []
    for raw in output.splitlines():
        tag, _, text = raw.partition("|")
        text = re.sub(r"\btorch\.", "course_lib.", text)
        text = re.sub(r"0x[0-9a-fA-F]+", "0x…", text)
        if int(tag) in rand:
            text = re.sub(r" +", " ", _NUMBER.sub("#", text))
        out.append(f"{tag}|{text}")
    return out


def diff(expected, got) -> str:
    return "\n".join(difflib.unified_diff(expected, got, "torch", "course_lib", lineterm=""))


def _has_torch() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("name", SCRIPTS)
def test_prints_like_torch(name):
    stored = masked(name, (HERE / "expected" / f"{name}.out").read_text(encoding="utf-8"))
    reference = stored
    if _has_torch():  # one live torch run: the reference, and proof the stored file is current
        reference = masked(name, run_script(name, course_lib=False))
        assert stored == reference, "expected/ is stale, regenerate it:\n" + diff(stored, reference)
    got = masked(name, run_script(name, course_lib=True))
    assert got == reference, diff(reference, got)


def test_masking_only_touches_random_lines():
    out = "17|Random Tensor: tensor([-0.1234,  0.5000]) at 0x7f00\n5|tensor([1., 2.])\n"
    lines = masked("tensor_tutorial", out)
    assert lines == ["17|Random Tensor: tensor([#, #]) at 0x…", "5|tensor([1., 2.])"]


if __name__ == "__main__":  # regenerate expected/ from real torch
    for n in SCRIPTS:
        (HERE / "expected" / f"{n}.out").write_text(run_script(n, course_lib=False), encoding="utf-8")
        print("wrote", n)
