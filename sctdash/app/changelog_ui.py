"""The data page's "Lịch sử cập nhật" section, and when each quoted figure last changed.

The log is read and checked (sctdash.editing.changelog.verify) once per version of the log and the
extracts, in st.cache_data; the section shows whether the chain is whole, naming each entry
edited or removed, then the entries newest first, filtered by extract and by editor, with a
CSV download (one row per row added, changed or removed, or per problem of a refused file)
and the rows of one chosen entry. Text from the log is shown in tables and plain text only.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from sctdash.core import i18n, paths
from sctdash.core.i18n import problem_message, t
from sctdash.editing import changelog
from sctdash.exports import sheets
from sctdash.store import db
from sctdash.store.validate import Problem

ENTRY_COLUMNS = ("seq", "at", "who", "via", "action", "table", "file", "sha256", "added", "changed", "removed")
ENTRY_COLUMNS += ("problems", "history", "version")
FLAT_COLUMNS = ("seq", "at", "who", "via", "action", "table", "file", "sha256", "history", "version")
FLAT_COLUMNS += ("change", "key", "line", "column", "old", "new", "hash")
FIGURE_KEY = ("indicator_id", "area_code", "year_from", "year_to", "category", "variant")


# -- reading -----------------------------------------------------------------------------------


def _signature(data_dir: Path) -> tuple:
    """What a verdict depends on: the log, its head and the extracts, by size and time."""
    parts = []
    for path in (changelog.log_path(data_dir), changelog.head_path(data_dir)):
        try:
            st_ = path.stat()
            parts.append((st_.st_size, st_.st_mtime_ns))
        except FileNotFoundError:
            parts.append(None)
    return (*parts, db.fingerprint(data_dir))


# cache_resource, not cache_data: the verdict is read only, and may be large; cache_data would
# copy it (pickle) at every run of the page.
@st.cache_resource(max_entries=4, show_spinner=False)
def _verdict(data_dir: str, signature: tuple) -> changelog.Verdict:
    return changelog.verify(data_dir)


def verdict(data_dir: Path | None = None) -> changelog.Verdict:
    data_dir = Path(data_dir or paths.data_dir())
    return _verdict(str(data_dir), _signature(data_dir))


# -- the entries as rows -------------------------------------------------------------------------


def action(entry: dict, lang: str) -> str:
    key = f"changelog.action.{entry.get('action')}_{entry.get('result')}"
    return t(key, lang) if i18n.has(key) else f"{entry.get('action')} {entry.get('result')}"


def _via(entry: dict, lang: str) -> str:
    key = f"changelog.via.{entry.get('via')}"
    return t(key, lang) if i18n.has(key) else str(entry.get("via"))


def _key_text(key) -> str:
    return ", ".join(str(v) for v in (key or {}).values())


def entry_row(entry: dict, lang: str) -> dict:
    added, changed, removed = changelog.counts(entry)
    file = entry.get("file") or {}
    return {
        "seq": entry.get("seq"),
        "at": changelog.shown_time(entry.get("at")),
        "who": changelog.who(entry, lang),
        "via": _via(entry, lang),
        "action": action(entry, lang),
        "table": entry.get("table") or "",
        "file": file.get("name") or "",
        "sha256": file.get("sha256") or "",
        "added": added,
        "changed": changed,
        "removed": removed,
        "problems": entry.get("problems_total") or 0,
        "history": changelog.kept_path(entry["history"]) if entry.get("history") else "",
        "version": entry.get("version") or "",
    }


def detail_rows(entry: dict, lang: str) -> list[dict]:
    """One row per row added or removed, per changed value, and per problem of a refusal."""
    rows = entry.get("rows") or {}
    out = []
    for r in rows.get("added") or []:
        out.append({"change": "added", "key": _key_text(r.get("key")), "line": r.get("line")})
    for r in rows.get("changed") or []:
        for col, new in (r.get("new") or {}).items():
            out.append(
                {
                    "change": "changed",
                    "key": _key_text(r.get("key")),
                    "line": r.get("line"),
                    "column": col,
                    "old": (r.get("old") or {}).get(col),
                    "new": new,
                }
            )
    for r in rows.get("removed") or []:
        out.append({"change": "removed", "key": _key_text(r.get("key"))})
    label = (entry.get("file") or {}).get("name") or entry.get("table") or "?"
    for p in entry.get("problems") or []:
        try:
            problem = Problem(label, p.get("line"), p.get("column"), p.get("value"), p.get("code"), p.get("args") or {})
            message = problem_message(problem, lang)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            message = str(p)
        out.append({"change": "problem", "line": p.get("line"), "column": p.get("column"), "new": message})
    for row in out:
        row["change"] = t(f"changelog.kind.{row['change']}", lang)
    return out


def csv_bytes(entries: list[dict], lang: str) -> bytes:
    """The entries flat, one row per detail row (an entry without any keeps one row), written
    as every export is (sctdash.exports.sheets: UTF-8 with BOM, formula-like cells neutralised)."""
    records = []
    for e in entries:
        base = entry_row(e, lang)
        base = {k: base[k] for k in FLAT_COLUMNS if k in base} | {"hash": e.get("hash")}
        for d in detail_rows(e, lang) or [{}]:
            records.append({**base, **d})
    frame = pd.DataFrame(records, columns=list(FLAT_COLUMNS))
    return sheets.csv_bytes(frame.rename(columns={c: t(f"changelog.col.{c}", lang) for c in FLAT_COLUMNS}))


# -- when each figure last changed ---------------------------------------------------------------


def _norm(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def figure_changes(data_dir: Path | None = None) -> dict[tuple, dict]:
    """observations' primary key → the last entry that added or changed that row."""
    data_dir = Path(data_dir or paths.data_dir())
    return _figure_changes(str(data_dir), _signature(data_dir))


@st.cache_resource(max_entries=4, show_spinner=False)
def _figure_changes(data_dir: str, signature: tuple) -> dict[tuple, dict]:
    found = {}
    for e in _verdict(data_dir, signature).entries:
        if e.get("table") != "observations" or e.get("result") not in ("applied", "restored"):
            continue
        rows = e.get("rows") or {}
        for r in (rows.get("added") or []) + (rows.get("changed") or []):
            key = r.get("key") or {}
            found[tuple(_norm(key.get(c)) for c in FIGURE_KEY)] = e
        for r in rows.get("removed") or []:
            key = r.get("key") or {}
            found.pop(tuple(_norm(key.get(c)) for c in FIGURE_KEY), None)
    return found


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def figure_note(changes: dict[tuple, dict], indicator: str, row, lang: str) -> str:
    """“ — *last changed 29/11/2025 19:45:02, entry #3 (lan)*” for a quote line, or ""."""
    key = (indicator, *(_norm(getattr(row, c, None)) for c in FIGURE_KEY[1:]))
    entry = changes.get(tuple(_norm(v) for v in key))
    if entry is None:
        return ""
    text = t(
        "changelog.figure_changed",
        lang,
        at=changelog.shown_time(entry.get("at")),
        seq=entry.get("seq"),
        who=changelog.who(entry, lang),
    )
    return " — *" + _MD_SPECIAL.sub(r"\\\1", text) + "*"


# -- the section ---------------------------------------------------------------------------------


def render_history(lang: str) -> None:
    st.header(t("changelog.title", lang))
    st.caption(t("changelog.intro", lang))
    v = verdict()
    if not v.ok:
        st.error(t("changelog.broken", lang, n=len(v.breaks)))
        st.text("\n".join("• " + changelog.break_message(b, v, lang) for b in v.breaks))
    elif v.entries:
        st.success(t("changelog.whole", lang, n=len(v.entries), seq=v.entries[-1]["seq"]))
    for table, seq in v.outside:
        st.warning(changelog.outside_text(v, table, seq, lang))
    if not v.entries:
        st.info(t("changelog.empty", lang))
        return
    newest_first = list(reversed(v.entries))
    tables = sorted({str(e["table"]) for e in newest_first if e.get("table")})
    people = sorted({changelog.who(e, lang) for e in newest_first})
    every = t("changelog.all", lang)
    left, right = st.columns(2)
    table = left.selectbox(
        t("changelog.filter_table", lang),
        [None, *tables],
        format_func=lambda x: every if x is None else x,
        key="changelog_table_filter",
    )
    person = right.selectbox(
        t("changelog.filter_editor", lang),
        [None, *people],
        format_func=lambda x: every if x is None else x,
        key="changelog_editor_filter",
    )
    shown = [e for e in newest_first if table in (None, e.get("table")) and person in (None, changelog.who(e, lang))]
    labels = {c: t(f"changelog.col.{c}", lang) for c in ENTRY_COLUMNS}
    frame = pd.DataFrame([entry_row(e, lang) for e in shown], columns=list(ENTRY_COLUMNS))
    st.dataframe(frame.rename(columns=labels), hide_index=True, key="changelog_entries")
    st.download_button(
        t("changelog.download", lang),
        data=lambda: csv_bytes(shown, lang),
        file_name=t("changelog.file_name", lang),
        mime="text/csv",
        key="changelog_csv",
        on_click="ignore",
    )
    if not shown:
        return
    by_seq = {e["seq"]: e for e in shown}
    seq = st.selectbox(
        t("changelog.details", lang),
        list(by_seq),
        format_func=lambda s: f"#{s} — {entry_row(by_seq[s], lang)['at']} — {action(by_seq[s], lang)}",
        key="changelog_detail",
    )
    details = detail_rows(by_seq[seq], lang)
    if not details:
        st.caption(t("changelog.no_rows", lang))
        return
    columns = ["change", "key", "line", "column", "old", "new"]
    frame = pd.DataFrame(details, columns=columns).astype("string").fillna("")
    st.dataframe(
        frame.rename(columns={c: t(f"changelog.col.{c}", lang) for c in columns}),
        hide_index=True,
        key="changelog_detail_rows",
    )
