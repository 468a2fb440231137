"""The province as it is now: figures across the merger of 01/07/2025 (SYNTHETIC, tests/fixtures/
merger) drawn truly: which territory each number is about, and where the territory changed."""

from __future__ import annotations

from sctdash.exhibits import pipeline
from sctdash.exhibits.filters import Filters

YEARS = (2021, 2026)


def view(store, districts=(), years=YEARS, lang="vi"):
    return pipeline.page_view(store.query, "market", Filters.of(districts, *years), lang)


def tile(store, label, districts=(), years=YEARS, lang="vi"):
    tiles = pipeline.page_tiles(store.query, "market", Filters.of(districts, *years), lang)
    return next(tv for tv in tiles if tv.label == label)


def series_names(ex):
    return [s.name for p in ex.panels for s in p.series]


def test_the_province_tile_never_compares_the_merged_province_with_the_former(merger_store):
    """The markets of 2026 (the merged province) are not compared with 2021 (the former one):
    the change is within the merged province's years, and the tile says it is a new territory."""
    markets = tile(merger_store, "Chợ")
    assert markets.value == "224"
    assert "135" not in markets.caption  # 2021, the former province
    assert "221 năm 2025 → 224 năm 2026" in markets.caption
    assert "địa bàn mới từ 01/07/2025" in markets.caption
    former = tile(merger_store, "Chợ", years=(2021, 2024))  # within the former province: compared
    assert "135 năm 2021 → 140 năm 2024" in former.caption and "địa bàn mới" not in former.caption


def test_a_series_of_the_province_breaks_at_the_merger_and_the_chart_says_why(merger_store):
    ex = view(merger_store, ("535",)).exhibit("more.markets")
    names = series_names(ex)
    assert names[:2] == ["Toàn tỉnh (đến 30/06/2025)", "Toàn tỉnh (từ 01/07/2025)"]
    province = [s for p in ex.panels for s in p.series if s.name.startswith("Toàn tỉnh")]
    years = [{pt.x for pt in s.points if pt.value is not None} for s in province]
    assert years == [{2021, 2022, 2023, 2024}, {2025, 2026}]  # two series, no line across
    note = "Từ 01/07/2025, tỉnh Quảng Ngãi gồm cả tỉnh Kon Tum cũ"
    assert any(line.startswith(note) for line in ex.footnotes)
    english = view(merger_store, ("535",), lang="en").exhibit("more.markets")
    assert any(
        line.startswith("From 01/07/2025, Quảng Ngãi province includes the former Kon Tum province")
        for line in english.footnotes
    )


def test_a_former_district_after_2025_shows_the_communes_that_took_its_land(merger_store):
    ex = view(merger_store, ("535",)).exhibit("more.markets")
    names = series_names(ex)
    assert "Ba Tơ" in names  # the district's own rows, 2021–2024
    assert any(n.startswith("nay thuộc xã ") for n in names)
    assert any(line.startswith("Đất của địa bàn đã chọn nay thuộc: ") for line in ex.footnotes)
    markets = tile(merger_store, "Chợ", ("535",))  # the district's own figure, nothing summed across
    assert "Tổng" not in markets.caption and "2024" in markets.caption
    assert "từ 01/07/2025 đất nay thuộc 8 xã, phường mới" in markets.caption


def test_a_new_commune_before_2025_shows_the_district_it_came_from(merger_store):
    ex = view(merger_store, ("21484",)).exhibit("more.markets")  # xã Ba Tơ of 2025
    assert "trước đây: huyện Ba Tơ" in series_names(ex)
    came = next(line for line in ex.footnotes if line.startswith("Địa bàn đã chọn lấy đất từ: "))
    assert "huyện Ba Tơ" in came and "(trước 01/07/2025)" in came


def test_the_96_communes_are_ranked_readably(merger_store):
    ex = view(merger_store).exhibit("more.markets")
    assert ex.ranking and ex.years == (2026, 2026)
    assert len(ex.panels[0].categories) == 18  # the 12 first and the 6 last of 96
    assert any("trong 96" in line for line in ex.footnotes)
    assert len(ex.title) < 160 and "nơi khác" in ex.title  # ties named a few at a time
    assert all(label.startswith(("xã ", "phường ", "đặc khu ")) for _, label in ex.panels[0].categories)
    districts = view(merger_store, years=(2021, 2024)).exhibit("more.markets")  # 2024: 23 districts
    assert len(districts.panels[0].categories) == 23


def test_tra_bong_breaks_in_2020_where_its_land_grew(yearly_store):
    ex = pipeline.page_view(yearly_store.query, "market", Filters.of(("525",), 2015, 2023), "vi").exhibit(
        "more.fuel_stations"
    )
    names = series_names(ex)
    assert names == ["Trà Bồng (đến 31/01/2020)", "Trà Bồng (từ 01/02/2020, đến 30/06/2025)"]
    assert any(line.startswith("Từ 01/02/2020, huyện Trà Bồng gồm cả huyện Tây Trà cũ") for line in ex.footnotes)
