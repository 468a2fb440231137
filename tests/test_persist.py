"""The extracts' database shared by several server processes (`make serve`): one build per
version, and a Store always filed under the version it holds."""

from __future__ import annotations

import csv
import io
import threading
from types import SimpleNamespace

from sctdash.app import links
from sctdash.editing import importer
from sctdash.store import db, persist


def test_processes_opening_new_extracts_build_them_once(data_copy, tmp_path, monkeypatch):
    """Threads stand in for processes: the lock is a file lock, taken per open file."""
    built, real_build = [], persist._build

    def counting_build(data_dir, directory):
        built.append(data_dir)
        return real_build(data_dir, directory)

    monkeypatch.setattr(persist, "_build", counting_build)
    stores, errors = [], []

    def open_one():
        try:
            stores.append(persist.open_store(data_copy, tmp_path / "db", cache_dir=tmp_path / "cache"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not errors and len(stores) == 4
    assert len(built) == 1
    assert {s.fingerprint for s in stores} == {db.fingerprint(data_copy)}
    assert [p.name for p in (tmp_path / "db").glob("*.duckdb")] == [persist.db_path(data_copy, tmp_path / "db").name]


def test_a_store_is_filed_under_the_version_it_holds(data_copy, tmp_path, monkeypatch):
    """An import lands between opening the database file and making the Store of it: the
    Store holds the rows from before the import, and must say so."""
    real_connect, landed = persist.duckdb.connect, []
    before = db.fingerprint(data_copy)

    def connect_then_import(path, read_only=False, **kw):
        con = real_connect(path, read_only=read_only, **kw)
        if read_only and not landed:
            landed.append(importer.check_bytes("obs.csv", _one_more_row(data_copy)).apply())
        return con

    monkeypatch.setattr(persist.duckdb, "connect", connect_then_import)
    store = persist.open_store(data_copy, tmp_path / "db", cache_dir=tmp_path / "cache")
    assert landed and landed[0].status == "applied"
    assert "2021" not in set(store.table("observations")["year_to"].astype(str))
    assert store.fingerprint == before != db.fingerprint(data_copy)
    newer = persist.open_store(data_copy, tmp_path / "db", cache_dir=tmp_path / "cache")
    assert newer.fingerprint == db.fingerprint(data_copy)
    assert len(newer.table("observations")) == len(store.table("observations")) + 1


def test_a_run_pinned_to_the_previous_version_still_gets_it_after_an_import(data_copy, tmp_path):
    before = db.fingerprint(data_copy)
    persist.open_store(data_copy, tmp_path / "db", cache_dir=tmp_path / "cache").con.close()
    assert importer.check_bytes("obs.csv", _one_more_row(data_copy)).apply().status == "applied"
    current = persist.open_store(data_copy, tmp_path / "db", cache_dir=tmp_path / "cache")  # builds the new one
    pinned = persist.open_store(data_copy, tmp_path / "db", cache_dir=tmp_path / "cache", version=before)
    assert pinned.fingerprint == before and current.fingerprint == db.fingerprint(data_copy) != before
    assert len(current.table("observations")) == len(pinned.table("observations")) + 1
    # a version whose file is gone: the extracts as they are, and the Store says which
    gone = persist.open_store(data_copy, tmp_path / "db", cache_dir=tmp_path / "cache", version="0" * 16)
    assert gone.fingerprint == current.fingerprint


def test_an_import_during_a_load_from_the_csvs_loads_again(data_copy, tmp_path, monkeypatch):
    """Without the second load the Store would carry the version from before the import while
    holding the imported observations."""
    real_load, landed = db.load_table, []

    def load_with_an_import_midway(con, table, path, label=None):
        if table == "indicators" and not landed:
            landed.append("importing")  # the importer loads tables too: once is enough
            landed[0] = importer.check_bytes("obs.csv", _one_more_row(data_copy)).apply()
        return real_load(con, table, path, label)

    monkeypatch.setattr(db, "load_table", load_with_an_import_midway)
    before = db.fingerprint(data_copy)
    store = db.Store(data_copy, tmp_path / "cache")
    assert landed and landed[0].status == "applied"
    assert store.fingerprint == db.fingerprint(data_copy) != before
    assert "2021" in set(store.table("observations")["year_to"].astype(str))


def test_a_browser_resuming_elsewhere_is_told_apart_from_a_new_page(monkeypatch):
    def headers(value):
        monkeypatch.setattr(links.st, "context", SimpleNamespace(headers={"Sec-WebSocket-Protocol": value}))

    headers("streamlit, 2|ab|cd|1")  # a page opened: the frontend names no session
    assert not links.resumed_elsewhere()
    headers("streamlit, PLACEHOLDER_AUTH_TOKEN, 3f0c2a9e-1d2b-4c5d-8e9f-001122334455")
    assert links.resumed_elsewhere()
    headers("streamlit, 2|ab|cd|1, ")
    assert not links.resumed_elsewhere()


def _one_more_row(data_dir) -> bytes:
    """observations.csv's header and one valid new row: 2021 markets of Ba Tơ."""
    header = (data_dir / "observations.csv").read_text(encoding="utf-8").splitlines()[0]
    row = {
        "indicator_id": "markets",
        "area_code": "535",
        "year_from": "2021",
        "year_to": "2021",
        "category": "total",
        "value": "12",
        "value_kind": "reported",
        "source_id": "bc-sct-2021",
        "quote": "Số chợ huyện Ba Tơ năm 2021",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=next(csv.reader([header])), restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue().encode("utf-8")
