"""The district map's colour classes: counts are whole numbers, capacities may not be."""

import pandas as pd

from sctdash import charts, district_map


def legend_words(store, map_id):
    m = district_map.spec(map_id)
    fig = district_map.figure(district_map.rows(store.query, map_id), m, "vi", [])
    return [a.text for a in fig.layout.annotations]


def test_count_classes_are_whole_numbers(store):
    words = " ".join(legend_words(store, "facilities_opened"))
    assert "0,2" not in words and "0–" not in words


def test_communes_classes_cover_the_largest_value(store):
    words = legend_words(store, "electrified_communes")
    assert "11–15" in words  # Ba Tơ's 14 communes fall in the last class


def test_hydro_and_solar_are_never_on_one_scale(store):
    """MW of turbines and MWp of panels: each on its own map, labelled in its own unit."""
    hydro = district_map.rows(store.query, "hydro_capacity").set_index("area_code")
    solar = district_map.rows(store.query, "solar_capacity").set_index("area_code")
    assert hydro["value"].dropna().to_dict() == {"525": 12, "535": 60}
    assert hydro["shared_value"].dropna().to_dict() == {"529": 60, "530": 60}  # Sơn Trà 1, once
    assert solar["value"].dropna().to_dict() == {"524": 49.6, "533": 19.2}
    labels = {
        map_id: [district_map.value_text(row, district_map.spec(map_id), "vi") for _, row in df.iterrows()]
        for map_id, df in (("hydro_capacity", hydro), ("solar_capacity", solar))
    }
    assert labels["hydro_capacity"][list(hydro.index).index("529")] == "60 MW chung<br>với Sơn Tây*"
    assert labels["hydro_capacity"][list(hydro.index).index("535")] == "60 MW"
    assert [w for w in labels["solar_capacity"] if "MW" in w] == ["49,6 MWp", "19,2 MWp"]


def test_the_source_line_splits_the_sources_a_district_row_joins(store):
    """A district's row may sum communes from two sources ("a, b"): the line names both."""
    sources = store.table("sources")
    two = sources["source_id"].head(2).tolist()
    rows = pd.DataFrame({"source_id": [", ".join(two)], "section": ["II.2.2, II.1"]})
    line = charts.source_line(rows, sources, "vi")
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
    df = district_map.rows(store.query, "hydro_capacity")
    spans = locations.groupby("project_id")["district_code"].nunique()
    shared_once = projects.loc[[p for p in placed if spans[p] > 1], "capacity"].sum()
    assert df["value"].sum() + shared_once == placed_mw == df["placed_total"].max()
    assert df["value"].sum() + df["shared_value"].sum() == 192  # adding the shared tiles would count it twice
    m = district_map.spec("hydro_capacity")
    assert district_map.summary(df, "vi")["total"] == "132" and district_map.summary(df, "vi")["n"] == "4"
    note = district_map.footnote(df, m, "vi", charts.Context())[0]
    assert "132 MW" in note
    compare = district_map.compare_figure(df, m, "vi")
    assert "Sơn Hà" in " ".join(compare.data[0].y) and "Sơn Tây" in " ".join(compare.data[0].y)
