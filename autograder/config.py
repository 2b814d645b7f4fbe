"""nbgrader configuration of the course (used by `course` and by nbgrader's own commands).

课程的 nbgrader 配置（`course` 命令与 nbgrader 自带命令共用）。

Layout: ``solutions/<lesson>/`` is nbgrader's source folder, ``lessons/<lesson>/`` its
release folder; the instructor gradebook is ``.course/gradebook.db`` (git-ignored).
"""
from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT = 60  # seconds per notebook cell during autograde / 自动评分时每个单元格的时限
ZIP_REGEXP = r".*/(?P<student_id>[^/]+)_\d\d_\w+/(?P<file_id>\d\d_\w+\.ipynb)$"


def nbgrader_config(root: Path = ROOT, db_url: str | None = None, course_id: str = "course",
                    source="solutions", release="lessons") -> Config:
    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.source_directory = source
    c.CourseDirectory.release_directory = release
    c.CourseDirectory.db_url = db_url or f"sqlite:///{Path(root) / '.course' / 'gradebook.db'}"
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    c.Execute.timeout = CELL_TIMEOUT
    c.Execute.raise_on_iopub_timeout = False
    c.ClearOutput.enabled = True
    c.LimitOutput.max_lines = 200
    c.LimitOutput.max_traceback = 50
    # `nbgrader zip_collect LESSON` reads the zips of `course submit` (STUDENT_LESSON.zip,
    # extracted to STUDENT_LESSON/LESSON.ipynb) / 读取 `course submit` 生成的 zip
    c.FileNameCollectorPlugin.named_regexp = ZIP_REGEXP
    return c


def load(c) -> None:
    """Copy our settings into nbgrader's ``get_config()`` object (for nbgrader_config.py)."""
    c.merge(nbgrader_config())
    (ROOT / ".course").mkdir(exist_ok=True)


def ensure_bin_on_path() -> None:
    """nbgrader runs ``alembic`` as a command: put this interpreter's bin folder on PATH."""
    import os
    import sys
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
