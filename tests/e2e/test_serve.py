"""`make serve` with 2 processes behind nginx, in short: an import reaches both; the processes
speak systemd's notify protocol as the unit has them do; a process killed under load is said in
the log and not started again (systemd does that on a server), while nginx sends its viewers to
the other, where they carry on; Ctrl+C stops it all. With 1 process: SIGTERM stops it all, and
the death of its only process ends make serve, leaving nothing behind.

make serve runs on a copy of the extracts and a cache of its own. Viewers are
sctdash.serving.viewer's protocol-level sessions (Streamlit's messages over its websocket, as
the frontend sends them) and one real Chromium page. No time is asserted but the issue's
bounds: a viewer without a page for at most 10 s.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from sctdash.serving import probe
from sctdash.serving.launched import Launched, alive
from sctdash.serving.viewer import Viewer, district_codes, run_load
from tests.conftest import DATA
from tests.e2e.conftest import choose_district, settle

pytestmark = pytest.mark.slow

WITHOUT_PAGE_S = 10.0  # the bound: no viewer left without a page for longer


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    target = tmp_path_factory.mktemp("serve") / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("history"))
    return target


class NotifySocket:
    """A stand-in for systemd's notify socket: what the processes send to it."""

    def __init__(self, path):
        self.path, self.messages = str(path), []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.settimeout(0.2)
        self.closed = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while not self.closed:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except TimeoutError:
                continue
            except OSError:
                return

    def close(self):
        self.closed = True
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def notify_socket(data_dir):
    sock = NotifySocket(data_dir.parent / "notify.sock")
    yield sock
    sock.close()


def _data_env(data_dir) -> dict[str, str]:
    if not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"):
        pytest.fail("nginx is missing: run `make system-test` (apt package nginx)")
    return {"SCT_DATA_DIR": str(data_dir), "SCT_CACHE_DIR": str(data_dir.parent / "cache")}


def _intact(srv: Launched) -> bool:
    """Still running with nginx and both processes: no test before has killed or stopped any."""
    if srv.exit_code is not None or (srv.proc is not None and srv.proc.poll() is not None):
        return False
    status = srv.status()
    return all(pid and alive(pid) for pid in [status["nginx_pid"], *(p["pid"] for p in status["processes"])])


@pytest.fixture(scope="module")
def clusters(data_dir, notify_socket):
    """make serve with 2 processes, shared by the module's tests while it is intact. A test
    kills a process, another stops it all; `make test` runs tests in any order (xdist's
    worksteal takes a module's tests to either worker), so a test that finds the cluster
    damaged gets a new one."""
    env = {
        **_data_env(data_dir),
        # as the systemd unit with Type=notify and a WatchdogSec of 1.5 s would (sctdash@.service)
        "NOTIFY_SOCKET": notify_socket.path,
        "WATCHDOG_USEC": "1500000",
    }
    made: list[Launched] = []

    def intact() -> Launched:
        if made and _intact(made[-1]):
            return made[-1]
        if made:
            made[-1].stop()
        made.append(Launched(2, data_dir.parent / f"run{len(made)}", env=env).__enter__())
        return made[-1]

    yield intact
    for srv in made:
        srv.stop()


@pytest.fixture
def cluster(clusters):
    return clusters()


def _run(coro):
    """asyncio.run in a thread of its own: Playwright's sync API holds an event loop in this one."""
    out: dict = {}

    def target():
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - raised again below, in the test's thread
            out["error"] = exc

    th = threading.Thread(target=target)
    th.start()
    th.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def _import(data_dir, table: str, csv_text: str) -> None:
    """What `make import FILE=...` runs."""
    upload = data_dir.parent / f"upload-{table}.csv"
    upload.write_text(csv_text, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "sctdash.editing.importer", str(upload), "--lang", "en"],
        check=True,
        capture_output=True,
        env={**os.environ, "SCT_DATA_DIR": str(data_dir), "SCT_CACHE_DIR": str(data_dir.parent / "cache")},
    )


def _vacn_changed(data_dir, value: str) -> str:
    """observations.csv's VACN growth row of the province, with another value."""
    rows = list(csv.DictReader(io.StringIO((data_dir / "observations.csv").read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["indicator_id"] == "vacn_growth_avg" and r["value_kind"] == "reported")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerow({**row, "value": value})
    return out.getvalue()


def test_an_import_reaches_every_process_at_its_next_interaction(cluster, data_dir):
    async def scenario():
        viewers = []
        for name in ("w1", "w2"):
            v = Viewer(cluster.url, "/", name=name)
            v.cookies["sct_route"] = name  # a browser that nginx keeps on that process
            viewers.append(v)
        try:
            before = [await v.open() for v in viewers]
            _import(data_dir, "observations", _vacn_changed(data_dir, "5.2"))
            after = [await v.choose_district(None) for v in viewers]  # their next interaction
            return [v.routes for v in viewers], before, after
        finally:
            for v in viewers:
                await v.close()

    routes, before, after = _run(scenario())
    assert routes == [["w1", "w1"], ["w2", "w2"]]  # each stayed on its own process
    for run in before:
        assert "5,03 %" in run.metrics and not run.exceptions
    for run in after:
        assert "5,2 %" in run.metrics and "5,03 %" not in run.metrics, run.metrics
        assert not run.exceptions


def test_as_systemd_units_the_processes_say_ready_then_feed_the_watchdog(cluster, notify_socket):
    pids = {p["pid"] for p in cluster.status()["processes"]}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready = {int(m.split("MAINPID=")[1].split()[0]) for m in notify_socket.messages if m.startswith("READY=1")}
        if pids <= ready and notify_socket.messages.count("WATCHDOG=1") >= 2 * len(pids):
            break
        time.sleep(0.2)
    assert pids <= ready, notify_socket.messages[:10]
    assert notify_socket.messages.count("WATCHDOG=1") >= 2 * len(pids)
    first_ready = next(i for i, m in enumerate(notify_socket.messages) if m.startswith("READY=1"))
    assert "WATCHDOG=1" not in notify_socket.messages[:first_ready]  # fed only once serving


def _fingerprints(data_dir) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(data_dir.glob("*.csv"))}


def _page_trouble(page) -> str:
    """What a viewer of this page would take for an error page: the connection lost, an error
    dialog, an exception. Empty when the page is fine."""
    status = page.locator('[data-testid="stStatusWidget"]')
    text = " ".join(status.all_inner_texts()) if status.count() else ""
    if "Connecting" in text or "Error" in text:
        return f"status: {text.strip()}"
    if page.locator('[role="dialog"]').count():
        return "dialog: " + page.locator('[role="dialog"]').first.inner_text()[:200]
    if page.locator('[data-testid="stException"]').count():
        return "exception"
    return ""


def test_a_process_killed_under_load_is_not_started_again_and_its_viewers_carry_on_on_the_other(
    cluster, data_dir, browser
):
    """make serve restarts nothing (systemd's Restart=always does, on a server: the unit's test
    reads it). nginx sends a killed process's viewers to the other process, where they carry on
    within the bound; the log says which process ended and how; new visitors all go to the
    process left."""
    from tests.e2e.test_browser import chart_titles, chips, query

    data_before = _fingerprints(data_dir)
    browser_ready, go, out = threading.Event(), threading.Event(), {}

    async def until_the_browser_is_ready():
        while not browser_ready.is_set():
            await asyncio.sleep(0.05)

    async def kill_soon(viewers):
        await asyncio.sleep(0.5)  # a few changes under way
        go.set()

    async def viewers_under_load():
        codes = await district_codes(cluster.url, labels=3)
        labels = list(codes)

        def alternate(i: int, j: int, options: list[str]) -> str:
            return labels[(i + j) % len(labels)]  # each label again and again: every page is checked

        return await run_load(
            cluster.url,
            4,
            10,
            codes=codes,
            pick=alternate,
            hold=until_the_browser_is_ready,
            during=kill_soon,
            timeout=60,
        )

    def load() -> None:
        try:
            out["load"] = asyncio.run(viewers_under_load())
        finally:
            go.set()

    thread = threading.Thread(target=load)
    thread.start()
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, locale="vi-VN")
    try:
        page = ctx.new_page()
        page.goto(cluster.url + "/electricity?district=535")  # a viewer of Ba Tơ, idle when the kill comes
        settle(page)
        before = chart_titles(page)
        victim = next(c["value"] for c in ctx.cookies() if c["name"] == "sct_route")
        victim_pid, victim_port = cluster.process(victim)["pid"], cluster.process(victim)["port"]
        survivor = next(p for p in cluster.status()["processes"] if p["name"] != victim)
        browser_ready.set()
        assert go.wait(120) and "load" not in out, "the viewers did not open"
        killed_at = time.monotonic()
        os.kill(victim_pid, signal.SIGKILL)

        # the browser: back on its feet within the bound, then it works on the other process
        worst, trouble = 0.0, ""
        page.wait_for_timeout(300)
        while time.monotonic() - killed_at < 2 * WITHOUT_PAGE_S:
            trouble = _page_trouble(page)
            if not trouble:
                break
            worst = time.monotonic() - killed_at
            page.wait_for_timeout(100)
        assert not trouble and worst <= WITHOUT_PAGE_S, f"{trouble} for {worst:.1f} s"
        choose_district(page, "Sơn Hà")
        # the change made on the other process stands (its first run there has the page's
        # widgets, newer than the URL: sctdash.app.links)
        assert chips(page) == ["Ba Tơ · Ba To", "Sơn Hà · Son Ha"] and query(page)["area"] == ["535", "529"]
        assert chart_titles(page) != before
        assert next(c["value"] for c in ctx.cookies() if c["name"] == "sct_route") == survivor["name"]
    finally:
        out["stop"] = True
        browser_ready.set()
        ctx.close()
        thread.join(timeout=300)

    load = out["load"]
    assert not load.errors, load.errors
    assert load.outages, "no viewer was on the killed process"
    for outage in load.outages:
        assert outage.connected_after_s is not None and outage.page_after_s is not None
        assert outage.page_after_s <= WITHOUT_PAGE_S, outage

    # make serve said so, and goes on with the other process alone
    said = f"{victim} (pid {victim_pid}, port {victim_port}) exited (signal SIGKILL)"
    cluster.wait_for(lambda: said in cluster.log_text(), 60, "saying that the process ended")
    assert f"does not start it again (systemd does, on a server): nginx sends its viewers to {survivor['name']}" in (
        cluster.log_text()
    )
    status = cluster.status()
    assert cluster.process(victim)["pid"] is None and cluster.process(survivor["name"])["pid"] == survivor["pid"]
    assert status["nginx_pid"] and alive(status["nginx_pid"]) and alive(survivor["pid"])
    assert not alive(victim_pid) and not probe.healthy(f"http://127.0.0.1:{victim_port}")  # not started again

    async def visitors_after():
        """A new visitor, and one whose cookie still names the killed process."""
        fresh, stale = Viewer(cluster.url, "/market", name="new"), Viewer(cluster.url, "/reform", name="stale")
        stale.cookies["sct_route"] = victim
        try:
            return [(await v.open(), v.route) for v in (fresh, stale)]
        finally:
            for v in (fresh, stale):
                await v.close()

    for run, route in _run(visitors_after()):
        assert route == survivor["name"] and run.charts and not run.exceptions
    # nothing lost: the extracts as they were, and they still load
    from sctdash.store import db

    assert _fingerprints(data_dir) == data_before
    assert not db.Store(data_dir, data_dir.parent / "check-cache").problems


def test_ctrl_c_stops_nginx_and_every_process(cluster):
    pids = cluster.pids()
    assert cluster.status()["nginx_pid"] in pids and len(pids) >= 2  # nginx and the processes still running
    assert cluster.stop() == 0, cluster.log_tail()
    assert cluster.left_behind == [], cluster.log_tail()
    log = cluster.log_text()
    assert "stopping nginx" in log and log.rstrip().endswith("stopped")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", cluster.port), timeout=1).close()


def test_sigterm_stops_make_serve_and_leaves_nothing_behind(data_dir):
    with Launched(1, data_dir.parent / "run-sigterm", env=_data_env(data_dir)) as srv:
        assert probe.healthy(srv.url)  # through nginx
        assert len(srv.started) == 2  # nginx and the dashboard process
        assert srv.stop(signal.SIGTERM) == 0, srv.log_tail()
        assert srv.left_behind == [], srv.log_tail()
        assert "stopping nginx" in srv.log_text() and srv.log_text().rstrip().endswith("stopped")
        assert not probe.healthy(srv.url, timeout=1)


def test_when_its_last_process_dies_make_serve_stops_everything(data_dir):
    """Nothing is left to serve: make serve says so, stops nginx, and exits with status 1."""
    with Launched(1, data_dir.parent / "run-last", env=_data_env(data_dir)) as srv:
        only = srv.process("w1")
        os.kill(only["pid"], signal.SIGKILL)
        srv.wait_for(lambda: srv.proc.poll() is not None, 60, "stopped")  # raises if it never ends
        assert srv.stop() == 1
        assert srv.left_behind == [] and not alive(srv.status()["launcher_pid"]), srv.log_tail()
        log = srv.log_text()
        assert f"w1 (pid {only['pid']}, port {only['port']}) exited (signal SIGKILL)" in log
        assert "nothing left to serve: stopping" in log and "stopping nginx" in log, log
