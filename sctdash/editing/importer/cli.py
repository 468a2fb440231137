"""The command line: python -m sctdash.editing.importer (the package's docstring tells what a file
goes through).

    python -m sctdash.editing.importer FILE [--dry-run] [--lang vi|en]
    python -m sctdash.editing.importer --restore TABLE [--version STAMP]
    python -m sctdash.editing.importer --history TABLE
    python -m sctdash.editing.importer --hash-password [--user NAME]   (sctdash.editing.signin's hash, for secrets.toml)
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys

from sctdash.core import i18n, paths
from sctdash.core.i18n import problem_message, t
from sctdash.editing import changelog, signin
from sctdash.editing.importer.checking import check_file
from sctdash.editing.importer.history import ImportRefused, history_versions, log_refused, restore
from sctdash.editing.importer.preview import describe


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sctdash.editing.importer",
        description="Check and apply a CSV or XLSX extract, or put back a kept version.",
    )
    parser.add_argument("file", nargs="?", help="a CSV or XLSX extract to check and apply")
    parser.add_argument("--dry-run", action="store_true", help="show the preview only; change nothing")
    parser.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    parser.add_argument("--restore", metavar="TABLE", help="put back a kept version of TABLE")
    parser.add_argument("--version", metavar="STAMP", help="with --restore: which version (default: latest)")
    parser.add_argument("--history", metavar="TABLE", help="list the kept versions of TABLE")
    parser.add_argument("--hash-password", action="store_true", help="print a password hash for secrets.toml")
    parser.add_argument("--user", default="editor", help="with --hash-password: the editor's name")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if sum(bool(x) for x in (args.file, args.restore, args.history, args.hash_password)) != 1:
        parser.print_usage(sys.stderr)
        return 2
    if args.hash_password:
        return _hash_password(args.user, args.lang)
    try:
        if args.history:
            for stamp in history_versions(args.history):
                print(stamp)
            return 0
        if args.restore:
            return _restore(args.restore, args.version, args.lang)
        return _import(args.file, args.dry_run, args.lang)
    except ImportRefused as refused:
        for p in refused.problems:
            print(problem_message(p, args.lang), file=sys.stderr)
        return 1


def _hash_password(user: str, lang: str) -> int:
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", user):
        print(t("import.bad_user", lang), file=sys.stderr)
        return 2
    password = getpass.getpass(t("import.password_prompt", lang))
    if password != getpass.getpass(t("import.password_again", lang)) or not password:
        print(t("import.password_mismatch", lang), file=sys.stderr)
        return 1
    print(f'{user} = "{signin.hash_password(password)}"')
    return 0


def _restore(table: str, version: str | None, lang: str) -> int:
    outcome = restore(table, version)
    key = "import.restored" if outcome.status == "restored" else "import.restore_same"
    print(t(key, lang, table=outcome.table, version=outcome.version or ""))
    if outcome.history:
        print(t("import.history_saved", lang, path=paths.shown(outcome.history)))
    if outcome.entry:
        print(changelog.logged_text(outcome.entry, lang))
    return 0


def _import(file: str, dry_run: bool, lang: str) -> int:
    preview = check_file(file)
    stream = sys.stderr if preview.problems else sys.stdout
    for line in describe(preview, lang):
        print(line, file=stream)
    if preview.problems:
        if not dry_run:
            seq = log_refused(preview)
            print(changelog.logged_text(seq, lang), file=sys.stderr)
        return 1
    if preview.nothing_to_change:
        return 0
    if dry_run:
        print(t("import.dry_run", lang))
        return 0
    outcome = preview.apply()
    print(t("import.applied", lang, table=outcome.table, added=outcome.added, changed=outcome.changed))
    if outcome.history:
        print(t("import.history_saved", lang, path=paths.shown(outcome.history)))
    print(changelog.logged_text(outcome.entry, lang))
    return 0
