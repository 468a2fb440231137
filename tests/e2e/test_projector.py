"""Projector-proof: every page and every meeting screen at the sizes meeting rooms have —
1024×768 and 1280×720 projectors, 1366×768 laptops, 1920×1080 screens — measured as
geometry facts (tests/e2e/geometry.py), never compared as pictures.

One browser context per size, the four side by side; each page and each meeting screen is
visited once per size (pages through the menu, screens through “Tiếp”), and every check runs
on that one load:
- the main area does not scroll across; a meeting screen does not scroll at all;
- no chart text (title, ticks, axis titles, legend, value labels, notes, a map tile's words)
  reaches outside its chart, or its tile; no two texts of a chart overlap;
- tile labels and values, and buttons' labels, are never wider than their box;
- a meeting screen's text is 18 px or more;
- axe-core finds nothing on each kind of meeting screen (tiles, a map, a chart) at 1280×720.

Languages and districts are sampled, not multiplied: a session keeps its language and
district, so each size walks the pages in one combination and the meeting in another, and
across the four sizes every page and every meeting screen is seen in Vietnamese and English,
with and without a district (Ba Tơ); the longest words and the district's notices go to the
smallest screens. The screenshots are kept in build/screenshots/<size>/ for a person to look
at (the pages at full length), and meeting screens 2 and 7 at the two projector sizes are
copied to build/closing/.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlparse

import pytest

from sctdash.app import layout, site
from sctdash.core import catalogue
from sctdash.core.i18n import t
from tests.e2e import geometry
from tests.e2e.conftest import SHOTS, Watch, axe_violations, reach_every_chart, settle_all

pytestmark = pytest.mark.slow

SIZES = ("1024x768", "1280x720", "1366x768", "1920x1080")
# (language, district) of each size's walk through the pages, and through the meeting
PAGES_COMBO = {"1024x768": ("vi", "535"), "1280x720": ("en", ""), "1366x768": ("en", "535"), "1920x1080": ("vi", "")}
MEETING_COMBO = {"1024x768": ("en", "535"), "1280x720": ("vi", "535"), "1366x768": ("vi", ""), "1920x1080": ("en", "")}
# How each size's meeting is opened: the links a meeting arrives by (links.py), each of which
# lands on the meeting page, never on "Page not found"
MEETING_PATH = {"1024x768": "/electricity", "1280x720": "/", "1366x768": "/meeting", "1920x1080": "/"}
CLOSING = SHOTS.parent / "closing"  # the closing note's screenshots: meeting screens 2 and 7
_OPEN_PAGE = """path => [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
    .find(a => new URL(a.href).pathname === path).click()"""  # the menu's link, even in a closed drawer


def _query(lang: str, district: str, **extra) -> str:
    parts = [f"{k}={v}" for k, v in extra.items()]
    parts += [f"lang={lang}"] if lang != "vi" else []
    parts += [f"district={district}"] if district else []
    return "?" + "&".join(parts) if parts else ""


def _name(stem: str, lang: str, district: str) -> str:
    return "_".join(x for x in (stem, lang, district) if x) + ".png"


@pytest.fixture(scope="module")
def windows(browser, app_url):
    """A page in a context of its own for each size, and what each page's console says;
    kept for the module, so the second walk finds the app's code in the browser's cache."""
    contexts, opened = [], {}
    for size in SIZES:
        width, height = map(int, size.split("x"))
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        contexts.append(ctx)
        page = ctx.new_page()
        opened[size] = (page, Watch(page, app_url))
        (SHOTS / size).mkdir(parents=True, exist_ok=True)
    yield opened
    try:
        for _, watch in opened.values():
            watch.check()
    finally:
        for ctx in contexts:
            ctx.close()


def _full_length(page, path) -> None:
    """A screenshot of the whole page, not only the window: the main area scrolls inside the
    window, so the window is made as tall as the main area's content for the picture, then put
    back."""
    size = page.viewport_size
    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], tall)})
    page.wait_for_timeout(300)  # the charts follow the window's size
    page.screenshot(path=path)
    page.set_viewport_size(size)
    page.wait_for_timeout(300)


def test_every_page_fits_every_size(windows, app_url):
    """Every page at every size. Below 1200 px the sidebar starts closed and opens over the
    page, which keeps its width; from 1200 px it starts open beside the page. The filters in
    force are said on the page, in view."""
    found: list[str] = []
    for item, entry in enumerate(site.MENU):
        for size, (page, _) in windows.items():
            if item == 0:
                page.goto(app_url + entry.url + _query(*PAGES_COMBO[size]), wait_until="commit")
            else:
                page.evaluate(_OPEN_PAGE, entry.url)
        settle_all([page for page, _ in windows.values()])
        for size, (page, _) in windows.items():
            reach_every_chart(page)  # the charts below the first screen come as the reader scrolls
            page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
            lang, district = PAGES_COMBO[size]
            where = f"{size} {entry.name} {lang} {district or 'province'}"
            assert urlparse(page.url).path == entry.url, where
            assert page.locator("h1").first.inner_text() == entry.title(lang), where
            assert page.locator('[data-testid="stException"]').count() == 0, where
            sidebar = page.locator('[data-testid="stSidebar"]').bounding_box()["width"]
            assert (sidebar > 0) == (int(size.split("x")[0]) >= layout.DRAWER_BELOW), f"{where}: sidebar {sidebar} px"
            prefix = t("filter.active", lang, districts="", years="").split(":")[0] + ":"
            caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=prefix).first
            assert caption.is_visible() and ("Ba Tơ" in caption.inner_text()) == bool(district), where
            found += [f"{where}: {p}" for p in geometry.problems(geometry.facts(page))]
            _full_length(page, SHOTS / size / _name(entry.name, lang, district))
    page, _ = windows["1024x768"]  # the drawer opens over the page, which keeps its width
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().width > 0")
    assert page.locator('[data-testid="stMain"]').bounding_box()["width"] == 1024
    assert not found, "\n".join(found)


def running_order(store, district: str) -> list[str]:
    """The meeting's screens on the bundled data: charts.toml's order, and after its first screen
    the plans and results in view (the report's targets), TARGET_ROWS a screen."""
    from sctdash.app import meeting
    from sctdash.exhibits.filters import year_range

    first, last = year_range(store.query)
    rows = store.query("target_standing", districts=[district] if district else [], year_from=first, year_to=last)
    order = catalogue.meeting_order()
    return order[:1] + [f"targets.{k}" for k in range(-(-len(rows) // meeting.TARGET_ROWS))] + order[1:]


def test_every_meeting_screen_is_one_screen(windows, app_url, store):
    """Every meeting screen at every size, walked with “Tiếp” in the running order, opened by
    a link to the root, to the meeting page or deep into a page (with mode=meeting); the
    1280×720 walk (Vietnamese, Ba Tơ) also goes round to the first screen and leaves the
    meeting, which returns to the overview with the filter kept."""
    found: list[str] = []
    kinds: dict[str, list[str]] = {}  # axe-core on each kind of screen once: tiles, a map, a chart
    screens = running_order(store, "")
    assert all(running_order(store, d) == screens for _, d in MEETING_COMBO.values())  # the province's targets
    assert any(x.startswith("targets.") for x in screens)
    n = len(screens)  # the bundled data has no automatic chart to add
    pages = [page for page, _ in windows.values()]
    for size, (page, _) in windows.items():
        page.goto(app_url + MEETING_PATH[size] + _query(*MEETING_COMBO[size], mode="meeting"), wait_until="commit")
    settle_all(pages)
    for i in range(1, n + 1):
        for size, (page, _) in windows.items():
            lang, district = MEETING_COMBO[size]
            where = f"{size} meeting {i} {lang} {district or 'province'}"
            assert t("meeting.position", lang, i=i, n=n) in page.locator(".meeting-position").inner_text(), where
            query = parse_qs(urlparse(page.url).query)
            assert query["slide"] == [str(i)] and query["mode"] == ["meeting"], where
            assert urlparse(page.url).path == "/meeting" and page.get_by_role("dialog").count() == 0, where
            assert not page.locator('[data-testid="stSidebar"]').is_visible(), where
            assert page.locator('[data-testid="stException"]').count() == 0, where
            subtitle = page.locator(".meeting-subtitle").inner_text()
            assert ("Ba Tơ" in subtitle) == bool(district) and "20/01/2021" in subtitle, where
            found += [f"{where}: {p}" for p in geometry.problems(geometry.facts(page, meeting=True), meeting=True)]
            screen = screens[i - 1]
            kind = screen.partition(".")[0] if screen.startswith(("tiles.", "map.", "targets.")) else "chart"
            if size == "1280x720" and kind not in kinds:
                kinds[kind] = axe_violations(page)
            shot = SHOTS / size / _name(f"meeting_{i:02d}", lang, district)
            page.screenshot(path=shot)
            if i in (2, 7) and size in ("1024x768", "1280x720"):
                CLOSING.mkdir(parents=True, exist_ok=True)
                shutil.copy(shot, CLOSING / f"meeting_{i:02d}_{size}.png")
        walking = list(windows.items()) if i < n else [("1280x720", windows["1280x720"])]
        for size, (page, _) in walking:
            next_words = t("meeting.next", MEETING_COMBO[size][0])
            page.get_by_role("button", name=re.compile(re.escape(next_words))).click()
        settle_all([page for _, (page, _) in walking])
    page, _ = windows["1280x720"]  # round to the first screen, then out of the meeting
    assert t("meeting.position", "vi", i=1, n=n) in page.locator(".meeting-position").inner_text()
    page.get_by_role("button", name=t("meeting.exit", "vi")).click()
    settle_all([page])
    assert page.locator("h1").first.inner_text() == site.page("overview").title("vi")
    assert parse_qs(urlparse(page.url).query) == {"area": ["535"]}
    chips = page.locator('[data-testid="stMultiSelect"] [data-tag]').evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    titles = page.locator(".js-plotly-plot .gtitle").evaluate_all("els => els.map(e => e.textContent).join(' ')")
    assert chips == ["Ba Tơ · Ba To"] and "Ba Tơ" in titles  # the filter stays, and applies
    assert not found, "\n".join(found)
    assert sorted(kinds) == ["chart", "map", "targets", "tiles"] and not any(kinds.values()), kinds
