"""The district map: the 13 district-level units of 2020 as a tile map, and a comparison chart.

No boundary polygons: no package ships them and none may be drawn by hand. Each unit is a
tile on a small grid, placed as near as the grid allows to its real centre point
(data/districts.csv, from vietnamadminunits), so the map keeps the province's shape — the
mountains in the west, the coast in the east, Lý Sơn off shore. A unit merged into another
(Tây Trà into Trà Bồng on 01/02/2020) is a small tile beside the unit it joined, linked to it.

A map is a `MapView` built from one map query's rows (`view`); the page's figure (`figure`),
the 16:9 image and the slide's native shapes (sctdash.slides) all draw that one view. The maps
are the curated ones of maps.toml (named things: communes, power projects, facilities) and one
for every indicator with district rows in the chosen years (`indicator_maps`), coloured by its
latest value or by its change over the years, in classes taken from the data.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from sctdash import catalogue, colours, fmt, words
from sctdash.exhibit import Setting
from sctdash.filters import Filters, Query
from sctdash.i18n import label, t

# ColorBrewer "Blues" (7-class, the lightest dropped so that no value looks like the white
# "no data" tile on a washed-out projector; the second darkened from #9ECAE1 to #94C4DF so
# each step is at least 7 L* for protanopes too): one hue, ordered by lightness, so it reads
# the same for colour-blind viewers (tests/test_colours.py checks that under simulation).
SEQUENTIAL = ["#C6DBEF", "#94C4DF", "#6BAED6", "#2171B5", "#084594"]
# A fall is drawn in oranges (ColorBrewer "Oranges", lightest to darkest), a rise in SEQUENTIAL.
DECREASE = ["#FDD0A2", "#FDAE6B", "#F16913", "#A63603"]
NO_DATA_FILL = "#FFFFFF"
NO_DATA_TEXT = "#4D4D4D"
NO_DATA_BORDER = "#767676"
TILE_BORDER = "#FFFFFF"
SELECTED_BORDER = "#000000"
MERGED_FILL = "#F2F2F2"
COLS, ROWS = 5, 5
TILE_W, TILE_H = 0.94, 0.88
TEXT_COLOUR = colours.DARK_TEXT
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
IND_PREFIX = "ind."


# ------------------------------------------------------------------ specs
def catalogue_maps() -> dict[str, dict]:
    return catalogue.maps()


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
    for r in words.records(options):
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


# ------------------------------------------------------------------ layout
def tile_layout(units: pd.DataFrame, cols: int = COLS, rows: int = ROWS) -> dict[str, tuple[int, int]]:
    """Grid cell (column, row from the top) of each unit, as near its centre point as can be.

    The centre points are scaled onto the grid; each unit takes the free cell nearest its
    point (the units nearest a cell first), then pairs swap and units move to free cells while
    that lowers the total squared distance. Deterministic for the same points.
    """
    while len(units) > cols * rows:  # more units than the province has: grow the grid
        cols, rows = cols + 1, rows + 1
    lat = units["center_lat"].astype(float)
    lon = units["center_lon"].astype(float) * math.cos(math.radians(float(lat.mean())))
    span_x = (lon.max() - lon.min()) or 1.0
    span_y = (lat.max() - lat.min()) or 1.0
    pts = {
        str(code): ((x - lon.min()) / span_x * (cols - 1), (lat.max() - y) / span_y * (rows - 1))
        for code, x, y in zip(units["area_code"], lon, lat)
    }
    cells = [(c, r) for r in range(rows) for c in range(cols)]

    def cost(point, canvas):
        return (point[0] - canvas[0]) ** 2 + (point[1] - canvas[1]) ** 2

    assign: dict[str, tuple[int, int]] = {}
    for code in sorted(pts, key=lambda k: (min(cost(pts[k], c) for c in cells), k)):
        taken = set(assign.values())
        assign[code] = min((c for c in cells if c not in taken), key=lambda c: (cost(pts[code], c), c))
    improved = True
    while improved:
        improved = False
        for a, b in itertools.combinations(sorted(assign), 2):
            ca, cb = assign[a], assign[b]
            if cost(pts[a], cb) + cost(pts[b], ca) < cost(pts[a], ca) + cost(pts[b], cb) - 1e-9:
                assign[a], assign[b] = cb, ca
                improved = True
        for a in sorted(assign):
            taken = set(assign.values())
            for c in cells:
                if c not in taken and cost(pts[a], c) < cost(pts[a], assign[a]) - 1e-9:
                    assign[a] = c
                    taken = set(assign.values())
                    improved = True
    return assign


def merged_cell(host: tuple[int, int], taken: set, cols: int = COLS, rows: int = ROWS) -> tuple[int, int] | None:
    """A free cell beside the host tile for a merged unit: west first (Tây Trà, “west Trà”,
    lay west of Trà Bồng), then the other neighbours."""
    c, r = host
    for dc, dr in ((-1, 0), (-1, -1), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 1), (1, 0)):
        cell = (c + dc, r + dr)
        if 0 <= cell[0] < cols and 0 <= cell[1] < rows and cell not in taken:
            return cell
    return None


# ------------------------------------------------------------------ colour classes
def nice_step(vmax: float, classes: int = len(SEQUENTIAL)) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that splits (0, vmax] into at most `classes`."""
    if not vmax or vmax <= 0:
        return 1.0
    raw = vmax / classes
    k = 10 ** math.floor(math.log10(raw))
    return next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= raw)


@dataclass(frozen=True)
class Classes:
    """Colour classes: `start` + i·`step` up to `stop`, in `palette`; `whole` for counts."""

    start: float
    step: float
    n: int
    palette: tuple[str, ...]
    whole: bool

    def index(self, value) -> int | None:
        if value is None or pd.isna(value):
            return None
        i = math.ceil((float(value) - self.start) / self.step) - 1
        if self.whole and self.step == 1:
            i = int(float(value) - self.start) - 1
        return min(self.n - 1, max(0, i))

    def fill(self, value) -> str | None:
        i = self.index(value)
        return None if i is None else self.palette[i]


def classes(values: list[float], unit: str, zero_based: bool, palette: list[str] = SEQUENTIAL) -> Classes:
    """Classes from the data: from zero for counts of named things (the curated maps), from
    just below the smallest value otherwise (shares near 100 % still differ in colour)."""
    whole = unit == "count"
    values = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not values:
        return Classes(0.0, 1.0, 1, tuple(palette), whole)
    lo, hi = min(values), max(values)
    if zero_based or lo <= 0:
        start = 0.0 if lo >= 0 else lo
        step = nice_step(hi - start, len(palette))
    else:
        step = nice_step(hi - lo, len(palette)) if hi > lo else (nice_step(hi, len(palette)) if hi else 1.0)
        start = math.floor(lo / step) * step
        if start == lo:
            start -= step
    if whole:
        step = max(1.0, math.ceil(step))
        start = math.floor(start)
    n = max(1, min(len(palette), math.ceil((hi - start) / step - 1e-9)))
    return Classes(start, step, n, tuple(palette[:n] if n < len(palette) and not zero_based else palette), whole)


def legend_items(cls: Classes, lang: str, signed: bool = False) -> list[tuple[str, str]]:
    """(colour, words) of each colour class in use, and of “no data”."""
    dec = 0 if cls.whole or float(cls.step).is_integer() else 1
    items = []
    for i in range(cls.n):
        low, high = cls.start + i * cls.step, cls.start + (i + 1) * cls.step
        if cls.whole and float(cls.step).is_integer():
            a, b = low + 1, high
            words_ = _num(a, 0, lang, signed) if a == b else f"{_num(a, 0, lang, signed)}–{_num(b, 0, lang, signed)}"
        else:
            words_ = f"{_num(low, dec, lang, signed)}–{_num(high, dec, lang, signed)}"
        items.append((cls.palette[i], words_))
    items.append((NO_DATA_FILL, t("map.no_data", lang)))
    return items


def _num(value: float, dec: int, lang: str, signed: bool) -> str:
    text = fmt.number(value, dec, lang)
    return f"+{text}" if signed and value > 0 else text


# ------------------------------------------------------------------ the view
@dataclass
class Tile:
    code: str
    name: str
    col: int
    row: int
    text: str  # the value's words: “14 xã”, “không có số liệu”
    fill: str
    ink: str
    border: str
    border_width: float
    dash: str
    hover: str
    has_data: bool


@dataclass
class MergedTile:
    col: int
    row: int
    text: str


@dataclass
class MapView:
    """A district map as every output draws it."""

    id: str
    lang: str
    title: str
    subtitle: str
    footnotes: list[str]  # note, sources (exports add the department and the date)
    tiles: list[Tile]
    merged: list[MergedTile]
    legend: list[tuple[str, str]]
    rows: pd.DataFrame
    short: str
    years: tuple[int, int] | None = None
    selected: tuple[str, ...] = ()
    cols: int = COLS
    grid_rows: int = ROWS
    extra: dict = field(default_factory=dict)


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
        return words.value_text(row["value"], dec, row.get("unit", ""), "reported", lang)
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


def _change(row) -> float | None:
    if pd.isna(row.get("value")) or pd.isna(row.get("first_value")) or row.get("first_year") == row.get("value_year"):
        return None
    return float(row["value"]) - float(row["first_value"])


def _change_text(row, lang: str) -> str:
    change = _change(row)
    if change is None:
        return t("map.no_change", lang)
    dec = int(row.get("decimals", 0) or 0)
    if row.get("unit") == "pct":  # a change of a share is in percentage points
        text = t("map.points", lang, value=fmt.number(change, dec, lang))
    else:
        text = words.value_text(change, dec, row.get("unit", ""), "reported", lang)
    return "+" + text if change > 0 else text.replace("-", "−", 1)


def summary(df: pd.DataFrame, lang: str = "vi") -> dict[str, str]:
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


def view(df: pd.DataFrame, map_spec: dict, setting: Setting, selected: tuple[str, ...] = ()) -> MapView:
    """The map of one map query's rows under the setting's filters."""
    lang = setting.lang
    indicator = map_spec.get("query") == "map_indicator"
    mode = map_spec.get("mode", "latest")
    df = df.copy()
    if indicator and mode == "change":
        df["value_shown"] = [_change(r) for r in words.records(df)]
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
    cells = tile_layout(df)
    tiles, merged = [], []
    for row in words.records(df):
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
        if indicator and has and mode == "change":
            hover += f" ({int(row['first_year'])}→{int(row['value_year'])})"
        shared = pd.notna(row.get("shared_value"))  # a share in a project of two districts: said, not coloured
        # On the map the city's tile needs no “TP”: it sits among the districts (and must fit).
        tiles.append(Tile(code, row["name_vi"], col, r, text, fill, ink, border, width, dash, hover, has or shared))
        if isinstance(row.get("merged_vi"), str) and row["merged_vi"]:
            spot = merged_cell(cells[code], set(cells.values()))
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
    filters_line = words.filters_text(setting.filters.districts, years, setting.names, lang)
    return MapView(
        id=map_spec["id"],
        lang=lang,
        title=title,
        subtitle=" · ".join(x for x in (subtitle, filters_line) if x),
        footnotes=[x for x in (note, sources) if x],
        tiles=tiles,
        merged=merged,
        legend=legend,
        rows=df.drop(columns=["value_shown"]),
        short=map_spec["short"][lang],
        years=years,
        selected=tuple(selected),
    )


def _words(df: pd.DataFrame, map_spec: dict, setting: Setting, years) -> tuple[str, str, str]:
    lang = setting.lang
    if map_spec.get("query") != "map_indicator":
        values = summary(df, lang)
        return (
            map_spec["title"][lang].format_map(values),
            map_spec["subtitle"][lang],
            map_spec["note"][lang].format_map(values),
        )
    name = map_spec["short"][lang]
    known = df[df["value"].notna()]
    unit_words = label("unit", map_spec.get("unit", ""), lang)
    note = t("map.indicator_note", lang)
    if map_spec.get("mode") == "change":
        changes = [(r["area_code"], _change(r), r) for r in words.records(known) if _change(r) is not None]
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
    value = lambda r: words.value_text(r["value"], int(r["decimals"]), r["unit"], "reported", lang)  # noqa: E731
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
                names=", ".join(f"{_name(r, lang)} ({int(r['value_year'])})" for r in words.records(older)),
            )
            + " "
            + note
        )
    return title, t("map.subtitle_latest", lang, unit=unit_words), note


def _name(row, lang: str) -> str:
    return _display_name(row, lang)


def _source_line(df: pd.DataFrame, setting: Setting, lang: str) -> str:
    """The sources of the map's figures; where a map places its rows by other sources (power
    projects: capacity from the report, site from power_project_locations.csv) those too."""
    line = words.source_line(df[df["value"].notna()], setting.sources, lang)
    if "location_source_ids" in df:
        ids = {i for v in df["location_source_ids"].dropna() for i in str(v).split(",")} - set(df["source_id"].dropna())
        names = words.source_names(pd.DataFrame({"source_id": sorted(ids)}), setting.sources, lang)
        if names:
            line += ". " + t("map.location_sources", lang, sources="; ".join(names))
    return line


# ------------------------------------------------------------------ figures
def figure(
    map_view: MapView,
    scale: float = 1.0,
    interactive: bool = True,
    words_: bool = True,
    stamp: str = "",
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """The tile map drawn; `interactive`: one clickable marker per tile carrying its code (a
    click names the district), and the words on how to use it; `words_` False: tiles and
    legend only (a slide carries the words); width/height: a fixed image."""
    shapes, annotations = [], []
    name_size, value_size = round(15 * scale), round(17 * scale)
    xs, ys, codes, hover = [], [], [], []
    for tile in map_view.tiles:
        x, y = tile.col, -tile.row
        shapes.append(_rect(x, y, TILE_W, TILE_H, tile.fill, tile.border, tile.border_width, tile.dash))
        size = value_size if tile.has_data else name_size - 2
        annotations.append(
            {
                "x": x,
                "y": y,
                "text": f"<b>{tile.name}</b><br><span style='font-size:{size}px'>{tile.text}</span>",
                "showarrow": False,
                "font": {"size": name_size, "color": tile.ink, "family": FONT},
                "align": "center",
            }
        )
        xs.append(x)
        ys.append(y)
        codes.append(tile.code)
        hover.append(tile.hover)
    for m in map_view.merged:
        shapes.append(_rect(m.col, -m.row, TILE_W, TILE_H, MERGED_FILL, NO_DATA_BORDER, 1.5, "dash"))
        annotations.append(
            {
                "x": m.col,
                "y": -m.row,
                "text": m.text,
                "showarrow": False,
                "font": {"size": round(13 * scale), "color": TEXT_COLOUR, "family": FONT},
                "align": "center",
            }
        )
    points = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "markers",
        "marker": {
            "size": 46 * scale,
            "symbol": "square",
            "color": [t_.fill for t_ in map_view.tiles],
            "opacity": 0.01,
        },
        "customdata": codes,
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "selected": {"marker": {"opacity": 0.01}},
        "unselected": {"marker": {"opacity": 0.01}},
        "showlegend": False,
    }
    x0 = map_view.cols - 0.35
    for i, (colour, text) in enumerate(map_view.legend):
        y = -0.15 - i * 0.42
        shapes.append(
            {
                "type": "rect",
                "x0": x0,
                "x1": x0 + 0.28,
                "y0": y - 0.16,
                "y1": y + 0.16,
                "fillcolor": colour,
                "line": {"color": NO_DATA_BORDER, "width": 1, "dash": "dot" if colour == NO_DATA_FILL else "solid"},
            }
        )
        annotations.append(
            {
                "x": x0 + 0.36,
                "y": y,
                "text": text,
                "xanchor": "left",
                "showarrow": False,
                "font": {"size": round(14 * scale), "color": TEXT_COLOUR, "family": FONT},
            }
        )
    footer = []
    if words_:
        texts = list(map_view.footnotes) + ([stamp] if stamp else [])
        if interactive:
            texts.insert(1, t("map.how_to", map_view.lang))
        chars = int(((width or 880) - 20) / (13 * scale * 0.52))
        footer = [line for text in texts for line in _wrap(text, chars)]
        annotations.append(
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -12,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "showarrow": False,
                "text": "<br>".join(footer),
                "font": {"size": round(13 * scale), "color": "#333333"},
            }
        )
    title = None
    top = 4
    if words_:
        chars = int(((width or 880) - 20) / (20 * scale * 0.52))
        title_lines = _wrap(map_view.title, chars)
        sub_lines = _wrap(map_view.subtitle, int(chars * 20 / 15))
        title = {
            "text": "<br>".join(title_lines)
            + f"<br><span style='font-size:{round(15 * scale)}px;color:{colours.GREY_TEXT}'>{'<br>'.join(sub_lines)}</span>",
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": round(8 * scale + 20 * scale * 1.05)},
            "font": {"size": round(20 * scale), "color": TEXT_COLOUR},
        }
        top = round((20 * 1.3 * len(title_lines) + 15 * 1.35 * len(sub_lines) + 26) * scale)
    bottom = round(20 + 19 * len(footer) * scale) if footer else 4
    xrange, yrange = [-0.6, map_view.cols + 1.3], [-(map_view.grid_rows - 1) - 0.55, 0.55]
    layout = {
        "shapes": shapes,
        "annotations": annotations,
        "xaxis": {"visible": False, "range": xrange, "fixedrange": True},
        "yaxis": {"visible": False, "range": yrange, "fixedrange": True},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"family": FONT, "color": TEXT_COLOUR},
        "margin": {"l": 10, "r": 10, "t": top, "b": bottom},
        "height": height or round(top + 400 * scale + bottom),
        "dragmode": False,
        "clickmode": "event+select" if interactive else "none",
        "hoverlabel": {"font": {"size": round(15 * scale)}},
        "separators": fmt.plotly_separators(map_view.lang),
    }
    if title:
        layout["title"] = title
    if width:
        layout.update(width=width, autosize=False)
    if width and height:
        # Tiles no taller than TILE_ASPECT of their width, and as wide as the image allows: a
        # short picture (a long footnote under it) still gives “không có số liệu” its room.
        per_x = (width - 20) / (xrange[1] - xrange[0])
        per_y = (height - top - bottom) / (yrange[1] - yrange[0])
        layout["xaxis"]["constrain"] = "domain"
        layout["yaxis"].update(scaleanchor="x", scaleratio=min(TILE_ASPECT, per_y / per_x), constrain="domain")
    # a plain dict, built whole: the figure skips Plotly's validation, which costs more than drawing
    return go.Figure([points], layout, _validate=False)


TILE_ASPECT = 0.45  # a tile's height per unit of its width on an image: room for “không có số liệu”


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _rect(
    centre_x: float,
    centre_y: float,
    across: float,
    tall: float,
    fill: str,
    line: str,
    line_width: float,
    dash: str = "solid",
) -> dict:
    return {
        "type": "rect",
        "x0": centre_x - across / 2,
        "x1": centre_x + across / 2,
        "y0": centre_y - tall / 2,
        "y1": centre_y + tall / 2,
        "fillcolor": fill,
        "line": {"color": line, "width": line_width, "dash": dash},
        "layer": "below",
    }


def compare_figure(map_view: MapView, selected: tuple[str, ...] = ()) -> go.Figure:
    """One bar per chosen district (all units with data when none is chosen), “no data” said
    in words."""
    lang = map_view.lang
    tiles = (
        [t_ for t_ in map_view.tiles if t_.code in selected]
        if selected
        else [t_ for t_ in map_view.tiles if t_.has_data]
    )
    missing = [] if selected else [t_.name for t_ in map_view.tiles if not t_.has_data]
    by_code = {str(r["area_code"]): r for r in words.records(map_view.rows)}
    mode = "change" if map_view.id.endswith(".change") else "latest"

    def shown(tile):
        r = by_code[tile.code]
        return _change(r) if mode == "change" else (None if pd.isna(r["value"]) else float(r["value"]))

    tiles = sorted(tiles, key=lambda t_: (shown(t_) is None, -(shown(t_) or 0), t_.name))
    names = [t_.name for t_ in tiles]
    values = [shown(t_) or 0 for t_ in tiles]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            text=[t_.text for t_ in tiles],
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [SEQUENTIAL[3] if t_.has_data else NO_DATA_FILL for t_ in tiles],
                "line": {"color": SEQUENTIAL[3], "width": 1},
            },
            textfont={"size": 16, "color": TEXT_COLOUR},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    vmax = max([abs(x) for x in values] or [0])
    texts_below = list(map_view.footnotes)
    if missing:
        texts_below.insert(0, t("compare.no_data", lang, names=", ".join(missing)))
    footer = [line for text in texts_below if text for line in _wrap(text, 105)]
    left = int(min(420, 30 + 8.6 * max((len(n) for n in names), default=10)))
    lo = min(values + [0])
    fig.update_layout(
        title={
            "text": f"{map_view.short}<br><span style='font-size:15px;color:{colours.GREY_TEXT}'>{map_view.subtitle}</span>",
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 20, "color": TEXT_COLOUR},
        },
        xaxis={
            "range": [lo * 1.35, (vmax or 1) * 1.35],
            "gridcolor": "#E5E5E5",
            "fixedrange": True,
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 16}, "fixedrange": True},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": FONT, "size": 15, "color": TEXT_COLOUR},
        margin={"l": left, "r": 30, "t": 90, "b": 60 + 19 * len(footer)},
        height=170 + 42 * len(tiles) + 19 * len(footer),
        separators=fmt.plotly_separators(lang),
        showlegend=False,
        annotations=[
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -44,
                "xshift": 10 - left,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "showarrow": False,
                "text": "<br>".join(footer),
                "font": {"size": 13, "color": "#333333"},
            }
        ],
    )
    return fig
