"""The DuckDB store: typed tables loaded from data/*.csv, and the named queries over them.

One Store per set of extracts (its fingerprint is the files' names, sizes and mtimes), shared
by every session of the process; each query runs on its own cursor. An extract that breaks
the schema is refused whole with every problem found, and the last version of it that loaded
cleanly (kept under .cache/last-good/) serves in its place, so the pages keep working.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from sctdash.core import paths
from sctdash.store import logfile, revisions
from sctdash.store.validate import (
    AREA_YEARS,
    Problem,
    TableSchema,
    UnreadableFile,
    check_header,
    ident,
    read_rows,
    rules_hold,
    table_schema,
    validate,
)

log = logging.getLogger(__name__)

# Load order: a table comes after every table it references.
TABLES = (
    "sources",
    "areas",
    "area_crosswalk",
    "data_notes",
    "indicators",
    "observations",
    "electrified_communes",
    "power_projects",
    "power_project_locations",
    "market_facilities",
    "legal_documents",
)


# The extracts a command writes, not planners: no template, and an import of one is refused
# (areas.csv and area_crosswalk.csv come from the package vietnamadminunits through `make areas`).
GENERATED = {"areas": "make areas", "area_crosswalk": "make areas"}
# The extracts planners fill in and import.
IMPORTED = tuple(table for table in TABLES if table not in GENERATED)

LOAD_TRIES = 5  # loads from the CSVs in a row that an import may interrupt before Store gives up


def fingerprint(data_dir: Path, log: bool = True) -> str:
    """The one answer to "did the data change": the schema's text and every extract's size,
    modification time and inode (an import replaces a file, so its inode changes even if the
    other two would not), and the change log's (the revisions of figures are read from it, and
    an import writes its entry just after its extract). A persisted database or a cached result
    is reused only while it holds. `log=False`: the extracts alone, which an import must find as
    they were at its check (another editor's refused file, logged meanwhile, changes nothing)."""
    h = hashlib.sha1()
    h.update(schema_sql().encode("utf-8"))
    files = [(table, data_dir / f"{table}.csv") for table in TABLES]
    if log:
        files.append(("changelog", logfile.log_path(data_dir)))
    for name, path in files:
        try:
            st = path.stat()
            h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino};".encode())
        except FileNotFoundError:
            h.update(f"{name}:missing;".encode())
    return h.hexdigest()[:16]


def schema_sql() -> str:
    """queries/_schema.sql, read again when it changes (its tests edit copies of it)."""
    path = paths.QUERIES_DIR / "_schema.sql"
    return _schema_text(path, path.stat().st_mtime_ns)


@cache
def _schema_text(path: Path, mtime_ns: int) -> str:
    return path.read_text(encoding="utf-8")


def schemas() -> dict[str, TableSchema]:
    """Each extract's columns, keys and checks as queries/_schema.sql declares them."""
    return _schemas(schema_sql())


@cache
def _schemas(sql: str) -> dict[str, TableSchema]:
    con = duckdb.connect(":memory:")
    try:
        con.execute(sql)
        return {table: table_schema(con, table) for table in TABLES}
    finally:
        con.close()


def build(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    replace: dict[str, Path] | None = None,
    fallback: Callable[[str], Path | None] | None = None,
) -> tuple[dict[str, list[Problem]], set[str]]:
    """The one way a database is made from the extracts, in memory (Store, the importer's
    staging) or in a file (sctdash.store.persist): the schema, then each table in load order from
    <data_dir>/<table>.csv, or from the file `replace` gives for it. A file that breaks the
    schema leaves its table empty, with its problems; `fallback(table)` may name a file to
    load in its place (the Store's last good copy), at once, so that the tables after it load
    against it. Then the revisions of figures from the change log (sctdash.store.revisions).
    Returns the problems by table and the tables loaded from a fallback."""
    con.execute(schema_sql())
    problems: dict[str, list[Problem]] = {}
    served: set[str] = set()
    for table in TABLES:
        path = (replace or {}).get(table, data_dir / f"{table}.csv")
        found = load_table(con, table, path, label=f"{table}.csv")
        if not found:
            continue
        problems[table] = found
        other = fallback(table) if fallback else None
        if other is not None and other.exists() and not load_table(con, table, other, label=f"{table}.csv"):
            served.add(table)
    revisions.load(con, data_dir)
    return problems, served


def area_columns(table: str) -> list[str]:
    """The columns of `table` that hold an area's code: an observation's area (a unit in force in
    its years, validate.AREA_YEARS) and a place's district (a code of areas.csv)."""
    schema = schemas()[table]
    found = ["area_code"] if set(AREA_YEARS) <= set(schema.column_names) else []
    return found + [c for c, ref, _ in schema.foreign_keys if ref == "areas" and c.endswith("_code")]


def query_names() -> list[str]:
    return sorted(p.stem for p in paths.QUERIES_DIR.glob("*.sql") if not p.stem.startswith("_"))


_SQL_CACHE: dict[str, str] = {}


def query_text(name: str) -> str:
    if name not in _SQL_CACHE:
        if name not in query_names():
            raise KeyError(f"no query named {name!r} in {paths.QUERIES_DIR}")
        _SQL_CACHE[name] = (paths.QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _SQL_CACHE[name]


def query_params(name: str) -> frozenset[str]:
    """The $names a query declares (comments and string literals excluded)."""
    sql = re.sub(r"--[^\n]*|'(?:[^']|'')*'", "", query_text(name))
    return frozenset(re.findall(r"\$([a-z_][a-z0-9_]*)", sql))


class Store:
    """Every extract of one data folder, loaded into an in-memory DuckDB database."""

    def __init__(
        self,
        data_dir: Path | None = None,
        cache_dir: Path | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
        version: str | None = None,
    ):
        """`con`: a database already loaded from these extracts (sctdash.store.persist), used as is;
        `version`: the fingerprint of the extracts it was loaded from.

        `fingerprint` is always the version of the extracts this Store holds, which cached
        results are filed under: loading from the CSVs starts again when an import replaced
        one of them meanwhile (several server processes make that likelier), so a Store never
        holds tables of two versions under either's name."""
        self.data_dir = Path(data_dir or paths.data_dir())
        self.last_good_dir = Path(cache_dir or paths.cache_dir()) / "last-good"
        self._lock = threading.Lock()
        self.problems: dict[str, list[Problem]] = {}
        self.fallbacks: set[str] = set()
        if con is not None:
            self.con, self.fingerprint = con, version or fingerprint(self.data_dir)
            for table in TABLES:
                self._remember(self.data_dir / f"{table}.csv")
            return
        for _ in range(LOAD_TRIES):
            self.fingerprint = fingerprint(self.data_dir)
            self.con = duckdb.connect(":memory:")
            self.problems, self.fallbacks = build(self.con, self.data_dir, fallback=self._last_good)
            if fingerprint(self.data_dir) == self.fingerprint:
                self._report()
                return
            self.con.close()
            log.info("%s changed while it was loaded; loading again", self.data_dir)
        raise RuntimeError(f"the extracts in {self.data_dir} kept changing while they were loaded")

    # -- loading -------------------------------------------------------------------------
    def _last_good(self, table: str) -> Path:
        return self.last_good_dir / f"{table}.csv"

    def _report(self) -> None:
        """Log every problem; keep a copy of each extract that loaded cleanly."""
        for table in TABLES:
            if table not in self.problems:
                self._remember(self.data_dir / f"{table}.csv")
                continue
            for p in self.problems[table]:
                log.error("%s", p.message("vi"))
            if table in self.fallbacks:
                log.warning("%s.csv: serving the last version that loaded cleanly (%s)", table, self._last_good(table))

    def _remember(self, path: Path) -> None:
        """Keep a copy of an extract that loaded cleanly, to serve if a later version breaks.
        A copy with the same size and modification time is taken as current (copy2 keeps
        both), so a large extract is not re-read at every start."""
        backup = self.last_good_dir / path.name
        try:
            src = path.stat()
            if backup.exists():
                dst = backup.stat()
                if (dst.st_size, dst.st_mtime_ns) == (src.st_size, src.st_mtime_ns):
                    return
            backup.parent.mkdir(parents=True, exist_ok=True)
            tmp = backup.with_name(f"{backup.name}.{os.getpid()}-{threading.get_ident()}.tmp")
            shutil.copy2(path, tmp)
            tmp.replace(backup)
        except OSError as exc:  # a read-only checkout still serves; it just keeps no backup
            log.warning("cannot keep a last-good copy of %s: %s", path.name, exc)

    # -- reading -------------------------------------------------------------------------
    def query(self, name: str, **params) -> pd.DataFrame:
        """Run queries/<name>.sql on a cursor of its own, with the named parameters it declares.

        Callers may pass more (a page passes its whole filter state); a declared parameter
        that is not passed is an error.
        """
        sql = query_text(name)
        wanted = query_params(name)
        missing = wanted - params.keys()
        if missing:
            raise KeyError(f"query {name} needs parameters {sorted(missing)}")
        params = {k: v for k, v in params.items() if k in wanted}
        with self._lock:
            cur = self.con.cursor()
        try:
            return cur.execute(sql, params).df()
        finally:
            cur.close()

    def table(self, table: str) -> pd.DataFrame:
        if table not in TABLES:
            raise KeyError(table)
        with self._lock:
            cur = self.con.cursor()
        try:
            return cur.execute(f"select * from {ident(table)}").df()
        finally:
            cur.close()

    def row_counts(self) -> dict[str, int]:
        with self._lock:
            cur = self.con.cursor()
        try:
            return {t: cur.execute(f"select count(*) from {ident(t)}").fetchall()[0][0] for t in TABLES}
        finally:
            cur.close()


def load_table(con: duckdb.DuckDBPyConnection, table: str, path: Path, label: str | None = None) -> list[Problem]:
    """Load one CSV into its table; on any failure the table is left empty and the problems say why."""
    label = label or path.name
    schema = table_schema(con, table)
    try:
        header = _header(path, label)
    except UnreadableFile as exc:
        return [exc.problem]
    problems = check_header(schema, header, label)
    if problems:
        return problems
    # A column with a default may be left out of a file (a planner's extract without
    # `status`, say): it takes the default, as in validate._stage.
    select = ", ".join(
        ident(c)
        if c not in schema.defaults
        else f"coalesce({ident(c)}, {schema.defaults[c]}) as {ident(c)}"
        if c in header
        else f"{schema.defaults[c]} as {ident(c)}"
        for c in schema.column_names
        if c in header or c in schema.defaults
    )
    try:
        con.execute(
            f"insert into {ident(table)} by name select {select} "
            "from read_csv($path, all_varchar = true, header = true, delim = ',', quote = '\"', "
            "escape = '\"', encoding = 'utf-8')",
            {"path": str(path)},
        )
        if rules_hold(con, table):
            return []
        reason = "rule"
    except duckdb.Error as bulk_error:
        reason = str(bulk_error)
    con.execute(f"delete from {ident(table)}")
    try:
        header, rows = read_rows(path, label)
    except UnreadableFile as exc:
        return [exc.problem]
    problems = validate(con, table, label, header, rows)
    return problems or [Problem.whole(label, "rejected", {"reason": reason})]


def _header(path: Path, label: str) -> list[str]:
    try:
        with path.open("rb") as fh:
            first = fh.readline(1 << 16)
    except FileNotFoundError:
        raise UnreadableFile(Problem.whole(label, "missing_file")) from None
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(Problem(label, 1, None, None, "not_utf8", {"offset": exc.start})) from None
    if not text.strip():
        raise UnreadableFile(Problem.whole(label, "empty_file"))
    return [h.strip().strip('"') for h in text.rstrip("\r\n").split(",")]
