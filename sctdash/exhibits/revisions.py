"""Revised figures as a view states them: “đã sửa 15/03/2027, trước đó 412”.

The store reads the change log into its `revisions` table (sctdash.store.revisions);
queries/revisions_in_view.sql gives those of the filters in force. `of(rows)` keeps each figure's
latest revision, where the figure still holds the value it gave, as the Setting's `revisions`
(sctdash.exhibits.pipeline.setting_for). A chart's rows take three columns from it
(`attach`, in sctdash.exhibits.builder.build): `revised_on` (dd/mm/yyyy), `previous_value` and
`previous_status`, so that its points' hover (exhibit.point) and its CSV and XLSX say the same
thing; a view where nothing was revised keeps its rows, and its files, as they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from sctdash.core import fmt
from sctdash.core.i18n import t
from sctdash.exhibits import phrases

KEY = ("indicator_id", "area_code", "year_from", "year_to", "category", "variant", "figure_type")
COLUMNS = ("revised_on", "previous_value", "previous_status")
NONE: Mapping[tuple, Revision] = MappingProxyType({})


@dataclass(frozen=True)
class Revision:
    """A figure's latest revision: the day (dd/mm/yyyy), the value and status before it."""

    on: str
    previous_value: float
    previous_status: str | None = None


def key_of(row: Mapping) -> tuple | None:
    """A row's observation key, as the revisions are keyed (a row without figure_type is a result)."""
    try:
        return (
            str(row["indicator_id"]),
            str(row["area_code"]),
            int(row["year_from"]),
            int(row["year_to"]),
            str(row["category"]),
            "" if pd.isna(row.get("variant")) else str(row.get("variant") or ""),
            str(row.get("figure_type") or "result"),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _find(revisions: Mapping[tuple, Revision], row: Mapping) -> Revision | None:
    key = key_of(row)
    return revisions.get(key) if key is not None else None


def of(rows: pd.DataFrame) -> Mapping[tuple, Revision]:
    """The revisions in view (queries/revisions_in_view.sql) that a figure on screen states: each
    figure's latest, while the figure holds the value it gave."""
    if rows.empty:
        return NONE
    found = {}
    for r in phrases.records(rows[rows["shown"]]):
        status, key = r.get("previous_status"), key_of(r)
        if key is None:
            continue
        found[key] = Revision(
            fmt.date(pd.Timestamp(r["revised_on"]).date()),
            float(r["previous_value"]),
            status if isinstance(status, str) and status else None,
        )
    return MappingProxyType(found)


def attach(rows: pd.DataFrame, revisions: Mapping[tuple, Revision]) -> pd.DataFrame:
    """The rows with `revised_on`, `previous_value` and `previous_status` where any of them was
    revised; the rows as they are otherwise."""
    if (
        not revisions
        or rows.empty
        or not {"indicator_id", "area_code", "year_from", "year_to", "category"} <= set(rows.columns)
    ):
        return rows
    found = [_find(revisions, r) for r in phrases.records(rows)]
    if not any(found):
        return rows
    out = rows.copy()
    out["revised_on"] = [r.on if r else None for r in found]
    out["previous_value"] = [r.previous_value if r else None for r in found]
    out["previous_status"] = [r.previous_status if r else None for r in found]
    return out


def words(row: Mapping, lang: str) -> str:
    """“đã sửa 08/12/2026, trước đó 236 (ước tính)” for a row `attach` marked revised, or ""."""
    on = row.get("revised_on")
    if not isinstance(on, str) or not on:
        return ""
    return _said(Revision(on, float(row["previous_value"]), row.get("previous_status")), row, lang)


def _value(value, status, row: Mapping, lang: str) -> str:
    """“236 (ước tính)”: a value in the row's unit and decimals, and its status when not final."""
    unit, dec = row.get("unit", ""), int(row.get("decimals", 0) or 0)
    status = status if isinstance(status, str) else ""
    return phrases.value_text(value, dec, unit, "reported", lang) + phrases.status_text(status, lang)


def _said(revision: Revision, row: Mapping, lang: str) -> str:
    before = _value(revision.previous_value, revision.previous_status, row, lang)
    return t("revision.one", lang, date=revision.on, value=before)


def tile_words(rows: list[dict], revisions: Mapping[tuple, Revision], names: Mapping[str, str], lang: str) -> list[str]:
    """A tile's captions for the rows its value comes from that were revised: the words alone for
    one area, each area's name before them for several."""
    out = []
    for r in rows:
        revision = _find(revisions, r)
        if revision is None:
            continue
        text = _said(revision, r, lang)
        out.append(f"{names.get(r['area_code'], r['area_code'])}: {text}" if len(rows) > 1 else text)
    return out


def footnote(df: pd.DataFrame, names: Mapping[str, str], lang: str, at_most: int = 3) -> str:
    """The chart's line on its revised figures, which a slide and an image carry without a hover:
    “Số liệu đã sửa: Toàn tỉnh 2026: đã sửa 08/12/2026, trước đó 236 (ước tính)”, or ""."""
    if "revised_on" not in df:
        return ""
    revised = [r for r in phrases.records(df) if words(r, lang)]
    several = len({r["indicator_id"] for r in phrases.records(df)}) > 1
    said = []
    for r in revised[:at_most]:
        what = phrases.area_name(r["area_code"], names, lang) + " " + phrases.period_text(r["year_from"], r["year_to"])
        if several and r.get(f"indicator_{lang}"):
            what = f"{r[f'indicator_{lang}']}, {what}"
        said.append(f"{what}: {words(r, lang)}")
    if len(revised) > at_most:
        said.append(t("revision.more", lang, n=len(revised) - at_most))
    return t("revision.footnote", lang, figures="; ".join(said)) if said else ""


# ------------------------------------------------------------------ the data page's list
LIST_COLUMNS = ("on", "indicator", "area", "period", "change", "who", "entry")


def listing(rows: pd.DataFrame, names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """The revisions in view (queries/revisions_in_view.sql, newest first) as the data page lists
    them: the day, the indicator, the area, the period, previous → new value, who imported the
    file (the editor signed in, or the command line's user) and the log's entry, as text."""
    out = []
    for r in phrases.records(rows):
        name = str(r[f"indicator_{lang}"])
        if r["category"] != "total":
            name += " · " + phrases.item_label("category", r["category"], r, lang)
        if r["variant"]:
            name += f" ({r['variant']})"
        if r["figure_type"] == "target":
            name += " · " + t("target.series", lang)
        before = _value(r["previous_value"], r["previous_status"], r, lang)
        after = _value(r["value"], r["status"], r, lang)
        editor, user = r.get("editor"), r.get("system_user")
        who = editor if isinstance(editor, str) and editor else t("changelog.command_line", lang, user=user or "?")
        out.append(
            {
                "on": fmt.date(pd.Timestamp(r["revised_on"]).date()),
                "indicator": name,
                "area": phrases.area_name(r["area_code"], names, lang),
                "period": phrases.period_text(r["year_from"], r["year_to"]),
                "change": f"{before} → {after}",
                "who": who,
                "entry": t(
                    "revision.action.restore" if r["action"] == "restore" else "revision.action.import",
                    lang,
                    seq=r["seq"],
                ),
            }
        )
    frame = pd.DataFrame(out, columns=list(LIST_COLUMNS))
    return frame.rename(columns={c: t(f"revision.col.{c}", lang) for c in LIST_COLUMNS})
