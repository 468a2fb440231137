"""The parts of `make bench` that drive headless Chromium against a running server: cold
start of each page, the server on the largest set (server_largest), and paint (each page
beside a bare Streamlit page, bench/paint.py). The serve part is bench/serving.py.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from bench.common import BUILD, CHROMIUM, CHROMIUM_ARGS, COLD_BUDGET_S, PY, ROOT, Server, log, stats

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


def part_paint(runs: int) -> dict:
    """bench/paint.py: every page of sctdash.app.site beside the bare page, in one Chromium."""
    from playwright.sync_api import sync_playwright

    from bench import paint
    from sctdash.app import site

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            with Server() as ours, Server(script="bench/bare_page.py") as bare:
                return paint.part(runs, site.PAGES, ours.url, bare.url, browser, log)
        finally:
            browser.close()
