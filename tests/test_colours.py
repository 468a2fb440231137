"""Colours that survive a washed-out projector and colour-blind viewers: WCAG contrast of every
text colour on every background the charts and the district map use, and a sequential map
palette that stays ordered by lightness under colour-blindness simulation."""

import itertools

import pandas as pd
import pytest

from sctdash import charts, colours, district_map
from sctdash.colours import CVD, contrast, lightness, simulate

AA = 4.5
WHITE = "#FFFFFF"
# Text drawn straight on the white paper of a chart: titles, labels, subtitle, footer.
TEXT_ON_WHITE = {"text": charts.TEXT_COLOUR, "subtitle": "#444444", "footer": "#333333"}


def test_contrast_formula_matches_wcag_examples():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("#0072B2", "#0072B2") == pytest.approx(1.0)


@pytest.mark.parametrize("name", TEXT_ON_WHITE)
def test_chart_text_on_white(name):
    assert contrast(TEXT_ON_WHITE[name], WHITE) >= AA


@pytest.mark.parametrize("colour", sorted(set(charts.PALETTE) | set(charts.SERIES_COLOURS.values())))
def test_text_inside_a_bar_reads(colour):
    """Stacked bars print their value inside the bar, in colours.text_on(bar colour)."""
    assert contrast(colours.text_on(colour), colour) >= AA, colour


def test_stacked_bars_use_readable_text(store):
    m = charts.meta("electrified_communes_by_district")
    fig = charts.figure(store.query(m["query"], districts=[], year_from=2015, year_to=2020), m, "vi")
    for trace in fig.data:
        for bar, ink in zip(trace.marker.color, trace.textfont.color):
            assert contrast(ink, bar) >= AA, (bar, ink)


@pytest.mark.parametrize("fill", district_map.SEQUENTIAL)
def test_map_tile_text_reads(fill):
    assert contrast(colours.text_on(fill), fill) >= AA


def test_map_no_data_and_merged_tiles_read():
    assert contrast(district_map.NO_DATA_TEXT, district_map.NO_DATA_FILL) >= AA
    assert contrast(charts.TEXT_COLOUR, district_map.MERGED_FILL) >= AA
    # the dotted border of a “no data” tile shows on white (WCAG 1.4.11: 3:1 for graphics)
    assert contrast(district_map.NO_DATA_BORDER, WHITE) >= 3


@pytest.mark.parametrize("vision", ["normal", *CVD])
def test_map_palette_is_ordered_by_lightness(vision):
    """Darker means more, for every viewer: L* falls by at least 7 from class to class, and
    the lightest class stays clearly apart from the white “no data” tile."""
    seen = [c if vision == "normal" else simulate(c, vision) for c in district_map.SEQUENTIAL]
    levels = [lightness(c) for c in seen]
    assert all(a - b >= 7 for a, b in zip(levels, levels[1:])), levels
    assert 100 - levels[0] >= 10


def _delta_e(a: str, b: str) -> float:
    """CIE76 ΔE between two colours (through XYZ/Lab, D65)."""

    def lab(colour):
        r, g, b_ = (colours._linear(c) for c in colours.rgb(colour))
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b_) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b_
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b_) / 1.08883

        def f(v):
            return v ** (1 / 3) if v > 216 / 24389 else (24389 / 27 * v + 16) / 116

        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b))) ** 0.5


# Series drawn side by side in one chart.
PAIRS = [
    ("completed", "under_construction"),
    ("hydro", "solar"),
    ("qppl", "procedure_list"),
    ("main", "alt"),
    ("reported", "external"),
]


@pytest.mark.parametrize("vision", ["normal", *CVD])
@pytest.mark.parametrize(("a", "b"), PAIRS, ids=["-".join(p) for p in PAIRS])
def test_series_side_by_side_stay_apart(a, b, vision):
    ca, cb = charts.SERIES_COLOURS[a], charts.SERIES_COLOURS[b]
    if vision != "normal":
        ca, cb = simulate(ca, vision), simulate(cb, vision)
    assert _delta_e(ca, cb) >= 20, (a, b, vision, ca, cb)


@pytest.mark.parametrize("vision", ["normal", *CVD])
def test_palette_first_colours_stay_apart(vision):
    """The first four palette colours (facets, up to four series) are told apart by everyone."""
    seen = [c if vision == "normal" else simulate(c, vision) for c in charts.PALETTE[:4]]
    worst = min(_delta_e(a, b) for a, b in itertools.combinations(seen, 2))
    assert worst >= 15, worst


def test_map_uses_the_tested_colours(store):
    df = store.query("map_electrified_communes")
    fig = district_map.figure(df, district_map.spec("electrified_communes"), "vi", ["535"])
    fills = {s.fillcolor for s in fig.layout.shapes if s.type == "rect"}
    assert fills <= set(district_map.SEQUENTIAL) | {district_map.NO_DATA_FILL, district_map.MERGED_FILL}
    inks = {a.font.color for a in fig.layout.annotations if a.font and a.font.color}
    for ink in inks:
        assert any(contrast(ink, f) >= AA for f in fills), ink
    assert pd.notna(df["value"]).sum() == 2
