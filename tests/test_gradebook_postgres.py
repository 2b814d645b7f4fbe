"""A real PostgreSQL gradebook: `course grade --db postgresql://…` against a server this file
starts (Debian's postgresql binaries, a cluster in a temporary folder, 127.0.0.1 only, trust
auth), scores read back through nbgrader's Gradebook and `nbgrader export`, and several graders
writing into it at once. 真实的 PostgreSQL 成绩库：本测试自己启动服务器，评分、读回、并发写入。

Without PostgreSQL or psycopg these tests skip, saying why; on CI (CI=true) that is a failure.
"""
from __future__ import annotations

import csv
import glob
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _unavailable(why: str):
    """Skip locally; on CI a PostgreSQL test that cannot run is a failure (.ci/run installs it)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL gradebook tests cannot run on CI: {why}", pytrace=False)
    pytest.skip(why)


def _bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/N/bin`` (Debian's layout), else initdb on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).resolve().parent if which else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """A throw-away PostgreSQL cluster on 127.0.0.1; superuser ``grader``, trust auth.

    PostgreSQL refuses to run as root: as root, initdb and the server run as ``nobody``
    (setpriv), in a folder that user owns."""

    USER = "grader"

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="course-pg-",  # reachable by nobody
                                          dir="/tmp" if os.geteuid() == 0 else None))
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.port = None
        self.as_user: list = []
        if os.geteuid() == 0:
            who = pwd.getpwnam("nobody")
            os.chown(self.root, who.pw_uid, who.pw_gid)
            self.as_user = ["setpriv", f"--reuid={who.pw_uid}", f"--regid={who.pw_gid}",
                            "--clear-groups", "--"]

    def _run(self, *cmd, timeout=60):
        return subprocess.run([*self.as_user, *map(str, cmd)], cwd=self.root, timeout=timeout,
                              capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))

    @classmethod
    def start(cls) -> "PgServer":
        bindir = _bindir()
        if bindir is None:
            _unavailable("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        server = cls(bindir)
        try:
            server._init()
            for _ in range(3):  # a free port can be taken before the server binds it
                server.port = _free_port()
                if server._start():
                    return server
            raise RuntimeError("PostgreSQL did not start:\n" + server._log_tail())
        except BaseException:
            server.stop()
            raise

    def _init(self):
        r = self._run(self.bindir / "initdb", "-D", self.data, "-U", self.USER, "-A", "trust",
                      "--no-locale", "-E", "UTF8", "--no-sync", "--no-instructions")
        if r.returncode:
            raise RuntimeError(f"initdb failed:\n{r.stdout}\n{r.stderr}")
        # TCP on 127.0.0.1 only (no Unix socket), trust for localhost and nothing else;
        # durability off: a test cluster, thrown away at the end
        (self.data / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\n")
        with open(self.data / "postgresql.conf", "a") as f:
            f.write("listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "max_connections = 60\nshared_buffers = 32MB\n")

    def _start(self) -> bool:
        r = self._run(self.bindir / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30",
                      "-o", f"-p {self.port}", "start")
        return r.returncode == 0

    def _log_tail(self) -> str:
        try:
            return self.log.read_text()[-3000:]
        except OSError:
            return ""

    def stop(self):
        """Stop the server (immediate), kill its postmaster if that fails, remove the folder."""
        if (self.data / "postmaster.pid").exists():
            self._run(self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop",
                      timeout=30)
        try:  # still there: pg_ctl failed or hung
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def dsn(self, db="postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={self.USER} dbname={db}"

    def new_database(self, name: str) -> str:
        """An empty database owned by ``teacher``, an ordinary role (as autograder/README.md sets
        one up); its ``postgresql://`` URL, as an instructor writes it."""
        import psycopg
        with psycopg.connect(self.dsn(), autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'teacher'").fetchone():
                c.execute("CREATE ROLE teacher LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
            c.execute(f'CREATE DATABASE "{name}" OWNER teacher')
        return f"postgresql://teacher@127.0.0.1:{self.port}/{name}"


# ------------------------------------------------------------------ fixtures

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import grading_fixtures as fx  # noqa: E402

from autograder import jail  # noqa: E402

pytestmark = pytest.mark.slow
needs_jail = pytest.mark.skipif(jail.probe() is not None, reason=f"no jail: {jail.probe()}")
LESSONS = ("02_numpy", "03_cuda")  # two small lessons (4 exercises each)


@pytest.fixture(scope="session")
def pg():
    """One PostgreSQL server for the session, stopped (killed if need be) at the end."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'psycopg[binary]')")
    server = PgServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def gradebook(pg, request):
    """The ``postgresql://`` URL of a new, empty database (no tables: the grader makes them)."""
    return pg.new_database("gb_" + request.node.name.lower()[:40])


def _notebooks(lesson):
    from autograder.grade import make_template
    course = make_template(lesson)
    return [json.loads((course / kind / lesson / f"{lesson}.ipynb").read_text())
            for kind in ("source", "release")]


def _submit(subs: Path, lesson: str, students: dict) -> dict:
    """``{student: builder}`` → the notebooks under ``subs``; ``{student: {exercise: score}}``."""
    src, rel = _notebooks(lesson)
    expected = {}
    for student, build in students.items():
        data, expected[student] = build(src, rel)
        (subs / student / lesson).mkdir(parents=True)
        (subs / student / lesson / f"{lesson}.ipynb").write_bytes(data)
    return expected


def _course_grade(lesson, subs, out, db) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "autograder.cli", "grade", lesson,
                             "--submissions", str(subs), "--out", str(out), "--db", db,
                             "--jobs", "1"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finished(proc: subprocess.Popen, timeout=300) -> str:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 0, f"{out}\n{err}"
    assert "Traceback" not in err and "✗" not in err, err  # ✗: a grader error
    assert not re.search(r"\b(dead)?lock", err, re.I), err
    return err


def _gradebook_scores(url, lesson) -> dict:
    """``{student: {exercise: score, "total": score}}`` through nbgrader's Gradebook API."""
    from nbgrader.api import Gradebook
    with Gradebook(url) as gb:
        got = {}
        for sub in gb.assignment_submissions(lesson):
            nb = gb.find_submission_notebook(lesson, lesson, sub.student_id)
            got[sub.student_id] = {g.name[len("test_"):]: g.score for g in nb.grades}
            got[sub.student_id]["total"] = sub.score
        gb.engine.dispose()
    return got


def _rows(pg, url, sql) -> list:
    import psycopg
    with psycopg.connect(pg.dsn(url.rsplit("/", 1)[1])) as c:
        return c.execute(sql).fetchall()


def _one_row_each(pg, url):
    """No doubled entry: one student row per id, one submission per (lesson, student), one
    grade per (submission, grade cell)."""
    assert not _rows(pg, url, "SELECT id FROM student GROUP BY id HAVING count(*) > 1")
    assert not _rows(pg, url, "SELECT assignment_id, student_id FROM submitted_assignment "
                              "GROUP BY 1, 2 HAVING count(*) > 1")
    assert not _rows(pg, url, "SELECT notebook_id, cell_id FROM grade "
                              "GROUP BY 1, 2 HAVING count(*) > 1")


def _expect(expected: dict) -> dict:
    return {s: {**ex, "total": pytest.approx(sum(ex.values()))} for s, ex in expected.items()}


# ------------------------------------------------------------------ tests

@needs_jail
def test_course_grade_writes_a_postgres_gradebook(pg, gradebook, tmp_path):
    """`course grade --db postgresql://…` into an empty database: the scores nbgrader's
    Gradebook and `nbgrader export` read back are the grader's; a second run (resume) doubles
    nothing."""
    lesson = LESSONS[0]
    subs, out = tmp_path / "subs", tmp_path / "out"
    expected = _submit(subs, lesson, {"solved": fx.solved, "blank": fx.blank,
                                      "mixed": fx.mixed})
    _finished(_course_grade(lesson, subs, out, gradebook))
    assert _gradebook_scores(gradebook, lesson) == _expect(expected)
    with open(out / "grades.csv", newline="") as f:
        csv_totals = {r["student"]: float(r["score"]) for r in csv.DictReader(f)
                      if r["exercise"] == "total"}
    export = tmp_path / "export.csv"  # nbgrader's own command, the same URL
    r = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--db", gradebook,
                        "--to", str(export)], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    with open(export, newline="") as f:
        exported = {r["student_id"]: (float(r["score"]), float(r["max_score"]))
                    for r in csv.DictReader(f) if r["assignment"] == lesson}
    assert exported == {s: (csv_totals[s], 100.0) for s in expected}
    assert csv_totals == {s: pytest.approx(sum(ex.values())) for s, ex in expected.items()}

    _finished(_course_grade(lesson, subs, out, gradebook))  # resumed: recorded again
    assert _gradebook_scores(gradebook, lesson) == _expect(expected)
    _one_row_each(pg, gradebook)


@needs_jail
def test_two_graders_at_once(pg, gradebook, tmp_path):
    """Two `course grade` processes, different lessons, the same students, one new database,
    started together: every grade there once, none lost, no lock error."""
    runs, expected = [], {}
    for lesson, students in zip(LESSONS, ({"s1": fx.solved, "s2": fx.blank, "s3": fx.mixed},
                                          {"s1": fx.blank, "s2": fx.mixed, "s3": fx.solved})):
        subs = tmp_path / lesson / "subs"
        expected[lesson] = _submit(subs, lesson, students)
        runs.append((subs, tmp_path / lesson / "out", lesson))
    procs = [_course_grade(lesson, subs, out, gradebook) for subs, out, lesson in runs]
    for p in procs:
        _finished(p)
    for lesson in LESSONS:
        assert _gradebook_scores(gradebook, lesson) == _expect(expected[lesson]), lesson
    _one_row_each(pg, gradebook)
    assert sorted(r[0] for r in _rows(pg, gradebook, "SELECT id FROM student")) == \
        ["s1", "s2", "s3"]


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's add_submission;
# the Recorder silences them, but warnings.catch_warnings is process-wide, not per thread
def test_recorders_racing_on_the_same_students(pg, gradebook):
    """Four gradebook writers (two per lesson) record the same 24 students at the same moment:
    each creates students and submissions the others create too (unique-key conflicts). Every
    grade ends there once, with its score."""
    import threading

    from autograder.grade import Recorder, _ensure_assignment, gradebook_url, make_template
    url = gradebook_url(gradebook)
    results = {}
    for lesson in LESSONS:
        _ensure_assignment(lesson, url, make_template(lesson))
        _, rel = _notebooks(lesson)
        pts = fx.points(rel)
        results[lesson] = [  # student k scores the points of the exercises whose bit k has
            {"student": f"st{k:02d}", "lesson": lesson,
             "exercises": [{"exercise": ex, "score": pts[ex] if k >> i & 1 else 0.0,
                            "max_score": pts[ex]} for i, ex in enumerate(pts)]}
            for k in range(24)]
    start, errors = threading.Barrier(4), []

    def writer(lesson, order):
        rec = Recorder(lesson, url)
        try:
            rec.add(results[lesson][:1])  # connected and warm before the race
            start.wait()
            for res in results[lesson][::order]:
                rec.add([res])
        except BaseException as e:  # noqa: BLE001
            errors.append(e)
            start.abort()
        finally:
            rec.close()

    threads = [threading.Thread(target=writer, args=(lesson, order))
               for lesson in LESSONS for order in (1, -1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    for lesson in LESSONS:
        want = {r["student"]: {e["exercise"]: e["score"] for e in r["exercises"]}
                for r in results[lesson]}
        assert _gradebook_scores(gradebook, lesson) == _expect(want)
    _one_row_each(pg, gradebook)


def test_unreachable_gradebook_is_said_before_grading(pg, tmp_path):
    """A server that does not answer (or a wrong database): `course grade` says so in both
    languages, without the password, and grades no one."""
    lesson = LESSONS[0]
    subs, out = tmp_path / "subs", tmp_path / "out"
    _submit(subs, lesson, {"a": fx.blank})
    for url in (f"postgresql://grader:s3cret-pw@127.0.0.1:{_free_port()}/gb",
                f"postgresql://grader:s3cret-pw@127.0.0.1:{pg.port}/no_such_database"):
        p = _course_grade(lesson, subs, out, url)
        _, err = p.communicate(timeout=120)
        assert p.returncode == 2, err
        assert "无法连接成绩库 / cannot reach the gradebook" in err and "s3cret-pw" not in err
        assert "Traceback" not in err
        assert not (out / "work" / "results").exists()


@needs_jail
def test_relative_sqlite_url_is_where_the_command_ran(tmp_path):
    """`--db sqlite:///gb.db` is gb.db in the folder `course grade` ran in (nbgrader itself
    changes folder before it opens the gradebook)."""
    from nbgrader.api import Gradebook
    lesson = LESSONS[0]
    (tmp_path / "subs" / "a" / lesson).mkdir(parents=True)  # a student who sent nothing
    r = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", lesson, "--submissions",
                        "subs", "--out", "out", "--db", "sqlite:///gb.db", "--jobs", "1"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 0, r.stderr
    with Gradebook(f"sqlite:///{tmp_path / 'gb.db'}") as gb:
        assert gb.find_submission(lesson, "a").score == 0
