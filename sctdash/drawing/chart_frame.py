"""What every chart figure is laid out on (sctdash.drawing.figures): the canvas, the frame of words
around the plot (title, subtitle, legend, footnotes) worked out from the words' real widths,
the base layout, and the markers of reported, derived and external values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sctdash.core import colours, fmt, measure
from sctdash.core.styles import style
from sctdash.core.typography import CHART_FONT, SCALE
from sctdash.exhibits.exhibit import Exhibit, Series

TEXT_COLOUR = colours.DARK_TEXT
FONT = CHART_FONT.family
T = SCALE  # the type scale (sctdash.core.typography): a canvas multiplies it by its scale
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

    @property
    def interactive(self) -> bool:
        """A place on screen (no fixed width), where a reader can hover and click; an image
        or a slide's picture has a width of its own."""
        return self.width is None


# The narrowest main area a page's chart gets: a 1200-px window with the sidebar open at its
# width of 300 px (below 1200 px the sidebar opens over the page, sctdash/app/layout.py).
PAGE_WIDTH = 840
SCREEN = Canvas(page_width=PAGE_WIDTH)
# A meeting screen spans the window less its margins: 976 px at 1024 px and up. Its words are
# the screen's (sctdash/app/meeting.py); its chart fills what they leave: 380 px at the least on a
# 1280×720 screen, where a title of two lines and four lines of footnotes leave the least.
MEETING = Canvas(scale=1.3, words=False, page_width=960, fill=True, height=380, legend=False)


def px(size: float, canvas: Canvas) -> int:
    return round(size * canvas.scale)


def width_of(canvas: Canvas) -> int:
    return canvas.width or canvas.page_width or PAGE_WIDTH


def wrap_label(text: str, px: float, room: float) -> str:
    """A category's words in lines of at most `room` pixels at `px`, of even lengths."""
    return measure.wrap(str(text), px, room, even=True)


def shows_legend(ex: Exhibit, canvas: Canvas) -> bool:
    """The exhibit's legend (Exhibit.legend) in the figure, unless its canvas leaves it to its
    place (a meeting screen writes it as words)."""
    return ex.legend and canvas.legend


def legend_rows(names: list[str], px: int, room: float) -> int:
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
class Frame:
    heading: str
    top: int
    footer: list[str]
    footer_h: int
    left: int
    axis_room: int
    right: int


def make_frame(
    ex: Exhibit, canvas: Canvas, width: int, left: int, axis_room: int, right: int | None = None, panel_lines: int = 1
) -> Frame:
    """The title block, the legend and the footnote block, and the margins they need, with
    the words broken into lines that fit `width` in their own font and size."""
    title_px, sub_px, foot_px = px(T.title, canvas), px(T.subtitle, canvas), px(T.small, canvas)
    legend_px = px(T.label, canvas)
    right = px(30, canvas) if right is None else right
    top = px(10, canvas)
    heading = ""
    if canvas.words:
        room = width - 2 * px(10, canvas)  # the title's pad on the left, as much on the right
        title_lines = measure.lines(ex.title, title_px, room, bold=True)
        sub_lines = measure.lines(ex.subtitle, sub_px, room) if ex.subtitle else []
        heading = "<br>".join(title_lines)
        if sub_lines:
            heading += (
                f"<br><span style='font-size:{sub_px}px;font-weight:normal;color:{colours.GREY_TEXT}'>"
                + "<br>".join(sub_lines)
                + "</span>"
            )
        top += round(title_px * 1.3 * len(title_lines) + sub_px * 1.35 * len(sub_lines)) + px(20, canvas)
    if shows_legend(ex, canvas):
        names = [s.name for s in ex.legend_entries if s.name]
        rows = legend_rows(names, legend_px, width - left - right)  # Plotly wraps it over the plot
        top += round(legend_px * 1.6 * rows)
    if any(p.title for p in ex.panels):
        top += round(px(T.heading, canvas) * 1.3 * panel_lines) + px(8, canvas)
    top += px(18 if canvas.words or shows_legend(ex, canvas) else 8, canvas)
    footer = []
    if canvas.words:
        texts = list(ex.footnotes) + ([canvas.stamp] if canvas.stamp else [])
        room = width - 2 * px(8, canvas)  # the footnote starts 8 px in
        footer = [line for text in texts for line in measure.lines(text, foot_px, room)]
    footer_h = round(foot_px * 1.45 * len(footer)) + (px(12, canvas) if footer else px(6, canvas))
    return Frame(heading, top, footer, footer_h, left, axis_room, right)


def plot_height(canvas: Canvas, fr: Frame, content: int) -> int:
    """The plot's height: from its content, or what a fixed or filled canvas leaves it (a
    filled one at its least)."""
    if canvas.height:
        return max(px(120, canvas), canvas.height - fr.top - fr.axis_room - fr.footer_h)
    return content


def base_layout(ex: Exhibit, canvas: Canvas, fr: Frame, plot_h: int, annotations: list | None = None, **extra) -> dict:
    """The figure's layout as a plain dict: built here whole, never updated afterwards (a
    figure made from it skips Plotly's validation, which costs more than the drawing)."""
    height = canvas.height or (fr.top + plot_h + fr.axis_room + fr.footer_h)
    layout = {
        "separators": fmt.plotly_separators(ex.lang),
        "font": {"family": FONT, "size": px(T.body, canvas), "color": TEXT_COLOUR},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "showlegend": shows_legend(ex, canvas),
        "legend": {
            # in the traces' order: Plotly lists a stacked chart's backwards by default, which
            # on a horizontal legend reads against the bars' order left to right
            "traceorder": "normal",
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "xanchor": "left",
            "font": {"size": px(T.label, canvas)},
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
        "hoverlabel": {"font": {"size": px(T.label, canvas)}},
        "uniformtext": {"minsize": px(T.small, canvas), "mode": "show"},
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
            "pad": {"t": px(10, canvas) + round(px(T.title, canvas) * 1.05), "l": px(10, canvas)},
            "font": {"size": px(T.title, canvas), "color": TEXT_COLOUR, "weight": 600},
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
                "xshift": px(8, canvas) - fr.left,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": px(T.small, canvas), "color": "#333333"},
            }
        )
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


# ------------------------------------------------------------------ styles
def value_axis_left(ex: Exhibit, canvas: Canvas) -> int:
    """The room left of a vertical value axis: its widest tick label (the highest value, a
    step above, grouped as the language writes it: "140.000.000") and its rotated unit title;
    80 px at least. A fixed 80 px let the ticks of a yearbook's million-VND figures run into the
    title."""
    values = [abs(p.value) for pa in ex.panels for s in pa.series for p in s.points if p.value is not None]
    top = max(values, default=0.0) * 1.2
    ticks = measure.widest([fmt.number(top, 0, ex.lang)], px(T.small, canvas))
    title = px(T.label, canvas) * 1.4 if ex.unit else 0
    return max(px(80, canvas), round(ticks + title + px(16, canvas)))


def marker(series: Series, canvas: Canvas, size: float = 10) -> dict:
    """A line's markers, each in its kind's style (sctdash.core.styles): hollow, pale."""
    pts = series.points
    return {
        "size": px(size, canvas),
        "color": [("white" if style(p.kind).hollow else p.colour or series.colour) for p in pts],
        "opacity": [style(p.kind).opacity for p in pts],
        "line": {"color": [p.colour or series.colour for p in pts], "width": px(2, canvas)},
        "symbol": "circle",
    }


def bar_marker(series: Series, canvas: Canvas) -> dict:
    pts = [p for p in series.points if p.value is not None]
    fills = [p.colour or series.colour for p in pts]
    return {
        # each in its kind's style (sctdash.core.styles): a pattern in the series' colour on
        # white (the bar's own colour as the marker's: the page's plotly.js draws no pattern on
        # a white marker), pale
        "color": fills,
        "opacity": [style(p.kind).opacity for p in pts],
        "pattern": {
            "shape": [style(p.kind).pattern for p in pts],
            "fgcolor": fills if len(set(fills)) > 1 else fills[0] if fills else series.colour,
            "bgcolor": "white",
            "size": px(9, canvas),
            "solidity": 0.45,
        },
        "line": {"color": fills if len(set(fills)) > 1 else (fills or [series.colour])[0], "width": px(1.5, canvas)},
    }


# ------------------------------------------------------------------ value labels and ticks
def two_lines(point) -> str:
    """A value label over a narrow bar: the figure, and under it what kind of figure it is."""
    suffix = point.text[len(point.plain) :].strip() if point.plain and point.text.startswith(point.plain) else ""
    return f"{point.plain}<br>{suffix}" if suffix else point.text


def count_ticks(unit: str, top: float) -> dict:
    """Whole-number ticks for a count (no “1,5 chợ”)."""
    if unit != "count" or not top:
        return {}
    raw = top / 5
    k = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= raw)
    return {"tick0": 0, "dtick": max(1, math.ceil(step))}


def fitted(point, px: int, room: float) -> str:
    """A value label over a vertical bar in at most `room` pixels across: on one line, or the
    figure over what kind of figure it is, or broken between words further."""
    for text in (point.text, two_lines(point)):
        if measure.fits(text, px, room):
            return text
    return "<br>".join(measure.wrap(line, px, room) for line in two_lines(point).split("<br>"))
