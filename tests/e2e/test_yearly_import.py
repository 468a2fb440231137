"""A planner's yearly extracts, imported through the data page as an editor, reach the charts
of a running server without a restart (SYNTHETIC data: tests/fixtures/yearly)."""

from __future__ import annotations

import shutil

import pytest

from sctdash.core.i18n import t
from sctdash.editing import signin
from tests.conftest import DATA, YEARLY, YEARLY_FILES
from tests.e2e.conftest import SHOTS, VIEWPORTS, goto, reach_every_chart, serve, settle

pytestmark = pytest.mark.slow


def chart_titles(page) -> str:
    """Every chart title on the page (SVG text: read as textContent), lines joined by spaces."""
    texts = page.locator(".js-plotly-plot .gtitle").evaluate_all("els => els.map(e => e.textContent)")
    return " ".join(texts)


@pytest.fixture
def editor_server(tmp_path):
    """A server on a copy of the bundled extracts, with one editor (lan / a test password)."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("history"))
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[editors]\nlan = "{signin.hash_password("thử-nghiệm", iterations=1000)}"\n', encoding="utf-8")
    with serve(tmp_path, {"SCT_DATA_DIR": str(data)}, ("--secrets.files", str(secrets))) as url:
        yield url, data


def test_an_editor_imports_yearly_extracts_and_the_charts_follow(browser, editor_server):
    url, data = editor_server
    ctx = browser.new_context(viewport=VIEWPORTS["1280x720"], locale="vi-VN")
    page = ctx.new_page()
    try:
        goto(page, url + "/market")
        assert "2020" in page.locator('[data-testid="stSlider"]').inner_text()  # the report's years
        goto(page, url + "/data")
        page.get_by_label(t("import_ui.username", "vi")).fill("lan")
        page.get_by_label(t("import_ui.password", "vi")).fill("thử-nghiệm")
        page.get_by_role("button", name=t("import_ui.sign_in", "vi")).click()
        settle(page)
        for name in YEARLY_FILES:  # sources, then indicators, then observations
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(YEARLY / f"{name}.csv"))
            page.get_by_role("button", name=t("import_ui.confirm", "vi")).wait_for(timeout=60_000)
            settle(page)
            page.get_by_role("button", name=t("import_ui.confirm", "vi")).click()
            page.get_by_text(f"Đã cập nhật bảng {name}").wait_for(timeout=60_000)
            settle(page)
        assert "fuel_stations" in (data / "indicators.csv").read_text(encoding="utf-8")
        # the same session, no restart: the years and the new figures are there
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Hạ tầng thương mại").click()
        settle(page)
        assert "2023" in page.locator('[data-testid="stSlider"]').inner_text()
        page.get_by_text("Số liệu khác", exact=True).wait_for()
        reach_every_chart(page)  # the charts under the first screen come as the reader scrolls
        page.wait_for_selector('[class*="st-key-chart_more-fuel_stations"] .js-plotly-plot .gtitle', timeout=60_000)
        titles = chart_titles(page)
        assert "Cửa hàng bán lẻ xăng dầu (SYNTHETIC) năm 2023" in titles and "Chợ năm 2023" in titles
        goto(page, url + "/market?district=535")
        reach_every_chart(page)
        page.wait_for_selector('[class*="st-key-chart_more-markets"] .js-plotly-plot .gtitle', timeout=60_000)
        titles = chart_titles(page)
        assert "Chợ, Ba Tơ: tăng từ 7 (2015) lên 10 (2023)" in titles
        page.screenshot(path=SHOTS / "market_yearly_ba-to_1280x720.png")
    finally:
        ctx.close()
