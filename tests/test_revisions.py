"""Revisions of figures (issue 20), the data side: the `revisions` table read from the change log
and queries/revisions_in_view.sql, on the SYNTHETIC fixture tests/fixtures/targets, whose last
import (observations-revised.csv) corrects the province's 2026 markets from 236 (estimate) to
240 (official) and makes the preliminary 2025 share official at the same value.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from sctdash.editing import changelog, importer
from sctdash.store import db, logfile, revisions
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
    assert r.seq == last["seq"] and pd.Timestamp(r.revised_on).date() == revisions.day_of(last["at"])
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
    found = revisions.from_entries([{**entry, "rows": {"changed": [changed]}}])
    assert [(r["variant"], r["figure_type"], r["revised_on"]) for r in found] == [("", "result", date(2027, 3, 15))]
    removed = {**entry, "seq": 2, "rows": {"removed": [{"key": key}]}}
    assert revisions.from_entries([{**entry, "rows": {"changed": [changed]}}, removed]) == []
    refused = {**entry, "result": "refused", "rows": {"changed": [changed]}}
    assert revisions.from_entries([refused]) == []


def test_the_day_is_the_departments(targets_data):
    assert revisions.day_of("2027-03-14T20:30:00+00:00") == date(2027, 3, 15)  # 03:30 in Quảng Ngãi


def test_an_entry_edited_by_hand_is_not_believed(targets_copy):
    path = logfile.log_path(targets_copy)
    lines = path.read_bytes().splitlines()
    entry = json.loads(lines[-1])
    entry["rows"]["changed"][0]["old"]["value"] = "100"  # without rehashing
    path.write_bytes(b"\n".join([*lines[:-1], json.dumps(entry).encode()]) + b"\n")
    assert revisions.read(targets_copy) == []


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
