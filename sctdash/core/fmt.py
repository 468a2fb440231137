"""Numbers and dates as the department writes them: 1.234,5 and 99,2 % and dd/mm/yyyy in
Vietnamese; 1,234.5 and 99.2 % and dd/mm/yyyy in English."""

from __future__ import annotations

import datetime as dt
import math

SEPARATORS = {"vi": (",", "."), "en": (".", ",")}  # decimal, thousands


def plotly_separators(lang: str) -> str:
    dec, thou = SEPARATORS.get(lang, SEPARATORS["vi"])
    return dec + thou


def number(value, decimals: int = 0, lang: str = "vi", trim: bool = True) -> str:
    """`value` with `decimals` places; `trim` drops trailing zeros (4,00 → 4)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    dec, thou = SEPARATORS.get(lang, SEPARATORS["vi"])
    return text.replace(",", "\0").replace(".", dec).replace("\0", thou)


def date(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def period(year_from: int, year_to: int) -> str:
    return str(year_to) if year_from == year_to else f"{year_from}–{year_to}"
