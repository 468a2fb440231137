"""The words around a figure, written from its rows: values, trends, titles, source lines.

No number is ever fixed in a title. A title in charts.toml is a template whose placeholders
name what the rows in view say — `{trend[procedures]}` becomes "tăng từ 95 (2015) lên 133
(2020)" — and a part in `[[…]]` is left out when the rows cannot fill it (the year filter
hid one of the two years, say). When the template as a whole cannot be filled from the rows,
the caller writes a plain title instead (exhibit.generic_title).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

import pandas as pd

from sctdash.core import fmt, styles
from sctdash.core.i18n import label, t
from sctdash.core.province import PROVINCE

PERCENT_UNITS = ("pct", "pct_per_year")


def records(df: pd.DataFrame) -> list[dict]:
    """The rows as plain dicts: column by column through tolist(), many times faster than
    DataFrame.to_dict("records") on the few rows a chart has, and the same values."""
    cols = list(df.columns)
    return [dict(zip(cols, values)) for values in zip(*(df[c].tolist() for c in cols))] if len(df) else []


def tuples(df: pd.DataFrame, cols: list[str]) -> list[tuple]:
    """The rows' values of `cols` as tuples (for keys), without itertuples' overhead."""
    return list(zip(*(df[c].tolist() for c in cols))) if len(df) else []


def value_text(value, decimals: int, unit: str, kind: str = "reported", lang: str = "vi") -> str:
    """“99,2 %”, “5.142,6”, “4,66 % (nguồn ngoài)”: a value as a label shows it."""
    text = fmt.number(value, int(decimals), lang)
    if unit in PERCENT_UNITS:
        text += " %"
    suffix = styles.style(kind).suffix
    return text + t(suffix, lang) if suffix else text


# Units a figure's own form says (a per cent sign, a count, a ratio): no words after it.
SELF_EVIDENT_UNITS = ("pct", "pct_per_year", "count", "times", "index")


def amount_text(value, decimals: int, unit: str, kind: str = "reported", lang: str = "vi") -> str:
    """ "122.547,5 tỷ đồng (suy ra)", "20 %": a figure in words, as a list or a table writes it:
    the figure, its unit's words where its form does not say it, then its kind."""
    text = value_text(value, decimals, unit, "reported", lang)
    if unit not in SELF_EVIDENT_UNITS:
        text += f" {label('unit', unit, lang)}"
    suffix = styles.style(kind).suffix
    return text + t(suffix, lang) if suffix else text


def status_text(status: str, lang: str) -> str:
    """“ (ước tính)”, “ (sơ bộ)” after a figure that is not final; nothing after an official one."""
    return "" if status in ("official", "", None) else t(f"status_after.{status}", lang)


# Units whose change is said in points, not per cent: shares, rates, indexes.
POINT_UNITS = ("pct", "pct_per_year", "index", "times")


def against_target(result: Mapping, target: Mapping, lang: str) -> tuple[str, str]:
    """A result against its target: (its standing, “vượt”, “đạt” or “chưa đạt”, as the
    indicator's direction reads it; the words, “đạt 94,1 % kế hoạch” for an amount, “thấp hơn kế
    hoạch 0,9 điểm” for a rate)."""
    value, goal = float(result["value"]), float(target["value"])
    down = target.get("direction") == "down"
    standing = "met" if value == goal else ("exceeded" if (value < goal if down else value > goal) else "missed")
    unit, dec = target.get("unit", ""), int(target.get("decimals", 0) or 0)
    if unit in POINT_UNITS or goal == 0:
        gap = fmt.number(abs(value - goal), max(dec, 1), lang)
        key = "target.points_above" if value > goal else "target.points_below" if value < goal else "target.points_same"
        words = t(key, lang, gap=gap)
    else:
        words = t("target.share", lang, pct=fmt.number(value / goal * 100, 1, lang))
    return standing, words


def change(latest: Mapping, before: Mapping, lang: str) -> tuple[int, str, bool] | None:
    """A figure against an earlier one: its direction (1, -1, 0), the size of the change ("5,2"),
    and whether that is in points (a rate) rather than per cent (an amount); None where a per
    cent cannot be taken (from zero)."""
    v1, v0 = float(latest["value"]), float(before["value"])
    way = (v1 > v0) - (v1 < v0)
    if latest.get("unit") in POINT_UNITS:
        return way, fmt.number(abs(v1 - v0), max(int(latest.get("decimals", 0) or 0), 1), lang), True
    if not v0:
        return None
    return way, fmt.number(abs(v1 / v0 - 1) * 100, 1, lang), False


def year_on_year(latest: Mapping, before: Mapping, lang: str) -> str:
    """“tăng 5,2 % so với cùng kỳ” (an amount), “tăng 1,2 điểm so với cùng kỳ” (a rate): the
    latest year against the one before it, on the same land."""
    changed = change(latest, before, lang)
    if changed is None:
        return ""
    way, size, points = changed
    if points:
        key = "yoy.points_up" if way > 0 else "yoy.points_down" if way < 0 else "yoy.same"
    else:
        key = "yoy.up" if way > 0 else "yoy.down" if way < 0 else "yoy.same"
    return t(key, lang, pct=size, gap=size)


def period_text(first: int, last: int) -> str:
    return fmt.period(int(first), int(last))


def years_text(years: list[int], lang: str) -> str:
    """“2015 và 2020”, “2015–2023” (a run of three or more), “2020”."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return ""
    if len(ys) >= 3 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    if len(ys) == 1:
        return str(ys[0])
    return t("words.and", lang, first=", ".join(str(y) for y in ys[:-1]), last=ys[-1])


def main_version(rows: list[dict]) -> list[dict]:
    """The rows of a figure's main version, which its words and its tile name: those with an
    empty `variant` (the figure as the report's main text gives it), else those of the first
    variant in the rows' order; of these the report's own (not external) when there are any.
    The variant decides first: an external figure of the main version is still the main
    version where no other row of it is the report's own."""
    if not rows:
        return []
    variant = "" if any(r["variant"] == "" for r in rows) else rows[0]["variant"]
    main = [r for r in rows if r["variant"] == variant]
    return [r for r in main if r["value_kind"] != "external"] or main


def first_and_latest(rows: list[dict]) -> tuple[dict | None, dict]:
    """What “from … to …” compares, for one series's rows (one area, one version): the latest
    row (by the year it ends; a single year before a period that ends the same year), and
    the first one before it on the same land, the earliest that ends in an earlier year (None
    when there is none: a level, not a change). A chart's trend, a tile's change and a map's change all
    take their two values from here."""
    ordered = sorted(rows, key=lambda r: (int(r["year_to"]), int(r["year_from"])))
    latest = ordered[-1]
    land = latest.get("territory")  # never across a change of territory (the merger of 2025, say)
    earlier = [r for r in ordered if int(r["year_to"]) < int(latest["year_to"]) and r.get("territory") == land]
    return (earlier[0] if earlier else None), latest


def trend(first: tuple[int, str, float] | None, last: tuple[int, str, float], lang: str, years: bool = True) -> str:
    """The direction from the first to the last (year, text, value) of a series: “tăng từ 95
    (2015) lên 133 (2020)”; one point: “ở mức 95 năm 2015”. Without `years`: “tăng từ 95 lên 133”."""
    y1, v1_text, v1 = last
    suffix = "" if years else "_plain"
    if first is None or first[0] == y1:
        return t(f"words.level{suffix}", lang, value=v1_text, year=y1)
    y0, v0_text, v0 = first
    key = "up" if v1 > v0 else "down" if v1 < v0 else "same"
    return t(f"words.{key}{suffix}", lang, first=v0_text, y0=y0, last=v1_text, y1=y1)


class _Missing(KeyError):
    pass


_FIELD = re.compile(r"(\w+)((?:\[[^\]]*\])*)")


class _Strict(string.Formatter):
    """str.format that fails on a field the values do not have (nested: `{value[markets]}`)."""

    def get_value(self, key, args, kwargs):
        if isinstance(key, int) or key not in kwargs:
            raise _Missing(key)
        return kwargs[key]

    def get_field(self, field_name, args, kwargs):
        match = _FIELD.fullmatch(field_name)
        if not match:
            raise _Missing(field_name)
        first, keys = match.group(1), re.findall(r"\[([^\]]*)\]", match.group(2))
        obj = self.get_value(first, args, kwargs)
        for key in keys:
            if not isinstance(obj, Mapping) or key not in obj:
                raise _Missing(field_name)
            obj = obj[key]
        if obj is None or obj == "":
            raise _Missing(field_name)
        return obj, first


_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)


def fill(template: str, values: Mapping) -> str | None:
    """The template with its placeholders filled, optional `[[…]]` parts dropped when they
    cannot be; None when a required placeholder cannot be filled."""
    formatter = _Strict()

    def optional(match: re.Match) -> str:
        try:
            return formatter.vformat(match.group(1), (), values)
        except _Missing:
            return ""

    try:
        text = formatter.vformat(
            _OPTIONAL.sub(lambda m: optional(m).replace("{", "{{").replace("}", "}}"), template), (), values
        )
    except _Missing:
        return None
    text = re.sub(r"\s+([,;:.])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return text[:1].upper() + text[1:] if text else text


def placeholders(template: str) -> set[str]:
    """The top-level names a template uses (`value` for `{value[markets]}`)."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(template.replace("[[", "").replace("]]", "")):
        if name:
            names.add(re.split(r"[\[.]", name, maxsplit=1)[0])
    return names


# ------------------------------------------------------------------ sources
def split_list(value) -> list[str]:
    """'II.2.1.a1, II.2.2' → ['II.2.1.a1', 'II.2.2']; an empty list for a missing value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split(",") if part.strip()]


def source_names(df: pd.DataFrame | list[dict], sources: pd.DataFrame, lang: str) -> list[str]:
    """“<title>, <publisher>, dd/mm/yyyy, mục II.1, II.2.2.b” for each source of the rows (a
    frame, or rows as dicts)."""
    if isinstance(df, list):
        pairs = [(r.get("source_id"), r.get("section")) for r in df]
    elif df.empty or "source_id" not in df:
        return []
    else:
        pairs = list(zip(df["source_id"], df["section"] if "section" in df else [None] * len(df)))
    sections_of: dict[str, set[str]] = {}
    for sid_value, section in pairs:
        # A row that sums others (a district's communes) may join their sources: "a, b".
        for sid in split_list(sid_value):
            sections_of.setdefault(sid, set()).update(split_list(section))
    by_id = {r["source_id"]: r for r in records(sources)} if not sources.empty else {}
    parts = []
    for sid, sections in sections_of.items():
        src = by_id.get(sid)
        if src is None:
            name = str(sid)
        elif src["kind"] == "report":
            name = f"{t('app.report', lang)}, {src['publisher']}"
        else:
            name = f"{src['publisher']}, “{src['title']}”"
            if pd.notna(src["published_on"]):
                name += f", {fmt.date(src['published_on'])}"
        if sections:
            name += f", {t('chart.section', lang)} {', '.join(sorted(sections))}"
        parts.append(name)
    return parts


def source_line(df: pd.DataFrame | list[dict], sources: pd.DataFrame, lang: str) -> str:
    """“Nguồn: <title>, <publisher>, dd/mm/yyyy, mục II.1, II.2.2.b; …” from the rows' own provenance."""
    names = source_names(df, sources, lang)
    return f"{t('chart.source', lang)}: " + "; ".join(names) if names else ""


def few(names: list[str], lang: str, at_most: int = 3) -> str:
    """Names joined, at most a few: “An Phú, Tây Trà, Ba Vinh và 16 nơi khác”."""
    if len(names) <= at_most + 1:
        return ", ".join(names)
    return t("words.and_more", lang, names=", ".join(names[:at_most]), n=len(names) - at_most)


def area_name(code: str, names: Mapping[str, str], lang: str) -> str:
    """A district's name, or “Toàn tỉnh” for the province."""
    if str(code) == PROVINCE:
        return t("area.province", lang)
    return names.get(str(code), str(code))


def where_text(codes, names: Mapping[str, str], lang: str) -> str:
    """“toàn tỉnh” or “Ba Tơ, Sơn Hà”: the districts a view is for."""
    codes = [c for c in codes if str(c) != PROVINCE]
    return ", ".join(names.get(str(c), str(c)) for c in codes) if codes else t("filter.province", lang)


def filters_text(districts, years: tuple[int, int] | None, names: Mapping[str, str], lang: str) -> str:
    """“Đang xem: Ba Tơ; năm 2015–2023”, or without the years."""
    where = where_text(districts, names, lang)
    if years is None:
        return where
    if years[0] != years[1]:
        text = t("filter.years_range", lang, first=years[0], last=years[1])
    else:
        text = t("filter.year_one", lang, year=years[0])
    return t("filter.active", lang, districts=where, years=text)


def item_label(group: str, code, row: Mapping | None, lang: str) -> str:
    """The words for an item code: from the label group, else the row's indicator name."""
    code = "" if code is None else str(code)
    if group in ("name", "year", "none"):
        return code
    if group == "indicator" and row is not None and f"indicator_{lang}" in row:
        return str(row[f"indicator_{lang}"])
    text = label(group, code, lang)
    if text == code and row is not None:
        if group != "category" and f"indicator_{lang}" in row:
            return str(row[f"indicator_{lang}"])
        if code == "total" and f"indicator_{lang}" in row:
            return str(row[f"indicator_{lang}"])
    return text
