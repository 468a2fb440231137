"""Corrections to the data (issue #20, part 6): each figure or note says what the report's own
words say, and no more. Every test reads the bundled report (or a kept external page) and checks
the extracts against its words."""

import csv
import re

from tests.conftest import DATA, ROOT, squash
from tests.test_data import quoted_in

COVERAGE = ROOT / "docs" / "report-coverage.md"


def rows(table: str) -> list[dict]:
    with (DATA / f"{table}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def note(note_id: str) -> dict:
    return next(n for n in rows("data_notes") if n["note_id"] == note_id)


def quotes(text: str) -> list[str]:
    """What a text puts in “…”."""
    return re.findall(r"“([^”]+)”", text)


def in_source(quote: str, text: str) -> bool:
    """A note's quote is in `text`: words left out are marked …, a closing full stop is ours."""
    parts = [squash(p).strip(" .") for p in quote.split("…") if p.strip(" .")]
    return bool(parts) and all(p in text for p in parts)


def coverage_rows() -> dict[int, dict]:
    """The rows of docs/report-coverage.md's table, by number: words, references and remark."""
    found = {}
    for line in COVERAGE.read_text(encoding="utf-8").splitlines():
        if re.match(r"\| \d+ \|", line):
            cells = [c.strip().replace(r"\*", "*") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            number, section, words, figure, where, remark = cells
            found[int(number)] = {"section": section, "words": words, "where": where, "remark": remark}
    return found


# ---------------------------------------------------------------- 1. the electrification project
def test_the_electrification_projects_624_126_12_are_its_scope_not_results(report_text, store):
    """“Sở triển khai dự án cấp điện nông thôn … (cấp điện cho 624 thôn, bản thuộc 126 xã của 12
    huyện …)”: what the project set out to do. The report names 7 communes completed and 20 under
    construction, nothing more: the 624, 126 and 12 are a target (plan), never a result."""
    programme = [r for r in rows("observations") if r["indicator_id"] == "elec_programme"]
    assert {(r["category"], float(r["value"])) for r in programme} == {
        ("villages", 624),
        ("communes", 126),
        ("districts", 12),
    }
    for r in programme:
        assert quoted_in(r["quote"], report_text), r["quote"]
        assert r["figure_type"] == "target", r["category"]
    scope = "Sở triển khai dự án cấp điện nông thôn tỉnh Quảng Ngãi giai đoạn 2013-2020 (*cấp điện cho 624 thôn"
    assert scope in report_text
    shown = store.query("headline_facts", indicators=["elec_programme"], districts=[], year_from=1900, year_to=2100)
    assert set(shown["figure_type"]) == {"target"}
    # its tile shows the programme's scope, said to be a target and not a result
    from sctdash.exhibits import pipeline
    from tests.helpers import filters

    for lang, words in (
        ("vi", "Mục tiêu, kế hoạch 2013–2020: không phải kết quả"),
        ("en", "Target or plan for 2013–2020: not a result"),
    ):
        tiles = pipeline.page_tiles(store.query, "electricity", filters(store, years=(2015, 2020)), lang)
        (tile,) = [x for x in tiles if x.rows is not None and set(x.rows.get("indicator_id", [])) == {"elec_programme"}]
        assert (tile.value, tile.caption, tile.delta) == ("624", words, ""), tile
        assert "cấp điện cho 624 thôn, bản" in tile.help
    listed = store.query("figure_list", indicators=["elec_programme"], figure_type="target")
    assert sorted(listed["value"]) == [12, 126, 624]

    communes = rows("electrified_communes")
    completed = sum(c["status"] == "completed" for c in communes)
    building = sum(c["status"] == "under_construction" for c in communes)
    assert (completed, building) == (7, 20)
    text = note("chuong-trinh-dien")
    for column in ("text_vi", "text_en"):
        assert all(n in text[column] for n in ("624", "7", "20", "27")), column
    assert any("Sở triển khai dự án cấp điện nông thôn" in q for q in quotes(text["text_vi"]))
    for q in quotes(text["text_vi"]):
        assert in_source(q, report_text), q
    # the note says what they are (the project's scope, a plan) and no longer that it “covers” them
    assert "phạm vi" in text["text_vi"] and "kế hoạch" in text["text_vi"] and "bao phủ" not in text["text_vi"]
    assert "scope" in text["text_en"] and "plan" in text["text_en"] and "covers" not in text["text_en"]


# ---------------------------------------------------------------- 2. the 32 % of online services
REGISTERED = (
    "Đăng ký và thực hiện lộ trình cung cấp dịch vụ công trực tuyến mức độ 3,4 trên Cổng dịch vụ công "
    "quốc gia 42 TTHC, đạt tỷ lệ 32%"
)
OFFERED = (
    "Cung cấp, tích hợp vào Cổng Dịch vụ công quốc gia dịch vụ công trực tuyến đối với 38 TTHC, bao gồm: "
    "32 TTHC mức độ 3 và 06 TTHC mức độ 4"
)


def test_the_32_percent_is_of_the_42_procedures_registered_and_a_note_gives_the_38_offered(report_text):
    """II.1 ties 32 % to the 42 procedures registered; II.2.6.a gives 38 offered (38/133 = 28,6 %).
    The 32 % stays the report's value of what it is, named as registered, with a note quoting both."""
    assert REGISTERED in report_text and OFFERED in report_text
    obs = rows("observations")
    share = next(r for r in obs if r["indicator_id"] == "online_services_pct" and r["category"] == "total")
    registered = next(r for r in obs if r["indicator_id"] == "online_services" and r["category"] == "registered")
    assert (float(share["value"]), share["value_kind"]) == (32, "reported")
    assert REGISTERED in share["quote"]
    assert share["note_id"] and share["note_id"] == registered["note_id"]
    text = note(share["note_id"])
    said = quotes(text["text_vi"])
    assert REGISTERED in said and OFFERED in said
    assert all(in_source(q, report_text) for q in said)
    assert "38/133" in text["text_vi"] and "28,6" in text["text_vi"]
    assert "38/133" in text["text_en"] and "28.6" in text["text_en"]
    # a 28,6 % value, if there is one, is derived and says so
    for r in obs:
        if r["indicator_id"] == "online_services_pct" and abs(float(r["value"]) - 28.6) < 0.05:
            assert r["value_kind"] == "derived" and "38/133" in r["derivation"], r
    # the indicator is named for what the 32 % is: procedures registered, not offered
    indicator = next(i for i in rows("indicators") if i["indicator_id"] == "online_services_pct")
    assert "đăng ký" in indicator["name_vi"] and "registered" in indicator["name_en"]
    assert "offered" not in indicator["name_en"]


# ---------------------------------------------------------------- 3. notes that said more than the report
PLAN_1127 = "Sở xây dựng Kế hoạch số 1127/KH-SCT ngày 18/6/2018"


def test_so_hieu_van_ban_gives_one_plan_number_not_two_plans(report_text):
    """II.2.3.a writes the department's plan, “Kế hoạch số 1127/KH-SCT ngày 18/6/2018”, under both
    resolutions (18-NQ/TW and 19-NQ/TW): one plan number. The report does not say there are two
    different plans, and the note no longer says so."""
    assert report_text.count(PLAN_1127) == 2
    text = note("so-hieu-van-ban")
    said = quotes(text["text_vi"])
    assert all(in_source(q, report_text) for q in said), [q for q in said if not in_source(q, report_text)]
    assert any(PLAN_1127 in q for q in said)
    assert "hai kế hoạch khác nhau" not in text["text_vi"] and "two different plans" not in text["text_en"]
    assert "một số hiệu" in text["text_vi"] and "one plan number" in text["text_en"]


def test_chi_so_suy_ra_does_not_say_the_report_rounded(report_text):
    """The report writes “GOCN 4%/năm” with no decimals; it does not say it rounded. The note, the
    index's derivation and the coverage table say so, and give the 118,8–124,6 range only as
    what a rounding to a whole percent would allow."""
    assert "VACN đạt mức tăng trưởng bình quân 5,03%/năm cao hơn GOCN 4%/năm" in report_text
    assert "làm tròn" not in report_text and "4,0%" not in report_text
    text = note("chi-so-suy-ra")
    said = quotes(text["text_vi"])
    assert said and all(in_source(q, report_text) for q in said)
    for words in (text["title_vi"], text["text_vi"]):
        assert not re.search(r"[Bb]áo cáo làm tròn|chỉ biết khoảng", words), words
    for words in (text["title_en"], text["text_en"]):
        assert not re.search(r"[Tt]he report rounds|known only", words), words
    assert "không nói" in text["text_vi"] and "does not say" in text["text_en"]
    gocn = next(r for r in rows("observations") if r["indicator_id"] == "gocn_index" and r["year_to"] == "2020")
    assert "làm tròn" not in gocn["derivation"] or "nếu" in gocn["derivation"], gocn["derivation"]
    remark = coverage_rows()[18]["remark"]
    assert "“4%” is rounded" not in remark and "does not say" in remark, remark


RECRUITS = (
    "Sở Công Thương có 09 công chức mới tuyển dụng cuối năm 2017 và năm 2018 qua thi tuyển "
    "(chiếm tỷ lệ 23,1%/biên chế công chức)"
)


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;])\s+(?=[A-ZĐÁÀẢÃẠÂĂÉÈÊÍÓÒÔƠÚƯÝ“0-9])", text)


def test_cong_chuc_2020_says_the_23_1_percent_is_of_the_late_2017_and_2018_recruits(report_text):
    """II.2.4.b: “09 công chức mới tuyển dụng cuối năm 2017 và năm 2018 qua thi tuyển (chiếm tỷ lệ
    23,1%/biên chế công chức)”. The report does not say in which year those positions are counted;
    the note and the coverage table say only as much."""
    assert RECRUITS in report_text
    text = note("cong-chuc-2020")
    said = quotes(text["text_vi"])
    assert RECRUITS in said and all(in_source(q, report_text) for q in said)
    for column, words in (("text_vi", "không nói"), ("text_en", "does not say")):
        about = [s for s in sentences(text[column]) if "23,1" in s or "23.1" in s]
        assert about, column
        assert all(words in s for s in about), about
    share = next(r for r in rows("observations") if r["indicator_id"] == "recruits_share")
    assert (share["year_from"], share["year_to"], share["quote"]) == ("2017", "2018", RECRUITS)
    remark = coverage_rows()[70]["remark"]
    assert "does not say" in remark and "not 19" not in remark, remark


def test_tang_truong_nguon_ngoai_says_what_the_kept_vcci_sentence_says():
    """The kept VCCI sentence names no province and no speaker: the note quotes it whole and no
    longer says the figures quote the province."""
    kept = (DATA / "source" / "external" / "vcci-2021.txt").read_text(encoding="utf-8")
    body = squash(kept.split("\n\n", 1)[1])
    assert "Quảng Ngãi" not in body and "province" not in body.lower()
    text = note("tang-truong-nguon-ngoai")
    said = quotes(text["text_vi"])
    assert body.rstrip(".") in [q.rstrip(".") for q in said], said
    pages = squash(kept)
    report = squash((DATA / "source" / "report-nq05-2016-2020.txt").read_text(encoding="utf-8"))
    assert all(in_source(q, pages) or in_source(q, report) or q == "nguồn ngoài" for q in said), said
    assert "dẫn lời tỉnh" not in text["text_vi"] and "quoting the province" not in text["text_en"]
    assert "không nêu tên tỉnh" in text["text_vi"] and "names no province" in text["text_en"]
    assert body.rstrip(".") in text["text_en"]


def test_son_tay_trung_lap_quotes_the_second_listing_as_written(report_text):
    """The list of completed hydropower names “Thủy điện Sơn Tây (18MW)” once, first, and
    “Sơn Tây (18MW)” again, fifth: the note quotes each as the report writes it."""
    listing = "Thủy điện Sơn Tây (18MW), Sơn Trà 1 (60MW), Đăkre (60MW), Kà Tinh (12MW), Sơn Tây (18MW), Núi Ngang"
    assert listing in report_text and report_text.count("Thủy điện Sơn Tây (18MW)") == 1
    text = note("son-tay-trung-lap")
    said = quotes(text["text_vi"])
    assert all(in_source(q, report_text) for q in said), said
    assert "Thủy điện Sơn Tây (18MW)" in said and "Sơn Tây (18MW)" in said
    assert any(q.count("Sơn Tây (18MW)") == 2 for q in said), said
    assert "“Thủy điện Sơn Tây (18MW)” hai lần" not in text["text_vi"]
    assert "“Sơn Tây hydropower (18 MW)” twice" not in text["text_en"]


# ---------------------------------------------------------------- 4. docs/report-coverage.md
def remark_quotes_are_the_reports(remark: str, report_text: str) -> bool:
    return all(in_source(q, report_text) for q in quotes(remark))


def test_coverage_row_57_marks_the_centre_as_our_reading(report_text):
    """II.2.3.b cuts “25% số lượng người làm việc của Trung tâm Khuyến công và Xúc tiến thương
    mại”; II.1 cuts public employees by “25% (4/16)”. The report never says the department's public
    employees are the centre's: the row says that is our reading."""
    row = coverage_rows()[57]
    assert row["section"] == "II.2.3.b" and quoted_in(row["words"], report_text)
    assert "our reading" in row["remark"] and "does not say" in row["remark"], row["remark"]
    assert ": the department's public employees are the centre's" not in row["remark"]
    assert remark_quotes_are_the_reports(row["remark"], report_text), row["remark"]


# The words by which the report dates a figure to the time of writing (or to 2020) in its sentence.
DATED = re.compile(r"[Nn]ăm 2020|[Đđ]ến nay|[Hh]iện nay|hiện hành|[Ss]o với năm 2015")


def report_sentence(quote: str, report_text: str) -> str:
    """The report's sentence (or list item) that holds a quote, up to the quote's end."""
    first = squash(quote).split(" … ")[0]
    at = report_text.find(first)
    assert at >= 0, first
    start = max(report_text.rfind(mark, 0, at) for mark in (". ", " - ", " + "))
    return report_text[start + 2 : at + len(squash(quote))]


def test_the_rule_for_undated_figures_says_what_the_data_does(report_text):
    """The introduction's rule for figures the report does not date matches the rows: those kept at
    2020 stand at the end of the period, dated so by the report's own sentence or, if not, with a
    remark here saying why (“kept at 2020”); those of the period's work carry ky-bao-cao and are
    kept for 2016–2020; the centre's results are kept for 2019–2020."""
    from tests.test_coverage import observation

    doc = COVERAGE.read_text(encoding="utf-8")
    intro = squash(doc.split("| # |")[0])
    for words in ("kept at 2020", "`ky-bao-cao`", "2016–2020", "“Đến nay”", "“Hiện nay”", "`tu-thang-01-2019`"):
        assert words in intro, words
    assert "A figure whose period the report does not state carries the note `ky-bao-cao`" not in intro

    key = ("indicator_id", "year_from", "year_to", "category", "variant")
    explained = set()
    for row in coverage_rows().values():
        if "kept at 2020" in row["remark"]:
            for ref in re.findall(r"`(obs:[^`]+)`", row["where"]):
                explained.add(tuple(observation(ref)[k] for k in key))
    undated = []
    for r in rows("observations"):
        if r["source_id"] != "bc-sct-2021" or r["area_code"] != "51":
            continue
        period = (r["year_from"], r["year_to"])
        if r["note_id"] == "ky-bao-cao":
            assert period == ("2016", "2020"), r
        if period == ("2019", "2020"):
            assert r["note_id"] == "tu-thang-01-2019", r
        if period == ("2020", "2020") and not DATED.search(report_sentence(r["quote"], report_text)):
            undated.append(tuple(r[k] for k in key))
    assert undated and set(undated) <= explained, sorted(set(undated) - explained)


def test_coverage_row_74_marks_its_link_to_ii_1_as_our_reading(report_text):
    """III.1 says “giải quyết 100% TTHC cho doanh nghiệp, tổ chức, công dân đúng quy định” (as the
    rules require), II.1 “100% TTHC được giải quyết đúng thời gian quy định” (on time). That the
    first repeats the second is our reading, and the row says so, quoting both."""
    row = coverage_rows()[74]
    assert row["section"] == "III.1" and quoted_in(row["words"], report_text)
    assert "our reading" in row["remark"], row["remark"]
    said = quotes(row["remark"])
    assert "100% TTHC được giải quyết đúng thời gian quy định" in said, said
    assert remark_quotes_are_the_reports(row["remark"], report_text), said


# ---------------------------------------------------------------- 5. the same faults found elsewhere
def test_dvc_truc_tuyen_marks_the_4_among_the_6_as_our_reading(report_text):
    """II.1: “37/42 TTHC …, trong đó có 04 TTHC thuộc lĩnh vực Xúc tiến thương mại được cung cấp
    dịch vụ công mức độ 4”: the 4 are among II.1's 37. The report never relates them to the
    “06 TTHC mức độ 4” of II.2.6.a; that they are among those 6 is our reading."""
    assert "trong đó có 04 TTHC thuộc lĩnh vực Xúc tiến thương mại được cung cấp dịch vụ công mức độ 4" in report_text
    text = note("dvc-truc-tuyen")
    assert all(in_source(q, report_text) for q in quotes(text["text_vi"]))
    for column, words in (
        ("text_vi", ("không nói", "cách đọc của chúng tôi")),
        ("text_en", ("does not say", "our reading")),
    ):
        assert all(w in text[column] for w in words), column
    remark = coverage_rows()[10]["remark"]
    assert "our reading" in remark and "does not say" in remark, remark


def test_the_7_completed_communes_are_placed_in_ba_to_by_their_names_not_by_the_report(report_text):
    """The report names the district after the communes under construction (“… Ba Bích huyện Ba
    Tơ”, “… Sơn Thủy huyện Sơn Hà”) but none for the 7 completed: their district is our placing
    (all 7 names are communes of Ba Tơ), and the coverage table and data/README.md say so."""
    completed = report_text.split("hoàn thành công trình cấp điện cho các xã ", 1)[1].split(";", 1)[0]
    assert completed == "Ba Vì, Ba Tiêu, Ba Giang, Ba Điền, Ba Tô, Ba Ngạc, Ba Xa" and "huyện" not in completed
    remark = coverage_rows()[20]["remark"]
    assert "names no district" in remark and "our placing" in remark, remark
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    block = readme.split("## `electrified_communes.csv`", 1)[1].split("## ", 1)[0]
    assert "district (the report gives it)" not in block
    assert "names no district" in squash(block)


def test_what_184_and_148_count_is_our_reading(report_text):
    """“184/184 xã” and “144/148 xã” are all the report says: that 184 counts the units before the
    merger of 01/02/2020 and 148 the rural communes after it is our reading (the numbers match),
    and the notes and the coverage table say so."""
    assert "tổng số xã có điện trên toàn tỉnh là 184/184 xã" in report_text and "144/148 xã" in report_text
    assert "867/NQ-UBTVQH14" not in report_text and "173" not in report_text
    for note_id in ("xa-184-173", "mau-so-tieu-chi"):
        text = note(note_id)
        assert all(in_source(q, report_text) for q in quotes(text["text_vi"])), note_id
        assert "không nói" in text["text_vi"] and "cách đọc của chúng tôi" in text["text_vi"], note_id
        assert "does not say" in text["text_en"] and "our reading" in text["text_en"], note_id
    for n in (23, 35):
        assert "our reading" in coverage_rows()[n]["remark"], n


def test_thac_si_2020_gives_no_year_the_report_does_not(report_text):
    """The report gives the 39 % against 2015 (“So với năm 2015, … tăng từ 7,5% lên 39%”) and the
    36 % “Đến nay”: no year. The note's title no longer says 2020; its text says the year is ours."""
    assert "So với năm 2015, đội ngũ công chức, viên chức có trình độ thạc sĩ tăng từ 7,5% lên 39%" in report_text
    assert "Đến nay, 100% công chức, viên chức đảm bảo tiêu chuẩn" in report_text
    text = note("thac-si-2020")
    assert "2020" not in text["title_vi"] and "2020" not in text["title_en"]
    assert all(in_source(q, report_text) for q in quotes(text["text_vi"]))
    assert "cách đọc của chúng tôi" in text["text_vi"] and "our reading" in text["text_en"]


def test_tthc_rut_ngan_gives_55_of_133_to_ii_1_only(report_text):
    """II.1 writes “41,4% TTHC được rút ngắn … (55/133)”; II.2.2.a only “đạt 41,4% thủ tục”. The note
    no longer gives 55/133 to both sections."""
    assert "quy định pháp luật (55/133)" in report_text and report_text.count("55/133") == 1
    assert "tỷ lệ cắt giảm 30% thời gian giải quyết TTHC cho cá nhân, tổ chức đạt 41,4% thủ tục" in report_text
    text = note("tthc-rut-ngan")
    assert all(in_source(q, report_text) for q in quotes(text["text_vi"]))
    assert "Mục II.1 và II.2.2.a ghi 41,4% (55/133" not in text["text_vi"]
    assert "Sections II.1 and II.2.2.a give 41.4 % (55/133" not in text["text_en"]
    assert "“đạt 41,4% thủ tục”" in text["text_vi"]
