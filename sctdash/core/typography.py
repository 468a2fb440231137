"""The type of every canvas: the fonts, and one scale of sizes by role.

The scale is in layout units at 1×: pixels on the page (sctdash.drawing.chart_frame.SCREEN)
and in the 16:9 image (960×540, one pixel a point on a 13.33-inch slide), points on a slide.
A canvas multiplies it (meeting mode × 1.3, for the back of a room); nothing draws text at a
size of its own. The roles:

    display   a deck's cover and section headings
    title     a chart's or map's title, a slide's title, a notice instead of a chart
    lead      the words under a display heading (a cover's lines, a section's introduction)
    heading   a panel's title in small multiples; a slide's note that a picture is missing
    subtitle  what is shown and the filters in force
    body      categories, value labels, a tile's figure, a slide's chart and list text
    label     legend entries, axis titles, a line's end labels, hover text, a tile's name
    small     footnotes and source lines, ticks, labels of crowded charts (the least: 14)

Fonts: the charts (Plotly in a browser, or kaleido's Chromium for images) ask for Noto Sans,
installed by `make system`, with fallbacks; slides are set in Arial, on every Office machine,
which LibreOffice replaces by Liberation Sans, made to Arial's metrics. Each is measured by its
own glyph widths (sctdash.core.measure) from the files named here.
"""

from __future__ import annotations

from dataclasses import dataclass

_FONTS = "/usr/share/fonts/truetype"


@dataclass(frozen=True)
class TypeScale:
    display: float = 40
    title: float = 22
    lead: float = 20
    heading: float = 18
    subtitle: float = 16
    body: float = 16
    label: float = 15
    small: float = 14


SCALE = TypeScale()


def size(role: str, multiplier: float = 1.0) -> int:
    """The size of `role` on a canvas of `multiplier`, rounded to a whole unit."""
    return round(getattr(SCALE, role) * multiplier)


@dataclass(frozen=True)
class Font:
    """A font as a medium names it, and the files it is measured by (the first one found)."""

    family: str  # a CSS list for Plotly, a single name for PowerPoint
    regular: tuple[str, ...]
    bold: tuple[str, ...]


CHART_FONT = Font(
    "Noto Sans, DejaVu Sans, Arial, sans-serif",
    (f"{_FONTS}/noto/NotoSans-Regular.ttf", f"{_FONTS}/dejavu/DejaVuSans.ttf"),
    (f"{_FONTS}/noto/NotoSans-Bold.ttf", f"{_FONTS}/dejavu/DejaVuSans-Bold.ttf"),
)
SLIDE_FONT = Font(
    "Arial",
    (f"{_FONTS}/liberation/LiberationSans-Regular.ttf", f"{_FONTS}/dejavu/DejaVuSans.ttf"),
    (f"{_FONTS}/liberation/LiberationSans-Bold.ttf", f"{_FONTS}/dejavu/DejaVuSans-Bold.ttf"),
)
