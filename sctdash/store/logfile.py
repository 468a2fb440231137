"""The change log's file: where it is, how a line reads, and its hash chain.

The store reads the log (the revisions of figures, sctdash.store.revisions) and the editing
layer writes and checks it (sctdash.editing.changelog, which describes the entries): both read
its lines with the one parser here, below either of them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from sctdash.core import paths

LOG_NAME = "changelog.jsonl"
HEAD_NAME = "changelog.head"
GENESIS = "0" * 64


def log_path(data_dir: str | os.PathLike | None = None) -> Path:
    return Path(data_dir or paths.data_dir()) / "history" / LOG_NAME


def head_path(data_dir: str | os.PathLike | None = None) -> Path:
    return Path(data_dir or paths.data_dir()) / "history" / HEAD_NAME


def canonical(entry: dict) -> bytes:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(entry: dict) -> str:
    return hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


def parse(line: bytes) -> dict | None:
    if not line.strip():
        return None
    try:
        entry = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    if not (
        isinstance(entry, dict)
        and isinstance(entry.get("seq"), int)
        and isinstance(entry.get("hash"), str)
        and isinstance(entry.get("prev"), str)
    ):
        return None
    return entry


@dataclass(frozen=True)
class Break:
    """A place where the chain is not whole. `seq` is the entry named, `line` its line."""

    code: str  # unreadable, edited, rehashed, missing, out_of_order, missing_tail, head_missing, log_missing
    line: int | None = None
    seq: int | None = None
    args: dict = field(default_factory=dict)


def read_chain(raw: bytes, breaks: list[Break]) -> tuple[list[dict], dict[int, int]]:
    """The log's entries in order and the line of each; every break of the chain appended."""
    entries: list[dict] = []
    lines_of: dict[int, int] = {}
    expected, prev = 1, GENESIS  # None: not known after an unreadable line
    for lineno, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        entry = parse(line)
        if entry is None:
            breaks.append(Break("unreadable", lineno))
            expected = prev = None
            continue
        seq = entry["seq"]
        if entry_hash(entry) != entry["hash"]:
            breaks.append(Break("edited", lineno, seq))
        if expected is not None and seq > expected:
            breaks.append(Break("missing", lineno, seq, {"first": expected, "last": seq - 1}))
        elif expected is not None and seq < expected:
            breaks.append(Break("out_of_order", lineno, seq, {"expected": expected}))
        elif prev is not None and entry["prev"] != prev:
            before = entries[-1]["seq"] if entries else seq - 1
            breaks.append(Break("rehashed", lines_of.get(before), before, {"next": seq}))
        entries.append(entry)
        lines_of[seq] = lineno
        expected, prev = seq + 1, entry["hash"]
    return entries, lines_of
