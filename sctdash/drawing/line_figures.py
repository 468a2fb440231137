"""Lines of an exhibit as a Plotly figure: a year per point, a missing year a gap, the series'
last values written at their ends without running into each other. Laid out on
sctdash.drawing.chart_frame.
"""

from __future__ import annotations

from typing import cast

import plotly.graph_objects as go

from sctdash.core import measure, units
from sctdash.core.i18n import label
from sctdash.drawing import chart_frame as cf
from sctdash.exhibits.exhibit import TARGETS_KEY, Exhibit, Panel, Series


# ------------------------------------------------------------------ lines
def _target_marks(s: Series, known: list, canvas: cf.Canvas, text_px: int, results: dict) -> dict:
    """A series' yearly targets: a short wide rule at each target's value over its year, its
    figure over it where the result of its year is lower, under it where higher (the legend
    names the series a target: “Toàn tỉnh · Kế hoạch”; the hover says “Kế hoạch 2026: 145”),
    never a line or a bar; not beside it, where a line's last figure is written. `results`: the
    result of each year of the same figure."""
    return {
        "type": "scatter",
        "x": [p.x for p in known],
        "y": [p.value for p in known],
        "mode": "markers+text",
        "name": s.name,
        "marker": {
            "symbol": "line-ew-open",
            "size": cf.px(26, canvas),
            "color": s.colour,
            "line": {"color": s.colour, "width": cf.px(3, canvas)},
        },
        "text": [p.plain.rsplit(": ", 1)[-1] for p in known],  # plain: “Kế hoạch 2026: 145”
        "textposition": [
            "bottom center" if results.get(p.x) is not None and results[p.x] > p.value else "top center" for p in known
        ],
        "textfont": {"size": text_px, "color": cf.TEXT_COLOUR},
        "hovertext": [p.hover for p in known],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "cliponaxis": False,
    }


def _not_final(s: Series, canvas: cf.Canvas, text_px: int) -> dict:
    """The figures of a series that are not final (estimates, preliminary), dotted from the
    last final one before them, in hollow marks: read as not settled beside the final years."""
    pts = list(s.points)
    keep = [False] * len(pts)
    for i, p in enumerate(pts):
        if p.value is not None and p.status != "official":
            keep[i] = True
            j = i - 1  # the final figure before it, where the dotted line starts
            while j >= 0 and pts[j].value is None:
                j -= 1
            if j >= 0:
                keep[j] = True
    return {
        "type": "scatter",
        "x": [p.x for p in pts],
        "y": [p.value if k else None for p, k in zip(pts, keep, strict=True)],
        "mode": "lines+markers+text" if text_px else "lines+markers",
        "text": [p.text if p.status != "official" else "" for p in pts],
        "textposition": "top center",
        "textfont": {"size": text_px or 1, "color": cf.TEXT_COLOUR},
        "cliponaxis": False,
        "connectgaps": False,
        "showlegend": False,
        "name": s.name,
        "line": {"color": s.colour, "width": cf.px(2.5, canvas), "dash": "dot"},
        "marker": {
            "size": cf.px(10, canvas),
            "color": ["white" if p.status != "official" else s.colour for p in pts],
            "line": {"color": s.colour, "width": cf.px(2, canvas)},
        },
        "hovertext": [p.hover for p in pts],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }


def line_figure(ex: Exhibit, canvas: cf.Canvas) -> go.Figure:
    panel: Panel = ex.panels[0]
    width = cf.width_of(canvas)
    years = cast(list[int], [code for code, _ in panel.categories])  # a line's categories are its years
    traces = []
    values = [p.value for s in panel.series for p in s.points if p.value is not None]
    label_all = ex.value_labels == "all"
    text_px = cf.px(cf.T.label, canvas)
    left = cf.value_axis_left(ex, canvas)
    # a point's label sits over it, centred, and may not reach the next year's
    step = (width - left - cf.px(30, canvas)) / (years[-1] - years[0] + 0.9) if len(years) > 1 else width / 2
    label_lines = 1
    ends = []  # (value, text) of each line's last point, labelled right of the plot
    named = {e.key: e.name for e in ex.legend_entries}
    for s in panel.series:
        known = [p for p in s.points if p.value is not None]
        target = bool(known) and all(p.kind == "target" for p in known)
        if target and not s.span:  # a target: a marked level at its year, never a line
            figure = s.key.rsplit("|", 1)[0]  # "item|area|target" → the results' "item|area|"
            results = next((r for r in panel.series if r.key == f"{figure}|"), None)
            at = {p.x: p.value for p in results.points} if results else {}
            marks = _target_marks(s, known, canvas, text_px, at)
            if s.key not in named:  # one legend entry for every series' targets (Exhibit.legend_entries)
                marks["legendgroup"] = TARGETS_KEY
                marks["showlegend"] = TARGETS_KEY in named and not any(
                    tr.get("legendgroup") == TARGETS_KEY for tr in traces
                )
                marks["name"] = named.get(TARGETS_KEY, s.name)
            traces.append(marks)
            continue
        if s.span:
            y0, y1 = s.span
            traces.append(
                {
                    "type": "scatter",
                    "x": [y0, y1],
                    "y": [known[0].value] * 2,
                    "mode": "lines+markers",
                    "name": s.name,
                    "line": {
                        "color": s.colour,
                        "width": cf.px(2.5, canvas),
                        "dash": "longdash" if target else "dash",  # a period's target, or its average
                    },
                    "marker": {"size": cf.px(8, canvas), "color": s.colour, "symbol": "line-ns-open"},
                    "hovertext": [known[0].hover] * 2,
                    "hovertemplate": "%{hovertext}<extra></extra>",
                }
            )
            ends.append((known[0].value, _end_text(s, known[0], years[-1]), y1))
            continue
        settled = [p.value if p.status == "official" else None for p in s.points]
        if any(p.status != "official" for p in known):  # the figures not final: dotted into hollow marks
            traces.append(_not_final(s, canvas, text_px if label_all else 0))
        trace = {
            "type": "scatter",
            "x": [p.x for p in s.points],
            "y": settled,
            "mode": "lines+markers+text" if label_all else "lines+markers",
            "connectgaps": False,  # a missing year is a gap, never an interpolation
            "name": s.name,
            "line": {"color": s.colour, "width": cf.px(3.5 if s.emphasis else 2.5, canvas)},
            "marker": cf.marker(s, canvas),
            "textposition": "top center",
            "textfont": {"size": text_px, "color": cf.TEXT_COLOUR},
            "hovertext": [p.hover for p in s.points],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "cliponaxis": False,
        }
        if label_all:
            texts = [
                cf.fitted(p, text_px, step - cf.px(8, canvas)) if p.value is not None and p.status == "official" else ""
                for p in s.points
            ]
            trace["text"] = texts
            label_lines = max([label_lines] + [t_.count("<br>") + 1 for t_ in texts])
        traces.append(trace)
        if not label_all and known:
            ends.append((known[-1].value, _end_text(s, known[-1], years[-1]), known[-1].x))
    right = cf.px(30, canvas)
    if ends:  # at most a third of the width: a longer label takes two lines
        room = width / 3
        ends = [(value, _end_lines(text, text_px, room), x) for value, text, x in ends]
        right = cf.px(18, canvas) + round(measure.widest([text for _, text, _ in ends], text_px))
    fr = cf.make_frame(ex, canvas, width, left, cf.px(44, canvas), right)
    plot_h = cf.plot_height(canvas, fr, cf.px(320, canvas))
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.12 or abs(hi) * 0.1 or 1.0
    low = 0.0 if lo >= 0 and (lo - pad <= 0 or units.additive(ex.unit)) else lo - pad
    high = hi + pad * 0.6
    if ex.unit == "pct" and hi <= 100 < high:
        high = 100 + pad * 0.3
    if label_all:  # room over the highest point for its label's lines
        need = label_lines * text_px * 1.25 + cf.px(10, canvas)
        high = max(high, hi + (hi - low) * need / max(plot_h - need, plot_h * 0.3))
    xaxis = {
        "range": [years[0] - 0.45, years[-1] + 0.45],
        "dtick": 1,
        "tickformat": "d",
        "showgrid": False,
        "tickfont": {"size": cf.px(cf.T.body, canvas)},
        "fixedrange": True,
        "zeroline": False,
    }
    yaxis = {
        "range": [low, high],
        "gridcolor": cf.GRID,
        "zeroline": low == 0,
        "zerolinecolor": "#999999",
        "tickformat": ",~r",
        "tickfont": {"size": cf.px(cf.T.small, canvas)},
        "title": {
            "text": label("unit", ex.unit, ex.lang) if ex.unit else "",
            "font": {"size": cf.px(cf.T.label, canvas)},
        },
        "fixedrange": True,
        **cf.count_ticks(ex.unit, high - low),
    }
    labels = [
        {
            "x": 1,
            "xref": "paper",
            "y": y,
            "yshift": shift,
            "xanchor": "left",
            "xshift": cf.px(6, canvas),
            "text": text,
            "showarrow": False,
            "font": {"size": text_px, "color": cf.TEXT_COLOUR},
        }
        for y, shift, text in _spread(ends, low, high, plot_h, text_px)
    ]
    layout = cf.base_layout(ex, canvas, fr, plot_h, labels, xaxis=xaxis, yaxis=yaxis)
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
