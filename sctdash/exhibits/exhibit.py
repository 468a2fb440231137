"""One chart as every output draws it: the Exhibit, and the small things it is made of.

An Exhibit is built from the rows in the filter by sctdash.exhibits.builder (what the chart is follows
from its rows) and worded by sctdash.exhibits.chart_words; the figure on screen and in meeting mode, the
16:9 image and the slide's native chart all draw it (sctdash.drawing.figures, sctdash.exports.slides).
Nothing works out its rows again and no figure is patched after it is built.

Every value here is frozen, its parts tuples, and built whole: the app's cache hands one
exhibit to every session, which cannot change it for another (a test tries).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from sctdash.core.catalogue import ChartSpec
from sctdash.core.colours import PROVINCE_COLOUR
from sctdash.core.i18n import label, t
from sctdash.core.province import PROVINCE
from sctdash.exhibits import phrases, revisions
from sctdash.exhibits.filters import Filters
from sctdash.exhibits.revisions import Revision
from sctdash.exhibits.territory import Areas

MAX_SERIES = 8  # lines or bar series on one chart; the rest are in its data table
KEY = ["indicator_id", "area_code", "year_from", "year_to", "category", "variant"]
# The columns of a fact that say which unit (and land) its code stood for in its years
# (queries/_schema.sql, observation_units). Exports keep the unit's dates only where the rows
# hold more than one unit of a code: where a change of territory is in view.
UNIT_COLUMNS = ("unit_id", "territory", "territory_from", "unit_from", "unit_to")


def shown_columns(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as a file gives them: without the unit bookkeeping (and the chart's `place`), but
    with each row's unit's first and last day where a code stands for more than one unit in them."""
    rows = rows.drop(columns=[c for c in ("place", "direction") if c in rows.columns])
    if not set(UNIT_COLUMNS) <= set(rows.columns):
        return rows
    several = (rows.groupby("area_code")["unit_id"].nunique() > 1).any() if len(rows) else False
    hidden = [c for c in UNIT_COLUMNS if not (several and c in ("unit_from", "unit_to"))]
    return rows.drop(columns=hidden)


@dataclass(frozen=True)
class Setting:
    """What a chart states besides its rows: the language, the filters, the names of the
    areas, the sources and the data notes (all of them; the chart picks its own)."""

    lang: str
    filters: Filters
    names: Mapping[str, str]  # every area code → its name (merged units too)
    sources: pd.DataFrame
    notes: pd.DataFrame
    units: tuple[str, ...] = ()  # the district-level units of 2020, in code order
    areas: Areas = Areas()  # every unit with its dates and territory; how the units in view stand for the chosen
    # the figures in view that an import revised: key → latest revision (sctdash.exhibits.revisions)
    revisions: Mapping[tuple, Revision] = field(default_factory=lambda: revisions.NONE)


@dataclass(frozen=True)
class Point:
    x: object  # a category code (bars) or a year (lines)
    value: float | None
    kind: str = "reported"
    text: str = ""  # the label on screen: “39 (suy ra)”
    hover: str = ""
    colour: str | None = None  # a point's own colour (one colour per category across panels)
    plain: str = ""  # the figure alone, “39”: a slide marks derived and external values by fill
    status: str = "official"  # official, preliminary or estimate: a value not final is drawn dotted


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    colour: str
    points: tuple[Point, ...]
    span: tuple[int, int] | None = None  # a period's value, drawn flat over its years
    emphasis: bool = False  # the province among districts


TARGETS_KEY = "targets"  # the legend's one entry for the yearly targets of several series


def yearly_target(s: Series) -> bool:
    """A series of yearly targets (drawn as rules at their years), not a period's target."""
    known = [p for p in s.points if p.value is not None]
    return bool(known) and not s.span and all(p.kind == "target" for p in known)


@dataclass(frozen=True)
class Panel:
    title: str
    categories: tuple[tuple[object, str], ...]  # (code, words) in order; years for lines
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Exhibit:
    """One chart as it stands under the filters."""

    id: str
    page: str
    lang: str
    shape: str  # "line", "bars" or "stacked"
    horizontal: bool
    panels: tuple[Panel, ...]
    unit: str
    title: str
    subtitle: str
    footnotes: tuple[str, ...]
    rows: pd.DataFrame  # exactly the rows drawn (CSV, XLSX, and what "More figures" leaves out)
    notes: pd.DataFrame
    filters: Filters
    ranking: bool = False
    province_only: bool = False
    no_rows: bool = False
    years: tuple[int, int] | None = None  # first and last year in view
    notice: str = ""  # what the page says instead of (or above) the chart
    kinds: frozenset = frozenset()
    value_labels: str = "all"  # "all" or "last": which points of a line carry their figure
    districts: tuple[str, ...] = ()  # the chosen districts the rows are for (none: the province's)

    @property
    def legend(self) -> bool:
        """Whether the chart has a legend, on every medium (the figure, the slide's native
        chart, the meeting screen's words): when a panel has several series, or a period's
        value (a dashed line) to name."""
        return any(len(p.series) > 1 for p in self.panels) or any(s.span for p in self.panels for s in p.series)

    @property
    def legend_entries(self) -> tuple[Series, ...]:
        """The series a legend names, each once, in the order they are drawn (small multiples
        repeat them panel by panel). The yearly targets of several series are one entry, the
        targets' word ("Kế hoạch"), where the first of them is: their rules take their series'
        colours, the hover names each, and a legend of every series twice would crowd the plot."""
        if not self.legend:
            return ()
        entries = list({s.key: s for p in self.panels for s in p.series}.values())
        targets = [s for s in entries if yearly_target(s)]
        if len(targets) < 2:
            return tuple(entries)
        one = replace(targets[0], key=TARGETS_KEY, name=targets[0].name.rsplit(" · ", 1)[-1], colour=PROVINCE_COLOUR)
        first = entries.index(targets[0])
        return tuple([one if i == first else s for i, s in enumerate(entries) if not yearly_target(s) or i == first])

    @property
    def native(self) -> bool:
        """A chart PowerPoint can draw natively: one panel of lines, of stacked bars, or of bars
        side by side where every category has a bar of every series or one bar only. PowerPoint
        keeps a slot for every series in every category, so bars where some categories lack
        some series (the province's shares beside three districts' one share) would be thin
        bars among empty slots with labels on top of each other: those slides get the
        dashboard's picture, which gives each category the slots it has. Bars with targets get
        the picture too."""
        if self.no_rows or len(self.panels) != 1:
            return False
        if self.shape != "bars":
            return True
        panel = self.panels[0]
        if any(p.kind == "target" for s in panel.series for p in s.points):
            return False  # a target is a rule across its bar, which a native bar chart cannot draw

        has = [{p.x for p in s.points if p.value is not None} for s in panel.series]
        counts = [sum(code in xs for xs in has) for code, _ in panel.categories]
        return all(n <= 1 for n in counts) or all(n == len(has) for n in counts)

    def covered(self) -> set[tuple]:
        """The keys of the observation rows this chart draws."""
        if self.rows.empty or not set(KEY) <= set(self.rows.columns):
            return set()
        return set(phrases.tuples(self.rows, KEY))


# ------------------------------------------------------------------ labels
def first_rows(df: pd.DataFrame, col: str) -> dict[str, dict]:
    """The first row of each value of `col`, as plain dicts."""
    out: dict[str, dict] = {}
    for r in phrases.records(df):
        out.setdefault(r[col], r)
    return out


def item_words(spec: ChartSpec, df: pd.DataFrame, lang: str) -> dict[str, str]:
    return {code: phrases.item_label(spec.item_labels, code, r, lang) for code, r in first_rows(df, "item").items()}


def facet_words(spec: ChartSpec, df: pd.DataFrame, lang: str) -> dict[str, str]:
    return {code: phrases.item_label(spec.facet_labels, code, r, lang) for code, r in first_rows(df, "facet").items()}


def variant_words(variant: str, lang: str, others: bool) -> str:
    if not variant:
        return t("series.main", lang) if others else ""
    return label("variant", variant, lang)


def period_words(y0: int, y1: int, lang: str) -> str:
    return t("chart.year", lang, year=y1) if y0 == y1 else phrases.period_text(y0, y1)


def ordered_areas(codes, chosen: tuple[str, ...]) -> list[str]:
    """The province first, then the chosen districts in the order chosen, then the rest."""
    codes = list(dict.fromkeys(codes))
    rank = {c: i for i, c in enumerate(chosen)}

    def code(place: str) -> str:  # a territory's place is <code>@<its first day>
        return str(place).split("@", 1)[0]

    return sorted(codes, key=lambda c: (code(c) != PROVINCE, rank.get(code(c), len(rank)), c))


def point(
    row: Mapping,
    position,
    lang: str,
    label_text: str,
    name: str,
    when: str = "",
    colour: str | None = None,
    extra: str = "",
) -> Point:
    """A row's point at `position`; `when`: the period of a value older than the chart's
    latest year, written after its figure on the label (“12 (2019)”), not in its hover;
    `extra`: more words for its hover (its standing against the plan); a revised value's hover
    says so after them. A value not final says so on its label (“412 (ước tính)”); a target is a
    target's kind."""
    unit, dec = row.get("unit", ""), int(row.get("decimals", 0) or 0)
    kind = "target" if row.get("figure_type") == "target" else row.get("value_kind", "reported")
    status = row.get("status")  # a figure's (a project's 'in_operation' is another column's sense)
    status = status if status in ("preliminary", "estimate") else "official"
    text = phrases.value_text(row["value"], dec, unit, kind, lang) + phrases.status_text(status, lang)
    plain = phrases.value_text(row["value"], dec, unit, "reported", lang)
    after = f" ({when})" if when else ""
    where = f"{name} · " if name else ""
    # “đã sửa 08/12/2026, trước đó 236”, on a line of its own: after the change on the year
    # before and the standing against the plan, one line ran off a 1280-pixel screen
    revised = revisions.words(row, lang)
    hover = f"{where}{label_text}: {text}" + (f" · {extra}" if extra else "") + (f"<br>{revised}" if revised else "")
    return Point(
        x=position,
        value=float(row["value"]),
        kind=kind,
        text=text + after,
        hover=hover,
        colour=colour,
        plain=plain + after,
        status=status,
    )


def unit_of(df: pd.DataFrame, spec: ChartSpec) -> str:
    units = list(dict.fromkeys(df["unit"].dropna())) if "unit" in df else []
    return spec.unit or (units[0] if units else "")


def notes_of(df: pd.DataFrame, notes: pd.DataFrame) -> pd.DataFrame:
    ids = sorted({n for n in df.get("note_id", pd.Series(dtype=str)).dropna() if n})
    return notes[notes["note_id"].isin(ids)] if len(notes) else notes


def main_area(df: pd.DataFrame, chosen: tuple[str, ...]) -> str:
    areas = set(df["area_code"]) if "area_code" in df else {PROVINCE}
    if PROVINCE in areas:
        return PROVINCE
    return next((c for c in chosen if c in areas), sorted(areas)[0] if areas else PROVINCE)
