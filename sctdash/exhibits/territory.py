"""Which land a figure is about: the units of areas.csv as charts, tiles and maps name them.

A row's code names the unit in force at the end of its year (queries/_schema.sql,
observation_units), and each unit stands on a territory: its own land, or the land of the
code's unit before it where only its name or type changed. Where one code's rows in view are of
two territories (the province before and from 01/07/2025, Trà Bồng before and from 01/02/2020)
they are two places: two series, never one line, each named with its dates
("Toàn tỉnh (đến 30/06/2025)"), and the chart says what changed ("Từ 01/07/2025, tỉnh Quảng
Ngãi gồm cả tỉnh Kon Tum cũ"). A place a chosen code stands for through the change (a commune of
2025 on a chosen former district's land, a former district of a chosen commune) is named so:
"nay thuộc xã Ba Vì", "trước đây: huyện Ba Tơ".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

import pandas as pd

from sctdash.core import fmt
from sctdash.core.i18n import t, unit_name
from sctdash.core.province import PROVINCE

# How a unit in view stands for a chosen code (queries/_schema.sql, area_links): said on the
# chart only where it is not the code's own land.
LINKED = ("now_part_of", "came_from")


@dataclass(frozen=True)
class Unit:
    unit_id: str
    code: str
    level: str
    kind: str  # unit_type: huyen, xa, ...
    name: str
    parent: str
    start: date | None  # None: before the years the dashboard covers
    end: date | None  # None: in force
    territory: str  # the unit_id whose land this unit stands on


@dataclass(frozen=True)
class Areas:
    """The units, the territories new on a day and what they came from, and how the units in
    view stand for the chosen codes."""

    units: Mapping[str, Unit] = field(default_factory=lambda: MappingProxyType({}))
    came_from: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    links: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # code → link

    def span(self, territory: str) -> tuple[date | None, date | None]:
        """The first and last day of a territory: its first unit's start, its last unit's end."""
        on_it = [u for u in self.units.values() if u.territory == territory]
        if not on_it:
            return None, None
        starts = [u.start for u in on_it if u.start is not None]
        ends = [u.end for u in on_it if u.end is not None]
        first = min(starts) if len(starts) == len(on_it) else None  # a unit with no start: open
        last = max(ends) if len(ends) == len(on_it) else None
        return first, last


def _day(value) -> date | None:
    if value is None or value is pd.NaT or (not isinstance(value, (date, str)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp) and pd.isna(value):
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def areas_from(units: pd.DataFrame, changes: pd.DataFrame, links: pd.DataFrame) -> Areas:
    """Areas from the rows of unit_list, territory_changes and chosen_links."""
    by_id = {
        str(r["unit_id"]): Unit(
            str(r["unit_id"]),
            str(r["area_code"]),
            str(r["level"]),
            str(r["unit_type"]),
            str(r["name_vi"]),
            r["parent_code"] if isinstance(r["parent_code"], str) else "",
            _day(r["valid_from"]),
            _day(r["valid_to"]),
            str(r["territory"]),
        )
        for r in units.to_dict("records")
    }
    came = {str(r["unit_id"]): tuple(r["former_units"]) for r in changes.to_dict("records")}
    own = set(links.loc[links["link"].isin(("self", "merged")), "area_code"]) if len(links) else set()
    linked: dict[str, str] = {}
    for r in links.to_dict("records"):
        if r["link"] in LINKED and r["area_code"] not in own:
            linked.setdefault(str(r["area_code"]), str(r["link"]))
    return Areas(MappingProxyType(by_id), MappingProxyType(came), MappingProxyType(linked))


# ------------------------------------------------------------------ places
def with_places(df: pd.DataFrame) -> pd.DataFrame:
    """The rows with `place`: the code, or its territory where the code's rows in view are of
    more than one (each territory is a place of its own)."""
    df = df.copy()
    if "territory" not in df or df.empty:
        df["place"] = df["area_code"].astype(str) if "area_code" in df else PROVINCE
        return df
    split = df.groupby("area_code")["territory"].nunique()
    several = set(split[split > 1].index)
    df["place"] = [
        _territory_place(str(code), str(terr)) if code in several else str(code)
        for code, terr in zip(df["area_code"], df["territory"], strict=True)
    ]
    return df


def _territory_place(code: str, territory: str) -> str:
    """One territory of a code as a place: <code>@<its first day>, "<code>@" for the first."""
    return territory if "@" in territory else f"{code}@"


def territory_of(place: str) -> str:
    """The unit_id of the territory a place is ("51@" → "51", "51@2025-07-01" → itself)."""
    return place[:-1] if place.endswith("@") else place


def code_of(place: str) -> str:
    return str(place).split("@", 1)[0]


def is_province(place: str) -> bool:
    return code_of(place) == PROVINCE


def dates_words(start: date | None, end: date | None, lang: str) -> str:
    when = []
    if start is not None:
        when.append(t("area.from", lang, date=fmt.date(start)))
    if end is not None:
        when.append(t("area.until", lang, date=fmt.date(end)))
    return ", ".join(when)


def place_words(place: str, names: Mapping[str, str], areas: Areas, lang: str) -> str:
    """A place as a chart names it: “Toàn tỉnh”, “Ba Tơ”; a territory with its dates, “Toàn tỉnh
    (từ 01/07/2025)”; a unit a chosen code stands for through the change, “nay thuộc xã Ba Vì”."""
    code = code_of(place)
    base = t("area.province", lang) if code == PROVINCE else names.get(code, code)
    if "@" in place:
        dates = dates_words(*areas.span(territory_of(place)), lang)
        return f"{base} ({dates})" if dates else base
    link = areas.links.get(code)
    if link:
        unit = _latest_unit(code, areas)
        named = unit_name(unit.kind, unit.name, lang=lang) if unit else base
        return t(f"area.{link}", lang, name=named)
    return base


def unit_words(code: str, unit_id: str | None, names: Mapping[str, str], areas: Areas, lang: str) -> str:
    """A unit by the name it had then: the code's name where the unit is its latest, else the
    unit's own (a code of 2025 reused from a former commune names the former one in 2024)."""
    unit = areas.units.get(unit_id) if unit_id else None
    latest = _latest_unit(code, areas)
    if unit is None or latest is None or unit.unit_id == latest.unit_id or unit.name == latest.name:
        return t("area.province", lang) if code == PROVINCE else names.get(code, code)
    return t("area.city", lang, name=unit.name) if unit.kind == "thanh_pho" else unit.name


def _latest_unit(code: str, areas: Areas) -> Unit | None:
    of_code = [u for u in areas.units.values() if u.code == code]
    return max(of_code, key=lambda u: u.start or date.min) if of_code else None


def territory_lines(df: pd.DataFrame, names: Mapping[str, str], areas: Areas, lang: str) -> list[str]:
    """What a chart says of the changes of territory in its rows: for each code whose rows are of
    two territories, what the newer one took in; for the units a chosen former unit's land went
    to, or a chosen new unit's came from, which they are."""
    lines = []
    if "place" in df and "territory" in df:
        for code, part in df.groupby("area_code", sort=True):
            territories = sorted(set(part["territory"]), key=lambda u: areas.span(u)[0] or date.min)
            for newer in territories[1:]:
                lines.append(_took_in(str(code), newer, names, areas, lang))
    if areas.links and "area_code" in df:
        present = set(df["area_code"])
        for link in LINKED:  # every unit of the link, when the rows have any (a chart may draw a few)
            codes = [c for c, k in areas.links.items() if k == link] if present & set(areas.links) else []
            if codes:
                units = [_latest_unit(c, areas) for c in codes]
                listed = ", ".join(unit_name(u.kind, u.name, lang=lang) for u in units if u)
                lines.append(t(f"chart.{link}", lang, units=listed))
    return [x for x in lines if x]


def _took_in(code: str, newer: str, names: Mapping[str, str], areas: Areas, lang: str) -> str:
    unit = areas.units.get(newer)
    if unit is None or unit.start is None:
        return ""
    formers = [areas.units[f] for f in areas.came_from.get(newer, ()) if f in areas.units]
    others = [u for u in formers if u.code != code]
    named = unit_name(unit.kind, unit.name, lang=lang)
    if not others:
        return t("chart.territory_new", lang, date=fmt.date(unit.start), unit=named)
    took = ", ".join(unit_name(u.kind, u.name, lang=lang) for u in others)
    return t("chart.territory_grew", lang, date=fmt.date(unit.start), unit=named, took=took)
