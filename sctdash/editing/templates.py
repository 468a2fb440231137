"""Templates for planners: one .xlsx per extract, filled in and imported as it is.

    python -m sctdash.editing.templates TABLE [--out PATH] [--lang vi|en]      (make template TABLE=...)

A template has four sheets:

- the data sheet, named after the extract: row 1 the header (the extract's columns, from
  queries/_schema.sql; required ones white on dark blue), row 2 the example row (grey, italic),
  rows 3 on for the planner. A column with a fixed list gets a drop-down (a list data
  validation reading its range on the lists sheet, so no list meets the 255-character limit of
  inline lists): the areas as "name — code" for a column referencing districts, the rows of the
  referenced extract for any other foreign key (indicators, sources, notes, projects), and the
  values of the column's CHECK (IN (...), or the THEN values of a CASE). A numeric column with a
  range in the schema gets a range rule.
- "Hướng dẫn (Guide)": how to fill it in, Vietnamese then English, and every column's meaning.
- "Danh mục (Lists)": the lists behind the drop-downs, with names to read them by; protected.
- "_sctdash", very hidden: the template's mark (the extract, its other sheets, the example row
  as written), written and read by sctdash.editing.template_mark, which the importer reads files with.

Lists come from the current data (queries/template_areas.sql,
the referenced extracts) and from the schema, never from this file; the words come from
text_template.toml and the example rows from template_examples.toml.
"""

from __future__ import annotations

import argparse
import io
import math
import re
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sctdash.core import fmt, i18n, paths
from sctdash.editing.template_mark import EXAMPLE_ROW, HEADER_ROW, MARK_SHEET, choice_label, current_example, write_mark
from sctdash.store import db
from sctdash.store.validate import TableSchema

LAST_ROW = 1_048_576  # drop-downs and rules cover the whole column below the header

# The catalogue group (text.toml) that names each value of a column with a fixed list.
VALUE_LABELS = {
    ("sources", "kind"): "source_kind",
    ("areas", "unit_type"): "unit_type",
    ("indicators", "topic"): "page",
    ("indicators", "unit"): "unit",
    ("indicators", "direction"): "direction",
    ("observations", "value_kind"): "kind",
    ("observations", "figure_type"): "figure_type",
    ("observations", "status"): "status_word",
    ("electrified_communes", "status"): "status",
    ("power_projects", "kind"): "power_kind",
    ("power_projects", "status"): "status",
    ("market_facilities", "kind"): "facility_kind",
    ("legal_documents", "doc_kind"): "doc_kind",
}
# The column of a referenced extract that names its rows on the lists sheet, in this order.
NAME_COLUMNS = ("name_vi", "title_vi", "title")

# Colours: the header of a required column, of an optional one, and the example row.
REQUIRED_FILL, OPTIONAL_FILL, EXAMPLE_FILL = "1F4E79", "DDEBF7", "EDEDED"
EXAMPLE_FONT = "595959"


def both(key: str, sep: str = " / ", **kwargs) -> str:
    """A text in Vietnamese, then English."""
    return sep.join(i18n.t(key, lang, **kwargs) for lang in i18n.LANGS)


def sheet_names() -> tuple[str, str]:
    """The guide's and the lists' sheet names: "Hướng dẫn (Guide)", "Danh mục (Lists)"."""
    guide, lists = (f"{i18n.t(k, 'vi')} ({i18n.t(k, 'en')})" for k in ("template.sheet_guide", "template.sheet_lists"))
    return guide, lists


# -- the schema and the examples -------------------------------------------------------------


def required(schema: TableSchema) -> set[str]:
    return {c for c in schema.not_null if c not in schema.defaults}


def meaning(table: str, column: str, lang: str) -> str:
    for key in (f"template.col.{table}.{column}", f"template.col_common.{column}"):
        if i18n.has(key):
            return i18n.t(key, lang)
    return ""


_IN = re.compile(r"\(*\"?(\w+)\"? IN \((.*)\)\)*")
_CASE = re.compile(r"\(*\"?(\w+)\"? = CASE .* ELSE \"?\1\"? END\)*")
_QUOTED = re.compile(r"'([^']*)'")
_THEN = re.compile(r"THEN \(*'([^']*)'\)*")
_RANGE = re.compile(r"\(*\"?(\w+)\"? (BETWEEN|>=|>) (-?[\d.]+)(?: AND (-?[\d.]+))?\)*")


def allowed_values(schema: TableSchema, column: str) -> list[str]:
    """The values a CHECK of the schema allows in `column`: col IN (...), or the THEN values of
    col = CASE ... ELSE col END (a power project's unit); empty when there is no such check."""
    for _, expr in schema.checks:
        m = _IN.fullmatch(expr)
        if m and m.group(1) == column:
            return _QUOTED.findall(m.group(2))
        m = _CASE.fullmatch(expr)
        if m and m.group(1) == column:
            return list(dict.fromkeys(_THEN.findall(expr)))
    return []


def value_range(schema: TableSchema, column: str) -> tuple[str, str, str | None] | None:
    """(operator, low, high) of a numeric CHECK on `column` (BETWEEN, >=, >), else None."""
    for cols, expr in schema.checks:
        m = _RANGE.fullmatch(expr)
        if m and cols == [column] and m.group(1) == column:
            op = {"BETWEEN": "between", ">=": "greaterThanOrEqual", ">": "greaterThan"}[m.group(2)]
            return op, m.group(3), m.group(4)
    return None


# -- the lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """One drop-down list: its values, and columns on the lists sheet to read them by."""

    key: str
    values: list[str]
    details: list[tuple[str, list[str]]] = field(default_factory=list)
    areas: bool = False  # "name — code" values; a typed code is allowed too (a warning, not a stop)
    title: str = ""  # the list's heading on the lists sheet, where not the usual one


# The years of an observation's area list (its year_to): the units in force then. 2025 has both
# the districts (until 30/06/2025) and the communes (from 01/07/2025).
AREA_YEARS = (("upto_2024", None, 2024), ("in_2025", 2025, 2025), ("from_2026", 2026, None))
MERGER = date(2025, 7, 1)
LIST_TITLES = {
    "upto_2024": "template.list_areas_upto_2024",
    "in_2025": "template.list_areas_in_2025",
    "from_2026": "template.list_areas_from_2026",
}


def _day(value) -> date | None:
    """A unit's first or last day as a date; None where open."""
    if value is None or str(value) in ("NaT", "None", "nan"):
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _area_frame(store: db.Store):
    df = store.query("template_areas")
    df["kind"] = [i18n.label("unit_type", u, "vi").lower() for u in df.unit_type]
    df["valid_from"] = [_day(v) for v in df.valid_from]
    df["valid_to"] = [_day(v) for v in df.valid_to]
    return df


def _area_choices(df, key: str, dated: bool) -> Choices:
    """One list of areas, "name (type[, dates]) — code", with their names, types and codes."""
    labels = []
    for r in df.itertuples(index=False):
        when = ""
        if dated and r.area_level != "province":
            start, end = r.valid_from, r.valid_to
            when = ", ".join(
                [i18n.t("area.from", "vi", date=fmt.date(start))] * (start is not None)
                + [i18n.t("area.until", "vi", date=fmt.date(end))] * (end is not None)
            )
        labels.append(choice_label(r.name_vi, r.area_code, f"{r.kind}, {when}" if when else r.kind))
    return Choices(
        key,
        labels,
        [
            (both("template.list_name"), list(df.name_vi)),
            (
                both("template.list_kind"),
                [f"{k} / {i18n.label('unit_type', u, 'en')}" for k, u in zip(df.kind, df.unit_type, strict=True)],
            ),
            (both("template.list_code"), list(df.area_code)),
        ],
        areas=True,
    )


def _areas(store: db.Store, with_province: bool) -> Choices:
    """The district-level units of 2020 (a column naming a place's district), with the province
    first where the column may name it."""
    df = _area_frame(store)
    keep = df.unit_2020 | (
        (df.area_level == "province") & (df.area_code == "51") & df.valid_from.map(lambda d: d is None)
    )
    if not with_province:
        keep &= df.area_level != "province"
    return _area_choices(df[keep], "areas_2020" if with_province else "districts", dated=False)


def _in_force(df, first: int | None, last: int | None):
    """The units in force at some time in the years from `first` to `last` (None: open)."""
    starts, ends = list(df.valid_from), list(df.valid_to)
    begins_in_time = [s is None or last is None or s <= date(last, 12, 31) for s in starts]
    lasts_long_enough = [e is None or first is None or e >= date(first, 1, 1) for e in ends]
    return df[[a and b for a, b in zip(begins_in_time, lasts_long_enough, strict=True)]]


def observation_areas(store: db.Store) -> dict[str, Choices]:
    """An observation's area, by its year: the province and the units in force then (before
    2025 the districts of both former provinces; in 2025 those and the new communes; from 2026
    the communes): one list each, which the drop-down picks by the row's year_to."""
    df = _area_frame(store)
    lists = {}
    for key, first, last in AREA_YEARS:
        shown = _in_force(df, first or 2021, last)
        shown = shown[(shown.area_level != "province") | (shown.area_code == "51")]
        shown = shown.drop_duplicates("area_code", keep="last")
        choices = _area_choices(shown, f"areas_{key}", dated=key == "in_2025")
        lists[key] = replace(choices, title=both(LIST_TITLES[key], columns="area_code"))
    return lists


def _referenced(store: db.Store, ref_table: str, ref_column: str) -> Choices:
    df = store.table(ref_table)
    values = [str(v) for v in df[ref_column] if isinstance(v, str) and v]
    rows = df[df[ref_column].isin(values)]
    details = []
    name = next((c for c in NAME_COLUMNS if c in rows.columns), None)
    if name:
        details.append((both("template.list_name"), [str(v) for v in rows[name]]))
    english = name.replace("_vi", "_en") if name and name.endswith("_vi") else None
    if english in rows.columns:
        details.append((both("template.list_name_en"), [str(v) for v in rows[english]]))
    if "unit" in rows.columns:
        details.append((both("template.list_unit"), [_label_both("unit", str(u)) for u in rows["unit"]]))
    return Choices(f"{ref_table}.{ref_column}", values, details)


def _label_both(group: str, code: str) -> str:
    vi, en = (i18n.label(group, code, lang) for lang in i18n.LANGS)
    return vi if vi == en else f"{vi} / {en}"


def column_choices(table: str, store: db.Store) -> dict[str, Choices]:
    """The drop-down list of each column of `table` that has one, from the data and the schema.

    An observation's area_code lists the province and the units in force in the row's year (the
    list here is the one before 2025; the drop-down picks by year, see observation_areas); a
    column naming a place's district lists the 2020 units.
    """
    schema = db.schemas()[table]
    refs = {col: (ref, ref_col) for col, ref, ref_col in schema.foreign_keys}
    areas = db.area_columns(table)
    out: dict[str, Choices] = {}
    for col in schema.column_names:
        if col in areas and col == "area_code":
            out[col] = observation_areas(store)["upto_2024"]
        elif col in areas:
            out[col] = _areas(store, with_province=False)
        elif col in refs:
            ref, ref_col = refs[col]
            out[col] = _referenced(store, ref, ref_col)
        elif values := allowed_values(schema, col):
            group = VALUE_LABELS.get((table, col))
            details = [(both("template.list_meaning"), [_label_both(group, v) for v in values])] if group else []
            out[col] = Choices(f"{table}.{col}", values, details)
    return {c: ch for c, ch in out.items() if ch.values}


# -- the example row -------------------------------------------------------------------------


def example_row(table: str, store: db.Store) -> dict[str, str]:
    """The example of `table` as the planner sees it: every column, district codes as choices."""
    row = current_example(table)
    area_cols = db.area_columns(table)
    if area_cols:
        label = {}
        by_year = observation_areas(store)
        for areas in (
            by_year["in_2025"],
            by_year["from_2026"],
            _areas(store, with_province=True),
            by_year["upto_2024"],
        ):
            label |= dict(zip(areas.details[-1][1], areas.values, strict=True))  # code → "name — code"
        for c in area_cols:
            row[c] = label.get(row[c], row[c])
    return row


def _cell_value(dtype: str, text: str):
    """What the example writes into a cell: numbers as numbers, dates as dates, else text."""
    if text == "":
        return None
    if dtype in ("INTEGER", "BIGINT"):
        return int(text)
    if dtype == "DOUBLE":
        number = float(text)
        return int(number) if number.is_integer() else number
    if dtype == "DATE":
        return date.fromisoformat(text)
    return text


# -- the mark: how the importer knows a template ---------------------------------------------


# -- reading the drop-down's "name — code" ----------------------------------------------------


# -- building ----------------------------------------------------------------------------------


def build(table: str, store: db.Store | None = None) -> bytes:
    """The .xlsx template of `table`, from the current extracts of `store`."""
    from openpyxl import Workbook

    if table not in db.IMPORTED:  # an unknown extract, or one a command writes (areas.csv)
        raise KeyError(table)
    store = store or db.Store()
    schema = db.schemas()[table]
    choices = column_choices(table, store)
    example = example_row(table, store)
    guide_name, lists_name = sheet_names()
    by_year = observation_areas(store) if "area_code" in db.area_columns(table) else {}

    wb = Workbook()
    data = wb.active
    data.title = table
    lists = {**choices, **{f"@{key}": ch for key, ch in by_year.items() if key != "upto_2024"}}
    refs = _write_lists(wb.create_sheet(lists_name), table, lists)
    if by_year:  # the area's list follows the row's year (its year_to)
        refs["area_code"] = _by_year_rule(schema, refs)
    _write_data(data, table, schema, choices, refs, example)
    guide = wb.create_sheet(guide_name, index=1)
    _write_guide(guide, table, schema, choices, example)
    write_mark(wb.create_sheet(MARK_SHEET), table, (guide_name, lists_name, MARK_SHEET), example)
    for ws in (data, guide, wb[lists_name]):
        _fit_to_width(ws)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fit_to_width(ws) -> None:
    """Printed (or converted to PDF): A4 landscape, every column on one page's width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _today() -> str:
    return fmt.date(date.today())


LIST_WIDTHS = (34, 46, 46, 26)  # the lists sheet: values, then up to three columns naming them


def _write_lists(ws, table: str, choices: dict[str, Choices]) -> dict[str, str]:
    """The lists one under another: a heading row, then one value a row in column A with the
    words that name it beside; the range of column A that each drop-down reads."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname

    for j, width in enumerate(LIST_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(j)].width = width
    by_key: dict[str, list[str]] = {}
    for col, ch in choices.items():
        by_key.setdefault(ch.key, []).append(col)
    note = both("template.lists_note", sep="\n", file=f"{table}.csv", date=_today())
    ws.cell(1, 1, note).font = Font(bold=True)
    ws.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LIST_WIDTHS))
    ws.row_dimensions[1].height = 36
    ranges, row = {}, 3
    for key, cols in by_key.items():
        ch = choices[cols[0]]
        title = ch.title or both("template.list_areas" if ch.areas else "template.list_values", columns=", ".join(cols))
        heads = [title, *(head for head, _ in ch.details[: len(LIST_WIDTHS) - 1])]
        for j, head in enumerate(heads, 1):
            cell = ws.cell(row, j, head)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(math.ceil(len(h) / (w * 1.05)) for h, w in zip(heads, LIST_WIDTHS, strict=False))
        ws.row_dimensions[row].height = 15 * max(2, lines) + 2
        columns = [ch.values, *(values for _, values in ch.details[: len(LIST_WIDTHS) - 1])]
        for i in range(len(ch.values)):
            cells = [str(values[i]) for values in columns]
            for j, value in enumerate(cells, 1):
                ws.cell(row + 1 + i, j, value).alignment = Alignment(wrap_text=True, vertical="top")
            lines = max(math.ceil(len(v) / (w * 1.05)) for v, w in zip(cells, LIST_WIDTHS, strict=False))
            ws.row_dimensions[row + 1 + i].height = 15 * max(1, lines) + 2
        ranges[key] = f"{quote_sheetname(ws.title)}!$A${row + 1}:$A${row + len(ch.values)}"
        row += len(ch.values) + 2
    ws.freeze_panes = "A2"
    ws.protection.sheet = True  # no password: it only guards against an edit by mistake
    return {col: ranges[ch.key] for col, ch in choices.items()}


def _write_data(ws, table, schema, choices, refs, example) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    must = required(schema)
    types = dict(schema.columns)
    for j, col in enumerate(schema.column_names, 1):
        letter = get_column_letter(j)
        head = ws.cell(HEADER_ROW, j, col)
        head.font = Font(bold=True, color="FFFFFF" if col in must else "1F1F1F")
        head.fill = PatternFill("solid", fgColor=REQUIRED_FILL if col in must else OPTIONAL_FILL)
        head.alignment = Alignment(vertical="center")
        need = "template.header_required" if col in must else "template.header_optional"
        note = "\n\n".join(f"{meaning(table, col, lang)} {i18n.t(need, lang)}" for lang in i18n.LANGS)
        head.comment = Comment(note, "Sở Công Thương", height=150, width=320)
        cell = ws.cell(EXAMPLE_ROW, j, _cell_value(types[col], example[col]))
        cell.font = Font(italic=True, color=EXAMPLE_FONT)
        cell.fill = PatternFill("solid", fgColor=EXAMPLE_FILL)
        if types[col] == "DATE":
            cell.number_format = "DD/MM/YYYY"
            ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
        elif types[col] == "VARCHAR":
            ws.column_dimensions[letter].number_format = "@"  # typed codes stay text (535, 05xxx)
        width = max(len(col), len(str(example[col]))) + 3
        ws.column_dimensions[letter].width = min(max(width, 10), 48)
        span = f"{letter}{EXAMPLE_ROW}:{letter}{LAST_ROW}"
        if col in choices:
            ws.add_data_validation(_list_rule(choices[col], refs[col], span))
        elif (rng := value_range(schema, col)) and types[col] in ("INTEGER", "BIGINT", "DOUBLE"):
            ws.add_data_validation(_range_rule(types[col], rng, span))
    ws.cell(EXAMPLE_ROW, 1).comment = Comment(both("template.example_note", sep="\n\n"), "Sở Công Thương", 110, 300)
    ws.freeze_panes = ws.cell(EXAMPLE_ROW, 1)
    ws.row_dimensions[HEADER_ROW].height = 22


def _by_year_rule(schema: TableSchema, refs: dict[str, str]) -> str:
    """The list an observation's area drop-down reads: the units in force in the row's year_to
    (none written yet: those before 2025)."""
    from openpyxl.utils import get_column_letter

    year = f"N(${get_column_letter(schema.column_names.index('year_to') + 1)}{EXAMPLE_ROW})"
    upto, in_2025, later = refs["area_code"], refs["@in_2025"], refs["@from_2026"]
    return f"IF({year}>=2026,{later},IF({year}=2025,{in_2025},{upto}))"


def _list_rule(ch: Choices, ref: str, span: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="list",
        formula1=ref,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        # an area may also be typed as its code, which the list does not hold: warn, do not stop
        errorStyle="warning" if ch.areas else "stop",
        errorTitle=i18n.t("template.error_title", "vi"),
        error=both("template.error", sep="\n"),
        promptTitle=i18n.t("template.prompt_title", "vi"),
        prompt=both("template.prompt_area" if ch.areas else "template.prompt", sep="\n"),
    )
    dv.add(span)
    return dv


def _range_rule(dtype: str, rng: tuple[str, str, str | None], span: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    op, low, high = rng
    rule = _rule_words(rng, "vi"), _rule_words(rng, "en")
    dv = DataValidation(
        type="whole" if dtype in ("INTEGER", "BIGINT") else "decimal",
        operator=op,
        formula1=low,
        formula2=high,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=i18n.t("template.error_range_title", "vi"),
        error="\n".join(i18n.t("template.error_range", lang, rule=r) for lang, r in zip(i18n.LANGS, rule, strict=True)),
    )
    dv.add(span)
    return dv


def _rule_words(rng: tuple[str, str, str | None], lang: str) -> str:
    op, low, high = rng
    key = {"between": "template.list_range", "greaterThanOrEqual": "template.list_min"}.get(op, "template.list_above")
    return i18n.t(key, lang, low=low, high=high)


def _write_guide(ws, table, schema, choices, example) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    must = required(schema)
    types = dict(schema.columns)
    widths = {"A": 24, "B": 12, "C": 30, "D": 28, "E": 58, "F": 58}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    line_chars = sum(widths.values()) * 1.0
    row = 1

    def para(text: str, font=None) -> None:
        nonlocal row
        ws.cell(row, 1, text).font = font or Font()
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        ws.row_dimensions[row].height = 16 * max(1, math.ceil(len(text) / line_chars)) + 2
        row += 1

    file = f"{table}.csv"
    para(i18n.t("template.title", "vi", file=file), Font(bold=True, size=14))
    para(i18n.t("template.title", "en", file=file), Font(bold=True, size=12, color="595959"))
    para(i18n.t(f"extract.{table}", "vi"))
    para(i18n.t(f"extract.{table}", "en"), Font(color="595959"))
    para(i18n.t("template.made", "vi", date=_today()), Font(italic=True))
    para(i18n.t("template.made", "en", date=_today()), Font(italic=True, color="595959"))
    area = next((c for c, ch in choices.items() if ch.areas), None)
    guide_name, lists_name = sheet_names()
    steps = ["template.step_rows", "template.step_example", "template.step_required"]
    if choices:
        steps.append("template.step_lists")
    if area:
        steps.append("template.step_areas")
    steps += ["template.step_numbers", "template.step_import", "template.step_new"]
    args = {"sheet": table, "lists": lists_name}
    if area:
        args |= {"choice": example[area], "code": current_example(table)[area]}
    for lang in i18n.LANGS:
        row += 1
        para(i18n.t("template.how", lang), Font(bold=True, size=12))
        for n, key in enumerate(steps, 1):
            para(f"{n}. {i18n.t(key, lang, **args)}")
    row += 1
    para(both("template.columns"), Font(bold=True, size=12))
    heads = [both(f"template.col_{k}") for k in ("column", "required", "type", "list")]
    heads += [i18n.t("template.col_meaning", lang) for lang in i18n.LANGS]
    for j, head in enumerate(heads, 1):
        cell = ws.cell(row, j, head)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 32
    row += 1
    for col in schema.column_names:
        kind = _type_words(types[col])
        rule = value_range(schema, col)
        listed = (
            both("template.list_in_sheet")
            if col in choices
            else (" / ".join(_rule_words(rule, lang) for lang in i18n.LANGS) if rule else "")
        )
        cells = [
            col,
            both("template.yes" if col in must else "template.no"),
            kind,
            listed,
            meaning(table, col, "vi"),
            meaning(table, col, "en"),
        ]
        for j, value in enumerate(cells, 1):
            cell = ws.cell(row, j, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(bold=j == 1 and col in must)
        lines = max(math.ceil(len(str(v)) / (widths[letter] * 0.95)) for v, letter in zip(cells, widths, strict=True))
        ws.row_dimensions[row].height = 15 * max(1, lines) + 3
        row += 1
    ws.protection.sheet = True
    ws.sheet_view.showGridLines = False


def _type_words(dtype: str) -> str:
    return " / ".join(i18n.label("dtype", dtype, lang) for lang in i18n.LANGS)


# -- command line ----------------------------------------------------------------------------


MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(table: str) -> str:
    """The name the data page's download gives a template: mau-observations.xlsx."""
    return f"mau-{table}.xlsx"


def default_path(table: str) -> Path:
    return paths.ROOT / "build" / "templates" / f"{table}.xlsx"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sctdash.editing.templates", description=__doc__.split("\n")[0])
    parser.add_argument("table", nargs="?", help="the extract: " + ", ".join(db.IMPORTED))
    parser.add_argument("--out", help="where to write it (default build/templates/<table>.xlsx)")
    parser.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    args = parser.parse_args(argv)
    tables = ", ".join(db.IMPORTED)
    if not args.table:
        print(i18n.t("template.usage", args.lang, tables=tables), file=sys.stderr)
        return 2
    if args.table not in db.IMPORTED:
        shown = "".join(ch for ch in args.table if ch.isprintable())[:100]
        print(i18n.t("template.unknown_table", args.lang, value=shown, tables=tables), file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else default_path(args.table)
    data = build(args.table)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(i18n.t("template.written", args.lang, path=out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
