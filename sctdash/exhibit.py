"""One chart description from the rows in the filter: what the chart is follows from its rows.

    build(spec, rows, setting) -> Exhibit

The Exhibit is the one state every output draws: the figure on screen and in meeting mode,
the 16:9 image, the slide's native chart (sctdash.figures, sctdash.slides). Nothing works
out its rows again and no figure is patched after it is built.

The decision, from the rows of a chart of observations inside the current filter:

* a series (an item of one area in one version) with three or more years: a line with
  markers, a missing year a gap; a period's average (2016–2020) a flat segment over its years;
* otherwise bars: the items side by side, two endpoints (2015 and 2020) as paired bars;
* districts chosen: a line or a bar per district that has rows, and the province's where it
  has a value; when none of the chosen districts has a row, the province's with a notice;
* no district chosen and rows for districts: the districts ranked for the latest year in view
  (a chart of several items shows the province's instead, when the province has rows);
* a chart of named things (communes, projects, documents) keeps its fixed shape.

Titles, subtitles and captions are written from the rows in view (sctdash.words).
Reported, derived and external values keep their styles: derived hatched (bars) or hollow
(markers), external pale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from sctdash import colours, words
from sctdash.catalogue import ChartSpec
from sctdash.filters import Filters
from sctdash.i18n import label, t

PROVINCE = "51"
MAX_SERIES = 8  # lines or bar series on one chart; the rest are in its data table
KEY = ["indicator_id", "area_code", "year_from", "year_to", "category", "variant"]
ADDITIVE_UNITS = ("count", "million_vnd", "billion_vnd", "mw", "mwp")


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


@dataclass
class Point:
    x: object  # a category code (bars) or a year (lines)
    value: float | None
    kind: str = "reported"
    text: str = ""  # the label on screen: “39 (suy ra)”
    hover: str = ""
    colour: str | None = None  # a point's own colour (one colour per category across panels)
    plain: str = ""  # the figure alone, “39”: a slide marks derived and external values by fill


@dataclass
class Series:
    key: str
    name: str
    colour: str
    points: list[Point]
    span: tuple[int, int] | None = None  # a period's value, drawn flat over its years
    emphasis: bool = False  # the province among districts


@dataclass
class Panel:
    title: str
    categories: list[tuple[object, str]]  # (code, words) in order; years for lines
    series: list[Series]


@dataclass
class Exhibit:
    """One chart as it stands under the filters."""

    id: str
    page: str
    lang: str
    shape: str  # "line", "bars" or "stacked"
    horizontal: bool
    panels: list[Panel]
    unit: str
    title: str
    subtitle: str
    footnotes: list[str]
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
        return any(len(p.series) > 1 for p in self.panels) or any(s.span for p in self.panels for s in p.series)

    @property
    def native(self) -> bool:
        """A chart PowerPoint can draw natively: one panel of bars or lines."""
        return not self.no_rows and len(self.panels) == 1

    def covered(self) -> set[tuple]:
        """The keys of the observation rows this chart draws."""
        if self.rows.empty or not set(KEY) <= set(self.rows.columns):
            return set()
        return set(words.tuples(self.rows, KEY))


# ------------------------------------------------------------------ building
def build(spec: ChartSpec, rows: pd.DataFrame, setting: Setting) -> Exhibit:
    """The chart `spec` drawn from its query's rows under the setting's filters."""
    df = rows.copy()
    if spec.skip_null and "value" in df:
        df = df[df["value"].notna()]
    if spec.shape:
        return _fixed(spec, df, setting)
    return _observations(spec, _normalised(df), setting)


def _normalised(df: pd.DataFrame) -> pd.DataFrame:
    """Every column the decision reads, with the types it expects."""
    df = df.copy()
    if "facet" not in df:
        df["facet"] = ""
    if "item" not in df:
        df["item"] = df["category"] if "category" in df else ""
    for col, default in (("variant", ""), ("value_kind", "reported"), ("area_code", PROVINCE)):
        if col not in df:
            df[col] = default
    df["variant"] = df["variant"].fillna("")
    df["area_code"] = df["area_code"].astype(str)
    df["item"] = df["item"].astype(str)
    df["facet"] = df["facet"].fillna("").astype(str)
    for col in ("year_from", "year_to"):
        df[col] = df[col].astype(int)
    return df[df["value"].notna()]


def _empty(spec: ChartSpec, setting: Setting, notice: str, rows: pd.DataFrame, province_only: bool = False) -> Exhibit:
    lang = setting.lang
    return Exhibit(
        id=spec.id,
        page=spec.page,
        lang=lang,
        shape="bars",
        horizontal=False,
        panels=[],
        unit=spec.unit or "",
        title=spec.name.get(lang, spec.id),
        subtitle=words.filters_text(setting.filters.districts, setting.filters.years, setting.names, lang),
        footnotes=[],
        rows=rows.iloc[0:0],
        notes=setting.notes.iloc[0:0],
        filters=setting.filters,
        no_rows=True,
        province_only=province_only,
        notice=notice,
    )


def _no_rows_notice(setting: Setting) -> str:
    if setting.filters.districts:
        where = words.where_text(setting.filters.districts, setting.names, setting.lang)
        return t("notice.no_rows_district", setting.lang, districts=where)
    return t("notice.no_rows", setting.lang)


def _observations(spec: ChartSpec, df: pd.DataFrame, setting: Setting) -> Exhibit:
    lang, chosen = setting.lang, set(setting.filters.districts)
    if df.empty:
        return _empty(spec, setting, _no_rows_notice(setting), df)
    in_district = df["area_code"] != PROVINCE
    province_only = ranking = False
    if chosen:
        if not in_district.any():
            province_only = True
    elif in_district.any():
        province = df[~in_district]
        district_items = df.loc[in_district, ["facet", "item"]].drop_duplicates()
        same_items = set(district_items["item"]) <= set(
            province["item"]
        )  # the districts' share of what the chart shows
        one_item = len(district_items) == 1 and not spec.snapshot and not df["facet"].ne("").any()
        if (one_item and (same_items or spec.auto)) or province.empty:
            ranking = True
        else:
            df = province
    if ranking:
        return _ranking(spec, df, setting)
    if spec.snapshot:
        df = df.sort_values("year_to").groupby(["facet", "item", "area_code", "variant"], sort=False).tail(1)
        df = df.sort_index()
    single = df[df["year_from"] == df["year_to"]]
    per_series = single.groupby(["facet", "item", "area_code", "variant"])["year_to"].nunique()
    line = bool(len(per_series)) and int(per_series.max()) >= 3
    ex = _lines(spec, df, setting) if line else _bars(spec, df, setting)
    ex.province_only = province_only
    if province_only:
        ex.notice = t("notice.province_only", lang)
    return ex


# ------------------------------------------------------------------ labels
def _first_rows(df: pd.DataFrame, col: str) -> dict[str, dict]:
    """The first row of each value of `col`, as plain dicts."""
    out: dict[str, dict] = {}
    for r in words.records(df):
        out.setdefault(r[col], r)
    return out


def _item_words(spec: ChartSpec, df: pd.DataFrame, lang: str) -> dict[str, str]:
    return {code: words.item_label(spec.item_labels, code, r, lang) for code, r in _first_rows(df, "item").items()}


def _facet_words(spec: ChartSpec, df: pd.DataFrame, lang: str) -> dict[str, str]:
    return {code: words.item_label(spec.facet_labels, code, r, lang) for code, r in _first_rows(df, "facet").items()}


def _variant_words(variant: str, lang: str, others: bool) -> str:
    if not variant:
        return t("series.main", lang) if others else ""
    return label("variant", variant, lang)


def _period_words(y0: int, y1: int, lang: str) -> str:
    return t("chart.year", lang, year=y1) if y0 == y1 else words.period_text(y0, y1)


def _ordered_areas(codes, chosen: tuple[str, ...]) -> list[str]:
    """The province first, then the chosen districts in the order chosen, then the rest."""
    codes = list(dict.fromkeys(codes))
    rank = {c: i for i, c in enumerate(chosen)}
    return sorted(codes, key=lambda c: (c != PROVINCE, rank.get(c, len(rank)), c))


def _point(row: Mapping, position, lang: str, label_text: str, name: str) -> Point:
    unit, dec = row.get("unit", ""), int(row.get("decimals", 0) or 0)
    text = words.value_text(row["value"], dec, unit, row.get("value_kind", "reported"), lang)
    where = f"{name} · " if name else ""
    return Point(
        x=position,
        value=float(row["value"]),
        kind=row.get("value_kind", "reported"),
        text=text,
        hover=f"{where}{label_text}: {text}",
        plain=words.value_text(row["value"], dec, unit, "reported", lang),
    )


def _unit(df: pd.DataFrame, spec: ChartSpec) -> str:
    units = list(dict.fromkeys(df["unit"].dropna())) if "unit" in df else []
    return spec.unit or (units[0] if units else "")


# ------------------------------------------------------------------ lines
def _lines(spec: ChartSpec, df: pd.DataFrame, setting: Setting) -> Exhibit:
    lang = setting.lang
    items = _item_words(spec, df, lang)
    facets = list(dict.fromkeys(df["facet"]))
    facet_words = _facet_words(spec, df, lang) if len(facets) > 1 else {"": ""}
    areas = _ordered_areas(df["area_code"], setting.filters.districts)
    variants = list(dict.fromkeys(sorted(df["variant"], key=lambda v: v != "")))
    y_lo, y_hi = int(df["year_from"].min()), int(df["year_to"].max())
    years = list(range(y_lo, y_hi + 1))
    panels, dropped, kept = [], 0, set()
    for facet in facets:
        part = df[df["facet"] == facet]
        keys = []
        for item in dict.fromkeys(part["item"]):
            for area in areas:
                for variant in variants:
                    rows = part[(part["item"] == item) & (part["area_code"] == area) & (part["variant"] == variant)]
                    if not rows.empty:
                        keys.append((item, area, variant, rows))
        if len(keys) > MAX_SERIES:
            dropped += len(keys) - MAX_SERIES
            keys = _keep(keys, setting.filters.districts)
        kept |= {(facet, item, area, variant) for item, area, variant, _ in keys}
        n_items = len({k[0] for k in keys})
        n_areas = len({k[1] for k in keys})
        series: list[Series] = []
        for item, area, variant, rows in keys:
            parts = []
            if n_items > 1:
                parts.append(items[item])
            if n_areas > 1:
                parts.append(words.area_name(area, setting.names, lang))
            parts.append(_variant_words(variant, lang, len(variants) > 1))
            name = " · ".join(p for p in parts if p) or spec.name.get(lang, "")
            colour = _series_colour(len(series), area, n_areas, setting.filters.districts, n_items)
            singles = rows[rows["year_from"] == rows["year_to"]]
            if not singles.empty:
                by_year = {int(r["year_to"]): r for r in words.records(singles)}
                points = [
                    _point(by_year[y], y, lang, str(y), name) if y in by_year else Point(x=y, value=None) for y in years
                ]
                series.append(
                    Series(f"{item}|{area}|{variant}", name, colour, points, emphasis=area == PROVINCE and n_areas > 1)
                )
            for r in words.records(rows[rows["year_from"] < rows["year_to"]]):
                y0, y1 = int(r["year_from"]), int(r["year_to"])
                span_name = (
                    t("chart.span", lang, name=name, period=words.period_text(y0, y1))
                    if name
                    else words.period_text(y0, y1)
                )
                pts = [
                    _point(r, y, lang, words.period_text(y0, y1), name) if y0 <= y <= y1 else Point(x=y, value=None)
                    for y in years
                ]
                series.append(Series(f"{item}|{area}|{variant}|{y0}-{y1}", span_name, colour, pts, span=(y0, y1)))
        panels.append(Panel(facet_words.get(facet, ""), [(y, str(y)) for y in years], series))
    shown = df
    if dropped:
        keys = list(zip(df["facet"], df["item"], df["area_code"], df["variant"]))
        shown = df[[k in kept for k in keys]]
    n_series = max(len(p.series) for p in panels)
    ex = _assemble(spec, shown, setting, "line", False, panels)
    ex.value_labels = "all" if n_series == 1 and len(years) <= 12 else "last"
    if dropped:
        ex.footnotes.insert(1, t("chart.more_series", lang, n=dropped))
    return ex


def _keep(keys: list, chosen: tuple[str, ...]) -> list:
    """The MAX_SERIES series to draw: the province's and the chosen districts' first, then the
    largest latest values."""
    rank = {c: i for i, c in enumerate(chosen)}

    def priority(entry):
        item, area, variant, rows = entry
        latest = float(rows.sort_values("year_to")["value"].iloc[-1])
        return (area != PROVINCE, rank.get(area, len(rank)), variant != "", -latest)

    return sorted(keys, key=priority)[:MAX_SERIES]


def _series_colour(index: int, area: str, n_areas: int, chosen: tuple[str, ...], n_items: int) -> str:
    if n_areas > 1 and n_items == 1:
        if area == PROVINCE:
            return colours.PROVINCE_COLOUR
        order = [c for c in chosen] or []
        j = order.index(area) if area in order else index
        return colours.PALETTE[j % (len(colours.PALETTE) - 1)]
    return colours.PALETTE[index % len(colours.PALETTE)]


# ------------------------------------------------------------------ bars
def _bars(spec: ChartSpec, df: pd.DataFrame, setting: Setting) -> Exhibit:
    lang = setting.lang
    items = _item_words(spec, df, lang)
    facets = list(dict.fromkeys(df["facet"]))
    facet_words = _facet_words(spec, df, lang) if len(facets) > 1 or facets != [""] else {"": ""}
    areas = _ordered_areas(df["area_code"], setting.filters.districts)
    periods = sorted({(int(a), int(b)) for a, b in zip(df["year_from"], df["year_to"])}, key=lambda p: (p[1], p[0]))
    variants = list(dict.fromkeys(sorted(df["variant"], key=lambda v: v != "")))
    dims = {"item": list(dict.fromkeys(df["item"])), "area": areas, "period": periods, "variant": variants}
    # A scoreboard shows each item's latest value, whatever its year: the year is in its label.
    candidates = ("item", "area") if spec.snapshot else ("item", "area", "period")
    x_dim = next((d for d in candidates if len(dims[d]) > 1), "item")
    series_dims = [
        d for d in ("period", "area", "variant") if d != x_dim and len(dims[d]) > 1 and d in candidates + ("variant",)
    ]
    last_year = int(df["year_to"].max())

    def code(row, dim):
        return {
            "item": row["item"],
            "area": row["area_code"],
            "period": (int(row["year_from"]), int(row["year_to"])),
            "variant": row["variant"],
        }[dim]

    def words_of(dim, value):
        if dim == "item":
            return items[value]
        if dim == "area":
            return words.area_name(value, setting.names, lang)
        if dim == "period":
            return _period_words(*value, lang)
        return _variant_words(value, lang, len(variants) > 1)

    records = words.records(df)
    panels = []
    one_colour_per_category = len(facets) > 1 and not series_dims
    category_colours = {c: colours.PALETTE[i % len(colours.PALETTE)] for i, c in enumerate(sorted(set(df["item"])))}
    for facet in facets:
        part = [r for r in records if r["facet"] == facet]
        present = list(dict.fromkeys(code(r, x_dim) for r in part))
        order = present if x_dim == "item" else [c for c in dims[x_dim] if c in present]
        categories = [(c, words_of(x_dim, c)) for c in order]
        if spec.snapshot and not series_dims:  # a scoreboard names how a derived share was made
            derivations = {r["item"]: r.get("derivation") for r in part if r.get("value_kind") == "derived"}
            categories = [
                (c, f"{w} ({derivations[c]})" if isinstance(derivations.get(c), str) else w) for c, w in categories
            ]
        keys = list(dict.fromkeys(tuple(code(r, d) for d in series_dims) for r in part))
        keys.sort(key=lambda k: tuple(dims[d].index(v) for d, v in zip(series_dims, k)))
        series = []
        for i, key in enumerate(keys):
            name = " · ".join(p for p in (words_of(d, v) for d, v in zip(series_dims, key)) if p)
            colour = colours.PALETTE[i % len(colours.PALETTE)]
            if series_dims == ["area"]:
                colour = _series_colour(i, key[0], len(areas), setting.filters.districts, 1)
            by_x = {code(r, x_dim): r for r in part if tuple(code(r, d) for d in series_dims) == key}
            points = []
            for c, words_c in categories:
                if c in by_x:
                    p = _point(by_x[c], c, lang, words_c, name)
                    if spec.snapshot and int(by_x[c]["year_to"]) != last_year:
                        when = _period_words(int(by_x[c]["year_from"]), int(by_x[c]["year_to"]), lang).lower()
                        p.text += f" ({when})"
                        p.plain += f" ({when})"
                    if one_colour_per_category:
                        p.colour = category_colours[by_x[c]["item"]]
                    points.append(p)
            series.append(Series("|".join(map(str, key)) or "all", name, colour, points))
        panels.append(Panel(facet_words.get(facet, ""), categories, series))
    horizontal = spec.bars == "h" if spec.bars else _long_labels(panels)
    return _assemble(spec, df, setting, "bars", horizontal, panels)


def _long_labels(panels: list[Panel]) -> bool:
    """Horizontal bars where the categories would not fit under vertical ones."""
    if len(panels) > 1:
        return False
    labels = [w for _, w in panels[0].categories]
    return len(labels) > 6 or max((len(w) for w in labels), default=0) > 14


def _ranking(spec: ChartSpec, df: pd.DataFrame, setting: Setting) -> Exhibit:
    """The districts ranked for the latest year in view (no district chosen)."""
    lang = setting.lang
    districts = df[(df["area_code"] != PROVINCE) & (df["variant"] == "")]
    y = int(districts["year_to"].max())
    at_y = districts[districts["year_to"] == y]
    items = _item_words(spec, at_y, lang)
    item_codes = list(dict.fromkeys(at_y["item"]))
    first_item = at_y[at_y["item"] == item_codes[0]].sort_values("value", ascending=False)
    order = list(dict.fromkeys(list(first_item["area_code"]) + list(at_y["area_code"])))
    categories = [(code, words.area_name(code, setting.names, lang)) for code in order]
    series = []
    for i, item in enumerate(item_codes):
        name = items[item] if len(item_codes) > 1 else spec.name.get(lang, "")
        by_area = {r["area_code"]: r for r in words.records(at_y[at_y["item"] == item])}
        points = [_point(by_area[c], c, lang, w, name) for c, w in categories if c in by_area]
        series.append(Series(item, name, colours.PALETTE[i % len(colours.PALETTE)], points))
    province = df[(df["area_code"] == PROVINCE) & (df["variant"] == "") & (df["year_to"] <= y)]
    ex = _assemble(spec, at_y, setting, "bars", True, [Panel("", categories, series)])
    ex.ranking = True
    ex.years = (y, y)
    ex.title = _generic_title(ex, at_y, setting, spec) if not spec.title else ex.title
    missing = [setting.names.get(code, code) for code in setting.units if code not in set(at_y["area_code"])]
    if missing:
        ex.footnotes.insert(1, t("chart.no_data_year", lang, year=y, names=", ".join(missing)))
    if not province.empty:
        last = province.sort_values("year_to").iloc[-1]
        value = words.value_text(last["value"], int(last["decimals"]), last["unit"], last["value_kind"], lang)
        ex.subtitle += " · " + t("chart.province_value", lang, value=value, year=int(last["year_to"]))
    return ex


# ------------------------------------------------------------------ named things
def _fixed(spec: ChartSpec, df: pd.DataFrame, setting: Setting) -> Exhibit:
    """A chart of named things (communes by district, projects, documents by year)."""
    lang = setting.lang
    if df.empty:
        return _empty(spec, setting, _no_rows_notice(setting), df)
    x_order = list(dict.fromkeys(df["item"]))
    first = {r["item"]: r for r in reversed(words.records(df))}
    categories = [(x, words.item_label(spec.item_labels, x, first[x], lang)) for x in x_order]
    series = []
    for i, (code, part) in enumerate(df.groupby("series", sort=False)):
        name = label(spec.series_labels, str(code), lang) if spec.series_labels != "none" else ""
        colour = colours.SERIES_COLOURS.get(str(code), colours.PALETTE[i % len(colours.PALETTE)])
        by_x = {r["item"]: r for r in words.records(part)}
        points = [_point(by_x[x], x, lang, w, name) for x, w in categories if x in by_x and pd.notna(by_x[x]["value"])]
        series.append(Series(str(code), name, colour, points))
    shape = "stacked" if spec.shape.startswith("stacked") else "bars"
    return _assemble(spec, df, setting, shape, spec.shape in ("hbar", "stacked_hbar"), [Panel("", categories, series)])


# ------------------------------------------------------------------ words
def _assemble(
    spec: ChartSpec, df: pd.DataFrame, setting: Setting, shape: str, horizontal: bool, panels: list[Panel]
) -> Exhibit:
    lang = setting.lang
    years = None
    if "year_from" in df and len(df):
        years = (int(df["year_from"].min()), int(df["year_to"].max()))
    notes = _notes(df, setting.notes)
    ex = Exhibit(
        id=spec.id,
        page=spec.page,
        lang=lang,
        shape=shape,
        horizontal=horizontal,
        panels=panels,
        unit=_unit(df, spec),
        title="",
        subtitle="",
        footnotes=[],
        rows=df,
        notes=notes,
        filters=setting.filters,
        years=years,
        kinds=frozenset(df["value_kind"]) if "value_kind" in df else frozenset(),
    )
    present = set(df["area_code"]) if "area_code" in df else set()
    ex.districts = (
        tuple(setting.filters.districts)
        if spec.shape and spec.district_rows
        else tuple(d for d in setting.filters.districts if d in present)
    )
    values = summary(ex, df, setting, spec)
    title = words.fill(spec.title.get(lang, ""), values) if spec.title else None
    ex.title = title or _generic_title(ex, df, setting, spec)
    sub = words.fill(spec.subtitle.get(lang, ""), values) if spec.subtitle else None
    unit_words = label("unit", ex.unit, lang) if ex.unit else ""
    ex.subtitle = " · ".join(x for x in (sub or unit_words, _shown_filters(df, setting, spec)) if x)
    ex.footnotes = footnotes(df, setting, notes, ex)
    return ex


def _shown_filters(df: pd.DataFrame, setting: Setting, spec: ChartSpec) -> str:
    """What the rows in view are for: “Đang xem: Ba Tơ; năm 2015–2023” (the province where
    no chosen district has rows; the years of the rows, or none for a chart without years)."""
    present = set(df["area_code"]) if "area_code" in df else set()
    areas = [a for a in setting.filters.districts if a in present]
    if spec.shape:  # named things: the districts they are filtered by, if they are
        areas = list(setting.filters.districts) if spec.district_rows else []
    if "year_from" not in df or df.empty:
        return words.filters_text(areas, None, setting.names, setting.lang)
    years = (int(df["year_from"].min()), int(df["year_to"].max()))
    return words.filters_text(areas, years, setting.names, setting.lang)


def _notes(df: pd.DataFrame, notes: pd.DataFrame) -> pd.DataFrame:
    ids = sorted({n for n in df.get("note_id", pd.Series(dtype=str)).dropna() if n})
    return notes[notes["note_id"].isin(ids)] if len(notes) else notes


def footnotes(df: pd.DataFrame, setting: Setting, notes: pd.DataFrame, ex: Exhibit) -> list[str]:
    lang = setting.lang
    lines = [words.source_line(df, setting.sources, lang)]
    if "derived" in ex.kinds:
        lines.append(t("chart.derived_legend", lang) if ex.shape != "line" else t("chart.derived_legend_line", lang))
    if "external" in ex.kinds:
        lines.append(t("chart.external_legend", lang))
    if not notes.empty:
        lines.append(t("chart.note_ref", lang, titles="; ".join(notes[f"title_{lang}"])))
    return [x for x in lines if x]


def _main_area(df: pd.DataFrame, chosen: tuple[str, ...]) -> str:
    areas = set(df["area_code"]) if "area_code" in df else {PROVINCE}
    if PROVINCE in areas:
        return PROVINCE
    return next((c for c in chosen if c in areas), sorted(areas)[0] if areas else PROVINCE)


def summary(ex: Exhibit, df: pd.DataFrame, setting: Setting, spec: ChartSpec) -> dict:
    """What a title template may name, from the rows in view (catalogue.PLACEHOLDERS)."""
    lang = setting.lang
    out: dict = {"name": spec.name.get(lang, "")}
    if df.empty:
        return out
    if ex.years:
        out["y0"], out["y1"] = ex.years
        out["period"] = words.period_text(*ex.years)
    areas = [a for a in df.get("area_code", pd.Series(dtype=str)).unique() if a != PROVINCE]
    out["where"] = words.where_text(areas, setting.names, lang)
    if spec.shape:  # named things: counts by series
        known = df[df["value"].notna()]
        dec = int(known["decimals"].max()) if len(known) else 0
        out["total"] = words.value_text(known["value"].sum(), dec, "count", "reported", lang)
        out["n"] = str(len(known))
        sums = {
            str(code): words.value_text(part["value"].sum(), dec, "count", "reported", lang)
            for code, part in known.groupby("series")
        }
        out["sum"] = _ZeroIfNone(sums, words.value_text(0, 0, "count", "reported", lang))
        return out
    records = words.records(df)  # plain Python from here: a few rows, many small steps
    singles = [r["year_to"] for r in records if r["year_from"] == r["year_to"]]
    spans = any(r["year_from"] != r["year_to"] for r in records)  # a period in view: name it whole
    out["years"] = words.years_text(singles, lang) if singles and not spans else out.get("period", "")
    main_area = _main_area(df, setting.filters.districts)
    main = [r for r in records if r["area_code"] == main_area]
    by_item: dict[str, list[dict]] = {}
    for r in main:
        by_item.setdefault(r["item"], []).append(r)
    value, first, trend, change, alt, times, latest = {}, {}, {}, {}, {}, {}, {}
    for item, part in by_item.items():
        variant = "" if any(r["variant"] == "" for r in part) else part[0]["variant"]
        primary = [r for r in part if r["variant"] == variant]
        if any(r["value_kind"] != "external" for r in primary):
            primary = [r for r in primary if r["value_kind"] != "external"]
        primary.sort(key=lambda r: (r["year_to"], r["year_from"]))
        last = primary[-1]
        dec, unit = int(last["decimals"]), last["unit"]
        v1 = (int(last["year_to"]), words.value_text(last["value"], dec, unit, "reported", lang), float(last["value"]))
        earlier = [r for r in primary if r["year_to"] < last["year_to"]]
        v0 = None
        if earlier:
            e = earlier[0]
            v0 = (int(e["year_to"]), words.value_text(e["value"], dec, unit, "reported", lang), float(e["value"]))
            first[item] = v0[1]
            if v0[2]:
                times[item] = words.value_text(v1[2] / v0[2], 2, "times", "reported", lang)
        value[item] = v1[1]
        latest[item] = v1[2]
        trend[item] = words.trend(v0, v1, lang)
        change[item] = words.trend(v0, v1, lang, years=False)
        others = [
            r
            for r in part
            if r["variant"] != last["variant"] and r["year_to"] == last["year_to"] and r["value_kind"] != "external"
        ]
        if others:
            alt[item] = words.value_text(others[0]["value"], dec, unit, "reported", lang)
    out.update(value=value, first=first, trend=trend, change=change, alt=alt, times=times)
    if len(latest) >= 2 and len(set(latest.values())) > 1:
        item_words = _item_words(spec, df, lang)
        long = {
            code: label("long", code, lang) if label("long", code, lang) != code else item_words.get(code, code)
            for code in latest
        }
        top, bottom = max(latest, key=latest.get), min(latest, key=latest.get)
        out.update(top=long[top], bottom=long[bottom], top_value=value[top], bottom_value=value[bottom])
    if latest:
        lo, hi = min(latest, key=latest.get), max(latest, key=latest.get)
        out.update(min=value[lo], max=value[hi])
        out["ratio"] = {
            f"{a}/{b}": words.value_text(latest[a] / latest[b], 1, "times", "reported", lang)
            for a in latest
            for b in latest
            if a != b and latest[b]
        }
    facet_total = {}
    facets: dict[str, list[dict]] = {}
    for r in main:
        if r["variant"] == "" and r["facet"]:
            facets.setdefault(r["facet"], []).append(r)
    for facet, part in facets.items():
        y = max(r["year_to"] for r in part)
        rows = [r for r in part if r["year_to"] == y]
        dec = max(int(r["decimals"]) for r in rows)
        facet_total[facet] = words.value_text(sum(r["value"] for r in rows), dec, rows[0]["unit"], "reported", lang)
    out["facet_total"] = facet_total
    n_versions = df["variant"].nunique()
    if n_versions >= 2:
        out["n_versions"] = str(n_versions)
    out["n"] = str(len(df))
    return out


class _ZeroIfNone(dict):
    """Sums by series, where a series without rows sums to zero (“0 xã đã hoàn thành”)."""

    def __init__(self, values: dict, zero: str):
        super().__init__(values)
        self.zero = zero

    def __contains__(self, key) -> bool:
        return True

    def __missing__(self, key) -> str:
        return self.zero


def _generic_title(ex: Exhibit, df: pd.DataFrame, setting: Setting, spec: ChartSpec) -> str:
    """A plain title written from the rows, for an automatic chart or a template the rows
    cannot fill."""
    lang = setting.lang
    name = spec.name.get(lang, "") or (
        str(df[f"indicator_{lang}"].iloc[0]) if f"indicator_{lang}" in df and len(df) else spec.id
    )
    if df.empty:
        return name
    if ex.ranking:
        y = ex.years[1] if ex.years else ""
        s0 = ex.panels[0].series[0]
        pts = [p for p in s0.points if p.value is not None]
        names = dict(ex.panels[0].categories)
        if len(pts) >= 2 and pts[0].value != pts[-1].value:
            top, bottom = pts[0], pts[-1]
            return t(
                "title.ranking",
                lang,
                name=name,
                year=y,
                top=", ".join(names[p.x] for p in pts if p.value == top.value),  # ties named together
                top_value=top.text,
                bottom=", ".join(names[p.x] for p in pts if p.value == bottom.value),
                bottom_value=bottom.text,
            )
        if pts:
            return t("title.value", lang, name=name, value=f"{names[pts[0].x]} {pts[0].text}", period=y)
    if spec.shape:
        return name
    main = _main_area(df, setting.filters.districts)
    districts = [a for a in _ordered_areas(df["area_code"], setting.filters.districts) if a != PROVINCE]
    items = list(dict.fromkeys(df["item"]))
    single = df[df["year_from"] == df["year_to"]]
    if ex.shape == "line" and len(districts) > 1 and len(items) == 1:
        y1 = int(single["year_to"].max())
        at = single[(single["year_to"] == y1) & (single["area_code"] != PROVINCE) & (single["variant"] == "")]
        if len(at) >= 1:
            top = at.sort_values("value").iloc[-1]
            value = words.value_text(top["value"], int(top["decimals"]), top["unit"], "reported", lang)
            leaders = [a for a in districts if a in set(at.loc[at["value"] == top["value"], "area_code"])]
            return t(
                "title.areas",
                lang,
                name=name,
                year=y1,
                top=", ".join(words.area_name(a, setting.names, lang) for a in leaders),  # ties named together
                top_value=value,
                period=words.period_text(*ex.years),
            )
    focus = districts[0] if len(districts) == 1 else main
    part = df[(df["area_code"] == focus) & (df["variant"] == "")]
    if len(items) == 1 and len(part):
        part = part.sort_values(["year_to", "year_from"])
        last, dec, unit = part.iloc[-1], int(part.iloc[-1]["decimals"]), part.iloc[-1]["unit"]
        v1 = (int(last["year_to"]), words.value_text(last["value"], dec, unit, "reported", lang), float(last["value"]))
        earlier = part[part["year_to"] < last["year_to"]]
        v0 = None
        if len(earlier):
            e = earlier.iloc[0]
            v0 = (int(e["year_to"]), words.value_text(e["value"], dec, unit, "reported", lang), float(e["value"]))
        where = words.area_name(focus, setting.names, lang) if focus != PROVINCE else ""
        phrase = words.trend(v0, v1, lang)
        if int(last["year_from"]) != int(last["year_to"]) and v0 is None:
            phrase = t(
                "words.level_period",
                lang,
                value=v1[1],
                period=words.period_text(int(last["year_from"]), int(last["year_to"])),
            )
        return t("title.trend_where" if where else "title.trend", lang, name=name, where=where, trend=phrase)
    values = summary(ex, df, setting, spec)
    if "top" in values:
        return t(
            "title.top",
            lang,
            name=name,
            period=values.get("period", ""),
            top=values["top"],
            top_value=values["top_value"],
        )
    return t("title.plain", lang, name=name, period=values.get("period", ""))


def tile_sum_is_meaningful(unit: str) -> bool:
    return unit in ADDITIVE_UNITS


def nan_to_none(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value
