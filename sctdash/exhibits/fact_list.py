"""Figures as lines of text, for the figures a page lists rather than draws: the targets it
must never draw as results, and the results it has no chart for. Plain functions, no
Streamlit: `lines(rows, lang)` takes the rows of queries/figure_list.sql."""

from __future__ import annotations

import pandas as pd

from sctdash.core import fmt
from sctdash.core.i18n import label, t
from sctdash.exhibits import phrases
from sctdash.exhibits.places import escape


def line(row, lang: str) -> str:
    """“20 % — <indicator> (<category>), 2021–2025, mục II.2.5.b: mục tiêu, kế hoạch”."""
    value = phrases.amount_text(row.value, int(row.decimals), row.unit, row.value_kind, lang)
    what = getattr(row, f"indicator_{lang}")
    if row.category != "total":
        what += f" ({label('category', row.category, lang)})"
    where = [fmt.period(row.year_from, row.year_to)]
    if isinstance(row.section, str) and row.section:
        where.append(f"{t('column.section', lang).lower()} {row.section}")
    text = f"{value} — {what}, {', '.join(where)}"
    if row.figure_type == "target":
        text += f" — {label('figure_type', 'target', lang)}"
    if row.value_kind == "derived" and isinstance(row.derivation, str):
        text += f" ({t('tile.derived_help', lang, derivation=row.derivation).rstrip('.')})"
    return text


def lines(rows: pd.DataFrame, lang: str) -> list[str]:
    return [line(r, lang) for r in rows.itertuples()]


def markdown(rows: pd.DataFrame, lang: str) -> str:
    """A bulleted list, every character Markdown would act on escaped."""
    return "\n".join(f"- {escape(x)}" for x in lines(rows, lang))
