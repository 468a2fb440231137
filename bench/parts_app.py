"""The parts of `make bench` that run the app without a browser: pages (every page drawn by
the pipeline, in a child process), rerun (AppTest, a district change on each page) and
sessions (many AppTest sessions in threads at once).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from bench.common import BUILD, ROOT, _open, log, stats, worker


# ------------------------------------------------------------------ pages drawn (child processes)
def worker_pages(data_dir: str, runs: str) -> dict:
    """Every page as the pipeline draws it (curated charts, "More figures", tiles, district
    maps, each figure built), under no district, one and three districts, every year of the
    set; in this fresh process, without Streamlit. Errors are counted and named, not raised."""
    from sctdash.core import catalogue
    from sctdash.drawing import figures, map_figures
    from sctdash.exhibits import district_map, pipeline
    from sctdash.exhibits.filters import Filters, year_range

    store = _open(Path(data_dir), "persisted", BUILD / "bench" / "cache")
    q = store.query
    first, last = year_range(q)
    out: dict = {"years": [first, last], "errors": [], "charts": 0, "lines": 0, "rankings": 0, "maps": 0}
    views = {"province": (), "one": ("535",), "three": ("535", "529", "522")}
    if last >= 2025:  # the merged province: a commune of 2025 and a former Kon Tum district too
        views |= {"commune": ("21484",), "kon_tum": ("608",)}
    times: dict[str, list[float]] = {k: [] for k in views}
    for _ in range(int(runs)):
        for label, districts in views.items():
            f = Filters.of(districts, first, last)
            t0 = time.perf_counter()
            for page in catalogue.pages():
                try:
                    s = pipeline.setting_for(q, f, "vi")
                    view = pipeline.page_view(q, page, f, "vi", s)
                    pipeline.page_tiles(q, page, f, "vi", s)
                    for ex in view.exhibits():
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


# ------------------------------------------------------------------ AppTest sessions
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
        from sctdash.app import state

        keys.append(state.DISTRICT)
    except Exception:
        pass
    return [*dict.fromkeys([*keys, "district"])]


def _page_paths() -> list[str]:
    from sctdash.app import site

    return [entry.script for entry in site.PAGES]


def _district_codes() -> list[str]:
    from sctdash.store import db

    return list(db.Store(ROOT / "data", cache_dir=BUILD / "bench" / "cache").query("district_list")["area_code"])


def _draw_every_chart(at) -> None:
    """A session that has scrolled to every chart: each rerun draws them all, as before charts
    came in turn (sctdash.app.ui.in_turn), so the figures compare with earlier runs."""
    from sctdash.app import state

    at.session_state[state.DRAW_ALL] = True


def _pages_are_st_page_scripts() -> None:
    """As sctdash.serving.serve does for the server and tests/conftest.py for AppTest."""
    from sctdash.app import site

    site.pages_are_st_page_scripts()


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
