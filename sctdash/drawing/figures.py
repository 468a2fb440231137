"""Plotly figures of exhibits: `figure(exhibit, canvas) -> go.Figure`, no Streamlit.

The same exhibit is drawn for every output; only the canvas differs: the page (the width of
the page, text at 1×), meeting mode (text × 1.3), the 16:9 image (960×540 layout px rendered
at scale 2, with the department and the date), and the picture on a slide (the slide carries
the words). Every size and margin is worked out here from the canvas and the words to lay
out; nothing patches a figure afterwards.
"""

from __future__ import annotations

import plotly.graph_objects as go

from sctdash.drawing import bar_figures, line_figures
from sctdash.drawing.chart_frame import FONT, MEETING, PAGE_WIDTH, SCREEN, TEXT_COLOUR, Canvas, legend_rows, wrap_label
from sctdash.exhibits.exhibit import Exhibit

__all__ = [
    "FONT",
    "MEETING",
    "PAGE_WIDTH",
    "SCREEN",
    "TEXT_COLOUR",
    "Canvas",
    "figure",
    "legend_rows",
    "wrap_label",
]


def figure(ex: Exhibit, canvas: Canvas = SCREEN) -> go.Figure:
    """The exhibit drawn on the canvas `c`."""
    if ex.no_rows:
        raise ValueError(f"{ex.id}: no rows to draw ({ex.notice})")
    if ex.shape == "line":
        return line_figures.line_figure(ex, canvas)
    if len(ex.panels) > 1:
        return bar_figures.facet_figure(ex, canvas)
    return bar_figures.bar_figure(ex, canvas)
