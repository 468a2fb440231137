"""The words of a chart, written from its rows in view: what a title template may name, the
plain title where the template cannot be filled, the subtitle's filters and the footnotes.

    placeholders(exhibit, rows, setting, spec) -> {"y1": 2020, "trend": {"procedures": "tăng từ …"}, …}
    generic_title(exhibit, rows, setting, spec) -> "Chợ, Ba Tơ: tăng từ 7 (2015) lên 10 (2023)"
"""

from __future__ import annotations

import pandas as pd

from sctdash.core import styles
from sctdash.core.catalogue import ChartSpec
from sctdash.core.i18n import label, t
from sctdash.core.province import PROVINCE
from sctdash.exhibits import phrases, revisions, territory
from sctdash.exhibits.exhibit import Exhibit, Setting, item_words, main_area, ordered_areas


def results_of(df: pd.DataFrame) -> pd.DataFrame:
    """The results among a chart's rows (its targets are marked, never worded as achieved)."""
    return df[df["figure_type"] != "target"] if "figure_type" in df else df


def shown_filters(df: pd.DataFrame, setting: Setting, spec: ChartSpec) -> str:
    """What the rows in view are for: “Đang xem: Ba Tơ; năm 2015–2023” (the province where
    no chosen district has rows; the years of the rows, or none for a chart without years)."""
    present = set(df["area_code"]) if "area_code" in df else set()
    areas = [a for a in setting.filters.districts if a in present]
    if spec.shape:  # named things: the districts they are filtered by, if they are
        areas = list(setting.filters.districts) if spec.district_rows else []
    if "year_from" not in df or df.empty:
        return phrases.filters_text(areas, None, setting.names, setting.lang)
    years = (int(df["year_from"].min()), int(df["year_to"].max()))
    return phrases.filters_text(areas, years, setting.names, setting.lang)


def footnotes(df: pd.DataFrame, setting: Setting, notes: pd.DataFrame, ex: Exhibit) -> list[str]:
    lang = setting.lang
    lines = [phrases.source_line(df, setting.sources, lang)]
    lines += territory.territory_lines(df, setting.names, setting.areas, lang)
    for kind in styles.KINDS.values():  # what each kind's look means, for the kinds drawn
        if kind.kind in ex.kinds and kind.legend:
            lines.append(t(kind.legend_line if ex.shape == "line" else kind.legend, lang))
    lines.append(revisions.footnote(df, setting.names, lang))
    if not notes.empty:
        lines.append(t("chart.note_ref", lang, titles="; ".join(notes[f"title_{lang}"])))
    return [x for x in lines if x]


def placeholders(ex: Exhibit, df: pd.DataFrame, setting: Setting, spec: ChartSpec) -> dict:
    """What a title template may name, from the rows in view (catalogue.PLACEHOLDERS): its
    results, never its targets."""
    lang = setting.lang
    df = results_of(df)
    out: dict = {"name": spec.name.get(lang, "")}
    if df.empty:
        return out
    if ex.years:
        out["y0"], out["y1"] = ex.years
        out["period"] = phrases.period_text(*ex.years)
    areas = [a for a in df.get("area_code", pd.Series(dtype=str)).unique() if a != PROVINCE]
    out["where"] = phrases.where_text(areas, setting.names, lang)
    if spec.shape:  # named things: counts by series
        return out | _counts(df, lang)
    records = phrases.records(df)  # plain Python from here: a few rows, many small steps
    singles = [r["year_to"] for r in records if r["year_from"] == r["year_to"]]
    spans = any(r["year_from"] != r["year_to"] for r in records)  # a period in view: name it whole
    out["years"] = phrases.years_text(singles, lang) if singles and not spans else out.get("period", "")
    focus = main_area(df, setting.filters.districts)
    main = [r for r in records if r["area_code"] == focus]
    by_item: dict[str, list[dict]] = {}
    for r in main:
        by_item.setdefault(r["item"], []).append(r)
    per_item = {item: _item_words(part, lang) for item, part in by_item.items()}
    for key in ("value", "first", "trend", "change", "alt", "times"):
        out[key] = {item: found[key] for item, found in per_item.items() if key in found}
    latest = {item: found["latest"] for item, found in per_item.items()}
    out |= _extremes(latest, out["value"], spec, df, lang)
    out["facet_total"] = _facet_totals(main, lang)
    n_versions = df["variant"].nunique()
    if n_versions >= 2:
        out["n_versions"] = str(n_versions)
    out["n"] = str(len(df))
    return out


def _counts(df: pd.DataFrame, lang: str) -> dict:
    """A fixed shape's words: the total, the number of things, the sum of each series."""
    known = df[df["value"].notna()]
    dec = int(known["decimals"].max()) if len(known) else 0
    sums = {
        str(code): phrases.value_text(part["value"].sum(), dec, "count", "reported", lang)
        for code, part in known.groupby("series")
    }
    return {
        "total": phrases.value_text(known["value"].sum(), dec, "count", "reported", lang),
        "n": str(len(known)),
        "sum": _ZeroIfNone(sums, phrases.value_text(0, 0, "count", "reported", lang)),
    }


def _item_words(part: list[dict], lang: str) -> dict:
    """One item's words: its latest value, its first, the trend and change between them, the
    times it grew, another version's value for the same year; and its latest value as a number."""
    e, last = phrases.first_and_latest(phrases.main_version(part))
    dec, unit = int(last["decimals"]), last["unit"]
    v1 = (int(last["year_to"]), phrases.value_text(last["value"], dec, unit, "reported", lang), float(last["value"]))
    found = {"value": v1[1], "latest": v1[2]}
    v0 = None
    if e is not None:
        v0 = (int(e["year_to"]), phrases.value_text(e["value"], dec, unit, "reported", lang), float(e["value"]))
        found["first"] = v0[1]
        if v0[2]:
            found["times"] = phrases.value_text(v1[2] / v0[2], 2, "times", "reported", lang)
    found["trend"] = phrases.trend(v0, v1, lang)
    found["change"] = phrases.trend(v0, v1, lang, years=False)
    others = [
        r
        for r in part
        if r["variant"] != last["variant"] and r["year_to"] == last["year_to"] and r["value_kind"] != "external"
    ]
    if others:
        found["alt"] = phrases.value_text(others[0]["value"], dec, unit, "reported", lang)
    return found


def _extremes(latest: dict[str, float], value: dict[str, str], spec: ChartSpec, df: pd.DataFrame, lang: str) -> dict:
    """The highest and lowest items (named in full when they differ), and their ratios."""
    out: dict = {}
    if len(latest) >= 2 and len(set(latest.values())) > 1:
        item_names = item_words(spec, df, lang)
        long = {
            code: label("long", code, lang) if label("long", code, lang) != code else item_names.get(code, code)
            for code in latest
        }
        top, bottom = max(latest, key=latest.__getitem__), min(latest, key=latest.__getitem__)
        out.update(top=long[top], bottom=long[bottom], top_value=value[top], bottom_value=value[bottom])
    if latest:
        lo, hi = min(latest, key=latest.__getitem__), max(latest, key=latest.__getitem__)
        out.update(min=value[lo], max=value[hi])
        out["ratio"] = {
            f"{a}/{b}": phrases.value_text(latest[a] / latest[b], 1, "times", "reported", lang)
            for a in latest
            for b in latest
            if a != b and latest[b]
        }
    return out


def _facet_totals(main: list[dict], lang: str) -> dict[str, str]:
    """Each facet's total in its latest year (rows of the main version)."""
    facets: dict[str, list[dict]] = {}
    for r in main:
        if r["variant"] == "" and r["facet"]:
            facets.setdefault(r["facet"], []).append(r)
    totals = {}
    for facet, part in facets.items():
        y = max(r["year_to"] for r in part)
        rows = [r for r in part if r["year_to"] == y]
        dec = max(int(r["decimals"]) for r in rows)
        totals[facet] = phrases.value_text(sum(r["value"] for r in rows), dec, rows[0]["unit"], "reported", lang)
    return totals


class _ZeroIfNone(dict):
    """Sums by series, where a series without rows sums to zero (“0 xã đã hoàn thành”)."""

    def __init__(self, values: dict, zero: str):
        super().__init__(values)
        self.zero = zero

    def __contains__(self, key) -> bool:
        return True

    def __missing__(self, key) -> str:
        return self.zero


def generic_title(ex: Exhibit, df: pd.DataFrame, setting: Setting, spec: ChartSpec) -> str:
    """A plain title written from the rows, for an automatic chart or a template the rows
    cannot fill: from its results, never its targets."""
    lang = setting.lang
    df = results_of(df)
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
                top=phrases.few([names[p.x] for p in pts if p.value == top.value], lang),  # ties named together
                top_value=top.text,
                bottom=phrases.few([names[p.x] for p in pts if p.value == bottom.value], lang),
                bottom_value=bottom.text,
            )
        if pts:
            return t("title.value", lang, name=name, value=f"{names[pts[0].x]} {pts[0].text}", period=y)
    if spec.shape:
        return name
    main = main_area(df, setting.filters.districts)
    districts = [a for a in ordered_areas(df["area_code"], setting.filters.districts) if a != PROVINCE]
    items = list(dict.fromkeys(df["item"]))
    single = df[df["year_from"] == df["year_to"]]
    if ex.shape == "line" and len(districts) > 1 and len(items) == 1:
        y1 = int(single["year_to"].max())
        at = single[(single["year_to"] == y1) & (single["area_code"] != PROVINCE) & (single["variant"] == "")]
        if len(at) >= 1:
            top = at.sort_values("value").iloc[-1]
            value = phrases.value_text(top["value"], int(top["decimals"]), top["unit"], "reported", lang)
            leaders = [a for a in districts if a in set(at.loc[at["value"] == top["value"], "area_code"])]
            return t(
                "title.areas",
                lang,
                name=name,
                year=y1,
                top=", ".join(phrases.area_name(a, setting.names, lang) for a in leaders),  # ties named together
                top_value=value,
                period=phrases.period_text(*(ex.years or setting.filters.years)),
            )
    focus = districts[0] if len(districts) == 1 else main
    part = phrases.main_version(phrases.records(df[df["area_code"] == focus]))
    if len(items) == 1 and part:
        e, last = phrases.first_and_latest(part)
        dec, unit = int(last["decimals"]), last["unit"]
        v1 = (
            int(last["year_to"]),
            phrases.value_text(last["value"], dec, unit, "reported", lang),
            float(last["value"]),
        )
        v0 = None
        if e is not None:
            v0 = (int(e["year_to"]), phrases.value_text(e["value"], dec, unit, "reported", lang), float(e["value"]))
        where = phrases.area_name(focus, setting.names, lang) if focus != PROVINCE else ""
        phrase = phrases.trend(v0, v1, lang)
        if int(last["year_from"]) != int(last["year_to"]) and v0 is None:
            phrase = t(
                "words.level_period",
                lang,
                value=v1[1],
                period=phrases.period_text(int(last["year_from"]), int(last["year_to"])),
            )
        return t("title.trend_where" if where else "title.trend", lang, name=name, where=where, trend=phrase)
    values = placeholders(ex, df, setting, spec)
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
