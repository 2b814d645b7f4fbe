"""The feedback page: student strings truncated and escaped, hidden-case text redacted from the
reasons only (never from the student's code), reasons about the value the student's function
computed. 反馈页面：转义、截断，只遮盖原因中的隐藏用例文本。"""
from autograder.feedback import MAX_CODE, feedback_html
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
