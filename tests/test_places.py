"""Named places as text (sctdash.exhibits.places) and figures as lines (sctdash.exhibits.fact_list): plain
functions over the bundled extracts, the words a page and a deck show."""

import pandas as pd

from sctdash.exhibits import fact_list, places


def groups_of(store, districts, lang="vi", page=None):
    return dict(places.named_places(store.query, districts, lang, page))


def test_no_district_no_list(store):
    assert places.named_places(store.query, [], "vi") == []


def test_son_ha_lists_its_communes_and_projects_and_the_unplaced_ones(store):
    groups = groups_of(store, ["529"], page="electricity")
    communes = groups["Sơn Hà — xã được nêu tên trong dự án cấp điện nông thôn 2013–2020: 13"]
    assert len(communes) == 13 and "Sơn Kỳ: đang thi công" in communes
    projects = groups["Sơn Hà — dự án nguồn điện có nguồn đặt tại đây: 2"]
    son_tra = next(x for x in projects if x.startswith("Thủy điện Sơn Trà 1:"))
    assert "60 MW" in son_tra and "chung với Sơn Tây (tính một lần)" in son_tra and "xã Sơn Kỳ" in son_tra
    assert "datphuong.com.vn: “được xây dựng trên địa bàn xã Sơn Lập (Sơn Tây) và xã Sơn Kỳ (Sơn Hà)”" in son_tra
    unplaced = groups["Dự án báo cáo nêu tên nhưng chưa rõ huyện, không gán cho huyện nào: 8"]
    assert any(x.startswith("Thủy điện Sơn Tây: thủy điện, 18 MW") for x in unplaced)
    assert not any("cơ sở thương mại" in heading for heading in groups)  # the market page lists those


def test_a_merged_unit_lists_what_lies_in_the_unit_it_joined(store):
    """Trà Bồng (with the former Tây Trà): Kà Tinh, placed by its page in Trà Lâm commune."""
    groups = groups_of(store, ["525"], "en", "electricity")
    projects = groups["Trà Bồng — power projects a source places here: 1"]
    assert projects[0].startswith("Thủy điện Kà Tinh: hydropower, 12 MW, completed, in operation, Trà Lâm commune")
    assert groups["Trà Bồng — communes named in the 2013–2020 rural electrification project: 0"] == [
        "The report names no commune of Trà Bồng in the rural electrification project."
    ]


def test_several_districts_each_have_their_list(store):
    groups = places.named_places(store.query, ["535", "529"], "vi", "electricity")
    headings = [h for h, _ in groups]
    assert headings[:2] == [
        "Ba Tơ — xã được nêu tên trong dự án cấp điện nông thôn 2013–2020: 14",
        "Sơn Hà — xã được nêu tên trong dự án cấp điện nông thôn 2013–2020: 13",
    ]
    ba_to = dict(groups)[headings[0]]
    assert sum(x.endswith("đã hoàn thành") for x in ba_to) == 7 and sum(x.endswith("đang thi công") for x in ba_to) == 7


def test_the_market_page_lists_facilities_and_says_where_the_report_gives_none(store):
    groups = groups_of(store, ["534", "536"], page="market")
    assert groups["Đức Phổ — cơ sở thương mại đầu tư mới, đưa vào hoạt động 2016–2020: 1"] == [
        "Chợ Sa Huỳnh: chợ · báo cáo, mục II.2.1.a1: “chợ Sa Huỳnh tại huyện Đức Phổ”"
    ]
    assert groups["Lý Sơn — cơ sở thương mại đầu tư mới, đưa vào hoạt động 2016–2020: 0"] == [
        "Báo cáo không ghi cơ sở thương mại mở mới nào tại Lý Sơn."
    ]
    assert len(groups["Cơ sở báo cáo không ghi huyện: 4"]) == 4


def test_markdown_escapes_what_markdown_would_act_on():
    text = places.markdown([("Ba Tơ — *x*", ["02 siêu thị (*Vinmart*) [1] <b>"])])
    assert text == "**Ba Tơ — \\*x\\***\n\n- 02 siêu thị (\\*Vinmart\\*) \\[1\\] \\<b\\>"


def test_a_paraphrased_site_is_never_in_quotation_marks():
    row = pd.Series(
        {
            "place_kind": "project",
            "place_name": "Thủy điện X",
            "kind": "hydro",
            "capacity": 12.0,
            "capacity_unit": "MW",
            "status": "in_operation",
            "shared_with_vi": None,
            "commune_name": None,
            "district_code": "535",
            "source_kind": "external",
            "source_publisher": "báo X",
            "section": "II.2.1.a1",
            "place_quote": "ở Ba Tơ",
            "quote_kind": "paraphrase",
        }
    )
    line = places.place_line(next(pd.DataFrame([row]).itertuples()), "vi")
    assert "“" not in line and "tóm tắt, không phải nguyên văn của nguồn" in line


def test_full_lists_are_plain_text_tables(store):
    df = store.query("power_projects", districts=[])
    frame = places.table_frame(
        df, {"item": "name", "value": "capacity", "status": "status"}, "vi", {"status": "status"}
    )
    assert list(frame.columns) == ["Tên", "Công suất", "Trạng thái"]
    by_name = dict(zip(frame["Tên"], frame["Công suất"]))
    assert by_name["Thủy điện Núi Ngang"] == "0,7" and by_name["Thủy điện Nước Long"] == "–"
    assert frame.map(lambda v: isinstance(v, str)).all().all()


def test_targets_and_other_results_as_lines(store):
    targets = fact_list.lines(store.query("figure_list", indicators=[], figure_type="target"), "vi")
    assert (
        "20 % — Tỷ lệ tự chủ kinh phí thường xuyên của Trung tâm Khuyến công và Xúc tiến thương mại, 2021–2025, "
        "mục II.2.5.b — mục tiêu, kế hoạch: không phải kết quả" in targets
    )
    assert len(targets) == 6  # with the 624 villages, 126 communes, 12 districts of the electrification project
    results = fact_list.lines(store.query("figure_list", indicators=["mttq_opinions"], figure_type="result"), "en")
    assert results == [
        "19 — Opinions of the Vietnam Fatherland Front on voters' petitions taken up, 2016–2020, section II.2.1.a1"
    ]
