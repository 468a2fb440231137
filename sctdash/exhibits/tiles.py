"""Headline tiles from their indicators' rows in the filter: the latest value and the change.

    tile(spec, rows, setting) -> TileView | None

A tile shows the latest value in the chosen years and, under it, the change since the first
year in them ("8 năm 2015 → 12 năm 2023"). With districts chosen it shows theirs when they
have rows: one district's own value, or for several the sum where a sum means something
(counts, money, capacity: said to be derived) and the range where it does not (shares), each
district's value in the caption. Other versions of the same figure (the report's other
section, an external source) are named in the caption, as they are on the charts.

A figure that is not final says so ("Năm 2026 (ước tính)"); the latest year against the one
before it on the same land is the tile's delta ("+5,2 %" so với cùng kỳ), green when it went the
indicator's better way; a target of the same area and period is set beside the result ("Kế
hoạch 2026: 238 · đạt 100,8 % kế hoạch · vượt kế hoạch"). An indicator with targets and no
result in the years (a programme's scope) shows its target, said to be one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from sctdash.core import fmt, units
from sctdash.core.catalogue import TileSpec
from sctdash.core.i18n import t
from sctdash.core.province import PROVINCE
from sctdash.exhibits import phrases, revisions
from sctdash.exhibits.exhibit import Setting


@dataclass(frozen=True)
class TileView:
    label: str
    value: str
    caption: str
    help: str
    area: str  # whose value: "Toàn tỉnh", "Ba Tơ", "3 huyện"
    rows: pd.DataFrame  # the rows the value comes from
    delta: str = ""  # the change on the year before, signed: "+5,2 %", "-1,3 điểm"
    delta_words: str = ""  # what the delta is against: "so với cùng kỳ"
    delta_color: Literal["normal", "inverse"] = "normal"  # "inverse" where less is better (st.metric's)


def _help(row: dict, lang: str) -> str:
    where = row["section"] if isinstance(row["section"], str) and row["section"] else row["source_publisher"]
    text = t("tile.source_help", lang, section=where, quote=row["quote"])
    if row["value_kind"] == "derived":
        text = t("tile.derived_help", lang, derivation=row["derivation"]) + "\n\n" + text
    return text


def _where(row: dict) -> str:
    """The section of a report value, or the publisher of an external one."""
    return row["section"] if isinstance(row["section"], str) and row["section"] else row["source_publisher"]


def tile(spec: TileSpec, rows: pd.DataFrame, setting: Setting) -> TileView | None:
    """One tile from the rows of headline_facts.sql (province and chosen districts, in the years)."""
    lang = setting.lang
    label = spec.label[lang]
    records, by_district, area = _in_view(spec, rows, setting)
    targets = [r for r in records if r.get("figure_type") == "target"]
    records = [r for r in records if r.get("figure_type") != "target"]
    if not records:
        return _target_only(spec, targets, setting, label, area) if targets else None
    if spec.ratio:
        return _ratio(spec, records, setting, label, area)
    main_rows = phrases.main_version(records)
    latest_year = max(int(r["year_to"]) for r in main_rows)
    latest = [r for r in main_rows if r["year_to"] == latest_year]
    unit, dec = latest[0]["unit"], int(latest[0]["decimals"])
    rank = {c: i for i, c in enumerate(setting.filters.districts)}
    per_area = list({r["area_code"]: r for r in reversed(latest)}.values())
    per_area.sort(key=lambda r: rank.get(r["area_code"], 99))
    if len(per_area) > 1:  # several districts
        value, captions = _several(per_area, dec, unit, setting)
        main = per_area[0]
    else:
        main = latest[0]
        value = phrases.value_text(main["value"], dec, unit, "reported", lang)
        captions = [area] if by_district else []
    if setting.filters.districts and not by_district:  # the chosen districts have no rows of it
        captions.append(area)
    status = phrases.status_text(main.get("status", ""), lang) if len(per_area) == 1 else ""
    if main["year_from"] != main["year_to"]:
        captions.append(t("tile.period", lang, period=fmt.period(main["year_from"], main["year_to"])) + status)
    elif len({r["year_to"] for r in main_rows}) == 1 or status:
        captions.append(t("tile.year", lang, year=latest_year) + status)
    if main["value_kind"] == "derived":
        captions.append(t("tile.derived_help", lang, derivation=main["derivation"]).rstrip("."))
    delta = ("", "")
    if len(per_area) == 1:
        captions += _against_target(main, targets, dec, unit, lang)
    if main["year_from"] == main["year_to"] and len(per_area) == 1:
        captions += _change(main, main_rows, value, dec, unit, lang)
        delta = _on_year_before(main, main_rows, lang)
    captions += _other_versions(records, main, dec, unit, lang)
    captions += revisions.tile_words(per_area if len(per_area) > 1 else [main], setting.revisions, setting.names, lang)
    moved = _land_moved(main, rows, setting) or _new_land(main, records, setting)
    if moved:
        captions.append(moved)
    return TileView(
        label,
        value,
        " · ".join(captions),
        _help(main, lang),
        area,
        pd.DataFrame(records),
        delta=delta[0],
        delta_words=delta[1],
        delta_color="inverse" if main.get("direction") == "down" else "normal",
    )


def _same_figure(a: dict, b: dict) -> bool:
    return all(a[k] == b[k] for k in ("indicator_id", "area_code", "category", "variant"))


def _against_target(main: dict, targets: list[dict], dec: int, unit: str, lang: str) -> list[str]:
    """ "Kế hoạch 2026: 238 · đạt 100,8 % kế hoạch · vượt kế hoạch": the target of the result's
    own area and period, beside it."""
    goal = next(
        (
            g
            for g in targets
            if _same_figure(g, main) and (g["year_from"], g["year_to"]) == (main["year_from"], main["year_to"])
        ),
        None,
    )
    if goal is None:
        return []
    standing, words = phrases.against_target(main, goal, lang)
    period = (
        int(goal["year_to"]) if goal["year_from"] == goal["year_to"] else fmt.period(goal["year_from"], goal["year_to"])
    )
    key = "target.year" if goal["year_from"] == goal["year_to"] else "target.period"
    name = t(key, lang, year=period, period=period)
    return [
        f"{name}: {phrases.value_text(goal['value'], dec, unit, 'reported', lang)}",
        words,
        t(f"standing.{standing}", lang),
    ]


def _on_year_before(main: dict, main_rows: list[dict], lang: str) -> tuple[str, str]:
    """The tile's delta: the latest year against the year before, of the same figure on the same
    land ("+5,2 %", "-1,3 điểm"); nothing when that year has no figure or the land changed."""
    year = int(main["year_to"])
    before = next(
        (
            r
            for r in main_rows
            if _same_figure(r, main)
            and r["year_from"] == r["year_to"] == year - 1
            and r.get("territory") == main.get("territory")
        ),
        None,
    )
    if before is None:
        return "", ""
    changed = phrases.change(main, before, lang)
    if changed is None:
        return "", ""
    way, size, points = changed
    text = t("yoy.delta_points", lang, gap=size) if points else f"{size} %"
    return {1: "+", -1: "-", 0: ""}[way] + text, t("yoy.against", lang, year=year - 1)


def _target_only(spec: TileSpec, targets: list[dict], setting: Setting, label: str, area: str) -> TileView:
    """An indicator with targets and no result in the years (a programme's scope): its latest
    target, said to be one, never taken for a result."""
    lang = setting.lang
    province = [r for r in targets if r["area_code"] == PROVINCE] or targets
    latest = max(province, key=lambda r: (int(r["year_to"]), int(r["year_from"])))
    dec, unit = int(latest["decimals"]), latest["unit"]
    value = phrases.value_text(latest["value"], dec, unit, "reported", lang)
    period = fmt.period(latest["year_from"], latest["year_to"])
    caption = t("tile.target_only", lang, period=period)
    return TileView(label, value, caption, _help(latest, lang), area, pd.DataFrame([latest]))


def _new_land(main: dict, records: list[dict], setting: Setting) -> str:
    """Where the figure's land changed within the years in view (the province from 01/07/2025):
    the tile's change is on the new land alone, and it says since when."""
    land = main.get("territory")
    before = [r for r in records if r["area_code"] == main["area_code"] and r.get("territory") != land]
    start = setting.areas.span(land)[0] if land and before else None
    return t("tile.land_since", setting.lang, date=fmt.date(start)) if start else ""


def _land_moved(main: dict, rows: pd.DataFrame, setting: Setting) -> str:
    """Where a chosen former district's figure is its last before 01/07/2025 and the communes that
    took its land have figures after: said, never summed into it."""
    linked = {c for c, link in setting.areas.links.items() if link == "now_part_of"}
    if not linked or "area_code" not in rows:
        return ""
    later = rows[
        (rows["indicator_id"] == main["indicator_id"])
        & rows["area_code"].isin(linked)
        & (rows["year_to"] > int(main["year_to"]))
    ]
    n = later["area_code"].nunique()
    return t("tile.land_moved", setting.lang, n=n) if n else ""


def _in_view(spec: TileSpec, rows: pd.DataFrame, setting: Setting) -> tuple[list[dict], bool, str]:
    """The tile's rows: the chosen districts' (or every district's) when there are any, else the
    province's; whether they are districts'; and whose they are, in words."""
    records = [r for r in phrases.records(rows) if r["indicator_id"] == spec.indicator]
    if spec.category:
        records = [r for r in records if r["category"] == spec.category]
    if spec.ratio:
        records = [r for r in records if r["category"] in (spec.ratio_part, "total")]
    # a unit a chosen code stands for only through the change of 2025 (a commune on a chosen former
    # district's land, a chosen commune's former district) is another territory: never in its tile
    districts = [r for r in records if r["area_code"] != PROVINCE and r["area_code"] not in setting.areas.links]
    if not districts:
        return [r for r in records if r["area_code"] == PROVINCE], False, t("area.province", setting.lang)
    present = {r["area_code"] for r in districts}
    chosen = [c for c in setting.filters.districts if c in present] or sorted(present)
    return districts, True, ", ".join(setting.names.get(c, c) for c in chosen)


def _several(per_area: list[dict], dec: int, unit: str, setting: Setting) -> tuple[str, list[str]]:
    """Several districts' latest values: their sum where a sum means something, else the lowest
    ("≥ …"); each district's value in the caption when there are a few."""
    lang = setting.lang
    values = [float(r["value"]) for r in per_area]
    captions = []
    if units.additive(unit):
        value = phrases.value_text(sum(values), dec, unit, "reported", lang)
        levels = {r.get("area_level") for r in per_area}
        key = (
            "tile.sum_of"
            if levels <= {"district", None}
            else "tile.sum_of_communes"
            if levels == {"commune"}
            else "tile.sum_of_areas"
        )
        captions.append(t(key, lang, n=len(per_area)))
    else:  # a share of several districts is no sum: the lowest, each one in the caption
        lo, hi = min(values), max(values)
        value = phrases.value_text(lo, dec, unit, "reported", lang)
        if hi != lo:
            value = "≥ " + value
            captions.append(t("tile.lowest", lang))
    if len(per_area) <= 4:
        captions.append(
            "; ".join(
                f"{setting.names.get(r['area_code'], r['area_code'])} "
                f"{phrases.value_text(r['value'], dec, unit, 'reported', lang)}"
                for r in per_area
            )
        )
    return value, captions


def _change(main: dict, main_rows: list[dict], value: str, dec: int, unit: str, lang: str) -> list[str]:
    """ "8 năm 2015 → 12 năm 2023": from the first single year in view to the latest."""
    singles = [r for r in main_rows if r["year_from"] == r["year_to"] and r["area_code"] == main["area_code"]]
    first, _ = phrases.first_and_latest(singles)
    if first is None:
        return []
    first_text = phrases.value_text(first["value"], dec, unit, "reported", lang)
    return [t("tile.change", lang, first=first_text, y0=int(first["year_to"]), last=value, y1=int(main["year_to"]))]


def _other_versions(records: list[dict], main: dict, dec: int, unit: str, lang: str) -> list[str]:
    """The same figure's other versions in the latest year: the report's other sections, then
    external sources."""
    others = [
        r
        for r in records
        if r is not main
        and r["year_to"] == main["year_to"]
        and r["area_code"] == main["area_code"]
        and r["variant"] != main["variant"]
    ]
    captions = []
    for key, part in (
        ("tile.also", [r for r in others if r["value_kind"] != "external"]),
        ("tile.external", [r for r in others if r["value_kind"] == "external"]),
    ):
        if part:
            shown = [f"{phrases.value_text(r['value'], dec, unit, 'reported', lang)} ({_where(r)})" for r in part]
            captions.append(t(key, lang, values="; ".join(shown)))
    return captions


def _ratio(spec: TileSpec, records: list[dict], setting: Setting, label: str, area: str) -> TileView | None:
    lang = setting.lang
    records = [r for r in records if r["variant"] == ""]
    if not records:
        return None
    latest_year = max(r["year_to"] for r in records)
    latest = [r for r in records if r["year_to"] == latest_year]
    part = [r for r in latest if r["category"] == spec.ratio_part]
    whole = [r for r in latest if r["category"] == "total"]
    if not part or not whole:
        return None
    value = (
        f"{fmt.number(sum(r['value'] for r in part), 0, lang)}/{fmt.number(sum(r['value'] for r in whole), 0, lang)}"
    )
    captions = [t("tile.year", lang, year=latest_year)] if part[0]["year_from"] == part[0]["year_to"] else []
    if len(part) > 1:
        captions.insert(0, t("tile.sum_of", lang, n=len(part)))
    return TileView(label, value, " · ".join(captions), _help(part[0], lang), area, pd.DataFrame(latest))


def missing(spec: TileSpec, setting: Setting) -> TileView:
    """A tile whose indicator has no row in the chosen years: said, not left out."""
    years = fmt.period(*setting.filters.years)
    return TileView(
        spec.label[setting.lang], "–", t("tile.none_in_years", setting.lang, years=years), "", "", pd.DataFrame()
    )
