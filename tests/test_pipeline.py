"""Rows in the filter → exhibits: what the pipeline reuses, and what it must not."""

import csv

import pytest
from pandas.testing import assert_frame_equal

from sctdash.core import catalogue
from sctdash.exhibits import pipeline
from sctdash.exhibits.filters import Filters

YEARS = (2015, 2021)  # the query fixture holds a 2021 row for Ba Tơ (535), and the province's
STAFFING = ("staff_headcount", "staff_qualifications", "staff_training", "service_quality")  # none ranks


def test_a_district_without_rows_reuses_the_provinces_chart_and_says_so(fixture_store):
    q = fixture_store.query
    province = pipeline.chart(q, "staff_headcount", Filters((), *YEARS), "vi")
    chosen = pipeline.chart(q, "staff_headcount", Filters(("529",), *YEARS), "vi", province=province)
    assert chosen.province_only and "cấp tỉnh" in chosen.notice and chosen.filters.districts == ("529",)
    assert chosen.panels == province.panels and chosen.title == province.title  # the same drawing
    built = pipeline.chart(q, "staff_headcount", Filters(("529",), *YEARS), "vi")  # without the reuse
    assert built.title == chosen.title and built.province_only


def test_a_district_without_any_observation_costs_one_query_for_all_its_charts(fixture_store):
    """Sơn Hà has no observation in the years: every chart of observations is the province's,
    drawn without its own query; Ba Tơ has one (2021), so its charts are queried."""
    asked = []

    def counting(name, **params):
        asked.append(name)
        return fixture_store.query(name, **params)

    province = {cid: pipeline.chart(fixture_store.query, cid, Filters((), *YEARS), "vi") for cid in STAFFING}
    for cid in STAFFING:
        chosen = pipeline.chart(counting, cid, Filters(("529",), *YEARS), "vi", province=province[cid])
        assert chosen.province_only and chosen.title == province[cid].title
    assert set(asked) == {"district_rows"}
    asked.clear()
    pipeline.chart(counting, "staff_headcount", Filters(("535",), *YEARS), "vi", province=province["staff_headcount"])
    assert asked == ["district_rows", "staff_headcount"]


# Districts the extracts name in other things than observations: Sơn Hà (communes, power
# projects), Trà Bồng (a power project; Tây Trà merged into it), Mộ Đức (a market, a solar plant).
NAMED_ELSEWHERE = ("529", "525", "533")


@pytest.mark.parametrize("data", ["fixture", "bundled"])
def test_the_province_chart_that_stands_for_a_district_without_observations_is_what_its_query_draws(
    fixture_store, store, data
):
    """What lets a district without observations have the province's charts unqueried
    (pipeline.districts_have_rows): for every chart, the province's chart said so is what the
    chart's own query under the district draws, in words and rows. A chart that read the
    districts' communes, projects or facilities would draw them here, not the province's."""
    s = fixture_store if data == "fixture" else store
    q = s.query
    observed = set(s.table("observations").query("year_to >= @YEARS[0] and year_from <= @YEARS[1]")["area_code"])
    whole = Filters((), *YEARS)
    setting = pipeline.setting_for(q, whole, "vi")
    reusable = [cid for cid, spec in catalogue.charts().items() if spec.shape is None]  # a fixed shape is never reused
    province = {cid: pipeline.chart(q, cid, whole, "vi", setting) for cid in reusable}
    compared = 0
    for district in sorted(set(NAMED_ELSEWHERE) - observed):
        f = Filters((district,), *YEARS)
        setting = pipeline.setting_for(q, f, "vi")
        for cid in reusable:
            reused = pipeline.chart(q, cid, f, "vi", setting, province[cid])
            own = pipeline.chart(q, cid, f, "vi", setting)  # without the province's to reuse: its own query
            assert (reused.title, reused.subtitle, reused.province_only) == (own.title, own.subtitle, own.province_only)
            assert reused.panels == own.panels, cid
            assert_frame_equal(reused.rows.reset_index(drop=True), own.rows.reset_index(drop=True), obj=cid)
            compared += reused.province_only
    assert compared >= 20, compared  # most charts of observations, for each district


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


def _online_services_by_district(yearly_data, tmp_path):
    """The yearly data with SYNTHETIC counts of online services (level 3) for three districts in
    2019 and 2020, a figure a curated chart (online_services) ranks when no district is chosen."""
    import shutil

    from sctdash.store.db import Store

    data = tmp_path / "data"
    shutil.copytree(yearly_data, data, ignore=shutil.ignore_patterns("history"))
    quote = "SYNTHETIC — số liệu giả lập để kiểm thử, không phải số liệu thật"
    base = {"category": "level_3", "value_kind": "reported", "source_id": "synthetic-planner", "quote": quote}
    rows = [
        {**base, "indicator_id": "online_services", "area_code": code, "year_from": year, "year_to": year, "value": v}
        for code, first in (("522", 20), ("524", 11), ("535", 5))
        for year, v in ((2019, first), (2020, first + 3))
    ]
    with open(data / "observations.csv", encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))  # the columns the importer wrote (status among them)
    with open(data / "observations.csv", "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, header, restval="", lineterminator="\n").writerows(rows)
    store = Store(data, tmp_path / "cache")
    assert not store.problems, store.problems
    return store


def test_with_no_district_chosen_a_chart_gets_the_districts_latest_year_alone(yearly_data, tmp_path):
    """No district chosen: a chart of district rows ranks the districts for the latest year in
    view, so its query hands over that year's district rows and no other (the province's all);
    with a district chosen, every year of it."""
    q = _online_services_by_district(yearly_data, tmp_path).query
    rows = q("online_services", **Filters((), 2015, 2023).params())
    districts = rows[rows["area_code"] != "51"]
    assert sorted(districts["area_code"]) == ["522", "524", "535"] and set(districts["year_to"]) == {2020}
    assert len(rows[rows["area_code"] == "51"]) == 6  # the province's rows, all of them
    assert set(q("online_services", **Filters((), 2015, 2019).params()).query("area_code != '51'")["year_to"]) == {
        2019
    }  # the latest year in view, not in the data
    chosen = q("online_services", **Filters(("535",), 2015, 2023).params())
    assert sorted(chosen.loc[chosen["area_code"] == "535", "year_to"]) == [2019, 2020]


def test_more_figures_repeat_no_ranking_a_curated_chart_draws(yearly_data, tmp_path):
    """The curated chart ranks the districts' 2020 online services; "More figures" had ranked
    them again for 2019, from the rows the curated chart left."""
    q = _online_services_by_district(yearly_data, tmp_path).query
    selected = Filters((), 2015, 2023)
    curated = {cid: pipeline.chart(q, cid, selected, "vi") for cid in ("online_services", "service_quality")}
    assert curated["online_services"].ranking and curated["online_services"].years == (2020, 2020)
    more = pipeline.more(q, "staffing", selected, "vi", list(curated.values()))
    assert "more.online_services" not in [ex.id for ex in more.charts]
