"""A real server and a real headless Chromium (Debian's /usr/bin/chromium, installed by
`make system` when missing) for the browser tests; started once per session, stopped after.

The server starts through sctdash.serving.serve, as `make run` does: a fresh server's first visitor
on a deep link (/electricity?district=535) must get dashboard.py's routing and filters.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from sctdash.serving import probe
from sctdash.serving.serve import command as process_command

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"1280x720": {"width": 1280, "height": 720}, "1920x1080": {"width": 1920, "height": 1080}}

# Console errors that are no fault of the app, and nothing else may appear:
# - 404 of <page path>/_stcore/health and <page path>/_stcore/host-config: on a deep link
#   (/electricity) Streamlit's frontend first tries its endpoints under the page's path, gets
#   404, and then finds them at the root; Streamlit's own probing, not an app resource.
# A request to any host but the app's is no console matter: Watch blocks and names it.
_STCORE_PROBE = re.compile(r"^/[\w-]+/_stcore/(health|host-config)$")


def ignorable(text: str, url: str, app_host: str) -> bool:
    parsed = urlparse(url or "")
    return "status of 404" in text and parsed.hostname == app_host and bool(_STCORE_PROBE.match(parsed.path))


@contextmanager
def serve(workdir: Path, env: dict | None = None, args: tuple[str, ...] = ()):
    """A dashboard server as `make run` starts it, on a free port; yields its URL."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system` (apt package chromium)")
    port = probe.free_port()
    log = workdir / "server.log"
    env = {**os.environ, "SCT_CACHE_DIR": str(workdir / "cache"), **(env or {})}
    venv = ROOT / ".venv" / "bin" / "python"
    cmd = process_command(port, *args, python=str(venv) if venv.exists() else sys.executable)
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        if not probe.wait_healthy(url, 120, alive=lambda: proc.poll() is None, every=0.5):
            what = "exited" if proc.poll() is not None else "did not answer within 120 s"
            pytest.fail(f"server {what}: {log.read_text()}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session", autouse=True)
def screenshots_dir():
    SHOTS.mkdir(parents=True, exist_ok=True)  # files are overwritten by name, never wiped
    return SHOTS


class Watch:
    """The console errors and Streamlit exceptions a page shows (ignorable ones set apart), and
    every request its browser context makes to a host other than the app's: blocked (an office
    without internet, and no third party told who is reading) and named."""

    def __init__(self, page, app_url: str, context=None):
        self.page = page
        self.host = urlparse(app_url).hostname
        self.origin = "{0.scheme}://{0.netloc}".format(urlparse(app_url))
        self.errors: list[str] = []
        self.ignored: list[str] = []
        self.outside: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        if context is not None:
            # matched inside the browser's driver, so the app's own requests never wait for us
            other = self.elsewhere(app_url)
            context.route(other, self._route)
            context.route_web_socket(other, self._socket)

    @staticmethod
    def elsewhere(app_url: str) -> re.Pattern:
        """Every URL but the app's own (http and its websocket) and those that never leave the
        browser (data:, blob:, about:)."""
        netloc = re.escape(urlparse(app_url).netloc)
        return re.compile(rf"^(?!(https?|wss?)://{netloc}(/|$))(?!(data|blob|about):)")

    def _route(self, route) -> None:
        self.outside.append(route.request.url)
        route.abort("blockedbyclient")

    def _socket(self, socket) -> None:
        self.outside.append(socket.url)
        socket.close()

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        entry = f"{msg.text} ({url})"
        (self.ignored if ignorable(msg.text, url, self.host) else self.errors).append(entry)

    def check(self) -> None:
        assert not self.outside, f"requests to other hosts: {self.outside}"
        exceptions = self.page.locator('[data-testid="stException"]').all_inner_texts()
        assert not exceptions, exceptions
        assert not self.errors, self.errors


@pytest.fixture
def open_page(browser, app_url):
    """open_page(path, viewport="1280x720") -> (page, watch); fails the test on console errors
    and on any request to a host but the app's (downloads included: they are the context's)."""
    contexts, watches = [], []

    def _open(path: str, viewport: str = "1280x720"):
        ctx = browser.new_context(viewport=VIEWPORTS[viewport], accept_downloads=True, locale="vi-VN")
        contexts.append(ctx)
        page = ctx.new_page()
        watch = Watch(page, app_url, ctx)
        watches.append(watch)
        goto(page, app_url + path)
        return page, watch

    yield _open
    try:
        for w in watches:
            w.check()
    finally:
        for ctx in contexts:
            ctx.close()


# Streamlit's frontend marks stApp with the script's state ("running", "notRunning", ...), and
# shows a skeleton where an element's code is still loading (plotly.js, the multiselect's
# chips): a run has finished on screen when the state is "notRunning" and no skeleton is left.
_DONE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"], '
            + '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]')
        && !!document.querySelector('h1, .meeting-subtitle');
}"""


def settle(page, timeout: float = 30_000) -> None:
    """Wait until the script has finished its run and the page is drawn: the run is over,
    every lazily loaded element is in place, and the page's elements have stopped changing for
    a moment (a loaded machine delivers a run's elements in several messages)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    count = "() => document.querySelectorAll('[data-testid]').length"
    page.wait_for_function(_DONE, timeout=timeout)
    before = page.evaluate(count)
    while time.monotonic() < deadline:
        page.wait_for_timeout(600)
        now = page.evaluate(count)
        if now == before and page.evaluate(_DONE):
            return
        before = now
    raise TimeoutError("the page did not settle")


def settle_all(pages, timeout: float = 60_000) -> None:
    """`settle` for several pages at once (one per window size, say): they load side by side
    and are waited for together, so the quiet moment is waited once for all."""
    deadline = time.monotonic() + timeout / 1000
    count = "() => document.querySelectorAll('[data-testid]').length"
    for page in pages:
        page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
        page.wait_for_function(_DONE, timeout=max(1.0, deadline - time.monotonic()) * 1000)
    before = [page.evaluate(count) for page in pages]
    while time.monotonic() < deadline:
        pages[0].wait_for_timeout(600)
        now = [page.evaluate(count) for page in pages]
        if now == before and all(page.evaluate(_DONE) for page in pages):
            return
        before = now
    raise TimeoutError("the pages did not settle")


def goto(page, url: str) -> None:
    page.goto(url)
    settle(page)


def reach_every_chart(page, timeout: float = 90_000) -> None:
    """Scroll to each chart that waits for the reader (sctdash.app.ui.in_turn) as a reader would,
    until every one has been drawn."""
    waiting = page.locator('[class*="st-key-later_"]')
    deadline = time.monotonic() + timeout / 1000
    while waiting.count():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{waiting.count()} charts still wait after scrolling to them")
        # in one step in the page: the page's own script may draw the placeholder (and take it
        # from the page) between a locator's finding it and scrolling to it
        page.evaluate(
            """sel => { const el = document.querySelector(sel); if (el) el.scrollIntoView({block: 'center'}); }""",
            '[class*="st-key-later_"]',
        )
        settle(page)


# axe-core (shipped inside the axe-playwright-python package: nothing downloads) with the rules
# of WCAG 2.0 and 2.1, levels A and AA, and heading-order (a best practice, asked for by name:
# no heading level skipped).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"heading-order": {"enabled": True}},
    "resultTypes": ["violations"],
}


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it stands, one line per rule and element."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    found = page.evaluate("options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {node['html'][:160]} — {(node['any'] or node['all'] or node['none'] or [{}])[0].get('message', '')}"
        for v in found
        for node in v["nodes"]
    ]


def choose_district(page, name: str) -> None:
    """Add a district in the sidebar's filter as a planner does: type, pick, close the list."""
    box = page.locator('[data-testid="stMultiSelect"] input').first
    box.click()
    box.fill(name)
    page.get_by_role("option", name=name).click()
    page.keyboard.press("Escape")
    settle(page)
