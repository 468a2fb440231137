"""A DuckDB file per set of extracts, so a large extract starts in milliseconds once built.

`open_store(data_dir)` returns a db.Store over `<cache>/db/<folder-key>-<fingerprint>.duckdb`,
opened read-only. The file is built (db.build, as the in-memory Store and the importer's
staging databases are) only when no file matches the extracts' fingerprint — that
is, when a CSV changed — and files older than the previous version are removed. An extract that
breaks the schema is not persisted: open_store then falls back to the in-memory Store,
which reports the problems and serves the last good copy as usual.

Several server processes share one cache folder (`make serve`): a build holds an exclusive
lock on `<folder-key>.lock` beside the files, so when an import lands the first process
builds the new file and the others wait for it and open it, instead of each building its
own. The Store's fingerprint is the one its file was built for, not the files' as they are
when it is opened, so a cached result is never filed under a version it does not come from.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sctdash.core import files, paths
from sctdash.store import db
from sctdash.store.validate import Problem

log = logging.getLogger(__name__)
KEEP_PREVIOUS = 1  # versions kept besides the newest
BUILD_WAIT_S = 600.0  # for another process's build of the same folder


class NotPersisted(Exception):
    def __init__(self, problems: dict[str, list[Problem]]):
        super().__init__(", ".join(sorted(problems)))
        self.problems = problems


def db_dir() -> Path:
    return paths.cache_dir() / "db"


def _folder_key(data_dir: Path) -> str:
    return hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:8]


def db_path(data_dir: Path, directory: Path | None = None, fingerprint: str | None = None) -> Path:
    """The file for the extracts as they are now (or as `fingerprint` says): keyed by the
    folder and db.fingerprint."""
    fingerprint = fingerprint or db.fingerprint(Path(data_dir))
    return Path(directory or db_dir()) / f"{_folder_key(data_dir)}-{fingerprint}.duckdb"


def fingerprint_of(path: Path) -> str:
    """The extracts' fingerprint a file of db_path was built for."""
    return Path(path).stem.rsplit("-", 1)[1]


@contextmanager
def _build_lock(data_dir: Path, directory: Path) -> Generator[None]:
    """One builder at a time for a data folder, across processes. The lock goes with the
    process: a builder that dies releases it. Waited for BUILD_WAIT_S at most: then this
    process loads the extracts in memory instead (NotPersisted)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{_folder_key(data_dir)}.lock", "a+b") as fh:
        with files.file_lock(fh, BUILD_WAIT_S, lambda: NotPersisted({})):
            yield


def build(data_dir: Path, directory: Path | None = None) -> Path:
    """Load every extract of `data_dir` into a new DuckDB file; raises NotPersisted on any problem.
    When another process has built the file for these extracts meanwhile, that file is returned."""
    data_dir = Path(data_dir)
    directory = Path(directory or db_dir())
    with _build_lock(data_dir, directory):
        target = db_path(data_dir, directory)
        if target.exists():
            return target
        return _build(data_dir, directory)


def _build(data_dir: Path, directory: Path) -> Path:
    before = db.fingerprint(data_dir)
    target = db_path(data_dir, directory, before)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        problems, _ = db.build(con, data_dir)
        con.execute("checkpoint")
    finally:
        con.close()
    if problems:
        tmp.unlink(missing_ok=True)
        raise NotPersisted(problems)
    if db.fingerprint(data_dir) != before:  # an import replaced a file while we read: not this file
        tmp.unlink(missing_ok=True)
        raise NotPersisted({})
    os.replace(tmp, target)
    # the previous version stays: a process whose run pinned it just before may still open it
    others = sorted(
        (p for p in target.parent.glob(f"{_folder_key(data_dir)}-*.duckdb") if p != target),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for old in others[:-KEEP_PREVIOUS]:
        old.unlink(missing_ok=True)
    log.info("built %s from %s", target, data_dir)
    return target


def is_current(data_dir: Path, directory: Path | None = None) -> bool:
    return db_path(data_dir, directory).exists()


def open_store(
    data_dir: Path | None = None,
    directory: Path | None = None,
    cache_dir: Path | None = None,
    version: str | None = None,
) -> db.Store:
    """A Store over the persisted database of `data_dir`, built first if the CSVs changed.
    `version`: that version of the extracts (a fingerprint) if its file is still kept, so
    that a run pinned to it gets it even after an import; else the extracts as they are."""
    data_dir = Path(data_dir or paths.data_dir())
    tries = 3
    while True:
        tries -= 1
        path = db_path(data_dir, directory)
        kept = db_path(data_dir, directory, version) if version else None
        if kept is not None and kept != path and kept.exists():
            path = kept
        elif not path.exists():
            try:
                path = build(data_dir, directory)
            except NotPersisted as exc:
                log.warning("not persisted (%s); loading into memory", exc)
                return db.Store(data_dir, cache_dir=cache_dir)
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.IOException:
            if not tries:
                raise
            continue  # another process built a newer version and removed this one in between
        return db.Store(data_dir, cache_dir=cache_dir, con=con, version=fingerprint_of(path))
