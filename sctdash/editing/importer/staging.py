"""The schema's types as the importer compares cells by them, and the staging databases it
checks in.

A file is checked in a fresh in-memory database holding the current extracts, built by
db.build, the one function that makes a database from the schema and the CSVs.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import duckdb

from sctdash.store import db

INT_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}


@cache
def default_texts(table: str) -> dict[str, str]:
    """Each column default of `table` as the text a CSV would hold (e.g. variant → '')."""
    schema = db.schemas()[table]
    out = {}
    con = duckdb.connect(":memory:")
    try:
        for col, expr in schema.defaults.items():  # expressions from our own schema file
            value = con.execute(f"select cast({expr} as varchar)").fetchall()[0][0]
            out[col] = "" if value is None else value
    finally:
        con.close()
    return out


def with_defaults(columns: list[str], cells: dict[str, str], defaults: dict[str, str]) -> list[str]:
    """A row's cells in the schema's order, a cell left empty or a column the file leaves out
    holding the column's default (as the database loads it: `status` official, `figure_type`
    result): an extract the importer writes states every column in every row."""
    return [cells.get(c) or defaults.get(c, "") for c in columns]


def all_columns() -> set[str]:
    return {c for s in db.schemas().values() for c in s.column_names}


def is_numeric(dtype: str) -> bool:
    return dtype in INT_TYPES or dtype in FLOAT_TYPES or dtype.startswith("DECIMAL")


def typed(dtype: str, value: str):
    """A cell's value for comparing old and new: 4 equals 4.0, '' equals NULL."""
    if value == "":
        return None
    try:
        if dtype in INT_TYPES:
            return int(float(value)) if float(value).is_integer() else float(value)
        if is_numeric(dtype):
            return float(value)
    except ValueError:
        return value
    return unicodedata.normalize("NFC", value)


def stage(data_dir: Path, replace: dict[str, Path] | None = None) -> tuple[duckdb.DuckDBPyConnection, dict]:
    """A fresh in-memory database with every extract loaded (db.build), `replace` naming a
    file to load in place of a table's; the problems by table. A missing extract is no
    problem here: a first import creates it."""
    con = duckdb.connect(":memory:")
    problems, _ = db.build(con, data_dir, replace)
    missing = [table for table, found in problems.items() if [p.code for p in found] == ["missing_file"]]
    return con, {table: found for table, found in problems.items() if table not in missing}


def range_violations(con) -> dict[str, int]:
    return dict(
        con.execute(
            "select o.indicator_id, count(*) from observations as o "
            "inner join indicators as i on o.indicator_id = i.indicator_id "
            "where o.value < i.min_value or o.value > i.max_value group by o.indicator_id"
        ).fetchall()
    )
