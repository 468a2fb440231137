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
    assert ex.rows["area_code"].nunique() == 96  # the data table (CSV, XLSX) holds them all, as the footnote says
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


def test_the_map_of_communes_is_96_dots_and_the_map_of_2024_has_the_23_districts(merger_store):
    from sctdash.exhibits import district_map

    def markets_map(years):
        f = Filters.of((), *years)
        spec = next(m for m in district_map.indicator_maps(merger_store.query, f) if m["indicator"] == "markets")
        return pipeline.views(merger_store.query, f, "vi").map(spec)

    communes = markets_map((2021, 2026))
    assert communes.points and len(communes.tiles) == 96
    assert all(tile.has_data for tile in communes.tiles)  # every commune of the fixture has its figure
    assert "xã, phường, đặc khu (từ 01/07/2025)" in communes.subtitle
    districts = markets_map((2021, 2024))
    assert not districts.points and len(districts.tiles) == 23  # both former provinces' districts
    assert {tile.name for tile in districts.tiles} >= {"Kon Plông", "Ba Tơ", "Đắk Glei"}
    assert "tỉnh Kon Tum cũ" in districts.subtitle


def test_a_deck_of_the_merged_province_draws_the_communes_as_dots(merger_store):
    import io

    from pptx import Presentation

    from sctdash.exports import deck

    prs = Presentation(
        io.BytesIO(deck.page_deck("market", pipeline.views(merger_store.query, Filters.of((), *YEARS), "vi")))
    )
    ovals = [sh for s in prs.slides for sh in s.shapes if 'prst="ellipse"' in sh._element.xml]
    assert len(ovals) == 96
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert any("Bản đồ chấm" in n for n in notes)


def test_the_area_filter_offers_the_units_of_the_years_and_links_carry_codes(merger_copy):
    from streamlit.testing.v1 import AppTest

    from sctdash.app import site, state
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.session_state[state.DRAW_ALL] = True
    at.query_params.update({"area": ["21484"], "years": "2021-2026"})
    at.run()
    at.switch_page(site.page("market").script).run()
    assert not at.exception, [e.value for e in at.exception]
    box = at.multiselect(key=state.DISTRICT)
    assert box.label == "Địa bàn" and box.value == ["21484"]
    labels = list(box.options)  # AppTest gives the options as the page writes them
    assert "huyện Ba Tơ (đến 30/06/2025) · Ba To" in labels
    assert "xã Ba Tơ (từ 01/07/2025) · Ba To" in labels
    assert labels.index("huyện Ba Tơ (đến 30/06/2025) · Ba To") < labels.index("xã Ba Tơ (từ 01/07/2025) · Ba To")
    assert len([o for o in labels if o.startswith(("xã ", "phường ", "đặc khu "))]) == 96
    old = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)  # a link written before 2026
    old.query_params.update({"district": ["535"]})
    old.run()
    assert old.multiselect(key=state.DISTRICT).value == ["535"]
