"""The tile grid and the colour classes of the district map, without words.

Each district-level unit of 2020 is a tile on a small grid, placed as near as the grid allows
to its real centre point (tile_layout); a merged unit sits beside the unit it joined
(merged_cell). Colour classes come from the data (classes): from zero for counts of named
things, from just below the smallest value otherwise, in one hue ordered by lightness.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache

import pandas as pd

from sctdash.core import fmt
from sctdash.core.i18n import t

# ColorBrewer "Blues" (7-class, the lightest dropped so that no value looks like the white
# "no data" tile on a washed-out projector; the second darkened from #9ECAE1 to #94C4DF so
# each step is at least 7 L* for protanopes too): one hue, ordered by lightness, so it reads
# the same for colour-blind viewers (tests/test_colours.py checks that under simulation).
SEQUENTIAL = ["#C6DBEF", "#94C4DF", "#6BAED6", "#2171B5", "#084594"]
# A fall is drawn in oranges (ColorBrewer "Oranges", lightest to darkest), a rise in SEQUENTIAL.
DECREASE = ["#FDD0A2", "#FDAE6B", "#F16913", "#A63603"]
NO_DATA_FILL = "#FFFFFF"
NO_DATA_TEXT = "#4D4D4D"
NO_DATA_BORDER = "#767676"
TILE_BORDER = "#FFFFFF"
SELECTED_BORDER = "#000000"
MERGED_FILL = "#F2F2F2"
COLS, ROWS = 5, 5
TILE_W, TILE_H = 0.94, 0.88


# ------------------------------------------------------------------ layout
def tile_layout(units: pd.DataFrame, cols: int = COLS, rows: int = ROWS) -> dict[str, tuple[int, int]]:
    """Grid cell (column, row from the top) of each unit (see _layout), worked out once for
    the same centre points."""
    points = tuple(
        zip(units["area_code"].astype(str), units["center_lat"].astype(float), units["center_lon"].astype(float))
    )
    return dict(_layout(points, cols, rows))


@cache
def _layout(
    points: tuple[tuple[str, float, float], ...], cols: int, rows: int
) -> tuple[tuple[str, tuple[int, int]], ...]:
    """Grid cell (column, row from the top) of each unit, as near its centre point as can be.

    The centre points are scaled onto the grid; each unit takes the free cell nearest its
    point (the units nearest a cell first), then pairs swap and units move to free cells while
    that lowers the total squared distance. Deterministic for the same points.
    """
    while len(points) > cols * rows:  # more units than the province has: grow the grid
        cols, rows = cols + 1, rows + 1
    lats = [lat for _, lat, _ in points]
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    lons = [lon * shrink for _, _, lon in points]
    span_x = (max(lons) - min(lons)) or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    pts = {
        code: ((x - min(lons)) / span_x * (cols - 1), (max(lats) - y) / span_y * (rows - 1))
        for (code, _, _), x, y in zip(points, lons, lats)
    }
    cells = [(c, r) for r in range(rows) for c in range(cols)]

    def cost(point, canvas):
        return (point[0] - canvas[0]) ** 2 + (point[1] - canvas[1]) ** 2

    assign: dict[str, tuple[int, int]] = {}
    for code in sorted(pts, key=lambda k: (min(cost(pts[k], c) for c in cells), k)):
        taken = set(assign.values())
        assign[code] = min((c for c in cells if c not in taken), key=lambda c: (cost(pts[code], c), c))
    improved = True
    while improved:
        improved = False
        for a, b in itertools.combinations(sorted(assign), 2):
            ca, cb = assign[a], assign[b]
            if cost(pts[a], cb) + cost(pts[b], ca) < cost(pts[a], ca) + cost(pts[b], cb) - 1e-9:
                assign[a], assign[b] = cb, ca
                improved = True
        for a in sorted(assign):
            taken = set(assign.values())
            for c in cells:
                if c not in taken and cost(pts[a], c) < cost(pts[a], assign[a]) - 1e-9:
                    assign[a] = c
                    taken = set(assign.values())
                    improved = True
    return tuple(assign.items())


def merged_cell(host: tuple[int, int], taken: set, cols: int = COLS, rows: int = ROWS) -> tuple[int, int] | None:
    """A free cell beside the host tile for a merged unit: west first (Tây Trà, “west Trà”,
    lay west of Trà Bồng), then the other neighbours."""
    c, r = host
    for dc, dr in ((-1, 0), (-1, -1), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 1), (1, 0)):
        cell = (c + dc, r + dr)
        if 0 <= cell[0] < cols and 0 <= cell[1] < rows and cell not in taken:
            return cell
    return None


# ------------------------------------------------------------------ colour classes
def nice_step(vmax: float, classes: int = len(SEQUENTIAL)) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that splits (0, vmax] into at most `classes`."""
    if not vmax or vmax <= 0:
        return 1.0
    raw = vmax / classes
    k = 10 ** math.floor(math.log10(raw))
    return next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= raw)


@dataclass(frozen=True)
class Classes:
    """Colour classes: `start` + i·`step` up to `stop`, in `palette`; `whole` for counts."""

    start: float
    step: float
    n: int
    palette: tuple[str, ...]
    whole: bool

    def index(self, value) -> int | None:
        if value is None or pd.isna(value):
            return None
        i = math.ceil((float(value) - self.start) / self.step) - 1
        if self.whole and self.step == 1:
            i = int(float(value) - self.start) - 1
        return min(self.n - 1, max(0, i))

    def fill(self, value) -> str | None:
        i = self.index(value)
        return None if i is None else self.palette[i]


def classes(values: list[float], unit: str, zero_based: bool, palette: list[str] = SEQUENTIAL) -> Classes:
    """Classes from the data: from zero for counts of named things (the curated maps), from
    just below the smallest value otherwise (shares near 100 % still differ in colour)."""
    whole = unit == "count"
    values = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not values:
        return Classes(0.0, 1.0, 1, tuple(palette), whole)
    lo, hi = min(values), max(values)
    if zero_based or lo <= 0:
        start = 0.0 if lo >= 0 else lo
        step = nice_step(hi - start, len(palette))
    else:
        step = nice_step(hi - lo, len(palette)) if hi > lo else (nice_step(hi, len(palette)) if hi else 1.0)
        start = math.floor(lo / step) * step
        if start == lo:
            start -= step
    if whole:
        step = max(1.0, math.ceil(step))
        start = math.floor(start)
    n = max(1, min(len(palette), math.ceil((hi - start) / step - 1e-9)))
    return Classes(start, step, n, tuple(palette[:n] if n < len(palette) and not zero_based else palette), whole)


def legend_items(cls: Classes, lang: str, signed: bool = False) -> list[tuple[str, str]]:
    """(colour, words) of each colour class in use, and of “no data”."""
    dec = 0 if cls.whole or float(cls.step).is_integer() else 1
    items = []
    for i in range(cls.n):
        low, high = cls.start + i * cls.step, cls.start + (i + 1) * cls.step
        if cls.whole and float(cls.step).is_integer():
            a, b = low + 1, high
            words_ = _num(a, 0, lang, signed) if a == b else f"{_num(a, 0, lang, signed)}–{_num(b, 0, lang, signed)}"
        else:
            words_ = f"{_num(low, dec, lang, signed)}–{_num(high, dec, lang, signed)}"
        items.append((cls.palette[i], words_))
    items.append((NO_DATA_FILL, t("map.no_data", lang)))
    return items


def _num(value: float, dec: int, lang: str, signed: bool) -> str:
    text = fmt.number(value, dec, lang)
    return f"+{text}" if signed and value > 0 else text
