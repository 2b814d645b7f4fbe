"""Acceptance (issue 13): every exercise piece carries the library — the official PyTorch
tutorials' code, run unchanged on course_lib, passes through each of them.

Each piece gets a recorder as its implementation (the slot a student's answer takes), then the
tutorial scripts of tests/parity_scripts/ run with course_lib injected as ``torch``. A piece no
tutorial reaches is a dead end: a student's wrong answer there would change nothing downstream.
Only tools that nothing calls by nature stand alone (docs/ARCHITECTURE.md lists them with the
reason): lesson 00's environment tools (pip/conda lists, versions, requirements, nvidia-smi / nvcc,
the CUDA compatibility rule) and gradcheck; lesson 06's training loop is
course-only (torch has none, so no tutorial reaches it; lesson 06's final model trains with it).
"""
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).parent / "parity_scripts"
ROOT = HERE.parent.parent
SCRIPTS = sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_") and p.name != "lb_vision.py")
#: pieces that stand alone by nature (see docs/ARCHITECTURE.md "Pieces that stand alone")
STANDALONE_PREFIXES = ("course_lib.utils.collect_env.", "course_lib.autograd.gradcheck",
                       "course_lib.training.")


def test_every_piece_is_reached_by_tutorial_code(tmp_path):
    out = tmp_path / "reached.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE)]))
    proc = subprocess.run([sys.executable, str(HERE / "_recorder.py"), str(out)]
                          + [str(s) for s in SCRIPTS], capture_output=True, text=True,
                          timeout=300, cwd=HERE, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text())
    assert len(data["pieces"]) >= 20, data["pieces"]
    dead = [k for k in data["pieces"]
            if k not in data["reached"] and not k.startswith(STANDALONE_PREFIXES)]
    assert not dead, "pieces no tutorial passes through / 教程代码没有经过的练习: " + ", ".join(dead)


def test_architecture_lists_the_standalone_tools():
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for name in ("gradcheck", "parse_package_list", "compare_versions", "check_requirements",
                 "parse_driver_version", "parse_cuda_version", "cuda_compatible"):
        assert name in doc.split("stand alone", 1)[-1], name
