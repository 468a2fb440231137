"""One rule, one place: what every medium (the page's figure, the 16:9 image, the slide, the
meeting screen, the tiles) draws the same way because it reads the same definition."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Mapping

import pandas as pd
import pytest
from pptx import Presentation

from sctdash.core import catalogue, units
from sctdash.core.paths import ROOT
from sctdash.drawing import figures
from sctdash.exhibits import builder, pipeline
from sctdash.exhibits.exhibit import Setting
from sctdash.exhibits.filters import Filters, year_range
from sctdash.exports import slides

EMPTY_SOURCES = pd.DataFrame(columns=["source_id", "kind", "title", "publisher", "published_on"])
EMPTY_NOTES = pd.DataFrame(columns=["note_id", "title_vi", "title_en", "text_vi", "text_en"])


def setting(lang: str = "vi", districts=()) -> Setting:
    return Setting(lang, Filters.of(districts, 2015, 2020), {"535": "Ba Tơ"}, EMPTY_SOURCES, EMPTY_NOTES)


def rows(values: dict[int, float], unit: str = "count", kind: str = "reported", **extra) -> pd.DataFrame:
    """An indicator's province rows, one per year (SYNTHETIC)."""
    return pd.DataFrame(
        [
            {
                "indicator_id": "synthetic",
                "area_code": "51",
                "year_from": y,
                "year_to": y,
                "category": "total",
                "variant": "",
                "value": v,
                "value_kind": kind,
                "unit": unit,
                "decimals": 1,
                "indicator_vi": "Chỉ tiêu thử",
                "indicator_en": "A synthetic indicator",
                **extra,
            }
            for y, v in values.items()
        ]
    )


def exhibit(df: pd.DataFrame, lang: str = "vi"):
    spec = catalogue.auto_spec("industry", "synthetic", {"vi": "Chỉ tiêu thử", "en": "A synthetic indicator"})
    return builder.build(spec, df, setting(lang))


def page_exhibits(store, page_id: str, lang: str = "vi") -> list:
    """A page's curated and automatic exhibits over every year, for the province."""
    f = Filters.of((), *year_range(store.query))
    curated = [pipeline.chart(store.query, cid, f, lang) for cid in catalogue.chart_ids(page_id)]
    return [*curated, *pipeline.more(store.query, page_id, f, lang, curated).charts]


def slide_of(ex):
    prs = Presentation()
    prs.slide_width, prs.slide_height = slides.SLIDE_W, slides.SLIDE_H
    slides.chart_slide(prs, ex, None, "stamp")
    out = io.BytesIO()
    prs.save(out)
    return Presentation(io.BytesIO(out.getvalue())).slides[0]


def chart_of(slide):
    return next(shape.chart for shape in slide.shapes if shape.has_chart)


# ------------------------------------------------------------------ units
def test_every_unit_the_schema_allows_is_defined_once():
    schema = (ROOT / "queries" / "_schema.sql").read_text(encoding="utf-8")
    allowed = re.search(r"unit in \(([^)]*)\)", schema).group(1)
    assert set(units.UNITS) == {u.strip().strip("'") for u in allowed.split(",")}


def test_an_additive_line_starts_at_zero_on_screen_and_on_the_slide():
    """A capacity in MW over six years (SYNTHETIC, far from zero): its axis starts at zero in
    the figure and in the slide's native chart alike; a share's does not, in either."""
    for unit, from_zero in (("mw", True), ("count", True), ("pct", False)):
        ex = exhibit(rows({y: 200 + y - 2015 for y in range(2015, 2021)}, unit))
        assert ex.shape == "line"
        low = figures.figure(ex).layout.yaxis.range[0]
        minimum = chart_of(slide_of(ex)).value_axis.minimum_scale
        assert (low == 0) is from_zero, unit
        assert (minimum == 0) is from_zero, unit


# ------------------------------------------------------------------ diacritics
def test_one_folding_for_file_names_and_typed_names():
    from sctdash.core import fold
    from sctdash.editing.importer import checking  # noqa: F401  (it folds through core.fold)
    from sctdash.exports import export

    assert fold.unmarked("Trà Bồng, Đức Phổ") == "Tra Bong, Duc Pho"
    assert fold.folded("  ĐỨC   phổ ") == "duc pho" == fold.folded("Đức Phổ")
    assert export.slug("Chợ Ba Tơ — Đức Phổ") == "cho-ba-to-duc-pho"


# ------------------------------------------------------------------ the type scale
def test_one_type_scale_for_charts_maps_meeting_screens_and_slides(store):
    """A title, a subtitle and a footnote have the same size in a chart, a map and a slide at
    1×, and meeting mode multiplies them all by its canvas's scale."""
    from sctdash.app import meeting
    from sctdash.core.typography import SCALE
    from sctdash.drawing import map_figures
    from tests.helpers import exhibit as chart
    from tests.helpers import map_view

    assert meeting.SCALE == figures.MEETING.scale
    fig = figures.figure(chart(store, "industry_growth"))
    shown = map_view(store, "hydro_capacity")
    map_fig = map_figures.figure(shown)
    assert fig.layout.title.font.size == map_fig.layout.title.font.size == SCALE.title
    assert fig.layout.annotations[-1].font.size == map_fig.layout.annotations[-1].font.size == SCALE.small
    title = slide_of(chart(store, "industry_growth")).shapes.title
    assert title.text_frame.paragraphs[0].runs[0].font.size.pt == SCALE.title


# ------------------------------------------------------------------ legends
def _facet_rows() -> pd.DataFrame:
    """Facilities of two kinds by class, for the province and Ba Tơ (SYNTHETIC)."""
    out = []
    for area, base in (("51", 10), ("535", 2)):
        for facet in ("markets", "supermarkets"):
            for i, item in enumerate(("class_1", "class_2")):
                row = rows({2020: base + i}).iloc[0].to_dict()
                out.append({**row, "area_code": area, "facet": facet, "item": item, "category": item})
    return pd.DataFrame(out)


def test_a_legend_follows_one_rule_on_screen_on_slides_and_in_small_multiples(store):
    """Exhibit.legend decides: the page's figure shows a legend exactly when it says so, a
    slide's native chart too, and small multiples of several series name each series once."""
    for page_id in catalogue.pages():
        for ex in page_exhibits(store, page_id):
            if ex.no_rows:
                continue
            assert figures.figure(ex).layout.showlegend == ex.legend, ex.id
            if ex.native:
                assert chart_of(slide_of(ex)).has_legend == ex.legend, ex.id
    spec = catalogue.auto_spec("market", "synthetic", {"vi": "Cơ sở", "en": "Facilities"})
    ex = builder.build(spec, _facet_rows(), setting(districts=("535",)))
    assert len(ex.panels) == 2 and ex.legend
    fig = figures.figure(ex)
    assert fig.layout.showlegend
    assert [t.name for t in fig.data if t.showlegend] == [s.name for s in ex.legend_entries]


# ------------------------------------------------------------------ kinds of value
def test_every_kind_of_value_has_one_style_and_its_words_in_both_languages():
    """Each kind the schema allows has its record, and every record (the estimate and target
    ones too, before any data has them) its name, and, where it looks other than reported,
    the words after its figure and the footnotes that explain its look, in both languages."""
    from sctdash.core import styles
    from sctdash.core.catalogue import texts

    schema = (ROOT / "queries" / "_schema.sql").read_text(encoding="utf-8")
    allowed = re.search(r"value_kind in \(([^)]*)\)", schema).group(1)
    assert {k.strip().strip("'") for k in allowed.split(",")} <= set(styles.KINDS)
    assert {"estimate", "target"} <= set(styles.KINDS) and not styles.TARGET.bar
    for look in styles.KINDS.values():
        keys = [look.label] + ([look.suffix, look.legend, look.legend_line] if not look.plain else [])
        for key in keys:
            entry = texts().get(key)
            assert entry and entry.get("vi") and entry.get("en"), (look.kind, key)


def test_a_derived_value_is_hatched_or_hollow_and_an_external_one_pale_on_every_medium():
    from sctdash.core import styles

    bars = exhibit(rows({2015: 3, 2020: 5}, kind="derived"))
    marker = figures.figure(bars).data[0].marker
    assert set(marker.pattern.shape) == {styles.DERIVED.pattern}
    assert chart_of(slide_of(bars)).plots[0].series[0].format.fill.type == 2  # MSO_FILL.PATTERNED
    line = exhibit(rows({y: 5 + y % 3 for y in range(2015, 2021)}, kind="external"))
    assert set(figures.figure(line).data[0].marker.opacity) == {styles.EXTERNAL.opacity}
    assert "Nhạt" in " ".join(line.footnotes)


def test_a_reported_bar_on_a_slide_keeps_its_series_colour():
    """A point's format is asked for only when its kind has a look of its own: an empty one
    stands in front of the series' fill (LibreOffice draws such a bar in a colour of its own)."""
    chart = chart_of(slide_of(exhibit(rows({2015: 3, 2020: 5}))))
    assert not chart.plots[0].series[0]._element.findall("{http://schemas.openxmlformats.org/drawingml/2006/chart}dPt")


# ------------------------------------------------------------------ the main version, first → latest
def _versions() -> pd.DataFrame:
    """One figure in two versions (SYNTHETIC): the main one (empty variant) from an outside
    source only, and another section's reported one."""
    extra = {"section": "II.1", "source_publisher": "X", "quote": "…", "derivation": None, "source_id": "s"}
    main = rows({2015: 10, 2020: 20}, kind="external", **extra)
    other = rows({2015: 3, 2018: 4, 2020: 5}, **extra).assign(variant="II.2")
    return pd.concat([other, main], ignore_index=True)


def test_the_tile_and_the_chart_words_name_the_same_main_version_and_change():
    from sctdash.core.catalogue import TileSpec
    from sctdash.exhibits import chart_words, phrases, tiles

    df = _versions()
    ex = exhibit(df)
    words = chart_words.placeholders(ex, ex.rows, setting(), catalogue.auto_spec("industry", "synthetic", {}))
    tile = tiles.tile(TileSpec(indicator="synthetic", label={"vi": "Thử", "en": "Test"}), df, setting())
    assert words["value"]["total"] == "20" and tile.value == "20"
    assert words["first"]["total"] == "10" and "10 năm 2015 → 20 năm 2020" in tile.caption, tile.caption
    first, latest = phrases.first_and_latest(phrases.main_version(phrases.records(df)))
    assert (first["value"], latest["value"]) == (10, 20)


# ------------------------------------------------------------------ values built whole, frozen
def _same(a, b) -> bool:
    """Equal values, frames compared by their cells (a DataFrame has no truth value)."""
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.equals(b)
    if dataclasses.is_dataclass(a):
        return type(a) is type(b) and all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping):
        return isinstance(b, Mapping) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def test_what_the_cache_hands_every_session_cannot_be_changed_and_is_built_the_same(data_copy):
    """The app's shared caches (st.cache_resource) hand one page view, tile and map view to
    every session: none of them, nor any part of them, can be changed by one; and each is
    built whole, the same value every time."""
    from sctdash.app import ui
    from sctdash.exhibits import district_map

    s = ui.store()
    key = (str(s.data_dir), s.fingerprint)
    f = Filters.of((), *year_range(s.query))
    for cached in (ui._page, ui._tiles, ui._map_view):
        cached.clear()
    pv = ui._page(*key, "electricity", f, "vi")
    ex = next(iter(pv.charts.values()))
    for value, name in (
        (pv, "more"),
        (ex, "title"),
        (ex.panels[0], "title"),
        (ex.panels[0].series[0], "name"),
        (ex.panels[0].series[0].points[0], "value"),
    ):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, None)
    with pytest.raises(TypeError):
        pv.charts["other"] = ex
    assert isinstance(ex.footnotes, tuple) and isinstance(pv.more.charts, tuple)
    tile = ui._tiles(*key, "electricity", f, "vi")[0]
    shown = ui._map_view(*key, district_map.spec("hydro_capacity"), f, "vi")
    for value, name in ((tile, "value"), (shown, "title"), (shown.tiles[0], "fill")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, None)
    for cached in (ui._page, ui._tiles, ui._map_view):
        cached.clear()
    assert _same(ui._page(*key, "electricity", f, "vi"), pv)
    assert _same(ui._tiles(*key, "electricity", f, "vi")[0], tile)
    assert _same(ui._map_view(*key, district_map.spec("hydro_capacity"), f, "vi"), shown)
    assert ui._page(*key, "electricity", f, "vi") is not pv  # built again, not the same object
