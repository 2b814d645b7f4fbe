"""JupyterHub for a class, end to end (issue 17, point 3): the shipped
deploy/jupyterhub/jupyterhub_config.py started for real on 127.0.0.1 with the npm proxy, two
students and an instructor, every step over HTTP.

The test overrides only what a test must: the authenticator (DummyAuthenticator, users log in
through the hub's login form), the spawner (SimpleLocalProcessSpawner: no system users; it runs
every server as the hub's user, root here, hence --allow-root), ports, and temporary folders. The
student environment, the exchange, the course id, the students' extensions and the UI language come
from the shipped configuration. The student environment is a separate venv where the student
course's wheel is pip-installed; its third-party packages (jupyterlab, nbgrader, ipykernel, ...) are
this environment's, linked by a .pth file (no network), while this repository is not importable.

Walk: the instructor runs ``course release --exchange`` in a kernel of their server; each student
fetches lesson 00 through the Assignments API, a student kernel shows it imports the student build
(no reference answer anywhere), s1 answers one exercise and s2 leaves it blank, both submit through
the API; the instructor runs ``nbgrader collect``, ``course grade`` (real jail) and
``course feedback`` in their kernel; each student fetches their feedback through the API and reads
their own score.

JupyterHub 端到端测试：真实启动 deploy/ 中的配置（npm 的代理），两名学生与一名教师，全部经 HTTP。
Without the proxy or the jail this test skips, saying why; on CI (CI=true) that is a failure.
"""
from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from pathlib import Path

import psutil
import pytest
import requests
import websocket  # websocket-client, a jupyter_server dependency

from test_student_course import _fill_answers

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
LESSON, EXERCISE, COURSE_ID = "00_setup", "parse_driver_version", "c101"
STUDENTS, INSTRUCTOR = ("s1", "s2"), "teacher"


def _unavailable(why: str):
    """Skip locally; on CI a hub test that cannot run is a failure (.ci/run installs the proxy)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"JupyterHub test cannot run on CI: {why}", pytrace=False)
    pytest.skip(why)


def _proxy() -> str | None:
    """configurable-http-proxy: .ci/run's npm install in build/node/, else on PATH."""
    local = ROOT / "build" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    return shutil.which("configurable-http-proxy")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def student_env(student_course, tmp_path_factory) -> Path:
    """A separate prefix with the student course's wheel pip-installed (no dependencies); this
    environment's third-party packages are linked after its own site-packages, Jupyter's data
    (JupyterLab's assets, kernel spec) and nbgrader's pip-installed config (formgrader on for
    everyone) linked as a pip install would have put them."""
    from autograder.release import build_packages
    tmp = tmp_path_factory.mktemp("student-env")
    wheel, _ = build_packages(student_course, tmp / "dist")
    prefix = tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(prefix)], check=True)
    py = prefix / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, env=dict(os.environ, PIP_CONSTRAINT=""))
    site = Path(subprocess.check_output(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    (site / "zz-third-party.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    for part in ("share/jupyter", "etc/jupyter"):
        (prefix / part).parent.mkdir(parents=True, exist_ok=True)
        (prefix / part).symlink_to(Path(sys.prefix) / part)
    return prefix


class Hub:
    """The hub started from the shipped config (plus the test's overrides) on free ports."""

    def __init__(self, tmp: Path, student_env: Path, proxy: str):
        self.tmp, self.port = tmp, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_hex(8)
        self.exchange = tmp / "exchange"
        self.exchange.mkdir()
        self.home = tmp / "home"
        root_args = ["--allow-root"] if os.geteuid() == 0 else []
        (tmp / "test_config.py").write_text(f"""
c = get_config()  # noqa: F821
load_subconfig({str(CONFIG)!r})  # noqa: F821  the shipped configuration, then the test's changes
c.JupyterHub.bind_url = {self.url!r}
c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{_free_port()}'
c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{_free_port()}'
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = 'sqlite:///{tmp / "jupyterhub.sqlite"}'
c.JupyterHub.cookie_secret_file = {str(tmp / "cookie_secret")!r}
c.JupyterHub.authenticator_class = 'dummy'
c.DummyAuthenticator.password = {self.password!r}
c.Authenticator.allowed_users = {set(STUDENTS) | {INSTRUCTOR}!r}
c.JupyterHub.spawner_class = 'simple'
c.SimpleLocalProcessSpawner.home_dir_template = {str(self.home / "{username}")!r}
c.Spawner.args = {root_args!r}
c.Spawner.start_timeout = 90
c.JupyterHub.tornado_settings = {{'slow_spawn_timeout': 0}}  # spawn the three at once
c.Spawner.http_timeout = 90
""")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("COURSE_", "PYTHONPATH", "JUPYTER", "JPY_"))}
        env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
                   COURSE_ID=COURSE_ID, COURSE_EXCHANGE=str(self.exchange),
                   COURSE_STUDENT_ENV=str(student_env), COURSE_INSTRUCTORS=INSTRUCTOR,
                   COURSE_UI_LANG="zh")
        self.log = tmp / "hub.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(tmp / "test_config.py")],
                cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.tokens: dict[str, str] = {}

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def wait_up(self, timeout: float = 60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            assert self.proc.poll() is None, f"the hub exited:\n{self.tail()}"
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the hub did not answer in {timeout} s:\n{self.tail()}")

    def login(self, name: str) -> str:
        """The hub's login form (with its XSRF cookie), then a token of the user's own."""
        s = requests.Session()
        s.get(f"{self.url}/hub/login", timeout=10).raise_for_status()
        xsrf = s.cookies.get("_xsrf")
        r = s.post(f"{self.url}/hub/login", timeout=30, allow_redirects=False,
                   data={"username": name, "password": self.password, "_xsrf": xsrf})
        assert r.status_code == 302, (r.status_code, r.text[:500])
        wrong = requests.post(f"{self.url}/hub/login", timeout=30, allow_redirects=False,
                              cookies={"_xsrf": xsrf},
                              data={"username": name, "password": "wrong", "_xsrf": xsrf})
        assert wrong.status_code != 302
        xsrf = [c.value for c in s.cookies if c.name == "_xsrf"][-1]  # renewed at login
        r = s.post(f"{self.url}/hub/api/users/{name}/tokens", timeout=10,
                   headers={"X-XSRFToken": xsrf}, json={"note": "test", "expires_in": 3600})
        assert r.status_code == 201, r.text
        self.tokens[name] = r.json()["token"]
        return self.tokens[name]

    def api(self, name: str, method: str, path: str, **kw):
        """A request as user ``name`` (their token) to the hub (/hub/...) or their server."""
        kw.setdefault("timeout", 120)
        return requests.request(method, f"{self.url}{path}",
                                headers={"Authorization": f"token {self.tokens[name]}"}, **kw)

    def spawn(self, names, timeout: float = 90):
        for name in names:
            r = self.api(name, "POST", f"/hub/api/users/{name}/server")
            assert r.status_code in (201, 202), r.text
        end, waiting = time.monotonic() + timeout, set(names)
        while waiting and time.monotonic() < end:
            for name in sorted(waiting):
                server = self.api(name, "GET", f"/hub/api/users/{name}").json()["servers"].get("")
                assert server, f"{name}'s server is gone:\n{self.tail()}"
                if server["ready"]:
                    waiting.discard(name)
            time.sleep(0.5)
        assert not waiting, f"servers not ready in {timeout} s: {waiting}\n{self.tail()}"

    def run(self, name: str, code: str, timeout: float = 180) -> str:
        """Run ``code`` in a new kernel of the user's server (REST + the kernel's websocket);
        returns its printed output, fails on an error."""
        r = self.api(name, "POST", f"/user/{name}/api/kernels", json={"name": "python3"})
        assert r.status_code == 201, r.text
        kid = r.json()["id"]
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/user/{name}/api/kernels/{kid}/channels",
            header=[f"Authorization: token {self.tokens[name]}"], timeout=timeout)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "username": name, "session": uuid.uuid4().hex,
                           "msg_type": "execute_request", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False}}))
            out, end = [], time.monotonic() + timeout
            while time.monotonic() < end:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    raise AssertionError(f"{name}'s kernel: {msg['content']['ename']}: "
                                         f"{msg['content']['evalue']}\n{''.join(out)}")
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    return "".join(out)
            raise AssertionError(f"{name}'s kernel did not finish in {timeout} s")
        finally:
            ws.close()
            self.api(name, "DELETE", f"/user/{name}/api/kernels/{kid}")

    def assignments(self, name: str, action: str | None = None) -> list:
        """nbgrader's Assignments API of the user's server (list, or fetch/submit/fetch_feedback
        then list), as the JupyterLab Assignments tab calls it."""
        if action is None:
            r = self.api(name, "GET", f"/user/{name}/assignments",
                         params={"course_id": COURSE_ID})
        else:
            r = self.api(name, "POST", f"/user/{name}/assignments/{action}",
                         data={"course_id": COURSE_ID, "assignment_id": LESSON})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body.get("success") and isinstance(body.get("value"), list), body
        return body["value"]

    def stop(self):
        """Stop the hub (it stops the servers and the proxy), then kill every process group it
        started that is still there."""
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            children = []
        groups = {self.proc.pid}
        for p in children:
            try:
                groups.add(os.getpgid(p.pid))
            except OSError:
                pass
        groups.discard(os.getpgrp())  # never pytest's own
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                pass
        for group in groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.proc.wait(10)


def _answer(hub: Hub, name: str, tmp: Path) -> None:
    """The student answers EXERCISE in the fetched notebook and saves it (contents API)."""
    path = f"/user/{name}/api/contents/{LESSON}/{LESSON}.ipynb"
    model = hub.api(name, "GET", path).json()
    local = tmp / f"{name}.ipynb"
    local.write_text(json.dumps(model["content"]))
    assert _fill_answers(local, LESSON, only={f"ex_{EXERCISE}"}) == 1
    r = hub.api(name, "PUT", path, json={"type": "notebook", "format": "json",
                                         "content": json.loads(local.read_text())})
    assert r.status_code == 200, r.text


STUDENT_KERNEL_CHECK = """
import importlib.util, json, os, sys
import course_lib
from course_lib import _build, exercises as ex
ex._import_all()
answered = []
for key in ex.registry:
    try:
        ex.lookup(key)
        answered.append(key)
    except ex.ExerciseNotDone:
        pass
print(json.dumps({"file": course_lib.__file__, "python": sys.executable,
                  "student_build": _build.STUDENT_BUILD, "exercises": len(ex.registry),
                  "answered": answered,
                  "source_on_path": [p for p in sys.path for d in ("autograder", "solutions")
                                     if os.path.isdir(os.path.join(p or ".", d))],
                  "instructor_code": [m for m in ("autograder", "solutions")
                                      if importlib.util.find_spec(m) is not None]}))
"""


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_class_of_three_on_jupyterhub(student_env, tmp_path):
    from autograder import jail
    proxy = _proxy()
    if proxy is None:
        _unavailable("configurable-http-proxy not found (npm install --prefix build/node "
                     "configurable-http-proxy@5, as .ci/run does)")
    if jail.probe() is not None:
        _unavailable(f"no grading jail: {jail.probe()}")
    hub = Hub(tmp_path, student_env, proxy)
    try:
        hub.wait_up()
        for name in (INSTRUCTOR, *STUDENTS):
            hub.login(name)
        hub.spawn((INSTRUCTOR, *STUDENTS))
        home = {name: hub.home / name for name in (INSTRUCTOR, *STUDENTS)}

        # the students' servers: the student extensions only, the Chinese UI by default
        for name in STUDENTS:
            assert hub.api(name, "GET", f"/user/{name}/formgrader").status_code == 404
            lab = hub.api(name, "GET", f"/user/{name}/lab").text
            page = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', lab,
                                        re.S).group(1))
            assert {"@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader"} \
                <= set(page["disabledExtensions"])
            languages = hub.api(name, "GET", f"/user/{name}/lab/api/translations").json()["data"]
            assert "zh_CN" in languages
            setting = hub.api(name, "GET", f"/user/{name}/lab/api/settings/"
                                           "@jupyterlab/translation-extension:plugin").json()
            assert setting["schema"]["properties"]["locale"]["default"] == "zh_CN"
        assert hub.api(INSTRUCTOR, "GET", f"/user/{INSTRUCTOR}/formgrader").status_code != 404

        # the instructor releases the course into the exchange from a kernel of their server
        out = hub.run(INSTRUCTOR, "import subprocess\n"
                      "r = subprocess.run(['course', 'release', '--exchange', '--no-lessons', "
                      "'--out', 'student-course'], capture_output=True, text=True)\n"
                      "print(r.returncode, r.stdout[-3000:], r.stderr[-3000:])")
        assert out.startswith("0 "), out
        assert (hub.exchange / COURSE_ID / "outbound" / LESSON / f"{LESSON}.ipynb").is_file()

        for name in STUDENTS:
            listed = {a["assignment_id"]: a["status"] for a in hub.assignments(name)}
            assert listed.get(LESSON) == "released", listed
            fetched = {a["assignment_id"]: a["status"] for a in hub.assignments(name, "fetch")}
            assert fetched[LESSON] == "fetched"
            assert (home[name] / LESSON / f"{LESSON}.ipynb").is_file()

        # a student kernel runs the student environment: the student build, no answer
        seen = json.loads(hub.run("s1", STUDENT_KERNEL_CHECK).strip().splitlines()[-1])
        assert Path(seen["python"]).parent == student_env / "bin"
        assert Path(seen["file"]).is_relative_to(student_env), seen["file"]
        assert seen["student_build"] is True and seen["exercises"] > 10
        assert seen["answered"] == [] and seen["instructor_code"] == []
        assert seen["source_on_path"] == [], seen["source_on_path"]

        # s1 answers the exercise, s2 leaves it blank; both submit through the API
        _answer(hub, "s1", tmp_path)
        for name in STUDENTS:
            listed = hub.assignments(name, "submit")
            statuses = sorted(a["status"] for a in listed if a["assignment_id"] == LESSON)
            assert statuses == ["fetched", "submitted"], listed

        # the instructor collects, grades (the jail) and releases the feedback from a kernel
        out = hub.run(INSTRUCTOR, f"""
import subprocess
for cmd in (['nbgrader', 'collect', '{LESSON}'],
            ['course', 'grade', '{LESSON}', '--submissions', 'submitted', '--out', 'grading'],
            ['course', 'feedback', '{LESSON}', '--submissions', 'submitted', '--out', 'grading']):
    r = subprocess.run(cmd, capture_output=True, text=True)
    print(cmd[1], r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    if r.returncode:
        break
""")
        assert re.findall(r"^(\w+) (\d+) ", out, re.M) == [("collect", "0"), ("grade", "0"),
                                                         ("feedback", "0")], out
        rows = list(csv.DictReader((home[INSTRUCTOR] / "grading" / "grades.csv").open()))
        score = {(r["student"], r["exercise"]): (float(r["score"]), float(r["max_score"]))
                 for r in rows}
        assert score[("s1", EXERCISE)][0] == score[("s1", EXERCISE)][1] > 0, score
        assert score[("s2", EXERCISE)][0] == 0 and score[("s2", "total")][0] == 0, score
        assert score[("s1", "total")][0] == score[("s1", EXERCISE)][0]

        # each student fetches their own feedback through the API and reads their score
        for name, other in (STUDENTS, STUDENTS[::-1]):
            hub.assignments(name, "fetch_feedback")
            pages = list((home[name] / LESSON / "feedback").glob(f"*/{LESSON}.html"))
            assert len(pages) == 1, pages
            rel = pages[0].relative_to(home[name]).as_posix()
            html = hub.api(name, "GET", f"/user/{name}/api/contents/{rel}",
                           params={"type": "file", "format": "text"}).json()["content"]
            total, full = score[(name, "total")]
            assert f"— {name}</h1>" in html and f"<b>{total:g} / {full:g}</b>" in html
            assert f"— {other}</h1>" not in html
    finally:
        hub.stop()
