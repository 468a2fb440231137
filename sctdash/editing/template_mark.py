"""How a template is known when it comes back, and how its cells are read: the mark on its
very hidden sheet (`mark`), the example row (`split_example` takes it out when it is left as it
is, and refuses a row that keeps its "Ví dụ…" words), and the drop-down's "name — code" form of
an area (`area_choices`). The importer reads files with these; sctdash.editing.templates writes them.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from sctdash.core.fold import folded
from sctdash.store import db
from sctdash.store.validate import Problem, TableSchema

MARK = "sctdash-template"


MARK_SHEET = "_sctdash"


FORMAT_VERSION = 1


HEADER_ROW, EXAMPLE_ROW = 1, 2


EXAMPLE_WORDS = "Ví dụ"  # every example row holds a text that starts so (template_examples.toml)


DASH = "—"


EXAMPLES = Path(__file__).with_name("template_examples.toml")


@cache
def _examples() -> dict[str, dict[str, str]]:
    with EXAMPLES.open("rb") as fh:
        return tomllib.load(fh)


def current_example(table: str) -> dict[str, str]:
    """The example row of `table` in template_examples.toml (area codes as codes)."""
    given = _examples().get(table, {})
    return {c: str(given.get(c, "")) for c in db.schemas()[table].column_names}


def _canon(text: str) -> str:
    """A cell's text for comparing with the example: 12 equals 12.0, NFC, trimmed."""
    text = unicodedata.normalize("NFC", str(text)).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return repr(number) if math.isfinite(number) else text


@dataclass(frozen=True)
class Mark:
    """What a template says about itself on its very hidden sheet."""

    table: str
    sheets: tuple[str, ...]  # the guide, lists and mark sheets: never data
    example: dict[str, str]  # the example row as the template wrote it


def split_example(
    table: str, mark: Mark | None, header: list[str], rows: list[tuple[int, list[str]]], label: str
) -> tuple[list[tuple[int, list[str]]], list[int], list[Problem]]:
    """The rows without a template's example row left as it is, the lines taken out, and a problem
    for each other row that still holds one of the example's "Ví dụ…" texts.

    The example is the one the template wrote (its mark), or, for a file without the mark (the
    data sheet saved as CSV, or copied into another workbook), the current one of `table`.
    """
    example = mark.example if mark and mark.table == table else current_example(table)
    areas = set(db.area_columns(table))

    def canon(col: str, text: str) -> str:
        m = _CHOICE.fullmatch(text.strip()) if col in areas else None
        return _canon(m.group("code") if m else text)

    wanted = {c: canon(c, v) for c, v in example.items()}
    marked = {c: canon(c, v) for c, v in example.items() if v.startswith(EXAMPLE_WORDS)}
    kept, skipped, problems = [], [], []
    for line, cells in rows:
        values, stray = {}, False
        for i, cell in enumerate(cells):
            name = header[i] if i < len(header) else ""
            if name:
                values[name] = canon(name, cell)
            elif cell:
                stray = True
        if not stray and all(values.get(c, "") == wanted.get(c, "") for c in set(values) | set(wanted)):
            skipped.append(line)
            continue
        problems += [
            Problem(label, line, c, example[c], "example_edited") for c, text in marked.items() if values.get(c) == text
        ]
        kept.append((line, cells))
    return kept, skipped, problems


def mark(workbook) -> Mark | None:
    """The mark of a template (an openpyxl workbook), or None for any other workbook."""
    if MARK_SHEET not in workbook.sheetnames:
        return None
    pairs = {}
    for row in workbook[MARK_SHEET].iter_rows(max_col=2, values_only=True):
        if row and isinstance(row[0], str):
            pairs[row[0]] = row[1] if len(row) > 1 else None
    if pairs.get("mark") != MARK:
        return None
    try:
        sheets = tuple(str(s) for s in json.loads(str(pairs["sheets"])))
        example = {str(k): str(v) for k, v in json.loads(str(pairs["example"])).items()}
        return Mark(str(pairs["table"]), sheets, example)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


_CHOICE = re.compile(r"(?P<name>.*?\S)\s*(?:\((?P<kind>[^()]*)\))?\s*[—–-]\s*(?P<code>\d{5}|\d{2,3})")


def area_candidates(con, column: str, year: int | None = None) -> list[tuple[str, str, str]]:
    """(code, name, name in plain letters) of the units a cell of `column` may name: for an
    observation's area, those in force in the row's year (every code when the year is unknown);
    for a place's district, the province's districts."""
    if column == "area_code" and year is not None:  # the units the template's list of that year offers
        sql = (
            "select area_code, name_vi, name_ascii from areas "
            "where coalesce(valid_from, date '0001-01-01') <= make_date($y, 12, 31) "
            "and coalesce(valid_to, date '9999-12-31') >= make_date($y, 1, 1) "
            "and (level <> 'commune' or valid_from is not null) order by area_code"
        )
        return con.execute(sql, {"y": year}).fetchall()
    if column == "area_code":
        return con.execute("select area_code, name_vi, name_ascii from area_codes order by area_code").fetchall()
    sql = (
        "select distinct area_code, name_vi, name_ascii from areas "
        "where level = 'district' and parent_code = '51' order by area_code"
    )
    return con.execute(sql).fetchall()


def area_suggestion(value: str, candidates: list[tuple[str, str, str]]) -> str | None:
    """The units whose name is the one written (with or without diacritics), or a close name, or
    a close code: "535 (Ba Tơ)"."""
    wanted = folded(value)
    exact = [f"{c} ({n})" for c, n, a in candidates if wanted in (folded(n), folded(a))]
    if exact:
        return " / ".join(dict.fromkeys(exact))
    names = {folded(n): n for _, n, _ in candidates} | {folded(a): n for _, n, a in candidates}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.7)
    if close:
        return " / ".join(dict.fromkeys(f"{c} ({n})" for c, n, _ in candidates if n == names[close[0]]))
    codes = difflib.get_close_matches(value, [c for c, _, _ in candidates], n=1, cutoff=0.8)
    return " / ".join(dict.fromkeys(f"{c} ({n})" for c, n, _ in candidates if c == codes[0])) if codes else None


def row_year(columns: list[str], cells: list[str]) -> int | None:
    """A row's last year (year_to), where it has one that reads as a year."""
    if "year_to" not in columns:
        return None
    text = str(cells[columns.index("year_to")]).strip()
    try:
        return int(float(text))
    except ValueError:
        return None


def area_choices(
    con, schema: TableSchema, label: str, columns: list[str], rows: list[tuple[int, list[str]]]
) -> list[Problem]:
    """Rewrite each "name — code" cell of a column referencing districts to its code, in place.

    The name must be the code's (with or without diacritics; a "(type)" is ignored); otherwise,
    or when no area has the code, the cell is a problem naming its line and column, and is left as
    written. Other cells (a bare code, a bare name) are left to the schema's checks.
    """
    targets = [columns.index(c) for c in db.area_columns(schema.name) if c in columns]
    if not targets:
        return []
    names: dict[str, set[str]] = {}
    for code, name, plain in con.execute("select area_code, name_vi, name_ascii from areas").fetchall():
        names.setdefault(code, set()).update((folded(name), folded(plain)))
    areas = {row[0]: (row[1], row[2]) for row in con.execute(db.query_text("area_names")).fetchall()}
    problems = []
    for line, cells in rows:
        for i in targets:
            m = _CHOICE.fullmatch(cells[i])
            if not m:
                continue
            name, code = m.group("name"), m.group("code")
            if code not in areas:
                problems.append(Problem(label, line, columns[i], cells[i], "area_choice_unknown", {"code": code}))
            elif folded(name) in names.get(code, ()):  # any name the code's units have had
                cells[i] = code
            else:
                candidates = area_candidates(con, columns[i], row_year(columns, cells))
                args = {"code": code, "code_name": areas[code][0]}
                if suggestion := area_suggestion(name, candidates):
                    args["suggestion"] = suggestion
                problems.append(Problem(label, line, columns[i], cells[i], "area_choice_mismatch", args))
    return problems


def choice_label(name: str, code: str, kind: str | None = None) -> str:
    """The drop-down's form of an area: "Ba Tơ — 535"; "Quảng Ngãi (thành phố) — 522" where a
    name is shared (the province and its city)."""
    return f"{name} ({kind}) {DASH} {code}" if kind else f"{name} {DASH} {code}"


def write_mark(ws, table: str, sheets: tuple[str, ...], example: dict[str, str]) -> None:
    """The mark on its very hidden sheet: the extract, the sheets that are never data, the example."""
    rows = [
        ("mark", MARK),
        ("version", FORMAT_VERSION),
        ("table", table),
        ("sheets", json.dumps(list(sheets), ensure_ascii=False)),
        ("example_row", EXAMPLE_ROW),
        ("example", json.dumps(example, ensure_ascii=False)),
        ("made_on", date.today().isoformat()),
        ("note", "Read by the dashboard's importer to recognise this template; do not edit."),
    ]
    for i, (key, value) in enumerate(rows, 1):
        ws.cell(i, 1, key)
        ws.cell(i, 2, value)
    ws.sheet_state = "veryHidden"
