"""Revisions of figures (issue 20), the data side: the `revisions` table read from the change log
and queries/revisions_in_view.sql, on the SYNTHETIC fixture tests/fixtures/targets, whose last
import (observations-revised.csv) corrects the province's 2026 markets from 236 (estimate) to
240 (official) and makes the preliminary 2025 share official at the same value.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from sctdash.drawing import figures
from sctdash.editing import changelog, importer
from sctdash.exhibits import district_map, pipeline, revisions
from sctdash.exports import export, sheets, slides
from sctdash.store import db, logfile
from sctdash.store import revisions as stored
from tests import helpers
from tests.test_targets import check, csv_text, fixture_rows

EVERYTHING = {"districts": [], "year_from": 2000, "year_to": 2100}


def in_view(store: db.Store, **params) -> pd.DataFrame:
    return store.query("revisions_in_view", **{**EVERYTHING, **params})


def entries(data_dir) -> list[dict]:
    return changelog.verify(data_dir).entries


def markets_2026(value: str) -> str:
    row = fixture_rows("observations-revised")[0]
    assert (row["indicator_id"], row["area_code"], row["year_to"]) == ("markets", "51", "2026")
    return csv_text([{**row, "value": value}])


def test_the_revised_figure_with_its_day_and_previous_value(targets_store, targets_data):
    rows = in_view(targets_store)
    assert len(rows) == 1  # the share made official at the same value is not a revision
    r = rows.iloc[0]
    key = (r.indicator_id, r.area_code, r.year_from, r.year_to, r.category, r.variant, r.figure_type)
    assert key == ("markets", "51", 2026, 2026, "total", "", "result")
    assert (r.previous_value, r.value, r.value_now) == (236, 240, 240)
    assert (r.previous_status, r.status, r.action) == ("estimate", "official", "import")
    assert r.file_name == "observations-revised.csv" and r.via == "command line"
    last = entries(targets_data)[-1]
    assert r.seq == last["seq"] and pd.Timestamp(r.revised_on).date() == stored.day_of(last["at"])
    assert bool(r.latest) and bool(r.shown)


def test_the_view_follows_the_filters(targets_store):
    assert in_view(targets_store, year_from=2021, year_to=2025).empty  # 2026 out of view
    assert len(in_view(targets_store, districts=["535"])) == 1  # the province stays in view


def test_no_log_no_revisions(store):
    assert in_view(store).empty
    assert store.con.execute("select count(*) from revisions").fetchone() == (0,)


def test_a_second_revision_keeps_both_and_the_latest_says_the_value_just_before(targets_copy):
    p = check(markets_2026("242"), targets_copy)
    assert p.ok, p.messages()
    p.apply()
    rows = in_view(db.Store(targets_copy, targets_copy.parent / "cache"))
    assert list(zip(rows.previous_value, rows.value, rows.latest, rows.shown, strict=True)) == [
        (240, 242, True, True),  # newest first
        (236, 240, False, False),
    ]


def test_a_restore_that_changes_a_value_is_a_revision(targets_copy):
    importer.restore("observations", data_dir=targets_copy)  # the version before the revised file
    rows = in_view(db.Store(targets_copy, targets_copy.parent / "cache"))
    newest = rows.iloc[0]
    assert (newest.action, newest.previous_value, newest.value, newest.value_now) == ("restore", 240, 236, 236)
    assert (newest.previous_status, newest.status) == ("official", "estimate")
    assert bool(newest.shown) and not bool(rows.iloc[1].shown)


def test_a_removed_figure_takes_its_revisions_with_it():
    at = "2027-03-15T09:00:00+07:00"
    key = {"indicator_id": "m", "area_code": "51", "year_from": "2026", "year_to": "2026", "category": "total"}
    changed = {"key": key, "old": {"value": "1"}, "new": {"value": "2"}}
    entry = {"seq": 1, "at": at, "table": "observations", "result": "applied", "action": "import"}
    found = stored.from_entries([{**entry, "rows": {"changed": [changed]}}])
    assert [(r["variant"], r["figure_type"], r["revised_on"]) for r in found] == [("", "result", date(2027, 3, 15))]
    removed = {**entry, "seq": 2, "rows": {"removed": [{"key": key}]}}
    assert stored.from_entries([{**entry, "rows": {"changed": [changed]}}, removed]) == []
    refused = {**entry, "result": "refused", "rows": {"changed": [changed]}}
    assert stored.from_entries([refused]) == []


def test_the_day_is_the_departments(targets_data):
    assert stored.day_of("2027-03-14T20:30:00+00:00") == date(2027, 3, 15)  # 03:30 in Quảng Ngãi


def test_an_entry_edited_by_hand_is_not_believed(targets_copy):
    path = logfile.log_path(targets_copy)
    lines = path.read_bytes().splitlines()
    entry = json.loads(lines[-1])
    entry["rows"]["changed"][0]["old"]["value"] = "100"  # without rehashing
    path.write_bytes(b"\n".join([*lines[:-1], json.dumps(entry).encode()]) + b"\n")
    assert stored.read(targets_copy) == []


def test_the_store_is_rebuilt_when_the_log_changes_but_an_import_only_minds_the_extracts(targets_copy):
    before, extracts = db.fingerprint(targets_copy), db.fingerprint(targets_copy, log=False)
    pending = check(markets_2026("245"), targets_copy)
    refused = check("indicator_id\nnope\n", targets_copy)  # another file refused meanwhile, and logged
    assert not refused.ok
    importer.log_refused(refused)
    assert db.fingerprint(targets_copy) != before and db.fingerprint(targets_copy, log=False) == extracts
    pending.apply()  # still as at its check
    rows = in_view(db.Store(targets_copy, targets_copy.parent / "cache"))
    assert rows.iloc[0].value == 245


# -- where a revised figure appears ---------------------------------------------------------------

BA_TO = ["535"]  # with a district chosen the market page's chart of markets draws the province's line


def revised_day(data_dir) -> str:
    return stored.day_of(entries(data_dir)[-1]["at"]).strftime("%d/%m/%Y")


def markets_chart(store, lang: str = "vi", districts=BA_TO):
    return helpers.page(store, "market", districts, lang=lang).exhibit("more.markets")


def hovers(ex) -> list[str]:
    return [p.hover for panel in ex.panels for s in panel.series for p in s.points if p.hover]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("vi", "đã sửa {day}, trước đó 236 (ước tính)"), ("en", "revised {day}, previously 236 (estimate)")],
)
def test_a_revised_point_says_so_in_its_hover(targets_store, targets_data, lang, words):
    said = words.format(day=revised_day(targets_data))
    ex = markets_chart(targets_store, lang)
    revised = [h for h in hovers(ex) if said in h]
    assert len(revised) == 1 and ": 240" in revised[0] and revised[0].endswith(f"<br>{said}"), revised  # its own line
    assert sum("236" in h for h in hovers(ex)) == 1  # no other point speaks of it
    drawn = figures.figure(ex, figures.SCREEN)  # on screen, as drawn
    assert any(said in str(h) for tr in drawn.data for h in (getattr(tr, "hovertext", None) or ()))
    # the slide and the image carry no hover: their footnote says it
    assert any(said in line for line in slides.chart_footnote(ex, "stamp"))


def test_the_tile_says_so(targets_store, targets_data):
    f = helpers.filters(targets_store)
    for lang, said in (("vi", "đã sửa {day}, trước đó 236 (ước tính)"), ("en", "revised {day}, previously 236")):
        tile = next(t for t in pipeline.page_tiles(targets_store.query, "market", f, lang) if t.value == "240")
        assert said.format(day=revised_day(targets_data)) in tile.caption, tile.caption
    ba_to = pipeline.page_tiles(targets_store.query, "market", f.with_districts(BA_TO), "vi")
    assert not any("đã sửa" in t.caption for t in ba_to)  # Ba Tơ's own figures were not revised


def test_csv_and_xlsx_have_the_revised_day_and_previous_value(targets_store, targets_data):
    ex = markets_chart(targets_store)
    rows = list(csv.DictReader(io.StringIO(sheets.csv_bytes(ex.rows).decode("utf-8-sig"))))
    assert {"revised_on", "previous_value", "previous_status"} <= set(rows[0])
    revised = [r for r in rows if r["revised_on"]]
    assert [(r["area_code"], r["year_to"], r["value"], r["previous_value"], r["previous_status"]) for r in revised] == [
        ("51", "2026", "240.0", "236.0", "estimate")
    ]
    assert revised[0]["revised_on"] == revised_day(targets_data)
    ws = load_workbook(io.BytesIO(export.xlsx(ex))).active
    header = [c.value for c in ws[sheets.XLSX_HEADER_ROW]]
    body = list(ws.iter_rows(min_row=sheets.XLSX_HEADER_ROW + 1, values_only=True))
    cells = [(r[header.index("revised_on")], r[header.index("previous_value")]) for r in body]
    assert (revised_day(targets_data), 236) in cells


def test_with_no_log_nothing_is_added(store):
    for page in ("market", "industry", "staffing"):
        view = helpers.page(store, page)
        for ex in view.exhibits():
            assert not set(revisions.COLUMNS) & set(ex.rows.columns), ex.id
            assert not any("đã sửa" in h for h in hovers(ex)) and not any("đã sửa" in x for x in ex.footnotes)
    assert pipeline.setting_for(store.query, helpers.filters(store), "vi").revisions == {}


def page_tables(at) -> list[list[list[str]]]:
    from tests.test_pages import text_tables

    return text_tables(at)


def test_the_data_page_lists_the_revisions_in_view(targets_copy):
    from tests.test_pages import open_page

    day = revised_day(targets_copy)
    at = open_page("data")
    assert "Số liệu đã sửa" in [h.value for h in at.header]
    table = next(rows for rows in page_tables(at) if rows[0][0] == "Ngày sửa")
    assert table == [
        ["Ngày sửa", "Chỉ tiêu", "Địa bàn", "Kỳ", "Trước → sau", "Người nhập", "Mục nhật ký"],
        [day, "Chợ", "Toàn tỉnh", "2026", "236 (ước tính) → 240", table[1][5], "nhập tệp, mục #4"],
    ]
    assert table[1][5].startswith("dòng lệnh (")  # imported by the command line's user
    importer.restore("observations", data_dir=targets_copy)
    at = open_page("data", "en")
    table = next(rows for rows in page_tables(at) if rows[0][0] == "Revised on")
    assert [r[4] for r in table[1:]] == ["240 → 236 (estimate)", "236 (estimate) → 240"]  # newest first
    assert [r[6] for r in table[1:]] == ["restore, entry #5", "import, entry #4"]
    at = open_page("data", query={"years": "2021-2025"})
    assert not any(rows[0][0] == "Ngày sửa" for rows in page_tables(at))
    assert any("Không có số liệu nào trong phạm vi đang lọc bị sửa" in i.value for i in at.info)


def test_a_revised_communes_value_says_so_on_its_map_tile_and_its_bar(targets_copy):
    row = next(
        r for r in fixture_rows() if (r["indicator_id"], r["area_code"], r["year_to"]) == ("markets", "21484", "2026")
    )
    p = check(csv_text([{**row, "value": "6", "status": "official"}]), targets_copy)
    assert p.ok, p.messages()
    p.apply()
    store = db.Store(targets_copy, targets_copy.parent / "cache")
    said = f"đã sửa {revised_day(targets_copy)}, trước đó 5 (ước tính)"
    f = helpers.filters(store)
    spec = next(m for m in district_map.indicator_maps(store.query, f) if m["indicator"] == "markets")
    tiles = helpers.views(store).map(spec).tiles
    assert [t.code for t in tiles if said in t.hover] == ["21484"]
    ex = markets_chart(store, districts=())  # the communes ranked in 2026
    revised = [h for h in hovers(ex) if said in h]
    assert len(revised) == 1 and revised[0].startswith("Chợ · xã Ba Tơ: 6 · ") and revised[0].endswith(said)


def test_a_database_file_built_before_the_log_entry_is_built_again_after_it(targets_copy, tmp_path):
    """An import writes its extract, then its log entry: a database file built in between holds
    the new value without its revision, and must not serve once the entry is there."""
    from sctdash.store import persist

    log = logfile.log_path(targets_copy)
    kept = log.with_name("kept.jsonl")
    log.rename(kept)  # the extract as imported, the entry not yet written
    early = persist.open_store(targets_copy, tmp_path / "db", cache_dir=tmp_path / "cache")
    assert early.query("revisions_in_view", **EVERYTHING).empty
    kept.rename(log)
    later = persist.open_store(targets_copy, tmp_path / "db", cache_dir=tmp_path / "cache")
    assert later.fingerprint != early.fingerprint
    assert list(later.query("revisions_in_view", **EVERYTHING).previous_value) == [236]


def test_a_figure_said_in_words_says_so_too(targets_store, targets_data):
    f = helpers.filters(targets_store)
    setting = pipeline.setting_for(targets_store.query, f, "vi")
    rows = targets_store.query("topic_rows", topics=["market"], **f.params())
    row = next(
        r
        for r in rows.to_dict("records")
        if (r["indicator_id"], r["area_code"], r["year_to"]) == ("markets", "51", 2026)
    )
    line = pipeline._figure_line(row, setting)
    assert line.text.endswith(f"· đã sửa {revised_day(targets_data)}, trước đó 236 (ước tính)"), line.text
