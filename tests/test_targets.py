"""Targets, estimates and revisions, the data side (issue 20), on the SYNTHETIC fixture
tests/fixtures/targets (conftest: targets_data, targets_store, targets_copy): a result and its
target are two rows, `status` and `direction` are imported and offered by the templates, bad
input is refused naming file, line, column and value in both languages with nothing written.
"""

from __future__ import annotations

import csv
import io

import pytest

from sctdash.editing import importer
from sctdash.store import db
from tests.conftest import TARGETS

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
