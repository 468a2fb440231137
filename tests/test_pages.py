"""Every page under AppTest, with the district filter set as a planner would set it."""

import json
from html.parser import HTMLParser

import pytest
from streamlit.testing.v1 import AppTest

from sctdash.app import site, state
from sctdash.core import catalogue
from sctdash.core.i18n import t
from tests import helpers
from tests.conftest import ROOT

PAGES = [entry.name for entry in site.MENU]
DISTRICTS = {
    "province": [],
    "ba-to": ["535"],
    "several": ["529", "535"],
    "no-district-rows": ["536"],
    "merged": ["525"],
}


TITLES = {
    "vi": {
        "overview": "Tổng quan",
        "industry": "Tăng trưởng công nghiệp",
        "electricity": "Điện nông thôn",
        "market": "Hạ tầng thương mại",
        "staffing": "Bộ máy và cải cách hành chính",
        "data": "Dữ liệu và nguồn",
    },
    "en": {
        "overview": "Overview",
        "industry": "Industrial growth",
        "electricity": "Rural electrification",
        "market": "Market infrastructure",
        "staffing": "Staffing and administrative reform",
        "data": "Data and sources",
    },
}


def open_page(page: str, lang: str = "vi", query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.session_state["lang"] = lang
    at.session_state[state.DRAW_ALL] = True  # no browser to scroll: every chart at once
    if query:
        at.query_params.update(query)
    at.run()
    at.switch_page(site.page(page).script)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts_of(at):
    """The page's charts, without the district map and comparison (sctdash.app.map_ui)."""
    return [el for el in at.get("plotly_chart") if not str(el.key or "").startswith(("map_", "compare_"))]


def spec_of(at, key):
    return json.loads(next(el for el in at.get("plotly_chart") if el.key == key).proto.spec)


def in_page_order(node):
    """Every block and element under `node`, in the order the page shows them."""
    yield node
    children = getattr(node, "children", {})
    for i in sorted(children):
        yield from in_page_order(children[i])


def notices_of_charts(at) -> dict[str, str]:
    """Each chart on the page, by its id, and the notice drawn just above it (sctdash.app.ui.draw:
    the notice, then the figure); "" for a chart without one."""
    found, before = {}, None
    for node in in_page_order(at.main):
        if getattr(node, "children", None) is not None:
            continue  # a block: what it holds comes next
        key = str(getattr(node, "key", None) or "")
        if node.type == "plotly_chart" and key.startswith("chart_"):
            found[key.removeprefix("chart_")] = before.value if before is not None and before.type == "info" else ""
        before = node
    return found


def province_only(store, page: str, districts: list[str]) -> set[str]:
    """The page's curated charts whose rows hold nothing of the districts (the report gives those
    figures for the province alone), asked of the extracts, not of the page."""
    f = helpers.filters(store, districts)
    ids = set()
    for cid in catalogue.chart_ids(page):
        rows = store.query(catalogue.chart(cid).query, **f.params())
        if "area_code" in rows and not (rows["area_code"] != "51").any():
            ids.add(cid)
    return ids


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("districts", DISTRICTS, ids=list(DISTRICTS))
def test_page_runs_with_district_filter(page, districts):
    at = open_page(page)
    at.multiselect(key="district").set_value(DISTRICTS[districts]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if page == "electricity" and districts == "no-district-rows":
        assert not charts_of(at) and len(at.warning) == 2  # both district charts say Lý Sơn has none
    elif page != "data":
        assert charts_of(at), f"{page} shows no chart"


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_in_english(page):
    at = open_page(page, "en")
    assert not at.error
    assert at.title[0].value == TITLES["en"][page]


def test_province_only_charts_say_so(store):
    expected = province_only(store, "industry", ["535"])
    assert expected, "no province-only chart on the industry page: the test would hold for nothing"
    at = open_page("industry")
    at.multiselect(key="district").set_value(["535"]).run()
    said = notices_of_charts(at)
    assert expected <= set(said), said  # each is drawn, by its id
    assert {cid for cid, notice in said.items() if notice == t("notice.province_only", "vi")} == expected


def test_district_charts_say_when_a_district_has_no_rows():
    at = open_page("electricity")
    at.multiselect(key="district").set_value(["536"]).run()
    assert any("Lý Sơn" in w.value for w in at.warning)


def test_district_filter_changes_the_numbers():
    at = open_page("electricity")
    before = spec_of(at, "chart_electrified_communes_by_district")
    at.multiselect(key="district").set_value(["529"]).run()
    after = spec_of(at, "chart_electrified_communes_by_district")
    assert before["layout"]["title"]["text"].startswith("Báo cáo nêu tên 27 xã: 7 xã đã hoàn thành")
    assert after["layout"]["title"]["text"].startswith("Báo cáo nêu tên 13 xã: 0 xã đã hoàn thành")
    assert {y for trace in after["data"] for y in trace["y"]} == {"Sơn Hà"}


def test_filter_persists_across_pages():
    at = open_page("electricity")
    at.multiselect(key="district").set_value(["535"]).run()
    at.switch_page(site.page("market").script).run()
    assert at.multiselect(key="district").value == ["535"]


def test_tiles_show_report_figures():
    at = open_page("overview")
    values = {m.label: m.value for m in at.metric}
    assert values["Xã có điện"] == "184/184"
    assert values["Hộ có điện"] == "99,2 %"
    assert values["Tăng VACN/năm"] == "5,03 %"
    assert values["Biên chế công chức"] == "39"
    captions = " ".join(c.value for c in at.caption)
    assert "Báo cáo còn ghi: 19" in captions and "44 − 5" in captions


def test_broken_extract_is_reported_and_other_pages_work(data_copy):
    path = data_copy / "power_projects.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",18,MW,", ",mười tám,MW,", 1), encoding="utf-8")
    at = open_page("electricity")
    errors = " ".join(e.value for e in at.error)
    assert "power_projects.csv" in errors
    data = open_page("data")
    assert any("power_projects.csv, dòng 2, cột capacity" in e.value for e in data.error)
    (catalogue_,) = [df.value for df in data.dataframe if "Tệp" in df.value.columns]
    files = list(catalogue_["Tệp"])  # the catalogue names each file where it is
    assert str(data_copy / "power_projects.csv") in files and str(data_copy / "sources.csv") in files
    industry = open_page("industry")
    assert not industry.error and charts_of(industry)


def test_running_sessions_see_new_data_without_a_restart(data_copy):
    at = open_page("overview")
    assert {m.label: m.value for m in at.metric}["Hộ có điện"] == "99,2 %"
    obs = data_copy / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace(",,99.2,reported", ",,99.5,reported", 1), encoding="utf-8")
    at.run()
    assert {m.label: m.value for m in at.metric}["Hộ có điện"] == "99,5 %"


def test_a_province_only_chart_names_what_it_shows():
    at = open_page("staffing")
    at.multiselect(key="district").set_value(["535"]).run()
    title = spec_of(at, "chart_staff_headcount")["layout"]["title"]["text"]
    assert "toàn tỉnh" in title and "Ba Tơ" not in title
    assert notices_of_charts(at)["staff_headcount"] == t("notice.province_only", "vi")


def test_camera_buttons_save_named_images_at_slide_size():
    """Plotly's camera button saves '<chart>_<districts>_<years>.png' at 1920 px wide, not
    'newplot.png' at screen size; the comparison's file is named after its figure."""
    at = open_page("overview")
    at.multiselect(key="district").set_value(["535"]).run()
    images = {
        el.key: json.loads(el.proto.config).get("toImageButtonOptions")
        for el in at.get("plotly_chart")
        if not str(el.key or "").startswith("map_")
    }
    assert (
        images["chart_key_shares"]["filename"] == "key-shares_toan-tinh_2019-2020"
    )  # province-only; the centre's shares are 2019–2020
    assert images["compare_chart"]["filename"] == "so-sanh-xa-trong-du-an-cap-dien_ba-to"
    assert all(i["width"] * i["scale"] >= 1920 and i["format"] == "png" for i in images.values())


def test_the_district_map_has_its_export_buttons():
    at = open_page("electricity")
    keys = {el.key for el in at.get("download_button")}
    assert {f"export_{kind}_map_electricity_electrified_communes" for kind in ("png", "svg", "csv", "xlsx")} <= keys


# ------------------------------------------------------------------ a planner's yearly extracts
# tests/fixtures/yearly (SYNTHETIC): 2015–2023 for every district, markets and households with
# power (the report has both) and fuel stations (a new indicator), Minh Long missing 2018.


def test_the_years_come_from_the_data(yearly_copy):
    at = open_page("market")
    slider = at.select_slider(key="years")
    assert slider.value == (2015, 2023) and slider.options[-1] == "2023"
    linked = open_page("market", query={"years": "2015-2022"})
    assert linked.select_slider(key="years").value == (2015, 2022) and not linked.warning
    refused = open_page("market", query={"years": "2015-2024"})
    assert any("years=2015-2024" in w.value for w in refused.warning)


def test_a_district_gets_its_own_lines_and_no_false_province_notice(yearly_copy, yearly_store):
    at = open_page("market")
    at.multiselect(key="district").set_value(["535"]).run()
    assert not at.exception and not at.error
    markets = spec_of(at, "chart_more.markets")
    lines = {tr["name"]: tr for tr in markets["data"]}
    assert set(lines) == {"Toàn tỉnh", "Ba Tơ"}
    ba_to = dict(zip(lines["Ba Tơ"]["x"], lines["Ba Tơ"]["y"]))
    assert ba_to[2015] == 7 and ba_to[2023] == 10 and len(ba_to) == 9
    assert markets["layout"]["title"]["text"].startswith("Chợ, Ba Tơ: tăng từ 7 (2015) lên 10 (2023)")
    # the notice only on the charts whose rows hold nothing for Ba Tơ
    expected = province_only(yearly_store, "market", ["535"])
    assert expected == {"market_stock_by_class", "trade_dossiers"}  # the report's province figures
    said = notices_of_charts(at)
    assert {cid for cid, notice in said.items() if notice} == expected and "more.markets" in said
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Chợ"] == "10"  # Ba Tơ's own, 2023


def test_the_new_indicator_is_on_its_page(yearly_copy):
    at = open_page("market")
    assert "Số liệu khác" in [h.value for h in at.header]
    ranking = spec_of(at, "chart_more.fuel_stations")
    bars = ranking["data"][0]
    assert bars["orientation"] == "h" and len(bars["y"]) == 13  # every district, ranked for 2023
    assert bars["x"] == sorted(bars["x"], reverse=True)
    assert ranking["layout"]["title"]["text"].startswith("Cửa hàng bán lẻ xăng dầu (SYNTHETIC) năm 2023: cao nhất")


def test_a_missing_year_is_a_gap(yearly_copy):
    at = open_page("electricity")
    at.multiselect(key="district").set_value(["531", "535"]).run()
    lines = {tr["name"]: tr for tr in spec_of(at, "chart_more.households_with_power")["data"]}
    minh_long = dict(zip(lines["Minh Long"]["x"], lines["Minh Long"]["y"]))
    assert minh_long[2018] is None and minh_long[2017] is not None and minh_long[2019] is not None
    assert lines["Minh Long"].get("connectgaps") is False


def test_titles_follow_the_years_in_view(yearly_copy):
    at = open_page("staffing")
    at.select_slider(key="years").set_range(2015, 2015).run()
    title = spec_of(at, "chart_procedures_count")["layout"]["title"]["text"]
    assert "95" in title and "133" not in title and "2020" not in title
    at.select_slider(key="years").set_range(2015, 2023).run()
    title = spec_of(at, "chart_procedures_count")["layout"]["title"]["text"]
    assert title.startswith("Thủ tục hành chính của Sở tăng từ 95 (2015) lên 133 (2020)")


def page_text(at) -> str:
    return " ".join(m.value for m in at.markdown)


class _Cells(HTMLParser):
    """The rows of the HTML tables in a piece of HTML, each a list of its cells' text."""

    def __init__(self, body: str):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def text_tables(at) -> list[list[list[str]]]:
    """The page's plain tables (ui.plain_table): each its rows, the header first."""
    return [_Cells(h.value).rows for h in at.html if "<table" in h.value]


@pytest.mark.parametrize("page", ["electricity", "market", "staffing"])
def test_named_places_and_lists_are_text_not_canvas(page):
    """Communes, power projects, facilities and documents are in plain HTML tables (a browser's
    find and a screen reader read them), never in st.dataframe's canvas."""
    at = open_page(page)
    assert not at.dataframe, [d.proto for d in at.dataframe][:1]
    tables = text_tables(at)
    assert tables
    cells = " ".join(cell for rows in tables for row in rows for cell in row)
    expected = {
        "electricity": ["Ba Vì", "Thủy điện Sơn Trà 1"],
        "market": ["Chợ Sa Huỳnh"],
        "staffing": ["1764/QĐ-UBND"],
    }
    for name in expected[page]:
        assert name in cells, name


def test_a_chosen_district_lists_its_named_places_as_text():
    at = open_page("electricity")
    assert "Địa danh báo cáo nêu tên" not in " ".join(h.value for h in at.header)
    at.multiselect(key="district").set_value(["529"]).run()
    assert not at.exception
    text = page_text(at)
    assert "Sơn Hà — xã được nêu tên trong dự án cấp điện nông thôn 2013–2020: 13" in text
    assert "Sơn Kỳ: đang thi công" in text and "chung với Sơn Tây (tính một lần)" in text
    # the full lists stay whole under the district filter
    communes = next(rows for rows in text_tables(at) if "Xã" in rows[0])
    assert len(communes) - 1 == 27  # the header, then a row per commune


def test_the_market_page_lists_a_districts_facilities_in_english():
    at = open_page("market", "en")
    at.multiselect(key="district").set_value(["533"]).run()
    text = page_text(at)
    assert "Mộ Đức — commercial facilities built and opened 2016–2020: 1" in text and "Chợ Thạch Trụ: market" in text


def test_the_staffing_page_lists_targets_as_targets():
    at = open_page("staffing")
    text = page_text(at)
    assert "20 % — Tỷ lệ tự chủ kinh phí thường xuyên" in text and "2021–2025" in text
    assert "mục tiêu, kế hoạch: không phải kết quả" in text
    values = {m.label: m.value for m in at.metric}
    assert values["Phòng thuộc Sở"] == "8"  # the structure in force, not the plan's 7
    assert "Giá trị suy ra: 7 + 1" in " ".join(c.value for c in at.caption)


def test_charts_below_the_first_screen_wait_for_the_reader_and_lose_nothing():
    """In a browser, a page sends its first chart at once and every later one as a placeholder
    holding its title and a "Draw the chart" button, which the page's script presses when the
    reader scrolls near (tests/e2e test that). Pressing it draws that chart; and in every
    later run the charts reached stay drawn."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    at.switch_page(site.page("staffing").script).run()
    assert not at.exception
    drawn = {el.key for el in at.get("plotly_chart")}
    assert drawn == {"chart_staff_headcount"}, drawn  # staffing has no district map: its first chart
    waiting = [b.key for b in at.button if str(b.key).startswith("draw_")]
    assert waiting == [f"draw_{cid}" for cid in catalogue.chart_ids("staffing")[1:]], waiting
    titles = " ".join(m.value for m in at.markdown)
    assert "Thủ tục hành chính của Sở tăng từ 95 (2015) lên 133 (2020)" in titles  # a placeholder says what comes
    at.button(key="draw_procedures_count").click().run()
    assert {el.key for el in at.get("plotly_chart")} == {"chart_staff_headcount", "chart_procedures_count"}
    at.multiselect(key="district").set_value(["535"]).run()
    assert "chart_procedures_count" in {el.key for el in at.get("plotly_chart")}  # reached: drawn at once
    overview = at.switch_page(site.page("overview").script).run()
    keys = [el.key for el in overview.get("plotly_chart")]
    assert len(keys) == 1 and keys[0].startswith("map_overview_"), keys  # the map first; the comparison waits
    assert "draw_compare" in [b.key for b in overview.button]
