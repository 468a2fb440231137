"""The catalogues, read once: charts.toml (charts, tiles, pages, the meeting order), maps.toml
and the texts of sctdash/core/catalogues/text*.toml. The one loader of the package's TOML files; what they
must hold is checked by sctdash.exhibits.catalogue_check at start-up and in a test.

A chart of charts.toml is a `ChartSpec`: which query feeds it, what its items are called, and
its words in both languages. Its shape is not written here unless it is fixed (a chart of
named things: communes by district, power projects, documents by year): a chart of
observations takes the shape its rows call for (sctdash.exhibits.exhibit).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

LANGS = ("vi", "en")
HERE = Path(__file__).parent / "catalogues"
CHARTS_FILE = HERE / "charts.toml"
MAPS_FILE = HERE / "maps.toml"
# Every text catalogue beside this module, text.toml first: a new file needs no code.
TEXT_FILES = sorted(HERE.glob("text*.toml"), key=lambda p: (p.name != "text.toml", p.name))

FIXED_SHAPES = ("bar", "hbar", "stacked_bar", "stacked_hbar")
CHART_KEYS = {
    "page": str,
    "query": str,
    "name": dict,
    "title": dict,
    "subtitle": dict,
    "shape": str,
    "bars": str,
    "item_labels": str,
    "series_labels": str,
    "facet_labels": str,
    "unit": str,
    "snapshot": bool,
    "skip_null": bool,
    "district_rows": bool,
}
TILE_KEYS = {"indicator": str, "category": str, "ratio": bool, "ratio_part": str, "label": dict}
MAP_KEYS = {
    "query": str,
    "params": dict,
    "unit": str,
    "short": dict,
    "value_label": dict,
    "title": dict,
    "subtitle": dict,
    "note": dict,
}
# What a title or subtitle template may name: sctdash.exhibits.exhibit fills these from the rows.
PLACEHOLDERS = {
    "where",
    "y0",
    "y1",
    "period",
    "years",
    "name",
    "n",
    "total",
    "min",
    "max",
    "top",
    "bottom",
    "top_value",
    "bottom_value",
    "value",
    "first",
    "trend",
    "change",
    "alt",
    "times",
    "ratio",
    "facet_total",
    "sum",
    "n_versions",
}
MAP_PLACEHOLDERS = {"n", "total", "unplaced", "all"}


@dataclass(frozen=True)
class ChartSpec:
    """One chart: its query and words. `shape` is set only for charts of named things; an
    automatic chart of "More figures" has no query (its rows are the indicator's)."""

    id: str
    page: str
    name: dict = field(default_factory=dict)
    query: str | None = None
    title: dict = field(default_factory=dict)
    subtitle: dict = field(default_factory=dict)
    shape: str | None = None
    bars: str | None = None  # "h" or "v": bars' orientation where the rows call for bars
    item_labels: str = "xlabel"
    series_labels: str = "kind"
    facet_labels: str = "xlabel"
    unit: str | None = None
    snapshot: bool = False  # the latest value in view of each item (a scoreboard)
    skip_null: bool = False
    district_rows: bool = False  # a chart of named things filtered by district
    indicator: str | None = None  # an automatic chart's indicator

    @property
    def auto(self) -> bool:
        return self.indicator is not None


@dataclass(frozen=True)
class TileSpec:
    indicator: str
    label: dict
    category: str | None = None
    ratio: bool = False
    ratio_part: str = "achieved"


def _load(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@cache
def text_file(path: Path) -> dict:
    return _load(path)


@cache
def texts() -> dict[str, dict[str, str]]:
    """Every text of the text catalogues, by its dotted key: {"vi": …, "en": …}."""
    flat: dict[str, dict[str, str]] = {}

    def walk(prefix: str, node: dict) -> None:
        if set(node) & set(LANGS) and all(isinstance(v, str) for v in node.values()):
            flat[prefix] = node
            return
        for key, value in node.items():
            walk(f"{prefix}.{key}" if prefix else key, value)

    for path in TEXT_FILES:
        walk("", text_file(path))
    return flat


@cache
def charts_file() -> dict:
    return _load(CHARTS_FILE)


@cache
def maps_file() -> dict:
    return _load(MAPS_FILE)


@cache
def charts() -> dict[str, ChartSpec]:
    """Every curated chart, in the order of charts.toml (the pages' order)."""
    return {cid: ChartSpec(id=cid, **entry) for cid, entry in charts_file().get("charts", {}).items()}


def chart(chart_id: str) -> ChartSpec:
    return charts()[chart_id]


def chart_ids(page: str) -> list[str]:
    return [cid for cid, spec in charts().items() if spec.page == page]


def auto_spec(page: str, indicator: str, names: dict) -> ChartSpec:
    """The automatic chart of an indicator under a page's "More figures"."""
    return ChartSpec(id=f"more.{indicator}", page=page, name=names, item_labels="category", indicator=indicator)


@cache
def tiles(page: str) -> tuple[TileSpec, ...]:
    return tuple(TileSpec(**entry) for entry in charts_file().get("tiles", {}).get(page, []))


def topics(page: str) -> list[str]:
    """The indicator topics whose figures a page shows under "More figures"."""
    return list(charts_file().get("pages", {}).get(page, {}).get("topics", []))


def topic_pages() -> dict[str, str]:
    """Topic → the page that shows it."""
    return {topic: page for page, entry in charts_file().get("pages", {}).items() for topic in entry.get("topics", [])}


def pages() -> list[str]:
    """The pages with charts, in the order of charts.toml (the menu's order)."""
    return list(dict.fromkeys(spec.page for spec in charts().values()))


def meeting_order() -> list[str]:
    return list(charts_file().get("meeting", {}).get("order", []))


def maps() -> dict[str, dict]:
    return {map_id: {"id": map_id, **entry} for map_id, entry in maps_file().get("maps", {}).items()}


def maps_for(page: str) -> list[str]:
    return list(maps_file().get("pages", {}).get(page, []))
