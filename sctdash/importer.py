"""Validated imports of new extracts: one code path for the upload on the data page and the command line.

    python -m sctdash.importer FILE [--dry-run] [--lang vi|en]
    python -m sctdash.importer --restore TABLE [--version STAMP]
    python -m sctdash.importer --history TABLE
    python -m sctdash.importer --hash-password [--user NAME]   (sctdash.signin's hash, for secrets.toml)

What a file goes through, in order:

1. Size: a file over MAX_BYTES (10 MB) is refused from its size alone, before it is read.
2. Reading: an XLSX (recognised by its content, not its name) is read with openpyxl's cached
   values (data_only); a formula without a cached value, or with an error value, is refused.
   Merged cells carry their value into every cell they cover. Each sheet whose header row
   names the columns of an extract is a candidate; exactly one must be. Anything else is
   text: UTF-8 (with or without BOM), UTF-16/32 by BOM, else Windows-1258 or cp1252 when the
   decoded text is plausible (no stray combining marks or control characters), otherwise it is
   refused; never stored as mojibake. The separator (`,` `;` or tab) is sniffed from the header.
3. Cleaning: every cell is NFC-normalised and stripped; blank lines are skipped; header names
   are matched case-insensitively; numeric columns (by the schema's types) accept decimal
   commas (`5,03`), dot or space thousands (`2.801,7`); date columns accept d/m/yyyy.
   Cells beginning with = + - @ in text columns are kept as given: they are data.
4. Recognition: the extract (a table of db.TABLES) is the one whose columns the header names,
   whatever the file is called. A template of sctdash.templates is read as it is: its guide and
   lists sheets are left out; its example row left as it is is skipped, the preview says so
   (also once the data sheet is saved as CSV); a row that keeps the example's "Ví dụ…" words
   but was changed elsewhere is refused; an area in the drop-down's "name — code" form (in any
   file) becomes its code.
5. Checking, in a staging DuckDB database holding the current extracts: every rule of
   queries/_schema.sql (validate.validate), whole numbers in integer columns, indicators'
   min_value/max_value for observations, duplicates within the file; then each row against the
   current rows by primary key (same values: unchanged; changed values: an update, with old and
   new values; new key: an addition). The merged extract is written to a scratch file and loaded
   with the other extracts in a second staging database, so the bytes that will be written are
   the bytes that were checked. The importer never deletes rows; columns the file leaves out keep
   their current values in updated rows.
6. Applying (under a file lock in the cache dir, so two imports never interleave): the data is
   re-fingerprinted to make sure nothing changed since the check, the current file is kept as
   data/history/<table>-<YYYYmmdd-HHMMSS>.csv, and the new one replaces it atomically (scratch
   file beside it, fsync, os.replace). Readers see the old file or the new one, never a mix.
7. Logging: before apply or restore returns, an entry is appended to the change log
   (sctdash.changelog, data/history/changelog.jsonl) and fsynced: who (the editor on the data
   page, or the system user on the command line), the file and its SHA-256, the rows added,
   changed (old → new) and removed, the version kept. If it cannot be written, the write is
   undone and the import refused. Refused files are logged too, with their problems.

Every problem is a validate.Problem; texts come from text.toml and text_import.toml.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import getpass
import hashlib
import io
import os
import re
import sys
import tempfile
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from datetime import time as dtime
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from sctdash import changelog, db, i18n, paths, signin, templates
from sctdash.files import atomic_write, file_lock
from sctdash.validate import Problem, TableSchema, ident, table_schema, validate

MAX_BYTES = 10 * 1024 * 1024  # refused above this, from the file's size alone
MAX_XLSX_UNPACKED = 100 * 1024 * 1024  # the sum of an XLSX's members once unzipped (zip bombs)
HEADER_SEARCH_ROWS = 20  # an XLSX header may sit below a few title rows
LOCK_TIMEOUT = 30.0
HISTORY_DIR = "history"

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_STAMP = re.compile(r"\d{8}-\d{6}(-\d{1,4})?")
_INT_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
}
_FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}
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


# -- texts ---------------------------------------------------------------------------------


def text(key: str, lang: str = i18n.DEFAULT_LANG, **kwargs) -> str:
    """A text of the catalogue (text.toml and text_import.toml, read by sctdash.i18n)."""
    return i18n.t(key, lang, **kwargs)


def problem_message(problem: Problem, lang: str = i18n.DEFAULT_LANG) -> str:
    """The message of a problem, with its suggestion where there is one (as Problem.message)."""
    return i18n.problem_message(problem, lang)


# -- the schema ------------------------------------------------------------------------------


@cache
def _schema_sql() -> str:
    return (paths.QUERIES_DIR / "_schema.sql").read_text(encoding="utf-8")


@cache
def schemas() -> dict[str, TableSchema]:
    con = duckdb.connect(":memory:")
    try:
        con.execute(_schema_sql())
        return {t: table_schema(con, t) for t in db.TABLES}
    finally:
        con.close()


@cache
def _default_texts(table: str) -> dict[str, str]:
    """Each column default of `table` as the text a CSV would hold (e.g. variant → '')."""
    schema = schemas()[table]
    out = {}
    con = duckdb.connect(":memory:")
    try:
        for (
            col,
            expr,
        ) in schema.defaults.items():  # expressions from our own schema file
            value = con.execute(f"select cast({expr} as varchar)").fetchone()[0]
            out[col] = "" if value is None else value
    finally:
        con.close()
    return out


def _all_columns() -> set[str]:
    return {c for s in schemas().values() for c in s.column_names}


def _is_numeric(dtype: str) -> bool:
    return dtype in _INT_TYPES or dtype in _FLOAT_TYPES or dtype.startswith("DECIMAL")


# -- results ---------------------------------------------------------------------------------


class ImportRefused(Exception):
    """Raised by apply/restore when nothing could be written; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Addition:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Change:
    line: int
    key: dict[str, str]
    old: dict[str, str]  # the changed columns only
    new: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    status: str  # "applied", "unchanged" or "restored"
    table: str
    history: Path | None = None
    version: str | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    entry: int | None = None  # the change log's entry for it (sctdash.changelog)


@dataclass
class Preview:
    """What a file would do: problems (then it is refused), or the rows it adds and changes."""

    label: str
    table: str | None = None
    problems: list[Problem] = field(default_factory=list)
    added: list[Addition] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0  # current rows the file does not mention (never deleted)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    example_lines: list[int] = field(default_factory=list)  # a template's example row, skipped
    data_dir: Path | None = None
    merged: bytes | None = field(default=None, repr=False)
    base: str | None = field(default=None, repr=False)  # digest of every extract at check time
    sha256: str | None = None  # of the file's bytes, for the change log (None: refused unread)
    size: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def nothing_to_change(self) -> bool:
        return self.ok and not self.added and not self.changed

    def apply(self, actor: changelog.Actor | None = None) -> Outcome:
        return apply(self, actor)

    def messages(self, lang: str = i18n.DEFAULT_LANG) -> list[str]:
        return [problem_message(p, lang) for p in self.problems]

    def summary(self, lang: str = i18n.DEFAULT_LANG) -> str:
        """“N rows added, M changed, …”, as the command line and the data page say it."""
        return text(
            "import.summary",
            lang,
            added=len(self.added),
            changed=len(self.changed),
            unchanged=self.unchanged,
            kept=self.kept,
        )

    def problem_rows(self, lang: str = i18n.DEFAULT_LANG) -> list[dict]:
        """The problems as plain rows for a table: file, line, column, value, message."""
        return [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "value": p.value,
                "message": problem_message(p, lang).split(": ", 1)[-1],
            }
            for p in self.problems
        ]

    def change_rows(self) -> list[dict]:
        """One row per changed cell: line, key, column, old, new."""
        return [
            {
                "line": c.line,
                "key": ", ".join(c.key.values()),
                "column": col,
                "old": c.old[col],
                "new": c.new[col],
            }
            for c in self.changed
            for col in c.new
        ]


# -- reading ---------------------------------------------------------------------------------


@dataclass
class _Read:
    header: list[str]  # normalised names, "" for an unnamed column
    rows: list[tuple[int, list[str]]]
    header_line: int
    table: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    problems: list[Problem] = field(default_factory=list)
    legacy: bool = False  # from a one-byte code page (or plain ASCII): a ? may stand for a lost letter
    mark: templates.Mark | None = None  # the file is a dashboard template


class _Refuse(Exception):
    def __init__(self, *problems: Problem):
        super().__init__(problems[0].code if problems else "")
        self.problems = list(problems)


def _clean(value: str) -> str:
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
    return value.strip(_STRIP)


def _norm_header(name: str) -> str:
    name = _clean(name).strip("\"'").lower()
    return re.sub(r"[\s\-]+", "_", name)


def _fold(value: str) -> str:
    """Lower case, no diacritics, single spaces: for suggestions only."""
    value = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(value.casefold().split())


def _label(name: str) -> str:
    """A file's name for messages: its last path component, printable characters only."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:200] or "?"


def _match_table(names: list[str]) -> tuple[str | None, int, list[str]]:
    """The extract whose columns these header names are: (table, columns matched, ties)."""
    known = {n for n in names if n}
    ranked = []
    for table, schema in schemas().items():
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
                raise _Refuse(
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
        raise _Refuse(Problem(label, None, None, None, "binary_file"))
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
        raise _Refuse(Problem(label, None, None, None, "unknown_encoding", {"offset": utf8_error}))
    return best[1], best[2], True


def _is_control(ch: str) -> bool:
    return ch not in "\t\n\r" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")


def _sniff(first_line: str) -> str:
    known = _all_columns()
    best = (-1, 0, ",")
    for delim in (",", ";", "\t"):
        try:
            cells = next(csv.reader([first_line], delimiter=delim))
        except (csv.Error, StopIteration):
            continue
        score = sum(1 for c in cells if _norm_header(c) in known)
        if (score, len(cells)) > best[:2]:
            best = (score, len(cells), delim)
    return best[2]


def _read_text(data: bytes, label: str) -> _Read:
    text_, encoding, legacy = _decode(data, label)
    text_ = text_.lstrip("\ufeff")
    for lineno, line in enumerate(text_.splitlines(), 1):
        if any(_is_control(ch) for ch in line):
            raise _Refuse(Problem(label, lineno, None, None, "binary_file"))
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
        raise _Refuse(Problem(label, None, None, None, "empty_file"))
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
            if not any(_clean(c) for c in rec):
                continue
            if header is None:
                header, header_line = [_norm_header(c) for c in rec], line
            else:
                rows.append((line, [_clean(c) for c in rec]))
    except csv.Error as exc:
        raise _Refuse(
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
        raise _Refuse(Problem(label, None, None, None, "empty_file"))
    table, _, ties = _match_table(header)
    return _Read(
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


def _read_xlsx(data: bytes, label: str) -> _Read:
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _Refuse(Problem(label, None, None, None, "bad_xlsx", {"reason": str(exc)})) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise _Refuse(Problem(label, None, None, None, "too_large", _size_args(unpacked)))
    try:
        values_wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas_wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        raise _Refuse(Problem(label, None, None, None, "bad_xlsx", {"reason": type(exc).__name__})) from None
    candidates = []
    names = []
    mark = templates.mark(values_wb)  # a dashboard template: its guide and lists are never data
    for ws in values_wb.worksheets:
        names.append(ws.title)
        if mark and ws.title in mark.sheets:
            continue
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        kinds = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "e":
                    kinds[(cell.row, cell.column)] = "e"
        for rng in ws.merged_cells.ranges:
            top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(grid) else None
            for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if c - 1 < len(grid[r - 1]):
                        grid[r - 1][c - 1] = top
        # the header: the row among the first few that names most columns of one extract
        best = (0, None, 0)
        for idx, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
            names_ = [_norm_header(_xlsx_cell(v)) for v in row]
            table, score, _ = _match_table(names_)
            if table and score >= best[0]:
                best = (score, table, idx)
        if not best[1]:
            continue
        _, table, hidx = best
        header = [_norm_header(_xlsx_cell(v)) for v in grid[hidx]]
        while header and not header[-1]:
            header.pop()
        problems = []
        fws = formulas_wb[ws.title]
        rows = []
        for ridx in range(hidx + 1, len(grid)):
            cells = [_clean(_xlsx_cell(v)) for v in grid[ridx]]
            if not any(cells):
                continue
            line = ridx + 1
            for cidx, raw in enumerate(grid[ridx]):
                col = header[cidx] if cidx < len(header) and header[cidx] else get_column_letter(cidx + 1)
                formula = fws.cell(row=line, column=cidx + 1)
                if formula.data_type == "f" and raw is None:
                    problems.append(
                        Problem(
                            label,
                            line,
                            col,
                            str(formula.value),
                            "formula_no_value",
                            {"cell": formula.coordinate},
                        )
                    )
                elif kinds.get((line, cidx + 1)) == "e" or (
                    formula.data_type == "f" and isinstance(raw, str) and raw in _XLSX_ERRORS
                ):
                    problems.append(
                        Problem(
                            label,
                            line,
                            col,
                            str(raw),
                            "formula_error",
                            {"cell": formula.coordinate},
                        )
                    )
            rows.append((line, cells))
        candidates.append(_Read(header, rows, hidx + 1, table, ws.title, None, None, problems))
    if not candidates:
        raise _Refuse(
            Problem(
                label,
                None,
                None,
                None,
                "no_sheet_matches",
                {"sheets": ", ".join(names)},
            )
        )
    if len(candidates) > 1:
        found = ", ".join(f"{c.sheet} ({c.table})" for c in candidates)
        raise _Refuse(Problem(label, None, None, None, "several_sheets", {"sheets": found}))
    candidates[0].mark = mark
    return candidates[0]


def _size_args(size: int) -> dict:
    return {
        "size_mb": f"{size / 1024 / 1024:.1f}",
        "limit_mb": f"{MAX_BYTES / 1024 / 1024:.0f}",
    }


def _read(data: bytes, label: str) -> _Read:
    if len(data) > MAX_BYTES:
        raise _Refuse(Problem(label, None, None, None, "too_large", _size_args(len(data))))
    if not data.strip():
        raise _Refuse(Problem(label, None, None, None, "empty_file"))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, label)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Refuse(Problem(label, None, None, None, "xls_not_supported"))
    read = _read_text(data, label)
    if read.table is None and not read.problems:
        raise _Refuse(
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


# -- cleaning cells by type ------------------------------------------------------------------


_THOUSANDS = {
    ".": re.compile(r"\d{1,3}(\.\d{3})+"),
    ",": re.compile(r"\d{1,3}(,\d{3})+"),
}


def _number(text_: str, decimal_comma: bool) -> tuple[str | None, bool]:
    """(canonical text with a dot decimal, ambiguous?) or (None, False) when not a number."""
    t = re.sub(r"(?<=\d)[ \u00a0\u202f\u2009'](?=\d{3}(\D|$))", "", text_).replace("\u2212", "-")
    if _NUMBER.fullmatch(t) and "," not in t and not (decimal_comma and _THOUSANDS["."].fullmatch(t.lstrip("+-"))):
        ambiguous = not decimal_comma and _THOUSANDS["."].fullmatch(t.lstrip("+-")) is not None
        return t.lstrip("+"), ambiguous
    m = re.fullmatch(r"([+-]?)(\d[\d.,]*)", t)
    if not m:
        return None, False
    sign, body = m.groups()
    if "," in body and "." in body:
        thousands, dec = (".", ",") if body.rfind(",") > body.rfind(".") else (",", ".")
    elif "," in body:
        thousands, dec = (",", None) if body.count(",") > 1 else (None, ",")
    else:
        thousands, dec = (".", None)  # several dots, or one dot in a decimal-comma file
    whole, _, frac = body.rpartition(dec) if dec else (body, "", "")
    if not dec:
        whole, frac = body, ""
    if thousands and thousands in whole and not _THOUSANDS[thousands].fullmatch(whole):
        return None, False
    if dec and (not frac.isdigit() or not whole):
        return None, False
    whole = whole.replace(thousands, "") if thousands else whole
    if not whole.isdigit():
        return None, False
    return (("-" if sign == "-" else "") + whole + ("." + frac if frac else "")), False


def _date(text_: str) -> str | None:
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text_)
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    except ValueError:
        return None


def _clean_types(read: _Read, schema: TableSchema, columns: dict[str, int], label: str) -> list[Problem]:
    """Rewrite numeric and date cells to the schema's notation; problems for what cannot be."""
    types = dict(schema.columns)
    numeric = [c for c in columns if _is_numeric(types[c])]
    decimal_comma = any(
        re.search(r"\d,\d", cells[columns[c]]) and not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+\.\d+", cells[columns[c]])
        for _, cells in read.rows
        for c in numeric
        if columns[c] < len(cells)
    )
    problems = []
    for line, cells in read.rows:
        for col, idx in columns.items():
            if idx >= len(cells) or not cells[idx]:
                continue
            dtype = types[col]
            if _is_numeric(dtype):
                canon, ambiguous = _number(cells[idx], decimal_comma)
                if ambiguous and read.delimiter == ";":
                    problems.append(Problem(label, line, col, cells[idx], "ambiguous_number"))
                    continue
                if canon is None:
                    continue  # validate reports it with the value as written
                if dtype in _INT_TYPES:
                    try:
                        f = float(canon)
                    except ValueError:
                        continue
                    if not f.is_integer():
                        problems.append(
                            Problem(
                                label,
                                line,
                                col,
                                cells[idx],
                                "bad_type",
                                {"type": dtype},
                            )
                        )
                        continue
                    canon = str(int(f)) if "e" not in canon.lower() else canon
                cells[idx] = canon
            elif dtype == "DATE":
                iso = _date(cells[idx])
                if iso:
                    cells[idx] = iso
    return problems


def _text_problems(read: _Read, schema: TableSchema, columns: dict[str, int], label: str) -> list[Problem]:
    """Characters lost or garbled on the way: mojibake, and ? for letters a code page lacked."""
    problems = []
    for line, cells in read.rows:
        for col, idx in columns.items():
            if idx >= len(cells):
                continue
            value = cells[idx]
            if not value.isascii():
                fixed = _unmojibake(value)
                if fixed:
                    problems.append(Problem(label, line, col, value, "mojibake", {"fixed": fixed}))
                    continue
            if read.legacy and re.search(r"\w\?\w", value) and "://" not in value:
                problems.append(
                    Problem(
                        label,
                        line,
                        col,
                        value,
                        "lost_characters",
                        {"encoding": read.encoding},
                    )
                )
    return problems


def _unmojibake(value: str) -> str | None:
    for enc in ("cp1252", "cp1258", "latin-1"):
        try:
            fixed = value.encode(enc).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != value:
            return unicodedata.normalize("NFC", fixed)
    return None


# -- staging ---------------------------------------------------------------------------------


def _staging(data_dir: Path, replace_table: str | None = None, replace_path: Path | None = None):
    """A fresh in-memory database with every extract loaded; problems per table."""
    con = duckdb.connect(":memory:")
    con.execute(_schema_sql())
    problems = {}
    for table in db.TABLES:
        path = replace_path if table == replace_table else data_dir / f"{table}.csv"
        if not path.exists():
            problems[table] = []
            continue
        found = db.load_table(con, table, path, label=f"{table}.csv")
        if found:
            problems[table] = found
    return con, problems


def _digest(data_dir: Path) -> str:
    h = hashlib.sha256()
    for table in db.TABLES:
        path = data_dir / f"{table}.csv"
        try:
            h.update(table.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        except FileNotFoundError:
            h.update(table.encode() + b"\0missing")
    return h.hexdigest()


def _typed(dtype: str, value: str):
    """A cell's value for comparing old and new: 4 equals 4.0, '' equals NULL."""
    if value == "":
        return None
    try:
        if dtype in _INT_TYPES:
            return int(float(value)) if float(value).is_integer() else float(value)
        if _is_numeric(dtype):
            return float(value)
    except ValueError:
        return value
    return unicodedata.normalize("NFC", value)


def _suggest(problem: Problem, con, schema: TableSchema) -> Problem:
    value = problem.value
    if not value:
        return problem
    suggestion = None
    if problem.code == "unknown_reference":
        ref, ref_col = problem.args.get("ref_table"), problem.args.get("ref_column")
        if ref == "districts":
            rows = con.execute("select area_code, name_vi, name_ascii from districts order by area_code").fetchall()
            folded = _fold(value)
            exact = [f"{c} ({n})" for c, n, a in rows if folded in (_fold(n), _fold(a))]
            if exact:
                suggestion = " / ".join(exact)
            else:
                names = {_fold(n): n for _, n, _ in rows} | {_fold(a): n for _, n, a in rows}
                close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.7)
                codes = difflib.get_close_matches(value, [c for c, _, _ in rows], n=1, cutoff=0.8)
                if close:
                    name = names[close[0]]
                    suggestion = " / ".join(f"{c} ({n})" for c, n, _ in rows if n == name)
                elif codes:
                    suggestion = " / ".join(f"{c} ({n})" for c, n, _ in rows if c == codes[0])
        elif ref in db.TABLES and ref_col:
            ids = [r[0] for r in con.execute(f"select {ident(ref_col)} from {ident(ref)}").fetchall() if r[0]]
            close = difflib.get_close_matches(value, ids, n=1, cutoff=0.6) or difflib.get_close_matches(
                _fold(value).replace(" ", "_"), ids, n=1, cutoff=0.6
            )
            suggestion = close[0] if close else None
    elif problem.code == "check_failed":
        m = re.fullmatch(r"\(+\"?(\w+)\"? IN \((.*)\)\)+", problem.args.get("rule", ""))
        if m:
            allowed = [v.strip().strip("'") for v in m.group(2).split(",")]
            close = difflib.get_close_matches(_fold(value), allowed, n=1, cutoff=0.6)
            suggestion = close[0] if close else None
    if suggestion and suggestion != value:
        return replace(problem, args={**problem.args, "suggestion": suggestion})
    return problem


def _range_problems(con, table: str, label: str, rows: list[tuple[int, dict[str, str]]]) -> list[Problem]:
    if table != "observations":
        return []
    frame_rows = []
    for line, values in rows:
        try:
            frame_rows.append((line, values.get("indicator_id", ""), float(values.get("value", ""))))
        except ValueError:
            continue
    if not frame_rows:
        return []
    frame = pd.DataFrame(frame_rows, columns=["line", "indicator_id", "value"])
    con.register("_incoming_range", frame)
    try:
        bad = con.execute(
            "select f.line, f.value, i.min_value, i.max_value, i.indicator_id "
            "from _incoming_range as f inner join indicators as i on f.indicator_id = i.indicator_id "
            "where f.value < i.min_value or f.value > i.max_value order by f.line"
        ).fetchall()
    finally:
        con.unregister("_incoming_range")
    return [
        Problem(
            label,
            line,
            "value",
            dict(rows)[line].get("value") or _shown(value),
            "out_of_range",
            {"min": _shown(lo), "max": _shown(hi), "indicator": ind},
        )
        for line, value, lo, hi, ind in bad
    ]


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _range_violations(con) -> dict[str, int]:
    return dict(
        con.execute(
            "select o.indicator_id, count(*) from observations as o "
            "inner join indicators as i on o.indicator_id = i.indicator_id "
            "where o.value < i.min_value or o.value > i.max_value group by o.indicator_id"
        ).fetchall()
    )


def _read_current(path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        records = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    return (records[0], records[1:]) if records else ([], [])


def _csv_bytes(columns: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# -- checking --------------------------------------------------------------------------------


def check_file(path: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> Preview:
    """Check a file on disk; its size is looked at before anything is read."""
    path = Path(path)
    label = _label(path.name)
    try:
        size = path.stat().st_size
    except OSError:
        return Preview(label, problems=[Problem(label, None, None, None, "missing_file")])
    if size > MAX_BYTES:
        return Preview(
            label,
            problems=[Problem(label, None, None, None, "too_large", _size_args(size))],
            size=size,
        )
    if not path.is_file():
        return Preview(label, problems=[Problem(label, None, None, None, "missing_file")])
    with path.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    return check_bytes(label, data, data_dir)


def check_bytes(name: str, data: bytes, data_dir: str | os.PathLike | None = None) -> Preview:
    """Check the bytes of an upload (or a file) named `name` against the current extracts."""
    label = _label(name)
    data_dir = Path(data_dir or paths.data_dir())
    preview = Preview(label, data_dir=data_dir, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    try:
        read = _read(data, label)
    except _Refuse as refused:
        preview.problems = refused.problems
        return preview
    preview.table, preview.sheet, preview.encoding, preview.delimiter = (
        read.table,
        read.sheet,
        read.encoding,
        read.delimiter,
    )
    if read.table is None:
        preview.problems = read.problems
        return preview
    read.rows, preview.example_lines, found = templates.split_example(
        read.table, read.mark, read.header, read.rows, label
    )
    read.problems += found
    _check(read, label, data_dir, preview)
    return preview


def _check(read: _Read, label: str, data_dir: Path, preview: Preview) -> None:
    table = read.table
    schema = schemas()[table]
    problems = list(read.problems)
    # -- the header
    columns: dict[str, int] = {}
    extra: list[int] = []
    for idx, name in enumerate(read.header):
        if not name:
            extra.append(idx)
            continue
        if name in columns:
            problems.append(Problem(label, read.header_line, name, None, "duplicate_column"))
        elif name in schema.column_names:
            columns[name] = idx
        else:
            close = difflib.get_close_matches(name, schema.column_names, n=1, cutoff=0.6)
            args = {"suggestion": close[0]} if close and close[0] not in read.header else {}
            problems.append(Problem(label, read.header_line, name, None, "unknown_column", args))
    for idx in extra:
        if any(idx < len(cells) and cells[idx] for _, cells in read.rows):
            problems.append(Problem(label, read.header_line, f"#{idx + 1}", None, "unnamed_column"))
    missing = [c for c in schema.column_names if c not in columns and c in schema.not_null and c not in schema.defaults]
    problems += [Problem(label, read.header_line, c, None, "missing_column") for c in missing]
    if missing:
        preview.problems = problems
        return
    if not read.rows:
        preview.problems = problems + [Problem(label, None, None, None, "no_rows")]
        return
    # -- the cells
    width = len(read.header)
    rows = []
    for line, cells in read.rows:
        while len(cells) > width and not cells[-1]:
            cells.pop()  # trailing separators
        if len(cells) < width and read.sheet is not None:
            cells += [""] * (width - len(cells))  # a sheet row ends at its last filled cell
        if len(cells) != width:
            problems.append(
                Problem(
                    label,
                    line,
                    None,
                    None,
                    "wrong_cell_count",
                    {"found": len(cells), "expected": width},
                )
            )
            continue
        rows.append((line, cells))
    read.rows = rows
    problems += _clean_types(read, schema, columns, label)
    problems += _text_problems(read, schema, columns, label)
    present = [c for c in schema.column_names if c in columns]
    ordered = [(line, [cells[columns[c]] for c in present]) for line, cells in rows]
    con, current_problems = _staging(data_dir)
    try:
        if current_problems.get(table):
            problems += current_problems[table]
        problems += templates.area_choices(con, schema, label, present, ordered)  # "Ba Tơ — 535" → 535
        found = validate(con, table, label, present, ordered)
        explained = ("formula_no_value", "formula_error", "area_choice_unknown", "area_choice_mismatch")
        formulas = {(x.line, x.column) for x in problems if x.code in explained}
        found = [x for x in found if (x.line, x.column) not in formulas]
        problems += [_suggest(p, con, schema) for p in found]
        as_dicts = [(line, dict(zip(present, cells, strict=True))) for line, cells in ordered]
        problems += _range_problems(con, table, label, as_dicts)
        baseline = _range_violations(con)
    finally:
        con.close()
    if problems:
        preview.problems = _sorted(problems)
        return
    _diff(
        preview,
        table,
        schema,
        present,
        as_dicts,
        data_dir,
        label,
        baseline,
        current_problems,
    )


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line or 0, p.column or "", p.code))


def _diff(preview, table, schema, present, rows, data_dir: Path, label: str, baseline, before) -> None:
    types = dict(schema.columns)
    defaults = _default_texts(table)
    target = data_dir / f"{table}.csv"
    base = _digest(data_dir)
    cur_header, cur_rows = _read_current(target)
    columns = schema.column_names
    index = {c: i for i, c in enumerate(cur_header)}
    current = [[row[index[c]] if c in index and index[c] < len(row) else "" for c in columns] for row in cur_rows]
    pk = schema.primary_key or columns

    def key_of(values: dict[str, str]):
        return tuple(_typed(types[c], values.get(c) or defaults.get(c, "")) for c in pk)

    by_key = {key_of(dict(zip(columns, row, strict=True))): i for i, row in enumerate(current)}
    merged = [list(r) for r in current]
    touched = set()
    for line, values in rows:
        k = key_of(values)
        if k in by_key:
            i = by_key[k]
            touched.add(i)
            old = dict(zip(columns, current[i], strict=True))
            diff_cols = [c for c in present if _typed(types[c], values[c]) != _typed(types[c], old[c])]
            if not diff_cols:
                preview.unchanged += 1
                continue
            for c in diff_cols:
                merged[i][columns.index(c)] = values[c]
            preview.changed.append(
                Change(
                    line,
                    {c: old[c] for c in pk},
                    {c: old[c] for c in diff_cols},
                    {c: values[c] for c in diff_cols},
                )
            )
        else:
            new_row = [values.get(c, "") if c in values else defaults.get(c, "") for c in columns]
            new_row = [v if v or c not in defaults else defaults[c] for v, c in zip(new_row, columns, strict=True)]
            merged.append(new_row)
            preview.added.append(Addition(line, dict(zip(columns, new_row, strict=True))))
    preview.kept = len(current) - len(touched)
    if not preview.added and not preview.changed:
        preview.base = base
        return
    merged_bytes = _csv_bytes(columns, merged)
    # the bytes to be written, loaded with every other extract
    with tempfile.TemporaryDirectory(prefix="sct-import-") as tmp:
        scratch = Path(tmp) / f"{table}.csv"
        scratch.write_bytes(merged_bytes)
        con, after = _staging(data_dir, table, scratch)
        try:
            problems = list(after.get(table, []))
            for other, found in after.items():
                if other != table and len(found) > len(before.get(other, [])):
                    problems += found
            violations = _range_violations(con)
        finally:
            con.close()
    for ind, count in violations.items():
        if count > baseline.get(ind, 0):
            line = next((ln for (ln, v) in rows if v.get("indicator_id") == ind), None)
            problems.append(
                Problem(
                    label,
                    line,
                    "min_value",
                    ind,
                    "range_excludes_existing",
                    {"count": count},
                )
            )
    if problems:
        preview.problems = _sorted(problems)
        preview.added, preview.changed, preview.unchanged = [], [], 0
        return
    preview.merged, preview.base = merged_bytes, base


# -- writing ---------------------------------------------------------------------------------


@contextmanager
def import_lock(timeout: float = LOCK_TIMEOUT, cache_dir: str | os.PathLike | None = None):
    """An exclusive lock on <cache>/import.lock, held while an import or restore writes."""
    folder = Path(cache_dir or paths.cache_dir())
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "import.lock", "a+b") as fh:
        busy = [Problem("import.lock", None, None, None, "busy")]
        with file_lock(fh, timeout, lambda: ImportRefused(busy)):
            yield


def _history_dir(data_dir: Path) -> Path:
    return data_dir / HISTORY_DIR


def history_versions(table: str, data_dir: str | os.PathLike | None = None) -> list[str]:
    """The stamps of the kept versions of `table`, oldest first."""
    _known_table(table)
    folder = _history_dir(Path(data_dir or paths.data_dir()))
    stamps = []
    for p in folder.glob(f"{table}-*.csv"):
        stamp = p.name[len(table) + 1 : -4]
        if _STAMP.fullmatch(stamp):
            stamps.append(stamp)
    return sorted(stamps, key=_stamp_order)


def _stamp_order(stamp: str) -> tuple[str, str, int]:
    parts = stamp.split("-")
    return (parts[0], parts[1], int(parts[2]) if len(parts) > 2 else 0)


def _known_table(table: str) -> None:
    if table not in db.TABLES:
        raise ImportRefused(
            [
                Problem(
                    "data",
                    None,
                    None,
                    "".join(ch for ch in str(table) if ch.isprintable())[:100],
                    "unknown_table",
                    {"tables": ", ".join(db.TABLES)},
                )
            ]
        )


def _save_history(table: str, data_dir: Path, data: bytes) -> Path:
    folder = _history_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path, n = folder / f"{table}-{stamp}.csv", 0
    while path.exists():
        n += 1
        path = folder / f"{table}-{stamp}-{n}.csv"
    atomic_write(path, data)
    return path


def apply(preview: Preview, actor: changelog.Actor | None = None) -> Outcome:
    """Write what `preview` showed, keeping the previous version; refuse if anything changed since.

    The change is logged (sctdash.changelog) as `actor`, the command line's user by default,
    before this returns; if the entry cannot be written the previous bytes are put back and the
    import is refused, so no change goes unlogged. A refusal found here (the data changed since
    the check, another import holding the lock) is logged too; a preview's own problems are the
    caller's to log (log_refused), since the caller shows them."""
    if preview.problems:
        raise ImportRefused(preview.problems)
    table = preview.table
    if table is None:
        raise ImportRefused([Problem(preview.label, None, None, None, "unknown_extract", {"columns": "—"})])
    if preview.nothing_to_change:
        return Outcome("unchanged", table)
    actor = actor or changelog.command_line()
    data_dir = Path(preview.data_dir or paths.data_dir())
    try:
        with import_lock():
            if _digest(data_dir) != preview.base:
                raise ImportRefused([Problem(preview.label, None, None, None, "changed_since_check")])
            target = data_dir / f"{table}.csv"
            before = target.read_bytes() if target.exists() else None
            history = _save_history(table, data_dir, before) if before is not None else None
            atomic_write(target, preview.merged)
            entry = _log_or_undo(
                target,
                before,
                preview.label,
                {
                    **actor.fields(),
                    "action": "import",
                    "result": "applied",
                    "table": table,
                    "file": _file_fields(preview),
                    "rows": _preview_rows(preview),
                    "history": history.name if history else None,
                    "before_sha256": _sha(before),
                    "after_sha256": _sha(preview.merged),
                },
                data_dir,
            )
    except ImportRefused as refused:
        if not any(p.code == "log_unavailable" for p in refused.problems):
            _log_refusal(actor, "import", table, _file_fields(preview), refused.problems, data_dir)
        raise
    return Outcome(
        "applied",
        table,
        history,
        added=len(preview.added),
        changed=len(preview.changed),
        entry=entry["seq"],
    )


def log_refused(preview: Preview, actor: changelog.Actor | None = None) -> int | None:
    """Log a file refused at its check, with its problems; the entry's number, or None when the
    log cannot be written (the refusal stands either way)."""
    data_dir = Path(preview.data_dir or paths.data_dir())
    entry = _log_refusal(
        actor or changelog.command_line(), "import", preview.table, _file_fields(preview), preview.problems, data_dir
    )
    return entry["seq"] if entry else None


def restore(
    table: str,
    version: str | None = None,
    data_dir: str | os.PathLike | None = None,
    actor: changelog.Actor | None = None,
) -> Outcome:
    """Put back a kept version of `table` (the latest that differs from the current one by default).

    The current file is kept in the history first, so a restore can itself be undone. The
    restore is logged as `actor` (the command line's user by default) with the rows it adds,
    changes and removes; a refused restore is logged with its problems."""
    actor = actor or changelog.command_line()
    data_dir = Path(data_dir or paths.data_dir())
    try:
        return _restore(table, version, data_dir, actor)
    except ImportRefused as refused:
        if not any(p.code == "log_unavailable" for p in refused.problems):
            known = table if table in db.TABLES else None
            shown = _label(version) if version else None
            _log_refusal(actor, "restore", known, None, refused.problems, data_dir, version=shown)
        raise


def _restore(table: str, version: str | None, data_dir: Path, actor: changelog.Actor) -> Outcome:
    _known_table(table)
    label = f"{table}.csv"
    if version is not None and not _STAMP.fullmatch(version):
        raise ImportRefused([Problem(label, None, None, _label(version), "unknown_version")])
    with import_lock():
        target = data_dir / label
        current = target.read_bytes() if target.exists() else None
        stamps = history_versions(table, data_dir)
        if version is None:
            stamps = [s for s in stamps if (_history_dir(data_dir) / f"{table}-{s}.csv").read_bytes() != current]
            if not stamps:
                raise ImportRefused([Problem(label, None, None, None, "no_history")])
            version = stamps[-1]
        elif version not in stamps:
            raise ImportRefused([Problem(label, None, None, version, "unknown_version")])
        source = _history_dir(data_dir) / f"{table}-{version}.csv"
        data = source.read_bytes()
        con, problems = _staging(data_dir, table, source)
        con.close()
        if problems.get(table):
            raise ImportRefused(problems[table])
        if data == current:
            return Outcome("unchanged", table, version=version)
        rows = version_rows(table, current, data)
        history = _save_history(table, data_dir, current) if current is not None else None
        atomic_write(target, data)
        entry = _log_or_undo(
            target,
            current,
            label,
            {
                **actor.fields(),
                "action": "restore",
                "result": "restored",
                "table": table,
                "file": {"name": source.name, "sha256": _sha(data), "bytes": len(data)},
                "rows": rows,
                "history": history.name if history else None,
                "version": version,
                "before_sha256": _sha(current),
                "after_sha256": _sha(data),
            },
            data_dir,
        )
    added, changed, removed = (len(rows[k]) for k in ("added", "changed", "removed"))
    return Outcome("restored", table, history, version, added, changed, removed, entry["seq"])


# -- the change log's entries ------------------------------------------------------------------


def _sha(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _file_fields(preview: Preview) -> dict:
    return {"name": preview.label, "sha256": preview.sha256, "bytes": preview.size}


def _preview_rows(preview: Preview) -> dict:
    """The rows an import adds and changes, by primary key; it never removes any."""
    schema = schemas()[preview.table]
    pk = schema.primary_key or schema.column_names
    return {
        "added": [{"key": {c: a.values.get(c, "") for c in pk}, "line": a.line} for a in preview.added],
        "changed": [{"key": c.key, "line": c.line, "old": c.old, "new": c.new} for c in preview.changed],
        "removed": [],
    }


def _log_or_undo(target: Path, before: bytes | None, label: str, fields: dict, data_dir: Path) -> dict:
    """Append the entry of a write just made; if it cannot be, undo the write and refuse."""
    try:
        return changelog.append(fields, data_dir)
    except changelog.LogUnavailable as exc:
        if before is None:
            target.unlink(missing_ok=True)
        else:
            atomic_write(target, before)
        raise ImportRefused([Problem(label, None, None, None, "log_unavailable", {"reason": str(exc)})]) from exc


def _log_refusal(actor, action, table, file, problems, data_dir: Path, version: str | None = None) -> dict | None:
    kept = [
        {"line": p.line, "column": p.column, "value": p.value, "code": p.code, "args": dict(p.args)}
        for p in problems[: changelog.MAX_PROBLEMS]
    ]
    try:
        return changelog.append(
            {
                **actor.fields(),
                "action": action,
                "result": "refused",
                "table": table,
                "file": file,
                "version": version,
                "problems": kept,
                "problems_total": len(problems),
            },
            data_dir,
        )
    except changelog.LogUnavailable:
        return None


def version_rows(table: str, old: bytes | None, new: bytes) -> dict:
    """The rows that going from `old` to `new` (two versions of `table`) adds, changes and removes,
    by primary key, with each changed column's old and new text."""
    schema = schemas()[table]
    types = dict(schema.columns)
    columns = schema.column_names
    pk = schema.primary_key or columns

    def rows_of(data: bytes | None) -> dict[tuple, dict[str, str]]:
        if data is None:
            return {}
        records = [
            r for r in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) if any(c.strip() for c in r)
        ]
        if not records:
            return {}
        index = {c: i for i, c in enumerate(records[0])}
        out = {}
        for r in records[1:]:
            values = {c: r[index[c]] if c in index and index[c] < len(r) else "" for c in columns}
            out[tuple(_typed(types[c], values[c]) for c in pk)] = values
        return out

    before, after = rows_of(old), rows_of(new)
    added, changed = [], []
    for key, values in after.items():
        if key not in before:
            added.append({"key": {c: values[c] for c in pk}})
            continue
        prior = before[key]
        diff = [c for c in columns if _typed(types[c], prior[c]) != _typed(types[c], values[c])]
        if diff:
            changed.append(
                {
                    "key": {c: prior[c] for c in pk},
                    "old": {c: prior[c] for c in diff},
                    "new": {c: values[c] for c in diff},
                }
            )
    removed = [{"key": {c: values[c] for c in pk}} for key, values in before.items() if key not in after]
    return {"added": added, "changed": changed, "removed": removed}


# -- command line ----------------------------------------------------------------------------


def describe(preview: Preview, lang: str = i18n.DEFAULT_LANG) -> list[str]:
    """The preview as lines of text (the command line prints them; tests read them)."""
    out = []
    if preview.table:
        out.append(text("import.recognised", lang, file=preview.label, table=preview.table))
    if preview.sheet:
        out.append(text("import.sheet", lang, sheet=preview.sheet))
    if preview.example_lines:
        out.append(text("import.example_skipped", lang, lines=", ".join(map(str, preview.example_lines))))
    if preview.encoding:
        out.append(
            text(
                "import.encoding",
                lang,
                encoding=preview.encoding,
                delimiter=repr(preview.delimiter),
            )
        )
    if preview.problems:
        out.append(text("import.refused", lang, n=len(preview.problems)))
        out += ["  " + m for m in preview.messages(lang)]
        return out
    if preview.nothing_to_change:
        out.append(text("import.nothing_to_change", lang, table=preview.table))
        return out
    out.append(preview.summary(lang))
    for a in preview.added:
        shown = ", ".join(f"{k}={v}" for k, v in a.values.items() if v)
        out.append("  + " + text("import.line", lang, line=a.line) + ": " + shown)
    for c in preview.changed:
        key = ", ".join(c.key.values())
        for col in c.new:
            out.append(
                "  ~ " + text("import.line", lang, line=c.line) + f" [{key}] {col}: {c.old[col]!r} → {c.new[col]!r}"
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sctdash.importer", description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", help="a CSV or XLSX extract to check and apply")
    parser.add_argument("--dry-run", action="store_true", help="show the preview only; change nothing")
    parser.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    parser.add_argument("--restore", metavar="TABLE", help="put back a kept version of TABLE")
    parser.add_argument(
        "--version",
        metavar="STAMP",
        help="with --restore: which version (default: latest)",
    )
    parser.add_argument("--history", metavar="TABLE", help="list the kept versions of TABLE")
    parser.add_argument(
        "--hash-password",
        action="store_true",
        help="print a password hash for secrets.toml",
    )
    parser.add_argument("--user", default="editor", help="with --hash-password: the editor's name")
    args = parser.parse_args(argv)
    lang = args.lang
    modes = sum(bool(x) for x in (args.file, args.restore, args.history, args.hash_password))
    if modes != 1:
        parser.print_usage(sys.stderr)
        return 2
    if args.hash_password:
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", args.user):
            print(text("import.bad_user", lang), file=sys.stderr)
            return 2
        password = getpass.getpass(text("import.password_prompt", lang))
        if password != getpass.getpass(text("import.password_again", lang)) or not password:
            print(text("import.password_mismatch", lang), file=sys.stderr)
            return 1
        print(f'{args.user} = "{signin.hash_password(password)}"')
        return 0
    try:
        if args.history:
            for stamp in history_versions(args.history):
                print(stamp)
            return 0
        if args.restore:
            outcome = restore(args.restore, args.version)
            key = "import.restored" if outcome.status == "restored" else "import.restore_same"
            print(text(key, lang, table=outcome.table, version=outcome.version or ""))
            if outcome.history:
                print(text("import.history_saved", lang, path=outcome.history.name))
            if outcome.entry:
                print(text("changelog.logged", lang, seq=outcome.entry))
            return 0
        preview = check_file(args.file)
        stream = sys.stderr if preview.problems else sys.stdout
        for line in describe(preview, lang):
            print(line, file=stream)
        if preview.problems:
            if not args.dry_run:
                seq = log_refused(preview)
                print(
                    text("changelog.logged", lang, seq=seq) if seq else text("changelog.not_logged", lang),
                    file=sys.stderr,
                )
            return 1
        if preview.nothing_to_change:
            return 0
        if args.dry_run:
            print(text("import.dry_run", lang))
            return 0
        outcome = preview.apply()
        print(
            text(
                "import.applied",
                lang,
                table=outcome.table,
                added=outcome.added,
                changed=outcome.changed,
            )
        )
        if outcome.history:
            print(text("import.history_saved", lang, path=outcome.history.name))
        print(text("changelog.logged", lang, seq=outcome.entry))
        return 0
    except ImportRefused as refused:
        for p in refused.problems:
            print(problem_message(p, lang), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
