"""Every output of the dashboard as hashes, to prove that a change of code kept them the same.

    python -m bench.outputs --out build/outputs.json [--data DIR ...] [--quick]
    python -m bench.outputs --compare build/before.json build/after.json

For each data set (the bundled extracts, the SYNTHETIC yearly fixture imported into a copy of
them, the small test fixtures), each set of filters (the province over every year, one
district, two districts, narrower years) and each language: every page's exhibits (curated and
automatic) as their figure's JSON on the screen, meeting and 16:9 image canvases and their
CSV and XLSX cells; the tiles; every district map's view and figures; every page deck's and the
whole deck's XML (pictures included) with the export date fixed. PNG and SVG files are the
image figure's JSON rendered by kaleido: equal JSON, equal files.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import io
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATE = "01/01/2027"


def _h(data) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def _fig(fig) -> str:
    return _h(json.dumps(fig.to_plotly_json(), sort_keys=True, default=str))


def _zip_parts(data: bytes) -> str:
    """A zip's parts but its creation times (docProps/core.xml), the workbooks a deck's native
    charts embed taken the same way."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = sorted(n for n in z.namelist() if n != "docProps/core.xml")
        return _h("".join(n + (_zip_parts(z.read(n)) if n.endswith(".xlsx") else _h(z.read(n))) for n in parts))


def _value(v):
    if dataclasses.is_dataclass(v):
        return {f.name: _value(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if hasattr(v, "to_csv"):
        return v.to_csv(index=False)
    if isinstance(v, (list, tuple)):
        return [_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _value(x) for k, x in v.items()}
    return repr(v)


def filter_sets(store, year_range, Filters):
    first, last = year_range(store.query)
    codes = list(store.query("district_list")["area_code"])
    out = {"province": Filters.of((), first, last), "535": Filters.of(["535"], first, last)}
    out["535+529"] = Filters.of(["535", "529"], first, last)
    if last - first >= 2:
        out["years-narrow"] = Filters.of((), first + 1, last - 1)
    if codes and codes[0] not in ("535", "529"):
        out[codes[0]] = Filters.of([codes[0]], first, last)
    return out


def page_exhibits(m, store, page, f, lang):
    if hasattr(m.pipeline, "page_view"):
        return list(m.pipeline.page_view(store.query, page, f, lang).exhibits())
    curated = [m.pipeline.chart(store.query, cid, f, lang) for cid in m.catalogue.chart_ids(page)]
    return [*curated, *m.pipeline.more(store.query, page, f, lang, curated).charts]


def deck_of(m, store, pages, f, lang) -> bytes:
    """A page's deck (pages: [page]) or the whole deck (None), in this version's call."""
    if hasattr(m.pipeline, "views"):
        views = m.pipeline.views(store.query, f, lang)
        return m.deck.page_deck(pages[0], views) if pages else m.deck.dashboard_deck(views)
    return m.deck.page_deck(pages[0], f, lang, store=store) if pages else m.deck.dashboard_deck(f, lang, store=store)


def snapshot(m, store, name: str, quick: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    canvases = {"screen": m.figures.SCREEN, "meeting": m.figures.MEETING, "image": m.export.image_canvas("vi", DATE)}
    for fname, f in filter_sets(store, m.year_range, m.Filters).items():
        for lang in ("vi", "en"):
            canvases["image"] = m.export.image_canvas(lang, DATE)
            s = m.pipeline.setting_for(store.query, f, lang)
            for page in m.catalogue.pages():
                tag = f"{name}/{fname}/{lang}/{page}"
                for ex in page_exhibits(m, store, page, f, lang):
                    out[f"{tag}/{ex.id}/words"] = _h(json.dumps([ex.title, ex.subtitle, ex.footnotes, ex.notice]))
                    if ex.no_rows:
                        continue
                    for cname, canvas in canvases.items():
                        out[f"{tag}/{ex.id}/{cname}"] = _fig(m.figures.figure(ex, canvas))
                    out[f"{tag}/{ex.id}/csv"] = _h(m.sheets.csv_bytes(ex.rows))
                    out[f"{tag}/{ex.id}/xlsx"] = _zip_parts(m.export.xlsx(ex, DATE))
                tiles = m.pipeline.page_tiles(store.query, page, f, lang, s)
                out[f"{tag}/tiles"] = _h(json.dumps(_value(tiles), sort_keys=True))
                maps = [m.district_map.spec(i) for i in m.district_map.maps_for(page)]
                topics = m.catalogue.topics(page) if page != "overview" else None
                for spec in maps + m.district_map.indicator_maps(store.query, f, topics):
                    v = m.district_map.view(m.district_map.rows(store.query, spec, f), spec, s, f.districts)
                    out[f"{tag}/map/{spec['id']}/view"] = _h(json.dumps(_value(v), sort_keys=True))
                    out[f"{tag}/map/{spec['id']}/screen"] = _fig(m.map_figures.figure(v))
                    out[f"{tag}/map/{spec['id']}/image"] = _fig(m.export.map_image_figure(v, DATE))
                    out[f"{tag}/map/{spec['id']}/compare"] = _fig(compare_map(m, v, f.districts))
                    out[f"{tag}/map/{spec['id']}/xlsx"] = _zip_parts(m.export.map_xlsx(v, DATE))
                if not quick:
                    out[f"{tag}/deck"] = _zip_parts(deck_of(m, store, [page], f, lang))
            if not quick:
                out[f"{name}/{fname}/{lang}/dashboard-deck"] = _zip_parts(deck_of(m, store, None, f, lang))
    return out


def compare_map(m, v, districts):
    """The comparison figure, whichever way this version of the code asks for it (the
    districts in the view, or passed beside it)."""
    if "selected" in m.map_figures.compare_figure.__code__.co_varnames[:2]:
        return m.map_figures.compare_figure(v, districts)
    return m.map_figures.compare_figure(v)


def modules():
    """The modules, wherever this version of the code keeps them."""
    import importlib

    def mod(*names):
        for n in names:
            with contextlib.suppress(ModuleNotFoundError):
                return importlib.import_module(n)
        raise ModuleNotFoundError(names[0])

    ns = argparse.Namespace()
    ns.pipeline = mod("sctdash.exhibits.pipeline", "sctdash.pipeline")
    ns.catalogue = mod("sctdash.core.catalogue", "sctdash.catalogue")
    ns.figures = mod("sctdash.drawing.figures", "sctdash.figures")
    ns.map_figures = mod("sctdash.drawing.map_figures", "sctdash.map_figures")
    ns.export = mod("sctdash.exports.export", "sctdash.export")
    ns.sheets = mod("sctdash.exports.sheets", "sctdash.sheets")
    ns.deck = mod("sctdash.exports.deck", "sctdash.deck")
    ns.district_map = mod("sctdash.exhibits.district_map", "sctdash.district_map")
    filters = mod("sctdash.exhibits.filters", "sctdash.filters")
    ns.Filters, ns.year_range = filters.Filters, filters.year_range
    ns.Store = mod("sctdash.store.db", "sctdash.db").Store
    ns.importer = mod("sctdash.editing.importer", "sctdash.importer")
    ns.export.today = lambda: DATE  # every file's date
    return ns


def data_sets(tmp: Path, m) -> dict[str, Path]:
    sets = {"bundled": ROOT / "data", "fixtures": ROOT / "tests" / "fixtures" / "data"}
    yearly = tmp / "yearly"
    shutil.copytree(ROOT / "data", yearly, ignore=shutil.ignore_patterns("history"))
    for name in ("sources", "indicators", "observations"):
        preview = m.importer.check_file(ROOT / "tests" / "fixtures" / "yearly" / f"{name}.csv", yearly)
        assert preview.ok, preview.messages()
        preview.apply()
    sets["yearly"] = yearly
    return sets


def compare(before: dict, after: dict) -> int:
    gone = sorted(set(before) - set(after))
    new = sorted(set(after) - set(before))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    print(f"{len(before)} before, {len(after)} after: {len(changed)} changed, {len(gone)} gone, {len(new)} new")
    for title, keys in (("changed", changed), ("gone", gone), ("new", new)):
        for k in keys[:40]:
            print(f"  {title}: {k}")
        if len(keys) > 40:
            print(f"  … and {len(keys) - 40} more {title}")
    return 1 if changed or gone or new else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.outputs", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--quick", action="store_true", help="no decks")
    ap.add_argument("--compare", nargs=2, type=Path)
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*(json.loads(p.read_text()) for p in args.compare))
    m = modules()
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in data_sets(Path(tmp), m).items():
            store = m.Store(path, Path(tmp) / f"cache-{name}")
            out.update(snapshot(m, store, name, args.quick))
    target = args.out or ROOT / "build" / "outputs.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, indent=0, sort_keys=True))
    print(f"{len(out)} outputs → {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
