"""The revisions of figures, from the change log into the `revisions` table.

A figure is revised when an import or a restore changed the value of an observation that was
already loaded: the log's entry for it (sctdash.editing.changelog writes it) holds the row's key and
its old and new values. Every such change is a row of `revisions`, so a figure revised twice
has two; queries/revisions_in_view.sql gives them for a view, newest first, with the latest of
each figure marked. A change of status alone (an estimate made official at the same value) is
not a revision of the value; a row removed by a later entry takes its revisions with it (a row
added again later is a new figure).

The log is read with its own parser (sctdash.store.logfile); an entry whose hash does not match
its content (edited by hand) is left out: it cannot be trusted to say what a figure was. The
data page says whether the chain is whole.
"""

from __future__ import annotations

import logging
import math
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from sctdash.core import paths
from sctdash.store import logfile

log = logging.getLogger(__name__)

TIMEZONE = "Asia/Ho_Chi_Minh"  # the department's day, as the change log's times are shown
KEY = ("indicator_id", "area_code", "year_from", "year_to", "category", "variant", "figure_type")
COLUMNS = (
    "seq",
    "revised_at",
    "revised_on",
    "action",
    "via",
    "editor",
    "system_user",
    "file_name",
    *KEY,
    "previous_value",
    "value",
    "previous_status",
    "status",
)


def _number(text) -> float | None:
    try:
        value = float(str(text).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def day_of(at: str) -> date | None:
    """The day of an entry's time in the department's time zone."""
    try:
        moment = datetime.fromisoformat(str(at))
    except ValueError:
        return None
    try:
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo(TIMEZONE))
    except (ImportError, KeyError, ValueError, OSError):
        pass
    return moment.date()


def _key(raw: dict) -> tuple | None:
    try:
        return (
            str(raw["indicator_id"]),
            str(raw["area_code"]),
            int(raw["year_from"]),
            int(raw["year_to"]),
            str(raw["category"]),
            str(raw.get("variant") or ""),
            str(raw.get("figure_type") or "result"),  # a log older than targets: every row a result
        )
    except (KeyError, TypeError, ValueError):
        return None


def from_entries(entries: list[dict]) -> list[dict]:
    """The revisions the entries record, in the log's order."""
    found: dict[tuple, list[dict]] = {}
    for e in entries:
        if e.get("table") != "observations" or e.get("result") not in ("applied", "restored"):
            continue
        rows = e.get("rows") or {}
        for r in rows.get("removed") or []:
            key = _key(r.get("key") or {})
            found.pop(key, None)
        for r in rows.get("changed") or []:
            old, new = r.get("old") or {}, r.get("new") or {}
            key = _key(r.get("key") or {})
            before, after = _number(old.get("value")), _number(new.get("value"))
            day = day_of(e.get("at", ""))
            if key is None or before is None or after is None or before == after or day is None:
                continue
            found.setdefault(key, []).append(
                {
                    "seq": e["seq"],
                    "revised_at": str(e.get("at")),
                    "revised_on": day,
                    "action": str(e.get("action") or ""),
                    "via": e.get("via"),
                    "editor": e.get("editor"),
                    "system_user": e.get("system_user"),
                    "file_name": (e.get("file") or {}).get("name"),
                    **dict(zip(KEY, key, strict=True)),
                    "previous_value": before,
                    "value": after,
                    "previous_status": old.get("status"),
                    "status": new.get("status"),
                }
            )
    return sorted((r for rs in found.values() for r in rs), key=lambda r: (r["seq"], r["indicator_id"]))


def read(data_dir: Path | None = None) -> list[dict]:
    """The revisions in the change log of `data_dir` (none when it has no log)."""
    path = logfile.log_path(data_dir or paths.data_dir())
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("cannot read %s: %s; no revisions shown", path, exc)
        return []
    breaks: list[logfile.Break] = []
    entries, _ = logfile.read_chain(raw, breaks)
    edited = {b.seq for b in breaks if b.code == "edited"}
    return from_entries([e for e in entries if e["seq"] not in edited])


def load(con: duckdb.DuckDBPyConnection, data_dir: Path) -> int:
    """Fill the `revisions` table (queries/_schema.sql) from the log; how many rows it holds."""
    found = read(data_dir)
    if not found:
        return 0
    frame = pd.DataFrame(found, columns=list(COLUMNS))
    con.register("revisions_found", frame)
    try:
        con.execute((paths.QUERIES_DIR / "_revisions_load.sql").read_text(encoding="utf-8"))
    finally:
        con.unregister("revisions_found")
    return len(found)
