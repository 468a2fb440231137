"""Applying a checked file and putting back a kept version: under a lock, the current file
kept in data/history/, the new one written atomically, every write and refusal logged
(sctdash.editing.changelog) before it returns, and undone when the log cannot be written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sctdash.core import paths
from sctdash.core.files import atomic_write, file_lock
from sctdash.editing import changelog
from sctdash.editing.importer.reading import file_label
from sctdash.editing.importer.staging import default_texts, stage, typed, with_defaults
from sctdash.store import db
from sctdash.store.validate import Problem

if TYPE_CHECKING:
    from sctdash.editing.importer.preview import Preview

LOCK_TIMEOUT = 30.0
HISTORY_DIR = "history"
STAMP = re.compile(r"\d{8}-\d{6}(-\d{1,4})?")


class ImportRefused(Exception):
    """Raised by apply/restore when nothing could be written; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Outcome:
    status: str  # "applied", "unchanged" or "restored"
    table: str
    history: Path | None = None
    version: str | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    entry: int | None = None  # the change log's entry for it (sctdash.editing.changelog)


@contextmanager
def import_lock(timeout: float = LOCK_TIMEOUT, cache_dir: str | os.PathLike | None = None):
    """An exclusive lock on <cache>/import.lock, held while an import or restore writes."""
    folder = Path(cache_dir or paths.cache_dir())
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "import.lock", "a+b") as fh:
        busy = [Problem.whole("import.lock", "busy")]
        with file_lock(fh, timeout, lambda: ImportRefused(busy)):
            yield


def history_dir(data_dir: Path) -> Path:
    return data_dir / HISTORY_DIR


def history_path(table: str, version: str, data_dir: str | os.PathLike | None = None) -> Path:
    """The file of a kept version of `table` (a stamp of history_versions)."""
    return history_dir(Path(data_dir or paths.data_dir())) / f"{table}-{version}.csv"


def history_versions(table: str, data_dir: str | os.PathLike | None = None) -> list[str]:
    """The stamps of the kept versions of `table`, oldest first."""
    _known_table(table)
    folder = history_dir(Path(data_dir or paths.data_dir()))
    stamps = []
    for p in folder.glob(f"{table}-*.csv"):
        stamp = p.name[len(table) + 1 : -4]
        if STAMP.fullmatch(stamp):
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
    folder = history_dir(data_dir)
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

    The change is logged (sctdash.editing.changelog) as `actor`, the command line's user by default,
    before this returns; if the entry cannot be written the previous bytes are put back and the
    import is refused, so no change goes unlogged. A refusal found here (the data changed since
    the check, another import holding the lock) is logged too; a preview's own problems are the
    caller's to log (log_refused), since the caller shows them."""
    if preview.problems:
        raise ImportRefused(preview.problems)
    table = preview.table
    if table is None:
        raise ImportRefused([Problem.whole(preview.label, "unknown_extract", {"columns": "—"})])
    if preview.nothing_to_change:
        return Outcome("unchanged", table)
    actor = actor or changelog.command_line()
    data_dir = Path(preview.data_dir or paths.data_dir())
    try:
        with import_lock():
            if db.fingerprint(data_dir, log=False) != preview.base:
                raise ImportRefused([Problem.whole(preview.label, "changed_since_check")])
            target = data_dir / f"{table}.csv"
            before = target.read_bytes() if target.exists() else None
            history = _save_history(table, data_dir, before) if before is not None else None
            assert preview.merged is not None, "a preview with no problem and something to change holds it"
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
                    "rows": _preview_rows(preview, table),
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
            shown = file_label(version) if version else None
            _log_refusal(actor, "restore", known, None, refused.problems, data_dir, version=shown)
        raise


def _restore(table: str, version: str | None, data_dir: Path, actor: changelog.Actor) -> Outcome:
    _known_table(table)
    label = f"{table}.csv"
    if version is not None and not STAMP.fullmatch(version):
        raise ImportRefused([Problem(label, None, None, file_label(version), "unknown_version")])
    with import_lock():
        target = data_dir / label
        current = target.read_bytes() if target.exists() else None
        stamps = history_versions(table, data_dir)
        if version is None:
            stamps = [s for s in stamps if history_path(table, s, data_dir).read_bytes() != current]
            if not stamps:
                raise ImportRefused([Problem.whole(label, "no_history")])
            version = stamps[-1]
        elif version not in stamps:
            raise ImportRefused([Problem(label, None, None, version, "unknown_version")])
        source = history_path(table, version, data_dir)
        data = source.read_bytes()
        con, problems = stage(data_dir, {table: source})
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


def _sha(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _file_fields(preview: Preview) -> dict:
    return {"name": preview.label, "sha256": preview.sha256, "bytes": preview.size}


def _preview_rows(preview: Preview, table: str) -> dict:
    """The rows an import of `table` adds and changes, by primary key; it never removes any."""
    schema = db.schemas()[table]
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
        raise ImportRefused([Problem.whole(label, "log_unavailable", {"reason": str(exc)})]) from exc


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
    schema = db.schemas()[table]
    types = dict(schema.columns)
    columns = schema.column_names
    pk = schema.primary_key or columns
    defaults = default_texts(table)

    def rows_of(data: bytes | None) -> dict[tuple, dict[str, str]]:
        if data is None:
            return {}
        records = [
            r for r in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) if any(c.strip() for c in r)
        ]
        if not records:
            return {}
        out = {}
        for r in records[1:]:
            # a version written before a column with a default (status) reads as the database
            # loads it: not a change of every row
            values = dict(zip(columns, with_defaults(columns, dict(zip(records[0], r, strict=False)), defaults)))
            out[tuple(typed(types[c], values[c]) for c in pk)] = values
        return out

    before, after = rows_of(old), rows_of(new)
    added, changed = [], []
    for key, values in after.items():
        if key not in before:
            added.append({"key": {c: values[c] for c in pk}})
            continue
        prior = before[key]
        diff = [c for c in columns if typed(types[c], prior[c]) != typed(types[c], values[c])]
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
