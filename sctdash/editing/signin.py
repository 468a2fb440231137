"""Editors' sign-in: password hashes, one failure counter for every process, idle expiry.

Editors are listed in .streamlit/secrets.toml with hashed passwords,

    [editors]
    lan = "pbkdf2_sha256$600000$<salt>$<hash>"

printed by `python -m sctdash.editing.importer --hash-password --user lan`.

**The failure counter** is a small SQLite file, <cache>/signin.sqlite, so that every Streamlit
process on the machine counts against the same limits: MAX_FAILURES_PER_NAME failed sign-ins
per user name and MAX_FAILURES_PER_ADDRESS per client address within FAILURE_WINDOW seconds.
An attempt is counted as a failure *before* the password is checked, in the same transaction
that checks the limits, and given back when it succeeds; so parallel requests cannot slip
past a limit between the check and the count. The names and addresses are stored only as
salted hashes (people type passwords into the name field), one row each, never one row per
attempt; expired rows are dropped and at most MAX_KEYS rows of each kind are kept (the oldest
that are not blocking go first), so a flood of made-up names leaves memory and disk flat.
If the file cannot be written, nobody signs in (fail closed) and the page says why.

**The same answer whether a name exists or not:** an unknown name is checked against a hash
with the editors' own iteration count, so both cases do the same PBKDF2 work, count the same
failure and get the same message.

**Idle expiry:** a sign-in lasts while the editor uses the data page; after IDLE_LIMIT seconds
without a run of the page it ends at the next one.

**The connection:** `connection()` tells the client's address and whether the browser's page
is HTTPS, from Streamlit's context; behind a proxy on this machine (nginx, docs/deploy.md) the
address comes from X-Real-IP and the scheme from the browser's URL or X-Forwarded-Proto.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import sqlite3
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from sctdash.core import paths

PBKDF2_ITERATIONS = 600_000
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW = 600.0  # seconds
MAX_KEYS = 10_000  # rows kept of each kind (user names, addresses)
IDLE_LIMIT = 30 * 60.0  # seconds
DB_NAME = "signin.sqlite"
BUSY_TIMEOUT = 10.0  # seconds a process waits for another's transaction

EDITOR_KEY = "_sct_editor"  # session state: the signed-in editor
ACTIVE_KEY = "_sct_editor_active_at"  # session state: time.time() of the editor's last run of the page


# -- passwords -------------------------------------------------------------------------------


def hash_password(password: str, iterations: int = PBKDF2_ITERATIONS, salt: str | None = None) -> str:
    """pbkdf2_sha256$<iterations>$<salt>$<hex digest>, the form .streamlit/secrets.toml holds."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${digest.hex()}"


def _parse(stored: str) -> tuple[int, bytes, str] | None:
    try:
        algorithm, iterations, salt, expected = str(stored).split("$")
        iterations = int(iterations)
        salt_bytes = salt.encode("ascii")
    except (ValueError, UnicodeEncodeError):
        return None
    if algorithm != "pbkdf2_sha256" or not 1 <= iterations <= 10_000_000:
        return None
    return iterations, salt_bytes, expected


def verify_password(password: str, stored: str) -> bool:
    parsed = _parse(stored)
    if parsed is None:
        return False
    iterations, salt, expected = parsed
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(digest.hex(), expected.lower())


def dummy_hash(known: Mapping[str, str]) -> str:
    """A hash no password matches, with the iteration count most of the editors' hashes have:
    checking an unknown name against it costs what checking a known one does."""
    counts = Counter(p[0] for p in map(_parse, known.values()) if p)
    iterations = counts.most_common(1)[0][0] if counts else PBKDF2_ITERATIONS
    return f"pbkdf2_sha256${iterations}${'0' * 32}${'0' * 64}"


# -- the shared failure counter --------------------------------------------------------------


class Unavailable(Exception):
    """The failure counter's file cannot be read or written; sign-in is refused meanwhile."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


_SCHEMA = """
create table if not exists meta (name text primary key, value) without rowid;
create table if not exists failures (
    kind text not null,          -- 'name' or 'address'
    key blob not null,           -- salted hash of the user name or address
    failures integer not null,   -- within the window that began at window_start
    window_start real not null,  -- time.time()
    last real not null,
    primary key (kind, key)
) without rowid;
"""


class FailureCounter:
    """Failed sign-ins per user name and per client address, in one SQLite file for the machine.

    One connection per process and file, used under a lock by the sessions' threads; each change
    is one IMMEDIATE transaction, so processes take turns. WAL with synchronous=NORMAL: a power
    cut may forget the last few failures, never corrupt the file."""

    def __init__(
        self,
        path: str | Path,
        window: float = FAILURE_WINDOW,
        max_per_name: int = MAX_FAILURES_PER_NAME,
        max_per_address: int = MAX_FAILURES_PER_ADDRESS,
        max_keys: int = MAX_KEYS,
    ):
        self.path = Path(path)
        self.window = window
        self.limits = {"name": max_per_name, "address": max_per_address}
        self.max_keys = max_keys
        self.trim_every = max(1, max_keys // 10)
        self._con: sqlite3.Connection | None = None
        self._salt = b""
        self._lock = threading.Lock()

    # -- the file
    def _connect(self) -> sqlite3.Connection:
        if self._con is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
            try:
                con.execute("pragma page_size = 1024")  # small pages: each change writes little
                con.execute("pragma journal_mode = wal")
                con.execute("pragma synchronous = normal")
                con.execute("pragma journal_size_limit = 1048576")
                con.execute("begin immediate")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        con.execute(statement)
                row = con.execute("select value from meta where name = 'salt'").fetchone()
                if row is None:
                    salt = secrets.token_hex(16)
                    con.execute("insert into meta values ('salt', ?), ('attempts', 0)", (salt,))
                else:
                    salt = row[0]
                con.execute("commit")
            except BaseException:
                con.close()
                raise
            self._con, self._salt = con, bytes.fromhex(salt)
        return self._con

    def _run(self, fn):
        """fn(con) inside one IMMEDIATE transaction; Unavailable when the file fails."""
        with self._lock:
            try:
                con = self._connect()
                con.execute("begin immediate")
                try:
                    result = fn(con)
                except BaseException:
                    con.execute("rollback")
                    raise
                con.execute("commit")
                return result
            except sqlite3.Error as exc:
                self.close_unlocked()
                raise Unavailable(self.path, str(exc)) from None
            except OSError as exc:
                raise Unavailable(self.path, exc.strerror or str(exc)) from None

    def close_unlocked(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            finally:
                self._con = None

    def close(self) -> None:
        with self._lock:
            self.close_unlocked()

    def _key(self, kind: str, value: str) -> bytes:
        return hashlib.sha256(self._salt + kind.encode() + b"\0" + value.encode("utf-8", "replace")).digest()[:16]

    def _keys(self, name: str, address: str | None) -> list[tuple[str, bytes]]:
        return [
            ("name", self._key("name", normalise_name(name))),
            ("address", self._key("address", address or "local")),
        ]

    # -- what sign_in uses
    def attempt(self, name: str, address: str | None, now: float | None = None) -> float:
        """Start a sign-in: 0 when it may go ahead (a failure is then counted already; call
        succeeded() if the password is right), else the seconds to wait before trying again."""
        at = time.time() if now is None else now

        def run(con):
            keys = self._keys(name, address)
            rows = con.execute(
                "select kind, failures, window_start from failures "
                "where (kind = ? and key = ?) or (kind = ? and key = ?)",
                (*keys[0], *keys[1]),
            ).fetchall()
            wait = max(
                (
                    start + self.window - at
                    for kind, n, start in rows
                    if start > at - self.window and n >= self.limits[kind]
                ),
                default=0.0,
            )
            if wait:
                return wait
            self._count(con, keys, at)
            return 0.0

        return self._run(run)

    def succeeded(self, name: str, address: str | None) -> None:
        """The password was right: the name starts afresh; the address gets its attempt back."""

        def run(con):
            (name_key, address_key) = (key for _, key in self._keys(name, address))
            con.execute("delete from failures where kind = 'name' and key = ?", (name_key,))
            con.execute(
                "update failures set failures = max(failures - 1, 0) where kind = 'address' and key = ?",
                (address_key,),
            )

        self._run(run)

    def _count(self, con, keys: list[tuple[str, bytes]], now: float) -> None:
        """One more failure for each key (a new window if its last one is over); every
        trim_every attempts, the rows are trimmed. Between two trims at most trim_every rows of
        each kind are added, so there are never more than max_keys of a kind."""
        stale = now - self.window
        con.execute(
            "insert into failures (kind, key, failures, window_start, last) values (?, ?, 1, ?, ?), (?, ?, 1, ?, ?) "
            "on conflict (kind, key) do update set "
            "failures = case when window_start <= ? then 1 else failures + 1 end, "
            "window_start = case when window_start <= ? then excluded.window_start else window_start end, "
            "last = excluded.last",
            (*keys[0], now, now, *keys[1], now, now, stale, stale),
        )
        (attempts,) = con.execute(
            "update meta set value = value + 1 where name = 'attempts' returning value"
        ).fetchone()
        if attempts % self.trim_every == 0:
            for kind in self.limits:
                self._trim(con, kind, now)

    def _trim(self, con, kind: str, now: float) -> None:
        """Drop the rows of `kind` whose failures have all expired; then, if more than max_keys -
        trim_every are left, the oldest, those not blocking anyone first."""
        con.execute("delete from failures where kind = ? and last <= ?", (kind, now - self.window))
        (rows,) = con.execute("select count(*) from failures where kind = ?", (kind,)).fetchone()
        keep = self.max_keys - self.trim_every
        if rows > keep:
            con.execute(
                "delete from failures where kind = ? and key in ("
                "select key from failures where kind = ? "
                "order by (failures >= ? and window_start > ?), last limit ?)",
                (kind, kind, self.limits[kind], now - self.window, rows - keep),
            )

    def rows(self) -> dict[str, int]:
        """How many names and addresses the file holds (for tests and benchmarks)."""

        def run(con):
            found = dict(con.execute("select kind, count(*) from failures group by kind").fetchall())
            return {kind: found.get(kind, 0) for kind in ("name", "address")}

        return self._run(run)


def normalise_name(name: str) -> str:
    """A user name as the counter keys it: NFC, stripped, case-folded, at most 200 characters."""
    return unicodedata.normalize("NFC", str(name)).strip().casefold()[:200]


_COUNTERS: dict[Path, FailureCounter] = {}
_COUNTERS_LOCK = threading.Lock()


def counter(cache_dir: str | Path | None = None) -> FailureCounter:
    """The process's counter over <cache>/signin.sqlite (one connection per file and process)."""
    path = Path(cache_dir or paths.cache_dir()) / DB_NAME
    with _COUNTERS_LOCK:
        if path not in _COUNTERS:
            _COUNTERS[path] = FailureCounter(path)
        return _COUNTERS[path]


# -- signing in ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    result: str  # "ok", "failed", "blocked" or "unavailable"
    retry_after: float = 0.0  # seconds, when blocked


def sign_in(
    name: str,
    password: str,
    known: Mapping[str, str],
    address: str | None = None,
    failures: FailureCounter | None = None,
) -> Attempt:
    """Check a user name and password against `known` (name → hash), within the limits.

    A known name and an unknown one go through the same steps: one failure counted, one PBKDF2
    of the same cost, one answer ("failed") for any wrong pair."""
    failures = failures or counter()
    name = str(name).strip()
    try:
        wait = failures.attempt(name, address)
    except Unavailable:
        return Attempt("unavailable")
    if wait:
        return Attempt("blocked", wait)
    stored = known.get(name)
    usable = stored is not None and _parse(stored) is not None  # a broken hash costs what a good one does
    ok = verify_password(password, stored if usable else dummy_hash(known)) and usable
    if not ok:
        return Attempt("failed")
    try:
        failures.succeeded(name, address)
    except Unavailable:
        return Attempt("unavailable")
    return Attempt("ok")


def start_session(state: MutableMapping, editor: str, now: float | None = None) -> None:
    state[EDITOR_KEY] = editor
    state[ACTIVE_KEY] = time.time() if now is None else now


def sign_out(state: MutableMapping) -> None:
    state.pop(EDITOR_KEY, None)
    state.pop(ACTIVE_KEY, None)


def current_editor(
    state: MutableMapping, known: Mapping[str, str], now: float | None = None
) -> tuple[str | None, bool]:
    """(the signed-in editor or None, whether the sign-in has just expired).

    A run of the page counts as activity; a sign-in idle for more than IDLE_LIMIT seconds, or
    without a time of activity, or of a name no longer among the editors, is ended."""
    now = time.time() if now is None else now
    editor = state.get(EDITOR_KEY)
    if editor is None:
        return None, False
    last = state.get(ACTIVE_KEY)
    if editor not in known:
        sign_out(state)
        return None, False
    if not isinstance(last, (int, float)) or not 0 <= now - last <= IDLE_LIMIT:
        sign_out(state)
        return None, True
    state[ACTIVE_KEY] = now
    return editor, False


# -- the connection --------------------------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    address: str | None  # the client's address; None for this machine
    secure: bool  # the browser's page is HTTPS

    @property
    def plain_http_from_afar(self) -> bool:
        """Another machine, and a page that is not HTTPS: a password would cross the network in clear."""
        return self.address is not None and not self.secure


def _loopback(address: str | None) -> bool:
    if not address:
        return True
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return address.lower() == "localhost"


def connection(peer: str | None, headers: Mapping[str, str], url: str | None) -> Connection:
    """Where a session comes from and how, from st.context: `peer` is st.context.ip_address (None
    for this machine), `headers` its headers, `url` the page's URL as the browser has it.

    Forwarded headers are believed only from a proxy on this machine (a peer on loopback):
    X-Real-IP (as nginx sets it, docs/deploy.md), else the last X-Forwarded-For entry; the scheme
    is the browser URL's, else X-Forwarded-Proto's."""
    peer = peer if isinstance(peer, str) else None  # (a stand-in object under AppTest)
    url = url if isinstance(url, str) else None
    headers = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    proxied = _loopback(peer)
    address = None if proxied else peer
    if proxied:
        forwarded = headers.get("x-real-ip") or headers.get("x-forwarded-for", "").split(",")[-1]
        address = forwarded.strip()[:64] or None
    if _loopback(address):
        address = None
    scheme = urlparse(url).scheme.lower() if url else ""
    if not scheme and proxied:
        scheme = headers.get("x-forwarded-proto", "").strip().lower()
    return Connection(address, scheme == "https")
