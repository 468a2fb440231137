"""Checks an extract against the table it belongs to, row by row, and says where it is wrong.

The schema in queries/_schema.sql is the single source of the rules: types, NOT NULL,
primary and foreign keys, and CHECK expressions are read back from DuckDB's catalogue, so
a rule added there is enforced here without code changes. The generated statements hold
identifiers only (validated against the catalogue), never a value from a file: values
travel as data in a staging table.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from sctdash.core import i18n

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def ident(name: str) -> str:
    """Quote a table or column name that comes from our own catalogue."""
    if not _IDENT.match(name):
        raise ValueError(f"not an identifier of this schema: {name!r}")
    return f'"{name}"'


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file; `code` selects the message in the text catalogue."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    code: str
    args: dict = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def whole(cls, file: str, code: str, args: dict | None = None) -> Problem:
        """A problem of the whole file (no line, column or value): a missing extract, a lock."""
        return cls(file, None, None, None, code, args or {})

    def message(self, lang: str = "vi") -> str:
        return i18n.problem_message(self, lang)


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: list[tuple[str, str]]
    defaults: dict[str, str]
    not_null: set[str]
    primary_key: list[str]
    foreign_keys: list[tuple[str, str, str]]  # column, referenced table, referenced column
    checks: list[tuple[list[str], str]]

    @property
    def column_names(self) -> list[str]:
        return [c for c, _ in self.columns]


def table_schema(con: duckdb.DuckDBPyConnection, table: str) -> TableSchema:
    cols = con.execute(
        "select column_name, data_type, column_default from information_schema.columns "
        "where table_name = $t order by ordinal_position",
        {"t": table},
    ).fetchall()
    cons = con.execute(
        "select constraint_type, constraint_column_names, referenced_table, "
        "referenced_column_names, expression from duckdb_constraints() where table_name = $t",
        {"t": table},
    ).fetchall()
    not_null, pk, fks, checks = set(), [], [], []
    for kind, names, ref_table, ref_cols, expr in cons:
        if kind == "NOT NULL":
            not_null.update(names)
        elif kind == "PRIMARY KEY":
            pk = list(names)
            not_null.update(names)
        elif kind == "FOREIGN KEY":
            fks.append((names[0], ref_table, ref_cols[0]))
        elif kind == "CHECK":
            checks.append((list(names), expr))
    defaults = {c: d for c, _, d in cols if d is not None}
    return TableSchema(table, [(c, t) for c, t, _ in cols], defaults, not_null, pk, fks, checks)


class UnreadableFile(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


def read_rows(path: Path, label: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows of a UTF-8 CSV, each row with its line number."""
    label = label or path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UnreadableFile(Problem.whole(label, "missing_file")) from None
    except UnicodeDecodeError as exc:
        raise UnreadableFile(Problem.whole(label, "not_utf8", {"offset": exc.start})) from None
    return parse_rows(text, label)


def parse_rows(text: str, label: str, delimiter: str = ",") -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for rec in reader:
            if not any(cell.strip() for cell in rec):
                continue
            if header is None:
                header = [h.strip() for h in rec]
            else:
                rows.append((reader.line_num, [cell.strip() for cell in rec]))
    except csv.Error as exc:
        raise UnreadableFile(Problem(label, reader.line_num, None, None, "bad_csv", {"reason": str(exc)})) from None
    if header is None:
        raise UnreadableFile(Problem.whole(label, "empty_file"))
    return header, rows


def check_header(schema: TableSchema, header: list[str], label: str) -> list[Problem]:
    problems = []
    seen = set()
    for name in header:
        if name in seen:
            problems.append(Problem(label, 1, name, None, "duplicate_column"))
        seen.add(name)
        if name not in schema.column_names:
            problems.append(Problem(label, 1, name, None, "unknown_column"))
    for name in schema.column_names:
        if name not in seen and name not in schema.defaults and name in schema.not_null:
            problems.append(Problem(label, 1, name, None, "missing_column"))
    return problems


def split_by_width(
    rows: list[tuple[int, list[str]]], width: int, label: str
) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """The rows with as many cells as the header has columns, and a problem for each other."""
    kept, problems = [], []
    for line, cells in rows:
        if len(cells) == width:
            kept.append((line, cells))
        else:
            problems.append(
                Problem(label, line, None, None, "wrong_cell_count", {"found": len(cells), "expected": width})
            )
    return kept, problems


def validate(
    con: duckdb.DuckDBPyConnection,
    table: str,
    label: str,
    header: list[str],
    rows: list[tuple[int, list[str]]],
) -> list[Problem]:
    """Every problem of these rows against `table` and the tables it references in `con`."""
    schema = table_schema(con, table)
    problems = check_header(schema, header, label)
    if problems:
        return problems
    rows, problems = split_by_width(rows, len(header), label)
    frame_rows = [[line, *[c if c != "" else None for c in cells]] for line, cells in rows]
    frame = pd.DataFrame(frame_rows, columns=["_line", *header], dtype=object)
    for name in schema.column_names:
        if name not in frame.columns:
            frame[name] = None
    stage = _stage(con, schema, frame)
    try:
        problems += _type_problems(con, schema, label, stage)
        problems += _null_problems(con, schema, label, stage)
        typed = _typed(con, schema, stage)
        problems += _key_problems(con, schema, label, typed)
        problems += _reference_problems(con, schema, label, typed)
        problems += _area_problems(con, schema, label, typed)
        problems += _target_problems(con, schema, label, typed)
        problems += _direction_problems(con, schema, label, typed, header)
        problems += _check_problems(con, schema, label, typed)
    finally:
        con.execute(f"drop table if exists {ident(stage)}")
        con.execute(f"drop table if exists {ident(stage + '_typed')}")
    return sorted(set(problems), key=lambda p: (p.line or 0, p.column or "", p.code))


def _stage(con, schema: TableSchema, frame: pd.DataFrame) -> str:
    stage = f"_stage_{schema.name}"
    con.register("_incoming", frame)
    try:
        select = ", ".join(
            f"cast({ident(c)} as varchar) as {ident(c)}"
            if c not in schema.defaults
            else f"coalesce(cast({ident(c)} as varchar), {schema.defaults[c]}) as {ident(c)}"
            for c in schema.column_names
        )
        con.execute(
            f"create or replace temp table {ident(stage)} as "
            f"select cast(_line as integer) as _line, {select} from _incoming"
        )
    finally:
        con.unregister("_incoming")
    return stage


def _type_problems(con, schema, label, stage) -> list[Problem]:
    problems = []
    for col, dtype in schema.columns:
        if dtype == "VARCHAR":
            continue
        bad = con.execute(
            f"select _line, {ident(col)} from {ident(stage)} "
            f"where {ident(col)} is not null and try_cast({ident(col)} as {dtype}) is null order by _line"
        ).fetchall()
        problems += [Problem(label, line, col, value, "bad_type", {"type": dtype}) for line, value in bad]
    return problems


def _null_problems(con, schema, label, stage) -> list[Problem]:
    problems = []
    for col in schema.column_names:
        if col in schema.not_null:
            lines = con.execute(
                f"select _line from {ident(stage)} where {ident(col)} is null order by _line"
            ).fetchall()
            problems += [Problem(label, line, col, None, "required") for (line,) in lines]
    return problems


def _typed(con, schema, stage) -> str:
    typed = stage + "_typed"
    select = ", ".join(f"try_cast({ident(c)} as {t}) as {ident(c)}" for c, t in schema.columns)
    con.execute(f"create or replace temp table {ident(typed)} as select _line, {select} from {ident(stage)}")
    return typed


def _key_problems(con, schema, label, typed) -> list[Problem]:
    if not schema.primary_key:
        return []
    keys = ", ".join(ident(c) for c in schema.primary_key)
    dups = con.execute(
        f"select list(_line order by _line), {keys} from {ident(typed)} group by {keys} having count(*) > 1"
    ).fetchall()
    problems = []
    for lines, *values in dups:
        shown = ", ".join("" if v is None else str(v) for v in values)
        for line in lines[1:]:
            problems.append(
                Problem(
                    label,
                    line,
                    ", ".join(schema.primary_key),
                    shown,
                    "duplicate_key",
                    {"first_line": lines[0]},
                )
            )
    return problems


def _reference_problems(con, schema, label, typed) -> list[Problem]:
    problems = []
    for col, ref_table, ref_col in schema.foreign_keys:
        bad = con.execute(
            f"select t._line, t.{ident(col)} from {ident(typed)} as t "
            f"where t.{ident(col)} is not null and not exists ("
            f"select 1 from {ident(ref_table)} as r where r.{ident(ref_col)} = t.{ident(col)}) "
            "order by t._line"
        ).fetchall()
        problems += [
            Problem(
                label,
                line,
                col,
                value,
                "unknown_reference",
                {"ref_table": ref_table, "ref_column": ref_col},
            )
            for line, value in bad
        ]
    return problems


# A table whose rows are about an area in some years (observations): the area's code must be a
# unit of the province in force in the row's last year (queries/_schema.sql, observation_units).
AREA_YEARS = ("area_code", "year_to")


def _area_problems(con, schema, label, typed) -> list[Problem]:
    if not set(AREA_YEARS) <= set(schema.column_names) or "areas" not in _tables(con):
        return []
    rows = con.execute(
        f"""
        select t._line, t.area_code, t.year_to,
            list(a.unit_type order by coalesce(a.valid_from, date '0001-01-01')) as kinds,
            list(a.name_vi order by coalesce(a.valid_from, date '0001-01-01')) as names,
            list(a.valid_from order by coalesce(a.valid_from, date '0001-01-01')) as starts,
            list(a.valid_to order by coalesce(a.valid_from, date '0001-01-01')) as ends
        from {ident(typed)} as t
        left join areas as a on a.area_code = t.area_code
        where t.area_code is not null and t.year_to is not null
        group by all
        having not bool_or(
            coalesce(a.valid_from, date '0001-01-01') <= make_date(t.year_to, 12, 31)
            and coalesce(a.valid_to, date '9999-12-31') >= make_date(t.year_to, 1, 1)
        ) or count(a.area_code) = 0
        order by t._line
        """
    ).fetchall()
    problems = []
    for line, code, year, kinds, names, starts, ends in rows:
        if not names or names == [None]:
            problems.append(Problem(label, line, "area_code", code, "unknown_area"))
            continue
        spans = [(k, n, s, e) for k, n, s, e in zip(kinds, names, starts, ends, strict=True)]
        problems.append(Problem(label, line, "area_code", code, "area_not_in_year", {"year": year, "units": spans}))
    return problems


# A table of figures that may be targets (observations): a target is a plan, so it has no status
# of a result (estimate, preliminary), and its indicator must say which way is better
# (indicators.direction), or whether it was reached cannot be said.
TARGET_COLUMNS = ("indicator_id", "figure_type", "status")


def _target_problems(con, schema, label, typed) -> list[Problem]:
    if not set(TARGET_COLUMNS) <= set(schema.column_names):
        return []
    claims = con.execute(
        f"select _line, status from {ident(typed)} where figure_type = 'target' and status <> 'official' order by _line"
    ).fetchall()
    problems = [Problem(label, line, "status", status, "target_with_status") for line, status in claims]
    if "indicators" in _tables(con):
        undirected = con.execute(
            f"select t._line, t.indicator_id from {ident(typed)} as t "
            "inner join indicators as i on t.indicator_id = i.indicator_id "
            "where t.figure_type = 'target' and i.direction is null order by t._line"
        ).fetchall()
        problems += [Problem(label, line, "indicator_id", ind, "target_without_direction") for line, ind in undirected]
    return problems


def _direction_problems(con, schema, label, typed, header: list[str]) -> list[Problem]:
    """An indicator left without a direction while observations hold a target of it (only when
    the file has the column: a file without it keeps each indicator's current direction)."""
    if schema.name != "indicators" or "direction" not in header or "observations" not in _tables(con):
        return []
    rows = con.execute(
        f"select t._line, count(*) from {ident(typed)} as t "
        "inner join observations as o on o.indicator_id = t.indicator_id "
        "where t.direction is null and o.figure_type = 'target' group by t._line order by t._line"
    ).fetchall()
    return [Problem(label, line, "direction", None, "direction_needed", {"targets": n}) for line, n in rows]


def _target_rules_hold(con, table: str, schema: TableSchema) -> bool:
    if not set(TARGET_COLUMNS) <= set(schema.column_names) or "indicators" not in _tables(con):
        return True
    (bad,) = con.execute(
        f"select count(*) from {ident(table)} as t "
        "inner join indicators as i on t.indicator_id = i.indicator_id "
        "where t.figure_type = 'target' and (t.status <> 'official' or i.direction is null)"
    ).fetchone()
    return bad == 0


def rules_hold(con, table: str) -> bool:
    """Whether a loaded table keeps the rules the database cannot declare (an area in force in
    the row's years, a target's status and its indicator's direction); when not, validate()
    names each row that breaks them."""
    schema = table_schema(con, table)
    if not _target_rules_hold(con, table, schema):
        return False
    if not set(AREA_YEARS) <= set(schema.column_names) or "areas" not in _tables(con):
        return True
    (bad,) = con.execute(
        f"""
        select count(*) from {ident(table)} as t
        where not exists (
            select 1 from areas as a
            where a.area_code = t.area_code
                and coalesce(a.valid_from, date '0001-01-01') <= make_date(t.year_to, 12, 31)
                and coalesce(a.valid_to, date '9999-12-31') >= make_date(t.year_to, 1, 1)
        )
        """
    ).fetchone()
    return bad == 0


def _tables(con) -> set[str]:
    return {name for (name,) in con.execute("select table_name from information_schema.tables").fetchall()}


def _check_problems(con, schema, label, typed) -> list[Problem]:
    problems = []
    for cols, expr in schema.checks:
        shown = cols[0]
        bad = con.execute(
            f"select _line, {ident(shown)} from {ident(typed)} where not ({expr}) order by _line"
        ).fetchall()
        problems += [
            Problem(
                label,
                line,
                shown,
                None if value is None else str(value),
                "check_failed",
                {"rule": expr},
            )
            for line, value in bad
        ]
    return problems
