"""The district maps: colour classes, words and tiles, for the report's named things and for
any indicator with district rows."""

import pandas as pd
import pytest

from sctdash.drawing import map_figures
from sctdash.exhibits import district_map, phrases, tile_grid
from tests.helpers import filters, map_view


def legend_words(store, map_id):
    return [w for _, w in map_view(store, map_id).legend]


def whole_classes(v) -> list[tuple[int, int, str]]:
    """(low, high, colour) of each colour class of a map of counts, read from its legend's
    words ("1–5", or "1" for a class of one value); "no data" last, left out."""
    *classes, (_, no_data) = v.legend
    assert no_data == "không có số liệu"
    bounds = []
    for colour, words in classes:
        low, _, high = words.partition("–")
        bounds.append((int(low), int(high or low), colour))
    return bounds


@pytest.mark.parametrize(
    ("map_id", "table", "expected"),
    [
        ("facilities_opened", "market_facilities", [(1, 1)]),  # one facility in each of two districts
        ("electrified_communes", "electrified_communes", [(1, 5), (6, 10), (11, 15)]),  # 14 and 13
    ],
)
def test_count_classes_are_whole_numbers_from_one_to_the_largest_count(store, map_id, table, expected):
    """A map of named things counts them by district: classes of whole numbers from 1, each
    starting where the one before ends, the last holding the largest count, and each district's
    tile in the class of its count (counted here from the extract)."""
    counts = store.table(table).dropna(subset=["district_code"]).groupby("district_code").size().to_dict()
    assert counts, table
    v = map_view(store, map_id)
    classes = whole_classes(v)
    assert [(low, high) for low, high, _ in classes] == expected
    assert classes[0][0] == 1 and all(b[0] == a[1] + 1 for a, b in zip(classes, classes[1:]))
    assert classes[-1][1] >= max(counts.values())
    tiles = {tile.code: tile for tile in v.tiles}
    for code, n in counts.items():
        (colour,) = [c for low, high, c in classes if low <= n <= high]
        assert tiles[code].fill == colour, (code, n)
    assert {code for code, tile in tiles.items() if tile.fill != tile_grid.NO_DATA_FILL} == set(counts)


def test_hydro_and_solar_are_never_on_one_scale(store):
    """MW of turbines and MWp of panels: each on its own map, labelled in its own unit."""
    hydro = map_view(store, "hydro_capacity")
    solar = map_view(store, "solar_capacity")
    by_area = hydro.rows.set_index("area_code")
    assert by_area["value"].dropna().to_dict() == {"525": 12, "535": 60}
    assert by_area["shared_value"].dropna().to_dict() == {"529": 60, "530": 60}  # Sơn Trà 1, once
    assert solar.rows.set_index("area_code")["value"].dropna().to_dict() == {"524": 49.6, "533": 19.2}
    texts = {tile.code: tile.text for tile in hydro.tiles}
    assert texts["529"] == texts["530"] == "60 MW chung*" and texts["535"] == "60 MW"  # Sơn Trà 1 spans two
    assert [tile.text for tile in solar.tiles if "MW" in tile.text] == ["49,6 MWp", "19,2 MWp"]


def test_the_source_line_splits_the_sources_a_district_row_joins(store):
    """A district's row may sum communes from two sources ("a, b"): the line names both."""
    sources = store.table("sources")
    two = sources["source_id"].head(2).tolist()
    rows = pd.DataFrame({"source_id": [", ".join(two)], "section": ["II.2.2, II.1"]})
    line = phrases.source_line(rows, sources, "vi")
    assert line.count(";") == 1 and ", ".join(two) not in line
    assert "II.1, II.2.2" in line


def test_a_plant_in_two_districts_counts_once_and_the_map_adds_up(store):
    """Sơn Trà 1 (60 MW) lies in Sơn Tây and Sơn Hà and no source splits it: the hydropower map
    counts it once, so its tiles plus each shared plant once equal the capacity placed (132
    MW: Sơn Trà 1, Đăkre, Kà Tinh), not 192; the note under the map says 132."""
    projects = store.table("power_projects").set_index("project_id")
    locations = store.table("power_project_locations")
    placed = sorted(
        set(locations["project_id"]) & set(projects.query("kind == 'hydro' and status == 'in_operation'").index)
    )
    placed_mw = projects.loc[placed, "capacity"].dropna().sum()
    assert placed == ["dakre", "ka-tinh", "son-tra-1"] and placed_mw == 132
    v = map_view(store, "hydro_capacity")
    df = v.rows
    spans = locations.groupby("project_id")["district_code"].nunique()
    shared_once = projects.loc[[p for p in placed if spans[p] > 1], "capacity"].sum()
    assert df["value"].sum() + shared_once == placed_mw == df["placed_total"].max()
    assert df["value"].sum() + df["shared_value"].sum() == 192  # adding the shared tiles would count it twice
    assert district_map.totals(df, "vi")["total"] == "132" and "132 MW" in " ".join(v.footnotes)
    assert "4 huyện" in v.title  # Ba Tơ, Trà Bồng, and the two that share Sơn Trà 1
    tiles = {t.code: t for t in v.tiles}
    assert tiles["529"].has_data and tiles["529"].fill == tile_grid.NO_DATA_FILL  # said, not coloured
    compare = map_figures.compare_figure(v)
    assert {"Sơn Hà", "Sơn Tây"} <= set(compare.data[0].y)


def test_a_map_for_every_indicator_with_district_rows(yearly_store):
    f = filters(yearly_store)
    options = {m["indicator"]: m for m in district_map.indicator_maps(yearly_store.query, f)}
    assert set(options) == {"markets", "households_with_power", "fuel_stations"}
    assert options["markets"]["short"]["vi"] == "Chợ"
    assert [m["indicator"] for m in district_map.indicator_maps(yearly_store.query, f, ["electricity"])] == [
        "households_with_power"
    ]


def test_an_indicator_map_shows_the_fixture_values_and_classes_from_the_data(yearly_store):
    m = district_map.indicator_maps(yearly_store.query, filters(yearly_store), ["electricity"])[0]
    v = map_view(yearly_store, m)
    tiles = {t.code: t for t in v.tiles}
    assert tiles["535"].text == "99,1 %" and "2023" in tiles["535"].hover  # Ba Tơ, 2023
    assert v.years == (2015, 2023)
    assert "Tỷ lệ hộ có điện năm 2023" in v.title
    # shares between 99 and 100: classes from the data, not one class from 0 to 100
    assert len({t.fill for t in v.tiles}) > 1
    assert not v.legend[0][1].startswith("0")


def test_an_indicator_map_of_change_over_the_years(yearly_store):
    m = district_map.indicator_maps(yearly_store.query, filters(yearly_store), ["market"])
    markets = district_map.with_mode(next(x for x in m if x["indicator"] == "markets"), "change")
    v = map_view(yearly_store, markets, years=(2019, 2021))
    tiles = {t.code: t for t in v.tiles}
    row = v.rows.set_index("area_code").loc["522"]
    assert row["first_year"] == 2019 and row["value_year"] == 2021
    assert tiles["522"].text == f"+{int(row['value'] - row['first_value'])}"
    assert "thay đổi 2019–2021" in v.title


def test_a_district_missing_a_year_has_its_latest_in_the_filter(yearly_store):
    m = district_map.indicator_maps(yearly_store.query, filters(yearly_store), ["market"])
    markets = next(x for x in m if x["indicator"] == "markets")
    v = map_view(yearly_store, markets, years=(2018, 2018))
    tiles = {t.code: t for t in v.tiles}
    assert tiles["531"].text == "không có số liệu" and not tiles["531"].has_data  # Minh Long, 2018
    assert tiles["535"].has_data
