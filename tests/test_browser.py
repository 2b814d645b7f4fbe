"""A real JupyterLab in headless Chromium: lesson 00 runs, its outputs show no error, nbgrader's
Validate button is there and passes. 真实的 JupyterLab + 无头 Chromium 端到端测试。

The server runs on 127.0.0.1 (free port, token) with the same config as `make lab`, on a copy of
lessons/00_setup whose answer cells hold the solutions' answers (a student who has finished), and
the student build of course_lib first on PYTHONPATH. Chromium is Debian's (`apt-get install
chromium`), driven by Playwright for Python through ``executable_path``; set COURSE_CHROMIUM to
use another binary. A screenshot is kept in test-artifacts/.
"""
import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
LESSON = "00_setup"
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def find_chromium():
    for candidate in (os.environ.get("COURSE_CHROMIUM"), "/usr/lib/chromium/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def finished_lesson(dest: Path) -> Path:
    """lessons/00_setup with each answer cell replaced by the solution's answer (markers removed)."""
    import nbformat
    solution = nbformat.read(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)
    filled = 0
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and gid in answers:
            cell.source = re.sub(r"\n?[ \t]*### (BEGIN|END) SOLUTION[^\n]*", "", answers[gid])
            filled += 1
    assert filled >= 3, "lesson 00 should have its three answer cells"
    (dest / LESSON).mkdir(parents=True)
    path = dest / LESSON / f"{LESSON}.ipynb"
    nbformat.write(nb, path)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(root: Path, tmp: Path, pythonpath: list[Path], ui_lang: str = "en"):
    """JupyterLab as `make lab` starts it, serving ``root`` on 127.0.0.1 (free port, token), kernels
    importing from ``pythonpath``; yields (base url, token). 按 `make lab` 的方式启动 JupyterLab。"""
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, COURSE_LESSONS_DIR=str(root), COURSE_UI_LANG=ui_lang,
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               JUPYTER_TOKEN=token, PYTHONPATH=os.pathsep.join(map(str, pythonpath)),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
           f"--config={ROOT / 'autograder' / 'jupyter' / 'jupyter_lab_config.py'}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (tmp / "server.log").read_text())
                time.sleep(0.3)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def chromium_page(viewport=(1400, 1000)):
    """A page of headless Chromium (skips the test when Chromium or playwright is missing)."""
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("未找到 Chromium / Chromium not found: `apt-get install -y chromium` "
                    "(or set COURSE_CHROMIUM=/path/to/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


@pytest.fixture
def lab_server(tmp_path, student_build):
    lessons = tmp_path / "lessons"
    finished_lesson(lessons)
    with jupyterlab(lessons, tmp_path, [student_build, ROOT]) as (base, token):
        yield base, token, lessons / LESSON / f"{LESSON}.ipynb"


def wait_for_saved_run(page, path, timeout):
    """Save with Ctrl+S until every code cell of the saved notebook has run (kernel idle)."""
    import nbformat
    deadline = time.monotonic() + timeout
    while True:
        page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        time.sleep(1.0)
        nb = nbformat.read(path, as_version=4)
        busy = page.locator(".jp-Notebook-ExecutionIndicator[data-status='busy']").count()
        if not busy and all(c.execution_count for c in nb.cells if c.cell_type == "code"):
            return nb
        assert time.monotonic() < deadline, "the notebook did not finish running"


def shown_outputs(page):
    """Every output the browser renders, scrolling through the notebook: JupyterLab renders only
    the cells near the viewport (windowing). 滚动整本 notebook，收集浏览器渲染出的全部输出。"""
    texts = list(page.locator(".jp-OutputArea-output").all_inner_texts())
    scroller = page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first
    if scroller.count():
        y, height = 0, scroller.evaluate("e => e.scrollHeight")
        while y <= height:
            scroller.evaluate("(e, y) => { e.scrollTop = y; }", y)
            page.wait_for_timeout(250)
            texts += page.locator(".jp-OutputArea-output").all_inner_texts()
            y, height = y + 500, scroller.evaluate("e => e.scrollHeight")
    return "\n".join(texts)


def test_lesson00_runs_in_chromium(lab_server):
    base, token, notebook_path = lab_server
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "browser_00_setup.png"
    with chromium_page() as page:
        try:
            page.goto(f"{base}/lab/tree/{LESSON}/{LESSON}.ipynb?token={token}")
            page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for()
            # the kernel is up (status bar "Python 3 (ipykernel) | Idle") 内核已就绪
            page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle")).first.wait_for(timeout=60_000)

            # Run ▸ Run All Cells, through the real menu. 通过菜单“运行全部单元格”。
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            first = page.locator(".jp-CodeCell .jp-InputPrompt").first
            page.wait_for_function("p => /\\[(\\*|\\d+)\\]/.test(p.textContent)", arg=first.element_handle())

            # Save (Ctrl+S) until the file on disk holds every cell's result: JupyterLab renders
            # only the cells in view, the saved notebook has them all. 保存后从磁盘检查全部输出。
            nb = wait_for_saved_run(page, notebook_path, timeout=120)
            code = [c for c in nb.cells if c.cell_type == "code"]
            assert len(code) >= 10
            outputs = [o for c in code for o in c.outputs]
            errors = [o for o in outputs if o.output_type == "error"]
            assert not errors, "\n".join(f"{e.ename}: {e.evalue}" for e in errors)
            stderr = "".join(o.text for o in outputs if o.get("name") == "stderr")
            assert "Traceback" not in stderr and "Error" not in stderr, stderr[-2000:]
            text = "".join(o.get("text", "") for o in outputs)
            assert text.count("✓") >= 31, text  # every visible check of the six exercises passed
            assert "CUDA 可用 / CUDA available:      False" in text  # no GPU here, no error
            assert any("image/png" in o.get("data", {}) for o in outputs)  # the stack picture
            shown = shown_outputs(page)
            assert "CUDA 可用 / CUDA available" in shown  # and the browser shows them
            assert page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']"
                                ).filter(has_text="Traceback").count() == 0

            # nbgrader's Validate button, then validate for real. nbgrader 的 Validate 按钮。
            validate = page.locator(".jp-NotebookPanel-toolbar .validate-button", has_text="Validate")
            validate.wait_for()
            page.locator(".jp-Notebook").first.scroll_into_view_if_needed()
            page.screenshot(path=str(shot))
            validate.click()
            dialog = page.locator(".jp-Dialog-content")
            dialog.wait_for(timeout=60_000)
            verdict = dialog.inner_text()
            page.screenshot(path=str(ARTIFACTS / "browser_00_setup_validate.png"))
            assert "passes" in verdict.lower() or "success" in verdict.lower(), verdict
            page.keyboard.press("Enter")  # close the dialog

            # The zh-CN language pack really renders: pick Chinese, reload, read the menu bar.
            # 选择中文界面并重新加载，菜单栏应显示中文。
            body = json.dumps({"raw": json.dumps({"locale": "zh_CN"})}).encode()
            req = urllib.request.Request(
                f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin?token={token}",
                data=body, method="PUT", headers={"Content-Type": "application/json"})
            urllib.request.urlopen(req, timeout=10)
            page.reload()
            page.locator(".lm-MenuBar-itemLabel", has_text="文件").wait_for(timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "browser_00_setup_zh.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "browser_00_setup_failure.png"))
            raise
    assert shot.stat().st_size > 10_000
