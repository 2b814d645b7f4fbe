"""`course grade LESSON --submissions DIR --out DIR [--jobs N] [--db URL]`.

批量评分：每个学生在自己的进程与临时课程目录中评分（隐藏用例在沙箱中运行，nbgrader autograde
在带内存上限与审计钩子的内核中运行）；--jobs N 为同时工作的评分任务数（隐藏用例与 notebook
各算一个任务，约各占一个核）；中断后可继续（已完成的学生不会重评）；只有主进程写成绩库。

OUT/grades.csv: student, lesson, exercise, score, max_score (+ a ``total`` row per student);
OUT/feedback/<student>/<lesson>.html: nbgrader feedback + the hidden-case section (bilingual);
OUT/work/results/<student>.json: per-student results, written atomically (resume marker).
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from .config import ROOT, ensure_bin_on_path, nbgrader_config
from .fastimport import install as _fast_imports
from .feedback import feedback_html as _feedback_html
from .hidden_grade import grade_exercises, redactor
from .cases import case_files
from . import submission as subm
from . import worker

ZIP_MAX = 300 * 2**20
_fast_imports()  # before anything imports nbformat (see fastimport.py)


# ------------------------------------------------------------------ collecting submissions

def collect(lesson: str, submissions: Path, work: Path) -> dict:
    """``{student: notebook path or None}`` from ``STUDENT/LESSON/*.ipynb`` or zip files."""
    found = {}
    for entry in sorted(Path(submissions).iterdir()):
        if entry.is_dir():
            nbs = sorted((entry / lesson).glob("*.ipynb")) if (entry / lesson).is_dir() else []
            pref = [p for p in nbs if p.stem == lesson]
            found[entry.name] = (pref or nbs or [None])[0]
        elif entry.suffix == ".zip":
            student = _zip_student(entry.stem, lesson)
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
    if not (cache / "ready").exists():
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
    if course is None:
        return cache
    if not (course / "ready").exists():
        if course.exists():
            shutil.rmtree(course)
        shutil.copytree(cache, course)
    return course


# ------------------------------------------------------------------ one student

def grade_student(lesson: str, student: str, nb_path, course: Path, out: Path, *,
                  cell_timeout=60, nb_timeout=300, mem_mb=2048, blocked=(), case_timeout=10.0,
                  piece_timeout=60.0, slots=None) -> dict:
    """Grade one student; write OUT/work/results/<student>.json atomically and the feedback.

    Two tasks: the hidden cases (a sandbox) and the notebook (nbgrader autograde + feedback in
    a worker). Each holds one of ``slots`` (a semaphore: ``--jobs`` processes at work at once)
    while it runs; the notebook asks for its slot only once the hidden cases hold theirs, so a
    notebook waiting for its hidden-case scores can never keep them from running.
    """
    slots = slots or contextlib.nullcontext()  # no limit (a direct call)
    release_nb = json.loads((course / "release" / lesson / f"{lesson}.ipynb").read_text())
    source_nb = json.loads((course / "source" / lesson / f"{lesson}.ipynb").read_text())
    points = subm.exercises_of(release_nb)
    hidden = case_files(lesson)
    redact = redactor([p.read_text(encoding="utf-8") for p in hidden.values()])
    t0 = time.monotonic()
    rows, nb = {}, None
    try:
        if nb_path is None:
            raise subm.BadNotebook("no notebook submitted / 没有提交 notebook")
        nb = subm.load(nb_path)
        cells = subm.inspect(nb, release_nb)
    except subm.BadNotebook as e:
        cells = {ex: ("bad", str(e)) for ex in points}
    scratch = out / "work" / "scratch" / student
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    prelude = subm.setup_source(source_nb)
    scores_file = scratch / "scores.json"
    ag, box, hidden_has_slot = None, {}, threading.Event()
    if nb is not None:  # the notebook runs in a kernel while the hidden cases run here
        wait = nb_timeout + piece_timeout * max(1, len(points)) + 60

        def notebook():
            hidden_has_slot.wait()
            with slots:
                box["html"] = worker.autograde(lesson, student, nb, course, scratch,
                                               scores_file, cell_timeout, nb_timeout, wait,
                                               mem_mb, blocked)
        ag = threading.Thread(target=notebook, daemon=True)
        ag.start()
    try:
        todo = {}
        for ex, pts in points.items():
            state, value = cells[ex]
            if state == "bad" or ex not in hidden:
                reason = value if state == "bad" else "grader has no hidden cases / 缺少隐藏用例"
                rows[ex] = {"exercise": ex, "score": 0.0, "max_score": pts, "reason": reason,
                            "cases": []}
            else:
                todo[ex] = value
        got = {}
        if todo:
            with slots:
                hidden_has_slot.set()
                got = grade_exercises(lesson, todo, case_files=hidden, prelude=prelude,
                                      scratch=scratch, blocked=blocked,
                                      case_timeout=case_timeout, timeout=piece_timeout)
        for ex, pts in points.items():
            if ex in got:
                r = got[ex]
                rows[ex] = {"exercise": ex, "score": round(r.fraction * pts, 4),
                            "max_score": pts, "reason": r.fatal or "",
                            "cases": [{"title": o.title, "passed": o.passed, "reason": o.reason}
                                      for o in r.outcomes]}
        rows = {ex: rows[ex] for ex in points}
    finally:  # the autograde worker waits for this file (even after a grader error)
        hidden_has_slot.set()
        _atomic_write(scores_file,
                      json.dumps({f"test_{ex}": r["score"] for ex, r in rows.items()}))
        if ag is not None:
            ag.join()
    feedback = box.get("html")
    page = _feedback_html(lesson, student, rows, feedback, redact)
    fdir = out / "feedback" / student
    fdir.mkdir(parents=True, exist_ok=True)
    _atomic_write(fdir / f"{lesson}.html", page)
    result = {"student": student, "lesson": lesson, "exercises": list(rows.values()),
              "total": round(sum(r["score"] for r in rows.values()), 4),
              "max_score": sum(points.values()), "autograded": feedback is not None,
              "seconds": round(time.monotonic() - t0, 2)}
    _atomic_write(out / "work" / "results" / f"{student}.json", json.dumps(result, indent=1))
    if not os.environ.get("COURSE_KEEP_SCRATCH"):
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# ------------------------------------------------------------------ the single writer

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


class Recorder:
    """The single gradebook writer (the main thread): each result as it arrives, so the
    writes overlap the grading of the others. 唯一写成绩库的对象（主线程）。"""

    def __init__(self, lesson: str, db_url: str):
        self.lesson, self.db_url, self.gb = lesson, db_url, None

    def add(self, results: list) -> None:
        import warnings

        import_nbgrader()
        from nbgrader.api import Gradebook, MissingEntry
        if self.gb is None:
            self.gb = Gradebook(self.db_url)
        gb, lesson = self.gb, self.lesson
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbgrader's own SAWarnings in add_submission
            for res in results:
                gb.update_or_create_student(res["student"])
                try:
                    gb.find_submission(lesson, res["student"])
                except MissingEntry:
                    gb.add_submission(lesson, res["student"])
                for r in res["exercises"]:
                    g = gb.find_grade(f"test_{r['exercise']}", lesson, lesson, res["student"])
                    g.auto_score = float(r["score"])
            gb.db.commit()

    def close(self) -> None:
        if self.gb is not None:
            self.gb.close()
            self.gb = None


def record(results: list, lesson: str, db_url: str, course: Path | None = None) -> None:
    """Write the scores into the gradebook (one writer, idempotent)."""
    rec = Recorder(lesson, db_url)
    try:
        rec.add(results)
    finally:
        rec.close()


def write_csv(path: Path, results: list) -> None:
    rows = []
    for res in sorted(results, key=lambda r: r["student"]):
        for r in res["exercises"]:
            rows.append([res["student"], res["lesson"], r["exercise"], f"{r['score']:g}",
                         f"{r['max_score']:g}"])
        rows.append([res["student"], res["lesson"], "total", f"{res['total']:g}",
                     f"{res['max_score']:g}"])
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", "lesson", "exercise", "score", "max_score"])
        w.writerows(rows)
    os.replace(tmp, path)


def grade(lesson, submissions, out, *, jobs=1, db=None, progress=True, **kw) -> list:
    """Grade every submission of ``lesson`` (see the module docstring)."""
    return grade_many([lesson], submissions, out, jobs=jobs, db=db, progress=progress,
                      **kw)[lesson]


def grade_many(lessons, submissions, out, *, jobs=1, db=None, progress=True, **kw) -> dict:
    """Several lessons with one pool of autograde workers (nbgrader is imported once).
    With several lessons each gets ``OUT/<lesson>/``; with one, OUT is used as is."""
    jobs = max(1, int(jobs))
    pool = worker.start_pool(jobs, Path(out).resolve())
    threading.Thread(target=_preload_gradebook, daemon=True).start()
    try:
        return {lesson: _grade_lesson(lesson, submissions,
                                      Path(out) / lesson if len(lessons) > 1 else Path(out),
                                      jobs, db, progress, kw) for lesson in lessons}
    finally:
        pool.close()


def _grade_lesson(lesson, submissions, out, jobs, db, progress, kw) -> list:
    out = Path(out).resolve()
    submissions = Path(submissions).resolve()
    work = out / "work"
    out.mkdir(parents=True, exist_ok=True)
    course = make_template(lesson)
    db_url = db or f"sqlite:///{out / 'gradebook.db'}"
    if not db and not (out / "gradebook.db").exists():
        shutil.copyfile(course / "gradebook.db", out / "gradebook.db")
    elif db:
        _ensure_assignment(lesson, db_url, course)
    students = collect(lesson, submissions, work)
    results_dir = work / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    done, todo, results = [], [], []
    for s, nb in students.items():
        try:  # a finished student (resume); anything unreadable is graded again
            res = json.loads((results_dir / f"{s}.json").read_text())
            if res.get("student") != s or res.get("lesson") != lesson:
                raise ValueError
            results.append(res)
            done.append(s)
        except (OSError, ValueError, AttributeError):
            todo.append((s, nb))
    kw = dict(kw)
    kw.setdefault("blocked", [submissions, out])
    from tqdm import tqdm
    bar = tqdm(total=len(students), initial=len(done), desc=f"grading {lesson}",
               disable=not progress, unit="student")
    rec = Recorder(lesson, db_url)
    try:
        rec.add(results)  # finished in an earlier run (resume)
        failed = _run_all(lesson, todo, course, out, jobs, dict(kw), results, bar, rec)
    finally:
        rec.close()
        bar.close()
    write_csv(out / "grades.csv", results)
    if failed:
        print(f"✗ {lesson}: {len(failed)} 名学生因评分工具错误未评分，修复后再次运行同一命令 / "
              f"{len(failed)} student(s) not graded because of a grader error (above); fix it "
              f"and run the same command again: {', '.join(sorted(failed)[:10])}",
              file=sys.stderr)
    GRADER_ERRORS[lesson] = failed
    return results


GRADER_ERRORS: dict = {}  # lesson → students the last run could not grade (grader errors)


def _run_all(lesson, todo, course, out, jobs, kw, results, bar, rec):
    """``jobs`` slots, one per task at work (hidden cases or notebook); one student more than
    slots in flight, so a task is always ready when a slot frees up (the cores stay busy)."""
    pool = cf.ThreadPoolExecutor(max_workers=jobs + 1)
    kw["slots"] = threading.BoundedSemaphore(jobs)
    failed = []
    try:
        futs = {pool.submit(grade_student, lesson, s, nb, course, out, **kw): s for s, nb in todo}
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
    import_nbgrader(apps=True)
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    c = nbgrader_config(course, db_url, source="source", release="release")
    res = NbGraderAPI(CourseDirectory(config=c), config=c).generate_assignment(lesson, force=True)
    if not res.get("success"):
        raise RuntimeError(res.get("log", ""))


def main(args) -> int:
    lessons = args.lesson
    if lessons == ["all"]:
        from .release import lesson_ids
        lessons = lesson_ids()
    try:
        res = grade_many(lessons, args.submissions, args.out, jobs=args.jobs, db=args.db,
                         cell_timeout=args.cell_timeout, nb_timeout=args.timeout)
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
