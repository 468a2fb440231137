"""The district map's colour classes: counts are whole numbers, capacities may not be."""

from sctdash import district_map


def legend_words(store, map_id):
    m = district_map.spec(map_id)
    fig = district_map.figure(store.query(m["query"]), m, "vi", [])
    return [a.text for a in fig.layout.annotations]


def test_count_classes_are_whole_numbers(store):
    words = " ".join(legend_words(store, "facilities_opened"))
    assert "0,2" not in words and "0–" not in words


def test_communes_classes_cover_the_largest_value(store):
    words = legend_words(store, "electrified_communes")
    assert "11–15" in words  # Ba Tơ's 14 communes fall in the last class
