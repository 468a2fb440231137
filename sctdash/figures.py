"""Plotly figures of exhibits: `figure(exhibit, canvas) -> go.Figure`, no Streamlit.

The same exhibit is drawn for every output; only the canvas differs: the page (the width of
the page, text at 1×), meeting mode (text × 1.3), the 16:9 image (960×540 layout px rendered
at scale 2, with the department and the date), and the picture on a slide (the slide carries
the words). Every size and margin is worked out here from the canvas and the words to lay
out; nothing patches a figure afterwards.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from sctdash import colours, fmt
from sctdash.exhibit import Exhibit, Panel, Series
from sctdash.i18n import label, t

TEXT_COLOUR = colours.DARK_TEXT
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
GRID = "#E5E5E5"
CHAR_W = 0.52  # average glyph width of Noto Sans, in ems


@dataclass(frozen=True)
class Canvas:
    """Where a figure is drawn. `width` None: the page's width (taken as SCREEN_WIDTH to wrap
    words); `words` False: no title, subtitle or footnotes (a slide carries them)."""

    width: int | None = None
    height: int | None = None
    scale: float = 1.0
    words: bool = True
    stamp: str = ""  # exports: "Sở Công Thương tỉnh Quảng Ngãi · 29/11/2026"
    page_width: int | None = None  # the width to wrap words to where `width` is the page's


SCREEN_WIDTH = 700  # the narrowest main area a chart gets on a 1280-px screen with the sidebar open
SCREEN = Canvas()
MEETING = Canvas(scale=1.3, page_width=960)  # a meeting screen spans the window: 1024 px and up


def _px(size: float, canvas: Canvas) -> int:
    return round(size * canvas.scale)


def _chars(width: float, font_px: float) -> int:
    return max(20, int(width / (font_px * CHAR_W)))


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def wrap_label(text: str, width: int) -> str:
    return "<br>".join(_wrap(str(text), width))


@dataclass
class _Frame:
    heading: str
    top: int
    footer: list[str]
    footer_h: int
    left: int
    axis_room: int


def _frame(ex: Exhibit, canvas: Canvas, width: int, left: int, axis_room: int) -> _Frame:
    """The title block and the footnote block, and the margins they need."""
    title_px, sub_px, foot_px = _px(22, canvas), _px(16, canvas), _px(14, canvas)
    legend_px = _px(15, canvas)
    top = _px(10, canvas)
    heading = ""
    if canvas.words:
        title_lines = _wrap(ex.title, _chars(width - 20, title_px))
        sub_lines = _wrap(ex.subtitle, _chars(width - 20, sub_px)) if ex.subtitle else []
        heading = "<br>".join(title_lines)
        if sub_lines:
            heading += (
                f"<br><span style='font-size:{sub_px}px;font-weight:normal;color:{colours.GREY_TEXT}'>"
                + "<br>".join(sub_lines)
                + "</span>"
            )
        top += round(title_px * 1.3 * len(title_lines) + sub_px * 1.35 * len(sub_lines)) + _px(20, canvas)
    if ex.legend:
        names = [s.name for p in ex.panels for s in p.series if s.name]
        per_row = max(1, int((width - 40) / (legend_px * CHAR_W * 12 + 40)))
        rows = max(1, math.ceil(sum(len(n) * legend_px * CHAR_W + 50 for n in names) / (width - 40))) if names else 1
        top += round(legend_px * 1.6 * max(rows, math.ceil(len(names) / per_row) if per_row < len(names) else rows))
    if any(p.title for p in ex.panels):
        top += _px(30, canvas)
    top += _px(18, canvas)
    footer = []
    if canvas.words:
        texts = list(ex.footnotes) + ([canvas.stamp] if canvas.stamp else [])
        footer = [line for text in texts for line in _wrap(text, _chars(width - 20, foot_px))]
    footer_h = round(foot_px * 1.45 * len(footer)) + (_px(12, canvas) if footer else _px(6, canvas))
    return _Frame(heading, top, footer, footer_h, left, axis_room)


def _layout(ex: Exhibit, canvas: Canvas, fr: _Frame, plot_h: int, annotations: list | None = None, **extra) -> dict:
    """The figure's layout as a plain dict: built here whole, never updated afterwards (a
    figure made from it skips Plotly's validation, which costs more than the drawing)."""
    height = canvas.height or (fr.top + plot_h + fr.axis_room + fr.footer_h)
    layout = {
        "separators": fmt.plotly_separators(ex.lang),
        "font": {"family": FONT, "size": _px(16, canvas), "color": TEXT_COLOUR},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "showlegend": ex.legend,
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "xanchor": "left",
            "font": {"size": _px(15, canvas)},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        "margin": {
            "l": fr.left,
            "r": _px(30, canvas),
            "t": fr.top,
            "b": fr.axis_room + fr.footer_h,
            "autoexpand": False,
        },
        "height": height,
        "hoverlabel": {"font": {"size": _px(15, canvas)}},
        "uniformtext": {"minsize": _px(13, canvas), "mode": "show"},
        "annotations": list(annotations or []),
    }
    if fr.heading:
        layout["title"] = {
            "text": fr.heading,
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            # Plotly places a title's first line by its baseline: the pad leaves it room.
            "pad": {"t": _px(10, canvas) + round(_px(22, canvas) * 1.05), "l": _px(10, canvas)},
            "font": {"size": _px(22, canvas), "color": TEXT_COLOUR, "weight": 600},
        }
    if canvas.width:
        layout.update(width=canvas.width, autosize=False)
    if fr.footer:
        layout["annotations"].append(
            {
                "text": "<br>".join(fr.footer),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -fr.axis_room,
                "xshift": _px(8, canvas) - fr.left,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": _px(14, canvas), "color": "#333333"},
            }
        )
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def figure(ex: Exhibit, canvas: Canvas = SCREEN) -> go.Figure:
    """The exhibit drawn on the canvas `c`."""
    if ex.no_rows:
        raise ValueError(f"{ex.id}: no rows to draw ({ex.notice})")
    if ex.shape == "line":
        return _line_figure(ex, canvas)
    if len(ex.panels) > 1:
        return _facet_figure(ex, canvas)
    return _bar_figure(ex, canvas)


# ------------------------------------------------------------------ styles
def _marker(series: Series, canvas: Canvas, size: float = 10) -> dict:
    pts = series.points
    return {
        "size": _px(size, canvas),
        "color": [("white" if p.kind == "derived" else p.colour or series.colour) for p in pts],
        "opacity": [colours.EXTERNAL_OPACITY if p.kind == "external" else 1.0 for p in pts],
        "line": {"color": [p.colour or series.colour for p in pts], "width": _px(2, canvas)},
        "symbol": "circle",
    }


def _bar_marker(series: Series, canvas: Canvas) -> dict:
    pts = [p for p in series.points if p.value is not None]
    fills = [p.colour or series.colour for p in pts]
    return {
        # derived: hatched in the series' colour on white (the bar's own colour as the marker's:
        # the page's plotly.js draws no hatching on a white marker); external: pale
        "color": fills,
        "opacity": [colours.EXTERNAL_OPACITY if p.kind == "external" else 1.0 for p in pts],
        "pattern": {
            "shape": ["/" if p.kind == "derived" else "" for p in pts],
            "fgcolor": fills if len(set(fills)) > 1 else fills[0] if fills else series.colour,
            "bgcolor": "white",
            "size": _px(9, canvas),
            "solidity": 0.45,
        },
        "line": {"color": fills if len(set(fills)) > 1 else (fills or [series.colour])[0], "width": _px(1.5, canvas)},
    }


# ------------------------------------------------------------------ bars
def _two_lines(point) -> str:
    """A value label over a narrow bar: the figure, and under it what kind of figure it is."""
    suffix = point.text[len(point.plain) :].strip() if point.plain and point.text.startswith(point.plain) else ""
    return f"{point.plain}<br>{suffix}" if suffix else point.text


def _count_ticks(unit: str, top: float) -> dict:
    """Whole-number ticks for a count (no “1,5 chợ”)."""
    if unit != "count" or not top:
        return {}
    raw = top / 5
    k = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= raw)
    return {"tick0": 0, "dtick": max(1, math.ceil(step))}


def _bar_figure(ex: Exhibit, canvas: Canvas) -> go.Figure:
    panel = ex.panels[0]
    width = canvas.width or canvas.page_width or SCREEN_WIDTH
    stacked = ex.shape == "stacked"
    n_cat = len(panel.categories)
    text_px = _px(16 if n_cat <= 10 else 14, canvas)
    if ex.horizontal:
        wrap_at = 34
        cats = {code: wrap_label(words, wrap_at) for code, words in panel.categories}
        longest = max((len(line) for w in cats.values() for line in w.split("<br>")), default=8)
        left = int(min(width * 0.42, _px(24, canvas) + longest * _px(16, canvas) * CHAR_W))
        lines = max((w.count("<br>") + 1 for w in cats.values()), default=1)
        per_cat = max(len(panel.series), 1) * _px(26, canvas) * (1 if not stacked else 1 / max(len(panel.series), 1))
        band = max(_px(42, canvas), per_cat + _px(14, canvas), lines * _px(20, canvas) + _px(10, canvas))
        plot_h = round(band * n_cat) + _px(20, canvas)
        axis_room = _px(64, canvas)
    else:
        per = max(8, int((width - 120) / max(n_cat, 1) / (_px(16, canvas) * CHAR_W)) - 1)
        cats = {code: wrap_label(words, per) for code, words in panel.categories}
        lines = max((w.count("<br>") + 1 for w in cats.values()), default=1)
        left = _px(80, canvas)
        plot_h = _px(300, canvas)
        axis_room = round(lines * _px(16, canvas) * 1.3) + _px(26, canvas)
    fr = _frame(ex, canvas, width, left, axis_room)
    if canvas.height:
        plot_h = max(_px(120, canvas), canvas.height - fr.top - axis_room - fr.footer_h)
    traces = []
    for s in panel.series:
        pts = [p for p in s.points if p.value is not None]
        labels = [cats[p.x] for p in pts]
        values = [p.value for p in pts]
        trace = {
            "type": "bar",
            "name": s.name,
            "text": [p.text if ex.horizontal or stacked else _two_lines(p) for p in pts],
            "textposition": "inside" if stacked else "outside",
            "cliponaxis": False,
            "textfont": {"size": text_px, "color": TEXT_COLOUR},
            "marker": _bar_marker(s, canvas),
            "hovertemplate": "%{hovertext}<extra></extra>",
            "hovertext": [p.hover for p in pts],
        }
        if stacked:
            trace["insidetextanchor"] = "middle"
            # dark or white text, whichever reads at 4.5:1 or better on each bar (tests/test_colours.py)
            trace["textfont"] = {"size": text_px, "color": [colours.text_on(col) for col in trace["marker"]["color"]]}
        if ex.horizontal:
            trace.update(y=labels, x=values, orientation="h")
        else:
            trace.update(x=labels, y=values)
        traces.append(trace)
    value_axis = {
        "showgrid": True,
        "gridcolor": GRID,
        "zeroline": True,
        "zerolinecolor": "#999999",
        "title": {"text": label("unit", ex.unit, ex.lang) if ex.unit else "", "font": {"size": _px(15, canvas)}},
        "rangemode": "tozero",
        "tickformat": ",~r",  # thousands grouped the way the language writes them: 5.000
        "tickfont": {"size": _px(14, canvas)},
        "fixedrange": True,
    }
    if not stacked:
        top = max((p.value for s in panel.series for p in s.points if p.value is not None), default=1.0)
        if ex.horizontal:  # room right of the longest bar for its label
            label_px = max((len(p.text) for s in panel.series for p in s.points), default=4) * text_px * CHAR_W + 12
            plot_w = max(width - left - _px(30, canvas), 200)
            room = label_px / max(plot_w - label_px, 80)
        else:  # a label of two lines (“4,88 %” over “(nguồn ngoài)”) needs more room above
            room = 0.24 if any(p.text != p.plain for s in panel.series for p in s.points) else 0.16
        value_axis["range"] = [0, (top or 1.0) * (1 + room)]
        value_axis.update(_count_ticks(ex.unit, top))
    order = [cats[code] for code, _ in panel.categories]
    category_axis = {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": order,
        "tickfont": {"size": _px(16, canvas)},
        "fixedrange": True,
    }
    if ex.horizontal:
        axes = {
            "xaxis": value_axis,
            "yaxis": {**category_axis, "autorange": "reversed", "ticklabelstandoff": _px(6, canvas)},
        }
    else:
        axes = {"yaxis": value_axis, "xaxis": category_axis}
    layout = _layout(
        ex, canvas, fr, plot_h, barmode="stack" if stacked else "group", bargap=0.28, bargroupgap=0.06, **axes
    )
    return go.Figure(traces, layout, _validate=False)


def _facet_figure(ex: Exhibit, canvas: Canvas) -> go.Figure:
    """Small multiples: a panel per kind of facility, each on its own scale, side by side."""
    width = canvas.width or canvas.page_width or SCREEN_WIDTH
    n = len(ex.panels)
    gap = 0.07
    span = (1 - gap * (n - 1)) / n
    per = max(6, int((width / n - 40) / (_px(16, canvas) * CHAR_W)) - 1)
    lines = 1
    traces, axes, titles = [], {}, []
    for col, panel in enumerate(ex.panels, start=1):
        suffix = "" if col == 1 else str(col)
        domain = [(col - 1) * (span + gap), (col - 1) * (span + gap) + span]
        cats = {code: wrap_label(words, per) for code, words in panel.categories}
        lines = max([lines] + [w.count("<br>") + 1 for w in cats.values()])
        for series in panel.series:
            pts = [p for p in series.points if p.value is not None]
            traces.append(
                {
                    "type": "bar",
                    "x": [cats[p.x] for p in pts],
                    "y": [p.value for p in pts],
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "text": [p.text for p in pts],
                    "textposition": "outside",
                    "cliponaxis": False,
                    "name": series.name,
                    "marker": _bar_marker(series, canvas),
                    "textfont": {"size": _px(16, canvas), "color": TEXT_COLOUR},
                    "showlegend": False,
                    "hovertext": [p.hover for p in pts],
                    "hovertemplate": "%{hovertext}<extra></extra>",
                }
            )
        top = max((p.value for s in panel.series for p in s.points if p.value is not None), default=1.0)
        axes[f"xaxis{suffix}"] = {
            "domain": domain,
            "anchor": f"y{suffix}",
            "type": "category",
            "tickfont": {"size": _px(16, canvas)},
            "fixedrange": True,
        }
        axes[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "range": [0, (top or 1) * 1.22],
            "gridcolor": GRID,
            "tickformat": ",~r",
            "tickfont": {"size": _px(14, canvas)},
            "fixedrange": True,
            **_count_ticks(ex.unit, top),
        }
        titles.append(
            {
                "text": panel.title,
                "x": sum(domain) / 2,
                "xref": "paper",
                "y": 1.0,
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": _px(18, canvas), "color": TEXT_COLOUR},
            }
        )
    axis_room = round(lines * _px(16, canvas) * 1.3) + _px(26, canvas)
    fr = _frame(ex, canvas, width, _px(50, canvas), axis_room)
    plot_h = _px(300, canvas)
    if canvas.height:
        plot_h = max(_px(120, canvas), canvas.height - fr.top - axis_room - fr.footer_h)
    layout = _layout(ex, canvas, fr, plot_h, titles, showlegend=False, **axes)
    return go.Figure(traces, layout, _validate=False)


# ------------------------------------------------------------------ lines
def _line_figure(ex: Exhibit, canvas: Canvas) -> go.Figure:
    panel: Panel = ex.panels[0]
    width = canvas.width or canvas.page_width or SCREEN_WIDTH
    years = [code for code, _ in panel.categories]
    traces = []
    values = [p.value for s in panel.series for p in s.points if p.value is not None]
    label_all = ex.value_labels == "all"
    text_px = _px(15, canvas)
    ends = []  # (value, text) of each line's last point, labelled right of the plot
    for s in panel.series:
        known = [p for p in s.points if p.value is not None]
        if s.span:
            y0, y1 = s.span
            traces.append(
                {
                    "type": "scatter",
                    "x": [y0, y1],
                    "y": [known[0].value] * 2,
                    "mode": "lines+markers",
                    "name": s.name,
                    "line": {"color": s.colour, "width": _px(2.5, canvas), "dash": "dash"},
                    "marker": {"size": _px(8, canvas), "color": s.colour, "symbol": "line-ns-open"},
                    "hovertext": [known[0].hover] * 2,
                    "hovertemplate": "%{hovertext}<extra></extra>",
                }
            )
            ends.append((known[0].value, _end_text(s, known[0], years[-1]), y1))
            continue
        trace = {
            "type": "scatter",
            "x": [p.x for p in s.points],
            "y": [p.value for p in s.points],
            "mode": "lines+markers+text" if label_all else "lines+markers",
            "connectgaps": False,  # a missing year is a gap, never an interpolation
            "name": s.name,
            "line": {"color": s.colour, "width": _px(3.5 if s.emphasis else 2.5, canvas)},
            "marker": _marker(s, canvas),
            "textposition": "top center",
            "textfont": {"size": text_px, "color": TEXT_COLOUR},
            "hovertext": [p.hover for p in s.points],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "cliponaxis": False,
        }
        if label_all:
            trace["text"] = [p.text if p.value is not None else "" for p in s.points]
        traces.append(trace)
        if not label_all and known:
            ends.append((known[-1].value, _end_text(s, known[-1], years[-1]), known[-1].x))
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.12 or abs(hi) * 0.1 or 1.0
    additive = ex.unit in ("count", "million_vnd", "billion_vnd", "mw", "mwp")
    low = 0.0 if lo >= 0 and (lo - pad <= 0 or additive) else lo - pad
    high = hi + pad * (1.6 if label_all else 0.6)
    if ex.unit == "pct" and hi <= 100 < high:
        high = 100 + pad * (0.9 if label_all else 0.3)
    right = _px(30, canvas)
    if ends:
        longest = max(len(re.sub(r"<[^>]+>", "", text)) for _, text, _ in ends)
        right = _px(18, canvas) + round(longest * text_px * CHAR_W)
    xaxis = {
        "range": [years[0] - 0.45, years[-1] + 0.45],
        "dtick": 1,
        "tickformat": "d",
        "showgrid": False,
        "tickfont": {"size": _px(16, canvas)},
        "fixedrange": True,
        "zeroline": False,
    }
    yaxis = {
        "range": [low, high],
        "gridcolor": GRID,
        "zeroline": low == 0,
        "zerolinecolor": "#999999",
        "tickformat": ",~r",
        "tickfont": {"size": _px(14, canvas)},
        "title": {"text": label("unit", ex.unit, ex.lang) if ex.unit else "", "font": {"size": _px(15, canvas)}},
        "fixedrange": True,
        **_count_ticks(ex.unit, high - low),
    }
    fr = _frame(ex, canvas, width, _px(80, canvas), _px(44, canvas))
    plot_h = _px(320, canvas)
    if canvas.height:
        plot_h = max(_px(120, canvas), canvas.height - fr.top - fr.axis_room - fr.footer_h)
    labels = [
        {
            "x": 1,
            "xref": "paper",
            "y": y,
            "yshift": shift,
            "xanchor": "left",
            "xshift": _px(6, canvas),
            "text": text,
            "showarrow": False,
            "font": {"size": text_px, "color": TEXT_COLOUR},
        }
        for y, shift, text in _spread(ends, low, high, plot_h, text_px)
    ]
    layout = _layout(ex, canvas, fr, plot_h, labels, xaxis=xaxis, yaxis=yaxis, margin={"r": right})
    return go.Figure(traces, layout, _validate=False)


def _end_text(series: Series, point, last_year: int) -> str:
    """“● Ba Tơ 99,1 %” in the line's colour, with the year when it is not the last."""
    when = f" ({point.x})" if point.x != last_year else ""
    name = f" {series.name}" if series.name else ""
    return f"<span style='color:{series.colour}'>●</span>{name} {point.text}{when}"


def _spread(ends: list, low: float, high: float, plot_h: int, text_px: int) -> list[tuple[float, int, str]]:
    """The end labels of several lines, moved apart just enough not to overlap: (y, shift in
    px, text), from the lowest up."""
    if not ends:
        return []
    per_unit = plot_h / ((high - low) or 1)
    gap = text_px * 1.25
    placed, last = [], None
    for value, text, _ in sorted(ends, key=lambda e: e[0]):
        at = (value - low) * per_unit
        if last is not None and at < last + gap:
            at = last + gap
        placed.append((value, round(at - (value - low) * per_unit), text))
        last = at
    return placed


def stamp(lang: str, date: str) -> str:
    return f"{t('app.department', lang)} · {date}"
