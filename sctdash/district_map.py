"""The district map: the 13 district-level units of 2020 as a tile map, and a comparison chart.

No boundary polygons: no package ships them and none may be drawn by hand. Each unit is a
tile on a small grid, placed as near as the grid allows to its real centre point
(data/districts.csv, from vietnamadminunits), so the map keeps the province's shape — the
mountains in the west, the coast in the east, Lý Sơn off shore. A unit merged into another
(Tây Trà into Trà Bồng on 01/02/2020) is a small tile beside the unit it joined, linked to it.

Plain functions, no Streamlit: `figure(df, spec, lang, selected)` draws the map of one
map query's rows; `compare_figure` draws the same figure as bars for chosen districts.
Words come from maps.toml and the text catalogue.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from functools import cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from sctdash import colours, fmt
from sctdash.charts import FONT, TEXT_COLOUR, Context
from sctdash.i18n import label, t

# ColorBrewer "Blues" (7-class, the lightest dropped so that no value looks like the white
# "no data" tile on a washed-out projector; the second darkened from #9ECAE1 to #94C4DF so
# each step is at least 7 L* for protanopes too): one hue, ordered by lightness, so it reads
# the same for colour-blind viewers (tests/test_colours.py checks that under simulation).
SEQUENTIAL = ["#C6DBEF", "#94C4DF", "#6BAED6", "#2171B5", "#084594"]
NO_DATA_FILL = "#FFFFFF"
NO_DATA_TEXT = "#4D4D4D"
NO_DATA_BORDER = "#767676"
TILE_BORDER = "#FFFFFF"
SELECTED_BORDER = "#000000"
MERGED_FILL = "#F2F2F2"
COLS, ROWS = 5, 5
TILE_W, TILE_H = 0.94, 0.88
_FILE = Path(__file__).with_name("maps.toml")


@cache
def catalogue() -> dict:
    with _FILE.open("rb") as fh:
        return tomllib.load(fh)


def maps_for(page: str) -> list[str]:
    return list(catalogue()["pages"].get(page, []))


def spec(map_id: str) -> dict:
    return {"id": map_id, **catalogue()["maps"][map_id]}


def rows(query, map_id: str) -> pd.DataFrame:
    """One map's rows: its query run with the map's own parameters (e.g. kind = "hydro").
    `query(name, **params)` is ui.query or Store.query."""
    m = spec(map_id)
    return query(m["query"], **m.get("params", {}))


def all_maps() -> list[str]:
    return list(catalogue()["maps"])


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

    def cost(p, c):
        return (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2

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


# ------------------------------------------------------------------ colours and words
def nice_step(vmax: float, classes: int = len(SEQUENTIAL)) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that splits (0, vmax] into at most `classes`."""
    if not vmax or vmax <= 0:
        return 1.0
    raw = vmax / classes
    k = 10 ** math.floor(math.log10(raw))
    return next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= raw)


def colour_class(value, step: float) -> int | None:
    """Index into SEQUENTIAL of a value (None for no data)."""
    if value is None or pd.isna(value):
        return None
    return min(len(SEQUENTIAL) - 1, max(0, math.ceil(float(value) / step) - 1))


def value_text(row, m: dict, lang: str) -> str:
    """The value label of one tile: “14 xã”, “19,2 MWp”, “60 MW chung với Sơn Hà*” (a project
    of two districts whose split no source states: counted once, in neither tile's value);
    “no data” when it has neither."""
    shared = row.get("shared_value")
    shared = shared if shared is not None and pd.notna(shared) else None
    if pd.isna(row.get("value")) and shared is None:
        return t("map.no_data", lang)
    dec = int(row.get("decimals", 0))
    parts = [m["value_label"][lang].format(value=fmt.number(row["value"], dec, lang))] if pd.notna(row["value"]) else []
    if shared is not None:
        value = m["value_label"][lang].format(value=fmt.number(shared, dec, lang))
        parts.append(t("map.shared", lang, value=value, districts=row.get("shared_with_vi") or ""))
    return " + ".join(parts)


def has_figure(df: pd.DataFrame) -> pd.Series:
    """The rows with a figure of their own or a share in a project of several districts."""
    known = df["value"].notna()
    return known | df["shared_value"].notna() if "shared_value" in df else known


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


def legend_items(step: float, vmax: float, m: dict, lang: str) -> list[tuple[str, str]]:
    """(colour, words) of each colour class in use, and of “no data”."""
    dec = 0 if float(step).is_integer() and m.get("unit") == "count" else 1
    items = []
    n = max(1, min(len(SEQUENTIAL), math.ceil((vmax or step) / step)))
    for i in range(n):
        low, high = i * step, (i + 1) * step
        if m.get("unit") == "count" and float(step).is_integer():
            words = (
                fmt.number(low + 1, 0, lang)
                if step == 1
                else f"{fmt.number(low + 1, 0, lang)}–{fmt.number(high, 0, lang)}"
            )
        else:
            words = f"{fmt.number(low, dec, lang)}–{fmt.number(high, dec, lang)}"
        items.append((SEQUENTIAL[i], words))
    items.append((NO_DATA_FILL, t("map.no_data", lang)))
    return items


# ------------------------------------------------------------------ figures
def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _rect(x: float, y: float, w: float, h: float, fill: str, line: str, width: float, dash: str = "solid") -> dict:
    return {
        "type": "rect",
        "x0": x - w / 2,
        "x1": x + w / 2,
        "y0": y - h / 2,
        "y1": y + h / 2,
        "fillcolor": fill,
        "line": {"color": line, "width": width, "dash": dash},
        "layer": "below",
    }


def figure(
    df: pd.DataFrame,
    m: dict,
    lang: str = "vi",
    selected: list[str] | None = None,
    ctx: Context | None = None,
    scale: float = 1.0,
    interactive: bool = True,
) -> go.Figure:
    """The tile map of one map query's rows; `selected` tiles get a thick black border.

    The clickable points are one marker per tile carrying its area_code in customdata, so a
    click (Streamlit's on_select) names the district. `scale` enlarges text for meetings;
    an image (interactive=False) says nothing about clicking.
    """
    ctx = ctx or Context()
    selected = set(selected or [])
    cells = tile_layout(df)
    values = df["value"].dropna()
    vmax = float(values.max()) if len(values) else 0.0
    step = nice_step(vmax)
    if m.get("unit") == "count":  # a count has no fractions: classes of whole numbers (1, 2, …)
        step = max(1.0, math.ceil(step))
    shapes, annotations = [], []
    xs, ys, codes, hover, marker_colours = [], [], [], [], []
    name_size, value_size = round(15 * scale), round(17 * scale)
    for _, row in df.iterrows():
        code = str(row["area_code"])
        col, r = cells[code]
        x, y = col, -r
        cls = colour_class(row["value"], step)
        fill = NO_DATA_FILL if cls is None else SEQUENTIAL[cls]
        ink = NO_DATA_TEXT if cls is None else colours.text_on(fill)
        chosen = code in selected
        line, width, dash = (
            (SELECTED_BORDER, 5, "solid")
            if chosen
            else (NO_DATA_BORDER, 1.5, "dot")
            if cls is None
            else (TILE_BORDER, 2, "solid")
        )
        shapes.append(_rect(x, y, TILE_W, TILE_H, fill, line, width, dash))
        words = value_text(row, m, lang)
        annotations.append(
            {
                "x": x,
                "y": y,
                "text": f"<b>{row['name_vi']}</b><br><span style='font-size:{value_size if cls is not None else name_size - 2}px'>{words}</span>",
                "showarrow": False,
                "font": {"size": name_size, "color": ink, "family": FONT},
                "align": "center",
            }
        )
        xs.append(x)
        ys.append(y)
        codes.append(code)
        hover.append(f"{merged_text(row, lang)}: {words}")
        marker_colours.append(fill)
        if isinstance(row.get("merged_vi"), str) and row["merged_vi"]:
            spot = merged_cell(cells[code], set(cells.values()))
            if spot is not None:
                mx, my = spot[0], -spot[1]
                shapes.append(_rect(mx, my, TILE_W, TILE_H, MERGED_FILL, NO_DATA_BORDER, 1.5, "dash"))
                when = fmt.date(row["merged_on"]) if pd.notna(row.get("merged_on")) else ""
                annotations.append(
                    {
                        "x": mx,
                        "y": my,
                        "text": t("map.merged_tile", lang, merged=row["merged_vi"], name=row["name_vi"], date=when),
                        "showarrow": False,
                        "font": {"size": round(13 * scale), "color": TEXT_COLOUR, "family": FONT},
                        "align": "center",
                    }
                )
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            marker={"size": 46 * scale, "symbol": "square", "color": marker_colours, "opacity": 0.01},
            customdata=codes,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            selected={"marker": {"opacity": 0.01}},
            unselected={"marker": {"opacity": 0.01}},
            showlegend=False,
        )
    )
    _legend(fig, shapes, annotations, legend_items(step, vmax, m, lang), scale)
    _frame(fig, m, df, lang, ctx, shapes, annotations, scale, interactive)
    return fig


def _legend(fig, shapes, annotations, items, scale) -> None:
    """The colour classes as a column of swatches right of the grid."""
    x0 = COLS - 0.35
    for i, (colour, words) in enumerate(items):
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
                "text": words,
                "xanchor": "left",
                "showarrow": False,
                "font": {"size": round(14 * scale), "color": TEXT_COLOUR, "family": FONT},
            }
        )


def _frame(fig, m, df, lang, ctx, shapes, annotations, scale, interactive=True) -> None:
    title = m["title"][lang].format_map(summary(df, lang))
    subtitle = m["subtitle"][lang]
    if ctx.filters:
        subtitle += f" · {ctx.filters}"
    width = int(ctx.wrap * 1.05 / scale)
    texts = footnote(df, m, lang, ctx)
    if interactive:
        texts.insert(1, t("map.how_to", lang))
    footer = [line for text in texts for line in _wrap(text, width)]
    fig.update_layout(
        title={
            "text": f"{title}<br><span style='font-size:{round(15 * scale)}px;color:#444444'>{subtitle}</span>",
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": round(20 * scale), "color": TEXT_COLOUR},
        },
        shapes=shapes,
        annotations=annotations
        + [
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
        ],
        xaxis={"visible": False, "range": [-0.6, COLS + 1.3], "fixedrange": True},
        yaxis={"visible": False, "range": [-(ROWS - 1) - 0.55, 0.55], "fixedrange": True},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": FONT, "color": TEXT_COLOUR},
        margin={"l": 10, "r": 10, "t": round(90 * scale), "b": round(20 + 19 * len(footer) * scale)},
        height=round((470 + 19 * len(footer)) * scale),
        dragmode=False,
        clickmode="event+select",
        hoverlabel={"font": {"size": round(15 * scale)}},
        separators=fmt.plotly_separators(lang),
    )


SLIDE_TEXT = 1.1  # text × this on a slide image: the footer's 13 px become 14 pt at 960×540 pt
TILE_ASPECT = 0.45  # a tile's height per unit of its width on a slide: room for “không có số liệu”


def slide_figure(
    df: pd.DataFrame,
    m: dict,
    lang: str,
    selected: list[str] | None,
    ctx: Context,
    width: int,
    height: int,
    bare: bool = False,
) -> go.Figure:
    """The map as a 16:9 image: the page's tiles at their page proportions, with the title, the
    filters, the note, the sources, the department and the date; nothing about clicking.
    `bare`: tiles and legend only, for a slide that carries the words itself."""
    fig = figure(df, m, lang, selected, ctx, scale=SLIDE_TEXT, interactive=False)
    footer_lines = str(fig.layout.annotations[-1].text).count("<br>") + 1
    margin = {"l": 16, "r": 16, "t": round(84 * SLIDE_TEXT), "b": round(16 + 18.5 * footer_lines * SLIDE_TEXT)}
    if bare:
        fig.layout.annotations = fig.layout.annotations[:-1]
        fig.update_layout(title=None)
        margin = {"l": 4, "r": 4, "t": 4, "b": 4}
    fig.update_layout(width=width, height=height, autosize=False, margin=margin)
    # Tiles no taller than TILE_ASPECT of their width, and as wide as the image allows: a
    # short picture (a long footnote under it) still gives “không có số liệu” its room.
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    per_x = (width - margin["l"] - margin["r"]) / (x1 - x0)
    per_y = (height - margin["t"] - margin["b"]) / (y1 - y0)
    fig.update_xaxes(constrain="domain")
    fig.update_yaxes(scaleanchor="x", scaleratio=min(TILE_ASPECT, per_y / per_x), constrain="domain")
    return fig


def footnote(df: pd.DataFrame, m: dict, lang: str, ctx: Context) -> list[str]:
    """The words under a map: its note, the sources, and on exports the department and date
    (the page adds how to use it; a slide carries them as its footnote)."""
    stamp = " · ".join(x for x in (ctx.department, ctx.stamp) if x)
    return [x for x in (m["note"][lang].format_map(summary(df, lang)), ctx.source, stamp) if x]


def compare_figure(
    df: pd.DataFrame,
    m: dict,
    lang: str = "vi",
    selected: list[str] | None = None,
    ctx: Context | None = None,
) -> go.Figure:
    """One bar per chosen district (all units when none is chosen), “no data” said in words."""
    ctx = ctx or Context()
    rows = df[df["area_code"].isin(selected)] if selected else df[has_figure(df)]
    missing = [] if selected else [merged_text(r, lang) for _, r in df[~has_figure(df)].iterrows()]
    rows = rows.assign(_known=rows["value"].notna()).sort_values(
        ["_known", "value", "name_vi"], ascending=[False, False, True]
    )
    names = [merged_text(r, lang) for _, r in rows.iterrows()]
    texts = [value_text(r, m, lang) for _, r in rows.iterrows()]
    values = rows["value"].fillna(0)
    fig = go.Figure(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [SEQUENTIAL[3] if k else NO_DATA_FILL for k in rows["_known"]],
                "line": {"color": SEQUENTIAL[3], "width": 1},
            },
            textfont={"size": 16, "color": TEXT_COLOUR},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    vmax = float(values.max()) if len(values) else 0
    subtitle = m["subtitle"][lang] + (f" · {ctx.filters}" if ctx.filters else "")
    texts_below = [m["note"][lang].format_map(summary(df, lang)), ctx.source]
    if missing:
        texts_below.insert(0, t("compare.no_data", lang, names=", ".join(missing)))
    footer = [line for text in texts_below if text for line in _wrap(text, ctx.wrap)]
    left = int(min(420, 30 + 8.6 * max((len(n) for n in names), default=10)))
    fig.update_layout(
        title={
            "text": f"{m['short'][lang]}<br><span style='font-size:15px;color:#444444'>{subtitle}</span>",
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 20, "color": TEXT_COLOUR},
        },
        xaxis={
            "range": [0, (vmax or 1) * 1.35],
            "title": {"text": label("unit", m.get("unit", ""), lang)},
            "gridcolor": "#E5E5E5",
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 16}},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": FONT, "size": 15, "color": TEXT_COLOUR},
        margin={"l": left, "r": 30, "t": 90, "b": 85 + 19 * len(footer)},
        height=190 + 42 * len(rows) + 19 * len(footer),
        separators=fmt.plotly_separators(lang),
        showlegend=False,
        annotations=[
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -68,
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
