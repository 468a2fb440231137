"""The data behind a chart or map as files: CSV (UTF-8 with BOM) and XLSX, cells made safe.

Every cell of every file the dashboard exports goes through `neutralise_cell`: text that a
spreadsheet would run as a formula (= + - @ at its start) gets a leading apostrophe, numbers
and text that is a plain number ("-5") stay as they are.
"""

from __future__ import annotations

import io
import math
import re

import pandas as pd

from sctdash.core.i18n import t
from sctdash.exhibits.exhibit import shown_columns

XLSX_HEADER_ROW = 6  # row of the column names in an exported sheet; rows 1–4 name chart and source
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise_cell(value):
    """A cell made safe for a spreadsheet: text starting with = + - @ (or tab, CR) gets a leading '.

    Numbers, and text that is a plain number such as "-5", are returned as they are.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _plain(value):
    """A cell as a spreadsheet should hold it: no NaN/NaT, no pandas types, no formulas."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return neutralise_cell(value)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The rows, every column, as CSV: UTF-8 with a BOM (Excel reads the diacritics), decimal
    point, formula-like text neutralised."""
    out = shown_columns(df).astype(object).map(_plain)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, sheet: str, title: str, source: str, filters: str, lang: str, stamp: str) -> bytes:
    """The rows as a sheet; rows 1–4 give the title, the source, the filters, the department
    and the date, row XLSX_HEADER_ROW the column names."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    df = shown_columns(df)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    heading = [
        t("sheet.title", lang, title=title),
        source,
        t("sheet.filters", lang, filters=filters) if filters else "",
        t("sheet.exported", lang, department=t("app.department", lang), date=stamp),
    ]
    for r, text in enumerate(heading, start=1):
        ws.cell(row=r, column=1, value=neutralise_cell(text) or None)
    ws["A1"].font = Font(bold=True, size=13)
    for c, col in enumerate(df.columns, start=1):
        cell = ws.cell(row=XLSX_HEADER_ROW, column=c, value=neutralise_cell(str(col)))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
    for r, row in enumerate(df.itertuples(index=False), start=XLSX_HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=_plain(value))
    ws.freeze_panes = ws.cell(row=XLSX_HEADER_ROW + 1, column=1)
    for i, col in enumerate(df.columns, start=1):
        longest = max([len(str(col))] + [len(str(v)) for v in df[col].head(200) if v is not None])
        ws.column_dimensions[ws.cell(row=XLSX_HEADER_ROW, column=i).column_letter].width = min(60, 2 + longest)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
