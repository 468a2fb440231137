"""Reading a file: its size, its kind (XLSX by its content, else text), its encoding and
separator, its header row, and which extract its columns name. Every cell comes out
NFC-normalised and stripped; nothing is checked against the schema's rules here.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime

from sctdash.editing import template_mark
from sctdash.editing.importer.staging import all_columns
from sctdash.store import db
from sctdash.store.validate import Problem

MAX_BYTES = 10 * 1024 * 1024  # refused above this, from the file's size alone
MAX_XLSX_UNPACKED = 100 * 1024 * 1024  # the sum of an XLSX's members once unzipped (zip bombs)
HEADER_SEARCH_ROWS = 20  # an XLSX header may sit below a few title rows
_STRIP = " \t\r\n\u00a0\u2007\u202f\u200b\u200c\u200d\u2060\ufeff"
_XLSX_ERRORS = {
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
}


@dataclass
class Read:
    header: list[str]  # normalised names, "" for an unnamed column
    rows: list[tuple[int, list[str]]]
    header_line: int
    table: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    problems: list[Problem] = field(default_factory=list)
    legacy: bool = False  # from a one-byte code page (or plain ASCII): a ? may stand for a lost letter
    mark: template_mark.Mark | None = None  # the file is a dashboard template


class Refuse(Exception):
    def __init__(self, *problems: Problem):
        super().__init__(problems[0].code if problems else "")
        self.problems = list(problems)


def clean(value: str) -> str:
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
    return value.strip(_STRIP)


def norm_header(name: str) -> str:
    name = clean(name).strip("\"'").lower()
    return re.sub(r"[\s\-]+", "_", name)


def file_label(name: str) -> str:
    """A file's name for messages: its last path component, printable characters only."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:200] or "?"


def _match_table(names: list[str]) -> tuple[str | None, int, list[str]]:
    """The extract whose columns these header names are: (table, columns matched, ties)."""
    known = {n for n in names if n}
    ranked = []
    for table, schema in db.schemas().items():
        cols = set(schema.column_names)
        required = {c for c in schema.not_null if c not in schema.defaults}
        ranked.append((len(known & cols), -len(required - known), -len(known - cols), table))
    ranked.sort(reverse=True)
    best = ranked[0]
    ties = [r[3] for r in ranked if r[:3] == best[:3]]
    if best[0] < max(2, (len(known) + 1) // 2):
        return None, best[0], []
    return (best[3] if len(ties) == 1 else None), best[0], ties


def _decode(data: bytes, label: str) -> tuple[str, str, bool]:
    """The text of a file, its encoding, and whether it came from a one-byte code page."""
    boms = [
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ]
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, False
            except UnicodeDecodeError as exc:
                raise Refuse(
                    Problem(
                        label,
                        None,
                        None,
                        None,
                        "bad_encoding",
                        {"encoding": enc, "offset": exc.start},
                    )
                ) from None
    if b"\x00" in data:
        # UTF-16 without a BOM shows NULs in every other byte of its ASCII text.
        even, odd = data[0::2].count(0), data[1::2].count(0)
        half = len(data) // 2
        for enc, nuls in (("utf-16-le", odd), ("utf-16-be", even)):
            if half and nuls > 0.6 * half and len(data) % 2 == 0:
                try:
                    return data.decode(enc), enc, False
                except UnicodeDecodeError:
                    pass
        raise Refuse(Problem.whole(label, "binary_file"))
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    best = None
    for enc in ("cp1258", "cp1252"):
        try:
            decoded = unicodedata.normalize("NFC", data.decode(enc))
        except UnicodeDecodeError:
            continue
        score = sum(1 for ch in decoded if unicodedata.combining(ch) or _is_control(ch))
        if best is None or score < best[0]:
            best = (score, decoded, enc)
    if best is None or best[0] > 0:
        raise Refuse(Problem.whole(label, "unknown_encoding", {"offset": utf8_error}))
    return best[1], best[2], True


def _is_control(ch: str) -> bool:
    return ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")


def _sniff(first_line: str) -> str:
    known = all_columns()
    best = (-1, 0, ",")
    for delim in (",", ";", "\t"):
        try:
            cells = next(csv.reader([first_line], delimiter=delim))
        except (csv.Error, StopIteration):
            continue
        score = sum(1 for c in cells if norm_header(c) in known)
        if (score, len(cells)) > best[:2]:
            best = (score, len(cells), delim)
    return best[2]


def _read_text(data: bytes, label: str) -> Read:
    text_, encoding, legacy = _decode(data, label)
    text_ = text_.lstrip("\ufeff")
    for lineno, line in enumerate(text_.splitlines(), 1):
        if any(_is_control(ch) for ch in line):
            raise Refuse(Problem(label, lineno, None, None, "binary_file"))
    lines = text_.splitlines(keepends=True)
    skip = 0
    delimiter = None
    while skip < len(lines) and not lines[skip].strip(_STRIP):
        skip += 1
    if skip < len(lines):
        m = re.fullmatch(r"sep=(.)", lines[skip].strip(_STRIP))  # Excel's separator hint
        if m:
            delimiter = m.group(1)
            skip += 1
    rest = lines[skip:]
    while rest and not rest[0].strip(_STRIP):
        rest.pop(0)
        skip += 1
    if not rest:
        raise Refuse(Problem.whole(label, "empty_file"))
    delimiter = delimiter or _sniff(rest[0])
    reader = csv.reader(io.StringIO("".join(rest), newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for rec in reader:
            line = start + skip
            start = reader.line_num + 1
            if not any(clean(c) for c in rec):
                continue
            if header is None:
                header, header_line = [norm_header(c) for c in rec], line
            else:
                rows.append((line, [clean(c) for c in rec]))
    except csv.Error as exc:
        raise Refuse(
            Problem(
                label,
                reader.line_num + skip,
                None,
                None,
                "bad_csv",
                {"reason": str(exc)},
            )
        ) from None
    if header is None:
        raise Refuse(Problem.whole(label, "empty_file"))
    table, _, ties = _match_table(header)
    return Read(
        header,
        rows,
        header_line,
        table,
        None,
        encoding,
        delimiter,
        legacy=legacy or data.isascii(),
        problems=_ties(label, ties),
    )


def _ties(label: str, ties: list[str]) -> list[Problem]:
    if len(ties) > 1:
        return [
            Problem(
                label,
                None,
                None,
                None,
                "ambiguous_extract",
                {"tables": ", ".join(ties)},
            )
        ]
    return []


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == dtime(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, dtime)):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, label: str) -> Read:
    """The one sheet whose header names an extract's columns (a template's guide and lists
    sheets left out), with its formulas' problems."""
    values_wb, formulas_wb = _workbooks(data, label)
    mark = template_mark.mark(values_wb)  # a dashboard template: its guide and lists are never data
    candidates = []
    for ws in values_wb.worksheets:
        if mark and ws.title in mark.sheets:
            continue
        read = _read_sheet(ws, formulas_wb[ws.title], label)
        if read is not None:
            candidates.append(read)
    if not candidates:
        names = ", ".join(ws.title for ws in values_wb.worksheets)
        raise Refuse(Problem.whole(label, "no_sheet_matches", {"sheets": names}))
    if len(candidates) > 1:
        found = ", ".join(f"{c.sheet} ({c.table})" for c in candidates)
        raise Refuse(Problem.whole(label, "several_sheets", {"sheets": found}))
    candidates[0].mark = mark
    return candidates[0]


def _workbooks(data: bytes, label: str):
    """The workbook with its cached values, and with its formulas; refused unzipped too large."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refuse(Problem.whole(label, "bad_xlsx", {"reason": str(exc)})) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise Refuse(too_large(label, unpacked))
    try:
        values_wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas_wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        raise Refuse(Problem.whole(label, "bad_xlsx", {"reason": type(exc).__name__})) from None
    return values_wb, formulas_wb


def _grid(ws) -> tuple[list[list], set[tuple[int, int]]]:
    """The sheet's values, merged cells carrying their value into every cell they cover, and
    the (row, column) of cells holding an error value."""
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    errors = {(cell.row, cell.column) for row in ws.iter_rows() for cell in row if cell.data_type == "e"}
    for rng in ws.merged_cells.ranges:
        top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(grid) else None
        for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = top
    return grid, errors


def _header_row(grid: list[list]) -> tuple[str | None, int]:
    """The extract and the row index of the header: among the first few rows, the one that
    names most columns of one extract (the last of equals)."""
    best = (0, None, 0)
    for idx, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        table, score, _ = _match_table([norm_header(_xlsx_cell(v)) for v in row])
        if table and score >= best[0]:
            best = (score, table, idx)
    return best[1], best[2]


def _read_sheet(ws, fws, label: str) -> Read | None:
    """A sheet's header and rows, or None when no row of it names an extract's columns."""
    grid, errors = _grid(ws)
    table, hidx = _header_row(grid)
    if not table:
        return None
    header = [norm_header(_xlsx_cell(v)) for v in grid[hidx]]
    while header and not header[-1]:
        header.pop()
    problems, rows = [], []
    for ridx in range(hidx + 1, len(grid)):
        cells = [clean(_xlsx_cell(v)) for v in grid[ridx]]
        if any(cells):
            problems += _formula_problems(grid[ridx], ridx + 1, header, fws, errors, label)
            rows.append((ridx + 1, cells))
    return Read(header, rows, hidx + 1, table, ws.title, None, None, problems)


def _formula_problems(raw_row: list, line: int, header: list[str], fws, errors: set, label: str) -> list[Problem]:
    """A formula without a cached value, or whose value is an error, in one row."""
    from openpyxl.utils import get_column_letter

    problems = []
    for cidx, raw in enumerate(raw_row):
        col = header[cidx] if cidx < len(header) and header[cidx] else get_column_letter(cidx + 1)
        formula = fws.cell(row=line, column=cidx + 1)
        is_formula = formula.data_type == "f"
        if is_formula and raw is None:
            problems.append(
                Problem(label, line, col, str(formula.value), "formula_no_value", {"cell": formula.coordinate})
            )
        elif (line, cidx + 1) in errors or (is_formula and isinstance(raw, str) and raw in _XLSX_ERRORS):
            problems.append(Problem(label, line, col, str(raw), "formula_error", {"cell": formula.coordinate}))
    return problems


def too_large(label: str, size: int) -> Problem:
    """The problem of a file (or an XLSX once unzipped) over its limit, in MB."""
    args = {"size_mb": f"{size / 1024 / 1024:.1f}", "limit_mb": f"{MAX_BYTES / 1024 / 1024:.0f}"}
    return Problem.whole(label, "too_large", args)


def read_upload(data: bytes, label: str) -> Read:
    if len(data) > MAX_BYTES:
        raise Refuse(too_large(label, len(data)))
    if not data.strip():
        raise Refuse(Problem.whole(label, "empty_file"))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, label)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refuse(Problem.whole(label, "xls_not_supported"))
    read = _read_text(data, label)
    if read.table is None and not read.problems:
        raise Refuse(
            Problem(
                label,
                read.header_line,
                None,
                None,
                "unknown_extract",
                _columns_arg(read.header),
            )
        )
    return read


def _columns_arg(header: list[str]) -> dict:
    shown = ", ".join(h for h in header if h)[:300]
    return {"columns": shown or "—"}
