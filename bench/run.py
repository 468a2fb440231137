"""`make bench`: the benchmark driver. Prints a table and writes build/bench.json.

Parts (each figure the median of several runs, with min and max):
  scale     every named query on the bundled data and the synthetic x1,000 and x100,000 sets,
            and the same computation in plain pandas in the same process (ratio pandas/ours);
  startup   Store start-up: in memory from the CSVs, and from the persisted DuckDB file;
  memory    peak resident memory (VmHWM) of a process holding the Store;
  cold      server launch -> ready -> first Plotly chart painted in headless Chromium, per page;
  rerun     AppTest: server time of a rerun after a district filter change, per page;
  sessions  20 AppTest sessions in threads changing filters: p50 and p95 of the rerun time;
  serve     20 real sessions (bench.load: Streamlit's protocol over its websocket) through nginx
            in front of 1 process and of 2 (`make serve`), side by side: p50/p95/max from a
            district change to the last chart updated, errors, CPU of servers and load generator;
  export    PNG, page deck, whole deck, renderer cold and warm (when sctdash/exports/export.py exists);
  paint     what a viewer's Chromium goes through on each page beside a bare Streamlit page with
            one Plotly bar chart (bench/bare_page.py), pair by pair: largest contentful paint,
            every chart painted, total blocking time, bytes (bench/paint.py).

Every measurement that loads data runs in a child process of its own (`python -m bench.run
worker ...`), so memory and start-up figures are not coloured by what ran before.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from importlib import metadata
from pathlib import Path

from bench.common import BUILD, CHROMIUM, PARAMS, TARGETS, app_entry, log
from bench.parts_app import part_pages, part_rerun, part_sessions, worker_pages
from bench.parts_browser import part_cold, part_paint, part_server_largest
from bench.parts_data import (
    data_sets,
    part_export,
    part_memory,
    part_scale,
    part_startup,
    worker_export,
    worker_memory,
    worker_scale,
    worker_startup,
)
from bench.serving import part_serve
from bench.table import table


# ------------------------------------------------------------------ the machine
def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    packages = {}
    for name in ("streamlit", "duckdb", "pandas", "pyarrow", "plotly", "kaleido", "playwright", "numpy"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    chromium = None
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": packages,
        "chromium": chromium,
    }


# ------------------------------------------------------------------ workers (child processes)
def run_worker(argv: list[str]) -> None:
    kind, *args = argv
    fn = {
        "startup": worker_startup,
        "memory": worker_memory,
        "scale": worker_scale,
        "export": worker_export,
        "pages": worker_pages,
    }[kind]
    print(json.dumps(fn(*args), default=str))


# ------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        run_worker(argv[1:])
        return 0
    ap = argparse.ArgumentParser(description="make bench")
    ap.add_argument("--runs", type=int, default=5, help="runs of each fast figure")
    ap.add_argument("--cold-runs", type=int, default=3, help="server launches per page")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="x1,000 only, fewer runs (a smoke run)")
    ap.add_argument("--serve-rounds", type=int, default=2, help="times 1 and 2 processes are each measured")
    ap.add_argument("--paint-runs", type=int, default=5, help="loads of each page, each beside one of the bare page")
    ap.add_argument(
        "--parts", default="scale,startup,memory,pages,cold,server_largest,rerun,sessions,serve,export,paint"
    )
    ap.add_argument("--out", type=Path, default=BUILD / "bench.json")
    args = ap.parse_args(argv)
    parts = set(args.parts.split(","))
    t_start = time.perf_counter()
    results: dict = {
        "what": "make bench (bench/run.py); synthetic sets are SYNTHETIC — benchmark data, not real",
        "machine": machine(),
        "targets": TARGETS,
        "params": PARAMS,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "durations_s": {},
        # other work on the machine colours every figure: the 1-minute load at start and end
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }

    def step(name: str, fn) -> None:
        if name not in parts:
            return
        log(f"[{time.perf_counter() - t_start:6.1f} s] {name}")
        t0 = time.perf_counter()
        try:
            results[name] = fn()
        except Exception as exc:
            results[name] = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-2000:]}
            log(f"  {name} failed: {exc}")
        results["durations_s"][name] = round(time.perf_counter() - t0, 1)

    log("synthetic sets ...")
    t0 = time.perf_counter()
    sets = data_sets(args.quick)
    results["durations_s"]["synth"] = round(time.perf_counter() - t0, 1)
    results["sets"] = sets
    results["largest"] = list(sets)[-1]
    runs = 3 if args.quick else args.runs
    step("startup", lambda: part_startup(sets, min(runs, 3)))
    step("scale", lambda: part_scale(sets, runs))
    step("memory", lambda: part_memory(sets))
    step("pages", lambda: part_pages(sets, runs))
    if app_entry() is None:
        for name in ("cold", "rerun", "sessions", "serve"):
            results[name] = {"skipped": "dashboard.py does not exist yet"}
    else:
        step("cold", lambda: part_cold(1 if args.quick else args.cold_runs))
        step("server_largest", lambda: part_server_largest(sets[results["largest"]]["dir"], 90))
        step("rerun", lambda: part_rerun(runs))
        step("sessions", lambda: part_sessions(args.sessions, 3 if args.quick else 4))
        step("serve", lambda: part_serve(args.sessions, 4, 1 if args.quick else args.serve_rounds, BUILD))
    step("export", lambda: part_export(3))
    if app_entry() is not None:
        step("paint", lambda: part_paint(2 if args.quick else args.paint_runs))
    results["durations_s"]["total"] = round(time.perf_counter() - t_start, 1)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    m = results["machine"]
    print(f"\nmake bench — {m['cores']} cores, {m['memory_gib']} GiB, {m['cpu']}, Python {m['python']}")
    print(f"load average at start {results['load_average_start']}, at end {results['load_average_end']}")
    print(", ".join(f"{k} {v}" for k, v in m["packages"].items() if v))
    print(table(results))
    print(f"\nwritten {args.out} in {results['durations_s']['total']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
