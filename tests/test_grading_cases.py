"""Every hidden case file passes the reference-vs-reference self-test. 隐藏用例自检。"""
from pathlib import Path

import pytest

from autograder.cases import self_test

HIDDEN = sorted((Path(__file__).resolve().parent.parent / "autograder" / "hidden").glob(
    "*/test_*.py"))


@pytest.mark.parametrize("path", HIDDEN, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_hidden_cases_self_test(path):
    lines = []
    ok, bad = self_test(path, out=lines.append)
    assert bad == 0, "\n".join(lines)
    assert ok >= 8
