"""How wide a text is in the charts' font, in pixels, and where its lines break.

Plotly wraps nothing: a title, a category or a value label that is too long runs past its
chart or into its neighbour. Line breaks and the room a label needs are worked out here from
the font's own glyph widths (sctdash.core.typography: Noto Sans for the charts, Liberation
Sans, Arial's metrics, for slides), not from an average glyph width: Vietnamese words with their marks are wider than the
average, English ones often narrower. Without the font file (a bare machine), a wide average
stands in, so the lines come out short rather than long.

    width("Trà Bồng", 19.5, bold=True) -> 83.1
    lines("Xã đạt tiêu chí 4 về điện (144/148)", 16, 220) -> ["Xã đạt tiêu chí 4 về", "điện (144/148)"]
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sctdash.core.typography import CHART_FONT, Font

SLACK = 1.04  # browsers differ a little in hinting and kerning: every width is taken 4 % wider
FALLBACK_EM = 0.62  # an average glyph of a wide sans-serif, in ems, when no font file is found
_SIZE = 200  # glyph widths are read at this size and scaled: font sizes differ, shapes do not
_TAG = re.compile(r"<[^>]+>")


@cache
def _face(files: tuple[str, ...]):
    from PIL import ImageFont

    for path in files:
        if Path(path).exists():
            return ImageFont.truetype(path, _SIZE)
    return None


@cache
def _width_at_size(text: str, bold: bool, font: Font) -> float:
    face = _face(font.bold if bold else font.regular)
    if face is None:
        return len(text) * FALLBACK_EM * _SIZE
    return face.getlength(text)


def plain(text: str) -> str:
    """The words of a text with Plotly's markup (<b>, <span …>) taken out."""
    return _TAG.sub("", str(text))


def width(text: str, px: float, bold: bool = False, font: Font = CHART_FONT) -> float:
    """The width in pixels of one line of text (markup left out) at a font size of `px` (in
    points at a size in points)."""
    return _width_at_size(plain(text), bold, font) * px / _SIZE * SLACK


def widest(texts, px: float, bold: bool = False, font: Font = CHART_FONT) -> float:
    """The width of the widest line of several texts, each of one or more lines (<br>)."""
    return max((width(line, px, bold, font) for text in texts for line in str(text).split("<br>")), default=0.0)


def words(text: str) -> list[str]:
    """The text's words, a per cent sign kept with its number (“5,03 %” never breaks)."""
    out: list[str] = []
    for word in str(text).split():
        if out and word.startswith("%"):
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def lines(text: str, px: float, room: float, bold: bool = False, font: Font = CHART_FONT) -> list[str]:
    """The text broken between words into lines no wider than `room` pixels. A single word
    wider than the room gets a line of its own and is never cut (the caller gives it more
    room or a smaller size: `fits` tells)."""
    out: list[str] = []
    for para in str(text).split("<br>"):
        current = ""
        for word in words(para):
            trial = f"{current} {word}" if current else word
            if current and width(trial, px, bold, font) > room:
                out.append(current)
                current = word
            else:
                current = trial
        out.append(current)
    return out or [""]


def balanced(text: str, px: float, room: float, bold: bool = False) -> list[str]:
    """As many lines as `lines` gives, their lengths evened out: the narrowest room that
    still takes no more lines (“không có / số liệu”, not “không có số / liệu”). For the short
    words of a label or a tile; titles read better filled."""
    wanted = lines(text, px, room, bold)
    if len(wanted) < 2:
        return wanted
    low, high = max(width(word, px, bold) for word in words(text)), float(room)
    for _ in range(12):
        middle = (low + high) / 2
        if len(lines(text, px, middle, bold)) <= len(wanted):
            high = middle
        else:
            low = middle
    return lines(text, px, high, bold)


def wrap(text: str, px: float, room: float, bold: bool = False, even: bool = False) -> str:
    """`lines` (`balanced` when `even`) joined with Plotly's line break."""
    return "<br>".join((balanced if even else lines)(text, px, room, bold))


def fits(text: str, px: float, room: float, bold: bool = False) -> bool:
    """Whether every line of `text` (<br> breaks) is within `room` pixels."""
    return widest([text], px, bold) <= room
