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
  export    PNG, page deck, whole deck, renderer cold and warm (when sctdash/export.py exists);
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
import socket
import statistics
import subprocess
import sys
import threading
import time
import traceback
import urllib.request
from importlib import metadata
from pathlib import Path

from bench.serving import part_serve

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SYNTH_ROOT = BUILD / "synth"
DB_DIR = BUILD / "bench" / "db"
PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCALES = (1000, 100_000)
COLD_BUDGET_S = 150  # server launches for the cold start: further runs stop once this is spent
PROVINCE = "51"
# Parameters every query is run with: the whole province, 2016-2020, as the pages start.
PARAMS = {
    "districts": [],
    "year_from": 2016,
    "year_to": 2020,
    "indicators": ["gocn_growth_avg", "households_with_power", "procedures", "satisfaction_pct"],
    "indicator": "procedures",
    "kind": "hydro",
    "figure_type": "result",
    "category": "total",
    "topics": ["market", "reform"],
}
TARGETS = {
    "rerun_ms": 150,
    "cold_s": 3.0,
    "query_ms": 100,
    "pandas_ratio": 10,
    "startup_s": 2.0,
    "deck_s": 15,
    "sessions_p95_ms": 1000,
    "server_mb": 500,
    "serve_p95_ms": 1000,  # 2 processes behind nginx, and at most half of 1 process's p95 in the same run
    "serve_p95_ratio": 0.5,
}


# ------------------------------------------------------------------ helpers
def stats(values: list[float], scale: float = 1.0, digits: int = 1) -> dict:
    if not values:
        return {"n": 0}
    v = [x * scale for x in values]
    return {
        "median": round(statistics.median(v), digits),
        "min": round(min(v), digits),
        "max": round(max(v), digits),
        "n": len(v),
    }


def timed(fn, runs: int, budget_s: float = 4.0) -> tuple[list[float], object]:
    """Run fn `runs` times (at least 3 when a run is slow and the budget is spent); seconds each."""
    times, result = [], None
    start = time.perf_counter()
    for i in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if i >= 2 and time.perf_counter() - start > budget_s:
            break
    return times, result


def vmhwm_kb(pid: int | str = "self") -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


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


def worker(*args: str, env: dict | None = None, timeout: float = 600) -> dict:
    """Run `python -m bench.run worker ...` and return the JSON it prints last."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "bench.run", "worker", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall_s"] = wall
    return out


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ workers (child processes)
def _open(data_dir: Path, mode: str, cache_dir: Path):
    from sctdash import db, persist

    if mode == "persisted":
        return persist.open_store(data_dir, DB_DIR, cache_dir=cache_dir)
    return db.Store(data_dir, cache_dir=cache_dir)


def worker_startup(data_dir: str, mode: str) -> dict:
    """Import, open the Store, answer one query: the start-up of a server process's data part."""
    t0 = time.perf_counter()
    from sctdash import db  # noqa: F401

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
    from sctdash import db

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
    from sctdash import db

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
    from sctdash import db

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


def worker_pages(data_dir: str, runs: str) -> dict:
    """Every page as the pipeline draws it (curated charts, "More figures", tiles, district
    maps, each figure built), under no district, one and three districts, every year of the
    set; in this fresh process, without Streamlit. Errors are counted and named, not raised."""
    from sctdash import catalogue, district_map, figures, map_figures, pipeline
    from sctdash.filters import Filters, year_range

    store = _open(Path(data_dir), "persisted", BUILD / "bench" / "cache")
    q = store.query
    first, last = year_range(q)
    out: dict = {"years": [first, last], "errors": [], "charts": 0, "lines": 0, "rankings": 0, "maps": 0}
    views = {"province": (), "one": ("535",), "three": ("535", "529", "522")}
    times: dict[str, list[float]] = {k: [] for k in views}
    for _ in range(int(runs)):
        for label, districts in views.items():
            f = Filters.of(districts, first, last)
            t0 = time.perf_counter()
            for page in catalogue.pages():
                try:
                    s = pipeline.setting_for(q, f, "vi")
                    curated = [pipeline.chart(q, cid, f, "vi", s) for cid in catalogue.chart_ids(page)]
                    more = pipeline.more(q, page, f, "vi", curated, s)
                    pipeline.page_tiles(q, page, f, "vi", s)
                    for ex in curated + more.charts:
                        if not ex.no_rows:
                            figures.figure(ex)
                            out["charts"] += 1
                            out["lines"] += ex.shape == "line"
                            out["rankings"] += ex.ranking
                    topics = catalogue.topics(page) if page != "overview" else None
                    for m in [district_map.spec(i) for i in district_map.maps_for(page)] + district_map.indicator_maps(
                        q, f, topics
                    ):
                        map_figures.figure(district_map.view(district_map.rows(q, m, f), m, s, f.districts))
                        out["maps"] += 1
                except Exception as exc:
                    out["errors"].append(f"{page} {label}: {type(exc).__name__}: {exc}"[:200])
            times[label].append(time.perf_counter() - t0)
    out["seconds"] = {k: stats(v, 1, 2) for k, v in times.items()}
    return out


def part_pages(sets: dict, runs: int) -> dict:
    """The pages drawn on the bundled data and on the x1,000 set (yearly district rows
    2015–2030 for every indicator, in many categories), each in a fresh process: the ratio
    to the bundled data in the same run, and every error named."""
    out = {}
    for label, info in sets.items():
        if info["scale"] <= 1000:
            log(f"  pages on {label} ...")
            out[label] = worker("pages", info["dir"], str(max(1, runs // 2)), timeout=900)
    base = out.get("bundled", {}).get("seconds", {})
    for r in out.values():
        r["ratio_to_bundled"] = {
            k: round(v["median"] / base[k]["median"], 2)
            for k, v in r.get("seconds", {}).items()
            if base.get(k, {}).get("median")
        }
    return out


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


# ------------------------------------------------------------------ data parts
def data_sets(quick: bool) -> dict:
    from bench import synth

    sets = {"bundled": {"dir": str(ROOT / "data"), "scale": 1, "generated_s": None}}
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
    from sctdash import persist

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


# ------------------------------------------------------------------ the app
def app_entry() -> Path | None:
    entry = ROOT / "dashboard.py"
    return entry if entry.exists() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run dashboard.py` (through sctdash.serve when it exists), headless; or
    another script through `streamlit run` (the bare page of the paint part)."""

    def __init__(self, env: dict | None = None, script: str = "dashboard.py"):
        self.port = free_port()
        ours = script == "dashboard.py" and (ROOT / "sctdash" / "serve.py").exists()
        module = ["-m", "sctdash.serve"] if ours else ["-m", "streamlit", "run"]
        self.cmd = [
            PY,
            *module,
            script,
            "--server.headless=true",
            f"--server.port={self.port}",
            "--server.address=127.0.0.1",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ]
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.t_launch = time.perf_counter()
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        self.t_ready = time.perf_counter()
                        return self
            except OSError:
                time.sleep(0.03)
        raise RuntimeError("server not ready within 60 s")

    def vmhwm_mb(self) -> float | None:
        kb = vmhwm_kb(self.proc.pid)
        return None if kb is None else round(kb / 1024, 1)

    def __exit__(self, *exc) -> None:
        try:
            os.killpg(self.proc.pid, 15)
            self.proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass


PAINTED = ".js-plotly-plot .main-svg"
TABLE = '[data-testid="stDataFrame"]'
FAILED = '[data-testid="stException"]'
SHELL = '[data-testid="stAppViewContainer"]'
HEADING = '[data-testid="stHeading"]'


def _paint(browser, url: str, timeout_s: float) -> dict:
    """Open url in a fresh context; seconds until the first chart (or table) is visible."""
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = ctx.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        # milestones, in the order they come: the frontend booted, the script's first output
        page.wait_for_selector(SHELL, state="visible", timeout=timeout_s * 1000)
        shell = time.perf_counter() - t0
        page.wait_for_selector(f"{HEADING}, {FAILED}", state="visible", timeout=timeout_s * 1000)
        first_output = time.perf_counter() - t0
        handle = page.wait_for_selector(f"{PAINTED}, {TABLE}, {FAILED}", state="visible", timeout=timeout_s * 1000)
        dt = time.perf_counter() - t0
        kind = handle.evaluate(
            "e => e.matches('[data-testid=\"stException\"]') ? 'exception'"
            " : e.matches('[data-testid=\"stDataFrame\"]') ? 'table' : 'chart'"
        )
        if kind == "table":  # a chart may follow the first table; prefer it if it comes quickly
            try:
                page.wait_for_selector(PAINTED, state="visible", timeout=1500)
                dt, kind = time.perf_counter() - t0, "chart"
            except Exception:
                pass
        info = {"s": dt, "painted": kind, "shell_s": shell, "first_output_s": first_output}
        if kind == "exception":
            info["error"] = page.inner_text(FAILED)[:500]
        return info
    finally:
        ctx.close()


def discover_pages(browser, server: Server) -> list[tuple[str, str]]:
    """(name, path) of every page, from the sidebar navigation of the running app."""
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        page.goto(server.url)
        page.wait_for_selector(f"{PAINTED}, {FAILED}", timeout=60000)
        hrefs = page.eval_on_selector_all(
            '[data-testid="stSidebarNav"] a', "els => els.map(e => e.getAttribute('href'))"
        )
    finally:
        ctx.close()
    pages = []
    for href in hrefs or []:
        path = href.split("://", 1)[-1].split("/", 1)[1] if "://" in href else href.lstrip("/")
        path = path.split("?")[0]
        pages.append((path or "overview", path))
    return pages or [("overview", "")]


def part_cold(runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {"pages": {}, "notes": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        with Server() as srv:
            pages = discover_pages(browser, srv)
            out["server_cmd"] = " ".join(Path(c).name if c == PY else c for c in srv.cmd)
        log(f"  pages: {', '.join(n for n, _ in pages)}")
        results = {
            name: {"launch_to_ready": [], "ready_to_paint": [], "launch_to_paint": [], "shell": [], "first_output": []}
            for name, _ in pages
        }
        errors: dict[str, str] = {}
        began = time.perf_counter()
        for n_run in range(runs):
            if n_run and time.perf_counter() - began > COLD_BUDGET_S:  # keep make bench under 10 min
                out["notes"].append(f"stopped after {n_run} runs per page: {COLD_BUDGET_S} s spent")
                break
            for name, path in pages:
                if name in errors:
                    continue
                with Server() as srv:
                    try:
                        info = _paint(browser, f"{srv.url}/{path}", 30)
                    except Exception as exc:  # a page that fails is skipped, with why
                        errors[name] = f"{type(exc).__name__}: {exc}".splitlines()[0]
                        continue
                    if info["painted"] == "exception":
                        errors[name] = info.get("error", "exception")
                        continue
                    r = results[name]
                    r["launch_to_ready"].append(srv.t_ready - srv.t_launch)
                    r["ready_to_paint"].append(info["s"])
                    r["launch_to_paint"].append(srv.t_ready - srv.t_launch + info["s"])
                    r["shell"].append(info["shell_s"])
                    r["first_output"].append(info["first_output_s"])
                    r["painted"] = info["painted"]
        for name, r in results.items():
            out["pages"][name] = {
                "ready_to_paint_s": stats(r["ready_to_paint"], 1, 2),
                "launch_to_ready_s": stats(r["launch_to_ready"], 1, 2),
                "launch_to_paint_s": stats(r["launch_to_paint"], 1, 2),
                "ready_to_frontend_booted_s": stats(r["shell"], 1, 2),
                "ready_to_first_output_s": stats(r["first_output"], 1, 2),
                "painted": r.get("painted"),
            }
            if name in errors:
                out["pages"][name]["skipped"] = errors[name]
        # one server for every page in turn: peak memory with the bundled data, and each page
        # painted by a warm server in a fresh browser context (the browser's own share)
        warm: dict[str, list[float]] = {name: [] for name, _ in pages}
        warm_browser: dict[str, list[float]] = {}
        with Server() as srv:
            for name, path in [pages[0], *pages]:  # the very first paint is the cold one: dropped
                try:
                    warm[name].append(_paint(browser, f"{srv.url}/{path}", 30)["s"])
                except Exception:
                    pass
            # a returning visitor: one browser context (its HTTP cache warm) for every page
            ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
            for i, (name, path) in enumerate([pages[0], *pages]):
                page = ctx.new_page()
                try:
                    t0 = time.perf_counter()
                    page.goto(f"{srv.url}/{path}", wait_until="commit")
                    page.wait_for_selector(f"{PAINTED}, {TABLE}", state="visible", timeout=30000)
                    if i:
                        warm_browser.setdefault(name, []).append(time.perf_counter() - t0)
                except Exception:
                    pass
                finally:
                    page.close()
            ctx.close()
            time.sleep(0.5)
            out["server_vmhwm_bundled_mb"] = srv.vmhwm_mb()
        for i, (name, values) in enumerate(warm.items()):
            out["pages"][name]["warm_server_paint_s"] = stats(values[1:] if i == 0 else values, 1, 2)
            out["pages"][name]["warm_server_warm_browser_paint_s"] = stats(warm_browser.get(name, []), 1, 2)
        browser.close()
    return out


def part_server_largest(data_dir: str, timeout_s: float) -> dict:
    """The server as it is (in-memory Store) on the largest set: time to first chart and peak memory."""
    from playwright.sync_api import sync_playwright

    out: dict = {"data": Path(data_dir).name}
    env = {"SCT_DATA_DIR": data_dir, "SCT_CACHE_DIR": str(BUILD / "bench" / "cache")}
    # The server as it starts once its database is built: build (or find) the set's DuckDB
    # file first, in a process of its own, so a fresh clone measures the same thing as a
    # second run (building it takes ~30 s and ~2 GB, once per change of the CSVs).
    t0 = time.perf_counter()
    subprocess.run(
        [PY, "-c", "from sctdash import persist; persist.open_store()"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        check=True,
        capture_output=True,
        timeout=600,
    )
    out["database_ready_s"] = round(time.perf_counter() - t0, 2)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        with Server(env=env) as srv:
            try:
                info = _paint(browser, srv.url, timeout_s)
                out["ready_to_paint_s"] = round(info["s"], 2)
                out["painted"] = info["painted"]
                if "error" in info:
                    out["error"] = info["error"]
            except Exception as exc:
                out["ready_to_paint_s"] = None
                out["error"] = f"no chart within {timeout_s:.0f} s ({type(exc).__name__})"
            out["server_vmhwm_mb"] = srv.vmhwm_mb()
        browser.close()
    return out


def _find_widget(at, keys: list[str]):
    for key in keys:
        for kind in ("multiselect", "selectbox", "pills", "segmented_control", "radio"):
            try:
                return getattr(at, kind)(key=key), key
            except (KeyError, AttributeError, IndexError):
                continue
    return None, None


def _district_keys() -> list[str]:
    keys = ["district_filter"]
    try:
        from sctdash import ui

        keys.append(getattr(ui, "DISTRICT_KEY", "district"))
    except Exception:
        pass
    return [*dict.fromkeys([*keys, "district"])]


def _page_paths() -> list[str]:
    from sctdash import site

    return [entry.script for entry in site.PAGES]


def _district_codes() -> list[str]:
    from sctdash import db

    return list(db.Store(ROOT / "data", cache_dir=BUILD / "bench" / "cache").query("district_list")["area_code"])


def _draw_every_chart(at) -> None:
    """A session that has scrolled to every chart: each rerun draws them all, as before charts
    came in turn (sctdash.ui.in_turn), so the figures compare with earlier runs."""
    try:
        from sctdash import ui

        at.session_state[ui.DRAW_ALL] = True
    except (ImportError, AttributeError):
        pass


def _pages_are_st_page_scripts() -> None:
    """As sctdash.serve does for the server and tests/conftest.py for AppTest."""
    from sctdash import site

    site.pages_are_st_page_scripts()


def part_paint(runs: int) -> dict:
    """bench/paint.py: every page of sctdash.site beside the bare page, in one Chromium."""
    from playwright.sync_api import sync_playwright

    from bench import paint
    from sctdash import site

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            with Server() as ours, Server(script="bench/bare_page.py") as bare:
                return paint.part(runs, site.PAGES, ours.url, bare.url, browser, log)
        finally:
            browser.close()


def part_rerun(runs: int) -> dict:
    from streamlit.testing.v1 import AppTest

    _pages_are_st_page_scripts()
    os.environ.setdefault("SCT_CACHE_DIR", str(BUILD / "bench" / "cache"))
    codes = _district_codes()
    keys = _district_keys()
    out: dict = {"pages": {}, "widget_key": None}
    for n_page, page_path in enumerate(_page_paths()):
        name = Path(page_path).stem
        try:
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
            _draw_every_chart(at)
            at.run()
            at.switch_page(page_path)
            at.run()
            if at.exception:
                raise RuntimeError(at.exception[0].message)
            widget, key = _find_widget(at, keys)
            if widget is None:
                raise RuntimeError(f"no district widget with key {keys}")
            out["widget_key"] = key
            multi = hasattr(widget, "indices") or type(widget).__name__ == "Multiselect"
            miss, hit = [], []
            for i in range(runs):  # a district not chosen before in this process: cache miss
                code = codes[(i + 3 * n_page) % len(codes)]
                widget.set_value([code] if multi else code)
                t0 = time.perf_counter()
                at.run()
                miss.append(time.perf_counter() - t0)
                if at.exception:
                    raise RuntimeError(at.exception[0].message)
                widget, _ = _find_widget(at, [key])
            for i in range(runs):  # the same districts again: cached queries
                code = codes[(i + 3 * n_page) % len(codes)]
                widget.set_value([code] if multi else code)
                t0 = time.perf_counter()
                at.run()
                hit.append(time.perf_counter() - t0)
                widget, _ = _find_widget(at, [key])
            out["pages"][name] = {"rerun_ms": stats(miss, 1000), "rerun_cached_ms": stats(hit, 1000)}
        except Exception as exc:
            out["pages"][name] = {"skipped": f"{type(exc).__name__}: {exc}".splitlines()[0][:300]}
            log(f"  rerun: {name} skipped: {out['pages'][name]['skipped']}")
    return out


def part_sessions(n_sessions: int, reruns: int) -> dict:
    """n AppTest sessions in threads, each on a page of its own, changing the district filter."""
    from unittest.mock import MagicMock

    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime import Runtime
    from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import AppTest

    # AppTest sets and clears the global Runtime instance around each run; with sessions in
    # threads one session's clear would pull it from under another. Like a real server, the
    # sessions here share one runtime: AppTest's own set/clear goes to a stand-in.
    shared = MagicMock(spec=Runtime)
    shared.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    shared.cache_storage_manager = MemoryCacheStorageManager()

    class _RuntimeStandIn:
        _instance = None

    _pages_are_st_page_scripts()
    real_runtime = app_test_module.Runtime
    Runtime._instance = shared
    app_test_module.Runtime = _RuntimeStandIn
    os.environ.setdefault("SCT_CACHE_DIR", str(BUILD / "bench" / "cache"))
    codes = _district_codes()
    keys = _district_keys()
    pages = _page_paths()
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(n_sessions)

    def open_session(i: int):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        _draw_every_chart(at)
        at.run()
        at.switch_page(pages[i % len(pages)])
        at.run()
        widget, key = _find_widget(at, keys)
        return at, widget, key

    def session(i: int) -> None:
        # Opening 20 AppTest sessions at once in one process now and then fails inside
        # AppTest's widget bookkeeping (a KeyError on a widget id, seen once on 27/11/2026);
        # a second try keeps one such failure from cancelling the whole measurement. Each
        # failure is still reported.
        for attempt in (1, 2):
            try:
                at, widget, key = open_session(i)
                break
            except Exception as exc:
                with lock:
                    errors.append(f"setup (try {attempt}): {type(exc).__name__}: {exc}"[:300])
        else:
            barrier.abort()
            return
        multi = type(widget).__name__ == "Multiselect"
        try:
            barrier.wait(timeout=300)
        except threading.BrokenBarrierError:
            return
        for j in range(reruns):
            code = codes[(i * 7 + j) % len(codes)]
            try:
                widget.set_value([code] if multi else code)
                t0 = time.perf_counter()
                at.run()
                dt = time.perf_counter() - t0
                if at.exception:
                    raise RuntimeError(at.exception[0].message)
                widget, _ = _find_widget(at, [key])
            except Exception as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:300])
                return
            with lock:
                times.append(dt)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(n_sessions)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    app_test_module.Runtime = real_runtime
    Runtime._instance = None
    times.sort()

    def pct(p: float) -> float | None:
        if not times:
            return None
        return round(1000 * times[min(len(times) - 1, int(round(p * (len(times) - 1))))], 1)

    return {
        "sessions": n_sessions,
        "reruns_each": reruns,
        "reruns_measured": len(times),
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
        "max_ms": pct(1.0),
        "wall_s": round(wall, 1),
        "errors": errors[:5],
        "n_errors": len(errors),
    }


def worker_export(mode: str, runs: str) -> dict:
    """Export timings in this fresh process: `warm` starts the renderer first and times each
    export on it; `cold` times the whole deck including the renderer's start. An export that
    fails is recorded with why, and the others are still measured."""
    from sctdash import catalogue, deck, export, render
    from sctdash.filters import Filters, year_range

    n = int(runs)
    out: dict = {"errors": {}}

    def attempt(key: str, fn, budget: float) -> None:
        try:
            out[key] = timed(fn, n, budget_s=budget)[0]
        except Exception as exc:
            out["errors"][key] = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]

    store = export.default_store()
    f = Filters.of((), *year_range(store.query))
    if mode == "cold":
        n = 1
        attempt("deck_all_cold_s", lambda: deck.dashboard_deck(f, store=store), 0)
        return out
    out["renderer_start_s"] = [render.start_renderer()]
    chart = next(iter(catalogue.charts()))
    page = catalogue.pages()[0]
    t0 = time.perf_counter()
    export.png(export.exhibit(store, chart, f, "vi"))
    out["png_first_s"] = [time.perf_counter() - t0]
    attempt("png_warm_s", lambda: export.png(export.exhibit(store, chart, f, "vi")), 10)
    attempt("deck_page_warm_s", lambda: deck.page_deck(page, f, store=store), 20)
    attempt("deck_all_warm_s", lambda: deck.dashboard_deck(f, store=store), 30)
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
    if not (ROOT / "sctdash" / "export.py").exists():
        return {"status": "not built yet (sctdash/export.py does not exist)"}
    try:
        warm = worker("export", "warm", str(runs), timeout=300)
        cold = [worker("export", "cold", "1", timeout=300) for _ in range(2)]
    except Exception as exc:
        return {"status": f"sctdash/export.py exists but failed: {str(exc).strip().splitlines()[-1][:200]}"}
    values = {k: warm.get(k, []) for k, _ in EXPORT_FIGURES}
    values["deck_all_cold_s"] = [v for c in cold for v in c.get("deck_all_cold_s", [])]
    out = {key: stats(values[key], 1, 2) for key, _ in EXPORT_FIGURES}
    out["errors"] = {**warm["errors"], **{k: v for c in cold for k, v in c["errors"].items()}}
    out.update(png_chart=warm.get("chart"), page_deck_page=warm.get("page"), charts=warm.get("n_charts"))
    return out


# ------------------------------------------------------------------ report
def fmt_stat(s: dict | None, unit: str = "") -> str:
    if not s or not s.get("n"):
        return "—"
    return f"{s['median']:g}{unit} ({s['min']:g}–{s['max']:g})"


def verdict(value: float | None, target: float, higher_is_better: bool = False) -> str:
    if value is None:
        return "n/a"
    ok = value >= target if higher_is_better else value < target
    return "met" if ok else "MISSED"


def table(results: dict) -> str:
    """Every figure of a run in one printed table: figure, median (min–max), target, verdict."""
    rows = [
        *_pages_rows(results),
        *_cold_rows(results),
        *_rerun_rows(results),
        *serve_rows(results.get("serve")),
        *paint_rows(results.get("paint")),
        *_sessions_rows(results),
        *_export_rows(results),
        *_memory_rows(results),
        *_startup_rows(results),
        *_scale_rows(results),
    ]
    w = [max(len(r[i]) for r in rows) for i in range(4)] if rows else [0] * 4
    lines = [
        f"{'figure':<{w[0]}}  {'median (min–max)':<{w[1]}}  {'target':<{w[2]}}  verdict",
    ]
    lines += [f"{a:<{w[0]}}  {b:<{w[1]}}  {c:<{w[2]}}  {d}" for a, b, c, d in rows]
    return "\n".join(lines)


def _pages_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """Pages drawn on each data set, against the bundled data."""
    rows: list[tuple[str, str, str, str]] = []
    for label, r in results.get("pages", {}).items():
        if "seconds" not in r:
            continue
        for view, v in r["seconds"].items():
            ratio = r.get("ratio_to_bundled", {}).get(view)
            rows.append(
                (
                    f"pages drawn, {label}, {view} ({r['years'][0]}–{r['years'][1]})",
                    f"{fmt_stat(v, ' s')} ×{ratio} bundled; {r['lines']} lines, {r['rankings']} rankings, {r['maps']} maps",
                    "0 errors",
                    "met" if not r["errors"] else f"MISSED: {r['errors'][0][:50]}",
                )
            )
    return rows


def _cold_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """Cold start of each page: ready → first chart."""
    rows: list[tuple[str, str, str, str]] = []
    T = TARGETS
    for name, r in results.get("cold", {}).get("pages", {}).items():
        if "skipped" in r:
            rows.append((f"cold start {name}: ready→paint", "skipped", f"< {T['cold_s']} s", r["skipped"][:60]))
            continue
        med = r["ready_to_paint_s"].get("median")
        rows.append(
            (
                f"cold start {name}: ready→{r.get('painted') or 'paint'} (launch→ready)",
                f"{fmt_stat(r['ready_to_paint_s'], ' s')} ({fmt_stat(r['launch_to_ready_s'], ' s')})",
                f"< {T['cold_s']} s",
                verdict(med, T["cold_s"]),
            )
        )
    return rows


def _rerun_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """A district change on each page."""
    rows: list[tuple[str, str, str, str]] = []
    T = TARGETS
    for name, r in results.get("rerun", {}).get("pages", {}).items():
        if "skipped" in r:
            rows.append((f"rerun {name}", "skipped", f"< {T['rerun_ms']} ms", r["skipped"][:60]))
            continue
        rows.append(
            (
                f"rerun {name}: new district (cached)",
                f"{fmt_stat(r['rerun_ms'], ' ms')} ({r['rerun_cached_ms'].get('median')} ms)",
                f"< {T['rerun_ms']} ms",
                verdict(r["rerun_ms"].get("median"), T["rerun_ms"]),
            )
        )
    return rows


def _sessions_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """Many AppTest sessions rerunning at once."""
    rows: list[tuple[str, str, str, str]] = []
    T = TARGETS
    s = results.get("sessions")
    if s:
        rows.append(
            (
                f"{s['sessions']} sessions: rerun p50 / p95",
                f"{s['p50_ms']} / {s['p95_ms']} ms ({s['reruns_measured']} reruns, {s['n_errors']} errors)",
                f"p95 < {T['sessions_p95_ms']} ms",
                verdict(s["p95_ms"], T["sessions_p95_ms"]),
            )
        )
    return rows


def _export_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """PNG, decks and the renderer's start."""
    rows: list[tuple[str, str, str, str]] = []
    T = TARGETS
    ex = results.get("export", {})
    if not ex:
        return rows
    if "status" in ex:
        rows.append(("export", ex["status"], f"deck < {T['deck_s']} s warm", "n/a"))
    else:
        for key, label in EXPORT_FIGURES:
            val = ex.get(key) or {}
            target = f"< {T['deck_s']} s" if key == "deck_all_warm_s" else ""
            ok = verdict(val.get("median"), T["deck_s"]) if key == "deck_all_warm_s" else ""
            shown = fmt_stat(val, " s") if val.get("n") else "failed: " + ex.get("errors", {}).get(key, "?")[:70]
            rows.append((f"export: {label}", shown, target, ok))
    return rows


def _memory_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """Peak memory of the server and of a process per data set."""
    rows: list[tuple[str, str, str, str]] = []
    T = TARGETS
    mem = results.get("memory", {})
    srv = results.get("cold", {}).get("server_vmhwm_bundled_mb")
    rows.append(("server peak RSS, bundled data", f"{srv} MB", f"< {T['server_mb']} MB", verdict(srv, T["server_mb"])))
    big = results.get("server_largest", {})
    if big:
        rows.append(
            (
                f"server on {results.get('largest')}: ready→paint, peak RSS",
                f"{big.get('ready_to_paint_s')} s, {big.get('server_vmhwm_mb')} MB",
                "(no target)",
                big.get("error", "")[:60],
            )
        )
    for key, m in mem.items():
        rows.append((f"process with Store {key}: peak RSS", f"{m['vmhwm_mb']} MB (load {m['load_s']} s)", "", ""))
    return rows


def _startup_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """Start-up of a process per data set and store mode."""
    rows: list[tuple[str, str, str, str]] = []
    T = TARGETS
    st = results.get("startup", {})
    largest = results.get("largest")
    for key, v in st.items():
        if not isinstance(v, dict):
            continue
        target, ok = "", ""
        if key == f"{largest}/persisted":
            target, ok = f"< {T['startup_s']} s", verdict(v["process_s"].get("median"), T["startup_s"])
        rows.append(
            (
                f"start-up {key}: process (open)",
                f"{fmt_stat(v['process_s'], ' s')} ({fmt_stat(v['open_s'], ' s')})",
                target,
                ok,
            )
        )
    return rows


def _scale_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """Each query on each data set, against plain pandas."""
    rows: list[tuple[str, str, str, str]] = []
    T = TARGETS
    largest = results.get("largest")
    for label, sres in results.get("scale", {}).items():
        big_set = label == largest
        for q, r in sres["queries"].items():
            ratio = r.get("ratio")
            ok = ""
            if big_set:
                ok = verdict(r["ours_ms"]["median"], T["query_ms"])
                ok += " / " + verdict(ratio, T["pandas_ratio"], higher_is_better=True)
            extra = ""
            if "engine_only_ms" in r:
                extra = f"; engine only {r['engine_only_ms']['median']} ms"
            if r.get("pandas_rows") not in (None, r["rows"]):
                extra += f"; pandas rows {r['pandas_rows']:,} (baseline out of date)"
            rows.append(
                (
                    f"query {label} {q} ({r['rows']:,} rows)",
                    f"{fmt_stat(r['ours_ms'], ' ms')} pandas {r.get('pandas_ms', {}).get('median')} ms ×{ratio}{extra}",
                    f"< {T['query_ms']} ms, ≥ {T['pandas_ratio']}×" if big_set else "",
                    ok,
                )
            )
    return rows


def serve_rows(sv: dict | None) -> list[tuple[str, str, str, str]]:
    """The serve part, 1 and 2 processes side by side, for the printed table."""
    if not sv:
        return []
    if "error" in sv:
        return [("serve: 1 and 2 processes behind nginx", f"failed: {sv['error']}"[:90], "", "")]
    T, rows = TARGETS, []
    for n in (1, 2):
        r = sv.get(f"replicas_{n}", {})
        cpu = ", ".join(f"{c}%" for c in r.get("loadgen_cpu_pct_of_one_core", []))
        cores = ", ".join(str(c) for c in r.get("server_cores_used", []))
        rows.append(
            (
                f"serve: {sv['sessions']} sessions, {n} process{'es' if n > 1 else ''} behind nginx, p50 / p95 / max",
                f"{r.get('p50_ms')} / {r.get('p95_ms')} / {r.get('max_ms')} ms ({r.get('n')} changes, "
                f"{r.get('errors')} errors; processes got {cores} cores; load generator {cpu} of a core)",
                f"p95 < {T['serve_p95_ms']} ms" if n == 2 else "",
                verdict(r.get("p95_ms"), T["serve_p95_ms"]) if n == 2 else "",
            )
        )
    ratio = sv.get("p95_ratio_2_to_1")
    rows.append(("serve: p95 of 2 processes / p95 of 1", f"{ratio}", f"≤ {T['serve_p95_ratio']}", _at_most(ratio)))
    return rows


def paint_rows(pt: dict | None) -> list[tuple[str, str, str, str]]:
    """The paint part, each page beside the bare page, for the printed table."""
    if not pt:
        return []
    if "error" in pt:
        return [("paint: pages beside a bare page", f"failed: {pt['error']}"[:90], "", "")]
    from bench.paint import TARGETS as P

    rows = []
    for name, r in pt["pages"].items():
        lcp, charts, tbt, size, reach = r["lcp_ms"], r["charts_ms"], r["tbt_ms"], r["bytes"], r["reach_ms"]
        rows += [
            (
                f"paint {name}: largest contentful paint, ours / bare",
                f"{lcp['ours']:.0f} / {lcp['bare']:.0f} ms ×{lcp['ratio']} ({lcp['ratio_min']}–{lcp['ratio_max']})",
                f"≤ {P['lcp_ratio']}×",
                r["verdict"]["lcp"],
            ),
            (
                f"paint {name}: charts drawn (first screen; reached)",
                (f"{charts['ours']:.0f} / {charts['bare']:.0f} ms ×{charts['ratio']}" if charts["ours"] else "none")
                + (f"; {reach['n']} on reaching, ≤ {reach['max']} ms ×{reach['ratio']}" if reach["n"] else ""),
                f"≤ {P['charts_ratio']}×",
                r["verdict"]["charts"],
            ),
            (
                f"paint {name}: total blocking time, ours / bare",
                f"{tbt['ours']:.0f} / {tbt['bare']:.0f} ms ×{tbt['ratio']} ({tbt['ratio_min']}–{tbt['ratio_max']})",
                f"≤ {P['tbt_ratio']}×",
                r["verdict"]["tbt"],
            ),
            (
                f"paint {name}: bytes received, ours / bare",
                f"{size['ours'] / 1e6:.2f} / {size['bare'] / 1e6:.2f} MB ×{size['ratio']}",
                f"≤ {P['bytes_ratio']}×",
                r["verdict"]["bytes"],
            ),
        ]
    return rows


def _at_most(ratio: float | None) -> str:
    if ratio is None:
        return "n/a"
    return "met" if ratio <= TARGETS["serve_p95_ratio"] else "MISSED"


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
