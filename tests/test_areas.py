"""The units of the province of every level and date (data/areas.csv, area_crosswalk.csv): what
`make areas` writes from vietnamadminunits, held against the package and the resolutions, and
what a row's code means in its years."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from sctdash.editing import areas
from tests.conftest import DATA


def read(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """What `make areas` writes now, from the installed package."""
    out = tmp_path_factory.mktemp("areas")
    areas.write(out)
    return read(out / "areas.csv"), read(out / "area_crosswalk.csv")


def test_the_extract_is_what_the_package_gives(written):
    units, crosswalk = written
    assert read(DATA / "areas.csv") == units
    assert read(DATA / "area_crosswalk.csv") == crosswalk


def test_the_merged_province_of_2025_has_96_communes_from_both_former_provinces():
    units = read(DATA / "areas.csv")
    new = [u for u in units if u["valid_from"] == "2025-07-01" and u["level"] == "commune"]
    assert len(new) == 96
    assert Counter(u["unit_type"] for u in new) == {"xa": 86, "phuong": 9, "dac_khu": 1}
    assert Counter(u["area_code"][:2] for u in new) == {"21": 56, "23": 40}
    by_id = {u["unit_id"]: u for u in units}
    crosswalk = read(DATA / "area_crosswalk.csv")
    origin: dict[str, set[str]] = {}
    for row in crosswalk:
        former, new_unit = by_id[row["former_unit"]], by_id[row["new_unit"]]
        if new_unit["level"] != "commune":
            continue
        district = by_id.get(former["parent_code"]) if former["level"] == "commune" else former
        origin.setdefault(new_unit["unit_id"], set()).add(district["parent_code"])
    assert len(origin) == 96  # every new commune has the land of former units
    assert Counter(frozenset(v) for v in origin.values()) == {frozenset({"51"}): 56, frozenset({"62"}): 40}


def test_before_the_merger_23_districts_and_the_two_provinces_end_on_30_06_2025():
    units = read(DATA / "areas.csv")
    in_2024 = [u for u in units if u["level"] == "district" and u["valid_to"] == "2025-06-30"]
    assert Counter(u["parent_code"] for u in in_2024 if "@" not in u["unit_id"] or u["valid_from"] < "2025") == {
        "51": 13,
        "62": 10,
    }
    provinces = {u["unit_id"]: u for u in units if u["level"] == "province"}
    assert set(provinces) == {"51", "51@2025-07-01", "62"}
    assert provinces["51"]["valid_to"] == provinces["62"]["valid_to"] == "2025-06-30"
    assert provinces["51@2025-07-01"]["new_territory"] == "true"
    crosswalk = {(r["new_unit"], r["former_unit"]) for r in read(DATA / "area_crosswalk.csv")}
    assert {("51@2025-07-01", "51"), ("51@2025-07-01", "62")} <= crosswalk


def test_a_reused_code_is_a_new_unit_and_a_divided_commune_has_every_part():
    units = {u["unit_id"]: u for u in read(DATA / "areas.csv")}
    new = [i for i, u in units.items() if u["valid_from"] == "2025-07-01" and u["level"] == "commune"]
    reused = [i for i in new if units[i]["area_code"] != i]  # a later unit of its code: <code>@2025-07-01
    assert len(reused) == 95  # all but Lý Sơn's special zone
    crosswalk = read(DATA / "area_crosswalk.csv")
    for unit_id in reused:  # the old holder of a reused code is one of the new unit's former units
        code = units[unit_id]["area_code"]
        assert any(r["new_unit"] == unit_id and r["former_unit"] == code for r in crosswalk), unit_id
    parts = [r for r in crosswalk if r["former_unit"] == "21142"]  # Trà Bùi
    assert {units[r["new_unit"]]["name_vi"] for r in parts} == {"Cà Đam", "Tây Trà Bồng"}
    assert all(r["is_whole"] == "false" and r["share_pct"] == "" for r in parts)  # no share is published


def test_each_unit_of_a_code_follows_the_one_before():
    by_code: dict[str, list[dict]] = {}
    for u in read(DATA / "areas.csv"):
        by_code.setdefault(u["area_code"], []).append(u)
    for code, units in by_code.items():
        units.sort(key=lambda u: u["valid_from"])
        for before, after in zip(units, units[1:]):
            assert before["valid_to"] and before["valid_to"] < after["valid_from"], code


@pytest.mark.parametrize(
    ("code", "year", "expected_vi"),
    [
        ("535", 2026, "mã “535” là huyện Ba Tơ (đến 30/06/2025): không có đơn vị này trong năm 2026."),
        ("21548", 2024, "mã “21548” là đặc khu Lý Sơn (từ 01/07/2025): không có đơn vị này trong năm 2024."),
        ("99999", 2024, "“99999” không phải mã của đơn vị hành chính nào của tỉnh"),
    ],
)
def test_an_area_outside_its_years_is_refused_naming_the_unit(data_copy, code, year, expected_vi):
    from sctdash.editing import importer

    path = data_copy.parent / "extract.csv"
    header = "indicator_id,area_code,year_from,year_to,category,variant,value,value_kind,source_id,quote"
    path.write_text(f"{header}\nmarkets,{code},{year},{year},total,,12,reported,bc-sct-2021,x\n", encoding="utf-8")
    preview = importer.check_file(path, data_copy)
    assert not preview.ok
    (message,) = preview.messages("vi")
    assert "dòng 2, cột area_code" in message and expected_vi in message
    before = (data_copy / "observations.csv").read_bytes()
    assert (data_copy / "observations.csv").read_bytes() == before  # nothing written


def test_the_same_code_names_the_unit_of_its_year(data_copy):
    """51 in 2024 is the former province, 51 in 2025 the merged one; 535 in 2025 the district
    (until 30/06/2025); a commune's reused code in 2024 its former commune."""
    from sctdash.editing import importer
    from sctdash.store.db import Store

    path = data_copy.parent / "extract.csv"
    header = "indicator_id,area_code,year_from,year_to,category,variant,value,value_kind,source_id,quote"
    lines = [header] + [
        f"markets,{code},{year},{year},total,,{n},reported,bc-sct-2021,x"
        for n, (code, year) in enumerate([("51", 2024), ("51", 2025), ("535", 2025), ("21025", 2024), ("21025", 2026)])
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    preview = importer.check_file(path, data_copy)
    assert preview.ok, preview.messages()
    preview.apply()
    facts = (
        Store(data_copy)
        .con.execute(
            "select area_code, year_to, unit_id from facts where indicator_id = 'markets' and year_to > 2020 "
            "order by year_to, area_code"
        )
        .fetchall()
    )
    assert facts == [
        ("21025", 2024, "21025"),
        ("51", 2024, "51"),
        ("51", 2025, "51@2025-07-01"),
        ("535", 2025, "535"),
        ("21025", 2026, "21025@2025-07-01"),
    ]
