"""The class summary `course grade` prints, and the score histogram. 班级概况与分数分布图。"""
from autograder.summary import plot, summary


def _res(student, scores, maxes=(10, 20)):
    ex = [{"exercise": f"e{i}", "score": s, "max_score": m}
          for i, (s, m) in enumerate(zip(scores, maxes))]
    return {"student": student, "exercises": ex, "total": sum(scores), "max_score": sum(maxes)}


def test_summary_numbers_and_hardest_exercise_first():
    results = [_res("a", (10, 20)), _res("b", (5, 0)), _res("c", (0, 0)), _res("d", (10, 10))]
    text = summary("00_setup", results)
    assert "平均 mean 13.8 / 30" in text  # (30 + 5 + 0 + 20) / 4
    assert "中位数 median 12.5" in text and "满分 full marks 1" in text and "零分 zero 1" in text
    assert "最低 min 0" in text and "最高 max 30" in text
    per = text.splitlines()[1]
    assert per.index("e1 7.5/20") < per.index("e0 6.2/10")  # 37.5 % before 62.5 %
    assert summary("00_setup", []) == "00_setup: 没有学生 / no students"


def test_histogram_is_a_png(tmp_path):
    out = plot("00_setup", [_res(s, (i, 2 * i)) for i, s in enumerate("abcdef")],
               tmp_path / "g" / "scores.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    assert not list((tmp_path / "g").glob("*.tmp.png"))
    assert plot("00_setup", [], tmp_path / "none.png") is None


def test_histogram_ticks_are_whole_students_and_the_legend_covers_no_bar():
    import matplotlib.pyplot as plt

    from autograder.summary import figure
    fig = figure("00_setup", [_res("a", (10, 20)), _res("b", (5, 0))])
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # outside the axes, right of the bars
    plt.close(fig)
