"""Reference results are computed one at a time: hidden cases seed course_lib's global RNG, and two
grading threads (`--jobs 2`) interleaving their draws once gave a wrong reference (05_nn
named_parameters scored 27.3/30 for the solution). 参考结果串行计算（全局随机数）。"""
import threading
import time
from pathlib import Path

from autograder import cases, hidden_grade

ROOT = Path(__file__).resolve().parents[1]


def test_reference_runs_never_overlap_and_are_computed_once(monkeypatch):
    source = (ROOT / "autograder/hidden/00_setup/test_parse_driver_version.py").read_text(encoding="utf-8")
    running, peak, calls = [0], [0], [0]
    real = cases.run_case
    guard = threading.Lock()

    def slow_run_case(c, ref):
        with guard:
            running[0] += 1
            calls[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.01)  # let the other threads in, were there no lock
        try:
            return real(c, ref)
        finally:
            with guard:
                running[0] -= 1

    monkeypatch.setattr(cases, "run_case", slow_run_case)
    monkeypatch.setattr(hidden_grade, "_REF_CACHE", {})
    results, start = [], threading.Barrier(6)

    def worker(i):
        start.wait()
        # two lessons' worth of keys at once: the same exercise and a different source text
        results.append(hidden_grade.reference_results("00_setup", "parse_driver_version",
                                                      source + ("\n" if i % 2 else "")))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1  # never two reference cases at once
    n_cases = len(results[0][1])
    assert n_cases >= 8 and calls[0] == 2 * n_cases  # each distinct source computed once
    same = [r for r in results if r is results[0]]
    assert len(same) == 3  # threads asking for the same source share one cached computation
