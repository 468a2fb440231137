"""The chart, tile and map catalogues (charts.toml, maps.toml), read once and checked like code.

A chart of charts.toml is a `ChartSpec`: which query feeds it, what its items are called, and
its words in both languages. Its shape is not written here unless it is fixed (a chart of
named things: communes by district, power projects, documents by year): a chart of
observations takes the shape its rows call for (sctdash.exhibit). `check()` lists every
problem of the catalogues: an unknown key, a word missing in a language, a query that does
not exist, a placeholder no row can fill; the server refuses to start on one, and a test
runs it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sctdash import db, words
from sctdash.i18n import LANGS

HERE = Path(__file__).parent
CHARTS_FILE = HERE / "charts.toml"
MAPS_FILE = HERE / "maps.toml"

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
# What a title or subtitle template may name: sctdash.exhibit fills these from the rows.
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


# ------------------------------------------------------------------ checks
def _words_problems(where: str, entry, required: bool = True) -> list[str]:
    if entry is None:
        return [f"{where}: missing"] if required else []
    if not isinstance(entry, dict):
        return [f"{where}: not a {{vi, en}} pair"]
    problems = [f"{where}: no {lang} words" for lang in LANGS if not str(entry.get(lang, "")).strip()]
    problems += [f"{where}: unknown language {k!r}" for k in entry if k not in LANGS]
    return problems


def _keys_problems(where: str, entry: dict, allowed: dict) -> list[str]:
    problems = [f"{where}: unknown key {k!r}" for k in entry if k not in allowed]
    problems += [
        f"{where}.{k}: should be {allowed[k].__name__}, is {type(v).__name__}"
        for k, v in entry.items()
        if k in allowed and not isinstance(v, allowed[k])
    ]
    return problems


def _template_problems(where: str, entry: dict | None, allowed: set[str]) -> list[str]:
    problems = []
    for lang, text in (entry or {}).items():
        unknown = words.placeholders(text) - allowed
        problems += [f"{where}.{lang}: unknown placeholder {{{name}}}" for name in sorted(unknown)]
    if entry and len({frozenset(words.placeholders(text)) for text in entry.values()}) > 1:
        problems.append(f"{where}: the languages name different placeholders")
    return problems


def check() -> list[str]:
    """Every problem of charts.toml and maps.toml; empty when both are sound."""
    problems: list[str] = []
    cf, mf = charts_file(), maps_file()
    problems += [f"charts.toml: unknown table [{k}]" for k in cf if k not in ("charts", "tiles", "pages", "meeting")]
    queries = set(db.query_names())
    known_pages = set(cf.get("pages", {}))
    for cid, entry in cf.get("charts", {}).items():
        where = f"charts.toml [charts.{cid}]"
        problems += _keys_problems(where, entry, CHART_KEYS)
        for key in ("page", "query", "name", "title"):
            if key not in entry:
                problems.append(f"{where}: missing {key}")
        if entry.get("query") and entry["query"] not in queries:
            problems.append(f"{where}: no query named {entry['query']!r} in queries/")
        if entry.get("page") and entry["page"] not in known_pages:
            problems.append(f"{where}: page {entry['page']!r} is not in [pages]")
        if entry.get("shape") and entry["shape"] not in FIXED_SHAPES:
            problems.append(f"{where}: shape must be one of {', '.join(FIXED_SHAPES)}")
        if entry.get("bars") and entry["bars"] not in ("h", "v"):
            problems.append(f"{where}: bars must be 'h' or 'v'")
        for key in ("name", "title", "subtitle"):
            problems += _words_problems(f"{where}.{key}", entry.get(key), required=key != "subtitle")
        for key in ("title", "subtitle"):
            problems += _template_problems(f"{where}.{key}", entry.get(key), PLACEHOLDERS)
    for page, entry in cf.get("pages", {}).items():
        problems += _keys_problems(f"charts.toml [pages.{page}]", entry, {"topics": list})
    for page, entries in cf.get("tiles", {}).items():
        if page not in known_pages:
            problems.append(f"charts.toml [[tiles.{page}]]: page {page!r} is not in [pages]")
        for i, entry in enumerate(entries):
            where = f"charts.toml [[tiles.{page}]] #{i + 1}"
            problems += _keys_problems(where, entry, TILE_KEYS)
            if "indicator" not in entry:
                problems.append(f"{where}: missing indicator")
            problems += _words_problems(f"{where}.label", entry.get("label"))
    meeting = cf.get("meeting", {})
    problems += _keys_problems("charts.toml [meeting]", meeting, {"order": list})
    map_ids = set(mf.get("maps", {}))
    for slide in meeting.get("order", []):
        kind, _, ident = slide.partition(".")
        ok = (kind == "tiles" and ident in cf.get("tiles", {})) or (kind == "map" and ident in map_ids)
        ok = ok or slide in cf.get("charts", {})
        if not ok:
            problems.append(f"charts.toml [meeting]: {slide!r} is no chart, map or tile group")
    problems += [f"maps.toml: unknown table [{k}]" for k in mf if k not in ("maps", "pages")]
    for page, ids in mf.get("pages", {}).items():
        problems += [f"maps.toml [pages] {page}: no map named {i!r}" for i in ids if i not in map_ids]
    for map_id, entry in mf.get("maps", {}).items():
        where = f"maps.toml [maps.{map_id}]"
        problems += _keys_problems(where, entry, MAP_KEYS)
        if entry.get("query") not in queries:
            problems.append(f"{where}: no query named {entry.get('query')!r} in queries/")
        for key in ("short", "value_label", "title", "subtitle", "note"):
            problems += _words_problems(f"{where}.{key}", entry.get(key))
        for key in ("title", "note"):
            problems += _template_problems(f"{where}.{key}", entry.get(key), MAP_PLACEHOLDERS)
    return problems
