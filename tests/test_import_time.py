"""``import course_lib`` is fast and needs neither cupy nor matplotlib.

导入 course_lib 要快（< 0.3 秒），并且不依赖 cupy 或 matplotlib。
"""
import subprocess
import sys

CODE = """
import sys, time
t = time.process_time()  # CPU time: a busy machine does not inflate it
import course_lib
dt = time.process_time() - t
bad = [m for m in ("cupy", "matplotlib", "torch", "sklearn", "scipy") if m in sys.modules]
print(dt, ",".join(bad))
"""


def test_import_is_fast_and_lean():
    best = None
    for _ in range(3):  # the best of three runs
        out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                             check=True).stdout.split()
        dt = float(out[0])
        assert len(out) == 1, f"heavy modules imported: {out[1]}"
        best = dt if best is None else min(best, dt)
    assert best < 0.3, f"import course_lib took {best:.3f}s"
