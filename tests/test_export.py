"""Slide-ready exports: PNG/SVG at slide size, CSV/XLSX of the query's rows, page and whole decks."""

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

from sctdash import charts, district_map, export, slides, views
from sctdash.i18n import t
from tests.conftest import ROOT

needs_chromium = pytest.mark.skipif(not export.chromium_available(), reason="no Chromium (make system)")
PROVINCE = {"districts": [], "year_from": 2015, "year_to": 2020}
BA_TO = {"districts": ["535"], "year_from": 2015, "year_to": 2020}


@pytest.fixture(scope="module")
def decks(store):
    return {
        "industry": Presentation(io.BytesIO(export.page_deck("industry", PROVINCE, "vi", store=store))),
        "market": Presentation(io.BytesIO(export.page_deck("market", BA_TO, "vi", store=store))),
        "all": Presentation(io.BytesIO(export.dashboard_deck(PROVINCE, "vi", store=store))),
    }


def chart_slides(prs):
    return [s for s in prs.slides if any(sh.has_chart or sh.shape_type == 13 for sh in s.shapes)]


def texts(slide):
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def check_chart_slide(slide, ex):
    assert slide.shapes.title.text_frame.text == ex.title
    assert any(text.startswith(ex.ctx.source) for text in texts(slide)), texts(slide)
    charts_ = [sh.chart for sh in slide.shapes if sh.has_chart]
    pictures = [sh for sh in slide.shapes if sh.shape_type == 13]
    assert charts_ or pictures
    if ex.native:
        assert charts_, f"{ex.chart_id} should be a native chart"
        check_native_numbers(charts_[0], ex)
    for pic in pictures:
        assert pic.image.size[0] >= 1920, pic.image.size


def check_native_numbers(chart, ex):
    """The chart's embedded data are the query's values, series by series, category by category."""
    categories, series, df = slides.native_data(ex)
    plot = chart.plots[0]
    shown = list(plot.categories)
    assert sorted(shown) == sorted(categories)
    for (code, _, _), ser in zip(series, plot.series):
        by_label = dict(zip(shown, ser.values))
        part = df[df["series"].astype(str) == code]
        for x, value in zip(part["x"], part["value"]):
            label = categories[slides.category_order(df).index(x)]
            assert by_label[label] == pytest.approx(float(value)), (ex.chart_id, code, x)


def test_page_deck_has_cover_then_one_slide_per_chart_in_order(decks, store):
    prs = decks["industry"]
    ids = charts.chart_ids("industry")
    assert len(prs.slides) == 1 + len(ids)
    cover = prs.slides[0]
    assert cover.shapes.title.text_frame.text == t("page.industry", "vi")
    cover_text = " ".join(texts(cover))
    assert "toàn tỉnh" in cover_text and t("app.department", "vi") in cover_text
    assert t("deck.exported_on", "vi", date=export.today()) in cover_text
    for slide, cid in zip(list(prs.slides)[1:], ids):
        ex = export.exhibit(store, cid, PROVINCE, "vi")
        check_chart_slide(slide, ex)
    assert prs.slide_width * 9 == prs.slide_height * 16


def test_chart_slides_carry_data_notes_in_speaker_notes(decks, store):
    slide = decks["industry"].slides[1]  # industry_growth has a data note
    ex = export.exhibit(store, "industry_growth", PROVINCE, "vi")
    assert not ex.notes.empty
    notes = slide.notes_slide.notes_text_frame.text
    for _, note in ex.notes.iterrows():
        assert note["title_vi"] in notes and note["text_vi"] in notes


def check_map_slide(slide, store, map_id, f):
    df = export.map_rows(store, map_id)
    assert slide.shapes.title.text_frame.text == export.map_title(map_id, df, "vi")
    (picture,) = [sh for sh in slide.shapes if sh.shape_type == 13]
    assert picture.image.size[0] >= 1920
    words = " ".join(texts(slide))
    assert export.map_context(store, df, f, "vi").source in words and export.today() in words
    assert "tâm thật" in slide.notes_slide.notes_text_frame.text


def test_district_deck_states_the_district_and_uses_its_rows(decks, store):
    prs = decks["market"]
    assert "Ba Tơ" in " ".join(texts(prs.slides[0]))
    assert export.deck_maps(["market"]) == {"market": ["facilities_opened"]}
    check_map_slide(prs.slides[1], store, "facilities_opened", BA_TO)
    assert "Ba Tơ" in " ".join(texts(prs.slides[1]))
    assert len(prs.slides) == 2 + len(charts.chart_ids("market"))
    for slide, cid in zip(list(prs.slides)[2:], charts.chart_ids("market")):
        check_chart_slide(slide, export.exhibit(store, cid, BA_TO, "vi"))


def test_whole_deck_has_sections_and_every_chart_in_order(decks, store):
    prs = decks["all"]
    expected = [("cover", t("app.title", "vi"))]
    maps = export.deck_maps(export.pages())
    for page in export.pages():
        expected.append(("section", t(f"page.{page}", "vi")))
        expected += [("map", map_id) for map_id in maps[page]]
        expected += [("chart", cid) for cid in charts.chart_ids(page)]
    # each map once, under the page that shows it, the overview keeping none of its own
    assert maps["overview"] == [] and maps["market"] == ["facilities_opened"]
    assert maps["electricity"] == ["electrified_communes", "hydro_capacity", "solar_capacity"]
    assert len(prs.slides) == len(expected)
    assert [p for p in export.pages()] == ["overview", "industry", "electricity", "market", "staffing"]
    for slide, (kind, what) in zip(prs.slides, expected):
        if kind == "chart":
            check_chart_slide(slide, export.exhibit(store, what, PROVINCE, "vi"))
        elif kind == "map":
            check_map_slide(slide, store, what, PROVINCE)
        else:
            assert slide.shapes.title.text_frame.text == what


def test_a_district_without_rows_gets_a_slide_that_says_so(store):
    prs = Presentation(io.BytesIO(export.page_deck("electricity", {"districts": ["536"]}, "vi", store=store)))
    assert len(prs.slides) == 1 + len(export.deck_maps(["electricity"])["electricity"]) + len(
        charts.chart_ids("electricity")
    )
    assert any("Lý Sơn" in text for slide in list(prs.slides)[1:] for text in texts(slide))


def test_english_deck(store):
    prs = Presentation(io.BytesIO(export.page_deck("staffing", PROVINCE, "en", store=store)))
    assert prs.slides[0].shapes.title.text_frame.text == "Staffing and administrative reform"
    ex = export.exhibit(store, "staff_headcount", PROVINCE, "en")
    check_chart_slide(prs.slides[1], ex)


@needs_chromium
def test_png_is_slide_sized_and_svg_parses(store):
    started = export.start_renderer()
    assert started >= 0 and export.RENDERER.running
    png = export.png("electrified_communes_by_district", BA_TO, "vi", store=store)
    with Image.open(io.BytesIO(png)) as im:
        assert im.size == (1920, 1080)
    root = ET.fromstring(export.svg("key_shares", PROVINCE, "vi", store=store))
    assert root.tag.endswith("svg")
    svg_text = ET.tostring(root, encoding="unicode")
    assert "Sở Công Thương tỉnh Quảng Ngãi" in svg_text and export.today() in svg_text


@needs_chromium
def test_png_of_a_dashboard_figure_is_relaid_to_slide_size():
    fig = charts.figure(
        pd.DataFrame(
            {
                "x": ["a"],
                "series": ["main"],
                "value": [1.0],
                "value_kind": ["reported"],
                "unit": ["count"],
                "decimals": [0],
            }
        ),
        {"kind": "bar", "title": {"vi": "Thử"}},
        "vi",
    )
    with Image.open(io.BytesIO(export.png(fig))) as im:
        assert im.size == (1920, 1080)


def test_slide_figure_fonts_are_at_least_14_points(store):
    """Laid out at 960×540 and rendered ×2, one layout pixel is one point on the slide."""
    fig = export.exhibit(store, "service_quality", PROVINCE, "vi").figure()
    assert (fig.layout.width, fig.layout.height) == (export.WIDTH, export.HEIGHT)
    sizes = [fig.layout.font.size, fig.layout.title.font.size, fig.layout.legend.font.size]
    sizes += [a.font.size for a in fig.layout.annotations if a.font.size]
    sizes += [tr.textfont.size for tr in fig.data if tr.textfont.size]
    assert min(sizes) >= 14


def test_csv_and_xlsx_hold_the_query_rows(store):
    df, _ = views.chart_rows(store.query, "power_projects", PROVINCE)
    m = charts.meta("power_projects")
    rows = list(csv.reader(io.StringIO(export.csv_bytes(df, m, "vi").decode("utf-8-sig"))))
    assert rows[0] == list(df.columns)
    assert len(rows) == 1 + len(df)
    assert [r[rows[0].index("x")] for r in rows[1:]] == list(df["x"])

    ex = export.exhibit(store, "power_projects", PROVINCE, "vi")
    ws = load_workbook(io.BytesIO(export.xlsx_bytes(df, m, "vi", ex.ctx))).active
    assert ws["A2"].value == ex.ctx.source and ws["A2"].value.startswith("Nguồn:")
    header = [c.value for c in ws[export.XLSX_HEADER_ROW]]
    assert header == list(df.columns)
    body = list(ws.iter_rows(min_row=export.XLSX_HEADER_ROW + 1, values_only=True))
    assert len(body) == len(df)
    values = [r[header.index("value")] for r in body]
    assert values == [None if pd.isna(v) else pytest.approx(v) for v in df["value"]]


def test_formula_like_cells_are_neutralised():
    df = pd.DataFrame(
        {
            "x": ['=HYPERLINK("http://x")', "@SUM(A1)", "-5"],
            "series": ["main"] * 3,
            "value": [1.0, 2.0, -5.0],
            "decimals": [0] * 3,
        }
    )
    m = {"id": "t", "title": {"vi": "T"}}
    text = export.csv_bytes(df, m, "vi").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text and "\r\n-5," in text
    ws = load_workbook(io.BytesIO(export.xlsx_bytes(df, m, "vi", charts.Context(source="Nguồn: =x")))).active
    cells = [c.value for c in ws["A"]]
    assert '\'=HYPERLINK("http://x")' in cells and "'@SUM(A1)" in cells and "-5" in cells


def test_missing_chromium_is_reported(monkeypatch):
    monkeypatch.setenv("SCT_CHROMIUM", "/nonexistent/chromium")
    assert not export.chromium_available()
    renderer = export._Renderer()
    with pytest.raises(export.ChromiumMissing, match="make system"):
        renderer.start()


def test_cli_writes_a_district_deck(tmp_path):
    out = tmp_path / "deck.pptx"
    assert export.main(["deck", "--page", "electricity", "--district", "535", "--out", str(out)]) == 0
    prs = Presentation(str(out))
    assert "Ba Tơ" in " ".join(texts(prs.slides[0]))
    assert export.main(["deck", "--district", "999", "--out", str(out)]) == 2


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="no LibreOffice (make system)")
def test_deck_opens_in_libreoffice(tmp_path, store):
    deck = tmp_path / "market.pptx"
    deck.write_bytes(export.page_deck("market", BA_TO, "vi", store=store))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "market.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert pages == 1 + len(export.deck_maps(["market"])["market"]) + len(charts.chart_ids("market"))


def test_makefile_has_the_deck_target():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ndeck: setup system" in text and "libreoffice-impress" in text


@pytest.mark.parametrize("map_id", district_map.all_maps())
def test_district_map_image_is_a_slide_that_explains_itself(store, map_id):
    fig = export.map_figure(map_id, BA_TO, "vi", store=store)
    assert (fig.layout.width, fig.layout.height) == (export.WIDTH, export.HEIGHT)
    words = " ".join(str(a.text) for a in fig.layout.annotations)
    assert "Sở Công Thương tỉnh Quảng Ngãi" in words and export.today() in words and "Nguồn:" in words
    assert t("map.how_to", "vi")[:20] not in words  # nothing about clicking on an image
    assert "Ba Tơ" in fig.layout.title.text
    sizes = [fig.layout.title.font.size] + [a.font.size for a in fig.layout.annotations if a.font.size]
    assert min(sizes) >= 14


@needs_chromium
def test_district_map_png_svg_and_data(store):
    with Image.open(io.BytesIO(export.map_png("hydro_capacity", PROVINCE, "en", store=store))) as im:
        assert im.size == (1920, 1080)
    assert ET.fromstring(export.map_svg("solar_capacity", PROVINCE, "vi", store=store)).tag.endswith("svg")
    df = export.map_rows(store, "hydro_capacity")
    rows = list(csv.reader(io.StringIO(export.csv_bytes(df).decode("utf-8-sig"))))
    assert rows[0] == list(df.columns) and len(rows) == 1 + len(df)
    ws = load_workbook(io.BytesIO(export.map_xlsx("hydro_capacity", PROVINCE, "vi", store=store))).active
    assert ws["A1"].value.endswith(export.map_title("hydro_capacity", df, "vi"))
    assert "Vị trí:" in ws["A2"].value  # the sites' sources, after the report's
    body = list(ws.iter_rows(min_row=export.XLSX_HEADER_ROW + 1, values_only=True))
    header = [c.value for c in ws[export.XLSX_HEADER_ROW]]
    assert len(body) == len(df) and header == list(df.columns)
    assert {r[header.index("area_code")]: r[header.index("value")] for r in body if r[header.index("value")]} == {
        "525": 12,
        "535": 60,
    }
    shared = {
        r[header.index("area_code")]: r[header.index("shared_value")] for r in body if r[header.index("shared_value")]
    }
    assert shared == {"529": 60, "530": 60}  # Sơn Trà 1: shared by both, counted once
