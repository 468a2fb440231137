"""The type of every canvas: the fonts.

Fonts: the charts (Plotly in a browser, or kaleido's Chromium for images) ask for Noto Sans,
installed by `make system`, with fallbacks; slides are set in Arial, on every Office machine,
which LibreOffice replaces by Liberation Sans, made to Arial's metrics. Each is measured by its
own glyph widths (sctdash.core.measure) from the files named here.
"""

from __future__ import annotations

from dataclasses import dataclass

_FONTS = "/usr/share/fonts/truetype"


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
