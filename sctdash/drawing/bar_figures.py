"""Bars of an exhibit as a Plotly figure: side by side on slots (a category gets a slot for
each series it has a value of), stacked, or as small multiples. Laid out on sctdash.drawing.chart_frame.
"""

from __future__ import annotations

import plotly.graph_objects as go

from sctdash.core import colours, measure
from sctdash.core.i18n import label
from sctdash.drawing import chart_frame as cf
from sctdash.exhibits.exhibit import Exhibit, Panel, Series

# ------------------------------------------------------------------ bars
BARGAP = 0.28  # stacked bars: the share of a category's width between its bar and the next
CAT_GAP = 0.4  # bars side by side: slots (of one bar) between a category's bars and the next's
BAR_FILL = 0.9  # the share of its slot a bar fills; the rest parts two bars of one category


def _value_room(pts_texts: list[tuple[float, str]], px: int, plot_w: float, pad: float) -> float:
    """The value axis's end that leaves each horizontal bar's label (value, text) room
    right of its bar, inside the plot."""
    end = 0.0
    for value, text in pts_texts:
        free = max(plot_w - measure.widest([text], px) - pad, plot_w * 0.25)
        end = max(end, value * plot_w / free)
    return end


def _target_marks(
    s: Series, pts: list, at: list, horizontal: bool, canvas: cf.Canvas, text_px: int, texts: list
) -> dict:
    """A series of targets on bars: a rule across its slot at the target's value, its figure
    beside it; never a bar, so it cannot be read as achieved."""
    values = [p.value for p in pts]
    return {
        "type": "scatter",
        "name": s.name,
        "x": values if horizontal else at,
        "y": at if horizontal else values,
        "mode": "markers+text",
        "marker": {
            "symbol": "line-ns-open" if horizontal else "line-ew-open",
            "size": cf.px(30, canvas),
            "color": s.colour,
            "line": {"color": s.colour, "width": cf.px(3, canvas)},
        },
        "text": texts,
        "textposition": "middle right" if horizontal else "top center",
        "textfont": {"size": text_px, "color": cf.TEXT_COLOUR},
        "hovertext": [p.hover for p in pts],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "cliponaxis": False,
    }


def _label_size(n_categories: int) -> float:
    """A bar's figure: body text, small on a crowded chart (more than ten categories)."""
    return cf.T.body if n_categories <= 10 else cf.T.small


def _value_axis(ex: Exhibit, canvas: cf.Canvas) -> dict:
    return {
        "showgrid": True,
        "gridcolor": cf.GRID,
        "zeroline": True,
        "zerolinecolor": "#999999",
        "title": {
            "text": label("unit", ex.unit, ex.lang) if ex.unit else "",
            "font": {"size": cf.px(cf.T.label, canvas)},
            "standoff": cf.px(6, canvas),
        },
        "rangemode": "tozero",
        "tickformat": ",~r",  # thousands grouped the way the language writes them: 5.000
        "tickfont": {"size": cf.px(cf.T.small, canvas)},
        "fixedrange": True,
    }


def _bar_trace(series: Series, canvas: cf.Canvas, text_px: int) -> dict:
    pts = [p for p in series.points if p.value is not None]
    return {
        "type": "bar",
        "name": series.name,
        "cliponaxis": False,
        "textfont": {"size": text_px, "color": cf.TEXT_COLOUR},
        "marker": cf.bar_marker(series, canvas),
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


def bar_figure(ex: Exhibit, canvas: cf.Canvas) -> go.Figure:
    """Bars side by side: along a position axis of slots (_slots), the categories' words at
    their bars' centre, each bar's label outside its end."""
    panel = ex.panels[0]
    if ex.shape == "stacked":
        return _stack_figure(ex, canvas)
    width = cf.width_of(canvas)
    n_cat = len(panel.categories)
    text_px = cf.px(_label_size(n_cat), canvas)
    cat_px = cf.px(cf.T.body, canvas)
    right = cf.px(30, canvas)
    if ex.horizontal:
        axis_room = cf.px(52 if ex.unit else 30, canvas)
        # A canvas that fills its place gets at least its height: when the bars and their
        # words need more, the words take 14 px (× scale) and up to half the width.
        least = cf.plot_height(canvas, cf.make_frame(ex, canvas, width, 0, axis_room, right), 0)
        for size, share in ((cf.T.body, 0.42), (cf.T.small, 0.42), (cf.T.small, 0.5)):
            text_px, cat_px = cf.px(min(size, _label_size(n_cat)), canvas), cf.px(size, canvas)
            room = width * share - cf.px(24, canvas)
            cats = {code: cf.wrap_label(words, cat_px, room) for code, words in panel.categories}
            slot_px = max(cf.px(26, canvas) * size / cf.T.body, text_px * 1.25 + cf.px(4, canvas))  # a bar, its label
            lines = {code: words.count("<br>") + 1 for code, words in cats.items()}
            centres, ticks, total = _slots(panel, lines, cat_px * 1.25 / slot_px)
            plot_h = round((total + CAT_GAP) * slot_px)
            if not canvas.fill or plot_h <= least:
                break
        left = round(measure.widest(cats.values(), cat_px) + cf.px(24, canvas))
        texts = {(s.key, p.x): p.text for s in panel.series for p in s.points}
    else:
        left = cf.value_axis_left(ex, canvas)
        centres, ticks, total = _slots(panel, {}, 0)
        slot_px = (width - left - right) / (total + CAT_GAP)
        spans = {code: span for _, code, span in ticks}
        cats = {
            code: cf.wrap_label(words, cat_px, (spans[code] + CAT_GAP) * slot_px - cf.px(8, canvas))
            for code, words in panel.categories
        }
        plot_h = cf.px(300, canvas)
        axis_room = round(max(w.count("<br>") + 1 for w in cats.values()) * cat_px * 1.3) + cf.px(26, canvas)
        # a label sits over its bar, centred, and may not reach the next bar's label
        texts = {
            (s.key, p.x): cf.fitted(p, text_px, slot_px - cf.px(6, canvas)) for s in panel.series for p in s.points
        }
    fr = cf.make_frame(ex, canvas, width, left, axis_room, right)
    plot_h = cf.plot_height(canvas, fr, plot_h)
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
        if pts and all(p.kind == "target" for p in pts):  # a target: a marked level, never a bar
            traces.append(_target_marks(s, pts, at, ex.horizontal, canvas, text_px, [texts[(s.key, p.x)] for p in pts]))
            continue
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
        end = _value_room(drawn, text_px, plot_w, cf.px(8, canvas))
    else:  # room above the tallest bar for its label's lines
        label_lines = max((t_.count("<br>") + 1 for t_ in texts.values()), default=1)
        label_h = label_lines * text_px * 1.25 + cf.px(6, canvas)
        end = top * (1 + label_h / max(plot_h - label_h, plot_h * 0.3))
    value_axis["range"] = [0, end or 1.0]
    value_axis.update(cf.count_ticks(ex.unit, top))
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
        position_axis.update(range=[total + CAT_GAP / 2, -CAT_GAP / 2], ticklabelstandoff=cf.px(6, canvas))
        xaxis, yaxis = value_axis, position_axis
    else:
        position_axis["range"] = [-CAT_GAP / 2, total + CAT_GAP / 2]
        xaxis, yaxis = position_axis, value_axis
    layout = cf.base_layout(ex, canvas, fr, plot_h, barmode="overlay", xaxis=xaxis, yaxis=yaxis)
    return go.Figure(traces, layout, _validate=False)


def _stack_figure(ex: Exhibit, canvas: cf.Canvas) -> go.Figure:
    """Stacked bars on a category axis, each part's figure inside it."""
    panel = ex.panels[0]
    width = cf.width_of(canvas)
    n_cat = len(panel.categories)
    n_series = max(len(panel.series), 1)
    text_px = cf.px(_label_size(n_cat), canvas)
    cat_px = cf.px(cf.T.body, canvas)
    right = cf.px(30, canvas)
    if ex.horizontal:
        cats = {
            code: cf.wrap_label(words, cat_px, width * 0.42 - cf.px(24, canvas)) for code, words in panel.categories
        }
        left = round(measure.widest(cats.values(), cat_px) + cf.px(24, canvas))
        lines = max((w.count("<br>") + 1 for w in cats.values()), default=1)
        band = max(cf.px(42, canvas), cf.px(26, canvas) + cf.px(14, canvas), lines * cat_px * 1.25 + cf.px(10, canvas))
        plot_h = round(band * n_cat) + cf.px(20, canvas)
        axis_room = cf.px(52 if ex.unit else 30, canvas)
    else:
        left = cf.value_axis_left(ex, canvas)
        cat_w = (width - left - right) / max(n_cat, 1)
        cats = {code: cf.wrap_label(words, cat_px, cat_w - cf.px(8, canvas)) for code, words in panel.categories}
        lines = max((w.count("<br>") + 1 for w in cats.values()), default=1)
        plot_h = cf.px(300, canvas)
        axis_room = round(lines * cat_px * 1.3) + cf.px(26, canvas)
    fr = cf.make_frame(ex, canvas, width, left, axis_room, right)
    plot_h = cf.plot_height(canvas, fr, plot_h)
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
        xaxis = _value_axis(ex, canvas)
        yaxis = {**category_axis, "autorange": "reversed", "ticklabelstandoff": cf.px(6, canvas)}
    else:
        xaxis, yaxis = category_axis, _value_axis(ex, canvas)
    layout = cf.base_layout(ex, canvas, fr, plot_h, barmode="stack", bargap=BARGAP, xaxis=xaxis, yaxis=yaxis)
    return go.Figure(traces, layout, _validate=False)


def facet_figure(ex: Exhibit, canvas: cf.Canvas) -> go.Figure:
    """Small multiples: a panel per kind of facility, each on its own scale, side by side."""
    width = cf.width_of(canvas)
    n = len(ex.panels)
    gap = 0.07
    span = (1 - gap * (n - 1)) / n
    left, right = cf.px(50, canvas), cf.px(30, canvas)
    panel_w = (width - left - right) * span
    cat_px = text_px = cf.px(cf.T.body, canvas)
    title_px = cf.px(cf.T.heading, canvas)
    lines, label_lines, title_lines = 1, 1, 1
    traces, axes, titles, tops = [], {}, [], []
    legend, named = cf.shows_legend(ex, canvas), set()
    for col, panel in enumerate(ex.panels, start=1):
        suffix = "" if col == 1 else str(col)
        domain = [(col - 1) * (span + gap), (col - 1) * (span + gap) + span]
        n_series = max(len(panel.series), 1)
        cat_w = panel_w / max(len(panel.categories), 1)
        cats = {code: cf.wrap_label(words, cat_px, cat_w - cf.px(8, canvas)) for code, words in panel.categories}
        lines = max([lines] + [w.count("<br>") + 1 for w in cats.values()])
        slot = (cat_w * (1 - BARGAP) / n_series if n_series > 1 else cat_w) - cf.px(6, canvas)
        for series in panel.series:
            pts = [p for p in series.points if p.value is not None]
            texts = [cf.fitted(p, text_px, slot) for p in pts]
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
                    "marker": cf.bar_marker(series, canvas),
                    "textfont": {"size": text_px, "color": cf.TEXT_COLOUR},
                    # the legend (when the chart has one) names each series once
                    "showlegend": legend and series.key not in named,
                    "hovertext": [p.hover for p in pts],
                    "hovertemplate": "%{hovertext}<extra></extra>",
                }
            )
            named.add(series.key)
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
            "gridcolor": cf.GRID,
            "tickformat": ",~r",
            "tickfont": {"size": cf.px(cf.T.small, canvas)},
            "fixedrange": True,
            **cf.count_ticks(ex.unit, top),
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
                "font": {"size": title_px, "color": cf.TEXT_COLOUR},
            }
        )
    axis_room = round(lines * cat_px * 1.3) + cf.px(26, canvas)
    fr = cf.make_frame(ex, canvas, width, left, axis_room, right, panel_lines=title_lines)
    plot_h = cf.plot_height(canvas, fr, cf.px(300, canvas))
    label_h = label_lines * text_px * 1.25 + cf.px(6, canvas)
    for suffix, top in tops:  # room above each panel's tallest bar for its label's lines
        axes[f"yaxis{suffix}"]["range"] = [0, (top or 1) * (1 + label_h / max(plot_h - label_h, plot_h * 0.3))]
    layout = cf.base_layout(ex, canvas, fr, plot_h, titles, **axes)
    return go.Figure(traces, layout, _validate=False)
