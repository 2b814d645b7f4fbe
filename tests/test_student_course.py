"""The student course that `course release` builds: what it holds, its `course` command, its
publishing routes, and a fresh-venv install of its wheel holding no answer (issue 14).

学生课程：内容、学生端 `course` 命令、发布方式（zip、git、nbgrader exchange），以及把它的 wheel
装进全新 venv 后没有任何参考答案。
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.release import (build_packages, build_student_course, lesson_ids, leaks,
                                publish_exchange, publish_git, publish_zip, twins)

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _student_env(course: Path, home: Path) -> dict:
    """A shell of the student: the student course first on PYTHONPATH, no instructor paths."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "PYTHONPATH"))}
    return dict(env, PYTHONPATH=str(course), HOME=str(home))


def test_student_course_layout(student_course):
    ids = lesson_ids()
    assert ids and all((student_course / i / f"{i}.ipynb").is_file() for i in ids)
    top = {p.name for p in student_course.iterdir()}
    assert top == set(ids) | {"course_lib", "course_student", "jupyter", "README.md", "Makefile",
                              "environment.yml", "pyproject.toml", ".gitignore"}
    assert "STUDENT_BUILD = True" in (student_course / "course_lib" / "_build.py").read_text()
    readme = (student_course / "README.md").read_text()
    for words in ("make lab", "jupyter lab", "course check", "course status", "course submit",
                  "conda env create", "pip install -e ."):
        assert words in readme, words
    assert CJK.search(readme) and "Set up" in readme
    py = (student_course / "pyproject.toml").read_text()
    assert 'course = "course_student.cli:main"' in py and "autograder" not in py
    assert "-e ." in (student_course / "environment.yml").read_text()
    assert leaks(student_course) == []
    # make lab: installs the course itself, serves this folder with a known token on that port
    dry = subprocess.run(["make", "-n", "lab", "PORT=9123", "NO_BROWSER=1", "USE_CONDA=no"],
                         cwd=student_course, capture_output=True, text=True).stdout
    assert "pip install -q -e ." in dry and f'COURSE_LESSONS_DIR="{student_course}"' in dry
    assert "--config=jupyter/jupyter_lab_config.py" in dry and "--port=9123 --no-browser" in dry


def test_the_student_course_command_has_only_student_commands(student_course, tmp_path):
    env = _student_env(student_course, tmp_path)
    run = [sys.executable, "-m", "course_student.cli"]
    r = subprocess.run(run + ["--help"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0
    commands = set(re.findall(r"^    (\w+)\s{2,}\S", r.stdout.split("positional arguments:")[1],
                              re.M))
    assert commands == {"check", "status", "submit", "doctor"}, r.stdout
    for instructor in ("release", "grade", "feedback"):
        r = subprocess.run(run + [instructor], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert r.returncode == 2 and "invalid choice" in r.stderr
    # status finds the lessons next to the course_lib it imports, run from a lesson folder
    r = subprocess.run(run + ["status"], cwd=student_course / "05_nn", env=env, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    assert "0 of" in r.stdout and "not done / 未完成" in r.stdout


def test_revealed_lesson_runs_its_reference_in_the_student_course(tmp_path):
    """--reveal 04_autograd: the built course carries that lesson's bodies; its pieces run the
    reference for a student who has not done them; the other lessons stay stubs."""
    course = build_student_course(tmp_path / "course", reveal=["04_autograd"],
                                  notebooks=ROOT / "lessons")
    assert "REVEALED = ('04_autograd',)" in (course / "course_lib" / "_build.py").read_text()
    code = """
from course_lib import exercises as ex
ex._import_all()
rows = {}
for key, (lesson, name, ref) in ex.registry.items():
    try:
        rows[key] = [lesson, ex.lookup(key) is ref]
    except ex.ExerciseNotDone:
        rows[key] = [lesson, False]
import json; print(json.dumps(rows))
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path,
                       env=_student_env(course, tmp_path), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout.splitlines()[-1])
    assert {lesson for lesson, _ in rows.values()} >= {"04_autograd", "05_nn"}
    for key, (lesson, reference) in rows.items():
        assert reference == (lesson == "04_autograd"), key


def test_publish_zip_git_and_exchange(student_course, tmp_path):
    course = tmp_path / "student-course"
    shutil.copytree(student_course, course)
    z = publish_zip(course)
    names = zipfile.ZipFile(z).namelist()
    assert "student-course/course_lib/_build.py" in names and "student-course/README.md" in names
    assert not [n for n in names if "/.git/" in n or "__pycache__" in n]
    first = publish_git(course)
    assert publish_git(course) == first  # nothing changed: no new commit
    # a rebuild (here: notebooks reused) keeps the repository; a change is a new commit
    build_student_course(course, reveal=["00_setup"], notebooks=course)
    second = publish_git(course)
    assert second != first and (course / ".git").is_dir()
    log = subprocess.run(["git", "-C", str(course), "log", "--oneline"], capture_output=True,
                         text=True).stdout
    assert len(log.splitlines()) == 2
    exchange = tmp_path / "exchange"
    assert publish_exchange(course, course_id="c101", exchange=str(exchange)) == lesson_ids()
    for lesson in lesson_ids():
        released = exchange / "c101" / "outbound" / lesson / f"{lesson}.ipynb"
        assert released.read_bytes() == (course / lesson / f"{lesson}.ipynb").read_bytes()


def test_fresh_venv_install_holds_no_answer(student_course, tmp_path):
    """The student wheel installed into a fresh venv (no instructor site-packages; numpy only,
    and tqdm linked from this environment): every module imports, no module holds a reference body or
    hidden-case text, and no grader or solutions file is installed."""
    import numpy
    wheel, _ = build_packages(student_course, tmp_path / "dist")
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, env=dict(os.environ, PIP_CONSTRAINT=""))
    site = Path(subprocess.check_output(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    deps = tmp_path / "numpy-only"
    deps.mkdir()
    import tqdm  # course_lib.training's progress bar: a declared dependency too
    for mod, name in ((numpy, "numpy"), (numpy, "numpy.libs"), (tqdm, "tqdm")):
        if (Path(mod.__file__).parent.parent / name).exists():
            (deps / name).symlink_to(Path(mod.__file__).parent.parent / name)
    (site / "numpy-only.pth").write_text(f"{deps}\n")
    ours = {p.name for p in site.iterdir()} - {p.name for p in site.glob("pip*")} \
        - {p.name for p in site.glob("setuptools*")} - {p.name for p in site.glob("_distutils*")} \
        - {p.name for p in site.glob("pkg_resources")} - {"__pycache__", "distutils-precedence.pth",
                                                           "numpy-only.pth"}
    assert ours == {"course_lib", "course_student", "course_student-0.1.0.dist-info"}, ours
    code = ("import importlib, pkgutil, course_lib, course_student\n"
            "mods = [m.name for p in (course_lib, course_student)\n"
            "        for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.')]\n"
            "for m in mods: importlib.import_module(m)\n"
            "from course_lib import _build\n"
            "assert _build.STUDENT_BUILD\n"
            "print(len(mods), course_lib.__file__)\n")
    r = subprocess.run([py, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[1].startswith(str(site)) and int(r.stdout.split()[0]) > 50
    r = subprocess.run([env_dir / "bin" / "course", "--help"], capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert r.returncode == 0 and "release" not in r.stdout and "submit" in r.stdout
    installed = tmp_path / "installed"
    for name in ("course_lib", "course_student"):
        shutil.copytree(site / name, installed / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    assert leaks(installed) == []
    assert twins(installed) == [], "\n".join(map(str, twins(installed)))


def _fill_answers(nb_path: Path, lesson: str, only: set | None = None) -> int:
    """Put the solution's answer (markers removed) in each answer cell of a released notebook."""
    import nbformat
    solution = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.read(nb_path, as_version=4)
    filled = 0
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and gid in answers \
                and (only is None or gid in only):
            cell.source = re.sub(r"\n?[ \t]*### (BEGIN|END) SOLUTION[^\n]*", "", answers[gid])
            filled += 1
    nbformat.write(nb, nb_path)
    return filled


def _run(cmd, cwd, env=None):
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    assert r.returncode == 0, f"{cmd}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r.stdout


@pytest.mark.slow
def test_the_instructors_path_end_to_end(student_course, tmp_path):
    """release → publish (nbgrader exchange; git) → a student fetches, answers, checks and submits
    through the exchange, another clones the git course and submits a zip → nbgrader collect →
    course grade → course feedback → the student fetches the feedback → grades export (CSV and the
    nbgrader gradebook, read by nbgrader export)."""
    lesson = "00_setup"
    bindir = Path(sys.executable).parent
    base = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "PYTHONPATH"))}
    base["PATH"] = f"{bindir}{os.pathsep}{base.get('PATH', '')}"
    exchange = tmp_path / "exchange"
    (exchange / "c101" / "inbound").mkdir(parents=True)
    nbconf = (f"c = get_config()  # noqa: F821\nc.Exchange.root = {str(exchange)!r}\n"
              f"c.Exchange.cache = {str(tmp_path / 'cache')!r}\n"
              "c.CourseDirectory.course_id = 'c101'\n")
    # the instructor publishes the student course: exchange and its own git repository
    course = tmp_path / "published" / "student-course"
    shutil.copytree(student_course, course)
    assert lesson in publish_exchange(course, course_id="c101", exchange=str(exchange))
    publish_git(course)
    student_cmd = [sys.executable, "-m", "course_student.cli"]

    # student s1 (JupyterHub): the student course installed for them (PYTHONPATH here), fetch,
    # answer, check, submit through the exchange
    s1 = tmp_path / "s1"
    s1.mkdir()
    (s1 / "nbgrader_config.py").write_text(nbconf)
    env1 = dict(base, PYTHONPATH=str(course), HOME=str(s1))
    _run([sys.executable, "-m", "nbgrader", "fetch_assignment", lesson], s1, env1)
    nb1 = s1 / lesson / f"{lesson}.ipynb"
    assert _fill_answers(nb1, lesson) >= 3
    assert "all visible checks pass" in _run(student_cmd + ["check", nb1], s1, env1)
    _run(student_cmd + ["submit", nb1, "--exchange", "--student", "s1"], s1, env1)

    # student s2: clones the git course, answers one exercise, submits a zip
    clone = tmp_path / "s2" / "student-course"
    _run(["git", "clone", "-q", course, clone], tmp_path)
    env2 = dict(base, PYTHONPATH=str(clone), HOME=str(tmp_path / "s2"))
    nb2 = clone / lesson / f"{lesson}.ipynb"
    assert _fill_answers(nb2, lesson, only={"ex_parse_driver_version"}) == 1
    _run(student_cmd + ["submit", nb2, "--student", "s2", "--out", tmp_path / "inbox"], clone, env2)

    # the instructor collects, grades, hands the feedback back, exports
    instructor = tmp_path / "instructor"
    instructor.mkdir()
    (instructor / "nbgrader_config.py").write_text(
        nbconf + f"c.CourseDirectory.root = {str(instructor)!r}\n"
                 f"c.CourseDirectory.db_url = 'sqlite:///{tmp_path / 'collect.db'}'\n")
    _run([sys.executable, "-m", "nbgrader", "collect", lesson], instructor, base)
    shutil.copy(tmp_path / "inbox" / f"s2_{lesson}.zip", instructor / "submitted")
    cli = [sys.executable, "-m", "autograder.cli"]
    _run(cli + ["grade", lesson, "--submissions", "submitted", "--out", "grading", "--jobs", "1"],
         instructor, base)
    import csv
    rows = list(csv.DictReader((instructor / "grading" / "grades.csv").open()))
    total = {r["student"]: float(r["score"]) for r in rows if r["exercise"] == "total"}
    full = {r["student"]: float(r["max_score"]) for r in rows if r["exercise"] == "total"}
    assert set(total) == {"s1", "s2"} and total["s1"] == full["s1"] and 0 < total["s2"] < full["s2"]
    _run(cli + ["feedback", lesson, "--submissions", "submitted", "--out", "grading"], instructor,
         base)
    _run([sys.executable, "-m", "nbgrader", "fetch_feedback", lesson, "--student=s1"], s1, env1)
    assert list((s1 / lesson / "feedback").glob(f"*/{lesson}.html"))
    _run([sys.executable, "-m", "nbgrader", "export", "--db",
          f"sqlite:///{instructor / 'grading' / 'gradebook.db'}", "--to", tmp_path / "export.csv"],
         instructor, base)
    exported = {r["student_id"]: float(r["score"])
                for r in csv.DictReader((tmp_path / "export.csv").open())
                if r["assignment"] == lesson}
    assert exported == total
