"""The importer: every kind of input the planners send, previews, apply/restore, CLI, load.

Each test works on a copy of data/*.csv in tmp_path (SCT_DATA_DIR / SCT_CACHE_DIR); the real
data/ is never touched.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sctdash.core import paths
from sctdash.editing import changelog, importer, signin
from sctdash.exports import sheets
from sctdash.store import db

REAL_DATA = paths.ROOT / "data"
OBS = [
    "indicator_id",
    "area_code",
    "year_from",
    "year_to",
    "category",
    "variant",
    "value",
    "value_kind",
    "derivation",
    "source_id",
    "section",
    "quote",
    "note_id",
]


def _copy_data(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for p in REAL_DATA.glob("*.csv"):
        shutil.copyfile(p, target / p.name)
    return target


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    d = _copy_data(tmp_path / "data")
    monkeypatch.setenv("SCT_DATA_DIR", str(d))
    monkeypatch.setenv("SCT_CACHE_DIR", str(tmp_path / "cache"))
    return d


def snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.glob("*.csv"))}


def obs(**kw) -> dict[str, str]:
    row = {
        "indicator_id": "markets",
        "area_code": "535",
        "year_from": "2021",
        "year_to": "2021",
        "category": "total",
        "variant": "",
        "value": "12",
        "value_kind": "reported",
        "derivation": "",
        "source_id": "bc-sct-2021",
        "section": "",
        "quote": "Số chợ huyện Ba Tơ năm 2021",
        "note_id": "",
    }
    row.update(kw)
    return row


def csv_text(rows: list[dict], delimiter=",", header=None) -> str:
    header = header or OBS
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(c, "") for c in header])
    return out.getvalue()


def check(text_or_bytes, name="upload.csv", encoding="utf-8") -> importer.Preview:
    data = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode(encoding)
    return importer.check_bytes(name, data)


def codes(preview) -> list[str]:
    return [p.code for p in preview.problems]


def current_rows(d: Path, table="observations") -> list[dict]:
    with (d / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def two_districts() -> list[dict]:
    return [
        obs(area_code="535", value="12"),
        obs(area_code="530", value="9", quote="Số chợ huyện Sơn Tây năm 2021"),
    ]


# -- encodings -----------------------------------------------------------------------------


def test_utf8_without_bom_adds_2021_rows_for_two_districts(data):
    before = len(current_rows(data))
    p = check(csv_text(two_districts()))
    assert p.ok, p.messages("en")
    assert p.table == "observations" and p.encoding == "utf-8"
    assert [a.values["area_code"] for a in p.added] == ["535", "530"]
    assert [a.line for a in p.added] == [2, 3]
    out = p.apply()
    assert out.status == "applied" and out.added == 2
    rows = current_rows(data)
    assert len(rows) == before + 2
    assert rows[-1]["area_code"] == "530" and rows[-1]["quote"] == "Số chợ huyện Sơn Tây năm 2021"
    assert not db.Store(data, data.parent / "cache").problems


def test_utf8_with_bom(data):
    p = check(("\ufeff" + csv_text(two_districts())).encode("utf-8"))
    assert p.ok and p.encoding == "utf-8-sig"
    assert p.added[0].values["indicator_id"] == "markets"  # the BOM is not part of the name


def test_utf16_excel_unicode_text_tab_separated(data):
    raw = csv_text(two_districts(), delimiter="\t").encode("utf-16")
    p = check(raw, "Unicode Text.txt")
    assert p.ok, p.messages("en")
    assert p.encoding == "utf-16" and p.delimiter == "\t"
    assert p.added[0].values["quote"] == "Số chợ huyện Ba Tơ năm 2021"


def _cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters precomposed, tone marks combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_windows_1258_decoded_to_nfc(data):
    raw = _cp1258(csv_text(two_districts(), delimiter=";"))
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    p = check(raw)
    assert p.ok, p.messages("en")
    assert p.encoding == "cp1258"
    assert p.added[0].values["quote"] == "Số chợ huyện Ba Tơ năm 2021"


def test_cp1252_latin_text(data):
    raw = csv_text([obs(quote="Café crème, façade, Müller ò")]).encode("cp1252")
    p = check(raw)
    assert p.ok, p.messages("en")
    assert p.encoding == "cp1252"
    assert p.added[0].values["quote"] == "Café crème, façade, Müller ò"


def test_cp1252_with_letters_lost_is_refused(data):
    # Excel on a Western-European Windows replaces letters it cannot hold with ?
    raw = csv_text([obs(quote="Số chợ huyện Trà Bồng")]).encode("cp1252", errors="replace")
    assert b"S? ch? huy?n Tr\xe0 B?ng" in raw
    before = snapshot(data)
    p = check(raw)
    assert "lost_characters" in codes(p)
    assert snapshot(data) == before


def test_mojibake_is_refused_with_the_repair_suggested(data):
    garbled = "Số chợ".encode().decode("cp1252")  # UTF-8 read as Windows-1252, saved again
    assert garbled == "Sá»‘ chá»£"
    p = check(csv_text([obs(quote=garbled)]))
    assert codes(p) == ["mojibake"]
    problem = next(x for x in p.problems if x.code == "mojibake")
    assert problem.args["fixed"] == "Số chợ"
    assert "Số chợ" in importer.problem_message(problem, "en")


def test_binary_garbage_is_refused(data):
    rng = random.Random(7)
    for blob in (
        bytes(rng.randrange(256) for _ in range(4096)),
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"indicator_id,area_code\n\x01\x02\x03\x04,535\n",
    ):
        p = check(blob, "data.csv")
        assert p.problems and set(codes(p)) <= {"binary_file", "unknown_encoding", "bad_xlsx"}, codes(p)
        assert all(m for m in p.messages("vi"))


def test_zip_that_is_not_a_workbook(data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert codes(check(buf.getvalue(), "book.xlsx")) == ["bad_xlsx"]


# -- separators, numbers, text ---------------------------------------------------------------


def test_semicolons_decimal_commas_and_dot_thousands(data):
    rows = [obs(value="2.801,7", area_code="535"), obs(value="5,03", area_code="530", indicator_id="supermarkets")]
    p = check(csv_text(rows, delimiter=";"))
    assert p.ok, p.messages("en")
    assert p.delimiter == ";"
    assert [a.values["value"] for a in p.added] == ["2801.7", "5.03"]
    p.apply()
    text_ = (data / "observations.csv").read_text(encoding="utf-8")
    assert ",2801.7," in text_ and ",5.03," in text_ and "\r" not in text_


def test_ambiguous_thousands_dot_in_semicolon_file(data):
    p = check(csv_text([obs(value="1.000")], delimiter=";"))
    assert codes(p) == ["ambiguous_number"]


def test_fraction_in_an_integer_column_is_refused(data):
    p = check(csv_text([obs(year_from="2021.5")]))
    assert ("year_from", "bad_type") in [(x.column, x.code) for x in p.problems]


def test_nfd_input_equals_nfc(data):
    row = current_rows(data)[0]
    nfd = {k: unicodedata.normalize("NFD", v) for k, v in row.items()}
    assert nfd["quote"] != row["quote"]
    p = check(csv_text([nfd]))
    assert p.nothing_to_change, p.messages("en")
    assert p.unchanged == 1


def test_blank_lines_and_stray_spaces(data):
    lines = csv_text([obs(area_code=" 535 ", value=" 12 ", quote="  Số chợ  ")]).splitlines()
    raw = "\r\n\r\n" + lines[0] + "\r\n   \r\n,,,,\r\n" + lines[1] + "\r\n\r\n"
    raw += csv_text([obs(area_code="999")]).splitlines()[1] + "\r\n"
    p = check(raw)
    bad = [x for x in p.problems if x.code == "unknown_area"]
    assert [(x.line, x.column, x.value) for x in bad] == [(8, "area_code", "999")]
    p = check(raw.rsplit("\r\n", 2)[0] + "\r\n")
    assert p.ok, p.messages("en")
    assert p.added[0].values["area_code"] == "535" and p.added[0].values["quote"] == "Số chợ"
    assert p.added[0].line == 6


def test_header_in_another_order_and_other_case(data):
    header = list(reversed(OBS))
    raw = csv_text(two_districts(), header=header).replace("indicator_id", "Indicator_ID", 1)
    p = check(raw)
    assert p.ok, p.messages("en")
    assert p.added[0].values["indicator_id"] == "markets"
    p.apply()
    # written in the schema's order, with the columns a planner's file may leave out (figure_type,
    # status, quote_kind)
    assert (data / "observations.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(
        [*OBS, "figure_type", "status", "quote_kind"]
    )
    assert (data / "observations.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(
        db.schemas()["observations"].column_names
    )


def test_extra_column_is_a_problem_with_suggestion(data):
    header = [*OBS, "comment", "valeu"]
    p = check(csv_text([obs(comment="x", valeu="1")], header=header))
    got = {(x.column, x.code) for x in p.problems}
    assert ("comment", "unknown_column") in got and ("valeu", "unknown_column") in got
    assert not p.added


def test_missing_required_column(data):
    header = [c for c in OBS if c != "value"]
    p = check(csv_text([obs()], header=header))
    assert [(x.column, x.code) for x in p.problems] == [("value", "missing_column")]


def test_optional_columns_left_out_keep_current_values(data):
    header = [c for c in OBS if c not in ("note_id", "section", "derivation")]
    row = current_rows(data)[1]
    p = check(csv_text([{**row, "value": "5.2"}], header=header))
    assert p.ok and [c.new for c in p.changed] == [{"value": "5.2"}]
    p.apply()
    assert current_rows(data)[1]["note_id"] == row["note_id"]


def test_empty_file(data):
    for raw in (b"", b"   \r\n\r\n", "\ufeff".encode()):
        assert codes(check(raw)) == ["empty_file"]
    assert codes(check(",".join(OBS) + "\n")) == ["no_rows"]


def test_unknown_extract(data):
    p = check("name,age\nAn,3\n")
    assert codes(p) == ["unknown_extract"]


def test_file_over_the_size_limit_is_refused_without_reading(data, tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.seek(50 * 1024 * 1024 - 1)
        fh.write(b"\n")
    opened = []
    real_open = Path.open

    def spy(self, *a, **k):
        opened.append(self)
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", spy)
    p = importer.check_file(big)
    assert codes(p) == ["too_large"]
    assert big not in opened
    assert "50.0" in importer.problem_message(p.problems[0], "en")
    assert codes(check(b"x" * (importer.MAX_BYTES + 1))) == ["too_large"]


# -- XLSX -----------------------------------------------------------------------------------


def _xlsx(build) -> bytes:
    wb = openpyxl.Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill(ws, rows, header=OBS, start=1):
    for j, name in enumerate(header, 1):
        ws.cell(row=start, column=j, value=name)
    for i, r in enumerate(rows, start + 1):
        for j, name in enumerate(header, 1):
            v = r.get(name, "")
            if name in ("value", "year_from", "year_to") and v and re.fullmatch(r"-?\d+(\.\d+)?", str(v)):
                v = float(v) if "." in str(v) else int(v)
            ws.cell(row=i, column=j, value=v if v != "" else None)


def test_xlsx_several_sheets_picks_the_matching_one(data):
    def build(wb):
        wb.active.title = "Ghi chú"
        wb.active["A1"] = "Số liệu gửi Sở, năm 2021"
        _fill(wb.create_sheet("Số liệu"), two_districts())
        wb.create_sheet("Trống")

    p = check(_xlsx(build), "gui-so.xlsx")
    assert p.ok, p.messages("en")
    assert p.sheet == "Số liệu" and len(p.added) == 2
    assert any("Số liệu" in line for line in importer.describe(p, "en"))


def test_xlsx_two_matching_sheets_is_refused(data):
    def build(wb):
        _fill(wb.active, two_districts())
        _fill(wb.create_sheet("copy"), two_districts())

    assert codes(check(_xlsx(build), "x.xlsx")) == ["several_sheets"]


def test_xlsx_merged_title_and_merged_cells(data):
    def build(wb):
        ws = wb.active
        ws["A1"] = "Số liệu chợ năm 2021"
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(OBS))
        rows = [obs(area_code="535"), obs(area_code="", category="class_1", value="3")]
        _fill(ws, rows, start=2)
        col = OBS.index("area_code") + 1
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)  # district over 2 rows

    p = check(_xlsx(build), "merged.xlsx")
    assert p.ok, p.messages("en")
    assert [(a.line, a.values["area_code"], a.values["category"]) for a in p.added] == [
        (3, "535", "total"),
        (4, "535", "class_1"),
    ]


def test_xlsx_merged_header_cell_over_two_rows(data):
    def build(wb):
        ws = wb.active
        _fill(ws, two_districts(), start=2)
        for j, name in enumerate(OBS, 1):
            ws.cell(row=1, column=j, value=name)
            ws.merge_cells(start_row=1, start_column=j, end_row=2, end_column=j)

    p = check(_xlsx(build), "h.xlsx")
    assert p.ok, p.messages("en")
    assert len(p.added) == 2


def test_xlsx_formula_without_cached_value_is_refused(data):
    def build(wb):
        _fill(wb.active, [obs()])
        wb.active.cell(row=2, column=OBS.index("value") + 1, value="=6*2")

    p = check(_xlsx(build), "f.xlsx")
    assert [(x.code, x.line, x.column) for x in p.problems] == [("formula_no_value", 2, "value")]
    assert "G2" in importer.problem_message(p.problems[0], "en")


def test_xlsx_formula_with_cached_value_is_read(data):
    def build(wb):
        _fill(wb.active, [obs()])
        wb.active.cell(row=2, column=OBS.index("value") + 1, value="=6*2")

    raw = _xlsx(build)
    src, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<f>6*2</f><v></v>", b"<f>6*2</f><v>12</v>")
            dst.writestr(item, body)
    p = check(out.getvalue(), "cached.xlsx")
    assert p.ok, p.messages("en")
    assert p.added[0].values["value"] == "12"


def test_xls_97_is_refused(data):
    assert codes(check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.xls")) == ["xls_not_supported"]


# -- formula-like cells, injections ------------------------------------------------------------


def test_formula_like_cells_stored_as_text(data):
    quotes = ['=HYPERLINK("http://x")', "+84 255 3822", "-x- gạch đầu dòng", "@SUM(A1)"]
    rows = [obs(area_code=code, quote=q) for code, q in zip(["535", "530", "529", "528"], quotes, strict=True)]
    rows.append(obs(area_code="527", indicator_id="gocn_growth_avg", value="-5", category="total"))
    p = check(csv_text(rows))
    assert p.ok, p.messages("en")
    p.apply()
    stored = current_rows(data)
    assert [r["quote"] for r in stored[-5:-1]] == quotes
    assert stored[-1]["value"] == "-5"


def test_neutralise_cell():
    n = sheets.neutralise_cell
    assert n("=1+2") == "'=1+2"
    assert n("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert n("-x") == "'-x"
    assert n("@SUM(A1)") == "'@SUM(A1)"
    assert n("\t=1") == "'\t=1"
    assert n(-5) == -5 and n(-5.5) == -5.5 and n("-5") == "-5" and n("+3.2") == "+3.2"
    assert n("Ba Tơ") == "Ba Tơ" and n("") == "" and n(None) is None


def test_sql_html_and_paths_stay_plain_data(data, tmp_path):
    nasty = [
        "'; drop table observations; --",
        '<script>alert("x")</script>',
        "../../etc/passwd",
        "$district' or 1=1 --",
    ]
    rows = [obs(area_code=c, quote=q) for c, q in zip(["535", "530", "529", "528"], nasty, strict=True)]
    p = importer.check_bytes("../../../etc/cron.d/evil.csv", csv_text(rows).encode())
    assert p.label == "evil.csv"
    assert p.ok, p.messages("en")
    p.apply()
    assert [r["quote"] for r in current_rows(data)[-4:]] == nasty
    assert not (tmp_path / "etc").exists()
    bad = check(csv_text([obs(indicator_id="x'; drop table indicators; --", area_code="<script>")]))
    assert {(x.column, x.code) for x in bad.problems} == {
        ("indicator_id", "unknown_reference"),
        ("area_code", "unknown_area"),
    }
    store = db.Store(data, tmp_path / "cache")
    assert store.row_counts()["indicators"] == len(current_rows(data, "indicators"))
    with pytest.raises(importer.ImportRefused) as refused:
        importer.restore("../observations")
    assert refused.value.problems[0].code == "unknown_table"
    with pytest.raises(importer.ImportRefused):
        importer.restore("observations", "../../etc/passwd")


# -- checks ------------------------------------------------------------------------------------


def test_ranges_duplicates_and_types_all_listed_at_once(data):
    rows = [
        obs(area_code="535", value="-3"),  # a count below 0
        obs(area_code="530", indicator_id="households_with_power", value="120"),  # a share over 100
        obs(area_code="529", value="abc"),
        obs(area_code="528"),
        obs(area_code="528"),  # the same key again
        obs(area_code="527", value_kind="derived"),  # derived without a derivation
    ]
    before = snapshot(data)
    p = check(csv_text(rows))
    got = [(x.line, x.column, x.code) for x in p.problems]
    assert (2, "value", "out_of_range") in got
    assert (3, "value", "out_of_range") in got
    assert (4, "value", "bad_type") in got
    key = "indicator_id, area_code, year_from, year_to, category, variant, figure_type"  # a target is another row
    assert (6, key, "duplicate_key") in got
    assert any(line == 7 and code == "check_failed" for line, _, code in got)
    for lang in ("vi", "en"):
        assert all(m.startswith(("Tệp", "File")) for m in p.messages(lang))
    with pytest.raises(importer.ImportRefused):
        p.apply()
    assert snapshot(data) == before


def test_typo_district_names_and_indicators_get_suggestions(data):
    rows = [
        obs(area_code="Ba To"),
        obs(area_code="Ba Tô", year_from="2022", year_to="2022"),
        obs(area_code="ba tơ", year_from="2023", year_to="2023"),
        obs(indicator_id="supermarket", area_code="530"),
        obs(area_code="5355", year_from="2024", year_to="2024"),
    ]
    p = check(csv_text(rows))
    sugg = {(x.line, x.column): x.args.get("suggestion") for x in p.problems}
    assert sugg[(2, "area_code")] == "535 (Ba Tơ)"
    assert sugg[(3, "area_code")] == "535 (Ba Tơ)"
    assert sugg[(4, "area_code")] == "535 (Ba Tơ)"
    assert sugg[(5, "indicator_id")] == "supermarkets"
    assert sugg[(6, "area_code")] == "535 (Ba Tơ)"
    msg = importer.problem_message(next(x for x in p.problems if x.line == 2), "vi")
    assert "Có phải là “535 (Ba Tơ)”?" in msg


def test_identical_file_changes_nothing(data, capsys):
    before = snapshot(data)
    for table in ("observations", "sources", "indicators", "power_project_locations"):
        p = importer.check_file(data / f"{table}.csv")
        assert p.table == table and p.nothing_to_change, p.messages("en")
        assert p.apply().status == "unchanged"
    generated = importer.check_file(data / "areas.csv")  # written by make areas, never imported
    assert generated.table == "areas" and not generated.ok
    assert "make areas" in generated.messages("en")[0]
    assert importer.main([str(data / "observations.csv"), "--lang", "en"]) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert snapshot(data) == before
    assert not (data / "history").exists()


def test_update_shows_old_and_new_values(data):
    row = current_rows(data)[1]  # vacn_growth_avg, 5.03
    assert row["value"] == "5.03"
    p = check(csv_text([{**row, "value": "5,1"}], delimiter=";"))
    assert p.ok and not p.added and p.unchanged == 0
    (change,) = p.changed
    assert change.old == {"value": "5.03"} and change.new == {"value": "5.1"}
    assert change.key["indicator_id"] == "vacn_growth_avg"
    assert p.change_rows() == [
        {
            "line": 2,
            "key": "vacn_growth_avg, 51, 2016, 2020, total, , result",
            "column": "value",
            "old": "5.03",
            "new": "5.1",
        }
    ]
    assert any("'5.03' → '5.1'" in line for line in importer.describe(p, "en"))
    # 4 and 4.0 are the same number: no change
    first = current_rows(data)[0]
    assert check(csv_text([{**first, "value": "4"}])).nothing_to_change


def test_a_cell_left_empty_is_its_columns_default(data):
    """An empty `status` is official, as the database loads it: importing a row again with the
    cell empty changes nothing, and a file without the column adds rows at the default."""
    assert check(csv_text(two_districts())).apply().added == 2
    written = [r for r in current_rows(data) if r["area_code"] in ("535", "530") and r["year_to"] == "2021"]
    assert [r["status"] for r in written] == ["official", "official"]
    header = [*OBS, "figure_type", "status"]
    again = check(csv_text([{**r, "status": ""} for r in written], header=header))
    assert again.nothing_to_change, (again.changed, again.messages("en"))
    estimate = check(csv_text([{**written[0], "status": "estimate"}], header=header))
    assert [(c.old, c.new) for c in estimate.changed] == [({"status": "official"}, {"status": "estimate"})]


def test_apply_history_and_restore(data):
    original = (data / "observations.csv").read_bytes()
    p = check(csv_text(two_districts()))
    out = p.apply()
    assert out.history.read_bytes() == original
    assert out.history.parent == data / "history"
    assert re.fullmatch(r"observations-\d{8}-\d{6}(-\d+)?\.csv", out.history.name)
    imported = (data / "observations.csv").read_bytes()
    # every row as it was, in the schema's columns: the bundled file leaves out `status`, which
    # the importer writes with its default (official) in every row, then the two new rows
    assert imported.count(b"\n") == original.count(b"\n") + 2
    assert _with_status(original) == imported.decode("utf-8").splitlines()[: original.count(b"\n")]
    restored = importer.restore("observations")
    assert restored.status == "restored"
    # the version without `status` reads as loaded (official): the restore removes the two rows
    # and changes none
    assert (restored.added, restored.changed, restored.removed) == (0, 0, 2)
    assert (data / "observations.csv").read_bytes() == original
    assert restored.history.read_bytes() == imported  # the current one was kept first
    versions = importer.history_versions("observations")
    assert len(versions) == 2
    importer.restore("observations", versions[-1])
    assert (data / "observations.csv").read_bytes() == imported
    with pytest.raises(importer.ImportRefused) as r:
        importer.restore("observations", "20000101-000000")
    assert r.value.problems[0].code == "unknown_version"
    assert not list(data.glob("*.tmp")) and not list(data.glob("*.csv.*"))


def _with_status(data: bytes) -> list[str]:
    """The lines of an observations file as the importer writes them: the schema's columns, a
    column the file leaves out (status) holding its default."""
    columns = db.schemas()["observations"].column_names
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({c: r.get(c) or {"status": "official"}.get(c, "") for c in columns} for r in rows)
    return out.getvalue().splitlines()


def test_apply_refuses_when_data_changed_since_check(data):
    p = check(csv_text(two_districts()))
    other = data / "indicators.csv"
    other.write_bytes(other.read_bytes() + b"")
    (data / "observations.csv").write_bytes((data / "observations.csv").read_bytes() + b"\n")
    with pytest.raises(importer.ImportRefused) as r:
        p.apply()
    assert r.value.problems[0].code == "changed_since_check"


def test_lock_keeps_imports_apart(data, monkeypatch):
    p = check(csv_text(two_districts()))
    with importer.import_lock():
        with pytest.raises(importer.ImportRefused) as r, importer.import_lock(timeout=0.2):
            pass  # not reached: the second import is refused, not kept waiting
        assert r.value.problems[0].code == "busy"
    assert p.apply().status == "applied"


def test_indicator_range_change_that_excludes_existing_figures(data):
    rows = current_rows(data, "indicators")
    markets = next(r for r in rows if r["indicator_id"] == "markets")
    header = list(rows[0])
    p = importer.check_bytes("ind.csv", csv_text([{**markets, "max_value": "10"}], header=header).encode())
    assert "range_excludes_existing" in codes(p)


# -- command line ----------------------------------------------------------------------------


def test_cli_exit_codes(data, tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(csv_text(two_districts()), encoding="utf-8")
    bad.write_text(csv_text([obs(area_code="Ba To")]), encoding="utf-8")
    before = snapshot(data)
    assert importer.main([str(bad), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "line 2, column area_code" in err and "535 (Ba Tơ)" in err
    assert importer.main([str(good), "--dry-run"]) == 0
    assert snapshot(data) == before
    assert importer.main([str(good)]) == 0
    assert snapshot(data) != before
    assert importer.main([str(good)]) == 0  # again: nothing to change
    assert importer.main(["--restore", "observations"]) == 0
    assert snapshot(data) == before
    assert importer.main(["--restore", "nope"]) == 1
    assert importer.main([str(tmp_path / "missing.csv")]) == 1
    assert importer.main([]) == 2


def test_messages_name_the_data_folder_in_use(data, tmp_path, capsys):
    """Where SCT_DATA_DIR points a server's data elsewhere, the lines on the kept version and the
    log name the files where they are, not the project's data/ folder."""
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(csv_text(two_districts()), encoding="utf-8")
    bad.write_text(csv_text([obs(value="-1")]), encoding="utf-8")
    assert importer.main([str(bad), "--lang", "en"]) == 1
    assert f"({data / 'history' / 'changelog.jsonl'})" in capsys.readouterr().err
    assert importer.main([str(good), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    kept = next(data.glob("history/observations-*.csv"))
    assert f"The previous version is kept as {kept}." in out
    assert f"({data / 'history' / 'changelog.jsonl'})" in out
    assert "data/history" not in out.replace(str(data / "history"), "")
    refused, imported = changelog.verify().entries[-2:]
    assert changelog.describe(imported, "en").endswith(f"; previous version kept as {kept}")
    assert "kept" not in changelog.describe(refused, "en") and "None" not in changelog.describe(refused, "en")
    assert paths.shown(paths.ROOT / "data" / "history") == "data/history"  # in the project: as before


def test_cli_as_a_module(data, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text([obs(value="-1")]), encoding="utf-8")
    env = {**os.environ, "SCT_DATA_DIR": str(data), "SCT_CACHE_DIR": str(tmp_path / "c")}
    run = subprocess.run(
        [sys.executable, "-m", "sctdash.editing.importer", str(bad), "--lang", "en"],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "outside the range allowed for markets (0 to —)" in run.stderr


def test_import_ui_hidden_without_editors_and_login_with(data):
    from streamlit.testing.v1 import AppTest

    def app():
        from sctdash.app.import_ui import render_import

        render_import("en")

    at = AppTest.from_function(app).run()
    assert not at.exception
    assert not at.text_input and not at.button and not at.header
    at = AppTest.from_function(app)
    at.secrets["editors"] = {"lan": signin.hash_password("pw", iterations=1000)}
    at.run()
    assert not at.exception
    at.text_input(key="import_user").input("lan")
    at.text_input(key="import_password").input("pw")
    at.button(key="import_sign_in").click().run()
    assert not at.exception
    assert at.session_state[signin.EDITOR_KEY] == "lan"


def test_import_ui_refuses_then_previews_and_applies_on_confirmation(data):
    """The data page's way in, as an editor uses it: a bad file lists its problems and changes
    nothing; a good one is previewed, and applied only when confirmed, with history kept."""
    from streamlit.testing.v1 import AppTest

    def app():
        from sctdash.app.import_ui import render_import

        render_import("vi")

    at = AppTest.from_function(app, default_timeout=60)
    at.secrets["editors"] = {"lan": signin.hash_password("pw", iterations=1000)}
    signin.start_session(at.session_state, "lan")
    at.run()
    before = snapshot(data)

    bad = csv_text([obs(area_code="Ba To", value="12")]).encode()
    at.file_uploader(key="import_file_0").set_value(("so-lieu.csv", bad, "text/csv")).run()
    assert not at.exception
    assert at.error[0].value == "Tệp bị từ chối: 1 lỗi. Không có gì thay đổi."
    (problems,) = [df.value for df in at.dataframe]
    assert list(problems["Dòng"]) == [2] and list(problems["Cột"]) == ["area_code"]
    assert "Ba Tơ" in problems["Lỗi"][0]  # the suggestion
    assert not [b for b in at.button if b.key == "import_confirm"] and snapshot(data) == before

    good = csv_text(two_districts()).encode()
    at.file_uploader(key="import_file_0").set_value(("so-lieu.csv", good, "text/csv")).run()
    assert not at.exception and not at.error
    (added,) = [df.value for df in at.dataframe]
    assert sorted(added["area_code"]) == ["530", "535"] and snapshot(data) == before  # a preview only
    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert "observations" in at.success[0].value and snapshot(data) != before
    assert {r["area_code"] for r in current_rows(data) if r["year_from"] == "2021"} >= {"530", "535"}
    assert list((data / "history").glob("observations-*.csv"))  # the previous version, kept
    assert at.file_uploader(key="import_file_1")  # a fresh uploader for the next file


# -- property and load -----------------------------------------------------------------------


_BASE = None


def _base_copy() -> Path:
    global _BASE
    if _BASE is None:
        _BASE = _copy_data(Path(tempfile.mkdtemp(prefix="sct-base-")) / "data")
    return _BASE


_cell = st.one_of(
    st.sampled_from(["", "535", "530", "51", "Ba To", "2021", "2020", "12", "-1", "5,03", "2.801,7", "1e3", "=1+2"]),
    st.text(max_size=12),
)
_row = st.fixed_dictionaries(
    {
        "indicator_id": st.one_of(st.sampled_from(["markets", "households_with_power", "supermarkets"]), _cell),
        "area_code": st.one_of(st.sampled_from(["535", "530", "51"]), _cell),
        "year_from": st.one_of(st.sampled_from(["2021", "2022"]), _cell),
        "year_to": st.one_of(st.sampled_from(["2021", "2022"]), _cell),
        "category": st.one_of(st.just("total"), _cell),
        "variant": _cell,
        "value": st.one_of(st.sampled_from(["12", "99,5", "0"]), _cell),
        "value_kind": st.one_of(st.just("reported"), _cell),
        "derivation": _cell,
        "source_id": st.one_of(st.just("bc-sct-2021"), _cell),
        "section": _cell,
        "quote": st.one_of(st.just("Số chợ"), _cell),
        "note_id": st.one_of(st.just(""), _cell),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(_row, max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"]),
    drop=st.one_of(st.none(), st.sampled_from(OBS)),
    tail=st.one_of(st.just(b""), st.binary(max_size=20)),
)
def test_property_apply_or_refuse_never_half_written(tmp_path_factory, rows, delimiter, encoding, drop, tail):
    d = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp())) / "data"
    shutil.copytree(_base_copy(), d)
    header = [c for c in OBS if c != drop]
    try:
        raw = csv_text(rows, delimiter=delimiter, header=header).encode(encoding) + tail
    except UnicodeEncodeError:
        raw = csv_text(rows, delimiter=delimiter, header=header).encode("utf-8") + tail
    before = snapshot(d)
    old_env = {k: os.environ.get(k) for k in ("SCT_DATA_DIR", "SCT_CACHE_DIR")}
    os.environ["SCT_DATA_DIR"], os.environ["SCT_CACHE_DIR"] = str(d), str(d.parent / "cache")
    try:
        p = importer.check_bytes("random.csv", raw, d)
        if p.problems:
            assert all(isinstance(m, str) and m for m in p.messages("vi") + p.messages("en"))
            with pytest.raises(importer.ImportRefused):
                p.apply()
            assert snapshot(d) == before
        else:
            out = p.apply()
            assert out.status in ("applied", "unchanged")
            after = snapshot(d)
            changed = [k for k in after if after[k] != before[k]]
            assert changed == ([] if out.status == "unchanged" else ["observations.csv"])
            assert not db.Store(d, d.parent / "cache").problems
            if out.status == "applied":
                assert out.history.read_bytes() == before["observations.csv"]
    finally:
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.mark.slow
def test_twenty_readers_while_an_import_is_applied(data, tmp_path):
    """Twenty threads build the Store over and over while an import is applied: every reader
    sees the extracts whole, from before or after it, never half; and some see each. A load
    test: sixty builds of the database from twenty threads."""
    cache = tmp_path / "cache"
    old = {tuple(r.values()) for r in current_rows(data)}
    p = check(csv_text(two_districts()))
    assert p.ok
    seen, errors = [], []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                store = db.Store(data, cache)
                frame = store.table("observations")
                seen.append((len(frame), frozenset(zip(frame["area_code"], frame["year_from"], strict=True))))
        except Exception as exc:  # noqa: BLE001 - any error fails the test below
            errors.append(exc)

    def reads_reach(n: int) -> None:
        """Wait until the readers have made `n` reads in all; a reader's error ends the wait."""
        guard = time.monotonic() + 600  # not a bound on the readers: against a hang only
        while len(seen) < n and not errors:
            assert time.monotonic() < guard, f"readers stalled at {len(seen)} reads"
            time.sleep(0.05)

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for t in threads:
        t.start()
    try:
        reads_reach(20)
        p.apply()
        # each reader has at most one read under way when the import lands: of the next 40,
        # at least 20 began after it
        reads_reach(len(seen) + 40)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
    assert not errors
    sizes = {n for n, _ in seen}
    assert sizes <= {len(old), len(old) + 2}, sizes
    assert len(sizes) == 2  # some readers saw the old rows, some the new
    new_keys = {("535", 2021), ("530", 2021)}
    for n, keys in seen:
        assert (n == len(old) + 2) == (new_keys <= keys)
