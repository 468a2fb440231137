"""Checking a file against the schema's rules and the current extracts: the header, the
cells' notation (decimal commas, d/m/yyyy dates), characters lost on the way, every rule of
queries/_schema.sql in a staging database, indicators' ranges; then the preview.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd

from sctdash.core import fold, i18n, paths
from sctdash.editing import template_mark
from sctdash.editing.importer.preview import Preview, diff, sorted_problems
from sctdash.editing.importer.reading import MAX_BYTES, Read, Refuse, file_label, read_upload, too_large
from sctdash.editing.importer.staging import INT_TYPES, is_numeric, range_violations, stage
from sctdash.editing.templates import VALUE_LABELS
from sctdash.store import db
from sctdash.store.validate import Problem, TableSchema, ident, split_by_width, validate

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
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


def _clean_types(read: Read, schema: TableSchema, columns: dict[str, int], label: str) -> list[Problem]:
    """Rewrite numeric and date cells to the schema's notation; problems for what cannot be."""
    types = dict(schema.columns)
    numeric = [c for c in columns if is_numeric(types[c])]
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
            if is_numeric(dtype):
                canon, ambiguous = _number(cells[idx], decimal_comma)
                if ambiguous and read.delimiter == ";":
                    problems.append(Problem(label, line, col, cells[idx], "ambiguous_number"))
                    continue
                if canon is None:
                    continue  # validate reports it with the value as written
                if dtype in INT_TYPES:
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


def _text_problems(read: Read, schema: TableSchema, columns: dict[str, int], label: str) -> list[Problem]:
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


def _suggest(problem: Problem, con, schema: TableSchema, years: dict[int, int | None]) -> Problem:
    value = problem.value
    if not value:
        return problem
    suggestion = None
    ref, ref_col = problem.args.get("ref_table"), problem.args.get("ref_column")
    if problem.code == "unknown_area" or (problem.code == "unknown_reference" and ref == "areas"):
        year = years.get(problem.line) if problem.line is not None else None
        suggestion = template_mark.area_suggestion(
            value, template_mark.area_candidates(con, problem.column or "", year)
        )
    elif problem.code == "unknown_reference":
        if ref in db.TABLES and ref_col:
            ids = [r[0] for r in con.execute(f"select {ident(ref_col)} from {ident(ref)}").fetchall() if r[0]]
            close = difflib.get_close_matches(value, ids, n=1, cutoff=0.6) or difflib.get_close_matches(
                fold.folded(value).replace(" ", "_"), ids, n=1, cutoff=0.6
            )
            suggestion = close[0] if close else None
    elif problem.code == "check_failed":
        m = re.fullmatch(r"\(+\"?(\w+)\"? IN \((.*)\)\)+", problem.args.get("rule", ""))
        if m:
            allowed = [v.strip().strip("'") for v in m.group(2).split(",")]
            suggestion = _allowed_suggestion(value, allowed, VALUE_LABELS.get((schema.name, m.group(1))))
    if suggestion and suggestion != value:
        return replace(problem, args={**problem.args, "suggestion": suggestion})
    return problem


def _allowed_suggestion(value: str, allowed: list[str], group: str | None) -> str | None:
    """The allowed value a planner probably meant: the one whose words (the catalogue's, in
    either language, with or without marks) the cell holds, "ước tính" or "Uoc tinh" →
    estimate; else the value closest in spelling ("Estimate", "prelim")."""
    folded = fold.folded(value)
    if group:
        words = {fold.folded(i18n.label(group, v, lang)): v for v in allowed for lang in i18n.LANGS}
        close = difflib.get_close_matches(folded, list(words), n=1, cutoff=0.6)
        if close:
            return words[close[0]]
    close = difflib.get_close_matches(folded, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


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


def check_file(path: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> Preview:
    """Check a file on disk; its size is looked at before anything is read."""
    path = Path(path)
    label = file_label(path.name)
    try:
        size = path.stat().st_size
    except OSError:
        return Preview(label, problems=[Problem.whole(label, "missing_file")])
    if size > MAX_BYTES:
        return refused_by_size(label, size, data_dir)
    if not path.is_file():
        return Preview(label, problems=[Problem.whole(label, "missing_file")])
    with path.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    return check_bytes(label, data, data_dir)


def refused_by_size(name: str, size: int, data_dir: str | os.PathLike | None = None) -> Preview:
    """A file over MAX_BYTES, refused from its size alone, before it is read."""
    label = file_label(name)
    return Preview(label, problems=[too_large(label, size)], data_dir=Path(data_dir or paths.data_dir()), size=size)


def check_bytes(name: str, data: bytes, data_dir: str | os.PathLike | None = None) -> Preview:
    """Check the bytes of an upload (or a file) named `name` against the current extracts."""
    label = file_label(name)
    data_dir = Path(data_dir or paths.data_dir())
    base = db.fingerprint(data_dir, log=False)  # before anything is read: apply refuses if it changed since
    preview = Preview(label, data_dir=data_dir, sha256=hashlib.sha256(data).hexdigest(), size=len(data), base=base)
    try:
        read = read_upload(data, label)
    except Refuse as refused:
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
    if read.table in db.GENERATED:
        args = {"table": read.table, "command": db.GENERATED[read.table]}
        preview.problems = [Problem.whole(label, "generated_extract", args)]
        return preview
    read.rows, preview.example_lines, found = template_mark.split_example(
        read.table, read.mark, read.header, read.rows, label
    )
    read.problems += found
    _check(read, read.table, label, data_dir, preview)
    return preview


def _check(read: Read, table: str, label: str, data_dir: Path, preview: Preview) -> None:
    """The rows of a file recognised as `table` (read.table) against the schema and the data."""
    schema = db.schemas()[table]
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
        preview.problems = problems + [Problem.whole(label, "no_rows")]
        return
    # -- the cells
    width = len(read.header)
    for _, cells in read.rows:
        while len(cells) > width and not cells[-1]:
            cells.pop()  # trailing separators
        if len(cells) < width and read.sheet is not None:
            cells += [""] * (width - len(cells))  # a sheet row ends at its last filled cell
    read.rows, found = split_by_width(read.rows, width, label)
    problems += found
    rows = read.rows
    problems += _clean_types(read, schema, columns, label)
    problems += _text_problems(read, schema, columns, label)
    present = [c for c in schema.column_names if c in columns]
    ordered = [(line, [cells[columns[c]] for c in present]) for line, cells in rows]
    con, current_problems = stage(data_dir)
    try:
        if current_problems.get(table):
            problems += current_problems[table]
        problems += template_mark.area_choices(con, schema, label, present, ordered)  # "Ba Tơ — 535" → 535
        found = validate(con, table, label, present, ordered)
        explained = ("formula_no_value", "formula_error", "area_choice_unknown", "area_choice_mismatch")
        formulas = {(x.line, x.column) for x in problems if x.code in explained}
        found = [x for x in found if (x.line, x.column) not in formulas]
        years = {line: template_mark.row_year(present, cells) for line, cells in ordered}
        problems += [_suggest(p, con, schema, years) for p in found]
        as_dicts = [(line, dict(zip(present, cells, strict=True))) for line, cells in ordered]
        problems += _range_problems(con, table, label, as_dicts)
        baseline = range_violations(con)
    finally:
        con.close()
    if problems:
        preview.problems = sorted_problems(problems)
        return
    diff(
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
