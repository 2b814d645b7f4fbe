"""The course's nbgrader configuration names only traits nbgrader 0.9 knows (no traitlets
warnings such as the old ``Exchange.course_id``). 配置只使用 nbgrader 认识的选项。"""
import subprocess
import sys
from pathlib import Path

from autograder.config import nbgrader_config

ROOT = Path(__file__).resolve().parent.parent


def _classes():
    import nbgrader.apps
    import nbgrader.converters
    import nbgrader.exchange
    import nbgrader.plugins
    import nbgrader.preprocessors
    from nbgrader.coursedir import CourseDirectory
    out = {"CourseDirectory": CourseDirectory}
    for mod in (nbgrader.apps, nbgrader.converters, nbgrader.preprocessors, nbgrader.plugins,
                nbgrader.exchange):
        for name in dir(mod):
            obj = getattr(mod, name)
            if isinstance(obj, type) and hasattr(obj, "class_traits"):
                out.setdefault(name, obj)
    return out


def test_every_configured_trait_exists():
    classes = _classes()
    c = nbgrader_config()
    assert "course_id" not in c.get("Exchange", {})
    for section, values in c.items():
        cls = classes.get(section)
        assert cls is not None, f"unknown configurable {section}"
        traits = cls.class_traits(config=True)
        for name in values:
            assert name in traits, f"{section}.{name} is not a config trait of nbgrader"


def test_nbgrader_command_from_the_repo_root_warns_nothing():
    r = subprocess.run([sys.executable, "-m", "nbgrader", "db", "assignment", "list"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    log = r.stdout + r.stderr
    assert "WARNING" not in log and "not recognized" not in log and "Outdated" not in log, log
