"""The feedback page: nbgrader's feedback HTML plus our bilingual hidden-case section.

反馈页面：nbgrader 生成的反馈 HTML，加上中英双语的隐藏用例结果（只有标题与原因，从不显示用例代码；
隐藏用例源码中的文字一律被遮盖）。
"""
from __future__ import annotations

import html
import re


def feedback_html(lesson, student, rows, nb_feedback, redact) -> str:
    total = sum(r["score"] for r in rows.values())
    mx = sum(r["max_score"] for r in rows.values())
    e = html.escape
    parts = [f'<section id="hidden-cases" style="font-family:sans-serif;margin:1em;padding:1em;'
             f'border:2px solid #888"><h2>隐藏用例 · Hidden cases — {e(lesson)} — {e(student)}</h2>',
             f"<p>总分 total: <b>{total:g} / {mx:g}</b></p>",
             "<table border=1 cellpadding=4><tr><th>练习 exercise</th><th>得分 score</th>"
             "<th>说明 details</th></tr>"]
    for r in rows.values():
        detail = e(r["reason"]) if r["reason"] else ""
        failed = [c for c in r["cases"] if not c["passed"]]
        if r["cases"]:
            detail += (f"<br>通过 {len(r['cases']) - len(failed)}/{len(r['cases'])} 个隐藏用例 / "
                       f"passed {len(r['cases']) - len(failed)} of {len(r['cases'])} hidden cases")
        if failed and not r["reason"]:
            detail += "<ul>" + "".join(f"<li>✗ {e(c['title'])}: {e(c['reason'])}</li>"
                                       for c in failed) + "</ul>"
        parts.append(f"<tr><td>{e(r['exercise'])}</td><td>{r['score']:g} / {r['max_score']:g}"
                     f"</td><td>{detail}</td></tr>")
    parts.append("</table></section>")
    section = "\n".join(parts)
    if nb_feedback:
        page, n = re.subn(r"<body[^>]*>", lambda m: m.group(0) + "\n" + section, nb_feedback, 1)
        page = page if n else section + nb_feedback
    else:
        page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(lesson)} — "
                f"{e(student)}</title></head><body>{section}<p>notebook 未能自动运行，"
                f"上面是隐藏用例的结果 / the notebook could not be autograded; the hidden-case "
                f"results above are the grade.</p></body></html>")
    return redact(page)
