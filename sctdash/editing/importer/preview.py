"""What a file would do, before anything is written: the rows it adds and the cells it
changes, by primary key against the current extract, and the merged extract checked again
with every other one; and the preview told as lines of text.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sctdash.core import i18n
from sctdash.core.i18n import problem_message, t
from sctdash.editing import changelog
from sctdash.editing.importer import history
from sctdash.editing.importer.staging import default_texts, range_violations, stage, typed, with_defaults
from sctdash.store.validate import Problem


@dataclass(frozen=True)
class Addition:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Change:
    line: int
    key: dict[str, str]
    old: dict[str, str]  # the changed columns only
    new: dict[str, str]


@dataclass
class Preview:
    """What a file would do: problems (then it is refused), or the rows it adds and changes."""

    label: str
    table: str | None = None
    problems: list[Problem] = field(default_factory=list)
    added: list[Addition] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0  # current rows the file does not mention (never deleted)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    example_lines: list[int] = field(default_factory=list)  # a template's example row, skipped
    data_dir: Path | None = None
    merged: bytes | None = field(default=None, repr=False)
    base: str | None = field(default=None, repr=False)  # db.fingerprint of the extracts before the check
    sha256: str | None = None  # of the file's bytes, for the change log (None: refused unread)
    size: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def nothing_to_change(self) -> bool:
        return self.ok and not self.added and not self.changed

    def apply(self, actor: changelog.Actor | None = None) -> history.Outcome:
        """Write it (history.apply): refused if anything changed since the check."""
        return history.apply(self, actor)

    def messages(self, lang: str = i18n.DEFAULT_LANG) -> list[str]:
        return [problem_message(p, lang) for p in self.problems]

    def summary(self, lang: str = i18n.DEFAULT_LANG) -> str:
        """“N rows added, M changed, …”, as the command line and the data page say it."""
        return t(
            "import.summary",
            lang,
            added=len(self.added),
            changed=len(self.changed),
            unchanged=self.unchanged,
            kept=self.kept,
        )

    def problem_rows(self, lang: str = i18n.DEFAULT_LANG) -> list[dict]:
        """The problems as plain rows for a table: file, line, column, value, message."""
        return [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "value": p.value,
                "message": problem_message(p, lang).split(": ", 1)[-1],
            }
            for p in self.problems
        ]

    def change_rows(self) -> list[dict]:
        """One row per changed cell: line, key, column, old, new."""
        return [
            {
                "line": c.line,
                "key": ", ".join(c.key.values()),
                "column": col,
                "old": c.old[col],
                "new": c.new[col],
            }
            for c in self.changed
            for col in c.new
        ]


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line or 0, p.column or "", p.code))


def diff(preview, table, schema, present, rows, data_dir: Path, label: str, baseline, before) -> None:
    types = dict(schema.columns)
    defaults = default_texts(table)
    target = data_dir / f"{table}.csv"
    cur_header, cur_rows = read_current(target)
    columns = schema.column_names
    current = [with_defaults(columns, dict(zip(cur_header, row, strict=False)), defaults) for row in cur_rows]
    pk = schema.primary_key or columns

    def key_of(values: dict[str, str]):
        return tuple(typed(types[c], values.get(c) or defaults.get(c, "")) for c in pk)

    by_key = {key_of(dict(zip(columns, row, strict=True))): i for i, row in enumerate(current)}
    merged = [list(r) for r in current]
    touched = set()
    for line, given in rows:
        values = {c: v or defaults.get(c, "") for c, v in given.items()}  # an empty `status` is official
        k = key_of(values)
        if k in by_key:
            i = by_key[k]
            touched.add(i)
            old = dict(zip(columns, current[i], strict=True))
            diff_cols = [c for c in present if typed(types[c], values[c]) != typed(types[c], old[c])]
            if not diff_cols:
                preview.unchanged += 1
                continue
            for c in diff_cols:
                merged[i][columns.index(c)] = values[c]
            preview.changed.append(
                Change(
                    line,
                    {c: old[c] for c in pk},
                    {c: old[c] for c in diff_cols},
                    {c: values[c] for c in diff_cols},
                )
            )
        else:
            new_row = with_defaults(columns, values, defaults)
            merged.append(new_row)
            preview.added.append(Addition(line, dict(zip(columns, new_row, strict=True))))
    preview.kept = len(current) - len(touched)
    if not preview.added and not preview.changed:
        return
    merged_bytes = csv_bytes(columns, merged)
    # the bytes to be written, loaded with every other extract
    with tempfile.TemporaryDirectory(prefix="sct-import-") as tmp:
        scratch = Path(tmp) / f"{table}.csv"
        scratch.write_bytes(merged_bytes)
        con, after = stage(data_dir, {table: scratch})
        try:
            problems = list(after.get(table, []))
            for other, found in after.items():
                if other != table and len(found) > len(before.get(other, [])):
                    problems += found
            violations = range_violations(con)
        finally:
            con.close()
    for ind, count in violations.items():
        if count > baseline.get(ind, 0):
            line = next((ln for (ln, v) in rows if v.get("indicator_id") == ind), None)
            problems.append(
                Problem(
                    label,
                    line,
                    "min_value",
                    ind,
                    "range_excludes_existing",
                    {"count": count},
                )
            )
    if problems:
        preview.problems = sorted_problems(problems)
        preview.added, preview.changed, preview.unchanged = [], [], 0
        return
    preview.merged = merged_bytes


def read_current(path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        records = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    return (records[0], records[1:]) if records else ([], [])


def csv_bytes(columns: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def describe(preview: Preview, lang: str = i18n.DEFAULT_LANG) -> list[str]:
    """The preview as lines of text (the command line prints them; tests read them)."""
    out = []
    if preview.table:
        out.append(t("import.recognised", lang, file=preview.label, table=preview.table))
    if preview.sheet:
        out.append(t("import.sheet", lang, sheet=preview.sheet))
    if preview.example_lines:
        out.append(t("import.example_skipped", lang, lines=", ".join(map(str, preview.example_lines))))
    if preview.encoding:
        out.append(
            t(
                "import.encoding",
                lang,
                encoding=preview.encoding,
                delimiter=repr(preview.delimiter),
            )
        )
    if preview.problems:
        out.append(t("import.refused", lang, n=len(preview.problems)))
        out += ["  " + m for m in preview.messages(lang)]
        return out
    if preview.nothing_to_change:
        out.append(t("import.nothing_to_change", lang, table=preview.table))
        return out
    out.append(preview.summary(lang))
    for a in preview.added:
        shown = ", ".join(f"{k}={v}" for k, v in a.values.items() if v)
        out.append("  + " + t("import.line", lang, line=a.line) + ": " + shown)
    for c in preview.changed:
        key = ", ".join(c.key.values())
        for col in c.new:
            out.append(
                "  ~ " + t("import.line", lang, line=c.line) + f" [{key}] {col}: {c.old[col]!r} → {c.new[col]!r}"
            )
    return out
