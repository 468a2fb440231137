"""The benchmark's synthetic extracts keep the schema: a small set loads into db.Store cleanly."""

import pytest

from bench import synth
from sctdash.core import paths
from sctdash.store import db


def test_small_synthetic_set_loads_cleanly(tmp_path):
    out = synth.generate(20, tmp_path / "x20")
    store = db.Store(out, cache_dir=tmp_path / "cache")
    assert store.problems == {}
    counts = store.row_counts()
    bundled = db.Store(paths.data_dir(), cache_dir=tmp_path / "cache-bundled").row_counts()
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
    assert (out / "README-SYNTHETIC.txt").read_text(encoding="utf-8").startswith("SYNTHETIC")
    # every named query still runs on it
    for name in db.query_names():
        params = {
            "districts": [],
            "year_from": 2016,
            "year_to": 2020,
            "indicators": ["procedures"],
            "kind": "hydro",
            "figure_type": "result",
            "category": "total",
            "topics": ["reform"],
        }
        store.query(name, indicator="procedures", **params)


@pytest.mark.parametrize("districts", [(), ("535",), ("535", "529", "522")])
def test_every_page_draws_the_synthetic_yearly_district_series(tmp_path, districts):
    """The benchmark's sets hold yearly district rows 2015–2030 for every indicator, in many
    categories: every chart, automatic chart, tile and map of every page is built and drawn."""
    from sctdash.core import catalogue
    from sctdash.drawing import figures, map_figures
    from sctdash.exhibits import district_map, pipeline
    from sctdash.exhibits.filters import Filters, year_range

    store = db.Store(synth.generate(3, tmp_path / "x3"), cache_dir=tmp_path / "cache")
    f = Filters.of(districts, *year_range(store.query))
    assert f.years == (2015, 2030)
    drawn = 0
    for page in catalogue.pages():
        s = pipeline.setting_for(store.query, f, "vi")
        view = pipeline.page_view(store.query, page, f, "vi", s)
        curated = list(view.charts.values())
        for ex in view.exhibits():
            if not ex.no_rows:
                fig = figures.figure(ex)
                drawn += 1
                assert len(fig.data) <= 2 * (pipeline.exhibit.MAX_SERIES + 2), ex.id  # too many series are cut
        assert len(pipeline.page_tiles(store.query, page, f, "vi", s)) == len(catalogue.tiles(page))
        for m in district_map.indicator_maps(store.query, f, catalogue.topics(page)):
            map_figures.figure(district_map.view(district_map.rows(store.query, m, f), m, s, f.districts))
        if page == "industry" and not districts:
            titles = {ex.id: ex.title for ex in curated}
            assert titles["rural_product_awards"].startswith("69 sản phẩm")  # the report's, not a district's
            assert view.more.charts  # the districts' synthetic rows, ranked
    assert drawn >= len(catalogue.charts())


def test_never_writes_into_data(tmp_path):
    with pytest.raises(ValueError):
        synth.generate(2, paths.data_dir() / "synthetic")


def test_persisted_store_is_rebuilt_only_when_a_csv_changes(tmp_path):
    from sctdash.store import persist

    out = synth.generate(2, tmp_path / "x2")
    first = persist.open_store(out, tmp_path / "db", cache_dir=tmp_path / "cache")
    path = persist.db_path(out, tmp_path / "db")
    assert path.exists() and first.problems == {}
    params = {"districts": [], "year_from": 2015, "year_to": 2020}
    assert first.query("procedures_count", **params).equals(
        db.Store(out, cache_dir=tmp_path / "cache").query("procedures_count", **params)
    )
    built = path.stat().st_mtime_ns
    first.con.close()
    persist.open_store(out, tmp_path / "db", cache_dir=tmp_path / "cache").con.close()
    assert path.stat().st_mtime_ns == built  # opened, not rebuilt
    with (out / "legal_documents.csv").open("a", encoding="utf-8") as fh:
        fh.write("99/2099/QĐ-X,qppl,2020-01-01,Thêm,,SYN,SYNTHETIC,\n")
    again = persist.open_store(out, tmp_path / "db", cache_dir=tmp_path / "cache")
    assert again.row_counts()["legal_documents"] == csv_rows(out)
    assert path.exists()  # the previous version is kept (make serve: a run may have pinned it)
    assert len(list((tmp_path / "db").glob("*.duckdb"))) == 2
    with (out / "legal_documents.csv").open("a", encoding="utf-8") as fh:
        fh.write("98/2099/QĐ-X,qppl,2020-01-01,Thêm,,SYN,SYNTHETIC,\n")
    persist.open_store(out, tmp_path / "db", cache_dir=tmp_path / "cache").con.close()
    assert not path.exists() and len(list((tmp_path / "db").glob("*.duckdb"))) == 2  # the one before is gone


def csv_rows(folder):
    return sum(1 for line in (folder / "legal_documents.csv").open(encoding="utf-8")) - 1


def test_the_merged_province_set_loads_and_its_pages_draw(tmp_path):
    """make bench's SYNTHETIC set of the merged province over ten years (bench/synth.py,
    generate_merged): it keeps every rule of the areas (no district after 2025, no commune of
    2025 before it) and the market page draws for a commune and a former Kon Tum district."""
    from sctdash.drawing import figures
    from sctdash.exhibits import pipeline
    from sctdash.exhibits.filters import Filters

    store = db.Store(synth.generate_merged(tmp_path / "merged"), cache_dir=tmp_path / "cache")
    assert store.problems == {}
    n_communes = store.con.execute(
        "select count(distinct area_code) from facts where area_level = 'commune' and source_id = $s",
        {"s": synth.SOURCE_ID},
    ).fetchone()[0]
    assert n_communes == 96
    for chosen in ((), ("21484",), ("608",)):
        view = pipeline.page_view(store.query, "market", Filters.of(chosen, 2017, 2026), "vi")
        drawn = [figures.figure(ex) for ex in view.exhibits() if not ex.no_rows]
        assert drawn, chosen
