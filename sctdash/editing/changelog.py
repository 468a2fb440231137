"""The change log: an entry for every import and restore, each holding the hash of the one before.

    python -m sctdash.editing.changelog [--lang vi|en]            # the entries, one line each, then the check
    python -m sctdash.editing.changelog --check [--lang vi|en]    # whether the chain is whole (make check-log)

The log is data/history/changelog.jsonl, one JSON object a line (UTF-8), beside the versions it
names. The importer (sctdash.editing.importer: apply, restore, and refusals on the command line and the
data page) appends an entry under a lock on the log file, writes it and fsyncs it before it
reports the import done. Each entry holds:

- `seq` (1, 2, …), `at` (ISO 8601 with the server's UTC offset);
- who: `via` ("page" or "command line"), `editor` (the name signed in on the data page) and
  `system_user` (the account that ran the command line);
- `action` ("import" or "restore"), `result` ("applied", "restored" or "refused");
- `table`; `file` ({name, sha256, bytes}: the file imported, or the kept version restored);
- `rows`: {added: [{key, line}], changed: [{key, line, old, new}], removed: [{key}]}, where `key`
  is the row's primary key and old/new hold the changed columns only;
- `history` (the replaced version, kept as data/history/<name>), `version` (the stamp restored),
  `before_sha256` and `after_sha256` of the extract;
- `problems` (why a file was refused: code, line, column, value, args; the first MAX_PROBLEMS)
  and `problems_total`;
- `prev`, the `hash` of the entry before (GENESIS for the first), and `hash`, the SHA-256 of
  the entry's canonical JSON (sorted keys, no spaces) without its `hash`.

data/history/changelog.head holds the `seq` and `hash` of the last entry, so that entries
removed from the end are missed too. `verify()` reads the whole log and names every entry that
was edited (its hash does not match its content, or the next entry's `prev` does not match its
hash), removed (a gap in `seq`, or fewer entries than the head says) or unreadable. It also
notes an extract whose bytes differ from what the last entry for it left: a change made
outside the importer. The chain shows hand edits; someone who rewrites every hash after an edit
is caught only by a copy of the last hash kept elsewhere (`--check` prints it).
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sctdash.core import i18n, paths
from sctdash.core.files import atomic_write, file_lock, fsync_dir
from sctdash.store import db
from sctdash.store.logfile import (  # the log's file and chain, read by the store too
    GENESIS,
    HEAD_NAME,
    LOG_NAME,
    Break,
    canonical,
    entry_hash,
    head_path,
    log_path,
)
from sctdash.store.logfile import parse as _parse
from sctdash.store.logfile import read_chain as _read_chain

__all__ = ["GENESIS", "HEAD_NAME", "LOG_NAME", "Break", "canonical", "entry_hash", "head_path", "log_path"]

MAX_PROBLEMS = 200  # problems kept in a refusal's entry; problems_total says how many there were
LOCK_TIMEOUT = 30.0
TIMEZONE = "Asia/Ho_Chi_Minh"  # times are shown in the department's time


class LogUnavailable(Exception):
    """The log could not be locked or written; nothing was appended."""


# -- who ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    via: str  # "page" or "command line"
    editor: str | None = None
    system_user: str | None = None

    def fields(self) -> dict:
        return {"via": self.via, "editor": self.editor, "system_user": self.system_user}


def page(editor: str) -> Actor:
    """An editor signed in on the data page."""
    return Actor("page", editor=editor, system_user=_system_user())


def command_line() -> Actor:
    """Whoever runs `make import` / `make restore` (or the importer from Python): the system user,
    and the user behind sudo when there is one."""
    return Actor("command line", system_user=_system_user())


def _system_user() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid
        user = f"uid {os.getuid()}" if hasattr(os, "getuid") else "?"
    sudo = os.environ.get("SUDO_USER")
    return f"{user} (sudo {sudo})" if sudo and sudo != user else user


# -- where -------------------------------------------------------------------------------------


def kept_path(name: str, data_dir: str | os.PathLike | None = None) -> str:
    """Where a replaced version an entry names is kept, as messages show it."""
    return paths.shown(log_path(data_dir).parent / name)


def logged_text(seq: int | None, lang: str, data_dir: str | os.PathLike | None = None) -> str:
    """The importer's line on the log: the entry it wrote and where, or that it could not."""
    log = paths.shown(log_path(data_dir))
    return i18n.t("changelog.logged", lang, seq=seq, log=log) if seq else i18n.t("changelog.not_logged", lang, log=log)


def sha256_file(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except FileNotFoundError:
        return None


# -- writing -----------------------------------------------------------------------------------


FIELDS = (
    "action",
    "result",
    "via",
    "editor",
    "system_user",
    "table",
    "file",
    "rows",
    "history",
    "version",
    "before_sha256",
    "after_sha256",
    "problems",
    "problems_total",
)


def append(fields: dict, data_dir: str | os.PathLike | None = None, now: datetime | None = None) -> dict:
    """Add an entry made of `fields` (the FIELDS; those left out are null) and return it whole.

    Under an exclusive lock on the log: the last entry is read from the end of the file, the new
    one is chained to it, written, flushed and fsynced, then the head is replaced atomically.
    Raises LogUnavailable when the log cannot be locked or written."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown change-log fields: {sorted(unknown)}")
    path = log_path(data_dir)
    now = now or datetime.now().astimezone()
    entry = {name: fields.get(name) for name in FIELDS}
    entry["rows"] = entry["rows"] or {"added": [], "changed": [], "removed": []}
    entry["problems"] = entry["problems"] or []
    entry = json.loads(json.dumps(entry, default=str))  # as it will read back
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        created = not path.exists()
        with open(path, "a+b") as fh, file_lock(fh, LOCK_TIMEOUT, lambda: LogUnavailable(f"{path}: locked")):
            last, ends_cleanly = _last_entry(fh)
            entry["seq"] = (last["seq"] + 1) if last else 1
            entry["at"] = now.isoformat(timespec="seconds")
            entry["prev"] = last["hash"] if last else GENESIS
            entry["hash"] = entry_hash(entry)
            fh.write((b"" if ends_cleanly else b"\n") + canonical(entry) + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
            if created:
                fsync_dir(path.parent)
            head = {"seq": entry["seq"], "hash": entry["hash"]}
            atomic_write(head_path(data_dir), json.dumps(head).encode() + b"\n")
    except OSError as exc:
        raise LogUnavailable(f"{path}: {exc.strerror or exc}") from exc
    return entry


def _last_entry(fh) -> tuple[dict | None, bool]:
    """The last readable entry of the open log (read backwards from its end), and whether the
    file ends with a newline (an interrupted write leaves a partial line, which stays as it is)."""
    fh.seek(0, os.SEEK_END)
    end = fh.tell()
    if end == 0:
        return None, True
    fh.seek(end - 1)
    ends_cleanly = fh.read(1) == b"\n"
    pos, tail, step = end, b"", 65536
    while pos > 0:
        step = min(step * 2, pos)  # doubling: a very long last entry is read in a few steps
        pos -= step
        fh.seek(pos)
        tail = fh.read(step) + tail
        lines = tail.split(b"\n")
        complete = lines if pos == 0 else lines[1:]  # the first piece may be a partial line
        for line in reversed(complete):
            entry = _parse(line)
            if entry is not None:
                return entry, ends_cleanly
    return None, ends_cleanly


# -- checking ----------------------------------------------------------------------------------


@dataclass
class Verdict:
    entries: list[dict]
    breaks: list[Break]
    outside: list[tuple[str, int]]  # (table, seq): the extract differs from what entry seq left
    path: Path

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify(data_dir: str | os.PathLike | None = None) -> Verdict:
    """Read the whole log and check its chain against itself and its head."""
    path = log_path(data_dir)
    head = _read_head(head_path(data_dir))
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = None
    breaks: list[Break] = []
    if raw is None:
        if isinstance(head, dict) and head["seq"] > 0:
            breaks.append(Break("log_missing", None, None, {"first": 1, "last": head["seq"]}))
        return Verdict([], breaks, [], path)
    entries, lines_of = _read_chain(raw, breaks)
    breaks += _head_breaks(head, entries, lines_of)
    return Verdict(entries, breaks, _outside(entries, data_dir), path)


def _head_breaks(head: dict | str | None, entries: list[dict], lines_of: dict[int, int]) -> list[Break]:
    """The head against the log's last entry."""
    last = entries[-1] if entries else None
    if not isinstance(head, dict):  # none, or "unreadable"
        return [Break("head_missing" if head is None else "head_unreadable")] if entries else []
    if last is None or head["seq"] > last["seq"]:
        return [Break("missing_tail", None, None, {"first": last["seq"] + 1 if last else 1, "last": head["seq"]})]
    if head["seq"] == last["seq"] and head["hash"] != last["hash"]:
        return [Break("rehashed", lines_of.get(last["seq"]), last["seq"], {"next": "head"})]
    if head["seq"] < last["seq"]:
        # an append interrupted between the log and the head leaves the head one entry behind
        before = entries[-2] if len(entries) > 1 else None
        if not (head["seq"] == last["seq"] - 1 and before and before["hash"] == head["hash"]):
            return [Break("head_behind", None, head["seq"], {"last": last["seq"]})]
    return []


def _read_head(path: Path) -> dict | str | None:
    try:
        head = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError, OSError):
        return "unreadable"
    if not (isinstance(head, dict) and isinstance(head.get("seq"), int) and isinstance(head.get("hash"), str)):
        return "unreadable"
    return head


def _outside(entries: list[dict], data_dir) -> list[tuple[str, int]]:
    """Extracts whose bytes are not those the last entry that wrote them left."""
    last_after: dict[str, tuple[str, int]] = {}
    for e in entries:
        if e.get("result") in ("applied", "restored") and e.get("table") in db.TABLES and e.get("after_sha256"):
            last_after[e["table"]] = (e["after_sha256"], e["seq"])
    folder = Path(data_dir or paths.data_dir())
    return [
        (table, seq)
        for table, (digest, seq) in sorted(last_after.items())
        if sha256_file(folder / f"{table}.csv") != digest
    ]


# -- reading it out ----------------------------------------------------------------------------


def shown_time(at: str | None) -> str:
    """dd/mm/yyyy HH:MM:SS in the department's time zone (as stored, when that zone is unknown)."""
    try:
        moment = datetime.fromisoformat(str(at))
    except ValueError:
        return str(at)
    try:
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo(TIMEZONE))
    except (ImportError, KeyError, ValueError, OSError):
        pass
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def shown_stamp(stamp: str) -> str:
    """A kept version's stamp (20251129-194502, the server's local time; -1 for a second one in
    the same second) as shown_time shows a time: 30/11/2025 02:45:02 (1) in the department's zone."""
    parts = stamp.split("-")
    n = parts[2] if len(parts) == 3 else ""
    try:
        moment = datetime.strptime(stamp[:15], "%Y%m%d-%H%M%S").astimezone()
    except ValueError:
        return stamp
    return shown_time(moment.isoformat()) + (f" ({n})" if n else "")


def who(entry: dict, lang: str = i18n.DEFAULT_LANG) -> str:
    """The editor's name, or “command line (user)”."""
    if entry.get("editor"):
        return str(entry["editor"])
    return i18n.t("changelog.command_line", lang, user=entry.get("system_user") or "?")


def counts(entry: dict) -> tuple[int, int, int]:
    rows = entry.get("rows") or {}
    added, changed, removed = (len(rows.get(k) or []) for k in ("added", "changed", "removed"))
    return added, changed, removed


def name_of(entry: dict | None, seq: int | None, line: int | None, lang: str) -> str:
    """“entry #3 (line 3, 29/11/2025 19:45:02, observations)”: how a message names an entry."""
    parts = []
    if line is not None:
        parts.append(i18n.t("changelog.at_line", lang, line=line))
    if entry:
        parts += [shown_time(entry.get("at")), str(entry.get("table") or "—")]
    label = i18n.t("changelog.entry", lang, seq=seq if seq is not None else "?")
    return f"{label} ({', '.join(parts)})" if parts else label


def break_message(found: Break, verdict: Verdict, lang: str = i18n.DEFAULT_LANG) -> str:
    by_seq = {e["seq"]: e for e in verdict.entries}
    named = name_of(by_seq.get(found.seq), found.seq, found.line, lang)
    args = {k: v for k, v in found.args.items()}
    if "first" in args:
        one = args["first"] == args["last"]
        args["which"] = i18n.t("changelog.one_entry" if one else "changelog.entries", lang, seq=args["first"], **args)
    if args.get("next") == "head":
        args["next"] = HEAD_NAME
    elif "next" in args:
        args["next"] = i18n.t("changelog.entry", lang, seq=args["next"])
    return i18n.t(
        f"changelog.break.{found.code}", lang, entry=named, seq=found.seq, line=found.line, file=LOG_NAME, **args
    )


def summary(verdict: Verdict, lang: str = i18n.DEFAULT_LANG) -> list[str]:
    """What `make check-log` prints: the verdict, each break, and extracts changed outside."""
    out = []
    where = paths.shown(verdict.path)
    if verdict.ok and not verdict.entries:
        out.append(i18n.t("changelog.check_empty", lang, file=where))
    elif verdict.ok:
        last = verdict.entries[-1]
        out.append(
            i18n.t(
                "changelog.check_whole",
                lang,
                file=where,
                n=len(verdict.entries),
                seq=last["seq"],
                at=shown_time(last["at"]),
                hash=last["hash"],
            )
        )
    else:
        out.append(i18n.t("changelog.check_broken", lang, file=where, n=len(verdict.breaks)))
        out += ["  " + break_message(b, verdict, lang) for b in verdict.breaks]
    for table, seq in verdict.outside:
        out.append(outside_text(verdict, table, seq, lang))
    return out


def outside_text(verdict: Verdict, table: str, seq: int, lang: str) -> str:
    """That an extract differs from what entry `seq` left, naming the file where it is (the
    data folder of the log the verdict read)."""
    extract = verdict.path.parent.parent / f"{table}.csv"
    return i18n.t("changelog.outside", lang, file=paths.shown(extract), seq=seq)


def describe(entry: dict, lang: str = i18n.DEFAULT_LANG) -> str:
    """One line for an entry, as the command line lists them."""
    added, changed, removed = counts(entry)
    file = entry.get("file") or {}
    sha = (file.get("sha256") or "")[:12]
    key = f"changelog.line.{entry.get('action')}_{entry.get('result')}"
    text = i18n.t(
        key if i18n.has(key) else "changelog.line.other",
        lang,
        table=entry.get("table") or "—",
        file=file.get("name") or "—",
        sha=sha or "—",
        added=added,
        changed=changed,
        removed=removed,
        version=entry.get("version") or "—",
        problems=entry.get("problems_total") or 0,
    )
    kept = i18n.t("changelog.line.kept", lang, path=kept_path(entry["history"])) if entry.get("history") else ""
    return f"#{entry.get('seq')}  {shown_time(entry.get('at'))}  {who(entry, lang)}  {text}{kept}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sctdash.editing.changelog", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the chain is whole")
    parser.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    args = parser.parse_args(argv)
    verdict = verify()
    if not args.check:
        for entry in verdict.entries:
            print(describe(entry, args.lang))
    for line in summary(verdict, args.lang):
        print(line, file=sys.stdout if verdict.ok else sys.stderr)
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
