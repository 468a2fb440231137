"""The data parts of `make bench`: scale (every named query, ours and plain pandas), startup,
memory, and export (PNG and decks), with the workers each runs in a child process of its own.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.common import BUILD, DB_DIR, PARAMS, ROOT, SCALES, SYNTH_ROOT, _open, log, stats, timed, vmhwm_kb, worker


# ------------------------------------------------------------------ workers (child processes)
def worker_startup(data_dir: str, mode: str) -> dict:
    """Import, open the Store, answer one query: the start-up of a server process's data part."""
    t0 = time.perf_counter()
    from sctdash.store import db  # noqa: F401

    t1 = time.perf_counter()
    store = _open(Path(data_dir), mode, BUILD / "bench" / "cache")
    t2 = time.perf_counter()
    store.query("headline_facts", **PARAMS)
    t3 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "open_s": t2 - t1,
        "first_query_s": t3 - t2,
        "ready_s": t3 - t0,
        "problems": sorted(store.problems),
        "vmhwm_kb": vmhwm_kb(),
    }


def worker_memory(data_dir: str, mode: str) -> dict:
    """Peak memory of a process holding the Store after every query has run once."""
    from sctdash.store import db

    t0 = time.perf_counter()
    store = _open(Path(data_dir), mode, BUILD / "bench" / "cache")
    load_s = time.perf_counter() - t0
    after_load = vmhwm_kb()
    for name in db.query_names():
        store.query(name, **PARAMS)
    return {
        "load_s": load_s,
        "vmhwm_after_load_kb": after_load,
        "vmhwm_kb": vmhwm_kb(),
        "rows": store.row_counts(),
    }


def worker_scale(data_dir: str, mode: str, runs: str, diagnostics: str) -> dict:
    """Every named query on one data set, ours and plain pandas, in this one process."""
    from bench import pandas_baseline as pb
    from sctdash.store import db

    runs_n, diag = int(runs), diagnostics == "1"
    t0 = time.perf_counter()
    store = _open(Path(data_dir), mode, BUILD / "bench" / "cache")
    store_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    frames = pb.load(Path(data_dir))
    pandas_load_s = time.perf_counter() - t0
    out = {"store_open_s": store_s, "pandas_load_s": pandas_load_s, "queries": {}}
    for name in db.query_names():
        out["queries"][name] = _scale_query(store, frames, name, runs_n, diag)
    out["vmhwm_kb"] = vmhwm_kb()
    return out


def _scale_query(store, frames: dict, name: str, runs_n: int, diag: bool) -> dict:
    from bench import pandas_baseline as pb
    from sctdash.store import db

    wanted = db.query_params(name)
    params = {k: v for k, v in PARAMS.items() if k in wanted}
    ours_t, ours = timed(lambda: store.query(name, **params), runs_n)
    fn = pb.QUERIES.get(name)
    row = {"rows": len(ours), "ours_ms": stats(ours_t, 1000, 2), "params": params}
    if fn is None:
        row["pandas"] = "no baseline for this query"
    else:
        theirs_t, theirs = timed(lambda: fn(frames, dict(PARAMS)), runs_n)
        row["pandas_ms"] = stats(theirs_t, 1000, 2)
        row["pandas_rows"] = len(theirs)
        row["ratio"] = round(statistics.median(theirs_t) / statistics.median(ours_t), 2)
    if not diag:
        return row
    # Diagnostic on the largest set: the engine alone, without handing the rows to pandas.
    con = store.con.cursor()
    try:
        counted = f"select count(*) from (\n{db.query_text(name)}\n)"
        count_t, _ = timed(lambda: con.execute(counted, params).fetchall(), runs_n)
    finally:
        con.close()
    row["engine_only_ms"] = stats(count_t, 1000, 2)
    return row


# ------------------------------------------------------------------ data parts
def data_sets(quick: bool) -> dict:
    from bench import synth

    sets = {"bundled": {"dir": str(ROOT / "data"), "scale": 1, "generated_s": None}}
    merged = SYNTH_ROOT / "merged"
    if not (merged / "README-SYNTHETIC.txt").exists():
        t0 = time.perf_counter()
        synth.generate_merged(merged)
        log(f"  merged province: generated in {time.perf_counter() - t0:.1f} s")
    sets["merged"] = {"dir": str(merged), "scale": 1, "generated_s": None}
    for scale in SCALES[:1] if quick else SCALES:
        folder, seconds = synth.ensure(scale, SYNTH_ROOT)
        sets[f"x{scale:,}"] = {"dir": str(folder), "scale": scale, "generated_s": seconds}
        log(f"  x{scale:,}: {folder.name} ({'cached' if seconds is None else f'generated in {seconds:.1f} s'})")
    return sets


def part_scale(sets: dict, runs: int) -> dict:
    out = {}
    largest = list(sets)[-1]
    for label, info in sets.items():
        mode = "memory" if label == "bundled" else "persisted"
        log(f"  queries on {label} ({mode} store) ...")
        out[label] = worker("scale", info["dir"], mode, str(runs), "1" if label == largest else "0")
        out[label]["store_mode"] = mode
    return out


def part_startup(sets: dict, runs: int) -> dict:
    out = {}
    largest_label = list(sets)[-1]
    largest = sets[largest_label]["dir"]
    # build the persisted file first if the CSVs changed (timed, not a start-up figure)
    from sctdash.store import persist

    t0 = time.perf_counter()
    built = not persist.is_current(Path(largest), DB_DIR)
    if built:
        persist.build(Path(largest), DB_DIR)
    out["persisted_build_s"] = round(time.perf_counter() - t0, 2) if built else None
    for label, info in sets.items():
        log(f"  start-up from {label} ...")
        res = [worker("startup", info["dir"], "persisted") for _ in range(runs)]
        out[f"{label}/persisted"] = _startup_stats(res)
        if info["scale"] <= 1000:  # the largest in memory: see server_largest
            res = [worker("startup", info["dir"], "memory") for _ in range(runs)]
            out[f"{label}/memory"] = _startup_stats(res)
    out["largest"] = largest_label
    return out


def _startup_stats(res: list[dict]) -> dict:
    return {
        "process_s": stats([r["process_wall_s"] for r in res], 1, 3),
        "open_s": stats([r["open_s"] for r in res], 1, 3),
        "ready_in_process_s": stats([r["ready_s"] for r in res], 1, 3),
        "problems": res[0]["problems"],
    }


def part_memory(sets: dict) -> dict:
    out = {}
    largest_label = list(sets)[-1]
    # the largest set in memory is the server's own case: see server_largest (time and memory)
    for label, mode in (("bundled", "memory"), (largest_label, "persisted")):
        log(f"  memory: {label} ({mode}) ...")
        r = worker("memory", sets[label]["dir"], mode)
        out[f"{label}/{mode}"] = {
            "vmhwm_mb": round(r["vmhwm_kb"] / 1024, 1),
            "vmhwm_after_load_mb": round(r["vmhwm_after_load_kb"] / 1024, 1),
            "load_s": round(r["load_s"], 2),
            "observations": r["rows"]["observations"],
        }
    return out


# ------------------------------------------------------------------ export
def worker_export(mode: str, runs: str) -> dict:
    """Export timings in this fresh process: `warm` starts the renderer first and times each
    export on it; `cold` times the whole deck including the renderer's start. An export that
    fails is recorded with why, and the others are still measured."""
    from sctdash.core import catalogue
    from sctdash.exhibits import pipeline
    from sctdash.exhibits.filters import Filters, year_range
    from sctdash.exports import deck, export, render

    n = int(runs)
    out: dict = {"errors": {}}

    def attempt(key: str, fn, budget: float) -> None:
        try:
            out[key] = timed(fn, n, budget_s=budget)[0]
        except Exception as exc:
            out["errors"][key] = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]

    store = export.open_store()
    f = Filters.of((), *year_range(store.query))

    def fresh():  # the views built anew for each export, as a command line builds them
        return pipeline.views(store.query, f, "vi")

    if mode == "cold":
        n = 1
        attempt("deck_all_cold_s", lambda: deck.dashboard_deck(fresh()), 0)
        return out
    out["renderer_start_s"] = [render.start_renderer()]
    chart = next(iter(catalogue.charts()))
    page = catalogue.pages()[0]
    t0 = time.perf_counter()
    export.png(fresh().exhibit(chart))
    out["png_first_s"] = [time.perf_counter() - t0]
    attempt("png_warm_s", lambda: export.png(fresh().exhibit(chart)), 10)
    attempt("deck_page_warm_s", lambda: deck.page_deck(page, fresh()), 20)
    attempt("deck_all_warm_s", lambda: deck.dashboard_deck(fresh()), 30)
    out.update(chart=chart, page=page, n_charts=len(catalogue.charts()))
    return out


EXPORT_FIGURES = (
    ("renderer_start_s", "renderer cold start"),
    ("png_first_s", "first PNG after the start"),
    ("png_warm_s", "PNG, renderer warm"),
    ("deck_page_warm_s", "page deck, renderer warm"),
    ("deck_all_warm_s", "whole deck, renderer warm"),
    ("deck_all_cold_s", "whole deck, renderer cold (fresh process)"),
)


def part_export(runs: int) -> dict:
    if not (ROOT / "sctdash" / "exports" / "export.py").exists():
        return {"status": "not built yet (sctdash/exports/export.py does not exist)"}
    try:
        warm = worker("export", "warm", str(runs), timeout=300)
        cold = [worker("export", "cold", "1", timeout=300) for _ in range(2)]
    except Exception as exc:
        return {"status": f"sctdash/exports/export.py exists but failed: {str(exc).strip().splitlines()[-1][:200]}"}
    values = {k: warm.get(k, []) for k, _ in EXPORT_FIGURES}
    values["deck_all_cold_s"] = [v for c in cold for v in c.get("deck_all_cold_s", [])]
    out = {key: stats(values[key], 1, 2) for key, _ in EXPORT_FIGURES}
    out["errors"] = {**warm["errors"], **{k: v for c in cold for k, v in c["errors"].items()}}
    out.update(png_chart=warm.get("chart"), page_deck_page=warm.get("page"), charts=warm.get("n_charts"))
    return out
