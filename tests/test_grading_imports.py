"""`course grade` imports nbgrader in a background thread (the gradebook, to save time at
the end) while the main thread may build a template course (nbgrader's apps). Two threads
importing those at once deadlocked on Python's module locks (``_DeadlockError`` for
nbgrader.api, every time in a fresh interpreter); imports now go through one lock.
评分时两个线程同时导入 nbgrader 曾导致死锁。"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys, threading
sys.path.insert(0, sys.argv[1])
from autograder import grade
errors = []
def preload():  # what grade._preload_gradebook does, with its errors kept
    try:
        grade.import_nbgrader()
    except Exception as e:
        errors.append(repr(e))
t = threading.Thread(target=preload)
t.start()
try:  # at once, as make_template does when the template is not cached yet
    grade.import_nbgrader(apps=True)
except Exception as e:
    errors.append(repr(e))
t.join()
import nbgrader.api, nbgrader.apps  # both complete
print(errors)
"""


def test_background_and_template_imports_of_nbgrader_do_not_deadlock():
    for _ in range(3):
        r = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr
