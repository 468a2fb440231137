"""Headline tiles from their indicators' rows in the filter: the latest value and the change.

    tile(spec, rows, setting) -> TileView | None

A tile shows the latest value in the chosen years and, under it, the change since the first
year in them ("8 năm 2015 → 12 năm 2023"). With districts chosen it shows theirs when they
have rows: one district's own value, or for several the sum where a sum means something
(counts, money, capacity: said to be derived) and the range where it does not (shares), each
district's value in the caption. Other versions of the same figure (the report's other
section, an external source) are named in the caption, as they are on the charts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sctdash import fmt, words
from sctdash.catalogue import TileSpec
from sctdash.exhibit import ADDITIVE_UNITS, PROVINCE, Setting
from sctdash.i18n import t


@dataclass
class TileView:
    label: str
    value: str
    caption: str
    help: str
    area: str  # whose value: "Toàn tỉnh", "Ba Tơ", "3 huyện"
    rows: pd.DataFrame  # the rows the value comes from


def _help(row: pd.Series, lang: str) -> str:
    where = row["section"] if isinstance(row["section"], str) and row["section"] else row["source_publisher"]
    text = t("tile.source_help", lang, section=where, quote=row["quote"])
    if row["value_kind"] == "derived":
        text = t("tile.derived_help", lang, derivation=row["derivation"]) + "\n\n" + text
    return text


def _where(row) -> str:
    """The section of a report value, or the publisher of an external one."""
    return row.section if isinstance(row.section, str) and row.section else row.source_publisher


def tile(spec: TileSpec, rows: pd.DataFrame, s: Setting) -> TileView | None:
    """One tile from the rows of headline_facts.sql (province and chosen districts, in the years)."""
    lang = s.lang
    label = spec.label[lang]
    rows = rows[rows["indicator_id"] == spec.indicator]
    if spec.category:
        rows = rows[rows["category"] == spec.category]
    if spec.ratio:
        rows = rows[rows["category"].isin([spec.ratio_part, "total"])]
    if rows.empty:
        return None
    districts = rows[rows["area_code"] != PROVINCE]
    chosen = [c for c in s.filters.districts if c in set(districts["area_code"])] or sorted(set(districts["area_code"]))
    if len(districts):
        rows, area = districts, ", ".join(s.names.get(c, c) for c in chosen)
    else:
        rows, area = rows[rows["area_code"] == PROVINCE], t("area.province", lang)
    if spec.ratio:
        return _ratio(spec, rows, s, label, area)
    main_rows = rows[rows["value_kind"] != "external"]
    main_rows = main_rows[main_rows["variant"] == ""] if (main_rows["variant"] == "").any() else main_rows
    latest_year = int(main_rows["year_to"].max())
    latest = main_rows[main_rows["year_to"] == latest_year]
    unit, dec = latest["unit"].iloc[0], int(latest["decimals"].iloc[0])
    captions = []
    per_area = latest.sort_values("area_code").drop_duplicates("area_code")
    if len(per_area) > 1:  # several districts
        values = per_area["value"].astype(float)
        if unit in ADDITIVE_UNITS:
            value = words.value_text(values.sum(), dec, unit, "reported", lang)
            captions.append(t("tile.sum_of", lang, n=len(per_area)))
        else:
            lo, hi = values.min(), values.max()
            value = words.value_text(lo, dec, unit, "reported", lang)
            if hi != lo:
                value = f"{fmt.number(lo, dec, lang)}–{words.value_text(hi, dec, unit, 'reported', lang)}"
        if len(per_area) <= 4:
            captions.append(
                "; ".join(
                    f"{s.names.get(r.area_code, r.area_code)} {words.value_text(r.value, dec, unit, 'reported', lang)}"
                    for r in per_area.itertuples()
                )
            )
        main = per_area.iloc[0]
    else:
        main = latest.iloc[0]
        value = words.value_text(main["value"], dec, unit, "reported", lang)
        if len(districts):
            captions.append(area)
    if s.filters.districts and not len(districts):  # the chosen districts have no rows of it
        captions.append(area)
    if main["year_from"] != main["year_to"]:
        captions.append(t("tile.period", lang, period=fmt.period(main["year_from"], main["year_to"])))
    elif len(main_rows["year_to"].unique()) == 1:
        captions.append(t("tile.year", lang, year=latest_year))
    if main["value_kind"] == "derived":
        captions.append(t("tile.derived_help", lang, derivation=main["derivation"]).rstrip("."))
    earlier = main_rows[(main_rows["year_to"] < latest_year) & (main_rows["year_from"] == main_rows["year_to"])]
    if not earlier.empty and main["year_from"] == main["year_to"] and len(per_area) == 1:
        first = earlier[earlier["area_code"] == main["area_code"]].sort_values("year_to")
        if len(first):
            first = first.iloc[0]
            captions.append(
                t(
                    "tile.change",
                    lang,
                    first=words.value_text(first["value"], dec, unit, "reported", lang),
                    y0=int(first["year_to"]),
                    last=value,
                    y1=latest_year,
                )
            )
    others = rows.drop(index=main.name, errors="ignore")
    others = others[(others["year_to"] == latest_year) & (others["area_code"] == main["area_code"])]
    others = others[others["variant"] != main["variant"]]
    for key, part in (
        ("tile.also", others[others["value_kind"] != "external"]),
        ("tile.external", others[others["value_kind"] == "external"]),
    ):
        if not part.empty:
            shown = [
                f"{words.value_text(r.value, dec, unit, 'reported', lang)} ({_where(r)})" for r in part.itertuples()
            ]
            captions.append(t(key, lang, values="; ".join(shown)))
    return TileView(label, value, " · ".join(captions), _help(main, lang), area, rows)


def _ratio(spec: TileSpec, rows: pd.DataFrame, s: Setting, label: str, area: str) -> TileView | None:
    lang = s.lang
    rows = rows[rows["variant"] == ""]
    latest_year = int(rows["year_to"].max())
    latest = rows[rows["year_to"] == latest_year]
    part = latest[latest["category"] == spec.ratio_part]
    whole = latest[latest["category"] == "total"]
    if part.empty or whole.empty:
        return None
    value = f"{fmt.number(part['value'].sum(), 0, lang)}/{fmt.number(whole['value'].sum(), 0, lang)}"
    captions = [t("tile.year", lang, year=latest_year)] if part.iloc[0]["year_from"] == part.iloc[0]["year_to"] else []
    if len(part) > 1:
        captions.insert(0, t("tile.sum_of", lang, n=len(part)))
    return TileView(label, value, " · ".join(captions), _help(part.iloc[0], lang), area, latest)


def missing(spec: TileSpec, s: Setting) -> TileView:
    """A tile whose indicator has no row in the chosen years: said, not left out."""
    years = fmt.period(*s.filters.years)
    return TileView(spec.label[s.lang], "–", t("tile.none_in_years", s.lang, years=years), "", "", pd.DataFrame())
