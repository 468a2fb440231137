"""The upload form of the data page: editors sign in, upload a CSV/XLSX, see the preview, confirm.

Editors are listed in .streamlit/secrets.toml:

    [editors]
    lan = "pbkdf2_sha256$600000$<salt>$<hash>"   # python -m sctdash.editing.importer --hash-password --user lan

With no editor configured nothing is shown and `make import` is the only way in. Signing in,
its limits (shared by every process of the machine), sign-out and idle expiry are
sctdash.editing.signin's; an editor who opens the page from another machine over plain HTTP is warned
before typing a password. Whatever a user typed or uploaded is shown only inside tables and
plain text, never as Markdown or HTML; the checking and writing are sctdash.editing.importer's, the
same as the command line's.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from sctdash.app import state
from sctdash.core import paths
from sctdash.core.i18n import t
from sctdash.editing import changelog, importer, signin
from sctdash.store import db


def editors() -> dict[str, str]:
    """User name → password hash, from the [editors] table of the secrets; empty when none."""
    try:
        table = st.secrets.get("editors")
    except Exception:  # noqa: BLE001 - no secrets file, or one that does not parse
        return {}
    if not table:
        return {}
    try:
        return {str(k): str(v) for k, v in dict(table).items() if isinstance(v, str) and v}
    except (TypeError, ValueError):
        return {}


def render_import(lang: str) -> None:
    known = editors()
    if not known:
        return
    st.header(t("import_ui.title", lang))
    if _connection().plain_http_from_afar:
        st.warning(t("import_ui.plain_http", lang))
    user, expired = signin.current_editor(st.session_state, known)
    if expired:
        st.session_state.pop(state.IMPORT_PREVIEW, None)
        st.info(t("import_ui.expired", lang, minutes=int(signin.IDLE_LIMIT // 60)))
    if user is None:
        _login(known, lang)
        return
    st.text(t("import_ui.signed_in", lang, user=user))
    st.button(t("import_ui.logout", lang), key="import_logout", on_click=_logout)
    actor = changelog.page(user)
    done = st.session_state.pop(state.IMPORT_DONE, None)
    if done:
        st.success(done)
    _upload(actor, lang)
    _restore(actor, lang)


def _upload(actor: changelog.Actor, lang: str) -> None:
    round_ = st.session_state.get(state.IMPORT_ROUND, 0)
    upload = st.file_uploader(
        t("import_ui.upload", lang),
        type=["csv", "xlsx"],
        key=f"import_file_{round_}",
        help=t("import_ui.upload_help", lang, limit_mb=importer.MAX_BYTES // (1024 * 1024)),
    )
    if upload is None:
        return
    preview = _preview(upload, actor)
    _show(preview, actor, lang)


def _done(message: str, outcome: importer.Outcome, lang: str) -> None:
    """After a write: fresh caches, a fresh uploader, and the message shown after the rerun."""
    st.cache_data.clear()  # the Store itself is keyed by the files' fingerprint
    st.session_state.pop(state.IMPORT_PREVIEW, None)
    st.session_state[state.IMPORT_ROUND] = st.session_state.get(state.IMPORT_ROUND, 0) + 1
    st.session_state[state.IMPORT_DONE] = message + " " + changelog.logged_text(outcome.entry, lang)
    st.rerun()


def _restore(actor: changelog.Actor, lang: str) -> None:
    """Put back a version kept under data/history/, after showing what it would change."""
    data_dir = paths.data_dir()
    tables = [tbl for tbl in db.TABLES if importer.history_versions(tbl, data_dir)]
    st.markdown("**" + t("import_ui.restore_title", lang) + "**")
    if not tables:
        st.caption(t("import_ui.restore_none", lang, dir=paths.shown(importer.history_dir(data_dir))))
        return
    table = st.selectbox(t("import_ui.restore_table", lang), tables, key="restore_table")
    versions = list(reversed(importer.history_versions(table, data_dir)))
    version = st.selectbox(
        t("import_ui.restore_version", lang), versions, format_func=changelog.shown_stamp, key="restore_version"
    )
    if version is None:
        return
    counts = _restore_counts(table, version, data_dir)
    if not any(counts.values()):
        st.info(t("import.restore_same", lang, table=table, version=version))
        return
    st.text(t("import_ui.restore_preview", lang, table=table, **counts))
    if not st.button(t("import_ui.restore_confirm", lang), key="restore_confirm"):
        return
    try:
        outcome = importer.restore(table, version, data_dir, actor=actor)
    except importer.ImportRefused as refused:
        st.error(t("import_ui.restore_refused", lang, n=len(refused.problems)))
        rows = [{"message": importer.problem_message(p, lang)} for p in refused.problems]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="restore_problems")
        return
    _done(t("import.restored", lang, table=outcome.table, version=outcome.version or ""), outcome, lang)


def _restore_counts(table: str, version: str, data_dir) -> dict[str, int]:
    """Rows a restore would add, change and remove; kept in the session per version of the data."""
    key = (table, version, db.fingerprint(data_dir, log=False))
    cached = st.session_state.get(state.RESTORE_COUNTS)
    if cached and cached[0] == key:
        return cached[1]
    kept = importer.history_path(table, version, data_dir)
    current = data_dir / f"{table}.csv"
    rows = importer.version_rows(table, current.read_bytes() if current.exists() else None, kept.read_bytes())
    counts = {k: len(v) for k, v in rows.items()}
    st.session_state[state.RESTORE_COUNTS] = (key, counts)
    return counts


def _connection() -> signin.Connection:
    """The session's client address and scheme (sctdash.editing.signin.connection over st.context)."""
    ctx = st.context
    return signin.connection(ctx.ip_address, dict(ctx.headers or {}), ctx.url)


def _logout() -> None:
    signin.sign_out(st.session_state)
    st.session_state.pop(state.IMPORT_PREVIEW, None)


def _login(known: dict[str, str], lang: str) -> None:
    with st.form("import_login"):
        name = st.text_input(t("import_ui.username", lang), key="import_user", max_chars=64)
        password = st.text_input(t("import_ui.password", lang), type="password", key="import_password")
        submitted = st.form_submit_button(t("import_ui.sign_in", lang), key="import_sign_in")
    if not submitted:
        st.caption(t("import_ui.editors_only", lang))
        return
    attempt = signin.sign_in(name, password, known, _connection().address)
    if attempt.result == "ok":
        signin.start_session(st.session_state, name.strip())
        st.rerun()
    elif attempt.result == "blocked":
        st.error(t("import_ui.rate_limited", lang, minutes=max(1, math.ceil(attempt.retry_after / 60))))
    elif attempt.result == "unavailable":
        st.error(t("import_ui.signin_unavailable", lang))
    else:
        st.error(t("import_ui.login_failed", lang))


def _preview(upload, actor: changelog.Actor) -> importer.Preview:
    """The upload checked (once per file and version of the data); a refused file is logged."""
    data_dir = paths.data_dir()
    key = (upload.file_id, db.fingerprint(data_dir, log=False))
    cached = st.session_state.get(state.IMPORT_PREVIEW)
    if cached and cached[0] == key:
        return cached[1]
    if upload.size > importer.MAX_BYTES:  # refused from the size alone
        preview = importer.refused_by_size(upload.name, upload.size, data_dir)
    else:
        preview = importer.check_bytes(upload.name, upload.getvalue(), data_dir)
    if preview.problems:
        importer.log_refused(preview, actor)
    st.session_state[state.IMPORT_PREVIEW] = (key, preview)
    return preview


def _show(preview: importer.Preview, actor: changelog.Actor, lang: str) -> None:
    if preview.table:
        st.text(t("import.recognised", lang, file=preview.label, table=preview.table))
    if preview.sheet:
        st.text(t("import.sheet", lang, sheet=preview.sheet))
    if preview.example_lines:
        st.info(t("import.example_skipped", lang, lines=", ".join(map(str, preview.example_lines))))
    if preview.problems:
        st.error(t("import_ui.refused", lang, n=len(preview.problems)))
        frame = pd.DataFrame(
            preview.problem_rows(lang),
            columns=["file", "line", "column", "value", "message"],
        )
        st.dataframe(frame.rename(columns=_labels(lang)), hide_index=True, key="import_problems")
        return
    if preview.nothing_to_change:
        st.info(t("import.nothing_to_change", lang, table=preview.table))
        return
    st.text(preview.summary(lang))
    if preview.added:
        st.markdown("**" + t("import_ui.added", lang, n=len(preview.added)) + "**")
        added = pd.DataFrame([{"line": a.line, **a.values} for a in preview.added]).astype(str)
        st.dataframe(added.rename(columns=_labels(lang)), hide_index=True, key="import_added")
    if preview.changed:
        st.markdown("**" + t("import_ui.changed", lang, n=len(preview.changed)) + "**")
        changed = pd.DataFrame(preview.change_rows(), columns=["line", "key", "column", "old", "new"])
        st.dataframe(
            changed.astype(str).rename(columns=_labels(lang)),
            hide_index=True,
            key="import_changed",
        )
    if st.button(t("import_ui.confirm", lang), key="import_confirm", type="primary"):
        try:
            outcome = preview.apply(actor)
        except importer.ImportRefused as refused:
            st.error(t("import_ui.refused", lang, n=len(refused.problems)))
            rows = [{"message": importer.problem_message(p, lang)} for p in refused.problems]
            st.dataframe(pd.DataFrame(rows), hide_index=True, key="import_apply_problems")
            st.session_state.pop(state.IMPORT_PREVIEW, None)
            return
        _done(
            t("import.applied", lang, table=outcome.table, added=outcome.added, changed=outcome.changed), outcome, lang
        )


def _labels(lang: str) -> dict[str, str]:
    names = ("file", "line", "column", "value", "message", "key", "old", "new")
    return {n: t(f"import_ui.col_{n}", lang) for n in names}
