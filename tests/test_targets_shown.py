"""Targets, estimates and the change on the year before where a leadership meeting reads them:
the headline tiles and the charts, on the SYNTHETIC targets fixture (tests/fixtures/targets,
imported with its revision: the province's 2026 markets are 240, official, against a plan of
238)."""

from __future__ import annotations

import pytest

from sctdash.core.catalogue import TileSpec
from sctdash.drawing import figures
from sctdash.exhibits import pipeline, tiles
from sctdash.exhibits.filters import Filters


def market_tile(store, areas, years, lang="vi") -> tiles.TileView:
    views = pipeline.page_tiles(store.query, "market", Filters.of(list(areas), *years), lang)
    return next(tv for tv in views if tv.label in ("Chợ", "Markets"))


def late_tile(store, areas, years, lang="vi") -> tiles.TileView:
    """A tile of the SYNTHETIC late-dossier share, less is better (no page has one: built here)."""
    f = Filters.of(list(areas), *years)
    setting = pipeline.setting_for(store.query, f, lang)
    rows = store.query("headline_facts", indicators=["late_dossiers_pct"], **f.params())
    spec = TileSpec("late_dossiers_pct", {"vi": "Hồ sơ trễ hạn", "en": "Late dossiers"})
    tv = tiles.tile(spec, rows, setting)
    assert tv is not None
    return tv


def test_a_tile_sets_its_target_beside_the_result_and_the_year_before_as_its_delta(targets_store):
    tv = market_tile(targets_store, (), (2021, 2026))
    assert tv.value == "240"
    parts = tv.caption.split(" · ")
    assert parts[:3] == ["Kế hoạch 2026: 238", "đạt 100,8 % kế hoạch", "vượt kế hoạch"], tv.caption
    assert "Năm 2026 (ước tính)" not in tv.caption  # revised to an official figure
    assert "đã sửa" in tv.caption and "trước đó 236 (ước tính)" in tv.caption  # the estimate it replaced
    # 2025 and 2026 are both the merged province's: compared; 2021–2024 were another land
    assert (tv.delta, tv.delta_words, tv.delta_color) == ("+3,4 %", "so với 2025", "normal")
    assert "địa bàn mới từ 01/07/2025: không so với trước đó" in parts
    en = market_tile(targets_store, (), (2021, 2026), "en")
    assert en.caption.split(" · ")[:3] == ["Target 2026: 238", "100.8 % of target", "target exceeded"]
    assert (en.delta, en.delta_words) == ("+3.4 %", "on 2025")


def test_a_district_short_of_its_target_and_a_commune_estimate_that_meets_it(targets_store):
    tv = market_tile(targets_store, ("535",), (2021, 2024))
    assert tv.value == "11"
    assert "Kế hoạch 2024: 12 · đạt 91,7 % kế hoạch · chưa đạt kế hoạch" in tv.caption
    assert tv.delta == "+10 %" and tv.delta_words == "so với 2023"
    tv = market_tile(targets_store, ("21484",), (2025, 2026))
    assert tv.value == "5"
    assert "Năm 2026 (ước tính) · Kế hoạch 2026: 5 · đạt 100 % kế hoạch · đạt kế hoạch" in tv.caption
    assert tv.delta == "+25 %"


def test_where_less_is_better_the_tile_reads_the_other_way(targets_store):
    tv = late_tile(targets_store, (), (2021, 2026))
    assert tv.value == "3,2 %"
    assert "Kế hoạch 2026: 3 % · cao hơn kế hoạch 0,2 điểm · chưa đạt kế hoạch" in tv.caption, tv.caption
    assert "Năm 2026 (ước tính)" in tv.caption
    # down 0,4 points: st.metric's "inverse" draws a fall green where less is better
    assert (tv.delta, tv.delta_color) == ("-0,4 điểm", "inverse")
    tv = late_tile(targets_store, (), (2021, 2025))
    assert "Kế hoạch 2025: 3,5 % · cao hơn kế hoạch 0,1 điểm · chưa đạt kế hoạch" in tv.caption, tv.caption


def test_a_tile_with_no_year_before_in_view_has_no_delta(targets_store):
    tv = market_tile(targets_store, (), (2026, 2026))
    assert tv.value == "240" and tv.delta == "" and "Kế hoạch 2026: 238" in tv.caption


def line_of(store, areas, years, lang="vi"):
    view = pipeline.page_view(store.query, "market", Filters.of(list(areas), *years), lang)
    return view.exhibit("more.markets")


def test_a_line_marks_its_targets_with_the_standing_of_each_result(targets_store):
    ex = line_of(targets_store, ("535",), (2021, 2024))
    assert ex.shape == "line"
    series = {s.key: s for s in ex.panels[0].series}
    plan = series["total|535|target"]
    assert plan.name == "Ba Tơ · Kế hoạch"
    assert [(p.x, p.value, p.kind) for p in plan.points if p.value is not None] == [
        (2023, 10, "target"),
        (2024, 12, "target"),
    ]
    result = {p.x: p for p in series["total|535|"].points}
    assert result[2024].hover.endswith("đạt 91,7 % kế hoạch · chưa đạt kế hoạch"), result[2024].hover
    assert "kế hoạch" not in result[2022].hover  # no target that year
    # and the change on the year before, on the same land; none for the first year
    assert "Ba Tơ · 2024: 11 · tăng 10 % so với cùng kỳ · đạt 91,7 % kế hoạch" in result[2024].hover
    assert "so với cùng kỳ" not in result[2021].hover
    assert "Vạch ngang ngắn: kế hoạch, mục tiêu, không phải kết quả" in ex.footnotes
    # the rows exported are the results and the targets marked, each saying which it is
    marked = ex.rows[ex.rows["area_code"] == "535"]
    assert sorted(zip(marked["year_to"], marked["figure_type"])) == [
        (2021, "result"),
        (2022, "result"),
        (2023, "result"),
        (2023, "target"),
        (2024, "result"),
        (2024, "target"),
    ]
    # drawn: a short rule with its figure over it where the result is lower, never a line
    fig = figures.figure(ex)
    (rule,) = [tr for tr in fig.data if tr.hovertext and tr.hovertext[0].startswith("Ba Tơ · Kế hoạch")]
    assert rule.mode == "markers+text" and rule.marker.symbol == "line-ew-open"
    assert list(rule.text) == ["10", "12"] and list(rule.textposition) == ["top center", "top center"]


def test_a_ranking_marks_the_targets_of_its_year_and_draws_estimates_dotted(targets_store):
    ex = line_of(targets_store, (), (2021, 2026))
    assert ex.ranking and ex.years == (2026, 2026)
    series = {s.key: s for s in ex.panels[0].series}
    assert [(p.x, p.value) for p in series["target"].points] == [("21484", 5)]
    ranked = {p.x: p for p in series["total"].points}
    assert ranked["21484"].status == "estimate" and ranked["21484"].text == "5 (ước tính)"
    assert ranked["21484"].hover.endswith("đạt 100 % kế hoạch · đạt kế hoạch")
    assert "Chấm: số liệu ước tính, sơ bộ, chưa chính thức" in ex.footnotes
    assert "target" in ex.kinds and "estimate" in ex.kinds


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_electrification_programme_tile_shows_its_scope_as_a_target(store, lang):
    """The bundled report: 624 villages is the 2013–2020 project's scope (a target), not a result."""
    views = pipeline.page_tiles(store.query, "electricity", Filters.of([], 2015, 2020), lang)
    tv = next(x for x in views if x.label in ("Thôn, bản trong dự án", "Villages in project"))
    assert tv.value == "624" and tv.delta == ""
    assert (
        tv.caption
        == {
            "vi": "Mục tiêu, kế hoạch 2013–2020: không phải kết quả",
            "en": "Target or plan for 2013–2020: not a result",
        }[lang]
    )


def test_the_table_of_plans_and_results_counts_as_the_report_does(targets_store):
    from sctdash.exhibits import target_table

    rows = targets_store.query("target_standing", districts=[], year_from=2021, year_to=2026)
    names = pipeline.area_names(targets_store.query, "vi")
    table = target_table.frame(rows, names, "vi")
    assert list(table.columns) == ["Chỉ tiêu", "Địa bàn", "Kỳ", "Kế hoạch", "Kết quả", "So với kế hoạch", "Đánh giá"]
    by_key = {(r["Chỉ tiêu"], r["Địa bàn"], r["Kỳ"]): r for r in table.to_dict("records")}
    province_2026 = by_key[("Chợ", "Toàn tỉnh", "2026")]
    assert (province_2026["Kế hoạch"], province_2026["Kết quả"]) == ("238", "240")  # the revised figure
    assert (province_2026["So với kế hoạch"], province_2026["Đánh giá"]) == ("đạt 100,8 % kế hoạch", "✔ vượt kế hoạch")
    late = "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trễ hạn (SYNTHETIC)"
    ba_to = by_key[(late, "Ba Tơ", "2024")]  # less is better: 4,2 % against 4,5 % is exceeded
    assert (ba_to["Kết quả"], ba_to["So với kế hoạch"], ba_to["Đánh giá"]) == (
        "4,2 %",
        "thấp hơn kế hoạch 0,3 điểm",
        "✔ vượt kế hoạch",
    )
    period = by_key[("Tăng trưởng bình quân số chợ (SYNTHETIC)", "Toàn tỉnh", "2021–2025")]
    assert (period["Kế hoạch"], period["Kết quả"], period["Đánh giá"]) == ("3 %", "chưa có kết quả cùng kỳ", "")
    stood = [r["Đánh giá"] for r in table.to_dict("records") if r["Đánh giá"]]
    counts = {w: sum(s.endswith(w) for s in stood) for w in ("vượt kế hoạch", "chưa đạt kế hoạch")}
    met = sum(s == "✔ đạt kế hoạch" for s in stood)
    open_ = len(table) - len(stood)
    assert target_table.summary(rows, "vi") == (
        f"Có {counts['vượt kế hoạch']}/{len(stood)} chỉ tiêu có kết quả vượt kế hoạch, {met} đạt, "
        f"{counts['chưa đạt kế hoạch']} chưa đạt; {open_} chỉ tiêu chưa có kết quả cùng kỳ."
    )
    assert target_table.summary(rows, "en").startswith(f"{counts['vượt kế hoạch']} of the {len(stood)} targets")
    # a district chosen: its targets and the province's
    rows = targets_store.query("target_standing", districts=["535"], year_from=2021, year_to=2024)
    assert set(rows["area_code"]) == {"51", "535"}


def test_the_bundled_report_targets_have_no_result_of_their_own_period(store):
    from sctdash.exhibits import target_table

    rows = store.query("target_standing", districts=[], year_from=2015, year_to=2020)
    assert sorted(rows["target_value"]) == [5, 7, 12, 126, 624]
    assert target_table.summary(rows, "vi") == (
        "5 mục tiêu, kế hoạch trong phạm vi đang xem; chưa mục tiêu nào có kết quả cùng kỳ."
    )


def test_the_deck_opens_the_overview_with_the_plans_and_results_as_native_tables(targets_store):
    from pptx import Presentation

    from sctdash.exports import deck, slides

    prs = Presentation()
    prs.slide_width, prs.slide_height = slides.SLIDE_W, slides.SLIDE_H
    f = Filters.of([], 2021, 2026)
    deck._target_slides(prs, targets_store.query, f, "Đang xem: toàn tỉnh; năm 2021–2026", "stamp", "vi")
    rows = targets_store.query("target_standing", **f.params())
    assert len(prs.slides) == -(-len(rows) // slides.TABLE_ROWS)
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    assert len(tables) == len(prs.slides)
    first = prs.slides[0]
    assert first.shapes.title.text.startswith("Kế hoạch và kết quả: Có 4/11 chỉ tiêu có kết quả vượt kế hoạch")
    cells = [[c.text for c in row.cells] for table in tables for row in list(table.rows)[1:]]
    assert len(cells) == len(rows)
    assert ["Chợ", "Toàn tỉnh", "2026", "238", "240", "đạt 100,8 % kế hoạch", "✔ vượt kế hoạch"] in cells
    header = [c.text for c in tables[0].rows[0].cells]
    assert header == ["Chỉ tiêu", "Địa bàn", "Kỳ", "Kế hoạch", "Kết quả", "So với kế hoạch", "Đánh giá"]
    # a standing's colour: green reached, red not, never the only sign (✔, ✘)
    for table in tables:
        for row in list(table.rows)[1:]:
            cell = row.cells[6]
            if cell.text:
                colour = str(cell.text_frame.paragraphs[0].runs[0].font.color.rgb)
                assert colour == ("B3261E" if cell.text.startswith("✘") else "1B6E34"), cell.text
    words = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "Nguồn: SYNTHETIC (kiểm thử)" in words and "stamp" in words


def test_the_targets_of_several_lines_are_one_legend_entry(targets_store):
    """xã Ba Tơ over 2021–2026: the province before and after 01/07/2025, the commune and its
    former district, each with its targets: four lines, one "Kế hoạch" in the legend."""
    ex = line_of(targets_store, ("21484",), (2021, 2026))
    targets = [s for s in ex.panels[0].series if s.key.endswith("|target")]
    assert len(targets) == 4
    names = [e.name for e in ex.legend_entries]
    assert names.count("Kế hoạch") == 1 and not any(n.endswith(" · Kế hoạch") for n in names), names
    fig = figures.figure(ex)
    rules = [tr for tr in fig.data if tr.marker.symbol == "line-ew-open"]
    assert len(rules) == 4 and [tr.showlegend for tr in rules].count(True) == 1
    assert {tr.legendgroup for tr in rules} == {"targets"}
    # each rule keeps its own series' words in the hover
    hovers = [h for tr in rules for h in tr.hovertext]
    assert any(h.startswith("xã Ba Tơ · Kế hoạch 2026") for h in hovers), hovers


def test_a_slide_draws_targets_as_rules_estimates_dotted_and_bars_with_targets_as_pictures(targets_store):
    from pptx import Presentation
    from pptx.enum.chart import XL_MARKER_STYLE
    from pptx.enum.dml import MSO_FILL, MSO_LINE_DASH_STYLE

    from sctdash.exports import slides

    ex = line_of(targets_store, ("21484",), (2021, 2026))
    assert ex.native
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[slides.LAYOUT_TITLE_ONLY])
    chart = slides.line_chart(slide, ex, 0, 0, slides.BODY_W, slides.SLIDE_H // 2)
    keys = [s.key for s in ex.panels[0].series]
    plotted = chart.plots[0].series
    for key, ps in zip(keys, plotted, strict=True):
        if key.endswith("|target"):  # a rule at its year, never a line
            assert ps.marker.style == XL_MARKER_STYLE.DASH and ps.format.line.fill.type == MSO_FILL.BACKGROUND, key
    commune = plotted[keys.index("total|21484|")]
    assert commune.points[5].format.line.dash_style == MSO_LINE_DASH_STYLE.ROUND_DOT  # 2026: an estimate
    assert commune.points[4].format.line.dash_style is None  # 2025: official
    # the ranking of 2026 marks a target: its bars go to the deck as the dashboard's picture
    assert not line_of(targets_store, (), (2021, 2026)).native


def test_the_plans_and_results_in_three_orders(targets_store):
    from sctdash.exhibits import target_table

    rows = targets_store.query("target_standing", districts=[], year_from=2021, year_to=2026)
    assert target_table.ordered(rows, "indicator").equals(rows)
    first = target_table.ordered(rows, "standing")
    words = [s[0] if s else None for s in (target_table.standing(r, "vi") for r in first.to_dict("records"))]
    n_missed, n_met = words.count("missed"), words.count("met")
    assert words[:n_missed] == ["missed"] * n_missed and words[n_missed : n_missed + n_met] == ["met"] * n_met
    assert words[-1] is None  # those without a result last
    missed = first.iloc[:n_missed]  # the furthest short of its target first
    gaps = [
        ((t - r) if d == "up" else (r - t)) / t
        for r, t, d in zip(missed["result_value"], missed["target_value"], missed["direction"], strict=True)
    ]
    assert gaps == sorted(gaps, reverse=True)
    latest = target_table.ordered(rows, "latest")
    assert list(latest["year_to"]) == sorted(rows["year_to"], reverse=True)
