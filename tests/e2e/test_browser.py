"""The dashboard in a real headless Chromium, as a planner and a meeting would use it.

Every test fails on a Streamlit exception element, on a console error other than Streamlit's
own probing (tests/e2e/conftest.py says which and why), and on any request to a host but the
dashboard's, which is blocked. Every page and every meeting screen at the four screen sizes,
and the walk through the meeting: test_projector.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sctdash.app import site
from sctdash.editing import templates
from sctdash.store import db
from tests.e2e.conftest import SHOTS, axe_violations, choose_district, reach_every_chart, settle

pytestmark = pytest.mark.slow

PAGES = {entry.name: entry.title("vi") for entry in site.MENU}


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def chips(page) -> list[str]:
    return page.locator('[data-testid="stMultiSelect"] [data-tag]').evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )


def heading(page) -> str:
    return page.locator("h1").first.inner_text()


def chart_titles(page) -> str:
    """The titles of every chart on the page, scrolled to as a reader would (most are drawn
    when the reader gets near them: sctdash.app.ui.in_turn)."""
    page.wait_for_selector(".js-plotly-plot .gtitle")
    reach_every_chart(page)
    return " ".join(page.locator(".js-plotly-plot .gtitle").evaluate_all("els => els.map(e => e.textContent)"))


def test_district_from_the_sidebar_sets_and_clears(open_page):
    page, _ = open_page("/electricity")
    assert "27 xã" in chart_titles(page)
    choose_district(page, "Sơn Hà")
    assert chips(page) == ["Sơn Hà · Son Ha"]
    assert query(page)["area"] == ["529"]
    assert "13 xã" in chart_titles(page)
    page.locator('[data-testid="stMultiSelect"] [data-tag] button').first.click()
    settle(page)
    assert chips(page) == [] and "area" not in query(page)
    assert "27 xã" in chart_titles(page)


def _tile(page, where: str, code: str):
    """The map's clickable point of a district, found by the area code it carries (customdata),
    whatever the order of the points."""
    plot = page.locator(f'[class*="st-key-map_{where}"] .js-plotly-plot').first
    index = plot.evaluate("(gd, code) => gd.data.find(t => t.customdata).customdata.indexOf(code)", code)
    assert index >= 0, f"no tile of {code} on the {where} map"
    return plot.locator(".scatterlayer path.point").nth(index)


BA_TO = "535"


ASK_AGAIN_MS = 4000  # sctdash.app.ui.LATER_SCRIPT: a press still unanswered after this is made again


def test_a_chart_whose_press_was_lost_is_asked_for_again(open_page):
    """A placeholder's press can be lost (a run that replaces the one it asked for, a viewer
    handed to another process when its own dies) and its button stays, the same element: it is
    pressed again, though nothing on the page moves, and not before the press marked on it has
    had its time to be answered."""
    page, _ = open_page("/staffing")
    key, marked = page.evaluate(
        """() => {
            const box = document.querySelector('[class*="st-key-later_"]');
            const key = [...box.classList].find(c => c.startsWith('st-key-later_'));
            const button = box.querySelector('[class*="st-key-draw_"] [data-testid^="stBaseButton"]');
            window.sctPresses = [];  // every press of this placeholder's button, when it came
            document.addEventListener('click', e => {
                if (e.target.closest('.' + key)) window.sctPresses.push(Date.now());
            }, true);
            const marked = Date.now();
            button.dataset.sctAsked = String(marked);  // pressed, as the page's script marks it
            box.scrollIntoView({block: 'center'});
            return [key, marked];
        }"""
    )
    page.wait_for_selector(f".{key}", state="detached", timeout=60_000)  # pressed again, and drawn
    presses = page.evaluate("() => window.sctPresses")
    assert presses, "the chart came without its button being pressed again"
    assert presses[0] - marked >= ASK_AGAIN_MS, presses  # the marked press was waited for first
    settle(page)


def test_district_from_the_map_sets_and_clears(open_page):
    page, _ = open_page("/")
    _tile(page, "overview", BA_TO).click(force=True)
    settle(page)
    assert query(page)["area"] == ["535"]
    assert chips(page) == ["Ba Tơ · Ba To"]
    page.wait_for_selector('[class*="st-key-map_overview_electrified_communes_535"]')
    _tile(page, "overview", BA_TO).click(force=True)
    settle(page)
    assert "area" not in query(page) and chips(page) == []
    # and the filter follows the planner to the next page
    _tile(page, "overview", BA_TO).click(force=True)
    settle(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=PAGES["electricity"]).click()
    settle(page)
    assert urlparse(page.url).path.endswith("/electricity") and query(page)["area"] == ["535"]
    assert "14 xã" in chart_titles(page)


def test_a_shared_link_restores_the_view(open_page, app_url):
    page, _ = open_page("/market?district=533&district=534&years=2016-2020&lang=en")
    assert heading(page) == "Market infrastructure"
    assert chips(page) == ["Mộ Đức · Mo Duc", "Đức Phổ · Duc Pho"]
    q = query(page)
    assert q["area"] == ["533", "534"] and q["lang"] == ["en"] and q["years"] == ["2016-2020"]
    shared = page.locator('[data-testid="stSidebar"] input#sct-share-url').input_value()
    assert shared.startswith(app_url + "/market?") and "area=533&area=534" in shared
    again, _ = open_page(shared.replace(app_url, ""))
    again.wait_for_function("() => document.querySelectorAll('[data-testid=stMultiSelect] [data-tag]').length === 2")
    assert heading(again) == "Market infrastructure" and chips(again) == ["Mộ Đức · Mo Duc", "Đức Phổ · Duc Pho"], (
        again.url
    )


def test_invalid_link_values_are_ignored_with_a_notice(open_page):
    page, _ = open_page("/electricity?district=999&district=535&lang=xx&years=abc&slide=x")
    notice = page.locator('[data-testid="stAlert"]').filter(has_text="district=999").inner_text()
    assert "lang=xx" in notice and "years=abc" in notice
    assert chips(page) == ["Ba Tơ · Ba To"] and heading(page) == PAGES["electricity"]
    assert query(page) == {"area": ["535"]}


def test_switch_to_english(open_page):
    page, _ = open_page("/")
    page.locator('[data-testid="stSidebar"] button').filter(has_text="English").click()
    settle(page)
    assert heading(page) == "Overview" and query(page)["lang"] == ["en"]
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert "99.2 %" in values and "5.03 %" in values
    assert "District map" in page.locator("h2, h3").all_inner_texts()


def test_meeting_mode_from_the_sidebar_toggle(open_page):
    page, _ = open_page("/electricity")
    page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"], [data-testid="stSidebar"] label').filter(
        has_text="Chế độ họp"
    ).first.click()
    page.wait_for_selector(".meeting-position", timeout=30_000)  # the toggle's run switches page: two runs
    settle(page)
    assert urlparse(page.url).path.endswith("/meeting") and query(page)["mode"] == ["meeting"]
    assert page.locator(".meeting-position").is_visible() and not page.locator('[data-testid="stSidebar"]').is_visible()


def test_meeting_mode_keeps_the_filters_both_ways(open_page):
    """The switches into and out of the meeting page keep districts, years and language."""
    page, _ = open_page("/market?district=533&years=2016-2020&lang=en")
    page.locator('[data-testid="stSidebar"] label').filter(has_text="Meeting mode").first.click()
    page.wait_for_selector(".meeting-position", timeout=30_000)
    settle(page)
    assert "Mộ Đức; years 2016–2020" in page.locator(".meeting-subtitle").inner_text()
    assert query(page)["area"] == ["533"] and query(page)["lang"] == ["en"]
    page.get_by_role("button", name="Leave meeting mode").click()
    settle(page)
    assert heading(page) == "Overview" and chips(page) == ["Mộ Đức · Mo Duc"]
    assert query(page) == {"area": ["533"], "years": ["2016-2020"], "lang": ["en"]}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_download_button_delivers_a_file(open_page, name, tmp_path):
    """Whatever download buttons a page has (CSV on the data page, the exports under charts)."""
    page, _ = open_page(f"/{name}" if name != "overview" else "/")
    # buttons inside a closed expander are on the page but hidden: open every expander
    page.evaluate("() => document.querySelectorAll('[data-testid=stExpander] details').forEach(d => d.open = true)")
    # every page has at least its deck or its CSVs: wait for them on a loaded machine
    page.wait_for_selector('[data-testid="stDownloadButton"] button', timeout=120_000)
    settle(page)
    reach_every_chart(page)  # the charts under the first screen, and their buttons, come as one scrolls
    page.evaluate("() => document.querySelectorAll('[data-testid=stExpander] details').forEach(d => d.open = true)")
    assert axe_violations(page) == []  # the page whole, every chart drawn (test_access.py: as it opens)
    buttons = page.locator('[data-testid="stDownloadButton"] button').filter(visible=True)
    n = buttons.count()
    if n == 0:
        page.screenshot(path=SHOTS / f"failed_downloads_{name}.png", full_page=True)
    assert n > 0, f"no download button on {name}"  # every page has at least its deck or CSVs
    saved = {}
    for i in range(n):
        if i and i % 10 == 0:  # Chromium starts no 11th download from a page within a few
            page.wait_for_timeout(3000)  # seconds of ten others; a person never clicks so fast
        button = buttons.nth(i)
        button.scroll_into_view_if_needed()
        try:
            with page.expect_download(timeout=60_000) as info:
                button.click()
        except PlaywrightTimeout as e:  # name the button, and keep the page for a person to see
            page.screenshot(path=SHOTS / f"failed_download_{name}_{i}.png", full_page=True)
            raise AssertionError(f"{name}: no file from button {i} of {n}, {button.inner_text()!r}") from e
        download = info.value
        assert download.failure() is None, download.failure()
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        saved[target.name] = target
        suffix = target.suffix.lower()
        assert suffix in {".csv", ".png", ".svg", ".xlsx", ".pptx", ".pdf", ".zip"}, target.name
        assert target.stat().st_size > 0, target.name
        head = target.read_bytes()[:8]
        if suffix == ".png":
            assert head.startswith(b"\x89PNG")
        elif suffix in (".xlsx", ".pptx", ".zip"):
            assert head.startswith(b"PK")
        elif suffix == ".svg":
            assert b"<svg" in target.read_bytes()[:2000]
    settle(page)  # every button has on_click="ignore": a download starts no run to wait for
    assert page.locator('[data-testid="stException"]').count() == 0
    if name == "data":  # a planner's template per extract, beside its CSV
        for table in db.IMPORTED:
            template = openpyxl.load_workbook(saved[templates.file_name(table)])
            columns = [c.value for c in template[table][1] if c.value]
            assert columns == db.schemas()[table].column_names, table


@pytest.mark.parametrize(
    ("path", "words", "listed"),
    [
        (
            "/electricity?district=529",
            ["Sơn Kỳ: đang thi công", "chung với Sơn Tây", "Ba Vì", "Thủy điện Nước Long"],
            "Ba Vì",  # a commune of Ba Tơ: the full list stays whole under the filter
        ),
        ("/market?district=534", ["Chợ Sa Huỳnh: chợ", "Siêu thị EB Quảng Ngãi"], "Chợ Sa Huỳnh"),
    ],
)
def test_named_places_are_text_that_find_and_screen_readers_reach(open_page, path, words, listed):
    """The browser's own find-in-page (window.find, what Ctrl+F runs) reaches every named
    place, and the full lists are tables in the accessibility tree, not a canvas grid."""
    page, _ = open_page(path)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    tables = page.get_by_role("table")
    assert tables.count() >= 1
    for word in words:
        page.evaluate("() => window.getSelection().removeAllRanges()")
        assert page.evaluate("w => window.find(w, false, false, true)", word), f"find() does not reach {word!r}"
    assert any(listed in text for text in tables.all_inner_texts()), listed  # the full list, a table
