"""Targets, estimates and revisions, the data side (issue 20), on the SYNTHETIC fixture
tests/fixtures/targets (conftest: targets_data, targets_store, targets_copy): a result and its
target are two rows, `status` and `direction` are imported and offered by the templates, bad
input is refused naming file, line, column and value in both languages with nothing written.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from sctdash.core import i18n
from sctdash.editing import importer, templates
from sctdash.store import db
from tests.conftest import DATA, TARGETS

KEY = db.schemas()["observations"].primary_key


def fixture_rows(name: str = "observations") -> list[dict]:
    with (TARGETS / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def csv_text(rows: list[dict], header: list[str] | None = None) -> str:
    header = header or list(rows[0])
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, header, restval="", extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def check(text: str, data_dir, name: str = "ke-hoach.csv") -> importer.Preview:
    return importer.check_bytes(name, text.encode("utf-8"), data_dir)


def snapshot(data_dir) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data_dir.glob("*.csv"))}


def refused_whole(preview: importer.Preview, data_dir) -> None:
    """Nothing changes: apply refuses, every extract keeps its bytes."""
    before = snapshot(data_dir)
    with pytest.raises(importer.ImportRefused):
        preview.apply()
    assert snapshot(data_dir) == before


def said(preview: importer.Preview, code: str) -> list[tuple]:
    return [(p.file, p.line, p.column, p.value) for p in preview.problems if p.code == code]


# -- the fixture, as imported ---------------------------------------------------------------------


def test_the_fixture_is_synthetic_and_says_so():
    for name in ("observations", "observations-revised", "indicators", "sources"):
        rows = fixture_rows(name)
        assert rows
        for r in rows:
            assert "SYNTHETIC" in (r.get("quote") or r.get("name_en") or r.get("title")), (name, r)


def test_results_targets_and_estimates_load_as_rows_of_their_own(targets_store):
    rows = targets_store.query("quotes_for_indicator", indicator="markets", districts=[]).query("year_to >= 2021")
    province = {(r.year_to, r.figure_type): r.value for r in rows.itertuples() if r.area_code == "51"}
    # a result and the target of the same indicator, area and year: two rows, the key apart from figure_type
    assert province[(2024, "result")] == 151 and province[(2024, "target")] == 152
    assert province[(2026, "result")] == 240  # the estimate 236, revised by the second file
    facts = targets_store.con.execute(
        "select figure_type, status, direction, count(*) from facts_all "
        "where source_id like 'synthetic-targets-%' group by all order by all"
    ).fetchall()
    assert facts == [
        ("result", "estimate", "down", 3),  # 2026's estimates, the province's markets revised to official
        ("result", "estimate", "up", 2),
        ("result", "official", "down", 15),  # the preliminary 2025 share made official by the revision
        ("result", "official", "up", 16),
        ("target", "official", "down", 4),
        ("target", "official", "up", 8),  # the period target among them
    ]
    charted = targets_store.con.execute("select count(*) from facts where figure_type = 'target'").fetchone()
    assert charted == (0,)  # charts read results only; a target reaches them by the lead's own way


def test_the_period_target_and_both_directions(targets_store):
    period = targets_store.con.execute(
        "select year_from, year_to, value, direction, unit_id from facts_all "
        "where indicator_id = 'markets_growth_avg' and figure_type = 'target'"
    ).fetchall()
    assert period == [(2021, 2025, 3.0, "up", "51@2025-07-01")]  # across the merger: the merged province's code
    directions = dict(targets_store.con.execute("select indicator_id, direction from indicators").fetchall())
    assert directions["markets"] == "up" and directions["late_dossiers_pct"] == "down"
    assert all(directions.values()), [k for k, v in directions.items() if not v]


def test_every_extract_the_importer_wrote_keeps_the_schemas_columns(targets_data):
    """sources, indicators and observations were written by the importer: each in the columns
    of queries/_schema.sql, in its order, every cell of a column with a default filled."""
    for table in ("sources", "indicators", "observations"):
        with (targets_data / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
        assert reader.fieldnames == db.schemas()[table].column_names, table
    assert {r["status"] for r in rows} == {"official", "estimate"}  # the bundled rows too: official
    assert {r["figure_type"] for r in rows} == {"result", "target"}


# -- imports and templates ------------------------------------------------------------------------


def test_a_target_beside_its_result_is_added_and_changed_on_its_own(targets_copy):
    """The key holds figure_type: a new target beside an existing result is an addition, and a
    file changing a target's value changes that row only."""
    result = next(r for r in fixture_rows() if r["indicator_id"] == "markets" and r["area_code"] == "529")
    assert result["year_to"] == "2021" and result["figure_type"] == "result"
    target = {**result, "figure_type": "target", "value": "13", "status": ""}
    p = check(csv_text([target]), targets_copy)
    assert p.ok, p.messages("en")
    assert [(a.values["figure_type"], a.values["status"]) for a in p.added] == [("target", "official")]
    p.apply()
    p = check(csv_text([{**target, "value": "15"}]), targets_copy)
    assert (
        p.ok
        and not p.added
        and [(c.key["figure_type"], c.old, c.new) for c in p.changed] == [("target", {"value": "13"}, {"value": "15"})]
    )
    assert list(p.changed[0].key) == KEY


def test_status_may_be_left_out_and_is_official(targets_copy):
    row = {**fixture_rows()[0], "year_from": "2027", "year_to": "2027", "value": "7.0"}
    header = [c for c in row if c != "status"]
    assert "figure_type" in header and "status" not in header
    p = check(csv_text([row], header), targets_copy)
    assert p.ok, p.messages("en")
    assert p.added[0].values["status"] == "official"


def status_words(wb, column: str) -> list[tuple[str, str]]:
    """The values a template's drop-down offers in `column`, with the words beside them on the
    lists sheet."""
    ws = wb[wb.sheetnames[0]]
    letter = openpyxl.utils.get_column_letter([c.value for c in ws[1]].index(column) + 1)
    (dv,) = [dv for dv in ws.data_validations.dataValidation if f"{letter}3" in dv.sqref]
    assert dv.type == "list" and dv.errorStyle == "stop"
    sheet, first, last = re.fullmatch(r"'?(.+?)'?!\$A\$(\d+):\$A\$(\d+)", dv.formula1).groups()
    lists = wb[sheet]
    return [(lists[f"A{r}"].value, lists[f"B{r}"].value) for r in range(int(first), int(last) + 1)]


def test_templates_offer_status_and_direction_with_their_words(targets_copy):
    store = db.Store(targets_copy, targets_copy.parent / "cache")
    wb = openpyxl.load_workbook(io.BytesIO(templates.build("observations", store)))
    assert status_words(wb, "status") == [
        ("official", "chính thức / official"),
        ("preliminary", "sơ bộ / preliminary"),
        ("estimate", "ước tính / estimate"),
    ]
    assert ("target", "mục tiêu, kế hoạch: không phải kết quả / target or plan: not a result") in status_words(
        wb, "figure_type"
    )
    wb = openpyxl.load_workbook(io.BytesIO(templates.build("indicators", store)))
    assert status_words(wb, "direction") == [
        ("up", "càng cao càng tốt / more is better"),
        ("down", "càng thấp càng tốt / less is better"),
    ]
    guide = " ".join(str(c.value) for row in wb[templates.sheet_names()[0]].iter_rows() for c in row if c.value)
    assert "càng thấp càng tốt" in guide and "less is better" in guide


# -- bad input: a clear error, and nothing changes ----------------------------------------------------


def test_a_status_word_not_one_of_the_three_is_refused_with_a_suggestion(targets_copy):
    base = {**fixture_rows()[0], "year_from": "2027", "year_to": "2027"}
    typed = ["ước tính", "Sơ bộ", "chinh thuc", "Uoc dat", "prelim", "tạm"]
    rows = [
        {**base, "area_code": code, "status": word}
        for code, word in zip(("51", "522", "524", "527", "528", "529"), typed)
    ]
    p = check(csv_text(rows), targets_copy)
    bad = {(x.line, x.column, x.value): x.args.get("suggestion") for x in p.problems if x.code == "check_failed"}
    assert bad == {
        (2, "status", "ước tính"): "estimate",
        (3, "status", "Sơ bộ"): "preliminary",
        (4, "status", "chinh thuc"): "official",
        (5, "status", "Uoc dat"): "estimate",  # ước đạt, the reports' other word for an estimate
        (6, "status", "prelim"): "preliminary",
        (7, "status", "tạm"): None,  # nothing close: no guess
    }, p.messages("en")
    vi, en = (next(m for m in p.messages(lang) if "ước tính" in m) for lang in ("vi", "en"))
    assert vi.startswith("Tệp ke-hoach.csv, dòng 2, cột status: giá trị “ước tính” không hợp lệ")
    assert vi.endswith("Có phải là “estimate”?")
    assert en.startswith("File ke-hoach.csv, line 2, column status:") and en.endswith("Did you mean “estimate”?")
    refused_whole(p, targets_copy)


def test_a_target_row_with_the_status_of_a_result_is_refused(targets_copy):
    """A target is a plan: estimate and preliminary say how final a result is. A target row that
    says it is an estimated (or preliminary) figure claims to be a result."""
    target = next(r for r in fixture_rows() if r["figure_type"] == "target" and r["area_code"] == "51")
    rows = [
        {**target, "year_from": "2027", "year_to": "2027", "status": "estimate"},
        {**target, "year_from": "2028", "year_to": "2028", "status": "preliminary"},
        {**target, "year_from": "2029", "year_to": "2029", "status": "official"},  # fine
        {**target, "year_from": "2030", "year_to": "2030", "status": ""},  # fine: official
        {**target, "year_from": "2027", "year_to": "2027", "figure_type": "result", "status": "estimate"},  # fine
    ]
    p = check(csv_text(rows), targets_copy)
    assert said(p, "target_with_status") == [
        ("ke-hoach.csv", 2, "status", "estimate"),
        ("ke-hoach.csv", 3, "status", "preliminary"),
    ]
    assert len(p.problems) == 2, p.messages("en")
    vi, en = p.messages("vi")[0], p.messages("en")[0]
    assert vi.startswith("Tệp ke-hoach.csv, dòng 2, cột status: dòng này là mục tiêu (figure_type = target)")
    assert "“estimate”" in vi and "ghi figure_type = result" in vi
    assert (
        en.startswith("File ke-hoach.csv, line 2, column status: this row is a target") and "figure_type = result" in en
    )
    refused_whole(p, targets_copy)
    # the rows that are fine, alone, are taken
    assert check(csv_text(rows[2:]), targets_copy).ok


def test_a_target_of_an_indicator_without_direction_is_refused(targets_copy):
    indicator = {
        "indicator_id": "synthetic_fairs",
        "topic": "market",
        "name_vi": "Hội chợ (SYNTHETIC)",
        "name_en": "Fairs (SYNTHETIC)",
        "unit": "count",
        "decimals": "0",
        "min_value": "0",
        "max_value": "",
        "direction": "",
    }
    p = check(csv_text([indicator]), targets_copy, "chi-tieu.csv")
    assert p.ok, p.messages("en")  # an indicator without targets may leave its direction empty
    p.apply()
    result = {**fixture_rows()[0], "indicator_id": "synthetic_fairs", "year_from": "2027", "year_to": "2027"}
    rows = [result, {**result, "figure_type": "target", "value": "9"}]
    p = check(csv_text(rows), targets_copy)
    assert said(p, "target_without_direction") == [("ke-hoach.csv", 3, "indicator_id", "synthetic_fairs")]
    assert len(p.problems) == 1, p.messages("en")
    vi, en = p.messages("vi")[0], p.messages("en")[0]
    assert vi.startswith("Tệp ke-hoach.csv, dòng 3, cột indicator_id: chỉ tiêu “synthetic_fairs” chưa ghi chiều tốt")
    assert en.startswith("File ke-hoach.csv, line 3, column indicator_id: indicator “synthetic_fairs” does not say")
    refused_whole(p, targets_copy)
    assert check(csv_text(rows[:1]), targets_copy).ok  # its result alone is taken


def test_a_direction_taken_from_an_indicator_with_targets_is_refused(targets_copy):
    """late_dossiers_pct has targets: an indicators file that empties its direction is refused on
    its own line; one that leaves the column out keeps the direction as it is."""
    rows = fixture_rows("indicators")
    p = check(csv_text([{**rows[0], "direction": ""}]), targets_copy, "chi-tieu.csv")
    assert said(p, "direction_needed") == [("chi-tieu.csv", 2, "direction", None)]
    assert "có 4 mục tiêu trong observations.csv" in p.messages("vi")[0]
    assert "has 4 target(s)" in p.messages("en")[0]
    refused_whole(p, targets_copy)
    header = [c for c in rows[0] if c != "direction"]
    p = check(csv_text([{**rows[0], "name_en": "Late dossiers (SYNTHETIC)"}], header), targets_copy, "chi-tieu.csv")
    assert p.ok and [c.new for c in p.changed] == [{"name_en": "Late dossiers (SYNTHETIC)"}]


def test_an_extract_edited_by_hand_with_such_a_target_is_refused_at_load(targets_copy, tmp_path):
    """The same rules hold where the dashboard loads the extracts (validate.rules_hold): with an
    indicator's direction emptied by hand, observations.csv is refused at load, each target of it
    named (the data page lists them)."""
    good = db.Store(targets_copy, tmp_path / "cache")
    assert not good.problems
    path = targets_copy / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",pct,1,0,100,down", ",pct,1,0,100,"), encoding="utf-8")
    loaded = db.Store(targets_copy, tmp_path / "cache")
    found = [(p.line, p.column, p.value, p.code) for p in loaded.problems["observations"]]
    assert len(found) == 4 and {f[1:] for f in found} == {
        ("indicator_id", "late_dossiers_pct", "target_without_direction")
    }
    assert i18n.problem_message(loaded.problems["observations"][0], "en").startswith("File observations.csv, line ")


def test_the_bundled_data_keeps_every_rule(store):
    """Every bundled indicator has a direction, and no bundled target says estimate."""
    assert not store.problems
    bad = store.con.execute(
        "select count(*) from facts_all where figure_type = 'target' and (status <> 'official' or direction is null)"
    ).fetchone()
    assert bad == (0,)
    assert (DATA / "indicators.csv").read_text(encoding="utf-8").splitlines()[0].endswith(",direction")
