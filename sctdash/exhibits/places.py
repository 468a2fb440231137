"""Named places as text: the communes, power projects and commercial facilities the report
names, for the chosen districts, as headings and plain lines that a browser's find and a
screen reader can read (a page writes them as Markdown, a slide as text), and the full lists
as plain tables.

Plain functions, no Streamlit. `query(name, **params)` runs a named query: ui.query on a
page, a db.Store's query in an export.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from sctdash.core import fmt
from sctdash.core.i18n import label, t

Query = Callable[..., pd.DataFrame]
Group = tuple[str, list[str]]

# What each page lists; any other page (or None) lists every kind.
PAGE_KINDS = {"electricity": ("commune", "project"), "market": ("facility",)}
ALL_KINDS = ("commune", "project", "facility")


def named_places(query: Query, districts: list[str], lang: str, page: str | None = None) -> list[Group]:
    """(heading, [lines]) for each chosen district and kind of place, then the places of that
    kind no source puts in any district. Nothing when no district is chosen: the page's full
    tables list every place then."""
    names = dict(query("district_list")[["area_code", "name_vi"]].itertuples(index=False))
    districts = [d for d in districts if d in names]  # the report's places are in the 2020 units
    if not districts:
        return []
    kinds = PAGE_KINDS.get(page or "", ALL_KINDS)
    rows = query("named_places", districts=list(districts))
    groups: list[Group] = []
    for kind in kinds:
        of_kind = rows[rows["place_kind"] == kind]
        for code in districts:
            where = names.get(code, code)
            mine = of_kind[of_kind["unit_code"] == code]
            if mine.empty:
                groups.append(
                    (
                        t(f"places.{kind}_heading", lang, district=where, n=0),
                        [t(f"places.{kind}_none", lang, district=where)],
                    )
                )
                continue
            heading = t(f"places.{kind}_heading", lang, district=where, n=fmt.number(len(mine), 0, lang))
            groups.append((heading, [place_line(r, lang) for r in mine.itertuples()]))
        loose = of_kind[of_kind["district_code"].isna()]
        if not loose.empty and kind != "commune":
            heading = t(f"places.{kind}_unplaced", lang, n=fmt.number(len(loose), 0, lang))
            groups.append((heading, [place_line(r, lang) for r in loose.itertuples()]))
    return groups


def place_line(row, lang: str) -> str:
    """One place in words: “Ba Vì: đã hoàn thành”; “Thủy điện Sơn Trà 1: thủy điện, 60 MW, …,
    chung với Sơn Tây (tính một lần) · vị trí: datphuong.com.vn: “…””."""
    if row.place_kind == "commune":
        return f"{row.place_name}: {_word('status', row.status, lang)}"
    if row.place_kind == "facility":
        return f"{row.place_name}: {_word('facility_kind', row.kind, lang)} · {_words(row, lang)}"
    parts = [_word("power_kind", row.kind, lang)]
    if pd.notna(row.capacity):
        parts.append(f"{fmt.number(row.capacity, 1, lang)} {row.capacity_unit}")
    parts.append(_word("status", row.status, lang))
    if isinstance(row.shared_with_vi, str) and row.shared_with_vi:
        parts.append(t("places.shared_with", lang, districts=row.shared_with_vi))
    if isinstance(row.commune_name, str) and row.commune_name:
        parts.append(t("places.commune", lang, commune=row.commune_name))
    text = f"{row.place_name}: {', '.join(parts)}"
    if pd.notna(row.district_code):
        text += " · " + t("places.site", lang, words=_words(row, lang))
    return text


def _word(group: str, code: str, lang: str) -> str:
    """A label inside a line: “đã hoàn thành”, not “Đã hoàn thành”."""
    text = label(group, code, lang)
    return text[:1].lower() + text[1:]


def _words(row, lang: str) -> str:
    """Where the place comes from: the report's section, or the page that places it, and its
    words (in quotation marks only when they are the source's own)."""
    if row.source_kind == "report":
        where = t("places.report_section", lang, section=row.section)
    else:
        where = row.source_publisher
    if row.quote_kind == "paraphrase":
        return f"{where} ({label('quote_kind', 'paraphrase', lang)}): {row.place_quote}"
    return f"{where}: “{row.place_quote}”"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~])")


def escape(text: str) -> str:
    """`text` with every character Markdown would act on escaped (a report quote may hold *…*)."""
    return _MARKDOWN.sub(r"\\\1", text)


def markdown(groups: list[Group]) -> str:
    """The groups as Markdown: a bold heading and a bulleted line per place."""
    out = []
    for heading, lines in groups:
        out.append(f"**{escape(heading)}**\n")
        out.extend(f"- {escape(line)}" for line in lines)
        out.append("")
    return "\n".join(out).strip()


def table_frame(
    df: pd.DataFrame, columns: dict[str, str], lang: str, codes: dict[str, str] | None = None
) -> pd.DataFrame:
    """A full list as a plain table: `columns` maps each shown column to its header key
    (column.<key>), `codes` a column of codes to the label group that names them; empty cells
    say “unknown” where a place has no district."""
    shown = df[list(columns)].copy()
    for col, group in (codes or {}).items():
        shown[col] = [label(group, v, lang) if isinstance(v, str) else v for v in shown[col]]
    for col in shown.columns:
        if col.endswith("_on"):
            shown[col] = [fmt.date(v) if pd.notna(v) else "" for v in shown[col]]
        elif shown[col].dtype.kind == "f":
            shown[col] = [fmt.number(v, 1, lang) if pd.notna(v) else "–" for v in shown[col]]
    shown.columns = [t(f"column.{key}", lang) for key in columns.values()]
    return shown.fillna("").astype(str)
