"""The benchmark's synthetic extracts keep the schema: a small set loads into db.Store cleanly."""

import pytest

from bench import synth
from sctdash import db, paths


def test_small_synthetic_set_loads_cleanly(tmp_path):
    out = synth.generate(20, tmp_path / "x20")
    store = db.Store(out, cache_dir=tmp_path / "cache")
    assert store.problems == {}
    counts = store.row_counts()
    bundled = db.Store(
        paths.data_dir(), cache_dir=tmp_path / "cache-bundled"
    ).row_counts()
    assert counts["observations"] == 20 * bundled["observations"]
    assert all(counts[t] >= bundled[t] for t in db.TABLES)
    source = store.con.execute(
        "select kind, title from sources where source_id = $id", {"id": synth.SOURCE_ID}
    ).fetchone()
    assert source == ("planner", synth.SOURCE_TITLE)
    # every generated row says where it comes from
    n_synthetic = store.con.execute(
        "select count(*) from observations where source_id = $id",
        {"id": synth.SOURCE_ID},
    ).fetchone()[0]
    assert n_synthetic == counts["observations"] - bundled["observations"]
    assert (
        (out / "README-SYNTHETIC.txt")
        .read_text(encoding="utf-8")
        .startswith("SYNTHETIC")
    )
    # every named query still runs on it
    for name in db.query_names():
        params = {
            "districts": [],
            "year_from": 2016,
            "year_to": 2020,
            "indicators": ["procedures"],
        }
        store.query(name, indicator="procedures", **params)


def test_never_writes_into_data(tmp_path):
    with pytest.raises(ValueError):
        synth.generate(2, paths.data_dir() / "synthetic")
