"""The table of plans and results: every target in view (queries/target_standing.sql) with the
result of the same figure, area and period beside it, and how the result stands against it as
the indicator's direction reads it. Plain functions, no Streamlit.

    frame(rows, names, lang) -> the table as text, a row a target
    ordered(rows, order)     -> the rows by indicator (as the query gives them), missed first,
                                or latest period first
    summary(rows, lang)      -> "3/5 chỉ tiêu có kết quả vượt kế hoạch, …" (the report's way)
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sctdash.core import fmt
from sctdash.core.i18n import label, t
from sctdash.exhibits import phrases

# A standing's mark: reached (exceeded, met) or not, whichever way the indicator is better.
MARKS = {"exceeded": "✔", "met": "✔", "missed": "✘"}
COLUMNS = ("indicator", "area", "period", "target", "result", "against", "standing")


def _what(row: Mapping, lang: str) -> str:
    name = str(row[f"indicator_{lang}"])
    if row["category"] != "total":
        name += f" ({label('category', row['category'], lang)})"
    return name


def _value(value, row: Mapping, lang: str, kind: str = "reported") -> str:
    return phrases.amount_text(value, int(row["decimals"]), row["unit"], kind, lang)


def _derived(kind) -> str:
    """A figure computed from reported ones says so ("suy ra"); whose page a figure comes
    from is the source column's to say, not the figure's."""
    return "derived" if kind == "derived" else "reported"


def standing(row: Mapping, lang: str) -> tuple[str, str] | None:
    """(exceeded, met or missed; the words against the target), or None without a result."""
    if pd.isna(row["result_value"]):
        return None
    result = {"value": row["result_value"]}
    target = {k: row[k] for k in ("unit", "decimals", "direction")} | {"value": row["target_value"]}
    return phrases.against_target(result, target, lang)


ORDERS = ("indicator", "standing", "latest")  # the table's orders, the first the query's own
STANDING_RANK = {"missed": 0, "met": 1, "exceeded": 2}


def ordered(rows: pd.DataFrame, order: str) -> pd.DataFrame:
    """The rows in one of ORDERS: by indicator as the query gives them; not met first (the
    furthest short of its target first, as a share of the target), then met, exceeded and those
    without a result; or the latest period first."""
    if order == "latest":
        return rows.sort_values(["year_to", "year_from"], ascending=False, kind="stable")
    if order != "standing":
        return rows
    keys = []
    for row in phrases.records(rows):
        stood = standing(row, "vi")
        if stood is None:
            keys.append((3, 0.0))
            continue
        goal = float(row["target_value"])
        gap = (float(row["result_value"]) - goal) / (abs(goal) or 1.0)  # a share of the target: units apart
        better = -gap if row.get("direction") == "down" else gap  # how far on the better side
        keys.append((STANDING_RANK[stood[0]], better))
    rank = sorted(range(len(rows)), key=lambda i: keys[i])
    return rows.iloc[rank]


def frame(rows: pd.DataFrame, names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """The table as a page, a CSV and a slide show it: a row a target, in words."""
    out = []
    for row in phrases.records(rows):
        stood = standing(row, lang)
        result = (
            _value(row["result_value"], row, lang, _derived(row.get("result_kind")))
            + phrases.status_text(row["result_status"], lang)
            if stood
            else t("targets.no_result", lang)
        )
        out.append(
            {
                "indicator": _what(row, lang),
                "area": phrases.area_name(row["area_code"], names, lang),
                "period": fmt.period(row["year_from"], row["year_to"]),
                "target": _value(row["target_value"], row, lang, _derived(row.get("target_kind"))),
                "result": result,
                "against": stood[1] if stood else "",
                "standing": f"{MARKS[stood[0]]} {t(f'standing.{stood[0]}', lang)}" if stood else "",
            }
        )
    shown = pd.DataFrame(out, columns=list(COLUMNS))
    shown.columns = [t(f"column.{c}", lang) for c in COLUMNS]
    return shown


def summary(rows: pd.DataFrame, lang: str) -> str:
    """ "Có 2/3 chỉ tiêu có kết quả vượt kế hoạch, 0 đạt, 1 chưa đạt; 4 chỉ tiêu chưa có kết quả
    cùng kỳ": the count the report gives ("có 02/03 chỉ tiêu thực hiện vượt"), of the targets in
    view."""
    stood = [s for s in (standing(r, lang) for r in phrases.records(rows)) if s]
    counts = {k: sum(s[0] == k for s in stood) for k in MARKS}
    text = t(
        "targets.summary",
        lang,
        exceeded=counts["exceeded"],
        n=len(stood),
        met=counts["met"],
        missed=counts["missed"],
    )
    if len(rows) > len(stood):
        text += t("targets.summary_open", lang, open=len(rows) - len(stood))
    return text if stood else t("targets.summary_none", lang, open=len(rows))
