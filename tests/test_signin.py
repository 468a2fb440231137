"""Signing in: hashes, the failure counter every process shares, its bounds, idle expiry, and
the warning about plain HTTP. Counters live in tmp_path; the processes are real ones."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from sctdash.core import paths
from sctdash.editing import importer, signin

PW = signin.hash_password("mật khẩu", iterations=1000)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SCT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SCT_DATA_DIR", str(paths.ROOT / "data"))
    return tmp_path / "cache"


def run_child(code: str, *args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return run.stdout.strip()


# -- passwords -------------------------------------------------------------------------------


def test_hash_and_verify():
    assert PW.startswith("pbkdf2_sha256$1000$")
    assert signin.verify_password("mật khẩu", PW)
    assert not signin.verify_password("mat khau", PW)
    assert not signin.verify_password("x", "garbage")
    assert not signin.verify_password("", signin.dummy_hash({"lan": PW}))


def test_hash_password_from_the_importer_command_line(monkeypatch, capsys):
    monkeypatch.setattr(importer.cli.getpass, "getpass", lambda prompt="": "bí mật")
    assert importer.main(["--hash-password", "--user", "lan"]) == 0
    line = capsys.readouterr().out.strip()
    name, _, stored = line.partition(" = ")
    assert name == "lan" and signin.verify_password("bí mật", stored.strip('"'))
    assert f"${signin.PBKDF2_ITERATIONS}$" in stored


def test_a_known_and_an_unknown_name_do_the_same_work_and_get_the_same_answer(tmp_path, monkeypatch):
    """The same timing is a property of the code path: one PBKDF2 of the same cost either way."""
    calls = []
    real = signin.hashlib.pbkdf2_hmac

    def spy(name, password, salt, iterations):
        calls.append((name, len(salt), iterations))
        return real(name, password, salt, iterations)

    monkeypatch.setattr(signin.hashlib, "pbkdf2_hmac", spy)
    counter = signin.FailureCounter(tmp_path / "s.sqlite")
    known = {"lan": PW, "minh": signin.hash_password("x", iterations=1000), "hong": "a broken hash"}
    answers = {}
    for who, password in (("lan", "sai"), ("không-có-ai", "sai"), ("hong", "sai"), ("lan", "mật khẩu")):
        calls.clear()
        answers[who, password] = signin.sign_in(who, password, known, "192.0.2.1", counter)
        assert calls == [("sha256", 32, 1000)], (who, calls)
    assert answers["lan", "sai"] == answers["không-có-ai", "sai"] == answers["hong", "sai"] == signin.Attempt("failed")
    assert answers["lan", "mật khẩu"] == signin.Attempt("ok")


# -- the limits ------------------------------------------------------------------------------


def test_limits_per_name_and_per_address(tmp_path):
    c = signin.FailureCounter(tmp_path / "s.sqlite", window=600, max_per_name=5, max_per_address=20)
    t0 = 1_000_000.0
    assert [c.attempt("lan", f"192.0.2.{i}", now=t0) for i in range(5)] == [0.0] * 5
    assert c.attempt("LAN ", "192.0.2.99", now=t0 + 60) == pytest.approx(540)  # the name, from anywhere
    assert c.attempt("lan", "192.0.2.99", now=t0 + 601) == 0.0  # the window has passed
    # one address trying many names
    assert [c.attempt(f"name{i}", "198.51.100.7", now=t0) for i in range(20)] == [0.0] * 20
    assert c.attempt("someone-else", "198.51.100.7", now=t0) > 0
    assert c.attempt("someone-else", "198.51.100.8", now=t0) == 0.0
    # a right password gives the name a fresh start and the address its attempt back
    c.succeeded("name0", "198.51.100.7")
    assert c.attempt("name0", "198.51.100.7", now=t0) == 0.0


def test_sign_in_blocked_after_five_failures_even_with_the_right_password(tmp_path):
    c = signin.FailureCounter(tmp_path / "s.sqlite")
    known = {"lan": PW}
    assert [signin.sign_in("lan", "sai", known, "192.0.2.1", c).result for _ in range(5)] == ["failed"] * 5
    blocked = signin.sign_in("lan", "mật khẩu", known, "192.0.2.2", c)
    assert blocked.result == "blocked" and 0 < blocked.retry_after <= signin.FAILURE_WINDOW
    assert signin.sign_in("other", "x", known, "192.0.2.2", c).result == "failed"


def test_an_unwritable_counter_refuses_sign_in(tmp_path):
    (tmp_path / "cache").write_text("a file where the folder should be")
    c = signin.FailureCounter(tmp_path / "cache" / "signin.sqlite")
    assert signin.sign_in("lan", "mật khẩu", {"lan": PW}, None, c).result == "unavailable"


_CHILD = """
import sys
from sctdash.editing import signin
c = signin.FailureCounter(sys.argv[1])
known = {"lan": signin.hash_password("right", iterations=1000)}
print(",".join(signin.sign_in("lan", "wrong", known, sys.argv[2], c).result for _ in range(int(sys.argv[3]))))
"""


def test_failures_in_two_processes_share_one_limit(tmp_path):
    db = str(tmp_path / "cache" / "signin.sqlite")
    assert run_child(_CHILD, db, "192.0.2.1", "3") == "failed,failed,failed"
    assert run_child(_CHILD, db, "192.0.2.2", "3") == "failed,failed,blocked"
    # and this process too
    assert signin.sign_in("lan", "right", {"lan": PW}, "192.0.2.3", signin.FailureCounter(db)).result == "blocked"


_RACE = """
import sys
from sctdash.editing import signin
c = signin.FailureCounter(sys.argv[1], max_per_name=10_000, max_per_address=10_000)
for _ in range(100):
    assert c.attempt("lan", sys.argv[2]) == 0.0
"""


def test_processes_at_once_lose_no_failure(tmp_path):
    db = tmp_path / "signin.sqlite"
    signin.FailureCounter(db).rows()  # created before the race
    children = [
        subprocess.Popen([sys.executable, "-c", _RACE, str(db), f"192.0.2.{i}"], cwd=paths.ROOT) for i in range(2)
    ]
    assert [p.wait(timeout=600) for p in children] == [0, 0]
    import sqlite3

    with sqlite3.connect(db) as con:
        assert con.execute("select failures from failures where kind = 'name'").fetchall() == [(200,)]


_FLOOD = """
import json, os, sys
from pathlib import Path
from sctdash.editing import signin

path = Path(sys.argv[1])
c = signin.FailureCounter(path)

def rss_kb():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS"))

def disk():
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))

marks = {}
for i in range(100_000):
    c.attempt(f"made-up-{i}", f"10.{i % 256}.{i // 256 % 256}.{i // 65536}")
    if i + 1 in (20_000, 100_000):
        marks[i + 1] = {"rss_kb": rss_kb(), "disk": disk()}
print(json.dumps({"marks": marks, "rows": c.rows()}))
"""


@pytest.mark.slow
def test_100000_made_up_names_leave_memory_and_disk_flat(tmp_path):
    """100,000 failed sign-ins, each a new name from a new address: the file keeps at most
    MAX_KEYS of each, and neither the process's memory nor the file grows after the first
    20,000 (a per-name dict in memory would grow by tens of MB here)."""
    out = json.loads(run_child(_FLOOD, str(tmp_path / "signin.sqlite")))
    early, late = out["marks"]["20000"], out["marks"]["100000"]
    assert out["rows"]["name"] <= signin.MAX_KEYS and out["rows"]["address"] <= signin.MAX_KEYS
    assert late["rss_kb"] - early["rss_kb"] < 4096, out
    assert late["disk"] <= early["disk"] + 256 * 1024 and late["disk"] < 4 * 1024 * 1024, out


# -- idle expiry, the connection ---------------------------------------------------------------


def test_idle_sign_in_ends_after_thirty_minutes():
    state, known, t0 = {}, {"lan": PW}, 1_000_000.0
    signin.start_session(state, "lan", now=t0)
    assert signin.current_editor(state, known, now=t0 + 29 * 60) == ("lan", False)
    assert signin.current_editor(state, known, now=t0 + 29 * 60 + signin.IDLE_LIMIT) == ("lan", False)  # renewed
    assert signin.current_editor(state, known, now=t0 + 29 * 60 + 2 * signin.IDLE_LIMIT + 1) == (None, True)
    assert signin.EDITOR_KEY not in state
    state[signin.EDITOR_KEY] = "lan"  # never through sign_in: no time of activity
    assert signin.current_editor(state, known, now=t0) == (None, True)
    signin.start_session(state, "minh", now=t0)  # no longer an editor
    assert signin.current_editor(state, known, now=t0) == (None, False)


@pytest.mark.parametrize(
    ("peer", "headers", "url", "expected"),
    [
        (None, {}, "http://localhost:8501/data", (None, False)),  # on the machine itself
        ("192.0.2.7", {}, "http://10.0.0.5:8501/data", ("192.0.2.7", False)),  # straight to Streamlit
        (
            None,
            {"X-Real-IP": "192.0.2.7", "X-Forwarded-Proto": "https"},
            "https://sct.example/data",
            ("192.0.2.7", True),
        ),
        (None, {"X-Real-IP": "192.0.2.7", "X-Forwarded-Proto": "http"}, None, ("192.0.2.7", False)),  # nginx on :80
        (None, {"X-Forwarded-For": "203.0.113.9, 192.0.2.7"}, "https://sct.example/", ("192.0.2.7", True)),
        ("192.0.2.7", {"X-Real-IP": "127.0.0.1", "X-Forwarded-Proto": "https"}, None, ("192.0.2.7", False)),  # forged
        (None, {"X-Real-IP": "::1"}, "http://localhost/", (None, False)),
    ],
)
def test_connection(peer, headers, url, expected):
    conn = signin.connection(peer, headers, url)
    assert (conn.address, conn.secure) == expected
    assert conn.plain_http_from_afar == (expected[0] is not None and not expected[1])


# -- on the data page ------------------------------------------------------------------------


def _app():
    from sctdash.app.import_ui import render_import

    render_import("vi")


def _form(editors: dict | None = None) -> AppTest:
    at = AppTest.from_function(_app, default_timeout=60)
    at.secrets["editors"] = editors or {"lan": PW}
    return at


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="import_user").input(name)
    at.text_input(key="import_password").input(password)
    return at.button(key="import_sign_in").click().run()


def test_the_page_answers_alike_for_a_known_and_an_unknown_name(cache):
    known = _sign_in(_form().run(), "lan", "sai")
    unknown = _sign_in(_form().run(), "nobody", "sai")
    assert (
        [e.value for e in known.error]
        == [e.value for e in unknown.error]
        == ["Tên đăng nhập hoặc mật khẩu không đúng."]
    )


def test_sign_in_sign_out_and_idle_expiry_on_the_page(cache):
    at = _sign_in(_form().run(), "lan", "mật khẩu")
    assert not at.exception and at.session_state[signin.EDITOR_KEY] == "lan"
    at.button(key="import_logout").click().run()
    assert signin.EDITOR_KEY not in at.session_state and at.text_input(key="import_user")

    at = _form()
    at.session_state[signin.EDITOR_KEY] = "lan"
    at.session_state[signin.ACTIVE_KEY] = time.time() - signin.IDLE_LIMIT - 1
    at.run()
    assert not at.exception
    assert signin.EDITOR_KEY not in at.session_state
    assert [i.value for i in at.info] == ["Đã tự đăng xuất sau 30 phút không thao tác. Hãy đăng nhập lại."]
    assert at.text_input(key="import_user") and not at.get("file_uploader")


def test_plain_http_from_another_machine_is_warned_before_the_password(cache, monkeypatch):
    from sctdash.app import import_ui

    at = _form().run()
    assert not at.warning  # this machine (AppTest has no client address)
    monkeypatch.setattr(import_ui, "_connection", lambda: signin.Connection("192.0.2.7", False))
    at = _form().run()
    assert "không được mã hóa" in at.warning[0].value and at.text_input(key="import_password")
    monkeypatch.setattr(import_ui, "_connection", lambda: signin.Connection("192.0.2.7", True))
    assert not _form().run().warning
