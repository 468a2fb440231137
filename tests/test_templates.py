"""Planner templates: one .xlsx per extract, filled in as a planner would, imported as it is.

Each test works on a copy of data/ in tmp_path (conftest.data_copy); the rows the tests add to
it, and the filled-in templates, are SYNTHETIC. The real data/ is never written.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from sctdash.app import site
from sctdash.core import i18n
from sctdash.editing import importer, signin, template_mark, templates
from sctdash.store import db
from tests.conftest import DATA, ROOT

GUIDE, LISTS = templates.sheet_names()


def store_of(data_dir):
    """The Store of a data folder as it is now: built once per version of its files (a test
    that imports gets a new one after)."""
    return _store(data_dir, db.fingerprint(data_dir))


@functools.lru_cache(maxsize=4)
def _store(data_dir, fingerprint: str):
    return db.Store(data_dir, data_dir.parent / "cache")


def workbook(table: str, data_dir) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(templates.build(table, store_of(data_dir))))


def xlsx_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def header(ws) -> list[str]:
    return [c.value for c in ws[template_mark.HEADER_ROW] if c.value is not None]


def rule_for(ws, column: str, row: int = 3):
    """The data validation that covers `column` on `row` of the data sheet, if any."""
    letter = openpyxl.utils.get_column_letter(header(ws).index(column) + 1)
    found = [dv for dv in ws.data_validations.dataValidation if f"{letter}{row}" in dv.sqref]
    assert len(found) <= 1, (column, found)
    return found[0] if found else None


RANGE = r"'?(.+?)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)"


def cells_of(wb, reference: str) -> list[str]:
    m = re.fullmatch(RANGE, reference)
    assert m, reference
    sheet, col, first, col2, last = m.groups()
    assert col == col2
    ws = wb[sheet.replace("''", "'")]
    return [ws[f"{col}{r}"].value for r in range(int(first), int(last) + 1)]


def year_lists(wb, dv) -> dict[str, list[str]]:
    """An observation's area drop-down: the list it reads for a year from 2026, for 2025, and
    before (or no year yet), from its formula IF(year>=2026, …, IF(year=2025, …, …))."""
    m = re.fullmatch(r"IF\(N\(\$[A-Z]+(\d+)\)>=2026,(.+?),IF\(N\(\$[A-Z]+\1\)=2025,(.+?),(.+?)\)\)", dv.formula1)
    assert m, dv.formula1
    return {"from_2026": cells_of(wb, m.group(2)), "2025": cells_of(wb, m.group(3)), "before": cells_of(wb, m.group(4))}


def listed(wb, dv) -> list[str]:
    """The values a list validation offers: the cells of its range on the lists sheet (an area's
    list by year: the one before 2025, which a row without a year gets)."""
    if dv.formula1.startswith("IF("):
        return year_lists(wb, dv)["before"]
    return cells_of(wb, dv.formula1)


def csv_rows(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def documented_lists() -> dict[tuple[str, str], list[str]]:
    """The fixed lists data/README.md gives planners: (extract, column) → its values in order,
    from each extract's table of columns (“| `kind` | `hydro`, `solar` | |”; “same” repeats the
    list of the row above). What the database accepts is the schema's; this is what the
    planners are told, and a template offers it."""
    lists: dict[tuple[str, str], list[str]] = {}
    table, previous = None, None
    for line in (DATA / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            m = re.fullmatch(r"## `(\w+)\.csv`", line)
            table = m.group(1) if m else None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if table is None or len(cells) < 2:
            continue
        if cells[1] == "same" and previous:
            values = previous
        elif re.fullmatch(r"`[^`]+`(?:, `[^`]+`)+", cells[1]):
            values = re.findall(r"`([^`]+)`", cells[1])
        else:
            previous = None
            continue
        for column in re.findall(r"`(\w+)`", cells[0]):
            lists[(table, column)] = values
        previous = values
    return lists


DOCUMENTED = documented_lists()


def test_the_documented_lists_are_read():
    assert DOCUMENTED[("observations", "value_kind")] == ["reported", "derived", "external"]
    assert DOCUMENTED[("areas", "level")] == ["province", "district", "commune"]
    assert DOCUMENTED[("power_projects", "capacity_unit")] == ["MW", "MWp"]
    assert ("indicators", "indicator_id") not in DOCUMENTED and ("indicators", "decimals") not in DOCUMENTED


def fill(ws, rows: list[dict], start: int = 3) -> None:
    names = header(ws)
    for i, row in enumerate(rows, start):
        for j, name in enumerate(names, 1):
            ws.cell(i, j, row.get(name))


def planner_row(table: str, data_dir) -> dict:
    """The template's own example made into a real-looking row: its "Ví dụ…" words replaced."""
    example = templates.example_row(table, store_of(data_dir))
    types = dict(db.schemas()[table].columns)
    row = {}
    for col, text in example.items():
        if text.startswith(template_mark.EXAMPLE_WORDS):
            text = "Số liệu do phòng Kế hoạch gửi (SYNTHETIC) " + col
        row[col] = templates._cell_value(types[col], text)
    return row


# -- what a template holds ---------------------------------------------------------------------


@pytest.mark.parametrize("table", db.IMPORTED)
def test_every_template_has_the_header_the_example_and_its_lists(data_copy, table):
    wb = workbook(table, data_copy)
    assert wb.sheetnames == [table, GUIDE, LISTS, template_mark.MARK_SHEET]
    assert wb[template_mark.MARK_SHEET].sheet_state == "veryHidden"
    ws = wb[table]
    cols = [r[0] for r in store_of(data_copy).con.execute(f"describe {table}").fetchall()]
    assert header(ws) == cols  # the schema's columns, in its order
    example = [c.value for c in ws[template_mark.EXAMPLE_ROW]]
    assert any(isinstance(v, str) and v.startswith("Ví dụ") for v in example)
    assert all(c.font.italic for c in ws[template_mark.EXAMPLE_ROW])
    schema = db.schemas()[table]
    refs = {c: (ref, ref_col) for c, ref, ref_col in schema.foreign_keys}
    lists = []
    for col in cols:
        dv = rule_for(ws, col)
        if col in db.area_columns(table):  # "name (type) — code", or a code typed (a warning)
            assert dv is not None and dv.type == "list" and dv.errorStyle == "warning", col
            assert all(re.fullmatch(r".+ \(.+\) — \d{2,5}", a) for a in listed(wb, dv)), col
        elif col in refs:
            ref, ref_col = refs[col]
            ids = [r[ref_col] for r in csv_rows(data_copy / f"{ref}.csv")]
            assert dv is not None and dv.type == "list", col
            assert listed(wb, dv) == ids, col  # every row of the referenced extract, in its order
            assert dv.errorStyle == "stop", col
        elif col not in refs and dv is not None and dv.type == "list":
            lists.append(col)
            # a column of fixed values, required or not, with or without a default (figure_type,
            # quote_kind), a CHECK's IN or a CASE's THEN values (a power project's unit)
            assert listed(wb, dv) == DOCUMENTED.get((table, col)), col
            # a column that may be empty, or left out of the file (status)
            used = {r.get(col, "") for r in csv_rows(data_copy / f"{table}.csv")} - {""}
            assert used <= set(listed(wb, dv)), col
        elif col not in refs:
            assert dv is None or dv.type in ("whole", "decimal"), col
    assert lists == [col for col in cols if (table, col) in DOCUMENTED]  # every documented list, nothing else
    # the guide says every column's meaning in both languages, and the lists sheet is locked
    guide = " ".join(str(c.value) for row in wb[GUIDE].iter_rows() for c in row if c.value)
    for col in cols:
        for lang in i18n.LANGS:
            assert templates.meaning(table, col, lang) in guide, (col, lang)
    assert "Cách điền" in guide and "How to fill it in" in guide
    assert guide.index("Cách điền") < guide.index("How to fill it in")  # Vietnamese first
    assert wb[LISTS].protection.sheet


def test_observation_lists_hold_the_2020_districts_indicators_and_value_kinds(data_copy):
    s = store_of(data_copy)
    wb = workbook("observations", data_copy)
    ws = wb["observations"]
    units = s.query("district_list")  # the units_2020 view: the filter's districts
    kon_tum = [r["area_code"] for r in csv_rows(data_copy / "areas.csv") if r["parent_code"] == "62"]
    by_year = year_lists(wb, rule_for(ws, "area_code"))
    areas = by_year["before"]  # up to 2024: the province and the 23 districts of both former provinces
    assert [a.rsplit(" ", 1)[-1] for a in areas] == ["51", *units.area_code, *kon_tum] and len(kon_tum) == 10
    for label, name in zip(areas[1 : len(units) + 1], units.name_vi, strict=True):
        assert label.startswith(name + " ")
    assert "Tây Trà" not in " ".join(areas)  # merged into Trà Bồng in 2020
    assert "Ba Tơ (huyện) — 535" in areas and "Quảng Ngãi (thành phố) — 522" in areas
    assert "Quảng Ngãi (tỉnh) — 51" in areas
    # from 2026, the province and its 96 communes; in 2025 both the districts and the communes
    communes = [a for a in by_year["from_2026"] if not a.endswith("— 51")]
    assert len(communes) == 96 and by_year["from_2026"][0] == "Quảng Ngãi (tỉnh) — 51"
    assert "Ba Tơ (huyện, đến 30/06/2025) — 535" in by_year["2025"]
    assert len(by_year["2025"]) == 1 + 23 + 96 and any("(xã, từ 01/07/2025)" in a for a in by_year["2025"])
    assert listed(wb, rule_for(ws, "indicator_id")) == [
        r["indicator_id"] for r in csv_rows(data_copy / "indicators.csv")
    ]
    assert listed(wb, rule_for(ws, "value_kind")) == ["reported", "derived", "external"]
    assert rule_for(ws, "area_code").errorStyle == "warning"  # a typed code is allowed through
    assert rule_for(ws, "value_kind").errorStyle == "stop"
    year = rule_for(ws, "year_from")
    assert (year.type, year.operator, year.formula1, year.formula2) == ("whole", "between", "2000", "2100")
    # the units of the indicators template are those the schema accepts
    wb_ind = workbook("indicators", data_copy)
    assert listed(wb_ind, rule_for(wb_ind["indicators"], "unit")) == DOCUMENTED[("indicators", "unit")]
    # a district column lists the 2020 units without the province
    wb_loc = workbook("power_project_locations", data_copy)
    codes = [a.rsplit(" ", 1)[-1] for a in listed(wb_loc, rule_for(wb_loc["power_project_locations"], "district_code"))]
    assert codes == list(units.area_code)


def test_lists_come_from_the_current_data(data_copy):
    with (data_copy / "indicators.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            ["synthetic_kiosks", "market", "Ki-ốt (SYNTHETIC)", "Kiosks (SYNTHETIC)", "count", "0", "0", "", "up"]
        )
    wb = workbook("observations", data_copy)
    assert "synthetic_kiosks" in listed(wb, rule_for(wb["observations"], "indicator_id"))


# -- filled in as a planner would, and imported ------------------------------------------------


def test_a_filled_template_adds_exactly_the_planners_rows(data_copy):
    before = csv_rows(data_copy / "observations.csv")
    wb = workbook("observations", data_copy)
    areas = listed(wb, rule_for(wb["observations"], "area_code"))
    son_tay = next(a for a in areas if a.endswith("— 530"))  # chosen from the drop-down
    province = areas[0]
    base = {
        "indicator_id": "markets",
        "year_from": 2021,
        "year_to": 2021,
        "category": "total",
        "value_kind": "reported",
        "source_id": "bc-sct-2021",
    }
    rows = [
        {**base, "area_code": son_tay, "value": 9, "quote": "Sơn Tây có 9 chợ (SYNTHETIC)"},
        {**base, "area_code": province, "value": 130, "quote": "Toàn tỉnh có 130 chợ (SYNTHETIC)"},
        {**base, "area_code": "535", "value": 12.5, "quote": "Ba Tơ có 12,5 chợ (SYNTHETIC)"},
    ]
    fill(wb["observations"], rows)
    p = importer.check_bytes("mau-observations.xlsx", xlsx_bytes(wb), data_copy)
    assert p.ok, p.messages("en")
    assert p.table == "observations" and p.sheet == "observations"
    assert p.example_lines == [2] and not p.changed
    assert [(a.line, a.values["area_code"], a.values["value"]) for a in p.added] == [
        (3, "530", "9"),
        (4, "51", "130"),
        (5, "535", "12.5"),
    ]
    lines = importer.describe(p, "vi")
    assert "Dòng 2 là dòng ví dụ của mẫu, để nguyên: không được nhập." in lines
    assert "Line 2 is the template's example row" in " ".join(importer.describe(p, "en"))
    assert p.apply().added == 3
    after = csv_rows(data_copy / "observations.csv")
    # the rows as they were, with the column the bundled file leaves out (status) at its default
    assert after[: len(before)] == [{**r, "status": "official"} for r in before] and len(after) == len(before) + 3
    assert list(after[0]) == db.schemas()["observations"].column_names  # in the schema's order
    assert [(r["area_code"], r["quote"]) for r in after[len(before) :]] == [
        ("530", "Sơn Tây có 9 chợ (SYNTHETIC)"),
        ("51", "Toàn tỉnh có 130 chợ (SYNTHETIC)"),
        ("535", "Ba Tơ có 12,5 chợ (SYNTHETIC)"),
    ]
    assert not any(r["quote"].startswith("Ví dụ") for r in after)
    assert not store_of(data_copy).problems


@pytest.mark.parametrize("table", db.IMPORTED)
def test_every_template_filled_in_imports_through_check_file(data_copy, tmp_path, table):
    wb = workbook(table, data_copy)
    fill(wb[table], [planner_row(table, data_copy)])
    path = tmp_path / f"{table} đã điền.xlsx"
    path.write_bytes(xlsx_bytes(wb))
    p = importer.check_file(path, data_copy)
    assert p.ok, p.messages("en")
    assert p.table == table and p.example_lines == [2]
    assert [a.line for a in p.added] == [3] and not p.changed and p.unchanged == 0
    example, types = template_mark.current_example(table), dict(db.schemas()[table].columns)
    for col, value in p.added[0].values.items():  # as the example says; district choices as codes
        if not example[col].startswith(template_mark.EXAMPLE_WORDS):
            assert importer.staging.typed(types[col], value) == importer.staging.typed(types[col], example[col]), col


def test_a_template_left_as_it_is_adds_nothing(data_copy):
    p = importer.check_bytes("mau.xlsx", templates.build("observations", store_of(data_copy)), data_copy)
    assert [x.code for x in p.problems] == ["no_rows"] and p.example_lines == [2]


def test_wrong_drop_down_values_typed_by_hand_are_refused_naming_line_and_column(data_copy):
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    wb = workbook("observations", data_copy)
    row = {
        "indicator_id": "markets",
        "area_code": "Ba Tơ — 535",
        "year_from": 2021,
        "year_to": 2021,
        "category": "total",
        "value": 3,
        "value_kind": "reported",
        "source_id": "bc-sct-2021",
        "quote": "SYNTHETIC",
    }
    fill(
        wb["observations"],
        [
            {**row, "value_kind": "reportd"},
            {**row, "area_code": "Ba Tơ — 529", "year_from": 2022, "year_to": 2022},
            {**row, "indicator_id": "supermarket"},
            {**row, "area_code": "Ba Tơ — 999", "year_from": 2023, "year_to": 2023},
            {**row, "area_code": "Ba To - 535", "year_from": 2024, "year_to": 2024},  # typed: no diacritics, hyphen
        ],
    )
    p = importer.check_bytes("sai.xlsx", xlsx_bytes(wb), data_copy)
    assert [(x.line, x.column, x.code) for x in p.problems] == [
        (3, "value_kind", "check_failed"),
        (4, "area_code", "area_choice_mismatch"),
        (5, "indicator_id", "unknown_reference"),
        (6, "area_code", "area_choice_unknown"),
    ]
    vi, en = p.messages("vi"), p.messages("en")
    assert vi[1].startswith("Tệp sai.xlsx, dòng 4, cột area_code: “Ba Tơ — 529”")
    assert "mã 529 là Sơn Hà" in vi[1] and "“535 (Ba Tơ)”" in vi[1]
    assert en[3].startswith("File sai.xlsx, line 6, column area_code:") and "no area with code 999" in en[3]
    assert "reported" in vi[0] and "dòng 3, cột value_kind" in vi[0]
    with pytest.raises(importer.ImportRefused):
        p.apply()
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before


def test_an_edited_example_is_refused_not_imported(data_copy):
    wb = workbook("observations", data_copy)
    ws = wb["observations"]
    ws.cell(template_mark.EXAMPLE_ROW, header(ws).index("value") + 1, 14)  # the example's value changed
    copied = {h: c.value for h, c in zip(header(ws), ws[template_mark.EXAMPLE_ROW], strict=False)}
    fill(ws, [{**copied, "area_code": "530", "value": 9}])  # a copy of it, for another district
    p = importer.check_bytes("mau.xlsx", xlsx_bytes(wb), data_copy)
    assert [(x.line, x.column, x.code) for x in p.problems] == [
        (2, "quote", "example_edited"),
        (3, "quote", "example_edited"),
    ]
    assert "Ví dụ: Đến cuối năm 2021" in p.messages("vi")[0]


def test_the_example_is_known_without_the_mark_and_in_csv(data_copy):
    """The data sheet copied to a workbook of its own, or saved as CSV, still skips the example;
    the guide and lists sheets never pass for data, even without the mark that names them."""
    wb = workbook("market_facilities", data_copy)
    fill(wb["market_facilities"], [planner_row("market_facilities", data_copy)])
    del wb[template_mark.MARK_SHEET]
    p = importer.check_bytes("mau.xlsx", xlsx_bytes(wb), data_copy)
    assert p.ok and p.sheet == "market_facilities" and p.example_lines == [2], p.messages("en")
    assert [a.values["district_code"] for a in p.added] == ["535"]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in wb["market_facilities"].iter_rows(values_only=True):
        writer.writerow(["" if v is None else v for v in row])
    p = importer.check_bytes("mau.csv", out.getvalue().encode("utf-8"), data_copy)
    assert p.ok and p.example_lines == [2] and [a.line for a in p.added] == [3], p.messages("en")


def test_a_bare_name_still_gets_the_suggestion_and_a_bare_code_passes(data_copy):
    wb = workbook("electrified_communes", data_copy)
    row = planner_row("electrified_communes", data_copy)
    fill(
        wb["electrified_communes"],
        [{**row, "district_code": "Ba Tơ"}, {**row, "commune_code": "21502", "district_code": 535}],
    )
    p = importer.check_bytes("xa.xlsx", xlsx_bytes(wb), data_copy)
    assert [(x.line, x.column, x.code, x.args.get("suggestion")) for x in p.problems] == [
        (3, "district_code", "unknown_reference", "535 (Ba Tơ)")
    ]


# -- the command line and the data page --------------------------------------------------------


def test_command_line_writes_a_template_and_names_the_extracts(data_copy, tmp_path, capsys):
    out = tmp_path / "mau" / "obs.xlsx"
    assert templates.main(["observations", "--out", str(out)]) == 0
    assert header(openpyxl.load_workbook(out)["observations"])[0] == "indicator_id"
    assert str(out) in capsys.readouterr().out
    assert templates.main(["observation", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "There is no extract “observation”" in err and ", ".join(db.IMPORTED) in err
    assert templates.main([]) == 2 and "make template TABLE=" in capsys.readouterr().err


def test_data_page_offers_a_template_per_extract(data_copy):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page(site.page("data").script)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    keys = {el.key for el in at.get("download_button")}
    assert {f"template_{t}" for t in db.IMPORTED} <= keys


def test_the_upload_form_says_the_example_row_is_skipped(data_copy):
    def app():
        from sctdash.app.import_ui import render_import

        render_import("vi")

    at = AppTest.from_function(app, default_timeout=60)
    at.secrets["editors"] = {"lan": signin.hash_password("pw", iterations=1000)}
    signin.start_session(at.session_state, "lan")
    at.run()
    wb = workbook("observations", data_copy)
    fill(wb["observations"], [planner_row("observations", data_copy)])
    upload = ("mau-observations.xlsx", xlsx_bytes(wb), templates.MIME)
    at.file_uploader(key="import_file_0").set_value(upload).run()
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == ["Dòng 2 là dòng ví dụ của mẫu, để nguyên: không được nhập."]
    (added,) = [df.value for df in at.dataframe]
    assert list(added["Dòng"]) == ["3"] and list(added["area_code"]) == ["535"]


# -- LibreOffice -------------------------------------------------------------------------------


def soffice(tmp_path, src, fmt: str):
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(tmp_path / fmt.split(":")[0]),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return tmp_path / fmt.split(":")[0] / f"{src.stem}.{fmt.split(':')[0]}"


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="no LibreOffice (make system-test)")
def test_a_template_saved_again_by_libreoffice_still_imports(data_copy, tmp_path):
    wb = workbook("observations", data_copy)
    fill(wb["observations"], [planner_row("observations", data_copy)])
    src = tmp_path / "filled.xlsx"
    src.write_bytes(xlsx_bytes(wb))
    pdf = soffice(tmp_path, src, "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    for resaved in (soffice(tmp_path, src, "xlsx"), soffice(tmp_path, src, "csv:Text - txt - csv (StarCalc):44,34,76")):
        p = importer.check_file(resaved, data_copy)
        assert p.ok, (resaved.name, p.messages("en"))
        assert p.example_lines == [2] and [a.line for a in p.added] == [3], resaved.name
