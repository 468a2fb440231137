"""Colours that survive a washed-out projector and colour-blind viewers: WCAG contrast of every
text colour on every background the charts and the district map use, and a sequential map
palette that stays ordered by lightness under colour-blindness simulation."""

import itertools

import pandas as pd
import pytest

from sctdash.core import colours
from sctdash.core.colours import CVD, contrast, lightness, simulate
from sctdash.drawing import figures, map_figures
from sctdash.exhibits import tile_grid
from tests.helpers import exhibit, map_view

AA = 4.5
WHITE = "#FFFFFF"
# Text drawn straight on the white paper of a chart: titles, labels, subtitle, footer.
TEXT_ON_WHITE = {"text": colours.DARK_TEXT, "subtitle": colours.GREY_TEXT, "footer": "#333333"}


def test_contrast_formula_matches_wcag_examples():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("#0072B2", "#0072B2") == pytest.approx(1.0)


@pytest.mark.parametrize("name", TEXT_ON_WHITE)
def test_chart_text_on_white(name):
    assert contrast(TEXT_ON_WHITE[name], WHITE) >= AA


@pytest.mark.parametrize(
    "colour", sorted(set(colours.PALETTE) | set(colours.SERIES_COLOURS.values()) | {colours.PROVINCE_COLOUR})
)
def test_text_inside_a_bar_reads(colour):
    """Stacked bars print their value inside the bar, in colours.text_on(bar colour)."""
    assert contrast(colours.text_on(colour), colour) >= AA, colour


def test_stacked_bars_use_readable_text(store):
    fig = figures.figure(exhibit(store, "electrified_communes_by_district"))
    for trace in fig.data:
        for bar, ink in zip(trace.marker.color, trace.textfont.color):
            assert contrast(ink, bar) >= AA, (bar, ink)


@pytest.mark.parametrize("fill", tile_grid.SEQUENTIAL + tile_grid.DECREASE)
def test_map_tile_text_reads(fill):
    assert contrast(colours.text_on(fill), fill) >= AA


def test_map_no_data_and_merged_tiles_read():
    assert contrast(tile_grid.NO_DATA_TEXT, tile_grid.NO_DATA_FILL) >= AA
    assert contrast(colours.DARK_TEXT, tile_grid.MERGED_FILL) >= AA
    # the dotted border of a “no data” tile shows on white (WCAG 1.4.11: 3:1 for graphics)
    assert contrast(tile_grid.NO_DATA_BORDER, WHITE) >= 3


@pytest.mark.parametrize("vision", ["normal", *CVD])
def test_map_palette_is_ordered_by_lightness(vision):
    """Darker means more, for every viewer: L* falls by at least 7 from class to class, and
    the lightest class stays clearly apart from the white “no data” tile."""
    for palette in (tile_grid.SEQUENTIAL, tile_grid.DECREASE):
        seen = [c if vision == "normal" else simulate(c, vision) for c in palette]
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


# Series drawn side by side in one chart: named ones, the first palette colours (the main
# series and its other version or external source), and the province's line among districts'.
NAMED = colours.SERIES_COLOURS
PAIRS = [
    (NAMED["completed"], NAMED["under_construction"]),
    (NAMED["hydro"], NAMED["solar"]),
    (NAMED["qppl"], NAMED["procedure_list"]),
    (colours.PALETTE[0], colours.PALETTE[1]),
    (colours.PALETTE[1], colours.PALETTE[2]),
    (colours.PROVINCE_COLOUR, colours.PALETTE[0]),
    (colours.PROVINCE_COLOUR, colours.PALETTE[1]),
    (colours.PROVINCE_COLOUR, colours.PALETTE[2]),
]


@pytest.mark.parametrize("vision", ["normal", *CVD])
@pytest.mark.parametrize(("a", "b"), PAIRS, ids=["-".join(p) for p in PAIRS])
def test_series_side_by_side_stay_apart(a, b, vision):
    ca, cb = a, b
    if vision != "normal":
        ca, cb = simulate(ca, vision), simulate(cb, vision)
    assert _delta_e(ca, cb) >= 20, (a, b, vision, ca, cb)


@pytest.mark.parametrize("vision", ["normal", *CVD])
def test_palette_first_colours_stay_apart(vision):
    """The first four palette colours (facets, up to four series) are told apart by everyone."""
    seen = [c if vision == "normal" else simulate(c, vision) for c in colours.PALETTE[:4]]
    worst = min(_delta_e(a, b) for a, b in itertools.combinations(seen, 2))
    assert worst >= 15, worst


def test_map_uses_the_tested_colours(store):
    v = map_view(store, "electrified_communes", districts=("535",))
    df = v.rows
    fig = map_figures.figure(v)
    fills = {s.fillcolor for s in fig.layout.shapes if s.type == "rect"}
    assert fills <= set(tile_grid.SEQUENTIAL) | {tile_grid.NO_DATA_FILL, tile_grid.MERGED_FILL}
    assert fills & set(tile_grid.SEQUENTIAL) and tile_grid.NO_DATA_FILL in fills  # the classes and "no data" drawn
    assert any(s.line.color == tile_grid.SELECTED_BORDER for s in fig.layout.shapes)  # Ba Tơ, chosen
    inks = {a.font.color for a in fig.layout.annotations if a.font and a.font.color}
    assert inks
    for ink in inks:
        assert any(contrast(ink, f) >= AA for f in fills), ink
    assert pd.notna(df["value"]).sum() == 2
