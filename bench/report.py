"""Markdown tables of a `make bench` result, for docs/benchmarks.md.

python -m bench.report [build/bench.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.common import BUILD, TARGETS
from bench.parts_data import EXPORT_FIGURES


def ms(s: dict | None) -> str:
    if not s or not s.get("n"):
        return "—"
    return f"{s['median']:g} ({s['min']:g}–{s['max']:g})"


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(value, target, higher_is_better=False) -> str:
    if value is None:
        return "n/a"
    return "met" if (value >= target if higher_is_better else value < target) else "**missed**"


def report(r: dict) -> str:
    out = []
    m = r["machine"]
    pk = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
    out.append(
        f"Machine: {m['cores']} cores, {m['memory_gib']} GiB, {m['cpu']}; Python {m['python']}; {pk}; "
        f"{m.get('chromium') or 'chromium ?'}. Run started {r['started']}, took {r['durations_s'].get('total')} s; "
        f"load average (1, 5, 15 min) {r.get('load_average_start')} at start, {r.get('load_average_end')} at end."
    )
    out += _cold(r)
    out += _reruns(r)
    out += _sessions(r)
    out += _serve(r)
    out += _queries(r)
    out += _startup(r)
    out += _memory(r)
    out += _export(r)
    out.append(paint_report(r.get("paint")))
    return "\n".join(out)


def _cold(r: dict) -> list[str]:
    """Cold start of each page, in its steps (s)."""
    out: list[str] = []
    # cold start
    rows = []
    for name, p in r.get("cold", {}).get("pages", {}).items():
        if "skipped" in p:
            rows.append([name, "skipped: " + p["skipped"], "", "", "", "", "", ""])
            continue
        med = p["ready_to_paint_s"].get("median")
        rows.append(
            [
                name,
                ms(p["launch_to_ready_s"]),
                ms(p["ready_to_frontend_booted_s"]),
                ms(p["ready_to_first_output_s"]),
                f"**{ms(p['ready_to_paint_s'])}** ({p.get('painted')})",
                verdict(med, TARGETS["cold_s"]),
                ms(p.get("warm_server_paint_s")),
                ms(p.get("warm_server_warm_browser_paint_s")),
            ]
        )
    out.append("### Cold start (s; target: first chart < 3 s after the server is ready)\n")
    out.append(
        md_table(
            [
                "page",
                "launch → ready",
                "ready → frontend booted",
                "ready → first output",
                "ready → first chart",
                "target",
                "warm server, fresh browser",
                "warm server, warm browser cache",
            ],
            rows,
        )
    )
    return out


def _reruns(r: dict) -> list[str]:
    """A district change on each page (ms)."""
    out: list[str] = []
    # reruns
    rows = []
    for name, p in r.get("rerun", {}).get("pages", {}).items():
        if "skipped" in p:
            rows.append([name, "skipped: " + p["skipped"], "", ""])
            continue
        rows.append(
            [
                name,
                f"**{ms(p['rerun_ms'])}**",
                ms(p["rerun_cached_ms"]),
                verdict(p["rerun_ms"].get("median"), TARGETS["rerun_ms"]),
            ]
        )
    out.append(
        f"\n### Interaction: rerun after a district filter change (ms; target < {TARGETS['rerun_ms']} ms median)\n"
    )
    out.append(md_table(["page", "new district (queries not cached)", "a district seen before", "target"], rows))
    return out


def _sessions(r: dict) -> list[str]:
    """Many AppTest sessions at once."""
    out: list[str] = []
    s = r.get("sessions", {})
    if s.get("p95_ms") is not None:
        out.append(f"\n### Concurrency: {s['sessions']} sessions (target p95 < {TARGETS['sessions_p95_ms']} ms)\n")
        out.append(
            md_table(
                ["reruns measured", "p50 ms", "p95 ms", "max ms", "wall s", "errors", "target"],
                [
                    [
                        s["reruns_measured"],
                        s["p50_ms"],
                        f"**{s['p95_ms']}**",
                        s["max_ms"],
                        s["wall_s"],
                        s["n_errors"],
                        verdict(s["p95_ms"], TARGETS["sessions_p95_ms"]),
                    ]
                ],
            )
        )
    return out


def _serve(r: dict) -> list[str]:
    """Real sessions through nginx, 1 process and 2."""
    out: list[str] = []
    sv = r.get("serve", {})
    if sv.get("replicas_1"):
        out.append(
            f"\n### Many viewers: {sv['sessions']} real sessions through nginx, 1 process and 2 "
            f"(ms from a district change to the last chart updated; target with 2: p95 < {TARGETS['serve_p95_ms']} ms "
            f"and ≤ {TARGETS['serve_p95_ratio']} × 1 process's)\n"
        )
        rows = []
        for n in (1, 2):
            x = sv[f"replicas_{n}"]
            rows.append(
                [
                    n,
                    x.get("n"),
                    x.get("p50_ms"),
                    f"**{x.get('p95_ms')}**",
                    x.get("max_ms"),
                    x.get("errors"),
                    " / ".join(str(c) for c in x.get("loadgen_cpu_pct_of_one_core", [])),
                    " / ".join(str(c) for c in x.get("server_cores_used", [])),
                    " / ".join(str(c) for c in x.get("server_cpu_ms_per_run", [])),
                    " / ".join(", ".join(f"{k} {v}" for k, v in c.items()) for c in x.get("server_cpu_s", [])),
                ]
            )
        out.append(
            md_table(
                ["processes", "changes", "p50", "p95", "max", "errors", "load generator, % of a core"]
                + ["cores the processes got", "CPU ms per run", "server CPU s"],
                rows,
            )
        )
        out.append(
            f"\np95 of 2 processes / p95 of 1: **{sv.get('p95_ratio_2_to_1')}** ({len(sv.get('rounds', []))} runs, "
            "alternating 1, 2, 1, 2; each a fresh `make serve`). Peak memory of each process with its sessions open "
            f"(MB): {sv['replicas_1'].get('server_peak_mb')} with 1, {sv['replicas_2'].get('server_peak_mb')} with 2; "
            f"websocket data per run (KB): {sv['replicas_1'].get('kb_per_run')}."
        )
    return out


def _queries(r: dict) -> list[str]:
    """Each query on each data set, against plain pandas."""
    out: list[str] = []
    largest = r["largest"]
    # queries
    scale = r.get("scale", {})
    labels = list(scale)
    rows = []
    for q in scale.get(largest, {}).get("queries", {}):
        big = scale[largest]["queries"][q]
        row = [q]
        for label in labels:
            row.append(ms(scale[label]["queries"].get(q, {}).get("ours_ms")))
        row += [
            f"{big['rows']:,}",
            ms(big.get("pandas_ms")),
            f"{big['ratio']}×" if big.get("ratio") is not None else "no baseline",
            ms(big.get("engine_only_ms")),
            verdict(big["ours_ms"]["median"], TARGETS["query_ms"])
            + " / "
            + verdict(big.get("ratio"), TARGETS["pandas_ratio"], True),
        ]
        rows.append(row)
    out.append(
        f"\n### Queries (ms; target on {largest}: < {TARGETS['query_ms']} ms median and ≥ {TARGETS['pandas_ratio']}× pandas)\n"
    )
    out.append(
        md_table(
            ["query", *[f"ours, {lb}" for lb in labels], f"rows, {largest}", f"pandas, {largest}", "pandas / ours"]
            + ["engine only", "target (time / ratio)"],
            rows,
        )
    )
    out.append(
        "\nLoading: "
        + "; ".join(
            f"{lb}: store {scale[lb]['store_open_s']:.2f} s ({scale[lb].get('store_mode')}), "
            f"pandas read_csv {scale[lb]['pandas_load_s']:.2f} s"
            for lb in labels
        )
        + "."
    )
    return out


def _startup(r: dict) -> list[str]:
    """Start-up of a process per data set and store mode."""
    out: list[str] = []
    largest = r["largest"]
    # start-up and memory
    st = r.get("startup", {})
    rows = []
    for key, v in st.items():
        if not isinstance(v, dict):
            continue
        target = ""
        if key == f"{largest}/persisted":
            target = verdict(v["process_s"].get("median"), TARGETS["startup_s"])
        rows.append([key, ms(v["process_s"]), ms(v["open_s"]), target])
    mem = r.get("memory", {}).get(f"{largest}/memory")
    if mem:
        rows.append([f"{largest}/memory (1 run, from the memory part)", "—", f"{mem['load_s']}", ""])
    out.append(
        f"\n### Start-up of the data (s; target: {largest} < {TARGETS['startup_s']} s once its database is built)\n"
    )
    out.append(
        md_table(["data / store", "process start → Store ready + first query", "Store open or load", "target"], rows)
    )
    if st.get("persisted_build_s") is not None:
        out.append(
            f"\nBuilding the persisted database of {largest} took {st['persisted_build_s']} s (once per change)."
        )
    return out


def _memory(r: dict) -> list[str]:
    """Peak resident memory of the server and of a process per data set."""
    out: list[str] = []
    largest = r["largest"]
    rows = []
    srv = r.get("cold", {}).get("server_vmhwm_bundled_mb")
    rows.append(["server, bundled data, every page shown", f"**{srv}**", verdict(srv, TARGETS["server_mb"])])
    big = r.get("server_largest", {})
    if big:
        note = f"first chart {big.get('ready_to_paint_s')} s after ready" + (
            f"; the page failed: {big['error'].strip().splitlines()[0]}" if big.get("error") else ""
        )
        rows.append([f"server, {largest} (in-memory Store, as the app is) — {note}", big.get("server_vmhwm_mb"), ""])
    for key, v in r.get("memory", {}).items():
        rows.append(
            [
                f"process holding the Store, {key}, after every query",
                v["vmhwm_mb"],
                f"after load {v['vmhwm_after_load_mb']}",
            ]
        )
    out.append(
        f"\n### Peak resident memory (VmHWM, MB; target: server < {TARGETS['server_mb']} MB with the bundled data)\n"
    )
    out.append(md_table(["process", "MB", "note"], rows))
    return out


def _export(r: dict) -> list[str]:
    """PNG, decks and the renderer's start."""
    out: list[str] = []
    ex = r.get("export", {})
    out.append(f"\n### Export (s; target: whole deck < {TARGETS['deck_s']} s with a warm renderer)\n")
    if "status" in ex:
        out.append(ex["status"])
    else:
        rows = []
        for key, label in EXPORT_FIGURES:
            v = ex.get(key) or {}
            target = verdict(v.get("median"), TARGETS["deck_s"]) if key == "deck_all_warm_s" else ""
            rows.append([label, ms(v) if v.get("n") else "failed: " + ex.get("errors", {}).get(key, "?"), target])
        out.append(md_table(["export", "s", "target"], rows))
        out.append(
            f"\nPNG of `{ex.get('png_chart')}`; page deck of `{ex.get('page_deck_page')}`; {ex.get('charts')} charts."
        )
    return out


def paint_report(pt: dict | None) -> str:
    """The paint part: each page beside the bare page (ratios pair by pair, their median)."""
    if not pt or "pages" not in pt:
        return ""
    from bench.paint import TARGETS as P

    def pair(x: dict, scale: float = 1, unit: str = " ms", digits: int = 0) -> str:
        if x.get("ours") is None:
            return "—"
        spread = f" ({x['ratio_min']}–{x['ratio_max']})" if x.get("ratio_min") is not None else ""
        return f"{x['ours'] / scale:.{digits}f} / {x['bare'] / scale:.{digits}f}{unit}, **×{x['ratio']}**{spread}"

    rows = []
    for name, p in pt["pages"].items():
        reach = p["reach_ms"]
        reached = (
            f"{reach['n']} reached in {pt['runs']} loads, median {reach['median']:.0f}, max {reach['max']:.0f} ms, **×{reach['ratio']}**"
            if reach["n"]
            else "—"
        )
        v = p["verdict"]
        rows.append(
            [
                name,
                pair(p["lcp_ms"]),
                pair(p["charts_ms"]),
                reached,
                pair(p["tbt_ms"]),
                pair(p["bytes"], 1e6, " MB", 2),
                f"LCP {v['lcp']}, charts {v['charts']}, TBT {v['tbt']}, bytes {v['bytes']}",
            ]
        )
    head = (
        f"\n### Paint: each page beside a bare page with one Plotly bar chart (ours / bare, ratio; "
        f"{pt['runs']} pairs per page, {pt['viewport']['width']}×{pt['viewport']['height']}; targets: LCP ≤ "
        f"{P['lcp_ratio']}×, every chart ≤ {P['charts_ratio']}×, TBT ≤ {P['tbt_ratio']}×, bytes ≤ {P['bytes_ratio']}×)\n"
    )
    return head + md_table(
        [
            "page",
            "largest contentful paint",
            "first screen's charts drawn",
            "later charts, from being reached (ratio to the bare page's chart)",
            "total blocking time",
            "bytes received",
            "verdict",
        ],
        rows,
    )


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else BUILD / "bench.json"
    print(report(json.loads(path.read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
