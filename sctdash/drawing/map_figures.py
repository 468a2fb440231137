"""Plotly figures of a district map: the tile map of a MapView, and the comparison chart.

Built as plain dicts, whole (no figure is updated afterwards): the page draws them with a
clickable marker per tile carrying its code; an image (16:9, fixed size) has no clicking and
carries the department and the date.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sctdash.core import colours, fmt, measure
from sctdash.core.i18n import t
from sctdash.drawing.figures import PAGE_WIDTH
from sctdash.exhibits import phrases
from sctdash.exhibits.district_map import MapView, change_of
from sctdash.exhibits.tile_grid import MERGED_FILL, NO_DATA_BORDER, NO_DATA_FILL, SEQUENTIAL, TILE_H, TILE_W

TEXT_COLOUR = colours.DARK_TEXT
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"


def figure(
    map_view: MapView,
    scale: float = 1.0,
    interactive: bool = True,
    words_: bool = True,
    stamp: str = "",
    width: int | None = None,
    height: int | None = None,
    fill: bool = False,
    page_width: int = PAGE_WIDTH,
    legend: bool = True,
) -> go.Figure:
    """The tile map drawn; `interactive`: one clickable marker per tile carrying its code (a
    click names the district), and the words on how to use it; `words_` False: tiles and
    legend only (a slide carries the words); width/height: a fixed image; `fill`: as tall as
    its place on screen; `page_width`: the least width it gets on screen, for which a tile's
    words are broken into lines that stay inside it; `legend` False: no legend (a meeting
    screen shows it as text), the tiles take its width."""
    shapes, annotations = [], []
    name_size, value_size, small_size = round(15 * scale), round(17 * scale), round(14 * scale)
    xrange = [-0.6, map_view.cols + (1.3 if legend else -0.4)]
    yrange = [-(map_view.grid_rows - 1) - 0.55, 0.55]
    inside = ((width or page_width) - 20) / (xrange[1] - xrange[0]) * TILE_W - 8  # px across a tile
    xs, ys, codes, hover = [], [], [], []
    for tile in map_view.tiles:
        x, y = tile.col, -tile.row
        shapes.append(_rect(x, y, TILE_W, TILE_H, tile.fill, tile.border, tile.border_width, tile.dash))
        size = value_size if tile.has_data else small_size
        name = measure.wrap(tile.name, name_size, inside, bold=True, even=True)
        value = measure.wrap(tile.text, size, inside, even=True)
        annotations.append(
            {
                "x": x,
                "y": y,
                "text": f"<b>{name}</b><br><span style='font-size:{size}px'>{value}</span>",
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
                "font": {"size": small_size, "color": TEXT_COLOUR, "family": FONT},
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
    for i, (colour, text) in enumerate(map_view.legend if legend else []):
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
                "font": {"size": small_size, "color": TEXT_COLOUR, "family": FONT},
            }
        )
    footer = []
    if words_:
        texts = list(map_view.footnotes) + ([stamp] if stamp else [])
        if interactive:
            texts.insert(1, t("map.how_to", map_view.lang))
        footer = [line for text in texts for line in measure.lines(text, round(13 * scale), (width or page_width) - 20)]
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
        room = (width or page_width) - 20
        title_lines = measure.lines(map_view.title, round(20 * scale), room)
        sub_lines = measure.lines(map_view.subtitle, round(15 * scale), room)
        title = _title(title_lines, sub_lines, scale)
        top = round((20 * 1.3 * len(title_lines) + 15 * 1.35 * len(sub_lines) + 26) * scale)
    bottom = round(20 + 19 * len(footer) * scale) if footer else 4
    xaxis: dict[str, object] = {"visible": False, "range": xrange, "fixedrange": True}
    yaxis: dict[str, object] = {"visible": False, "range": yrange, "fixedrange": True}
    layout = {
        "shapes": shapes,
        "annotations": annotations,
        "xaxis": xaxis,
        "yaxis": yaxis,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"family": FONT, "color": TEXT_COLOUR},
        "margin": {"l": 10, "r": 10, "t": top, "b": bottom},
        "dragmode": False,
        "clickmode": "event+select" if interactive else "none",
        "hoverlabel": {"font": {"size": round(15 * scale)}},
        "separators": fmt.plotly_separators(map_view.lang),
    }
    if title:
        layout["title"] = title
    if fill:
        layout["autosize"] = True
    else:
        layout["height"] = height or round(top + 400 * scale + bottom)
    if width:
        layout.update(width=width, autosize=False)
    if width and height:
        # Tiles no taller than TILE_ASPECT of their width, and as wide as the image allows: a
        # short picture (a long footnote under it) still gives “không có số liệu” its room.
        per_x = (width - 20) / (xrange[1] - xrange[0])
        per_y = (height - top - bottom) / (yrange[1] - yrange[0])
        xaxis["constrain"] = "domain"
        yaxis.update(scaleanchor="x", scaleratio=min(TILE_ASPECT, per_y / per_x), constrain="domain")
    # a plain dict, built whole: the figure skips Plotly's validation, which costs more than drawing
    return go.Figure([points], layout, _validate=False)


TILE_ASPECT = 0.45  # a tile's height per unit of its width on an image: room for “không có số liệu”


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
    by_code = {str(r["area_code"]): r for r in phrases.records(map_view.rows)}
    mode = "change" if map_view.id.endswith(".change") else "latest"

    def shown(tile):
        r = by_code[tile.code]
        return change_of(r) if mode == "change" else (None if pd.isna(r["value"]) else float(r["value"]))

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
    room = PAGE_WIDTH - 20  # the least width it gets: the words break for it
    footer = [line for text in texts_below if text for line in measure.lines(text, 13, room)]
    heading = measure.lines(map_view.short, 20, room)
    sub = measure.lines(map_view.subtitle, 15, room)
    top = round(20 * 1.3 * len(heading) + 15 * 1.35 * len(sub)) + 34
    left = round(min(420, 30 + measure.widest(names, 16)))
    lo = min(values + [0])
    fig.update_layout(
        title=_title(heading, sub),
        xaxis={
            "range": [lo * 1.35, (vmax or 1) * 1.35],
            "gridcolor": "#E5E5E5",
            "fixedrange": True,
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 16}, "fixedrange": True},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": FONT, "size": 15, "color": TEXT_COLOUR},
        margin={"l": left, "r": 30, "t": top, "b": 60 + 19 * len(footer)},
        height=top + 80 + 42 * len(tiles) + 19 * len(footer),
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


def _title(heading: list[str], sub: list[str], scale: float = 1.0) -> dict:
    """A map's or a comparison's title: its lines, then the subtitle's in grey, top left."""
    subtitle = f"<span style='font-size:{round(15 * scale)}px;color:{colours.GREY_TEXT}'>{'<br>'.join(sub)}</span>"
    return {
        "text": "<br>".join(heading) + "<br>" + subtitle,
        "x": 0.01,
        "xanchor": "left",
        "xref": "container",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": round(8 * scale + 20 * scale * 1.05)},
        "font": {"size": round(20 * scale), "color": TEXT_COLOUR},
    }
