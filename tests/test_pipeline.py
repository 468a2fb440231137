"""Rows in the filter → exhibits: what the pipeline reuses, and what it must not."""

from sctdash import pipeline
from sctdash.filters import Filters

YEARS = (2015, 2021)  # the query fixture holds a 2021 row for Ba Tơ (535), and the province's


def test_a_district_without_rows_reuses_the_provinces_chart_and_says_so(fixture_store):
    q = fixture_store.query
    province = pipeline.chart(q, "staff_headcount", Filters((), *YEARS), "vi")
    chosen = pipeline.chart(q, "staff_headcount", Filters(("529",), *YEARS), "vi", province=province)
    assert chosen.province_only and "cấp tỉnh" in chosen.notice and chosen.filters.districts == ("529",)
    assert chosen.panels is province.panels and chosen.title == province.title  # the same drawing
    built = pipeline.chart(q, "staff_headcount", Filters(("529",), *YEARS), "vi")  # without the reuse
    assert built.title == chosen.title and built.province_only


def test_a_ranking_of_the_districts_is_never_reused_for_a_district_without_rows(fixture_store):
    q = fixture_store.query
    province = pipeline.chart(q, "procedures_count", Filters((), *YEARS), "vi")
    assert province.ranking  # no district chosen: the districts' 2021 rows ranked
    chosen = pipeline.chart(q, "procedures_count", Filters(("529",), *YEARS), "vi", province=province)
    assert not chosen.ranking and chosen.province_only
    assert [label for _, label in chosen.panels[0].categories] == ["Năm 2015", "Năm 2020"]


def test_a_district_with_rows_gets_its_own_chart(fixture_store):
    q = fixture_store.query
    province = pipeline.chart(q, "procedures_count", Filters((), *YEARS), "vi")
    ba_to = pipeline.chart(q, "procedures_count", Filters(("535",), *YEARS), "vi", province=province)
    assert not ba_to.province_only and ba_to.districts == ("535",)
    panel = ba_to.panels[0]
    assert ("535", "Ba Tơ") in panel.categories  # Ba Tơ's own bar beside the province's
    ba_to_points = [(s.name, p.value) for s in panel.series for p in s.points if p.x == "535"]
    assert ba_to_points == [("Năm 2021", 12.0)]
