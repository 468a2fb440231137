"""The district map: the 13 district-level units of 2020 as a tile map, and a comparison chart.

No boundary polygons: no package ships them and none may be drawn by hand. Each unit is a
tile on a small grid, placed as near as the grid allows to its real centre point
(data/districts.csv, from vietnamadminunits), so the map keeps the province's shape — the
mountains in the west, the coast in the east, Lý Sơn off shore. A unit merged into another
(Tây Trà into Trà Bồng on 01/02/2020) is a small tile beside the unit it joined, linked to it.

A map is a `MapView` built from one map query's rows (`view`); the page's figure, the 16:9
image (sctdash.drawing.map_figures) and the slide's native shapes (sctdash.exports.slides) all draw that one
view. The grid and the colour classes are sctdash.exhibits.tile_grid's. The maps
are the curated ones of maps.toml (named things: communes, power projects, facilities) and one
for every indicator with district rows in the chosen years (`indicator_maps`), coloured by its
latest value or by its change over the years, in classes taken from the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from sctdash.core import catalogue, colours, fmt
from sctdash.core.i18n import label, t
from sctdash.exhibits import phrases, revisions
from sctdash.exhibits.exhibit import Setting
from sctdash.exhibits.filters import Filters, Query
from sctdash.exhibits.tile_grid import (
    COLS,
    DECREASE,
    NO_DATA_BORDER,
    NO_DATA_FILL,
    NO_DATA_TEXT,
    ROWS,
    SELECTED_BORDER,
    SEQUENTIAL,
    TILE_BORDER,
    Classes,
    classes,
    legend_items,
    merged_cell,
    nice_step,
    tile_layout,
)

IND_PREFIX = "ind."
# More units than this (the 96 communes of 2025) are dots at their centre points, not tiles: a
# tile of 96 would not hold a name on a projector. The dots keep the map's width in DOT_COLS.
TILES_AT_MOST = 30
DOT_COLS = 9


def dot_layout(units: pd.DataFrame, cols: int = DOT_COLS) -> dict[str, tuple[float, float]]:
    """Each unit's centre point on a plane `cols` wide, north up, east right (longitude shrunk
    by the cosine of the latitude): where its dot is drawn."""
    lats = [float(v) for v in units["center_lat"]]
    lons = [float(v) for v in units["center_lon"]]
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    xs = [lon * shrink for lon in lons]
    scale = (cols - 1) / ((max(xs) - min(xs)) or 1.0)
    return {
        str(code): ((x - min(xs)) * scale, (max(lats) - lat) * scale)
        for code, x, lat in zip(units["area_code"], xs, lats, strict=True)
    }


# ------------------------------------------------------------------ specs
def maps_for(page: str) -> list[str]:
    return catalogue.maps_for(page)


def all_maps() -> list[str]:
    return list(catalogue.maps())


def spec(map_id: str) -> dict:
    return catalogue.maps()[map_id]


def indicator_map_id(indicator: str, category: str, mode: str = "latest") -> str:
    return f"{IND_PREFIX}{indicator}.{category}.{mode}"


def indicator_maps(query: Query, filters: Filters, topics: list[str] | None = None) -> list[dict]:
    """A map spec for every indicator with rows for the 2020 units in the chosen years
    (queries/map_indicators.sql), of `topics` (all when None)."""
    options = query("map_indicators", year_from=filters.year_from, year_to=filters.year_to)
    out = []
    for r in phrases.records(options):
        if topics is not None and r["topic"] not in topics:
            continue
        out.append(_indicator_spec(r, "latest"))
    return out


def _indicator_spec(row: dict, mode: str) -> dict:
    category = "" if row["category"] == "total" else f" · {label('category', row['category'], 'vi')}"
    category_en = "" if row["category"] == "total" else f" · {label('category', row['category'], 'en')}"
    return {
        "id": indicator_map_id(row["indicator_id"], row["category"], mode),
        "query": "map_indicator",
        "params": {"indicator": row["indicator_id"], "category": row["category"]},
        "unit": row["unit"],
        "short": {"vi": f"{row['name_vi']}{category}", "en": f"{row['name_en']}{category_en}"},
        "indicator": row["indicator_id"],
        "category": row["category"],
        "mode": mode,
        "first_year": int(row["first_year"]),
        "last_year": int(row["last_year"]),
    }


def with_mode(map_spec: dict, mode: str) -> dict:
    """An indicator map's spec showing the latest value or the change over the years."""
    return {**map_spec, "mode": mode, "id": indicator_map_id(map_spec["indicator"], map_spec["category"], mode)}


def rows(query: Query, map_spec: dict | str, filters: Filters | None = None) -> pd.DataFrame:
    """One map's rows: its query run with the map's own parameters (and the chosen years for
    an indicator's map)."""
    map_spec = spec(map_spec) if isinstance(map_spec, str) else map_spec
    params = dict(map_spec.get("params", {}))
    if map_spec["query"] == "map_indicator":
        filters = filters or Filters((), 1900, 2100)
        params.update(year_from=filters.year_from, year_to=filters.year_to)
    return query(map_spec["query"], **params)


# ------------------------------------------------------------------ the view
@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    col: float  # a grid cell's column (a dot's place on a map of points, in the same units)
    row: float
    text: str  # the value's words: “14 xã”, “không có số liệu”
    fill: str
    ink: str
    border: str
    border_width: float
    dash: str
    hover: str
    has_data: bool


@dataclass(frozen=True)
class MergedTile:
    col: int
    row: int
    text: str


@dataclass(frozen=True)
class MapView:
    """A district map as every output draws it (frozen: the app's cache hands one to every
    session)."""

    id: str
    lang: str
    title: str
    subtitle: str
    footnotes: tuple[str, ...]  # note, sources (exports add the department and the date)
    tiles: tuple[Tile, ...]
    merged: tuple[MergedTile, ...]
    legend: tuple[tuple[str, str], ...]
    rows: pd.DataFrame
    short: str
    years: tuple[int, int] | None = None
    selected: tuple[str, ...] = ()
    cols: int = COLS
    grid_rows: int = ROWS
    extra: dict = field(default_factory=dict)
    points: bool = False  # the units as dots at their centre points (the 96 communes), not tiles


def value_text(row, map_spec: dict, lang: str) -> str:
    """The value label of one tile: “14 xã”, “19,2 MWp”, “60 MW chung*” (a project
    of two districts whose split no source states: counted once, in neither tile's value);
    “no data” when it has neither."""
    shared = row.get("shared_value")
    shared = shared if shared is not None and pd.notna(shared) else None
    if pd.isna(row.get("value")) and shared is None:
        return t("map.no_data", lang)
    dec = int(row.get("decimals", 0) or 0)
    if map_spec.get("query") == "map_indicator":
        if map_spec.get("mode") == "change":
            return _change_text(row, lang)
        return phrases.value_text(row["value"], dec, row.get("unit", ""), "reported", lang)
    parts = (
        [map_spec["value_label"][lang].format(value=fmt.number(row["value"], dec, lang))]
        if pd.notna(row["value"])
        else []
    )
    if shared is not None:
        value = map_spec["value_label"][lang].format(value=fmt.number(shared, dec, lang))
        parts.append(t("map.shared", lang, value=value))  # the note under the map says what * means
    return " + ".join(parts)


def has_figure(df: pd.DataFrame) -> pd.Series:
    """The rows with a figure of their own or a share in a project of several districts."""
    known = df["value"].notna()
    return known | df["shared_value"].notna() if "shared_value" in df else known


def change_of(row) -> float | None:
    """A district's change from its first value in view to its latest (map_indicator.sql gives
    both), by the rule every “from … to …” follows (phrases.first_and_latest): none within
    one year."""
    if pd.isna(row.get("value")) or pd.isna(row.get("first_value")):
        return None
    first, latest = phrases.first_and_latest(
        [
            {"year_from": row["first_year"], "year_to": row["first_year"], "value": row["first_value"]},
            {"year_from": row["value_year"], "year_to": row["value_year"], "value": row["value"]},
        ]
    )
    return None if first is None else float(latest["value"]) - float(first["value"])


def _change_text(row, lang: str) -> str:
    change = change_of(row)
    if change is None:
        return t("map.no_change", lang)
    dec = int(row.get("decimals", 0) or 0)
    if row.get("unit") == "pct":  # a change of a share is in percentage points
        text = t("map.points", lang, value=fmt.number(change, dec, lang))
    else:
        text = phrases.value_text(change, dec, row.get("unit", ""), "reported", lang)
    return "+" + text if change > 0 else text.replace("-", "−", 1)


def totals(df: pd.DataFrame, lang: str = "vi") -> dict[str, str]:
    """{n} districts with a figure; {total}: a map query's `placed_total` where it gives one
    (a project of several districts counted once), else the sum of the tiles."""
    known = df[has_figure(df)]
    extra = int(df["unplaced"].max()) if "unplaced" in df and len(df) else 0
    if "placed_total" in df and df["placed_total"].notna().any():
        total = float(df["placed_total"].max())
    else:
        total = float(known["value"].sum()) if len(known) else 0.0
    dec = int(df["decimals"].max()) if "decimals" in df and len(df) else 0
    return {
        "n": str(len(known)),
        "total": fmt.number(total, dec, lang),
        "unplaced": str(extra),
        "all": fmt.number(total + extra, dec, lang),
    }


def merged_text(row, lang: str) -> str:
    """“Trà Bồng (+ Tây Trà, từ 01/02/2020)”, or the name alone."""
    if isinstance(row.get("merged_vi"), str) and row["merged_vi"]:
        when = fmt.date(row["merged_on"]) if pd.notna(row.get("merged_on")) else ""
        return t("map.merged_name", lang, name=row["name_vi"], merged=row["merged_vi"], date=when)
    return row["name_vi"]


def _display_name(row, lang: str) -> str:
    return t("area.city", lang, name=row["name_vi"]) if row.get("unit_type") == "thanh_pho" else row["name_vi"]


def _revised(row: dict, map_spec: dict, setting: Setting) -> list[str]:
    """A tile's latest value revised by an import, in words (a year's figure: the map's rows give
    the year of the value, not a period's first year)."""
    if not setting.revisions:
        return []
    year = int(row["value_year"])
    figure = {
        **row,
        "indicator_id": map_spec.get("indicator"),
        "category": map_spec.get("category"),
        "year_from": year,
        "year_to": year,
    }
    return revisions.tile_words([figure], setting.revisions, setting.names, setting.lang)


def view(df: pd.DataFrame, map_spec: dict, setting: Setting, selected: tuple[str, ...] = ()) -> MapView:
    """The map of one map query's rows under the setting's filters."""
    lang = setting.lang
    indicator = map_spec.get("query") == "map_indicator"
    mode = map_spec.get("mode", "latest")
    df = df.copy()
    if indicator and mode == "change":
        df["value_shown"] = [change_of(r) for r in phrases.records(df)]
    else:
        df["value_shown"] = df["value"]
    shown = [v for v in df["value_shown"] if v is not None and not pd.isna(v)]
    signed = indicator and mode == "change"
    if signed and shown and min(shown) < 0 < max(shown):
        span = max(abs(v) for v in shown)
        step = nice_step(span, 4)
        cls_up = Classes(0.0, step, math.ceil(span / step), tuple(SEQUENTIAL[1:]), map_spec.get("unit") == "count")
        cls_down = Classes(0.0, step, math.ceil(span / step), tuple(DECREASE), map_spec.get("unit") == "count")
    else:
        cls_up = classes(
            [abs(v) for v in shown] if signed else shown,
            map_spec.get("unit", ""),
            zero_based=not indicator or signed,
        )
        cls_down = Classes(cls_up.start, cls_up.step, min(cls_up.n, len(DECREASE)), tuple(DECREASE), cls_up.whole)
    points = len(df) > TILES_AT_MOST
    cells = dot_layout(df) if points else tile_layout(df)
    cols, grid_rows = (DOT_COLS, max(1, math.ceil(max(r for _, r in cells.values()) + 0.5))) if points else (COLS, ROWS)
    tiles, merged = [], []
    for row in phrases.records(df):
        code = str(row["area_code"])
        col, r = cells[code]
        v = row["value_shown"]
        has = v is not None and not pd.isna(v)
        fill = NO_DATA_FILL
        if has:
            fill = (cls_down.fill(abs(v)) if signed and v < 0 else cls_up.fill(abs(v) if signed else v)) or NO_DATA_FILL
        ink = colours.text_on(fill) if has else NO_DATA_TEXT
        chosen = code in selected
        border, width, dash = (
            (SELECTED_BORDER, 5, "solid")
            if chosen
            else (NO_DATA_BORDER, 1.5, "dot")
            if not has
            else (TILE_BORDER, 2, "solid")
        )
        text = value_text(row, map_spec, lang) if not (signed and not has) else t("map.no_data", lang)
        hover = f"{merged_text(row, lang)}: {text}"
        if indicator and has and mode == "latest" and pd.notna(row.get("value_year")):
            hover += f" ({int(row['value_year'])})"
            hover += "".join(f" · {w}" for w in _revised(row, map_spec, setting))
        if indicator and has and mode == "change":
            hover += f" ({int(row['first_year'])}→{int(row['value_year'])})"
        shared = bool(pd.notna(row.get("shared_value")))  # a share in a project of two districts: said, not coloured
        # On the map the city's tile needs no “TP”: it sits among the districts (and must fit).
        tiles.append(Tile(code, row["name_vi"], col, r, text, fill, ink, border, width, dash, hover, has or shared))
        if not points and isinstance(row.get("merged_vi"), str) and row["merged_vi"]:
            host = (int(cells[code][0]), int(cells[code][1]))  # a grid cell: tiles only
            spot = merged_cell(host, {(int(c), int(r)) for c, r in cells.values()})
            if spot is not None:
                when = fmt.date(row["merged_on"]) if pd.notna(row.get("merged_on")) else ""
                merged.append(
                    MergedTile(
                        spot[0],
                        spot[1],
                        t("map.merged_tile", lang, merged=row["merged_vi"], name=row["name_vi"], date=when),
                    )
                )
    legend = legend_items(cls_up, lang, signed)
    if signed and shown and min(shown) < 0:
        legend = legend[:-1] + [(c, "−" + w.lstrip("+")) for c, w in legend_items(cls_down, lang)[:-1]] + legend[-1:]
    years = None
    if indicator and df["value_year"].notna().any():
        years = (int(df["first_year"].dropna().min()), int(df["value_year"].dropna().max()))
    title, subtitle, note = _words(df, map_spec, setting, years)
    sources = _source_line(df, setting, lang)
    filters_line = phrases.filters_text(setting.filters.districts, years, setting.names, lang)
    return MapView(
        id=map_spec["id"],
        lang=lang,
        title=title,
        subtitle=" · ".join(x for x in (subtitle, filters_line) if x),
        footnotes=tuple(x for x in (note, sources) if x),
        tiles=tuple(tiles),
        merged=tuple(merged),
        legend=tuple(legend),
        rows=df.drop(columns=["value_shown"]),
        short=map_spec["short"][lang],
        years=years,
        selected=tuple(selected),
        cols=cols,
        grid_rows=grid_rows,
        points=points,
    )


def _words(df: pd.DataFrame, map_spec: dict, setting: Setting, years) -> tuple[str, str, str]:
    lang = setting.lang
    if map_spec.get("query") != "map_indicator":
        values = totals(df, lang)
        return (
            map_spec["title"][lang].format_map(values),
            map_spec["subtitle"][lang],
            map_spec["note"][lang].format_map(values),
        )
    name = map_spec["short"][lang]
    known = df[df["value"].notna()]
    unit_words = label("unit", map_spec.get("unit", ""), lang)
    codes = set(df["area_code"].astype(str))
    communes = any(len(c) == 5 for c in codes)
    kon_tum = any(c.startswith("6") for c in codes)  # the former Kon Tum's districts (601–618)
    note = t("map.indicator_note_communes" if communes else "map.indicator_note", lang)
    if map_spec.get("mode") == "change":
        changes = [(r["area_code"], change_of(r), r) for r in phrases.records(known) if change_of(r) is not None]
        if not changes:
            return t("map.title_change_none", lang, name=name), unit_words, note
        top = max(changes, key=lambda c: c[1])
        bottom = min(changes, key=lambda c: c[1])
        return (
            t(
                "map.title_change",
                lang,
                name=name,
                y0=years[0],
                y1=years[1],
                top=_name(top[2], lang),
                top_value=_change_text(top[2], lang),
                bottom=_name(bottom[2], lang),
                bottom_value=_change_text(bottom[2], lang),
            ),
            t("map.subtitle_change", lang, unit=unit_words),
            note,
        )
    if known.empty:
        return name, unit_words, note
    y = int(known["value_year"].max())
    top = known.sort_values("value").iloc[-1]
    bottom = known.sort_values("value").iloc[0]
    value = lambda r: phrases.value_text(r["value"], int(r["decimals"]), r["unit"], "reported", lang)  # noqa: E731
    latest_key = (
        "map.subtitle_latest_communes"
        if communes
        else "map.subtitle_latest_districts"
        if kon_tum
        else "map.subtitle_latest"
    )
    title = t(
        "map.title_latest",
        lang,
        name=name,
        year=y,
        top=_name(top, lang),
        top_value=value(top),
        bottom=_name(bottom, lang),
        bottom_value=value(bottom),
    )
    older = known[known["value_year"] < y]
    if len(older):
        note = (
            t(
                "map.older_years",
                lang,
                names=", ".join(f"{_name(r, lang)} ({int(r['value_year'])})" for r in phrases.records(older)),
            )
            + " "
            + note
        )
    return title, t(latest_key, lang, unit=unit_words), note


def _name(row, lang: str) -> str:
    return _display_name(row, lang)


def _source_line(df: pd.DataFrame, setting: Setting, lang: str) -> str:
    """The sources of the map's figures; where a map places its rows by other sources (power
    projects: capacity from the report, site from power_project_locations.csv) those too."""
    line = phrases.source_line(df[df["value"].notna()], setting.sources, lang)
    if "location_source_ids" in df:
        ids = {i for v in df["location_source_ids"].dropna() for i in str(v).split(",")} - set(df["source_id"].dropna())
        names = phrases.source_names(pd.DataFrame({"source_id": sorted(ids)}), setting.sources, lang)
        if names:
            line += ". " + t("map.location_sources", lang, sources="; ".join(names))
    return line
