"""Plotly figures of a district map: the tile map of a MapView, and the comparison chart.

    figure(map_view, canvas) / compare_figure(map_view, canvas) -> go.Figure

On the canvases the charts are drawn on (sctdash.drawing.chart_frame): the page's (SCREEN),
a meeting screen's (MEETING) and the 16:9 image's (sctdash.exports.export.image_canvas). The
map is built as plain dicts, whole (no figure is updated afterwards): on a place on screen
with a clickable marker per tile carrying its code; an image has no clicking and carries the
department and the date.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sctdash.core import colours, fmt, measure
from sctdash.core.i18n import t
from sctdash.drawing.chart_frame import FONT, SCREEN, TEXT_COLOUR, Canvas, T, px, width_of
from sctdash.exhibits import phrases
from sctdash.exhibits.district_map import MapView, change_of
from sctdash.exhibits.tile_grid import MERGED_FILL, NO_DATA_BORDER, NO_DATA_FILL, SEQUENTIAL, TILE_H, TILE_W


def figure(map_view: MapView, canvas: Canvas = SCREEN) -> go.Figure:
    """The tile map drawn on a canvas, as a chart is (sctdash.drawing.chart_frame): the page's
    (SCREEN), a meeting screen's (MEETING: no words, no legend, as tall as its place) or a
    fixed image's. On a place on screen (no fixed width) each tile carries a clickable marker
    with its code (a click names the district) and the words say how to use it; a tile's
    words are broken into lines that stay inside it at the least width it gets."""
    xrange = [-0.6, map_view.cols + (1.3 if canvas.legend else -0.4)]
    yrange = [-(map_view.grid_rows - 1) - 0.55, 0.55]
    inside = (width_of(canvas) - 20) / (xrange[1] - xrange[0]) * TILE_W - 8  # px across a tile
    shapes, annotations = _tiles(map_view, canvas, inside)
    if canvas.legend:
        _legend(map_view, canvas, shapes, annotations)
    heading, top, footer, bottom = _words(map_view, canvas)
    if footer:
        annotations.append(footer)
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
        "clickmode": "event+select" if canvas.interactive else "none",
        "hoverlabel": {"font": {"size": px(T.label, canvas)}},
        "separators": fmt.plotly_separators(map_view.lang),
    }
    if heading:
        layout["title"] = heading
    if canvas.fill:
        layout["autosize"] = True
    else:
        layout["height"] = canvas.height or round(top + 400 * canvas.scale + bottom)
    if canvas.width:
        layout.update(width=canvas.width, autosize=False)
    if canvas.width and canvas.height:
        # Tiles no taller than TILE_ASPECT of their width, and as wide as the image allows: a
        # short picture (a long footnote under it) still gives “không có số liệu” its room.
        per_x = (canvas.width - 20) / (xrange[1] - xrange[0])
        per_y = (canvas.height - top - bottom) / (yrange[1] - yrange[0])
        xaxis["constrain"] = "domain"
        ratio = 1.0 if map_view.points else min(TILE_ASPECT, per_y / per_x)  # dots stay round: the map narrows
        yaxis.update(scaleanchor="x", scaleratio=ratio, constrain="domain")
    # a plain dict, built whole: the figure skips Plotly's validation, which costs more than drawing
    traces = [_click_targets(map_view, canvas)] + ([_dot_values(map_view, canvas)] if map_view.points else [])
    return go.Figure(traces, layout, _validate=False)


def _tiles(map_view: MapView, canvas: Canvas, inside: float) -> tuple[list[dict], list[dict]]:
    """Each district's tile and its words (its name, and its value in lines of at most
    `inside` px), and each merged unit's small tile: (shapes, annotations)."""
    shapes, annotations = [], []
    name_size, value_size, small_size = px(T.label, canvas), px(T.body, canvas), px(T.small, canvas)
    if map_view.points:
        return _dots(map_view, canvas), []
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
    return shapes, annotations


DOT = 0.42  # a dot's width, in the units of the grid


def _dots(map_view: MapView, canvas: Canvas) -> list[dict]:
    """Each unit as a dot at its centre point, coloured by its class (a unit without the figure
    white with a dotted ring); its name and value are its hover words and the click target's."""
    return [
        {
            "type": "circle",
            "x0": tile.col - DOT / 2,
            "x1": tile.col + DOT / 2,
            "y0": -tile.row - DOT / 2,
            "y1": -tile.row + DOT / 2,
            "fillcolor": tile.fill,
            "line": {
                "color": tile.border if tile.border != "#FFFFFF" else "#6B6B6B",
                "width": tile.border_width if tile.border != "#FFFFFF" else 1,
                "dash": tile.dash,
            },
            "layer": "below",
        }
        for tile in map_view.tiles
    ]


def _dot_values(map_view: MapView, canvas: Canvas) -> dict:
    """The value of each dot with a figure, beside it: what a projector reads without hovering."""
    shown = [tile for tile in map_view.tiles if tile.has_data]
    return {
        "type": "scatter",
        "x": [tile.col for tile in shown],
        "y": [-tile.row for tile in shown],
        "mode": "text",
        "text": [tile.text.split(" ")[0] for tile in shown],
        "textfont": {"size": px(T.small, canvas), "color": [tile.ink for tile in shown], "family": FONT},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _click_targets(map_view: MapView, canvas: Canvas) -> dict:
    """A near-invisible marker over each tile carrying its code and its hover words: what a
    click on the page selects (an image has them too, with nothing to click)."""
    return {
        "type": "scatter",
        "x": [tile.col for tile in map_view.tiles],
        "y": [-tile.row for tile in map_view.tiles],
        "mode": "markers",
        "marker": {
            "size": (22 if map_view.points else 46) * canvas.scale,
            "symbol": "circle" if map_view.points else "square",
            "color": [tile.fill for tile in map_view.tiles],
            "opacity": 0.01,
        },
        "customdata": [tile.code for tile in map_view.tiles],
        "hovertext": [tile.hover for tile in map_view.tiles],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "selected": {"marker": {"opacity": 0.01}},
        "unselected": {"marker": {"opacity": 0.01}},
        "showlegend": False,
    }


def _legend(map_view: MapView, canvas: Canvas, shapes: list, annotations: list) -> None:
    """The colour classes right of the grid: a swatch and its words each, “no data” white
    with a dotted border as on the tiles."""
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
                "font": {"size": px(T.small, canvas), "color": TEXT_COLOUR, "family": FONT},
            }
        )


def _words(map_view: MapView, canvas: Canvas) -> tuple[dict | None, int, dict | None, int]:
    """The title block and the footnotes (the notes, the sources, how to use the map on a
    page, the department and date on an image), broken for the canvas's width: (title, top
    margin, footnote annotation, bottom margin); none on a canvas without words."""
    if not canvas.words:
        return None, 4, None, 4
    room = width_of(canvas) - 20
    foot_size = px(T.small, canvas)
    texts = list(map_view.footnotes) + ([canvas.stamp] if canvas.stamp else [])
    if canvas.interactive:
        texts.insert(1, t("map.how_to", map_view.lang))
    footer = [line for text in texts for line in measure.lines(text, foot_size, room)]
    footnote = {
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
        "font": {"size": foot_size, "color": "#333333"},
    }
    title_lines = measure.lines(map_view.title, px(T.title, canvas), room)
    sub_lines = measure.lines(map_view.subtitle, px(T.subtitle, canvas), room)
    top = round((T.title * 1.3 * len(title_lines) + T.subtitle * 1.35 * len(sub_lines) + 26) * canvas.scale)
    bottom = round(20 + foot_size * 1.45 * len(footer)) if footer else 4
    return _title(title_lines, sub_lines, canvas), top, footnote, bottom


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


def compare_figure(map_view: MapView, canvas: Canvas = SCREEN) -> go.Figure:
    """One bar per chosen district of the view (all units with data when none is chosen),
    “no data” said in words, on a canvas as the map is."""
    lang, selected = map_view.lang, map_view.selected
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
            textfont={"size": px(T.body, canvas), "color": TEXT_COLOUR},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    vmax = max([abs(x) for x in values] or [0])
    texts_below = list(map_view.footnotes)
    if missing:
        texts_below.insert(0, t("compare.no_data", lang, names=", ".join(missing)))
    room = width_of(canvas) - 20  # the least width it gets: the words break for it
    footer = [line for text in texts_below if text for line in measure.lines(text, px(T.small, canvas), room)]
    heading = measure.lines(map_view.short, px(T.title, canvas), room)
    sub = measure.lines(map_view.subtitle, px(T.subtitle, canvas), room)
    top = round((T.title * 1.3 * len(heading) + T.subtitle * 1.35 * len(sub)) * canvas.scale) + px(34, canvas)
    foot_h = round(px(T.small, canvas) * 1.45 * len(footer))
    left = round(min(420, 30 + measure.widest(names, px(T.body, canvas))))
    lo = min(values + [0])
    fig.update_layout(
        title=_title(heading, sub, canvas),
        xaxis={
            "range": [lo * 1.35, (vmax or 1) * 1.35],
            "gridcolor": "#E5E5E5",
            "fixedrange": True,
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": px(T.body, canvas)}, "fixedrange": True},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": FONT, "size": px(T.label, canvas), "color": TEXT_COLOUR},
        margin={"l": left, "r": 30, "t": top, "b": 60 + foot_h},
        height=top + 80 + 42 * len(tiles) + foot_h,
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
                "font": {"size": px(T.small, canvas), "color": "#333333"},
            }
        ],
    )
    return fig


def _title(heading: list[str], sub: list[str], canvas: Canvas) -> dict:
    """A map's or a comparison's title: its lines, then the subtitle's in grey, top left."""
    subtitle = f"<span style='font-size:{px(T.subtitle, canvas)}px;color:{colours.GREY_TEXT}'>{'<br>'.join(sub)}</span>"
    return {
        "text": "<br>".join(heading) + "<br>" + subtitle,
        "x": 0.01,
        "xanchor": "left",
        "xref": "container",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": round(8 * canvas.scale + T.title * canvas.scale * 1.05)},
        "font": {"size": px(T.title, canvas), "color": TEXT_COLOUR},
    }
