"""The feedback page: student strings truncated and escaped, hidden-case text redacted from the
reasons only (never from the student's code), reasons about the value the student's function
computed; maths of the lesson's text and of case titles as MathML that renders offline, the
student's code and values never rendered. 反馈页面：转义、截断，只遮盖原因中的隐藏用例文本；
课程文字中的公式离线显示。"""
import re

import pytest

from autograder.feedback import (MAX_CODE, exercise_texts, feedback_html, markdown_html,
                                 tex_to_mathml, text_with_maths)
from autograder.hidden_grade import redactor
from autograder.results import compare, encode

HIDDEN = '@case("标题 / title")\ndef c(piece, torch, np):\n    return piece("SECRET-INPUT-1234567")\n'


def _rows(reason):
    return {"ex": {"exercise": "ex", "score": 0.0, "max_score": 10.0, "reason": "",
                   "cases": [{"title": "标题 / title", "passed": False, "reason": reason},
                             {"title": "<b>t2</b>", "passed": True, "reason": ""}]}}


def test_reasons_redacted_code_kept_everything_escaped():
    reason = compare(encode("a"), encode("SECRET-INPUT-1234567<script>"))
    assert reason.startswith("用你的函数算出的值 / the value computed with your function")
    code = "x = 'SECRET-INPUT-1234567'  # <script>alert(1)</script>\n" + "y" * (MAX_CODE + 50)
    page = feedback_html("00_setup", "s<1>", _rows(reason), {"ex": code}, redactor([HIDDEN]))
    reasons = page[page.index("hidden-cases"):page.index("id='answers'")]
    assert "SECRET-INPUT-1234567" not in reasons and "«…»" in reasons
    answers = page[page.index("id='answers'"):]
    assert "SECRET-INPUT-1234567" in answers  # the student's own code is never redacted
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "s&lt;1&gt;" in page and "&lt;b&gt;t2&lt;/b&gt;" in page
    assert f"truncated, {len(code) - MAX_CODE} more characters" in answers
    assert "0 / 10" in page and "passed 1 of 2" in page


# ------------------------------------------------------------------ maths, offline

LESSON_TEXT = r"""### 练习 1 · 反向 · Exercise 1 · Backward (15 分 · points)

sigmoid 的导数 $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$；链式法则：

$$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\,\frac{\partial y}{\partial x}$$

The code `y = "$a$"` and the sign 5$ stay as they are. <img src=x onerror=alert(1)>
"""
STUDENT_CODE = 'label = "$\\sigma(x)$"  # </pre><script>alert(2)</script>\n'


def _maths_page(lesson_04=False):
    """The page of one exercise with the maths above; with ``lesson_04`` also every exercise of
    lesson 04 with its real text."""
    rows = {"ex": {"exercise": "ex", "score": 7.5, "max_score": 15.0, "reason": "",
                   "cases": [{"title": r"对 $x \in \mathbb{R}^{2\times 3}$ / for $x$ of shape (2, 3)",
                              "passed": False,
                              "reason": 'your function returned "$\\frac{1}{0}$"'},
                             {"title": "标量 / scalar", "passed": True, "reason": ""}]}}
    texts = {"ex": LESSON_TEXT}
    if lesson_04:
        import json
        from pathlib import Path
        nb = Path(__file__).resolve().parents[1] / "lessons" / "04_autograd" / "04_autograd.ipynb"
        real = exercise_texts(json.loads(nb.read_text(encoding="utf-8")))
        texts.update(real)
        rows.update({ex: {"exercise": ex, "score": 0.0, "max_score": 10.0, "reason": "",
                          "cases": []} for ex in real})
    return feedback_html("04_autograd", "s1", rows, {"ex": STUDENT_CODE}, lambda s: s, texts)


def test_lesson_maths_and_case_titles_are_mathml_student_text_never():
    page = _maths_page()
    task = page[page.index("class='task'"):page.index("<pre>")]
    assert task.count("<math") == 2 and 'display="block"' in task and "<mfrac>" in task
    assert "$" not in re.sub(r"<code>.*?</code>", "", task).replace("5$", "")  # no raw TeX
    assert "<code>y = &quot;$a$&quot;</code>" in task  # a `$` in inline code stays code
    assert "<img" not in page and "&lt;img src=x" in page  # lesson HTML is escaped too
    answers = page[page.index("<pre>"):]
    assert "<math" not in answers and "$\\sigma(x)$" in answers  # the student's code is code
    assert "<script>" not in page and "&lt;/pre&gt;&lt;script&gt;" in answers
    cases = page[page.index("id='hidden-cases'"):page.index("id='answers'")]
    assert cases.count("<math") == 2 and "&#x0211D;" not in cases and "ℝ" in cases
    assert "returned &quot;$\\frac{1}{0}$&quot;" in cases  # a reason is the student's value


def test_formulas_outside_the_mathml_allow_list_show_as_escaped_tex():
    for tex in (r"\text{<script>alert(1)</script>}", r"\href{javascript:alert(1)}{x}",
                r"\text{a & b}", "\\frac{"):
        out = tex_to_mathml(tex)
        assert out.startswith("<code class='tex'>") and "<script" not in out and "href=" not in out
    assert text_with_maths("<b>$a<b$</b>") == (
        '&lt;b&gt;<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow>'
        "<mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow></math>&lt;/b&gt;")


def test_every_exercise_has_its_lesson_text():
    import json
    from pathlib import Path

    from autograder.submission import exercises_of
    root = Path(__file__).resolve().parents[1]
    for nb_path in sorted((root / "lessons").glob("*/*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        texts = exercise_texts(nb)
        assert set(texts) == set(exercises_of(nb)), nb_path.name
        for ex, text in texts.items():
            assert text.lstrip().startswith("#"), (nb_path.name, ex)  # back to its heading
            html_ = markdown_html(text)
            assert "class='tex'" not in html_, (nb_path.name, ex)  # every formula converts


@pytest.mark.browser
def test_feedback_maths_renders_offline_in_chromium(tmp_path):
    """Headless Chromium with every request but the page itself refused: the formulas are laid
    out as maths (a fraction is taller than a line); a screenshot is kept in test-artifacts/."""
    from test_browser import ARTIFACTS, find_chromium
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("未找到 Chromium / Chromium not found: `apt-get install -y chromium`")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    page_file = tmp_path / "04_autograd.html"
    html_ = _maths_page(lesson_04=True)
    page_file.write_text(html_, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "feedback_page_maths.png"
    refused = []

    def offline(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.route("**/*", offline)
            page.goto(page_file.as_uri())
            sizes = page.evaluate("""() => {
                const h = s => document.querySelector(s).getBoundingClientRect().height;
                const maths = [...document.querySelectorAll('math')];
                return {frac: h('.task mfrac'), mi: h('.task mi'), maths: maths.length,
                        mathml: maths.every(m => m instanceof MathMLElement),
                        tex: document.querySelectorAll('code.tex').length,
                        text: document.querySelector('#answers').innerText};
            }""")
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert refused == []  # nothing to fetch: no CDN, no script, no font
    assert sizes["maths"] == html_.count("<math") > 20 and sizes["mathml"] and sizes["tex"] == 0
    assert sizes["frac"] > 1.6 * sizes["mi"], sizes  # numerator over denominator: drawn as maths
    shown = sizes["text"].replace(STUDENT_CODE.strip(), "")  # everything but the student's code
    assert "\\frac" not in shown and "\\sigma" not in shown and "$$" not in shown
    assert shot.stat().st_size > 10_000


def test_nbgrader_lab_strings_cannot_be_translated_and_readme_says_so():
    """nbgrader's Validate dialog and Assignments tab: its lab extension writes its strings in
    code without JupyterLab's translator, and the zh-CN language pack has no catalogue for it —
    README says so (when either changes, this test says README is out of date)."""
    import sys
    from pathlib import Path

    import jupyterlab_language_pack_zh_CN as zh
    static = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader"
    chunks = [p.read_text(encoding="utf-8", errors="replace") for p in static.glob("static/*.js")]
    own = [c for c in chunks if "Validation Results" in c]
    assert own, f"nbgrader's lab extension not found under {static}"
    assert not any("translator" in c or ".__(" in c for c in own)  # no trans.__("…")
    catalogues = {p.stem for p in Path(zh.__file__).parent.rglob("*.mo")}
    assert "jupyterlab" in catalogues and not {c for c in catalogues if "nbgrader" in c}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "nbgrader's buttons and dialogs stay English" in readme
    assert "cannot be translated" in readme
