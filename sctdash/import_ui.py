"""The upload form of the data page: editors sign in, upload a CSV/XLSX, see the preview, confirm.

Editors are listed in .streamlit/secrets.toml:

    [editors]
    lan = "pbkdf2_sha256$600000$<salt>$<hash>"   # python -m sctdash.importer --hash-password --user lan

With no editor configured nothing is shown and `make import` is the only way in. Failed
sign-ins are limited per user name (MAX_FAILURES within FAILURE_WINDOW seconds, in this
process). Whatever a user typed or uploaded is shown only inside tables and plain text, never
as Markdown or HTML; the checking and writing are sctdash.importer's, the same as the command
line's.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

import pandas as pd
import streamlit as st

from sctdash import importer

MAX_FAILURES = 5
FAILURE_WINDOW = 600.0  # seconds


class LoginLimiter:
    """Failed sign-ins per user name within a sliding window, shared by the sessions of a process."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW):
        self.max_failures, self.window = max_failures, window
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, name: str, now: float) -> deque:
        q = self._failures[name]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, name: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            return len(self._trim(name.casefold(), now)) >= self.max_failures

    def failed(self, name: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._trim(name.casefold(), now).append(now)

    def reset(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.casefold(), None)


LIMITER = LoginLimiter()
_DUMMY_HASH = importer.hash_password("", salt="0" * 32)


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


def sign_in(name: str, password: str, known: dict[str, str], limiter: LoginLimiter = LIMITER) -> str:
    """'ok', 'failed' or 'blocked'; every failure counts towards the limit."""
    name = name.strip()
    if limiter.blocked(name):
        return "blocked"
    stored = known.get(name)
    ok = importer.verify_password(password, stored or _DUMMY_HASH) and stored is not None
    if ok:
        limiter.reset(name)
        return "ok"
    limiter.failed(name)
    return "failed"


def render_import(lang: str) -> None:
    known = editors()
    if not known:
        return
    t = importer.text
    st.subheader(t("import_ui.title", lang))
    user = st.session_state.get("import_editor")
    if user not in known:
        _login(known, lang)
        return
    st.text(t("import_ui.signed_in", lang, user=user))
    st.button(t("import_ui.logout", lang), key="import_logout", on_click=_logout)
    round_ = st.session_state.get("import_round", 0)
    upload = st.file_uploader(
        t("import_ui.upload", lang),
        type=["csv", "xlsx"],
        key=f"import_file_{round_}",
        help=t("import_ui.upload_help", lang, limit_mb=importer.MAX_BYTES // (1024 * 1024)),
    )
    done = st.session_state.pop("import_done", None)
    if done:
        st.success(done)
    if upload is None:
        return
    preview = _preview(upload)
    _show(preview, lang)


def _logout() -> None:
    st.session_state.pop("import_editor", None)
    st.session_state.pop("import_preview", None)


def _login(known: dict[str, str], lang: str) -> None:
    t = importer.text
    with st.form("import_login"):
        name = st.text_input(t("import_ui.username", lang), key="import_user")
        password = st.text_input(t("import_ui.password", lang), type="password", key="import_password")
        submitted = st.form_submit_button(t("import_ui.sign_in", lang))
    if not submitted:
        st.caption(t("import_ui.editors_only", lang))
        return
    result = sign_in(name, password, known)
    if result == "ok":
        st.session_state["import_editor"] = name.strip()
        st.rerun()
    elif result == "blocked":
        st.error(t("import_ui.rate_limited", lang, minutes=int(FAILURE_WINDOW // 60)))
    else:
        st.error(t("import_ui.login_failed", lang))


def _preview(upload) -> importer.Preview:
    data_dir = importer.paths.data_dir()
    key = (upload.file_id, importer.db.fingerprint(data_dir))
    cached = st.session_state.get("import_preview")
    if cached and cached[0] == key:
        return cached[1]
    if upload.size > importer.MAX_BYTES:  # refused from the size alone
        label = importer._label(upload.name)
        problem = importer.Problem(label, None, None, None, "too_large", importer._size_args(upload.size))
        preview = importer.Preview(label, problems=[problem])
    else:
        preview = importer.check_bytes(upload.name, upload.getvalue(), data_dir)
    st.session_state["import_preview"] = (key, preview)
    return preview


def _show(preview: importer.Preview, lang: str) -> None:
    t = importer.text
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
            outcome = preview.apply()
        except importer.ImportRefused as refused:
            st.error(t("import_ui.refused", lang, n=len(refused.problems)))
            rows = [{"message": importer.problem_message(p, lang)} for p in refused.problems]
            st.dataframe(pd.DataFrame(rows), hide_index=True, key="import_apply_problems")
            st.session_state.pop("import_preview", None)
            return
        st.cache_data.clear()  # the Store itself is keyed by the files' fingerprint
        st.session_state.pop("import_preview", None)
        st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
        st.session_state["import_done"] = t(
            "import.applied",
            lang,
            table=outcome.table,
            added=outcome.added,
            changed=outcome.changed,
        )
        st.rerun()


def _labels(lang: str) -> dict[str, str]:
    names = ("file", "line", "column", "value", "message", "key", "old", "new")
    return {n: importer.text(f"import_ui.col_{n}", lang) for n in names}
