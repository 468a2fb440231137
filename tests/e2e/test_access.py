"""Every page as a reader without a mouse, with a screen reader, or without internet meets it.

- No request leaves for another host: open_page's Watch (tests/e2e/conftest.py) blocks and
  names every one in every browser test, downloads included; the first test here shows that
  it catches one.
- axe-core finds no violation of WCAG 2.1 A and AA (and no heading level skipped) on every page
  in both languages, with and without a district, and on each kind of meeting screen; the
  download test (test_browser.py) checks each page again with every chart drawn.
- The district map's choice is made with the keyboard alone, with a visible focus.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from sctdash.app import site
from sctdash.core.i18n import t
from tests.e2e.conftest import SHOTS, Watch, axe_violations, settle

pytestmark = pytest.mark.slow

VARIANTS = {
    "vi": ("vi", "/"),
    "vi-ba-to": ("vi", "/?district=535"),
    "en": ("en", "/?lang=en"),
    "en-ba-to": ("en", "/?lang=en&district=535"),
}


def test_a_request_to_another_host_is_blocked_and_named(browser, app_url):
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        watch = Watch(page, app_url, ctx)
        page.goto(app_url + "/_stcore/health")  # the app's own: let through, not named
        page.evaluate(
            """() => {
                fetch('https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/bolt/default/24px.svg')
                  .catch(() => null);
                new WebSocket('wss://example.org/socket');
            }"""
        )
        assert page.evaluate("() => fetch('/_stcore/health').then(r => r.status)") == 200
        for _ in range(600):  # until both are named: the browser sends them when it will
            if len(watch.outside) >= 2:
                break
            page.wait_for_timeout(100)
        assert sorted(watch.outside) == [
            "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/bolt/default/24px.svg",
            "wss://example.org/socket",
        ], watch.outside
        with pytest.raises(AssertionError, match="requests to other hosts"):
            watch.check()
    finally:
        ctx.close()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_page_and_the_meeting_pass_axe(open_page, variant):
    lang, path = VARIANTS[variant]
    page, _ = open_page(path)
    found = {}
    for entry in site.MENU:
        if entry.name != site.DEFAULT:
            page.locator('[data-testid="stSidebarNav"] a').filter(has_text=entry.title(lang)).click()
            settle(page)
        assert page.locator("h1").first.inner_text() == entry.title(lang)
        if variant == "vi":
            page.screenshot(path=SHOTS / f"{entry.name}_1280x720.png")
        found[entry.name] = axe_violations(page)
    page.locator('[data-testid="stSidebar"] label').filter(has_text=t("meeting.toggle", lang)).first.click()
    page.wait_for_selector(".meeting-position", timeout=30_000)
    settle(page)
    if variant == "vi":
        page.screenshot(path=SHOTS / "meeting_1280x720.png")
    found["meeting"] = axe_violations(page)
    assert not any(found.values()), {name: v for name, v in found.items() if v}
    if variant == "vi":  # and the check can fail: text too pale for its background is named
        page.evaluate(
            """() => {
                const p = document.createElement('p');
                p.textContent = 'too pale';
                p.style.cssText = 'color: #BBBBBB; background: #FFFFFF';
                document.querySelector('.meeting-subtitle').after(p);
            }"""
        )
        assert any(v.startswith("color-contrast") and "too pale" in v for v in axe_violations(page))


def _pick(page, name: str):
    return page.locator('[class*="st-key-map_pick_"] button[aria-pressed]').filter(has_text=name)


def test_the_map_is_used_with_the_keyboard(open_page):
    """Tab reaches the map's district buttons, the arrows move between them with a visible
    ring, Enter chooses the district (the filter, the tile's border and the sidebar follow) and
    Space takes it out again; the mouse is never used."""
    page, _ = open_page("/electricity")

    def focused() -> str:
        return page.evaluate(
            "() => document.activeElement.closest('[class*=st-key-map_pick_]') ? document.activeElement.innerText : ''"
        )

    for _ in range(60):
        page.keyboard.press("Tab")
        if focused():
            break
    assert focused() == "Quảng Ngãi", "Tab never reached the map's district buttons"
    while focused() != "Ba Tơ":
        page.keyboard.press("ArrowRight")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "3px", outline  # a ring that shows, not the browser's faint default
    page.keyboard.press("Enter")
    settle(page)
    assert parse_qs(urlparse(page.url).query)["area"] == ["535"]
    assert focused() == "Ba Tơ" and _pick(page, "Ba Tơ").get_attribute("aria-pressed") == "true"
    assert page.locator('[class*="st-key-map_electricity_electrified_communes_535"]').count() == 1  # the map's choice
    page.screenshot(path=SHOTS / "map_keyboard_1280x720.png")
    page.keyboard.press("Space")
    settle(page)
    assert "district" not in parse_qs(urlparse(page.url).query)
    assert _pick(page, "Ba Tơ").get_attribute("aria-pressed") == "false"
