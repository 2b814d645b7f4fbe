"""The feedback page of one submission: per exercise the score, every hidden case (title,
passed or not, and why, in terms of what the student's function returned) and the student's
answer cell. 反馈页面：每个练习的得分、每个隐藏用例（标题、是否通过、原因）以及学生的答案单元格。

Every student-controlled string (the answer code, exception type names of classes the student
defined, values the student's function returned that show in a reason) is truncated and
HTML-escaped; text of the hidden case files is redacted from the reasons only (never from the
student's code or the page's own text). Self-contained: no script, no CDN.
"""
from __future__ import annotations

import html

MAX_REASON = 300
MAX_CODE = 20_000

_STYLE = """body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:60em;margin:2em auto;
padding:0 1em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em;
text-align:left;vertical-align:top}.ok{color:#1a7f37}.bad{color:#b42318}pre{background:#f6f8fa;
padding:.6em;overflow:auto;white-space:pre-wrap}"""


def clip(text, limit: int) -> str:
    """At most ``limit`` characters of ``text`` (with a marker when cut), escaped for HTML."""
    s = str(text)
    if len(s) > limit:
        s = s[:limit] + f" … [截断 / truncated, {len(s) - limit} more characters]"
    return html.escape(s, quote=True)


def feedback_html(lesson, student, rows, answers, redact) -> str:
    """The page: ``rows`` {exercise: row of grade_student}, ``answers`` {exercise: source}."""
    e = html.escape
    total = round(sum(r["score"] for r in rows.values()), 2)
    mx = sum(r["max_score"] for r in rows.values())
    out = [f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
           f"<title>{e(lesson)} — {clip(student, 100)}</title><style>{_STYLE}</style></head><body>",
           f"<h1>{e(lesson)} · 反馈 Feedback — {clip(student, 100)}</h1>",
           f"<p>总分 total: <b>{total:g} / {mx:g}</b></p>",
           "<p>每个练习的得分 = 通过的隐藏用例数 / 用例总数 × 分值；这就是正式成绩。<br>"
           "Each exercise scores (hidden cases passed / cases) × its points; this is the "
           "official grade.</p>",
           "<section id='hidden-cases'><h2>隐藏用例 · Hidden cases</h2>"
           "<table><tr><th>练习 exercise</th><th>得分 score</th><th>说明 details</th></tr>"]
    for ex, r in rows.items():
        detail = clip(redact(r["reason"]), MAX_REASON) if r["reason"] else ""
        cases = r["cases"]
        if cases:
            passed = sum(c["passed"] for c in cases)
            detail += (f"<br>通过 {passed}/{len(cases)} 个隐藏用例 / passed {passed} of "
                       f"{len(cases)} hidden cases<ul>")
            for c in cases:
                mark = "<span class='ok'>✓</span>" if c["passed"] else "<span class='bad'>✗</span>"
                why = "" if c["passed"] or not c["reason"] else \
                    f": {clip(redact(c['reason']), MAX_REASON)}"
                detail += f"<li>{mark} {e(c['title'])}{why}</li>"
            detail += "</ul>"
        out.append(f"<tr><td>{e(ex)}</td><td>{r['score']:g} / {r['max_score']:g}</td>"
                   f"<td>{detail}</td></tr>")
    out.append("</table></section><section id='answers'><h2>你的答案 · Your answers</h2>")
    for ex in rows:
        src = answers.get(ex)
        body = f"<pre>{clip(src, MAX_CODE)}</pre>" if src is not None else \
            "<p>（没有可评分的答案单元格 / no gradable answer cell）</p>"
        out.append(f"<h3>{e(ex)}</h3>{body}")
    out.append("</section></body></html>")
    return "\n".join(out)
