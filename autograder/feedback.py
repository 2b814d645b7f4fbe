"""The feedback page of one submission: per exercise the score, every hidden case (title,
passed or not, and why, in terms of what the student's function returned), the exercise as the
lesson states it and the student's answer cell.
反馈页面：每个练习的得分、每个隐藏用例（标题、是否通过、原因）、课程中的题目以及学生的答案单元格。

Every student-controlled string (the answer code, exception type names of classes the student
defined, values the student's function returned that show in a reason) is truncated and
HTML-escaped, never rendered (a ``$...$`` in the student's code stays code); text of the hidden
case files is redacted from the reasons only (never from the student's code or the lesson's text).
Maths in the lesson's text and in case titles (``$...$``, ``$$...$$``) becomes MathML on the
server with latex2mathml — MathML, not KaTeX or MathJax: browsers draw it with no script, no font
and no network, so it also shows in JupyterLab's HTML viewer, which runs no script of an untrusted
page; each formula is checked against a MathML allow-list (latex2mathml passes ``\\text{<b>}`` and
``\\href`` through as markup), else shown as escaped TeX. Self-contained: no script, no CDN.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

MAX_REASON = 300
MAX_CODE = 20_000

_STYLE = """body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:60em;margin:2em auto;
padding:0 1em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em;
text-align:left;vertical-align:top}.ok{color:#1a7f37}.bad{color:#b42318}pre{background:#f6f8fa;
padding:.6em;overflow:auto;white-space:pre-wrap}.task{border-left:3px solid #bbb;padding:0 1em;
margin:.5em 0}math[display=block]{margin:.6em 0}code.tex{color:#555}"""


def clip(text, limit: int) -> str:
    """At most ``limit`` characters of ``text`` (with a marker when cut), escaped for HTML."""
    s = str(text)
    if len(s) > limit:
        s = s[:limit] + f" … [截断 / truncated, {len(s) - limit} more characters]"
    return html.escape(s, quote=True)


# ------------------------------------------------------------------ maths → MathML

_MATHML = "http://www.w3.org/1998/Math/MathML"
_TAGS = frozenset("""math mrow mi mn mo ms mtext mspace mfrac msqrt mroot msub msup msubsup munder
    mover munderover mmultiscripts mprescripts none mtable mtr mtd mlabeledtr mstyle mpadded
    mphantom menclose merror semantics annotation""".split())
_ATTRS = frozenset("""display displaystyle scriptlevel mathvariant mathsize mathcolor
    mathbackground accent accentunder fence separator stretchy symmetric largeop movablelimits
    form lspace rspace minsize maxsize width height depth linethickness columnalign rowalign
    columnspacing rowspacing columnlines rowlines frame notation align dir""".split())


def _serialise(el) -> str:
    """An element of the allow-list, written back with every text and attribute escaped."""
    tag = el.tag.rpartition("}")[2]
    if tag not in _TAGS or set(el.attrib) - _ATTRS:
        raise ValueError(f"not allowed in a formula: <{tag} {' '.join(el.attrib)}>")
    attrs = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in el.attrib.items())
    if tag == "math":
        attrs = f' xmlns="{_MATHML}"' + attrs
    inner = html.escape(el.text or "", quote=False) + "".join(
        _serialise(c) + html.escape(c.tail or "", quote=False) for c in el)
    return f"<{tag}{attrs}>{inner}</{tag}>"


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """MathML for ``tex``, or the escaped TeX in ``<code>`` when it cannot be converted safely."""
    from latex2mathml.converter import convert
    try:
        return _serialise(ET.fromstring(convert(tex, display="block" if display else "inline")))
    except Exception:  # noqa: BLE001  (unsupported TeX, invalid or disallowed markup)
        shown = f"$${tex}$$" if display else f"${tex}$"
        return f"<code class='tex'>{html.escape(shown, quote=True)}</code>"


# One $...$ of prose: no space just inside the dollars, not followed by a digit ("5$ and 6$").
_INLINE = re.compile(r"\$(?!\s)((?:[^$\\\n]|\\.)+?)(?<!\s)\$(?!\d)")


def text_with_maths(text: str) -> str:
    """Plain text (a case title): escaped, its ``$...$`` as MathML."""
    out, end = [], 0
    for m in _INLINE.finditer(text):
        out += [html.escape(text[end:m.start()], quote=True), tex_to_mathml(m.group(1))]
        end = m.end()
    return "".join(out) + html.escape(text[end:], quote=True)


def _markdown():
    import mistune
    from mistune.plugins.math import math, math_in_list, math_in_quote
    md = mistune.create_markdown(escape=True, plugins=["table", "strikethrough", math,
                                                       math_in_list, math_in_quote])
    md.renderer.register("block_math", lambda r, text: tex_to_mathml(text, display=True) + "\n")
    md.renderer.register("inline_math", lambda r, text: tex_to_mathml(text))
    return md


def markdown_html(text: str) -> str:
    """Lesson markdown as HTML: raw HTML escaped, maths as MathML."""
    return _markdown()(text)


# ------------------------------------------------------------------ the exercises' text

def _meta(cell) -> dict:
    m = cell.get("metadata", {}).get("nbgrader")
    return m if isinstance(m, dict) else {}


def exercise_texts(release_nb: dict) -> dict:
    """``{exercise: markdown}``: the markdown cells above each answer cell (``ex_<exercise>``),
    back to the first that has a heading, skipping demo code cells, never past another graded
    cell. 每个答案单元格上方、直到最近标题为止的说明文字。"""
    cells, out = release_nb["cells"], {}
    for i, cell in enumerate(cells):
        gid = _meta(cell).get("grade_id", "")
        if not (_meta(cell).get("solution") and isinstance(gid, str) and gid.startswith("ex_")):
            continue
        parts = []
        for prev in reversed(cells[:i]):
            if _meta(prev):
                break
            if prev.get("cell_type") == "markdown":
                src = prev.get("source", "")
                src = "".join(src) if isinstance(src, list) else str(src)
                parts.insert(0, src)
                if re.search(r"^#{1,6} ", src, re.M):
                    break
        out[gid[len("ex_"):]] = "\n\n".join(parts)
    return out


# ------------------------------------------------------------------ the page

def feedback_html(lesson, student, rows, answers, redact, texts=None) -> str:
    """The page: ``rows`` {exercise: row of grade_student}, ``answers`` {exercise: source},
    ``texts`` {exercise: the lesson's markdown of the exercise} (see :func:`exercise_texts`)."""
    e = html.escape
    texts = texts or {}
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
                detail += f"<li>{mark} {text_with_maths(c['title'])}{why}</li>"
            detail += "</ul>"
        out.append(f"<tr><td>{e(ex)}</td><td>{r['score']:g} / {r['max_score']:g}</td>"
                   f"<td>{detail}</td></tr>")
    out.append("</table></section><section id='answers'><h2>题目与你的答案 · The exercises and "
               "your answers</h2>")
    for ex in rows:
        src = answers.get(ex)
        task = f"<div class='task'>{markdown_html(texts[ex])}</div>" if texts.get(ex) else ""
        body = f"<pre>{clip(src, MAX_CODE)}</pre>" if src is not None else \
            "<p>（没有可评分的答案单元格 / no gradable answer cell）</p>"
        out.append(f"<h3>{e(ex)}</h3>{task}{body}")
    out.append("</section></body></html>")
    return "\n".join(out)
