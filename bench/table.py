"""The table `make bench` prints: every figure of a run, median (min–max), target, verdict.
(bench/report.py writes the Markdown tables of docs/benchmarks.md.)
"""

from __future__ import annotations

from bench.common import TARGETS
from bench.parts_data import EXPORT_FIGURES


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
                + (
                    f"; {reach['n']} reached in {pt['runs']} loads, ≤ {reach['max']} ms ×{reach['ratio']}"
                    if reach["n"]
                    else ""
                ),
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
