"""Chinese in matplotlib plots: after ``import course_lib``, a plot with a Chinese title, labels,
legend and ticks draws with no "Glyph missing" warning (Latin from DejaVu Sans, Chinese from a CJK
font); a PNG of it is kept in test-artifacts/. 中文图：没有“缺字形”警告，PNG 保存为测试产物。
"""
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from course_lib import _plotting

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

STUDENT = r"""
import json, sys, warnings
import course_lib as torch
assert "matplotlib" not in sys.modules            # import course_lib stays lean
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager

def draw(path=None):
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.plot([1, 2, 3], [3.0, 1.5, 0.9], label="训练 train")
    ax.set_title("损失曲线 · Loss curve")
    ax.set_xlabel("轮次 epoch"); ax.set_ylabel("损失 −log p / loss")
    ax.set_xticks([1, 2, 3], ["第一轮", "第二轮", "第三轮"])
    ax.legend(title="图例 legend")
    fig.tight_layout()
    fig.savefig(path or sys.argv[2])   # draws every text
    title = ax.title
    plt.close(fig)
    return title

with warnings.catch_warnings():
    warnings.simplefilter("error")                 # a "Glyph ... missing" warning fails
    title = draw(sys.argv[1])
from matplotlib import ft2font
fonts = [(str(p), all(ft2font.FT2Font(str(p)).get_char_index(ord(c)) for c in "损失曲线"))
         for p in font_manager.fontManager._find_fonts_by_props(title.get_fontproperties())]
# control: matplotlib's own default (no CJK family behind the Latin one) misses the glyphs
with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context({"font.family": ["sans-serif"]}):
    warnings.simplefilter("always")
    draw()
print(json.dumps({"family": list(matplotlib.rcParams["font.family"]), "fonts": fonts,
                  "control": [str(w.message) for w in caught]}))
"""


def test_chinese_plot_draws_without_missing_glyphs(tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    png = ARTIFACTS / "plot_chinese_labels.png"
    png.unlink(missing_ok=True)
    r = subprocess.run([sys.executable, "-c", STUDENT, str(png), str(tmp_path / "control.png")],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout.splitlines()[-1])
    family = got["family"]
    assert family[0] == "sans-serif" and family[1] in _plotting.CJK_FAMILIES, family
    (latin, latin_has), (cjk, cjk_has) = got["fonts"][:2]  # the chain: DejaVu Sans, the CJK font
    assert Path(latin).name == "DejaVuSans.ttf" and not latin_has, got["fonts"]
    assert cjk_has, got["fonts"]  # the second font holds the Chinese glyphs
    assert any("missing from font" in m for m in got["control"]), got["control"]
    assert png.stat().st_size > 10_000


def _fake_font_manager(names, added):
    """A font manager that knows ``names``; ``addfont`` records the path and adds what the real
    Noto collection holds."""
    fm = types.SimpleNamespace(ttflist=[types.SimpleNamespace(name=n) for n in names])

    def addfont(path):
        added.append(path)
        fm.ttflist += [types.SimpleNamespace(name=f"Noto Sans CJK {r}") for r in ("JP", "SC")]
    fm.addfont = addfont
    return types.SimpleNamespace(fontManager=fm)


def test_a_known_family_is_taken_in_order_of_preference():
    added = []
    fm = _fake_font_manager(["DejaVu Sans", "SimHei", "Microsoft YaHei"], added)
    assert _plotting.cjk_family(fm) == "Microsoft YaHei" and added == []


def test_the_bundled_noto_font_when_matplotlib_knows_none():
    """A laptop without a system CJK font (or whose font cache predates it): the pip package's."""
    path = _plotting.bundled_font()
    assert path is not None and Path(path).stat().st_size > 1_000_000, \
        "the course dependency noto-cjk-sans-otc is not installed"
    added = []
    assert _plotting.cjk_family(_fake_font_manager(["DejaVu Sans"], added)) == "Noto Sans CJK SC"
    assert added == [path]
    from matplotlib import ft2font  # the real file holds the Chinese glyphs
    font = ft2font.FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "损失曲线训练轮次")


def test_no_cjk_font_at_all_warns_in_both_languages(monkeypatch):
    import matplotlib
    monkeypatch.setattr(_plotting, "bundled_font", lambda: None)
    monkeypatch.setattr(_plotting, "cjk_family", lambda font_manager=None: None)
    with matplotlib.rc_context(), pytest.warns(UserWarning, match="中文字体.*CJK font"):
        assert _plotting.configure() is None


def test_a_font_family_the_user_chose_is_kept():
    import matplotlib
    with matplotlib.rc_context({"font.family": ["serif"]}):
        assert _plotting.configure() is not None
        assert list(matplotlib.rcParams["font.family"]) == ["serif"]
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        family = _plotting.configure()
        assert list(matplotlib.rcParams["font.family"]) == ["sans-serif", family]


def test_the_hook_waits_for_the_font_manager_and_goes_away():
    """Before matplotlib: a finder on sys.meta_path; matplotlib imported first: set up at once."""
    code = r"""
import sys
import course_lib
from course_lib import _plotting
assert _plotting._HOOK in sys.meta_path
import matplotlib
assert list(matplotlib.rcParams["font.family"]) == ["sans-serif"]   # no font manager yet
import matplotlib.font_manager as fm
assert _plotting._HOOK not in sys.meta_path
assert type(fm.__loader__).__name__ == "SourceFileLoader"          # the real loader is back
print(list(matplotlib.rcParams["font.family"]))
"""
    first = r"""
import sys
import matplotlib.font_manager, matplotlib
import course_lib
from course_lib import _plotting
assert _plotting._HOOK not in sys.meta_path
print(list(matplotlib.rcParams["font.family"]))
"""
    for src in (code, first):
        r = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr[-3000:]
        family = eval(r.stdout.strip().splitlines()[-1])  # noqa: S307  (our own print of a list)
        assert family[0] == "sans-serif" and family[1] in _plotting.CJK_FAMILIES, family
