"""Rows in the filter → exhibits: the charts, tiles, "More figures" and maps of a page.

The one place where rows are fetched for a view. Every function takes `query(name, **params)
-> DataFrame` (the page passes its cached `ui.query`, the exports a `db.Store`'s `query`), the
typed filters and the language, and returns descriptions (sctdash.exhibits.exhibit, sctdash.exhibits.tiles,
sctdash.exhibits.district_map) that the screen, the images and the slides all draw. Nothing here knows
Streamlit.

A page's exhibits under one set of filters are one value, its PageView (`page_view`): the
screen, the decks, the image and data exports, meeting mode and the tests all take it, so an
export draws what the screen has cached. `Views` hands an export the page views and map views of
one set of filters, from the app's caches or built here; `page_of` finds the page of any chart.

"More figures" of a topic page: every figure of its topics in view that none of its curated
charts draws. An indicator whose remaining rows run over years or areas gets an automatic
chart (the same decision as a curated chart's); the rest (a breakdown of one period and place,
"624 villages, 126 communes, 12 districts") are listed as words with their source, unless a
headline tile of the page already shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from types import MappingProxyType

import pandas as pd

from sctdash.core import catalogue
from sctdash.core.i18n import t, unit_name
from sctdash.exhibits import builder, district_map, exhibit, phrases, revisions, territory, tiles
from sctdash.exhibits.district_map import MapView
from sctdash.exhibits.exhibit import Exhibit, Setting
from sctdash.exhibits.filters import Filters, Query


def area_names(query: Query, lang: str) -> dict[str, str]:
    """Every area's name by code, as charts and the filter's summary give it: “TP Quảng Ngãi”,
    “Ba Tơ”, and a commune (5 digits) with its type, “xã Ba Tơ”, which is not “huyện Ba Tơ”."""
    areas = query("area_names")
    return {
        code: t("area.city", lang, name=name)
        if kind == "thanh_pho"
        else unit_name(kind, name, lang=lang)
        if level == "commune"
        else name
        for code, name, kind, level in zip(areas["area_code"], areas["name_vi"], areas["unit_type"], areas["level"])
    }


def setting_for(query: Query, filters: Filters, lang: str) -> Setting:
    areas = query("area_names")
    names = area_names(query, lang)
    links = query("chosen_links", districts=list(filters.districts))
    return Setting(
        lang=lang,
        filters=filters,
        names=names,
        sources=query("source_list"),
        notes=query("data_notes"),
        units=tuple(areas.loc[areas["unit_2020"], "area_code"]),
        areas=territory.areas_from(query("unit_list"), query("territory_changes"), links),
        revisions=revisions.of(query("revisions_in_view", **filters.params())),
    )


def chart(
    query: Query,
    chart_id: str,
    filters: Filters,
    lang: str,
    setting: Setting | None = None,
    province: Exhibit | None = None,
) -> Exhibit:
    """One curated chart of charts.toml under the filters. `province`: the same chart for the
    province (same years), reused as it is when the chosen districts have no rows of it."""
    spec = catalogue.chart(chart_id)
    reusable = province is not None and not province.ranking and spec.shape is None and bool(filters.districts)
    if reusable and not districts_have_rows(query, filters):
        return _said_province_only(province, filters, lang)
    rows = query(spec.query, **filters.params())
    if reusable and "area_code" in rows and not (rows["area_code"] != exhibit.PROVINCE).any():
        return _said_province_only(province, filters, lang)
    setting = setting or setting_for(query, filters, lang)
    return builder.build(spec, with_targets(query, rows, filters) if spec.shape is None else rows, setting)


def with_targets(query: Query, rows: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """A chart's rows and the targets of what they draw (queries/targets_in_view.sql), each
    target taking the item and facet its result has on the chart; a target whose figure the
    chart does not draw is left to the targets' list."""
    if rows.empty or "indicator_id" not in rows or "category" not in rows:
        return rows
    targets = query("targets_in_view", indicators=sorted(set(rows["indicator_id"])), **filters.params())
    if targets.empty:
        return rows
    placed = rows.drop_duplicates(["indicator_id", "category"]).set_index(["indicator_id", "category"])
    keys = list(zip(targets["indicator_id"], targets["category"], strict=True))
    targets = targets[[k in placed.index for k in keys]].copy()
    if targets.empty:
        return rows
    keys = list(zip(targets["indicator_id"], targets["category"], strict=True))
    for col in ("item", "facet"):
        if col in placed:
            targets[col] = [placed.loc[k, col] for k in keys]
    return pd.concat([rows, targets[[c for c in targets.columns if c in rows.columns]]], ignore_index=True)


def _said_province_only(province: Exhibit, filters: Filters, lang: str) -> Exhibit:
    """The province's chart standing for the chosen districts, which have none of its rows."""
    return replace(province, filters=filters, province_only=True, notice=t("notice.province_only", lang))


def districts_have_rows(query: Query, filters: Filters) -> bool:
    """Whether the chosen districts have any observation in the years. When not, a chart of
    observations (no fixed shape) has the province's rows alone under these filters, so the
    province's chart stands for it without its own query: one query for the page, not one per
    chart, for a district none has chosen before."""
    return bool(query("district_rows", **filters.params())["n"].iloc[0])


@dataclass(frozen=True)
class FigureLine:
    """A figure of "More figures" said in words: one value, its period, area and source."""

    indicator: str
    text: str
    source: str
    quote: str


@dataclass(frozen=True)
class More:
    charts: tuple[Exhibit, ...]
    figures: tuple[FigureLine, ...]

    def __bool__(self) -> bool:
        return bool(self.charts or self.figures)


def more(
    query: Query,
    page: str,
    filters: Filters,
    lang: str,
    curated: list[Exhibit],
    setting: Setting | None = None,
    province: More | None = None,
) -> More:
    """The page's figures that its curated charts leave out (see the module's docstring).
    `province`: the same for the province (same years), reused when the chosen districts have
    no rows of the page's topics."""
    topics = catalogue.topics(page)
    if not topics:
        return More((), ())
    reusable = province is not None and not any(ex.ranking for ex in province.charts) and bool(filters.districts)
    if reusable and not districts_have_rows(query, filters):
        return More(tuple(_said_province_only(ex, filters, lang) for ex in province.charts), province.figures)
    rows = query("topic_rows", topics=topics, **filters.params())
    if rows.empty:
        return More((), ())
    rows = with_targets(query, rows, filters)
    if reusable and not (rows["area_code"] != exhibit.PROVINCE).any():
        return More(tuple(_said_province_only(ex, filters, lang) for ex in province.charts), province.figures)
    setting = setting or setting_for(query, filters, lang)
    drawn = set().union(*(ex.covered() for ex in curated)) if curated else set()
    keys = phrases.tuples(rows, exhibit.KEY)
    rest = rows[[k not in drawn for k in keys]]
    shown_by_tiles = {(spec.indicator, c) for spec in catalogue.tiles(page) for c in _tile_categories(spec)}
    charts, figures = [], []
    for indicator, part in rest.groupby("indicator_id", sort=False):
        results = part[part["figure_type"] != "target"] if "figure_type" in part else part
        if results.empty:  # a target whose results no chart draws: the targets' list names it
            continue
        spread = (
            results.groupby(["area_code", "variant"])["year_to"].nunique().max() > 1
            or results["area_code"].nunique() > 1
        )
        if spread:
            names = {lang_: str(part[f"indicator_{lang_}"].iloc[0]) for lang_ in ("vi", "en")}
            spec = catalogue.auto_spec(page, indicator, names)
            charts.append(builder.build(spec, part, setting))
            continue
        for row in phrases.records(results):
            if (indicator, row["category"]) in shown_by_tiles or (indicator, None) in shown_by_tiles:
                continue
            figures.append(_figure_line(row, setting))
    return More(tuple(charts), tuple(figures))


def _tile_categories(spec: catalogue.TileSpec) -> list[str | None]:
    if spec.ratio:
        return [spec.ratio_part, "total"]
    return [spec.category]


def _figure_line(row: dict, setting: Setting) -> FigureLine:
    lang = setting.lang
    category = phrases.item_label("category", row["category"], row, lang) if row["category"] != "total" else ""
    name = str(row[f"indicator_{lang}"]) + (f" · {category}" if category else "")
    value = phrases.amount_text(row["value"], int(row["decimals"]), row["unit"], row["value_kind"], lang)
    where = phrases.area_name(row["area_code"], setting.names, lang)
    period = phrases.period_text(row["year_from"], row["year_to"])
    source = phrases.source_line([row], setting.sources, lang)
    revised = "".join(f" · {w}" for w in revisions.tile_words([row], setting.revisions, setting.names, lang))
    return FigureLine(
        row["indicator_id"],
        t("more.figure", lang, name=name, value=value, period=period, where=where) + revised,
        source,
        str(row["quote"]),
    )


def page_tiles(
    query: Query, page: str, filters: Filters, lang: str, setting: Setting | None = None
) -> list[tiles.TileView]:
    specs = catalogue.tiles(page)
    if not specs:
        return []
    setting = setting or setting_for(query, filters, lang)
    rows = query("headline_facts", indicators=sorted({spec.indicator for spec in specs}), **filters.params())
    return [tiles.tile(spec, rows, setting) or tiles.missing(spec, setting) for spec in specs]


# ------------------------------------------------------------------ a page's exhibits
@dataclass(frozen=True)
class PageView:
    """A page's charts under one set of filters: its curated charts in the order of
    charts.toml, then its "More figures" (automatic charts and figures in words). The tiles and
    the maps are apart: meeting mode needs every page's charts for its running order and no
    page's tiles but the one on screen."""

    page: str
    charts: Mapping[str, Exhibit] = field(default_factory=lambda: MappingProxyType({}))
    more: More = field(default_factory=lambda: More((), ()))

    def exhibits(self) -> list[Exhibit]:
        """Every chart of the page, curated then automatic: what a deck draws, in its order."""
        return [*self.charts.values(), *self.more.charts]

    def exhibit(self, chart_id: str) -> Exhibit:
        if chart_id in self.charts:
            return self.charts[chart_id]
        found = next((ex for ex in self.more.charts if ex.id == chart_id), None)
        if found is None:
            raise KeyError(f"no chart {chart_id!r} on page {self.page!r} under these filters")
        return found


def page_view(
    query: Query,
    page: str,
    filters: Filters,
    lang: str,
    setting: Setting | None = None,
    province: PageView | None = None,
) -> PageView:
    """The one way a page's exhibits are built. `province`: the same page for the province
    (same years), whose charts stand for the chosen districts where these have none of their
    rows."""
    setting = setting or setting_for(query, filters, lang)
    charts = {
        cid: chart(query, cid, filters, lang, setting, province.charts.get(cid) if province else None)
        for cid in catalogue.chart_ids(page)
    }
    extra = more(query, page, filters, lang, list(charts.values()), setting, province.more if province else None)
    return PageView(page, MappingProxyType(charts), extra)


def page_of(query: Query, chart_id: str) -> str:
    """The page of any chart: a curated one's from charts.toml, an automatic one's
    ("more.<indicator>") its indicator's topic's page."""
    if chart_id in catalogue.charts():
        return catalogue.chart(chart_id).page
    indicator = chart_id.removeprefix("more.")
    rows = query("indicator_list")
    topic = rows.loc[rows["indicator_id"] == indicator, "topic"]
    if topic.empty:
        raise KeyError(f"no chart {chart_id!r}: no indicator {indicator!r}")
    return catalogue.topic_pages()[str(topic.iloc[0])]


@dataclass(frozen=True)
class Views:
    """Where an export takes the exhibits of one set of filters: `page(page)` and
    `map(map_spec)`, from the app's caches (sctdash.app.ui.views) or built here (`views`), and
    the query for what else it reads (the maps a page offers, the places it names)."""

    query: Query
    filters: Filters
    lang: str
    page: Callable[[str], PageView]
    map: Callable[[Mapping], MapView]

    def exhibit(self, chart_id: str) -> Exhibit:
        """Any chart by id, curated or automatic, from its page's view."""
        return self.page(page_of(self.query, chart_id)).exhibit(chart_id)


def views(query: Query, filters: Filters, lang: str) -> Views:
    """Page and map views built on demand, each once (the command line's exports)."""
    setting = cache(lambda: setting_for(query, filters, lang))

    @cache
    def page(name: str) -> PageView:
        return page_view(query, name, filters, lang, setting())

    def map_view(map_spec: Mapping) -> MapView:
        spec = dict(map_spec)
        return district_map.view(district_map.rows(query, spec, filters), spec, setting(), filters.districts)

    return Views(query, filters, lang, page, map_view)
