"""Validated imports of new extracts: one code path for the upload on the data page and the
command line (`python -m sctdash.editing.importer`, see cli.py).

The package, one module per stage:

    reading.py   the file's size, kind, encoding, separator, header and extract
    checking.py  its cells against the schema's rules and the current extracts
    preview.py   the rows it adds and changes; the merged extract checked again
    history.py   applying and restoring, under a lock, kept in data/history/, logged
    staging.py   the schema as the importer reads it, and the staging databases
    cli.py       the command line

What a file goes through, in order:

1. Size: a file over MAX_BYTES (10 MB) is refused from its size alone, before it is read.
2. Reading: an XLSX (recognised by its content, not its name) is read with openpyxl's cached
   values (data_only); a formula without a cached value, or with an error value, is refused.
   Merged cells carry their value into every cell they cover. Each sheet whose header row
   names the columns of an extract is a candidate; exactly one must be. Anything else is
   text: UTF-8 (with or without BOM), UTF-16/32 by BOM, else Windows-1258 or cp1252 when the
   decoded text is plausible (no stray combining marks or control characters), otherwise it is
   refused; never stored as mojibake. The separator (`,` `;` or tab) is sniffed from the header.
3. Cleaning: every cell is NFC-normalised and stripped; blank lines are skipped; header names
   are matched case-insensitively; numeric columns (by the schema's types) accept decimal
   commas (`5,03`), dot or space thousands (`2.801,7`); date columns accept d/m/yyyy.
   Cells beginning with = + - @ in text columns are kept as given: they are data.
4. Recognition: the extract (a table of db.TABLES) is the one whose columns the header names,
   whatever the file is called. A template of sctdash.editing.templates is read as it is: its guide and
   lists sheets are left out; its example row left as it is is skipped, the preview says so
   (also once the data sheet is saved as CSV); a row that keeps the example's "Ví dụ…" words
   but was changed elsewhere is refused; an area in the drop-down's "name — code" form (in any
   file) becomes its code.
5. Checking, in a staging DuckDB database holding the current extracts: every rule of
   queries/_schema.sql (validate.validate), whole numbers in integer columns, indicators'
   min_value/max_value for observations, duplicates within the file; then each row against the
   current rows by primary key (same values: unchanged; changed values: an update, with old and
   new values; new key: an addition). The merged extract is written to a scratch file and loaded
   with the other extracts in a second staging database, so the bytes that will be written are
   the bytes that were checked. The importer never deletes rows; columns the file leaves out keep
   their current values in updated rows.
6. Applying (under a file lock in the cache dir, so two imports never interleave): the data is
   re-fingerprinted to make sure nothing changed since the check, the current file is kept as
   data/history/<table>-<YYYYmmdd-HHMMSS>.csv, and the new one replaces it atomically (scratch
   file beside it, fsync, os.replace). Readers see the old file or the new one, never a mix.
7. Logging: before apply or restore returns, an entry is appended to the change log
   (sctdash.editing.changelog, data/history/changelog.jsonl) and fsynced: who (the editor on the data
   page, or the system user on the command line), the file and its SHA-256, the rows added,
   changed (old → new) and removed, the version kept. If it cannot be written, the write is
   undone and the import refused. Refused files are logged too, with their problems.

Every problem is a validate.Problem; texts come from text.toml and text_import.toml.
"""

from __future__ import annotations

from sctdash.core.i18n import problem_message
from sctdash.editing.importer.checking import check_bytes, check_file, refused_by_size
from sctdash.editing.importer.cli import main
from sctdash.editing.importer.history import (
    ImportRefused,
    Outcome,
    apply,
    history_dir,
    history_path,
    history_versions,
    import_lock,
    log_refused,
    restore,
    version_rows,
)
from sctdash.editing.importer.preview import Addition, Change, Preview, describe
from sctdash.editing.importer.reading import MAX_BYTES

__all__ = [
    "MAX_BYTES",
    "Addition",
    "Change",
    "ImportRefused",
    "Outcome",
    "Preview",
    "apply",
    "history_dir",
    "check_bytes",
    "check_file",
    "describe",
    "history_path",
    "history_versions",
    "import_lock",
    "log_refused",
    "main",
    "problem_message",
    "refused_by_size",
    "restore",
    "version_rows",
]
