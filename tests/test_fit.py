"""Words that fit: widths from the charts' font, lines that stay in their room, and bars that
leave no empty room for a series a category does not have (sctdash.core.measure, sctdash.drawing.figures).
The same facts on screen, at four window sizes: tests/e2e/test_projector.py."""

import pytest

from sctdash.core import measure
from sctdash.drawing import figures
from tests.helpers import exhibit

TEXTS = [
    "Xã đạt tiêu chí 7 hạ tầng thương mại (97/98)",
    "TTHC giải quyết tại Trung tâm Phục vụ hành chính công",
    "Communes meeting criterion 4 (144/148)",
    "không có số liệu",
]


def test_widths_are_the_charts_font():
    """As Chromium draws Noto Sans (measured in a browser: 84.2 px regular, 88.2 px bold at
    20 px), with the 4 % slack; an average glyph width would say 83 px for both."""
    assert measure.width("Trà Bồng", 20) / measure.SLACK == pytest.approx(84.2, abs=0.5)
    assert measure.width("Trà Bồng", 20, bold=True) / measure.SLACK == pytest.approx(88.2, abs=0.5)
    assert measure.width("<b>Trà Bồng</b>", 20, bold=True) == measure.width("Trà Bồng", 20, bold=True)


@pytest.mark.parametrize("room", [90, 140, 220, 400])
@pytest.mark.parametrize("text", TEXTS)
def test_lines_stay_in_their_room_and_keep_every_word(text, room):
    for breaking in (measure.lines, measure.balanced):
        lines = breaking(text, 16, room)
        assert " ".join(lines).split() == text.split()
        assert all(measure.width(line, 16) <= room or " " not in line for line in lines), lines


@pytest.mark.parametrize("text", TEXTS)
def test_balanced_lines_are_as_many_and_no_longer(text):
    greedy, even = measure.lines(text, 16, 150), measure.balanced(text, 16, 150)
    assert len(even) == len(greedy)
    assert max(measure.width(x, 16) for x in even) <= max(measure.width(x, 16) for x in greedy)
    assert measure.balanced("không có số liệu", 14, 104) == ["không có", "số liệu"]


@pytest.mark.parametrize("canvas", [figures.SCREEN, figures.MEETING], ids=["page", "meeting"])
def test_a_category_bar_sits_at_its_words_with_no_room_for_absent_series(store, canvas):
    """service_quality: three series, most categories have one of them. Each category's bars
    are centred on its words, side by side, one bar's width apart: a lone bar is not pushed
    aside by the series it lacks (Plotly's grouped bars keep a place for every series)."""
    fig = figures.figure(exhibit(store, "service_quality"), canvas)
    ticks = dict(zip(fig.layout.yaxis.ticktext, fig.layout.yaxis.tickvals))
    bars: dict[str, list[float]] = {}
    for trace in fig.data:
        for label, position in zip(trace.customdata, trace.y):
            bars.setdefault(label, []).append(position)
    assert set(bars) == set(ticks)
    for label, positions in bars.items():
        assert sum(positions) / len(positions) == pytest.approx(ticks[label]), label
        assert sorted(b - a for a, b in zip(sorted(positions), sorted(positions)[1:])) in ([], [1.0], [1.0, 1.0])
    assert any(len(p) == 2 for p in bars.values()) and any(len(p) == 1 for p in bars.values())


def test_legend_rows_follow_plotly():
    """One row when every entry fits; else as many entries as wide as the widest to a row."""
    names = ["2019–2020 · Báo cáo", "Năm 2020 · Báo cáo", "Năm 2020 · Theo mục II.2.1.a1"]
    entries = [40 + measure.width(n, 20) for n in names]
    assert figures.legend_rows(names, 20, sum(entries) + 20) == 1
    assert figures.legend_rows(names, 20, 2 * max(entries) + 10) == 2
    assert figures.legend_rows(names, 20, max(entries) + 10) == 3


def test_a_per_cent_sign_stays_with_its_number():
    title = "Giá trị tăng thêm (VACN) tăng nhanh hơn giá trị sản xuất (GOCN): 5,03 % so với 4 % mỗi năm"
    for room in range(120, 900, 7):
        for line in measure.lines(title, 20, room):
            assert not line.startswith("%"), (room, line)
