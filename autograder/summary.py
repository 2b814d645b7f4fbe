"""What `course grade` prints at the end, and ``OUT/scores.png``: how the class did.

评分结束后的班级概况：总分的平均数、中位数、满分与零分人数，每个练习的平均得分（最难的在前），
以及总分分布图 ``OUT/scores.png``。
"""
from __future__ import annotations

import statistics
from pathlib import Path


def summary(lesson: str, results: list) -> str:
    """A few bilingual lines: totals and the mean score of each exercise (hardest first)."""
    if not results:
        return f"{lesson}: 没有学生 / no students"
    mx = max(r["max_score"] for r in results)
    totals = [r["total"] for r in results]
    full = sum(1 for r in results if r["total"] >= r["max_score"])
    zero = sum(1 for t in totals if t == 0)
    lines = [f"  总分 total: 平均 mean {statistics.fmean(totals):.1f} / {mx:g} · 中位数 median "
             f"{statistics.median(totals):g} · 满分 full marks {full} · 零分 zero {zero} · "
             f"最低 min {min(totals):g} · 最高 max {max(totals):g}"]
    per = {}
    for r in results:
        for e in r["exercises"]:
            s = per.setdefault(e["exercise"], [0.0, 0.0, 0])
            s[0] += e["score"]
            s[1] = e["max_score"]
            s[2] += 1
    if per:
        rows = sorted(per.items(), key=lambda kv: kv[1][0] / kv[1][2] / (kv[1][1] or 1))
        lines.append("  每个练习的平均分（最难的在前）/ mean per exercise (hardest first): " + " · ".join(
            f"{ex} {s / n:.1f}/{m:g}" for ex, (s, m, n) in rows))
    return "\n".join(lines)


def figure(lesson: str, results: list):
    """The histogram of the totals: whole numbers of students on the y axis, the mean as a
    line named in the legend outside the axes (nothing covers the bars)."""
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    mx = max(r["max_score"] for r in results)
    totals = [r["total"] for r in results]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.hist(totals, bins=min(20, max(5, len(totals) // 3)), range=(0, mx or 1),
            color="#4c72b0", edgecolor="white")
    ax.axvline(statistics.fmean(totals), color="#c44e52", linestyle="--",
               label=f"mean {statistics.fmean(totals):.1f}")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"total / {mx:g}")
    ax.set_ylabel("students")
    ax.set_title(f"{lesson}: {len(totals)} students")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.tight_layout()
    return fig


def plot(lesson: str, results: list, path: Path) -> Path | None:
    """Histogram of the totals (PNG), or None when there is nothing to plot."""
    if not results:
        return None
    import matplotlib.pyplot as plt
    fig = figure(lesson, results)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=100)
    plt.close(fig)
    tmp.replace(path)
    return path
