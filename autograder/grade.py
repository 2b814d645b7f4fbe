"""`course grade LESSON --submissions DIR --out DIR [--jobs N] [--db URL] [--cluster ADDRESS] [--force]`.

批量评分（唯一的评分路径）：每份提交的每个练习在沙箱（jail.py + sandbox.py）中用隐藏用例运行学生的
答案单元格，得分 = 通过的用例数 / 用例总数 × 分值（保留两位小数）；成绩通过 nbgrader 的 Gradebook
API 写入成绩库（formgrader 与 `nbgrader export` 显示的就是这个正式成绩），并生成中英双语反馈页面。
--jobs N 为同时运行的沙箱数（约各占一个核）；中断后可继续：只信任本次运行文件夹密钥签名的结果，
提交内容（或评分用例）改变的学生会重评，--force 全部重评；只有主进程写成绩库。

OUT/grades.csv: student, lesson, exercise, score, max_score (+ a ``total`` row per student);
OUT/grades_wide.csv: one row per student, one column per exercise and the total (for an LMS);
OUT/feedback/<student>/<lesson>.html: the bilingual feedback page (feedback.py);
OUT/work/results/<student>.json: per-student results, HMAC-signed with OUT/work/.secret.
--db URL: the gradebook (default SQLite OUT/gradebook.db); ``postgresql://user@host/db`` for one
that several `course grade` processes, on one machine or many, write at once.
--cluster ADDRESS: one task per student and lesson on Dask workers (cluster.py); this process
still writes every file and the gradebook.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from .config import ROOT, ensure_bin_on_path, nbgrader_config
from .feedback import exercise_texts as _exercise_texts, feedback_html as _feedback_html
from .hidden_grade import grade_exercises, redactor, score
from .cases import case_files
from . import submission as subm
from course_student.student import student_id_problem  # one rule for both sides

ZIP_MAX = 300 * 2**20


# ------------------------------------------------------------------ collecting submissions

_NOT_SUBMISSIONS = {".ipynb_checkpoints", ".git", ".DS_Store", "__MACOSX"}  # skipped silently


def collect(lesson: str, submissions: Path, work: Path, rejected: list | None = None) -> dict:
    """``{student: notebook path or None}`` from ``STUDENT/LESSON/*.ipynb`` or zip files;
    entries whose student id is not one go to ``rejected`` as ``(name, reason)``."""
    found = {}
    rejected = [] if rejected is None else rejected
    for entry in sorted(Path(submissions).iterdir()):
        if entry.name in _NOT_SUBMISSIONS:
            continue
        if entry.is_dir():
            student = entry.name
        elif entry.suffix == ".zip":
            student = _zip_student(entry.stem, lesson)
        else:
            continue
        why = student_id_problem(student)
        if why:
            rejected.append((entry.name, why))
            continue
        if entry.is_dir():
            nbs = sorted((entry / lesson).glob("*.ipynb")) if (entry / lesson).is_dir() else []
            pref = [p for p in nbs if p.stem == lesson]
            found[student] = (pref or nbs or [None])[0]
        else:
            found[student] = _unzip(entry, lesson, work / "unzipped" / student)
    return found


def _zip_student(stem: str, lesson: str) -> str:
    m = re.match(r".*?_(?P<sid>\w+?)_attempt_", stem)  # Blackboard-style names
    if m:
        return m.group("sid")
    s = stem.replace(f"_{lesson}", "").replace(lesson, "").strip("_-") or stem
    return re.sub(r"[^\w.-]", "_", s)


def _unzip(zpath: Path, lesson: str, dest: Path):
    try:
        with zipfile.ZipFile(zpath) as z:
            names = [i for i in z.infolist() if i.filename.endswith(".ipynb")
                     and "__MACOSX" not in i.filename and not i.is_dir()]
            pick = [i for i in names if Path(i.filename).stem == lesson] or names
            if not pick or pick[0].file_size > ZIP_MAX:
                return None
            dest.mkdir(parents=True, exist_ok=True)
            out = dest / f"{lesson}.ipynb"
            with z.open(pick[0]) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
            return out
    except (zipfile.BadZipFile, OSError):
        return None


# ------------------------------------------------------------------ template course

def make_template(lesson: str, course: Path | None = None) -> Path:
    """A course dir with ``source/``, ``release/`` and a gradebook holding ``lesson``.

    Cached under ``.course/templates/<lesson>-<hash of the source notebook>`` (built in a temp
    dir and renamed, so parallel runs never see half a template); ``course`` copies it.
    """
    import hashlib
    src = ROOT / "solutions" / lesson
    digest = hashlib.sha256()
    for f in sorted(src.rglob("*")):
        if f.is_file() and ".ipynb_checkpoints" not in f.parts:
            digest.update(str(f.relative_to(src)).encode() + f.read_bytes())
    cache = ROOT / ".course" / "templates" / f"{lesson}-{digest.hexdigest()[:16]}"
    cache.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(cache.parent / f".{lesson}.lock"):  # one builder per machine (workers)
        _build_template(lesson, src, cache)
    if course is None:
        return cache
    if not (course / "ready").exists():
        if course.exists():
            shutil.rmtree(course)
        shutil.copytree(cache, course)
    return course


@contextlib.contextmanager
def file_lock(path: Path):
    """An exclusive lock on ``path`` across the processes of this machine (``flock``, released
    when the holder ends, even killed): two cluster workers on one machine build a cache once."""
    import fcntl
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _build_template(lesson: str, src: Path, cache: Path) -> None:
    if not (cache / "ready").exists() or not (cache / "release" / lesson /
                                              f"{lesson}.ipynb").is_file():
        shutil.rmtree(cache, ignore_errors=True)  # half made or damaged: made again
        import_nbgrader(apps=True)
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        ensure_bin_on_path()
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{lesson}-", dir=cache.parent))
        shutil.copytree(src, tmp / "source" / lesson,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        c = nbgrader_config(tmp, f"sqlite:///{tmp / 'gradebook.db'}", source="source",
                            release="release")
        res = NbGraderAPI(CourseDirectory(config=c), config=c).generate_assignment(lesson)
        if not res.get("success"):
            raise RuntimeError(res.get("log", "") + str(res.get("error", "")))
        (tmp / "ready").write_text("ok")
        try:
            os.rename(tmp, cache)
        except OSError:  # another run made it first
            shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ signed results

def _secret(work: Path) -> bytes:
    """The run folder's key (created once, readable only by the grader's user)."""
    path = work / ".secret"
    work.mkdir(parents=True, exist_ok=True)
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key.hex())
        return key


def _mac(key: bytes, result: dict) -> str:
    body = json.dumps(result, sort_keys=True, ensure_ascii=True).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def save_result(work: Path, result: dict) -> None:
    _atomic_write(work / "results" / f"{result['student']}.json",
                  json.dumps({"result": result, "mac": _mac(_secret(work), result)}, indent=1))


def load_result(work: Path, student: str) -> dict | None:
    """A result this run folder wrote itself (its MAC checks out), else None."""
    try:
        doc = json.loads((work / "results" / f"{student}.json").read_text(encoding="utf-8"))
        res, mac = doc["result"], doc["mac"]
        if not isinstance(res, dict) or not isinstance(mac, str):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return res if hmac.compare_digest(_mac(_secret(work), res), mac) else None


def notebook_digest(nb_path) -> str:
    """The cache key of a submission: the content hash of its notebook."""
    if nb_path is None:
        return "none"
    try:
        return hashlib.sha256(Path(nb_path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def grader_digest(lesson: str, course: Path) -> str:
    """What else a result depends on that an instructor edits to change a grade: the hidden
    cases and the release notebook (after a change of course_lib itself, use ``--force``)."""
    h = hashlib.sha256(lesson.encode())
    for name, p in sorted(case_files(lesson).items()):
        h.update(name.encode() + b"\0" + p.read_bytes())
    h.update((course / "release" / lesson / f"{lesson}.ipynb").read_bytes())
    return h.hexdigest()[:16]


# ------------------------------------------------------------------ one student

def grade_student(lesson: str, student: str, nb_path, course: Path, out: Path, *,
                  hide=(), **kw) -> dict:
    """Grade one student in the sandbox; write the signed result and the feedback page."""
    result, page = assess(lesson, student, nb_path, course, hide=(*hide, out), **kw)
    keep(out, result, page)
    return result


def assess(lesson: str, student: str, nb_path, course: Path, *, mem_mb=2048, case_timeout=10.0,
           piece_timeout=60.0, nb_digest=None, grader=None, hide=()) -> tuple:
    """``(result, feedback page)`` of one student, graded in the sandbox; nothing written
    (``hide``: folders no jail may see). A cluster worker runs this alone (cluster.py)."""
    release_nb = json.loads((course / "release" / lesson / f"{lesson}.ipynb").read_text())
    source_nb = json.loads((course / "source" / lesson / f"{lesson}.ipynb").read_text())
    points = subm.exercises_of(release_nb)
    hidden = case_files(lesson)
    t0 = time.monotonic()
    rows, answers = {}, {}
    try:
        if nb_path is None:
            raise subm.BadNotebook("no notebook submitted / 没有提交 notebook")
        cells = subm.inspect(subm.load(nb_path), release_nb)
    except subm.BadNotebook as e:
        cells = {ex: ("bad", str(e)) for ex in points}
    todo = {}
    for ex, pts in points.items():
        state, value = cells[ex]
        if state == "ok":
            answers[ex] = value
        if state == "bad" or ex not in hidden:
            reason = value if state == "bad" else "grader has no hidden cases / 缺少隐藏用例"
            rows[ex] = {"exercise": ex, "score": 0.0, "max_score": pts, "reason": reason,
                        "cases": []}
        else:
            todo[ex] = value
    got = {}
    if todo:
        got = grade_exercises(lesson, todo, case_files=hidden,
                              prelude=subm.setup_source(source_nb), mem_mb=mem_mb,
                              case_timeout=case_timeout, timeout=piece_timeout, hide=hide)
    for ex, pts in points.items():
        if ex in got:
            r = got[ex]
            rows[ex] = {"exercise": ex, "score": score(r.fraction, pts), "max_score": pts,
                        "reason": r.fatal or "",
                        "cases": [{"title": o.title, "passed": o.passed, "reason": o.reason}
                                  for o in r.outcomes]}
    rows = {ex: rows[ex] for ex in points}
    redact = redactor([p.read_text(encoding="utf-8") for p in hidden.values()])
    page = _feedback_html(lesson, student, rows, answers, redact, _exercise_texts(release_nb))
    result = {"student": student, "lesson": lesson, "exercises": list(rows.values()),
              "total": round(sum(r["score"] for r in rows.values()), 2),
              "max_score": sum(points.values()), "notebook": nb_digest or notebook_digest(nb_path),
              "grader": grader, "seconds": round(time.monotonic() - t0, 2)}
    return result, page


def keep(out: Path, result: dict, page: str) -> None:
    """Write a student's feedback page and signed result (the one writer: this process)."""
    _atomic_write(out / "feedback" / result["student"] / f"{result['lesson']}.html", page)
    save_result(out / "work", result)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# ------------------------------------------------------------------ importing nbgrader

_NB_IMPORT = threading.Lock()


def import_nbgrader(apps: bool = False) -> None:
    """Import nbgrader's gradebook (and its apps) in one thread at a time: the background
    preload and a template build importing the two at once deadlocked on Python's module
    locks (``_DeadlockError`` for nbgrader.api). 同一时间只在一个线程中导入 nbgrader。"""
    with _NB_IMPORT:
        if apps:
            import nbgrader.apps  # noqa: F401  (imports the gradebook on its way)
        import nbgrader.api  # noqa: F401


def _preload_gradebook():
    """Import nbgrader's gradebook while the students are graded (≈0.8 s off the end)."""
    try:
        import_nbgrader()
    except Exception:  # noqa: BLE001  (record() will report it)
        pass


# ------------------------------------------------------------------ the gradebook database

def gradebook_url(db: str) -> str:
    """``--db`` as SQLAlchemy takes it: ``postgresql://`` (or ``postgres://``) is PostgreSQL
    through psycopg 3, the driver this course installs, whichever driver this SQLAlchemy
    release defaults to; a relative SQLite path is made absolute (nbgrader changes folder before
    it opens the gradebook); any other URL as given."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    scheme, sep, rest = db.partition("://")
    if sep and scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    try:
        url = make_url(db)
    except ArgumentError:
        return db  # gradebook_problem says why
    path = url.database or ""
    if url.get_backend_name() == "sqlite" and path and path != ":memory:" \
            and not path.startswith("file:") and not os.path.isabs(path):
        return url.set(database=str(Path(path).resolve())).render_as_string(hide_password=False)
    return db


def shown_url(db_url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url
    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001  (an unparsable URL: SQLAlchemy says so itself later)
        return "<URL>"


_STRUCTURE_LOCK = int.from_bytes(hashlib.sha256(b"course grade: gradebook structure")
                                 .digest()[:8], "big", signed=True)


@contextlib.contextmanager
def structure_lock(db_url: str):
    """One grader at a time, across processes and machines, changes the gradebook's structure:
    nbgrader creates the tables, the course and an assignment by check-then-insert, and
    regenerating an assignment removes its notebook while it has no submission yet. On
    PostgreSQL a session advisory lock (released when its connection closes, even if the grader
    dies); elsewhere (SQLite: one machine, its own file lock) nothing. 修改成绩库结构时加锁。"""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool
    if make_url(db_url).get_backend_name() != "postgresql":
        yield
        return
    engine = create_engine(db_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _STRUCTURE_LOCK})
            yield
    finally:
        engine.dispose()


def gradebook_problem(db_url: str) -> str | None:
    """Why the gradebook server at ``db_url`` cannot be reached (bilingual), or None; a SQLite
    file is made where it is named (its folder may be ``--out``, made later)."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ArgumentError, DBAPIError
    try:
        engine = create_engine(db_url)
    except ModuleNotFoundError as e:
        hint = " (pip install 'psycopg[binary]')" if db_url.startswith("postgres") else ""
        return f"缺少数据库驱动 / no database driver: {e.name}{hint}"
    except ArgumentError as e:
        return f"成绩库 URL 无效 / not a database URL: {e}"
    if engine.dialect.name == "sqlite":
        engine.dispose()
        return None
    try:
        with engine.connect():
            return None
    except DBAPIError as e:
        why = str(e.orig).strip().splitlines()[0] if e.orig else type(e).__name__
        return f"无法连接成绩库 / cannot reach the gradebook {shown_url(db_url)}: {why}"
    finally:
        engine.dispose()


def open_gradebook(db_url: str):
    """nbgrader's ``Gradebook`` on ``db_url`` (its tables made if missing, under the lock)."""
    import_nbgrader()
    ensure_bin_on_path()  # a new gradebook asks the `alembic` command for its version
    from nbgrader.api import Gradebook
    with structure_lock(db_url):
        return Gradebook(db_url)


class _HandledRollback(logging.Filter):
    """nbgrader logs a traceback for every insert that lost a race to another grader; the
    Recorder handles those (it writes the student again), so they are not shown."""

    def filter(self, record):
        return not str(record.msg).startswith("Rolling back session due to database error")


class Recorder:
    """The gradebook writer of one `course grade` (its main thread): each result as it arrives,
    so the writes overlap the grading of the others. Other graders may write the same gradebook
    at once (PostgreSQL): a student's writes that meet another grader's (both creating the same
    student or submission: a unique-key conflict; a deadlock; SQLite's "database is locked")
    are rolled back and done again, and nbgrader's unique keys keep one submission per student
    and lesson. 成绩库写入者：与其他评分进程冲突时回滚并重写，每名学生每课只有一份提交。"""

    RETRIES = 8

    def __init__(self, lesson: str, db_url: str):
        self.lesson, self.db_url, self.gb = lesson, db_url, None

    def add(self, results: list) -> None:
        if not results:
            return
        if self.gb is None:
            self.gb = open_gradebook(self.db_url)
        quiet = _HandledRollback()
        log = logging.getLogger("tornado.application")  # nbgrader's app_log
        log.addFilter(quiet)
        try:
            for res in results:
                self._write(res)
        finally:
            log.removeFilter(quiet)

    def _write(self, res: dict) -> None:
        import random
        import warnings
        from nbgrader.api import InvalidEntry, MissingEntry
        from sqlalchemy.exc import IntegrityError, OperationalError
        gb, lesson, student = self.gb, self.lesson, res["student"]
        for attempt in range(self.RETRIES):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # nbgrader's own SAWarnings in add_submission
                    gb.update_or_create_student(student)
                    try:
                        gb.find_submission(lesson, student)
                    except MissingEntry:
                        gb.add_submission(lesson, student)
                    for r in res["exercises"]:
                        g = gb.find_grade(f"test_{r['exercise']}", lesson, lesson, student)
                        g.auto_score = float(r["score"])
                    gb.db.commit()
                return
            except (InvalidEntry, IntegrityError, OperationalError):
                gb.db.rollback()
                if attempt + 1 == self.RETRIES:
                    raise
                time.sleep(random.uniform(0, 0.05 * 2 ** attempt))  # apart, not in step again

    def close(self) -> None:
        if self.gb is not None:
            self.gb.close()
            self.gb.engine.dispose()
            self.gb = None


def record(results: list, lesson: str, db_url: str, course: Path | None = None) -> None:
    """Write the scores into the gradebook (idempotent)."""
    rec = Recorder(lesson, db_url)
    try:
        rec.add(results)
    finally:
        rec.close()


def write_csv(path: Path, results: list) -> None:
    """The long CSV (one row per student and exercise, plus totals) and, beside it,
    ``grades_wide.csv`` for an LMS (one row per student, one column per exercise)."""
    rows, exercises = [], []
    for res in sorted(results, key=lambda r: r["student"]):
        for r in res["exercises"]:
            rows.append([res["student"], res["lesson"], r["exercise"], f"{r['score']:g}",
                         f"{r['max_score']:g}"])
            if r["exercise"] not in exercises:
                exercises.append(r["exercise"])
        rows.append([res["student"], res["lesson"], "total", f"{res['total']:g}",
                     f"{res['max_score']:g}"])
    _write_rows(path, [["student", "lesson", "exercise", "score", "max_score"], *rows])
    lesson = results[0]["lesson"] if results else ""
    wide = [["student", *(f"{lesson}:{ex}" for ex in exercises), f"{lesson}:total"]]
    for res in sorted(results, key=lambda r: r["student"]):
        by = {r["exercise"]: f"{r['score']:g}" for r in res["exercises"]}
        wide.append([res["student"], *(by.get(ex, "") for ex in exercises), f"{res['total']:g}"])
    _write_rows(path.with_name("grades_wide.csv"), wide)


def _write_rows(path: Path, rows: list) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    os.replace(tmp, path)


def grade(lesson, submissions, out, *, jobs=1, db=None, progress=True, **kw) -> list:
    """Grade every submission of ``lesson`` (see the module docstring)."""
    return grade_many([lesson], submissions, out, jobs=jobs, db=db, progress=progress,
                      **kw)[lesson]


def grade_many(lessons, submissions, out, *, jobs=1, db=None, progress=True, force=False,
               cluster=None, **kw) -> dict:
    """Several lessons; with several each gets ``OUT/<lesson>/``, with one OUT is used as is.
    ``cluster``: a Dask scheduler address, scheduler file or ``local[:N]`` (cluster.py) grades
    there, one task per student and lesson, instead of ``jobs`` jails here.
    Raises ``jail.JailUnavailable`` when the sandbox cannot run (and no ``--unsandboxed``)."""
    from . import jail
    from .sandbox import jail_slots
    jail.require()
    jobs = max(1, int(jobs))
    jail_slots.set(jobs)  # N jails at once: students side by side, a notebook's pieces too
    threading.Thread(target=_preload_gradebook, daemon=True).start()
    outs = {lesson: Path(out) / lesson if len(lessons) > 1 else Path(out) for lesson in lessons}
    if cluster is not None:
        from . import cluster as dask_cluster
        plans = [_prepare(lesson, submissions, outs[lesson], db, force) for lesson in lessons]
        failed = dask_cluster.run(cluster, plans, kw, progress=progress)
        return {p.lesson: _finish(p, failed[p.lesson]) for p in plans}
    return {lesson: _grade_lesson(lesson, submissions, outs[lesson], jobs, db, progress,
                                  force, kw) for lesson in lessons}


class Plan:
    """One lesson of a `course grade` run, ready to grade: ``todo`` = ``[(student, notebook
    path or None, notebook digest)]``, ``results`` = those finished in an earlier run."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def _prepare(lesson, submissions, out, db, force) -> Plan:
    out = Path(out).resolve()
    submissions = Path(submissions).resolve()
    work = out / "work"
    out.mkdir(parents=True, exist_ok=True)
    course = make_template(lesson)
    db_url = gradebook_url(db) if db else f"sqlite:///{out / 'gradebook.db'}"
    if not db and not (out / "gradebook.db").exists():
        shutil.copyfile(course / "gradebook.db", out / "gradebook.db")
    elif db:
        _ensure_assignment(lesson, db_url, course)
    rejected = []
    students = collect(lesson, submissions, work, rejected)
    for name, why in rejected:
        print(f"✗ {name}: {why}（未评分 / not graded）", file=sys.stderr)
    grader = grader_digest(lesson, course)
    _secret(work)  # made once, before the grading threads sign with it
    todo, results = [], []
    for s, nb in students.items():
        digest = notebook_digest(nb)
        res = None if force else load_result(work, s)
        if res is not None and res.get("student") == s and res.get("lesson") == lesson \
                and res.get("notebook") == digest and res.get("grader") == grader:
            results.append(res)  # finished in an earlier run, same notebook (resume)
        else:
            todo.append((s, nb, digest))
    return Plan(lesson=lesson, out=out, submissions=submissions, course=course, db_url=db_url,
                grader=grader, todo=todo, results=results, students=len(students))


def _grade_lesson(lesson, submissions, out, jobs, db, progress, force, kw) -> list:
    plan = _prepare(lesson, submissions, out, db, force)
    from tqdm import tqdm
    bar = tqdm(total=plan.students, initial=len(plan.results), desc=f"grading {lesson}",
               disable=not progress, unit="student")
    rec = Recorder(lesson, plan.db_url)
    try:
        failed = _run_all(lesson, plan.todo, plan.course, plan.out, jobs,
                          dict(kw, grader=plan.grader, hide=(plan.submissions,)), plan.results,
                          bar, rec)
    finally:
        rec.close()
        bar.close()
    return _finish(plan, failed)


def _finish(plan: Plan, failed: list) -> list:
    """grades.csv of a lesson, and the students it could not grade said (and kept)."""
    lesson = plan.lesson
    write_csv(plan.out / "grades.csv", plan.results)
    if failed:
        print(f"✗ {lesson}: {len(failed)} 名学生因评分工具错误未评分，修复后再次运行同一命令 / "
              f"{len(failed)} student(s) not graded because of a grader error (above); fix it "
              f"and run the same command again: {', '.join(sorted(failed)[:10])}",
              file=sys.stderr)
    GRADER_ERRORS[lesson] = failed
    return plan.results


GRADER_ERRORS: dict = {}  # lesson → students the last run could not grade (grader errors)


def _run_all(lesson, todo, course, out, jobs, kw, results, bar, rec):
    """``jobs`` students at once; their pieces' jails share the ``jobs`` slots
    (``sandbox.jail_slots``, ≈ one core each); the main thread records every result as it
    arrives."""
    pool = cf.ThreadPoolExecutor(max_workers=jobs)
    failed = []
    try:
        futs = {pool.submit(grade_student, lesson, s, nb, course, out, nb_digest=d, **kw): s
                for s, nb, d in todo}
        rec.add(list(results))  # finished in an earlier run (resume), while these are graded
        for fut in cf.as_completed(futs):
            try:
                res = fut.result()
                results.append(res)
                rec.add([res])
            except Exception as e:  # noqa: BLE001  one failure never stops the others
                print(f"✗ {futs[fut]}: grader error {type(e).__name__}: {e}", file=sys.stderr)
                failed.append(futs[fut])
            bar.update(1)
    except BaseException:  # Ctrl-C: grade no one else; finished students are kept (resume)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return failed


def _ensure_assignment(lesson, db_url, course):
    """Create ``lesson`` in another gradebook (``--db``) unless it is there with the template's
    cells, from a throw-away copy of the template's source (the cached template itself is never
    regenerated). Under ``structure_lock``: graders starting at once create it once, and none
    regenerates it under another's feet."""
    template = f"sqlite:///file:{course / 'gradebook.db'}?mode=ro&uri=true"
    with structure_lock(db_url):
        if _cells_of(db_url, lesson) == _cells_of(template, lesson):
            return
        import_nbgrader(apps=True)
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        ensure_bin_on_path()
        tmp = Path(tempfile.mkdtemp(prefix="course-assignment-"))
        try:
            shutil.copytree(course / "source", tmp / "source")
            c = nbgrader_config(tmp, db_url, source="source", release="release")
            res = NbGraderAPI(CourseDirectory(config=c), config=c).generate_assignment(
                lesson, force=True, create=True)
            if not res.get("success"):
                raise RuntimeError(res.get("log", ""))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _cells_of(db_url, lesson):
    """The cells of ``lesson``'s notebook in a gradebook, what its grades hang on (None: not
    there)."""
    import_nbgrader()
    ensure_bin_on_path()
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url) as gb:
        try:
            nb = gb.find_notebook(lesson, lesson)
        except MissingEntry:
            return None
        cells = ({(c.name, c.max_score, c.cell_type) for c in nb.grade_cells},
                 {c.name for c in nb.solution_cells}, {c.name for c in nb.task_cells},
                 {(c.name, c.checksum) for c in nb.source_cells})
    gb.engine.dispose()
    return cells


def _nearest(word, options) -> str:
    import difflib
    near = difflib.get_close_matches(word, options, n=1, cutoff=0.3)
    return f"（你是不是指 / did you mean {near[0]}?）" if near else ""


def main(args) -> int:
    from . import jail
    from .release import lesson_ids
    known = lesson_ids()
    lessons = known if args.lesson == ["all"] else args.lesson
    for lesson in lessons:
        if lesson not in known:
            print(f"✗ 没有这一课 / unknown lesson: {lesson} {_nearest(lesson, known)}",
                  file=sys.stderr)
            return 2
    subs = Path(args.submissions)
    if not subs.is_dir():
        print(f"✗ 找不到提交文件夹 / submissions folder not found: {subs}", file=sys.stderr)
        return 2
    if not any((p.is_dir() or p.suffix == ".zip") and p.name not in _NOT_SUBMISSIONS
               for p in subs.iterdir()):
        print(f"✗ 提交文件夹是空的 / no submissions in {subs} (STUDENT/LESSON/*.ipynb or zips)",
              file=sys.stderr)
        return 1
    if getattr(args, "unsandboxed", False):
        jail.allow_unsandboxed()
        print("⚠ --unsandboxed：学生代码在没有操作系统隔离的情况下运行，可以读取答案、破坏成绩 / "
              "student code runs without OS isolation: it can read the answers and damage "
              "grades", file=sys.stderr)
    elif os.geteuid() != 0:
        print("⚠ 以普通用户评分：监狱用用户命名空间隔离，但无法限制一份提交的进程数（RLIMIT_NPROC 按真实用户计数）；"
              "完全隔离请以 root 运行（监狱会切换到专用的 uid）/ grading as an ordinary user: the jail "
              "isolates with a user namespace but cannot bound a submission's number of processes "
              "(RLIMIT_NPROC counts per real user); run as root for full isolation (the jail then "
              "drops to a uid of its own)", file=sys.stderr)
    why = args.db and gradebook_problem(gradebook_url(args.db))
    if why:
        print(f"✗ {why}", file=sys.stderr)
        return 2
    try:
        res = grade_many(lessons, subs, args.out, jobs=args.jobs, db=args.db,
                         force=getattr(args, "force", False),
                         cluster=getattr(args, "cluster", None))
    except jail.JailUnavailable as e:
        print(f"✗ {e}", file=sys.stderr)
        return 3
    except ImportError as e:
        if not getattr(args, "cluster", None) or e.name not in ("distributed", "dask"):
            raise
        print(f"✗ --cluster 需要 Dask distributed / needs Dask distributed: pip install "
              f"'distributed' ({e})", file=sys.stderr)
        return 2
    except RuntimeError as e:
        if type(e).__name__ != "ClusterUnavailable":
            raise
        print(f"✗ {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断：已完成的学生已保存，再次运行同一命令即可继续 / interrupted: finished "
              "students are saved; run the same command again to resume", file=sys.stderr)
        return 130
    from .summary import plot, summary
    for lesson, results in res.items():
        where = Path(args.out) / (lesson if len(lessons) > 1 else "")
        print(f"{lesson}: 已评分 {len(results)} 名学生 / graded {len(results)} students → "
              f"{where / 'grades.csv'}")
        print(summary(lesson, results))
        if len(results) > 1:  # a picture of the class (one student: the line above says it all)
            print(f"  分数分布 / score histogram → {plot(lesson, results, where / 'scores.png')}")
    return 1 if any(GRADER_ERRORS.get(lesson) for lesson in res) else 0
