"""Slide-ready exports: PNG/SVG at slide size, CSV/XLSX of the drawn rows, page and whole decks
with native charts (bars and lines) and tile maps drawn as shapes."""

import csv
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from sctdash.core import catalogue
from sctdash.core.i18n import t
from sctdash.drawing import figures
from sctdash.exhibits import district_map, places, target_table
from sctdash.exhibits.filters import Filters
from sctdash.exports import deck, export, render, sheets, slides
from tests.conftest import YEARLY
from tests.helpers import exhibit, map_view, page, views

needs_chromium = pytest.mark.skipif(not render.chromium_available(), reason="no Chromium (make system)")
PROVINCE = Filters.of((), 2015, 2020)
BA_TO = Filters.of(("535",), 2015, 2020)


class Decks(dict):
    """The decks the tests read, each built when first asked for, once per module: the whole
    dashboard's only by the slow test that reads it."""

    def __init__(self, store):
        super().__init__()
        self.store = store

    def __missing__(self, name: str):
        built = {
            "industry": lambda: deck.page_deck("industry", views_of(self.store, PROVINCE)),
            "market": lambda: deck.page_deck("market", views_of(self.store, BA_TO)),
            "all": lambda: deck.dashboard_deck(views_of(self.store, PROVINCE)),
        }[name]()
        self[name] = Presentation(io.BytesIO(built))
        return self[name]


@pytest.fixture(scope="module")
def decks(store):
    return Decks(store)


def texts(slide):
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def views_of(store, f, lang="vi"):
    return views(store, f.districts, f.years, lang)


def exhibits_of(store, page_id, f, lang="vi"):
    return page(store, page_id, f.districts, f.years, lang).exhibits()


def place_slides(store, page_id, f, lang="vi"):
    """The slides of words that list the places the report names in the chosen districts."""
    groups = places.named_places(store.query, list(f.districts), lang, page_id) if page_id in places.PAGE_KINDS else []
    return len(slides.pages_of(groups))


def check_chart_slide(slide, ex, store=None):
    assert slide.shapes.title.text_frame.text == ex.title
    if ex.no_rows:
        assert ex.notice in texts(slide)
        return
    assert any(text.startswith(ex.footnotes[0]) for text in texts(slide)), texts(slide)
    charts_ = [sh.chart for sh in slide.shapes if sh.has_chart]
    pictures = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    if ex.native:
        assert charts_, f"{ex.id} should be a native chart"
        check_native_chart(charts_[0], ex, store)
    else:
        assert pictures and pictures[0].image.size[0] >= 1920, ex.id


HORIZONTAL = {XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.BAR_STACKED}


def reading_order(chart) -> list[str]:
    """A native chart's categories as a reader meets them: left to right, or top to bottom for
    horizontal bars (PowerPoint draws their first category at the bottom)."""
    shown = [str(c) for c in chart.plots[0].categories]
    return shown[::-1] if chart.chart_type in HORIZONTAL else shown


def embedded(chart) -> dict[str, dict[str, float | None]]:
    """A native chart's embedded data: series name → category → value (None: an empty cell)."""
    categories = [str(c) for c in chart.plots[0].categories]
    return {s.name: dict(zip(categories, s.values, strict=True)) for s in chart.plots[0].series}


def rows_in_view(store, ex):
    """The extract rows a chart's query returns under its filters; an automatic chart's are its
    indicator's rows among the page's topics."""
    params = ex.filters.params()
    if ex.id.startswith("more."):
        rows = store.query("topic_rows", topics=catalogue.topics(ex.page), **params)
        return rows[rows["indicator_id"] == ex.id.removeprefix("more.")]
    return store.query(catalogue.chart(ex.id).query, **params)


def check_native_chart(chart, ex, store):
    """A native chart reads in the dashboard's order, is a line chart when the dashboard's is,
    and every number it embeds is a value of the extract rows in view, as the indicator's
    decimals write it (never a number of its own)."""
    assert reading_order(chart) == [words for _, words in ex.panels[0].categories], ex.id
    assert (chart.chart_type == XL_CHART_TYPE.LINE_MARKERS) == (ex.shape == "line"), ex.id
    if store is None:
        return
    rows = rows_in_view(store, ex)
    written = [round(float(v), int(d)) for v, d in zip(rows["value"], rows["decimals"], strict=True) if pd.notna(v)]
    numbers = [v for values in embedded(chart).values() for v in values.values() if v is not None]
    assert numbers, ex.id
    for number in numbers:
        assert any(number == pytest.approx(w) for w in written), (ex.id, number, written)


def check_map_slide(slide, v):
    assert slide.shapes.title.text_frame.text == v.title
    words = " ".join(texts(slide))
    for tile in v.tiles:  # every district a rectangle of its own, with its name and figure
        shape = next(sh for sh in slide.shapes if sh.name == f"{tile.name} ({tile.code})")
        assert shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and shape.text_frame.text == f"{tile.name}\n{tile.text}"
    for _, words_ in v.legend:
        assert words_ in words
    assert v.footnotes[-1] in words and export.today() in words
    assert not [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]  # shapes, not a picture
    assert "tâm thật" in slide.notes_slide.notes_text_frame.text


def test_page_deck_has_cover_then_one_slide_per_chart_in_order(decks, store):
    prs = decks["industry"]
    exs = exhibits_of(store, "industry", PROVINCE)
    assert len(prs.slides) == 1 + len(exs)
    cover = prs.slides[0]
    assert cover.shapes.title.text_frame.text == t("page.industry", "vi")
    cover_text = " ".join(texts(cover))
    assert "toàn tỉnh; năm 2015–2020" in cover_text and t("app.department", "vi") in cover_text
    assert t("deck.exported_on", "vi", date=export.today()) in cover_text
    for slide, ex in zip(list(prs.slides)[1:], exs):
        check_chart_slide(slide, ex, store)
    assert prs.slide_width * 9 == prs.slide_height * 16


def slide_of(prs, ex):
    """The slide of a chart, found by its title."""
    (slide,) = [s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text_frame.text == ex.title]
    return slide


# The industry page's charts for the whole province, 2015–2020, as the report gives them
# (tests/test_data.py holds the figures against the report): categories in reading order, and
# each series' values. The indices are derived from the report's rates, the GOCN one without a
# decimal (its 4 % is rounded: 100 × 1.04⁵ = 121.7 is written 122).
REPORT_FIGURES = {
    "industry_growth": (["GOCN", "VACN"], {"Báo cáo": [4.0, 5.03], "Nguồn ngoài: VCCI News, 2021": [4.66, 4.88]}),
    "industry_index": (["GOCN", "VACN"], {"Năm 2015": [100, 100], "Năm 2020": [122, 127.8]}),
    "rural_product_awards": (
        ["Cấp tỉnh", "Khu vực Miền Trung – Tây Nguyên", "Cấp quốc gia"],
        {"Giá trị": [69, 27, 6]},
    ),
    "promotion_budget": (["Khuyến công", "Xúc tiến thương mại"], {"Giá trị": [2801.7, 5142.6]}),
}


@pytest.mark.parametrize("chart_id", list(REPORT_FIGURES))
def test_the_industry_decks_native_charts_hold_the_reports_figures(decks, store, chart_id):
    categories, series = REPORT_FIGURES[chart_id]
    chart = next(sh.chart for sh in slide_of(decks["industry"], exhibit(store, chart_id)).shapes if sh.has_chart)
    assert reading_order(chart) == categories
    data = embedded(chart)
    assert list(data) == list(series)
    for name, values in series.items():
        assert [data[name][c] for c in categories] == pytest.approx(values), name


def test_chart_slides_carry_data_notes_in_speaker_notes(decks, store):
    ex = exhibit(store, "industry_growth", years=(2015, 2020))
    assert not ex.notes.empty  # industry_growth has a data note
    notes = slide_of(decks["industry"], ex).notes_slide.notes_text_frame.text
    for _, note in ex.notes.iterrows():
        assert note["title_vi"] in notes and note["text_vi"] in notes


@pytest.mark.slow  # the market page's stock by class goes in as a picture Chromium draws
def test_district_deck_states_the_district_and_uses_its_rows(decks, store):
    prs = decks["market"]
    assert "Ba Tơ" in " ".join(texts(prs.slides[0]))
    maps = deck.deck_maps(["market"], store.query, BA_TO)["market"]
    assert [m["id"] for m in maps] == ["facilities_opened"]
    check_map_slide(prs.slides[1], map_view(store, "facilities_opened", ("535",), (2015, 2020)))
    assert "Ba Tơ" in " ".join(texts(prs.slides[1]))
    n_places = place_slides(store, "market", BA_TO)
    assert n_places == 1
    words = " ".join(texts(prs.slides[2]))
    assert "Ba Tơ" in words and "Siêu thị Vinmart Quảng Ngãi" in words  # the report's places, as text
    exs = exhibits_of(store, "market", BA_TO)
    assert len(prs.slides) == 2 + n_places + len(exs)
    for slide, ex in zip(list(prs.slides)[2 + n_places :], exs):
        check_chart_slide(slide, ex, store)


@pytest.mark.slow  # every page's charts, the pictures among them drawn by Chromium
def test_whole_deck_has_sections_and_every_chart_in_order(decks, store):
    prs = decks["all"]
    expected = [("cover", t("app.title", "vi"))]
    maps = deck.deck_maps(catalogue.pages(), store.query, PROVINCE)
    targets = store.query("target_standing", **PROVINCE.params())
    summary = f"{t('targets.heading', 'vi')}: {target_table.summary(targets, 'vi')}"
    for page_id in catalogue.pages():
        expected.append(("section", t(f"page.{page_id}", "vi")))
        if page_id == "overview":  # the plans and results in view, as tables, first
            expected += [("targets", summary)] * -(-len(targets) // slides.TABLE_ROWS)
        expected += [("map", m["id"]) for m in maps[page_id]]
        expected += [("chart", ex) for ex in exhibits_of(store, page_id, PROVINCE)]
    # each map once, under the page that shows it, the overview keeping none of its own
    assert maps["overview"] == [] and [m["id"] for m in maps["market"]] == ["facilities_opened"]
    assert [m["id"] for m in maps["electricity"]] == ["electrified_communes", "hydro_capacity", "solar_capacity"]
    assert len(prs.slides) == len(expected)
    for slide, (kind, what) in zip(prs.slides, expected):
        if kind == "chart":
            check_chart_slide(slide, what, store)
        elif kind == "map":
            check_map_slide(slide, map_view(store, what, years=(2015, 2020)))
        elif kind == "targets":  # the report's targets: none has a result of its own period
            assert slide.shapes.title.text_frame.text == what
            (table,) = [sh.table for sh in slide.shapes if sh.has_table]
            assert [c.text for c in table.rows[0].cells][:4] == ["Chỉ tiêu", "Địa bàn", "Kỳ", "Kế hoạch"]
        else:
            assert slide.shapes.title.text_frame.text == what


def test_a_district_without_rows_gets_a_slide_that_says_so(store):
    f = Filters.of(("536",), 2015, 2020)
    prs = Presentation(io.BytesIO(deck.page_deck("electricity", views_of(store, f, "vi"))))
    n_maps = len(deck.deck_maps(["electricity"], store.query, f)["electricity"])
    n_places = place_slides(store, "electricity", f)
    assert len(prs.slides) == 1 + n_maps + n_places + len(exhibits_of(store, "electricity", f))
    assert any("Lý Sơn" in text for slide in list(prs.slides)[1:] for text in texts(slide))
    maps = deck.deck_maps(["electricity"], store.query, f)["electricity"]
    for slide, m in zip(list(prs.slides)[1:], maps):  # the maps first, each of shapes, Lý Sơn's chosen
        check_map_slide(slide, map_view(store, m, f.districts, f.years))


@pytest.mark.parametrize(
    ("page_id", "title"),
    [
        ("industry", "Industrial growth"),  # native charts alone
        pytest.param("staffing", "Staffing and administrative reform", marks=pytest.mark.slow),  # pictures
    ],
)
def test_english_deck(store, page_id, title):
    prs = Presentation(io.BytesIO(deck.page_deck(page_id, views_of(store, PROVINCE, "en"))))
    assert prs.slides[0].shapes.title.text_frame.text == title
    for chart_id in catalogue.chart_ids(page_id):
        ex = exhibit(store, chart_id, years=(2015, 2020), lang="en")
        check_chart_slide(slide_of(prs, ex), ex, store)


def test_a_yearly_deck_has_native_line_charts_with_gaps_and_maps_of_shapes(yearly_store):
    """With a planner's yearly extracts, on the electricity page (native charts alone): the
    households with power of Ba Tơ and Minh Long are a native, editable PowerPoint line chart
    whose values are the planner's rows, a missing year an empty cell shown as a gap, and
    every map, the indicator's among them, is shapes a user can edit."""
    f = Filters.of(("535", "531"), 2015, 2023)
    prs = Presentation(io.BytesIO(deck.page_deck("electricity", views_of(yearly_store, f, "vi"))))
    exs = exhibits_of(yearly_store, "electricity", f)
    maps = deck.deck_maps(["electricity"], yearly_store.query, f)["electricity"]
    assert "ind.households_with_power.total.latest" in [m["id"] for m in maps]
    slides_ = list(prs.slides)
    n_places = place_slides(yearly_store, "electricity", f)
    assert len(slides_) == 1 + len(maps) + n_places + len(exs)
    for slide, m in zip(slides_[1:], maps):
        check_map_slide(slide, map_view(yearly_store, m, f.districts, f.years))
    for slide, ex in zip(slides_[1 + len(maps) + n_places :], exs):
        check_chart_slide(slide, ex, yearly_store)
    households = slide_of(prs, next(ex for ex in exs if ex.id == "more.households_with_power"))
    chart = next(sh.chart for sh in households.shapes if sh.has_chart)
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    years = [str(y) for y in range(2015, 2024)]
    assert list(chart.plots[0].categories) == years
    data = embedded(chart)
    for code, name in (("535", "Ba Tơ"), ("531", "Minh Long")):  # each district's line: the planner's rows
        planned = {r["year_to"]: float(r["value"]) for r in yearly_rows("households_with_power", code)}
        assert [data[name][y] for y in years] == [planned.get(y) for y in years], name
    assert data["Minh Long"]["2018"] is None and data["Minh Long"]["2017"] is not None  # 2018: a gap
    assert b'<c:dispBlanksAs val="gap"/>' in chart.part.blob
    assert any("năm 2015–2023" in words for words in texts(households))  # the years in view


@pytest.mark.slow  # the market page's stock by class goes in as a picture Chromium draws
def test_a_yearly_market_deck_has_the_new_indicators_as_charts_and_maps(yearly_store):
    """With a planner's yearly extracts: the new charts are in the deck, a line chart is a
    native, editable PowerPoint line chart (a missing year an empty cell, shown as a gap), and
    every map is shapes a user can edit."""
    f = Filters.of(("535", "531"), 2015, 2023)
    prs = Presentation(io.BytesIO(deck.page_deck("market", views_of(yearly_store, f, "vi"))))
    exs = exhibits_of(yearly_store, "market", f)
    assert {"more.markets", "more.fuel_stations"} <= {ex.id for ex in exs}
    maps = deck.deck_maps(["market"], yearly_store.query, f)["market"]
    assert [m["id"] for m in maps] == [
        "facilities_opened",
        "ind.fuel_stations.total.latest",
        "ind.markets.total.latest",
    ]
    slides_ = list(prs.slides)
    n_places = place_slides(yearly_store, "market", f)
    assert len(slides_) == 1 + len(maps) + n_places + len(exs)
    for slide, m in zip(slides_[1:], maps):
        check_map_slide(slide, map_view(yearly_store, m, f.districts, f.years))
    charts_ = slides_[1 + len(maps) + n_places :]
    for slide, ex in zip(charts_, exs):
        check_chart_slide(slide, ex, yearly_store)
    markets = slide_of(prs, next(ex for ex in exs if ex.id == "more.markets"))
    chart = next(sh.chart for sh in markets.shapes if sh.has_chart)
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    years = [str(y) for y in range(2015, 2024)]
    assert list(chart.plots[0].categories) == years
    data = embedded(chart)
    for code, name in (("535", "Ba Tơ"), ("531", "Minh Long")):  # each district's line: the planner's rows
        planned = {r["year_to"]: float(r["value"]) for r in yearly_rows("markets", code)}
        assert [data[name][y] for y in years] == [planned.get(y) for y in years], name
    assert data["Minh Long"]["2018"] is None and data["Minh Long"]["2017"] is not None  # 2018: a gap
    assert b'<c:dispBlanksAs val="gap"/>' in chart.part.blob
    assert any("năm 2015–2023" in words for words in texts(markets))  # the years in view


def yearly_rows(indicator: str, area: str) -> list[dict]:
    """The SYNTHETIC yearly fixture's rows of an indicator's total for one area."""
    with (YEARLY / "observations.csv").open(encoding="utf-8") as fh:
        return [
            r
            for r in csv.DictReader(fh)
            if (r["indicator_id"], r["area_code"], r["category"], r["variant"]) == (indicator, area, "total", "")
        ]


def test_an_image_figure_states_the_years_in_view(yearly_store):
    ex = exhibit(yearly_store, "procedures_count", years=(2015, 2015))
    fig = export.image_figure(ex)
    assert (fig.layout.width, fig.layout.height) == (render.WIDTH, render.HEIGHT)
    assert "2015" in fig.layout.title.text and "133" not in fig.layout.title.text
    name = export.file_name(ex.id, ex.filters, ex.years, [])
    assert name == "procedures-count_toan-tinh_2015"


@pytest.mark.slow  # Chromium draws the images
@needs_chromium
def test_png_is_slide_sized_and_svg_parses(store):
    started = render.start_renderer()
    assert started >= 0 and render.RENDERER.running
    png = export.png(exhibit(store, "electrified_communes_by_district", ("535",)))
    with Image.open(io.BytesIO(png)) as im:
        assert im.size == (1920, 1080)
    root = ET.fromstring(export.svg(exhibit(store, "key_shares")))
    assert root.tag.endswith("svg")
    svg_text = ET.tostring(root, encoding="unicode")
    assert "Sở Công Thương tỉnh Quảng Ngãi" in svg_text and export.today() in svg_text


def test_slide_figure_fonts_are_at_least_14_points(store):
    """Laid out at 960×540 and rendered ×2, one layout pixel is one point on the slide."""
    fig = export.image_figure(exhibit(store, "service_quality"))
    assert (fig.layout.width, fig.layout.height) == (render.WIDTH, render.HEIGHT)
    sizes = [fig.layout.font.size, fig.layout.title.font.size, fig.layout.legend.font.size]
    sizes += [a.font.size for a in fig.layout.annotations if a.font.size]
    sizes += [tr.textfont.size for tr in fig.data if tr.textfont.size]
    assert min(sizes) >= 14


def test_csv_and_xlsx_hold_the_drawn_rows(store):
    ex = exhibit(store, "power_projects")
    df = ex.rows
    rows = list(csv.reader(io.StringIO(sheets.csv_bytes(df).decode("utf-8-sig"))))
    assert rows[0] == list(df.columns)
    assert len(rows) == 1 + len(df)
    assert [r[rows[0].index("item")] for r in rows[1:]] == list(df["item"])
    ws = load_workbook(io.BytesIO(export.xlsx(ex))).active
    assert ws["A2"].value == ex.footnotes[0] and ws["A2"].value.startswith("Nguồn:")
    header = [c.value for c in ws[sheets.XLSX_HEADER_ROW]]
    assert header == list(df.columns)
    body = list(ws.iter_rows(min_row=sheets.XLSX_HEADER_ROW + 1, values_only=True))
    assert len(body) == len(df)
    values = [r[header.index("value")] for r in body]
    assert values == [None if pd.isna(v) else pytest.approx(v) for v in df["value"]]


def test_formula_like_cells_are_neutralised():
    df = pd.DataFrame({"x": ['=HYPERLINK("http://x")', "@SUM(A1)", "-5"], "value": [1.0, 2.0, -5.0]})
    text = sheets.csv_bytes(df).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and "\r\n-5," in text
    ws = load_workbook(io.BytesIO(sheets.xlsx_bytes(df, "t", "T", "Nguồn: =x", "", "vi", "01/01/2026"))).active
    cells = [c.value for c in ws["A"]]
    assert '\'=HYPERLINK("http://x")' in cells and "'@SUM(A1)" in cells and "-5" in cells
    assert "'Nguồn: =x" not in cells and "Nguồn: =x" in cells  # starts with a letter: kept


def test_missing_chromium_is_reported(monkeypatch):
    monkeypatch.setenv("SCT_CHROMIUM", "/nonexistent/chromium")
    assert not render.chromium_available()
    renderer = render._Renderer()
    with pytest.raises(render.ChromiumMissing, match="make system"):
        renderer.start()


def test_cli_writes_a_district_deck_and_refuses_unknown_values(tmp_path):
    out = tmp_path / "deck.pptx"
    assert deck.main(["--page", "electricity", "--district", "535", "--out", str(out)]) == 0
    prs = Presentation(str(out))
    assert "Ba Tơ" in " ".join(texts(prs.slides[0]))
    assert deck.main(["--district", "999", "--out", str(out)]) == 2
    assert deck.main(["--years", "2015", "2031", "--out", str(out)]) == 2
    assert export.main(["png", "no_such_chart", "--out", str(tmp_path / "x.png")]) == 2


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="no LibreOffice (make system)")
def test_deck_opens_in_libreoffice(tmp_path, yearly_store):
    f = Filters.of(("535",), 2015, 2023)
    pptx = tmp_path / "market.pptx"
    pptx.write_bytes(deck.page_deck("market", views_of(yearly_store, f, "vi")))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "market.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        n_maps = len(deck.deck_maps(["market"], yearly_store.query, f)["market"])
        n_places = place_slides(yearly_store, "market", f)
        assert pages == 1 + n_maps + n_places + len(exhibits_of(yearly_store, "market", f))


@pytest.mark.parametrize("map_id", district_map.all_maps())
def test_district_map_image_is_a_slide_that_explains_itself(store, map_id):
    v = map_view(store, map_id, ("535",))
    fig = export.map_image_figure(v)
    assert (fig.layout.width, fig.layout.height) == (render.WIDTH, render.HEIGHT)
    words = " ".join(str(a.text) for a in fig.layout.annotations)
    assert "Sở Công Thương tỉnh Quảng Ngãi" in words and export.today() in words and "Nguồn:" in words
    assert t("map.how_to", "vi")[:20] not in words  # nothing about clicking on an image
    assert "Ba Tơ" in fig.layout.title.text
    sizes = [fig.layout.title.font.size] + [a.font.size for a in fig.layout.annotations if a.font.size]
    assert min(sizes) >= 14


@pytest.mark.slow  # Chromium draws the images
@needs_chromium
def test_district_map_png_and_svg(store):
    hydro = map_view(store, "hydro_capacity", lang="en")
    with Image.open(io.BytesIO(export.map_png(hydro))) as im:
        assert im.size == (1920, 1080)
    assert ET.fromstring(export.map_svg(map_view(store, "solar_capacity"))).tag.endswith("svg")


def test_district_map_csv_and_xlsx_hold_its_rows(store):
    v = map_view(store, "hydro_capacity")
    rows = list(csv.reader(io.StringIO(sheets.csv_bytes(v.rows).decode("utf-8-sig"))))
    assert rows[0] == list(v.rows.columns) and len(rows) == 1 + len(v.rows)
    ws = load_workbook(io.BytesIO(export.map_xlsx(v))).active
    assert ws["A1"].value.endswith(v.title)
    assert "Vị trí:" in ws["A2"].value  # the sites' sources, after the report's
    body = list(ws.iter_rows(min_row=sheets.XLSX_HEADER_ROW + 1, values_only=True))
    header = [c.value for c in ws[sheets.XLSX_HEADER_ROW]]
    assert len(body) == len(v.rows) and header == list(v.rows.columns)
    assert {r[header.index("area_code")]: r[header.index("value")] for r in body if r[header.index("value")]} == {
        "525": 12,
        "535": 60,
    }
    shared = {
        r[header.index("area_code")]: r[header.index("shared_value")] for r in body if r[header.index("shared_value")]
    }
    assert shared == {"529": 60, "530": 60}  # Sơn Trà 1: shared by both, counted once


def test_figures_are_drawn_for_every_canvas(store):
    """One exhibit, every output: the page, meeting mode, the image and the slide picture."""
    ex = exhibit(store, "market_stock_by_class")
    for canvas in (figures.SCREEN, figures.MEETING, export.image_canvas("vi"), figures.Canvas(900, 400, words=False)):
        fig = figures.figure(ex, canvas)
        assert len(fig.data) == 3 and (canvas.words or not fig.layout.title.text)


def test_bars_with_gaps_between_series_go_in_as_the_dashboards_picture(yearly_store):
    """PowerPoint keeps a slot for every series in every category: the province's shares beside
    three districts' one share would be thin bars among empty slots, with labels on top of each
    other. Such a chart is the dashboard's picture; bars that fill their slots stay native."""
    sparse = exhibit(yearly_store, "key_shares", districts=("535", "529", "527"), years=(2019, 2023))
    assert len(sparse.panels[0].series) == 4 and not sparse.native
    assert exhibit(yearly_store, "key_shares", years=(2019, 2023)).native  # the province alone
    assert exhibit(yearly_store, "industry_growth", years=(2015, 2020)).native  # every category both series
    assert not exhibit(yearly_store, "staff_headcount", years=(2015, 2020)).native  # a category lacks a series
