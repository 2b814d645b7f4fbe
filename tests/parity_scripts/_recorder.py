"""Which exercise pieces does real PyTorch tutorial code pass through?

用法 / usage:  python _recorder.py OUT.json SCRIPT.py [SCRIPT.py ...]

Runs each tutorial script with course_lib injected as ``torch`` (``_runner``'s import hook),
after registering, for every exercise piece, a recorder as the piece's implementation (the same
``exercises.overrides`` slot a student's answer takes) that notes the key and calls the
reference. Writes ``{"pieces": [every key], "reached": {key: [scripts]}}``.
"""
import contextlib
import io
import json
import os
import runpy
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _runner import _TorchIsCourseLib  # noqa: E402


def main(argv):
    out, scripts = argv[0], argv[1:]
    sys.meta_path.insert(0, _TorchIsCourseLib())
    from course_lib import exercises

    exercises._import_all()
    reached = {}
    current = [None]

    def recorder(key, ref):
        def piece(*args, **kwargs):
            reached.setdefault(key, set()).add(current[0])
            return ref(*args, **kwargs)
        return piece

    for key, (_lesson, _name, ref) in list(exercises.registry.items()):
        exercises.overrides[key] = recorder(key, ref)
    for script in scripts:
        current[0] = os.path.basename(script)
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(script, run_name="__main__")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"pieces": sorted(exercises.registry),
                   "reached": {k: sorted(v) for k, v in reached.items()}}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
