"""What a chart is follows from its rows: the Exhibit built from the rows in the filter.

    build(spec, rows, setting) -> Exhibit (sctdash.exhibits.exhibit)

The decision, from the rows of a chart of observations inside the current filter:

* a series (an item of one area in one version) with three or more years: a line with
  markers, a missing year a gap; a period's average (2016–2020) a flat segment over its years;
* otherwise bars: the items side by side, two endpoints (2015 and 2020) as paired bars;
* districts chosen: a line or a bar per district that has rows, and the province's where it
  has a value; when none of the chosen districts has a row, the province's with a notice;
* no district chosen and rows for districts: the districts ranked for the latest year in view
  (a chart of several items shows the province's instead, when the province has rows);
* a chart of named things (communes, projects, documents) keeps its fixed shape.

Titles, subtitles and captions are written from the rows in view (sctdash.exhibits.chart_words).
Reported, derived and external values keep their styles: derived hatched (bars) or hollow
(markers), external pale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pandas as pd

from sctdash.core import colours
from sctdash.core.catalogue import ChartSpec
from sctdash.core.i18n import label, t
from sctdash.core.province import PROVINCE
from sctdash.exhibits import chart_words, phrases, revisions, territory
from sctdash.exhibits.exhibit import (
    MAX_SERIES,
    Exhibit,
    Panel,
    Point,
    Series,
    Setting,
    facet_words,
    item_words,
    notes_of,
    ordered_areas,
    period_words,
    point,
    unit_of,
    variant_words,
)


def build(spec: ChartSpec, rows: pd.DataFrame, setting: Setting) -> Exhibit:
    """The chart `spec` drawn from its query's rows under the setting's filters; revised rows
    say so in their own columns (sctdash.exhibits.revisions), which the points and files read."""
    df = revisions.attach(rows.copy(), setting.revisions)
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
    df = territory.with_places(df)  # a code whose rows are of two territories is two places
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
        panels=(),
        unit=spec.unit or "",
        title=spec.name.get(lang, spec.id),
        subtitle=phrases.filters_text(setting.filters.districts, setting.filters.years, setting.names, lang),
        footnotes=(),
        rows=rows.iloc[0:0],
        notes=setting.notes.iloc[0:0],
        filters=setting.filters,
        no_rows=True,
        province_only=province_only,
        notice=notice,
    )


def _no_rows_notice(setting: Setting) -> str:
    if setting.filters.districts:
        where = phrases.where_text(setting.filters.districts, setting.names, setting.lang)
        return t("notice.no_rows_district", setting.lang, districts=where)
    return t("notice.no_rows", setting.lang)


def _observations(spec: ChartSpec, df: pd.DataFrame, setting: Setting) -> Exhibit:
    lang, chosen = setting.lang, set(setting.filters.districts)
    targets = df.iloc[0:0]
    if "figure_type" in df:  # a target is marked beside its result, never drawn as one
        targets, df = df[df["figure_type"] == "target"], df[df["figure_type"] != "target"]
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
        return _ranking(spec, df, setting, targets[targets["variant"] == ""])
    if spec.snapshot:
        df = df.sort_values("year_to").groupby(["facet", "item", "place", "variant"], sort=False).tail(1)
        df = df.sort_index()
    single = df[df["year_from"] == df["year_to"]]
    per_series = single.groupby(["facet", "item", "place", "variant"])["year_to"].nunique()
    line = bool(len(per_series)) and int(per_series.max()) >= 3
    said = {"province_only": True, "notice": t("notice.province_only", lang)} if province_only else {}
    targets = targets[targets["place"].isin(set(df["place"])) & (targets["variant"] == "")]
    return _lines(spec, df, setting, said, targets) if line else _bars(spec, df, setting, said, targets)


# ------------------------------------------------------------------ lines
def _lines(spec: ChartSpec, df: pd.DataFrame, setting: Setting, said: dict, targets: pd.DataFrame) -> Exhibit:
    lang = setting.lang
    items = item_words(spec, df, lang)
    facets = list(dict.fromkeys(df["facet"]))
    facet_names = facet_words(spec, df, lang) if len(facets) > 1 else {"": ""}
    areas = ordered_areas(df["place"], setting.filters.districts)
    variants = list(dict.fromkeys(sorted(df["variant"], key=lambda v: v != "")))
    every = pd.concat([df, targets]) if len(targets) else df
    y_lo, y_hi = int(every["year_from"].min()), int(every["year_to"].max())
    years = list(range(y_lo, y_hi + 1))
    panels, dropped, kept = [], 0, set()
    for facet in facets:
        part = df[df["facet"] == facet]
        keys = []
        for item in dict.fromkeys(part["item"]):
            for area in areas:
                for variant in variants:
                    rows = part[(part["item"] == item) & (part["place"] == area) & (part["variant"] == variant)]
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
                parts.append(territory.place_words(area, setting.names, setting.areas, lang))
            parts.append(variant_words(variant, lang, len(variants) > 1))
            name = " · ".join(p for p in parts if p) or spec.name.get(lang, "")
            colour = _series_colour(len(series), area, n_areas, setting.filters.districts, n_items)
            singles = rows[rows["year_from"] == rows["year_to"]]
            plan = (
                targets[(targets["item"] == item) & (targets["place"] == area)] if variant == "" else targets.iloc[0:0]
            )
            plan_years = {int(r["year_to"]): r for r in phrases.records(plan[plan["year_from"] == plan["year_to"]])}
            if not singles.empty:
                by_year = {int(r["year_to"]): r for r in phrases.records(singles)}
                points = [
                    point(by_year[y], y, lang, str(y), name, extra=_in_words(by_year, y, plan_years.get(y), setting))
                    if y in by_year
                    else Point(x=y, value=None)
                    for y in years
                ]
                series.append(
                    Series(
                        f"{item}|{area}|{variant}",
                        name,
                        colour,
                        tuple(points),
                        emphasis=territory.is_province(area) and n_areas > 1,
                    )
                )
            for r in phrases.records(rows[rows["year_from"] < rows["year_to"]]):
                y0, y1 = int(r["year_from"]), int(r["year_to"])
                span_name = (
                    t("chart.span", lang, name=name, period=phrases.period_text(y0, y1))
                    if name
                    else phrases.period_text(y0, y1)
                )
                pts = [
                    point(r, y, lang, phrases.period_text(y0, y1), name) if y0 <= y <= y1 else Point(x=y, value=None)
                    for y in years
                ]
                series.append(
                    Series(f"{item}|{area}|{variant}|{y0}-{y1}", span_name, colour, tuple(pts), span=(y0, y1))
                )
            series += _target_series(plan, rows, years, name, colour, f"{item}|{area}", setting)
        panels.append(Panel(facet_names.get(facet, ""), tuple((y, str(y)) for y in years), tuple(series)))
    shown = df
    if dropped:
        keys = list(zip(df["facet"], df["item"], df["place"], df["variant"]))
        shown = df[[k in kept for k in keys]]
    shown = pd.concat([shown, targets]) if len(targets) else shown  # the targets marked are rows drawn
    n_series = max(len(p.series) for p in panels)
    return assemble(
        spec,
        shown,
        setting,
        "line",
        False,
        panels,
        more_lines=[t("chart.more_series", lang, n=dropped)] if dropped else [],
        value_labels="all" if n_series == 1 and len(years) <= 12 else "last",
        **said,
    )


def _in_words(by_year: dict, y: int, target, setting: Setting) -> str:
    """What a line's point says after its figure in the hover: the change on the year before
    (a series is one land: sctdash.exhibits.territory splits a code's series at a change) and
    its standing against its target."""
    before = phrases.year_on_year(by_year[y], by_year[y - 1], setting.lang) if y - 1 in by_year else ""
    return " · ".join(x for x in (before, _standing(by_year[y], target, setting)) if x)


def _standing(row, target, setting: Setting) -> str:
    """A result's words against its target of the same year: “đạt 94,1 % kế hoạch · chưa đạt
    kế hoạch”; nothing without a target."""
    if target is None:
        return ""
    standing, words = phrases.against_target(row, target, setting.lang)
    return f"{words} · {t(f'standing.{standing}', setting.lang)}"


def _average_growth(rows: pd.DataFrame, y0: int, y1: int) -> float | None:
    """The average yearly growth of a period from its yearly growth rates (all of them there):
    what a period's target of an average growth is held against, marked derived."""
    yearly = rows[(rows["year_from"] == rows["year_to"]) & rows["year_to"].between(y0, y1)]
    if yearly["year_to"].nunique() != y1 - y0 + 1:
        return None
    product = 1.0
    for g in yearly.sort_values("year_to")["value"]:
        product *= 1 + float(g) / 100
    return (product ** (1 / (y1 - y0 + 1)) - 1) * 100


def _target_point(row, year: int, name: str, lang: str, x: object = None, words: str = "") -> Point:
    """A year's target: its label names it (“Kế hoạch 2026: 230”), never a bare figure. At `x`
    (a ranked area, `words` its name) where the chart's categories are not years."""
    label_text = t("target.year", lang, year=year)
    mark = point(row, year if x is None else x, lang, f"{words} · {label_text}" if words else label_text, name)
    return replace(mark, plain=f"{t('target.year', lang, year=year)}: {mark.plain}")


def _target_series(
    plan: pd.DataFrame, results: pd.DataFrame, years: list[int], name: str, colour: str, key: str, setting: Setting
) -> list[Series]:
    """A series' targets, never drawn as results: its yearly targets as marked levels at their
    years, a period's target (an average growth for 2021–2025, say) as a dashed level over its
    years, held against the period's reported figure or the average derived from its years."""
    lang, out = setting.lang, []
    words = t("target.series", lang)
    singles = plan[plan["year_from"] == plan["year_to"]]
    if not singles.empty:
        by_year = {int(r["year_to"]): r for r in phrases.records(singles)}
        pts = [_target_point(by_year[y], y, name, lang) if y in by_year else Point(x=y, value=None) for y in years]
        out.append(Series(f"{key}|target", f"{name} · {words}" if name else words, colour, tuple(pts)))
    for r in phrases.records(plan[plan["year_from"] < plan["year_to"]]):
        y0, y1 = int(r["year_from"]), int(r["year_to"])
        period = phrases.period_text(y0, y1)
        reported = results[(results["year_from"] == y0) & (results["year_to"] == y1)]
        extra = ""
        if len(reported):
            extra = _standing(phrases.records(reported)[0], r, setting)
        elif r.get("unit") == "pct_per_year" and (average := _average_growth(results, y0, y1)) is not None:
            derived = {**r, "value": average}
            value = phrases.value_text(average, int(r["decimals"]), r["unit"], "derived", lang)
            extra = (
                t("target.against_derived", lang, value=value, period=period) + " · " + _standing(derived, r, setting)
            )
        label_text = t("target.period", lang, period=period)
        pts = [
            point(r, y, lang, label_text, name, extra=extra) if y0 <= y <= y1 else Point(x=y, value=None) for y in years
        ]
        out.append(Series(f"{key}|target|{y0}-{y1}", label_text, colour, tuple(pts), span=(y0, y1)))
    return out


def _keep(keys: list, chosen: tuple[str, ...]) -> list:
    """The MAX_SERIES series to draw: the province's and the chosen districts' first, then the
    largest latest values."""
    rank = {c: i for i, c in enumerate(chosen)}

    def priority(entry):
        item, area, variant, rows = entry
        latest = float(rows.sort_values("year_to")["value"].iloc[-1])
        code = territory.code_of(area)
        return (code != PROVINCE, rank.get(code, len(rank)), variant != "", -latest)

    kept = {id(k) for k in sorted(keys, key=priority)[:MAX_SERIES]}
    return [k for k in keys if id(k) in kept]  # in the chart's order: a territory before the one after it


def _series_colour(index: int, area: str, n_areas: int, chosen: tuple[str, ...], n_items: int) -> str:
    if n_areas > 1 and n_items == 1:
        if territory.is_province(area):
            return colours.PROVINCE_COLOUR
        order = [c for c in chosen] or []
        code = territory.code_of(area)
        j = order.index(code) if code in order else index
        return colours.PALETTE[j % (len(colours.PALETTE) - 1)]
    return colours.PALETTE[index % len(colours.PALETTE)]


# ------------------------------------------------------------------ bars
def _bars(spec: ChartSpec, df: pd.DataFrame, setting: Setting, said: dict, targets: pd.DataFrame) -> Exhibit:
    lang = setting.lang
    items = item_words(spec, df, lang)
    facets = list(dict.fromkeys(df["facet"]))
    facet_names = facet_words(spec, df, lang) if len(facets) > 1 or facets != [""] else {"": ""}
    areas = ordered_areas(df["place"], setting.filters.districts)
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
            "area": row["place"],
            "period": (int(row["year_from"]), int(row["year_to"])),
            "variant": row["variant"],
        }[dim]

    def words_of(dim, value):
        if dim == "item":
            return items[value]
        if dim == "area":
            return territory.place_words(value, setting.names, setting.areas, lang)
        if dim == "period":
            return period_words(*value, lang)
        return variant_words(value, lang, len(variants) > 1)

    records = phrases.records(df)
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
                    r = by_x[c]
                    older = spec.snapshot and int(r["year_to"]) != last_year
                    when = period_words(int(r["year_from"]), int(r["year_to"]), lang).lower() if older else ""
                    own = category_colours[r["item"]] if one_colour_per_category else None
                    points.append(point(r, c, lang, words_c, name, when=when, colour=own))
            series.append(Series("|".join(map(str, key)) or "all", name, colour, tuple(points)))
        marks = [r for r in phrases.records(targets) if r["facet"] == facet]
        at = {c for c, _ in categories}
        plan = [point(r, code(r, x_dim), lang, t("target.series", lang), "") for r in marks if code(r, x_dim) in at]
        if plan:  # the targets of the categories drawn: a marked level each, never a bar
            series.append(Series("target", t("target.series", lang), colours.PROVINCE_COLOUR, tuple(plan)))
        panels.append(Panel(facet_names.get(facet, ""), tuple(categories), tuple(series)))
    horizontal = spec.bars == "h" if spec.bars else _long_labels(panels)
    shown = pd.concat([df, targets]) if len(targets) else df
    return assemble(spec, shown, setting, "bars", horizontal, panels, **said)


def _long_labels(panels: list[Panel]) -> bool:
    """Horizontal bars where the categories would not fit under vertical ones."""
    if len(panels) > 1:
        return False
    labels = [w for _, w in panels[0].categories]
    return len(labels) > 6 or max((len(w) for w in labels), default=0) > 14


def _ranked_units(at_y: pd.DataFrame, y: int, setting: Setting) -> list[str]:
    """The units a ranking of year `y` could show: the 2020 units (the report's years), else the
    units in force at the end of `y` of the level and former provinces ranked (the 96 communes
    of the merged province, the districts of both former provinces)."""
    if "area_level" not in at_y or y <= 2020 or not setting.areas.units:
        return list(setting.units)
    levels = set(at_y["area_level"])
    present = {u.code for u in setting.areas.units.values() if u.unit_id in set(at_y.get("unit_id", ()))}
    parents = {u.parent for u in setting.areas.units.values() if u.code in present}
    end = date(y, 12, 31)
    found = [
        u.code
        for u in setting.areas.units.values()
        if u.level in levels
        and u.parent in parents
        and (u.start is None or u.start <= end)
        and (u.end is None or u.end >= date(y, 1, 1))
    ]
    return sorted(set(found))


RANKED_AT_MOST = 24  # a ranking of more areas shows its leaders and its last (the 96 communes of 2025)
RANKED_TOP, RANKED_BOTTOM = 12, 6


def _ranking(spec: ChartSpec, df: pd.DataFrame, setting: Setting, targets: pd.DataFrame) -> Exhibit:
    """The districts ranked for the latest year in view (no district chosen); the targets of that
    year marked beside their bars, each result's standing against its own in the hover."""
    lang = setting.lang
    districts = df[(df["area_code"] != PROVINCE) & (df["variant"] == "")]
    y = int(districts["year_to"].max())
    at_y = districts[districts["year_to"] == y]
    items = item_words(spec, at_y, lang)
    item_codes = list(dict.fromkeys(at_y["item"]))
    first_item = at_y[at_y["item"] == item_codes[0]].sort_values("value", ascending=False)
    order = list(dict.fromkeys(list(first_item["area_code"]) + list(at_y["area_code"])))
    cut = []
    if len(order) > RANKED_AT_MOST:  # the leaders and the last, readable (96 communes): the rest in the table
        cut = [t("chart.ranking_cut", lang, top=RANKED_TOP, bottom=RANKED_BOTTOM, n=len(order))]
        order = order[:RANKED_TOP] + order[-RANKED_BOTTOM:]  # the data table keeps them all (ex.rows)
    units = dict(zip(at_y["area_code"], at_y["unit_id"], strict=False)) if "unit_id" in at_y else {}
    present = set(districts.loc[districts["year_to"] == y, "area_code"])
    categories = [
        (code, territory.unit_words(code, units.get(code), setting.names, setting.areas, lang)) for code in order
    ]
    series = []
    for i, item in enumerate(item_codes):
        name = items[item] if len(item_codes) > 1 else spec.name.get(lang, "")
        by_area = {r["area_code"]: r for r in phrases.records(at_y[at_y["item"] == item])}
        plan = targets[(targets["item"] == item) & (targets["year_from"] == y) & (targets["year_to"] == y)]
        plan_of = {r["area_code"]: r for r in phrases.records(plan)}
        points = [
            point(by_area[c], c, lang, w, name, extra=_standing(by_area[c], plan_of.get(c), setting))
            for c, w in categories
            if c in by_area
        ]
        series.append(Series(item, name, colours.PALETTE[i % len(colours.PALETTE)], tuple(points)))
        marks = [_target_point(plan_of[c], y, name, lang, c, w) for c, w in categories if c in plan_of and c in by_area]
        if marks:  # a marked level each, never a bar
            key = "target" if len(item_codes) == 1 else f"{item}|target"
            words = t("target.series", lang)
            series.append(
                Series(
                    key, f"{name} · {words}" if len(item_codes) > 1 else words, colours.PROVINCE_COLOUR, tuple(marks)
                )
            )
    province = df[(df["area_code"] == PROVINCE) & (df["variant"] == "") & (df["year_to"] <= y)]
    missing = [setting.names.get(code, code) for code in _ranked_units(at_y, y, setting) if code not in present]
    province_value = ""
    if not province.empty:
        last = province.sort_values("year_to").iloc[-1]
        value = phrases.value_text(last["value"], int(last["decimals"]), last["unit"], last["value_kind"], lang)
        province_value = " · " + t("chart.province_value", lang, value=value, year=int(last["year_to"]))
    marked = targets[
        targets["area_code"].isin(set(at_y["area_code"])) & (targets["year_to"] == y) & (targets["year_from"] == y)
    ]
    return assemble(
        spec,
        pd.concat([at_y, marked]) if len(marked) else at_y,
        setting,
        "bars",
        True,
        [Panel("", tuple(categories), tuple(series))],
        more_lines=cut + ([t("chart.no_data_year", lang, year=y, names=", ".join(missing))] if missing else []),
        subtitle_extra=province_value,
        ranking=True,
        years=(y, y),
    )


# ------------------------------------------------------------------ named things
def _fixed(spec: ChartSpec, df: pd.DataFrame, setting: Setting) -> Exhibit:
    """A chart of named things (communes by district, projects, documents by year)."""
    lang = setting.lang
    if df.empty:
        return _empty(spec, setting, _no_rows_notice(setting), df)
    x_order = list(dict.fromkeys(df["item"]))
    first = {r["item"]: r for r in reversed(phrases.records(df))}
    categories = [(x, phrases.item_label(spec.item_labels, x, first[x], lang)) for x in x_order]
    series = []
    for i, (code, part) in enumerate(df.groupby("series", sort=False)):
        name = label(spec.series_labels, str(code), lang) if spec.series_labels != "none" else ""
        colour = colours.SERIES_COLOURS.get(str(code), colours.PALETTE[i % len(colours.PALETTE)])
        by_x = {r["item"]: r for r in phrases.records(part)}
        points = [point(by_x[x], x, lang, w, name) for x, w in categories if x in by_x and pd.notna(by_x[x]["value"])]
        series.append(Series(str(code), name, colour, tuple(points)))
    fixed = spec.shape or ""  # set: a chart of named things
    shape = "stacked" if fixed.startswith("stacked") else "bars"
    panels = [Panel("", tuple(categories), tuple(series))]
    return assemble(spec, df, setting, shape, fixed in ("hbar", "stacked_hbar"), panels)


# ------------------------------------------------------------------ assembling
def _kinds(df: pd.DataFrame) -> frozenset:
    """The kinds of value a chart draws: reported, derived, external; an estimate where a figure
    is not final; a target where the chart marks one (what its footnotes explain)."""
    if "value_kind" not in df:
        return frozenset()
    kinds = set(df.loc[df.get("figure_type", pd.Series("result", index=df.index)) != "target", "value_kind"])
    if "status" in df and df["status"].isin(("estimate", "preliminary")).any():
        kinds.add("estimate")
    if "figure_type" in df and (df["figure_type"] == "target").any():
        kinds.add("target")
    return frozenset(kinds)


def assemble(
    spec: ChartSpec,
    df: pd.DataFrame,
    setting: Setting,
    shape: str,
    horizontal: bool,
    panels: list[Panel],
    *,
    more_lines: Sequence[str] = (),
    subtitle_extra: str = "",
    **given,
) -> Exhibit:
    """The exhibit of `panels` drawn from `df`, built whole: a draft of what it is made of
    (with `given`, e.g. ranking and its year), then its words written from that draft
    (sctdash.exhibits.chart_words) and put in with one replace. `more_lines`: footnotes
    after the source line; `subtitle_extra`: words after the subtitle."""
    lang = setting.lang
    years = None
    if "year_from" in df and len(df):
        years = (int(df["year_from"].min()), int(df["year_to"].max()))
    notes = notes_of(df, setting.notes)
    present = set(df["area_code"]) if "area_code" in df else set()
    districts = (
        tuple(setting.filters.districts)
        if spec.shape and spec.district_rows
        else tuple(d for d in setting.filters.districts if d in present)
    )
    years = given.pop("years", years)  # a ranking's year, where one is given
    draft = Exhibit(
        id=spec.id,
        page=spec.page,
        lang=lang,
        shape=shape,
        horizontal=horizontal,
        panels=tuple(panels),
        unit=unit_of(df, spec),
        title="",
        subtitle="",
        footnotes=(),
        rows=df,
        notes=notes,
        filters=setting.filters,
        years=years,
        kinds=_kinds(df),
        districts=districts,
        **given,
    )
    values = chart_words.placeholders(draft, df, setting, spec)
    title = phrases.fill(spec.title.get(lang, ""), values) if spec.title else None
    sub = phrases.fill(spec.subtitle.get(lang, ""), values) if spec.subtitle else None
    unit_words = label("unit", draft.unit, lang) if draft.unit else ""
    subtitle = " · ".join(x for x in (sub or unit_words, chart_words.shown_filters(df, setting, spec)) if x)
    footnotes = chart_words.footnotes(df, setting, notes, draft)
    footnotes[1:1] = more_lines
    return replace(
        draft,
        title=title or chart_words.generic_title(draft, df, setting, spec),
        subtitle=subtitle + subtitle_extra,
        footnotes=tuple(footnotes),
    )
