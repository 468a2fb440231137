"""Plotly figures of exhibits: `figure(exhibit, canvas) -> go.Figure`, no Streamlit.

The same exhibit is drawn for every output; only the canvas differs: the page (the width of
the page, text at 1×), meeting mode (text × 1.3), the 16:9 image (960×540 layout px rendered
at scale 2, with the department and the date), and the picture on a slide (the slide carries
the words). Every size and margin is worked out here from the canvas and the words to lay
out; nothing patches a figure afterwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.graph_objects as go

from sctdash import colours, fmt, measure
from sctdash.exhibit import Exhibit, Panel, Series
from sctdash.i18n import label, t

TEXT_COLOUR = colours.DARK_TEXT
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
GRID = "#E5E5E5"


@dataclass(frozen=True)
class Canvas:
    """Where a figure is drawn.

    `width` None: as wide as its place on screen, which is at least `page_width` (the words
    break and the labels get their room for that width); `words` False: no title, subtitle or
    footnotes in the figure (its place carries them: a slide, a meeting screen); `legend`
    False: nor the legend (a meeting screen shows it as text, which wraps to the window);
    `fill`: as tall as its place on screen (Plotly's autosize), which is at least `height` —
    the labels are laid out for that height."""

    width: int | None = None
    height: int | None = None
    scale: float = 1.0
    words: bool = True
    stamp: str = ""  # exports: "Sở Công Thương tỉnh Quảng Ngãi · 29/11/2026"
    page_width: int | None = None
    fill: bool = False
    legend: bool = True


# The narrowest main area a page's chart gets: a 1200-px window with the sidebar open at its
# width of 300 px (below 1200 px the sidebar opens over the page, sctdash/layout.py).
PAGE_WIDTH = 840
SCREEN = Canvas(page_width=PAGE_WIDTH)
# A meeting screen spans the window less its margins: 976 px at 1024 px and up. Its words are
# the screen's (sctdash/meeting.py); its chart fills what they leave: 380 px at the least on a
# 1280×720 screen, where a title of two lines and four lines of footnotes leave the least.
MEETING = Canvas(scale=1.3, words=False, page_width=960, fill=True, height=380, legend=False)


def _px(size: float, canvas: Canvas) -> int:
    return round(size * canvas.scale)


def _width(canvas: Canvas) -> int:
    return canvas.width or canvas.page_width or PAGE_WIDTH


def wrap_label(text: str, px: float, room: float) -> str:
    """A category's words in lines of at most `room` pixels at `px`, of even lengths."""
    return measure.wrap(str(text), px, room, even=True)


def _legend_rows(names: list[str], px: int, room: float) -> int:
    """Rows of a horizontal legend of `names` in `room` pixels, as Plotly lays it out: one
    row when every entry fits; else entries as wide as the widest, as many to a row as fit
    (an entry: a 40-px swatch and its words, 5 px apart)."""
    if not names:
        return 1
    entries = [40 + measure.width(name, px) for name in names]
    if sum(entries) + 5 * (len(entries) - 1) < room:
        return 1
    per_row = max(1, int((room + 5) // (max(entries) + 5)))
    while per_row > 1 and per_row * (max(entries) + 5) - 5 >= room:
        per_row -= 1
    return math.ceil(len(names) / per_row)


@dataclass
class _Frame:
    heading: str
    top: int
    footer: list[str]
    footer_h: int
    left: int
    axis_room: int
    right: int


def _frame(
    ex: Exhibit, canvas: Canvas, width: int, left: int, axis_room: int, right: int | None = None, panel_lines: int = 1
) -> _Frame:
    """The title block, the legend and the footnote block, and the margins they need, with
    the words broken into lines that fit `width` in their own font and size."""
    title_px, sub_px, foot_px = _px(22, canvas), _px(16, canvas), _px(14, canvas)
    legend_px = _px(15, canvas)
    right = _px(30, canvas) if right is None else right
    top = _px(10, canvas)
    heading = ""
    if canvas.words:
        room = width - 2 * _px(10, canvas)  # the title's pad on the left, as much on the right
        title_lines = measure.lines(ex.title, title_px, room, bold=True)
        sub_lines = measure.lines(ex.subtitle, sub_px, room) if ex.subtitle else []
        heading = "<br>".join(title_lines)
        if sub_lines:
            heading += (
                f"<br><span style='font-size:{sub_px}px;font-weight:normal;color:{colours.GREY_TEXT}'>"
                + "<br>".join(sub_lines)
                + "</span>"
            )
        top += round(title_px * 1.3 * len(title_lines) + sub_px * 1.35 * len(sub_lines)) + _px(20, canvas)
    if ex.legend and canvas.legend:
        names = [s.name for p in ex.panels for s in p.series if s.name]
        rows = _legend_rows(names, legend_px, width - left - right)  # Plotly wraps it over the plot
        top += round(legend_px * 1.6 * rows)
    if any(p.title for p in ex.panels):
        top += round(_px(18, canvas) * 1.3 * panel_lines) + _px(8, canvas)
    top += _px(18 if canvas.words or (ex.legend and canvas.legend) else 8, canvas)
    footer = []
    if canvas.words:
        texts = list(ex.footnotes) + ([canvas.stamp] if canvas.stamp else [])
        room = width - 2 * _px(8, canvas)  # the footnote starts 8 px in
        footer = [line for text in texts for line in measure.lines(text, foot_px, room)]
    footer_h = round(foot_px * 1.45 * len(footer)) + (_px(12, canvas) if footer else _px(6, canvas))
    return _Frame(heading, top, footer, footer_h, left, axis_room, right)


def _plot_height(canvas: Canvas, fr: _Frame, content: int) -> int:
    """The plot's height: from its content, or what a fixed or filled canvas leaves it (a
    filled one at its least)."""
    if canvas.height:
        return max(_px(120, canvas), canvas.height - fr.top - fr.axis_room - fr.footer_h)
    return content


def _layout(ex: Exhibit, canvas: Canvas, fr: _Frame, plot_h: int, annotations: list | None = None, **extra) -> dict:
    """The figure's layout as a plain dict: built here whole, never updated afterwards (a
    figure made from it skips Plotly's validation, which costs more than the drawing)."""
    height = canvas.height or (fr.top + plot_h + fr.axis_room + fr.footer_h)
    layout = {
        "separators": fmt.plotly_separators(ex.lang),
        "font": {"family": FONT, "size": _px(16, canvas), "color": TEXT_COLOUR},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "showlegend": ex.legend and canvas.legend,
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
            "r": fr.right,
            "t": fr.top,
            "b": fr.axis_room + fr.footer_h,
            "autoexpand": False,
        },
        "hoverlabel": {"font": {"size": _px(15, canvas)}},
        "uniformtext": {"minsize": _px(14, canvas), "mode": "show"},
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
    if canvas.fill:  # Plotly's autosize: the height of its place on screen
        layout["autosize"] = True
    else:
        layout["height"] = height
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
BARGAP = 0.28  # stacked bars: the share of a category's width between its bar and the next
CAT_GAP = 0.4  # bars side by side: slots (of one bar) between a category's bars and the next's
BAR_FILL = 0.9  # the share of its slot a bar fills; the rest parts two bars of one category


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


def _fitted(point, px: int, room: float) -> str:
    """A value label over a vertical bar in at most `room` pixels across: on one line, or the
    figure over what kind of figure it is, or broken between words further."""
    for text in (point.text, _two_lines(point)):
        if measure.fits(text, px, room):
            return text
    return "<br>".join(measure.wrap(line, px, room) for line in _two_lines(point).split("<br>"))


def _value_room(pts_texts: list[tuple[float, str]], px: int, plot_w: float, pad: float) -> float:
    """The value axis's end that leaves each horizontal bar's label (value, text) room
    right of its bar, inside the plot."""
    end = 0.0
    for value, text in pts_texts:
        free = max(plot_w - measure.widest([text], px) - pad, plot_w * 0.25)
        end = max(end, value * plot_w / free)
    return end


def _value_axis(ex: Exhibit, canvas: Canvas) -> dict:
    return {
        "showgrid": True,
        "gridcolor": GRID,
        "zeroline": True,
        "zerolinecolor": "#999999",
        "title": {
            "text": label("unit", ex.unit, ex.lang) if ex.unit else "",
            "font": {"size": _px(15, canvas)},
            "standoff": _px(6, canvas),
        },
        "rangemode": "tozero",
        "tickformat": ",~r",  # thousands grouped the way the language writes them: 5.000
        "tickfont": {"size": _px(14, canvas)},
        "fixedrange": True,
    }


def _bar_trace(series: Series, canvas: Canvas, text_px: int) -> dict:
    pts = [p for p in series.points if p.value is not None]
    return {
        "type": "bar",
        "name": series.name,
        "cliponaxis": False,
        "textfont": {"size": text_px, "color": TEXT_COLOUR},
        "marker": _bar_marker(series, canvas),
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hovertext": [p.hover for p in pts],
    }


def _slots(panel: Panel, words_lines: dict, line_slots: float) -> tuple[dict, list, float]:
    """Where the bars go, in slots of one bar: a category's bars side by side, one for each
    series with a value there (no empty room for the others), categories CAT_GAP slots
    apart; a category whose words take more lines than it has bars gets the room of its
    words. Returns the centre of each (series, category) bar, the centre and span of each
    category, and the slots in all."""
    at = 0.0
    centres, ticks = {}, []
    for code, _ in panel.categories:
        bars = [s for s in panel.series if any(p.x == code and p.value is not None for p in s.points)]
        span = max(len(bars), 1, words_lines.get(code, 0) * line_slots)
        start = at + (span - len(bars)) / 2
        for j, s in enumerate(bars):
            centres[(s.key, code)] = start + j + 0.5
        ticks.append((at + span / 2, code, span))
        at += span + CAT_GAP
    return centres, ticks, max(at - CAT_GAP, 1.0)


def _bar_figure(ex: Exhibit, canvas: Canvas) -> go.Figure:
    """Bars side by side: along a position axis of slots (_slots), the categories' words at
    their bars' centre, each bar's label outside its end."""
    panel = ex.panels[0]
    if ex.shape == "stacked":
        return _stack_figure(ex, canvas)
    width = _width(canvas)
    n_cat = len(panel.categories)
    text_px = _px(16 if n_cat <= 10 else 14, canvas)
    cat_px = _px(16, canvas)
    right = _px(30, canvas)
    if ex.horizontal:
        axis_room = _px(52 if ex.unit else 30, canvas)
        # A canvas that fills its place gets at least its height: when the bars and their
        # words need more, the words take 14 px (× scale) and up to half the width.
        least = _plot_height(canvas, _frame(ex, canvas, width, 0, axis_room, right), 0)
        for size, share in ((16, 0.42), (14, 0.42), (14, 0.5)):
            text_px, cat_px = _px(min(size, 16 if n_cat <= 10 else 14), canvas), _px(size, canvas)
            room = width * share - _px(24, canvas)
            cats = {code: wrap_label(words, cat_px, room) for code, words in panel.categories}
            slot_px = max(_px(26, canvas) * size / 16, text_px * 1.25 + _px(4, canvas))  # a bar, its label
            lines = {code: words.count("<br>") + 1 for code, words in cats.items()}
            centres, ticks, total = _slots(panel, lines, cat_px * 1.25 / slot_px)
            plot_h = round((total + CAT_GAP) * slot_px)
            if not canvas.fill or plot_h <= least:
                break
        left = round(measure.widest(cats.values(), cat_px) + _px(24, canvas))
        texts = {(s.key, p.x): p.text for s in panel.series for p in s.points}
    else:
        left = _px(80, canvas)
        centres, ticks, total = _slots(panel, {}, 0)
        slot_px = (width - left - right) / (total + CAT_GAP)
        spans = {code: span for _, code, span in ticks}
        cats = {
            code: wrap_label(words, cat_px, (spans[code] + CAT_GAP) * slot_px - _px(8, canvas))
            for code, words in panel.categories
        }
        plot_h = _px(300, canvas)
        axis_room = round(max(w.count("<br>") + 1 for w in cats.values()) * cat_px * 1.3) + _px(26, canvas)
        # a label sits over its bar, centred, and may not reach the next bar's label
        texts = {(s.key, p.x): _fitted(p, text_px, slot_px - _px(6, canvas)) for s in panel.series for p in s.points}
    fr = _frame(ex, canvas, width, left, axis_room, right)
    plot_h = _plot_height(canvas, fr, plot_h)
    traces = []
    for s in panel.series:
        pts = [p for p in s.points if p.value is not None]
        trace = _bar_trace(s, canvas, text_px)
        trace.update(
            text=[texts[(s.key, p.x)] for p in pts],
            textposition="outside",
            constraintext="none",  # drawn at the size laid out here
            width=[BAR_FILL] * len(pts),
            customdata=[cats[p.x] for p in pts],  # the category each bar is of, as its words on the axis
        )
        at = [centres[(s.key, p.x)] for p in pts]
        values = [p.value for p in pts]
        if ex.horizontal:
            trace.update(y=at, x=values, orientation="h")
        else:
            trace.update(x=at, y=values)
        traces.append(trace)
    value_axis = _value_axis(ex, canvas)
    top = max((p.value for s in panel.series for p in s.points if p.value is not None), default=1.0)
    if ex.horizontal:  # room right of each bar for its label
        plot_w = max(width - left - right, 200)
        drawn = [(p.value, texts[(s.key, p.x)]) for s in panel.series for p in s.points if p.value is not None]
        end = _value_room(drawn, text_px, plot_w, _px(8, canvas))
    else:  # room above the tallest bar for its label's lines
        label_lines = max((t_.count("<br>") + 1 for t_ in texts.values()), default=1)
        label_h = label_lines * text_px * 1.25 + _px(6, canvas)
        end = top * (1 + label_h / max(plot_h - label_h, plot_h * 0.3))
    value_axis["range"] = [0, end or 1.0]
    value_axis.update(_count_ticks(ex.unit, top))
    position_axis = {
        "tickmode": "array",
        "tickvals": [centre for centre, _, _ in ticks],
        "ticktext": [cats[code] for _, code, _ in ticks],
        "tickfont": {"size": cat_px},
        "tickangle": 0,  # broken into lines that fit: never turned
        "ticks": "",
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
    }
    if ex.horizontal:
        position_axis.update(range=[total + CAT_GAP / 2, -CAT_GAP / 2], ticklabelstandoff=_px(6, canvas))
        axes = {"xaxis": value_axis, "yaxis": position_axis}
    else:
        position_axis["range"] = [-CAT_GAP / 2, total + CAT_GAP / 2]
        axes = {"yaxis": value_axis, "xaxis": position_axis}
    layout = _layout(ex, canvas, fr, plot_h, barmode="overlay", **axes)
    return go.Figure(traces, layout, _validate=False)


def _stack_figure(ex: Exhibit, canvas: Canvas) -> go.Figure:
    """Stacked bars on a category axis, each part's figure inside it."""
    panel = ex.panels[0]
    width = _width(canvas)
    n_cat = len(panel.categories)
    n_series = max(len(panel.series), 1)
    text_px = _px(16 if n_cat <= 10 else 14, canvas)
    cat_px = _px(16, canvas)
    right = _px(30, canvas)
    if ex.horizontal:
        cats = {code: wrap_label(words, cat_px, width * 0.42 - _px(24, canvas)) for code, words in panel.categories}
        left = round(measure.widest(cats.values(), cat_px) + _px(24, canvas))
        lines = max((w.count("<br>") + 1 for w in cats.values()), default=1)
        band = max(_px(42, canvas), _px(26, canvas) + _px(14, canvas), lines * cat_px * 1.25 + _px(10, canvas))
        plot_h = round(band * n_cat) + _px(20, canvas)
        axis_room = _px(52 if ex.unit else 30, canvas)
    else:
        left = _px(80, canvas)
        cat_w = (width - left - right) / max(n_cat, 1)
        cats = {code: wrap_label(words, cat_px, cat_w - _px(8, canvas)) for code, words in panel.categories}
        lines = max((w.count("<br>") + 1 for w in cats.values()), default=1)
        plot_h = _px(300, canvas)
        axis_room = round(lines * cat_px * 1.3) + _px(26, canvas)
    fr = _frame(ex, canvas, width, left, axis_room, right)
    plot_h = _plot_height(canvas, fr, plot_h)
    traces = []
    for s in panel.series[:n_series]:
        pts = [p for p in s.points if p.value is not None]
        trace = _bar_trace(s, canvas, text_px)
        trace.update(
            text=[p.text for p in pts],
            textposition="inside",
            insidetextanchor="middle",
            # dark or white text, whichever reads at 4.5:1 or better on each bar (tests/test_colours.py)
            textfont={"size": text_px, "color": [colours.text_on(col) for col in trace["marker"]["color"]]},
        )
        labels, values = [cats[p.x] for p in pts], [p.value for p in pts]
        if ex.horizontal:
            trace.update(y=labels, x=values, orientation="h")
        else:
            trace.update(x=labels, y=values)
        traces.append(trace)
    category_axis = {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": [cats[code] for code, _ in panel.categories],
        "tickfont": {"size": cat_px},
        "tickangle": 0,  # broken into lines that fit: never turned
        "fixedrange": True,
    }
    if ex.horizontal:
        axes = {
            "xaxis": _value_axis(ex, canvas),
            "yaxis": {**category_axis, "autorange": "reversed", "ticklabelstandoff": _px(6, canvas)},
        }
    else:
        axes = {"yaxis": _value_axis(ex, canvas), "xaxis": category_axis}
    layout = _layout(ex, canvas, fr, plot_h, barmode="stack", bargap=BARGAP, **axes)
    return go.Figure(traces, layout, _validate=False)


def _facet_figure(ex: Exhibit, canvas: Canvas) -> go.Figure:
    """Small multiples: a panel per kind of facility, each on its own scale, side by side."""
    width = _width(canvas)
    n = len(ex.panels)
    gap = 0.07
    span = (1 - gap * (n - 1)) / n
    left, right = _px(50, canvas), _px(30, canvas)
    panel_w = (width - left - right) * span
    cat_px = text_px = _px(16, canvas)
    title_px = _px(18, canvas)
    lines, label_lines, title_lines = 1, 1, 1
    traces, axes, titles, tops = [], {}, [], []
    for col, panel in enumerate(ex.panels, start=1):
        suffix = "" if col == 1 else str(col)
        domain = [(col - 1) * (span + gap), (col - 1) * (span + gap) + span]
        n_series = max(len(panel.series), 1)
        cat_w = panel_w / max(len(panel.categories), 1)
        cats = {code: wrap_label(words, cat_px, cat_w - _px(8, canvas)) for code, words in panel.categories}
        lines = max([lines] + [w.count("<br>") + 1 for w in cats.values()])
        slot = (cat_w * (1 - BARGAP) / n_series if n_series > 1 else cat_w) - _px(6, canvas)
        for series in panel.series:
            pts = [p for p in series.points if p.value is not None]
            texts = [_fitted(p, text_px, slot) for p in pts]
            label_lines = max([label_lines] + [t_.count("<br>") + 1 for t_ in texts])
            traces.append(
                {
                    "type": "bar",
                    "x": [cats[p.x] for p in pts],
                    "y": [p.value for p in pts],
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "text": texts,
                    "textposition": "outside",
                    "constraintext": "none",
                    "cliponaxis": False,
                    "name": series.name,
                    "marker": _bar_marker(series, canvas),
                    "textfont": {"size": text_px, "color": TEXT_COLOUR},
                    "showlegend": False,
                    "hovertext": [p.hover for p in pts],
                    "hovertemplate": "%{hovertext}<extra></extra>",
                }
            )
        top = max((p.value for s in panel.series for p in s.points if p.value is not None), default=1.0)
        tops.append((suffix, top))
        axes[f"xaxis{suffix}"] = {
            "domain": domain,
            "anchor": f"y{suffix}",
            "type": "category",
            "tickfont": {"size": cat_px},
            "tickangle": 0,
            "fixedrange": True,
        }
        axes[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "gridcolor": GRID,
            "tickformat": ",~r",
            "tickfont": {"size": _px(14, canvas)},
            "fixedrange": True,
            **_count_ticks(ex.unit, top),
        }
        heading = measure.wrap(panel.title, title_px, panel_w, even=True)
        title_lines = max(title_lines, heading.count("<br>") + 1)
        titles.append(
            {
                "text": heading,
                "x": sum(domain) / 2,
                "xref": "paper",
                "y": 1.0,
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": title_px, "color": TEXT_COLOUR},
            }
        )
    axis_room = round(lines * cat_px * 1.3) + _px(26, canvas)
    fr = _frame(ex, canvas, width, left, axis_room, right, panel_lines=title_lines)
    plot_h = _plot_height(canvas, fr, _px(300, canvas))
    label_h = label_lines * text_px * 1.25 + _px(6, canvas)
    for suffix, top in tops:  # room above each panel's tallest bar for its label's lines
        axes[f"yaxis{suffix}"]["range"] = [0, (top or 1) * (1 + label_h / max(plot_h - label_h, plot_h * 0.3))]
    layout = _layout(ex, canvas, fr, plot_h, titles, showlegend=False, **axes)
    return go.Figure(traces, layout, _validate=False)


# ------------------------------------------------------------------ lines
def _line_figure(ex: Exhibit, canvas: Canvas) -> go.Figure:
    panel: Panel = ex.panels[0]
    width = _width(canvas)
    years = [code for code, _ in panel.categories]
    traces = []
    values = [p.value for s in panel.series for p in s.points if p.value is not None]
    label_all = ex.value_labels == "all"
    text_px = _px(15, canvas)
    left = _px(80, canvas)
    # a point's label sits over it, centred, and may not reach the next year's
    step = (width - left - _px(30, canvas)) / (years[-1] - years[0] + 0.9) if len(years) > 1 else width / 2
    label_lines = 1
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
            trace["text"] = [
                _fitted(p, text_px, step - _px(8, canvas)) if p.value is not None else "" for p in s.points
            ]
            label_lines = max([label_lines] + [t_.count("<br>") + 1 for t_ in trace["text"]])
        traces.append(trace)
        if not label_all and known:
            ends.append((known[-1].value, _end_text(s, known[-1], years[-1]), known[-1].x))
    right = _px(30, canvas)
    if ends:  # at most a third of the width: a longer label takes two lines
        room = width / 3
        ends = [(value, _end_lines(text, text_px, room), x) for value, text, x in ends]
        right = _px(18, canvas) + round(measure.widest([text for _, text, _ in ends], text_px))
    fr = _frame(ex, canvas, width, left, _px(44, canvas), right)
    plot_h = _plot_height(canvas, fr, _px(320, canvas))
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.12 or abs(hi) * 0.1 or 1.0
    additive = ex.unit in ("count", "million_vnd", "billion_vnd", "mw", "mwp")
    low = 0.0 if lo >= 0 and (lo - pad <= 0 or additive) else lo - pad
    high = hi + pad * 0.6
    if ex.unit == "pct" and hi <= 100 < high:
        high = 100 + pad * 0.3
    if label_all:  # room over the highest point for its label's lines
        need = label_lines * text_px * 1.25 + _px(10, canvas)
        high = max(high, hi + (hi - low) * need / max(plot_h - need, plot_h * 0.3))
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
    layout = _layout(ex, canvas, fr, plot_h, labels, xaxis=xaxis, yaxis=yaxis)
    return go.Figure(traces, layout, _validate=False)


def _end_text(series: Series, point, last_year: int) -> str:
    """“● Ba Tơ 99,1 %” in the line's colour, with the year when it is not the last."""
    when = f" ({point.x})" if point.x != last_year else ""
    name = f" {series.name}" if series.name else ""
    return f"<span style='color:{series.colour}'>●</span>{name} {point.text}{when}"


def _end_lines(text: str, px: int, room: float) -> str:
    """An end label in lines of at most `room` pixels (its coloured dot stays with the name)."""
    if measure.fits(text, px, room):
        return text
    dot, _, rest = text.partition("</span>")
    parts = measure.lines(rest, px, room - measure.width("● ", px))
    return f"{dot}</span>" + "<br>".join(parts)


def _spread(ends: list, low: float, high: float, plot_h: int, text_px: int) -> list[tuple[float, int, str]]:
    """The end labels of several lines, moved apart just enough not to overlap: (y, shift in
    px, text), from the lowest up; a label of two lines takes the room of two."""
    if not ends:
        return []
    per_unit = plot_h / ((high - low) or 1)
    line_h = text_px * 1.4  # a line of text and a little air: Plotly boxes a line 1.3 em tall
    placed, last, last_h = [], None, 0.0
    for value, text, _ in sorted(ends, key=lambda e: e[0]):
        at = (value - low) * per_unit
        tall = line_h * (text.count("<br>") + 1)
        if last is not None and at < last + (last_h + tall) / 2:
            at = last + (last_h + tall) / 2
        placed.append((value, round(at - (value - low) * per_unit), text))
        last, last_h = at, tall
    return placed


def stamp(lang: str, date: str) -> str:
    return f"{t('app.department', lang)} · {date}"
