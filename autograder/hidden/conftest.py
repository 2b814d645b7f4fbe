"""`pytest autograder/hidden`: every hidden case as a pytest item (reference vs reference).

把每个隐藏用例作为 pytest 测试项运行（参考实现对参考实现；未完成的实现必须不通过）。
Grading itself runs the same cases through autograder.hidden_grade (student piece in the
sandbox, reference and comparison here on the trusted side).
"""
import pytest

from autograder.cases import find_key, load_cases, reference, run_case
from autograder.results import compare


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".py" and file_path.name.startswith("test_"):
        return HiddenFile.from_parent(parent, path=file_path)
    return None


class HiddenFile(pytest.File):
    def collect(self):
        lesson, name = self.path.parent.name, self.path.stem[len("test_"):]
        for c in load_cases(self.path.read_text(encoding="utf-8"), str(self.path)):
            yield HiddenCase.from_parent(self, name=c.name, case=c, lesson=lesson, ex=name)


class HiddenCase(pytest.Item):
    def __init__(self, *, case, lesson, ex, **kw):
        super().__init__(**kw)
        self.case, self.lesson, self.ex = case, lesson, ex

    def runtest(self):
        ref = reference(find_key(self.lesson, self.ex))

        def unfinished(*a, **k):
            raise NotImplementedError

        a, b = run_case(self.case, ref), run_case(self.case, ref)
        assert a.get("k") != "other", f"result cannot be graded: {a}"
        assert compare(a, b, self.case.rtol, self.case.atol) is None, "not deterministic"
        assert compare(a, run_case(self.case, unfinished), self.case.rtol, self.case.atol), \
            "an unfinished piece passes this case"

    def reportinfo(self):
        return self.path, 0, f"{self.lesson}/{self.ex}: {self.case.title}"
