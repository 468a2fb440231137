"""`make bench`, part paint: what a viewer's browser goes through on each page, beside a bare
Streamlit page holding one Plotly bar chart (bench/bare_page.py), in the same Chromium.

Per load, in a fresh browser context (an empty HTTP cache, as a first visit), read through
Playwright:
  lcp       the last `largest-contentful-paint` entry (PerformanceObserver, buffered), ms after
            navigation start;
  charts    when the last Plotly chart of the page drew its SVG (a MutationObserver set before
            the page's own scripts), ms after navigation start; the page is done when the script
            has finished, no skeleton is left, every chart has drawn and nothing changed for 1 s;
  tbt       total blocking time: each `longtask` entry (PerformanceObserver, buffered) from the
            first contentful paint until done, less its first 50 ms;
  bytes     bytes received: every HTTP response (Chromium's encodedDataLength, headers
            included) and every websocket frame, through the DevTools protocol.

The machine's times drift, so every page is measured right after a load of the bare page,
several times; the ratios are taken pair by pair and their median reported.
"""

from __future__ import annotations

import statistics
import time

VIEWPORT = {"width": 1280, "height": 720}
TARGETS = {"lcp_ratio": 1.5, "charts_ratio": 2.0, "tbt_ratio": 1.5, "bytes_ratio": 1.10}

_INIT = """
(() => {
  const perf = window.__sctPaint = {lcp: [], long: [], charts: []};
  new PerformanceObserver(list => list.getEntries().forEach(e => perf.lcp.push(
    {t: e.startTime, size: e.size, what: e.element ? e.element.tagName : ''}))
  ).observe({type: 'largest-contentful-paint', buffered: true});
  new PerformanceObserver(list => list.getEntries().forEach(e => perf.long.push({t: e.startTime, d: e.duration})))
    .observe({type: 'longtask', buffered: true});
  const seen = new WeakSet();
  const note = svg => {
    const plot = svg.closest('.js-plotly-plot');
    if (plot && !seen.has(plot)) { seen.add(plot); perf.charts.push(performance.now()); }
  };
  new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      if (n.matches('svg.main-svg')) note(n); else n.querySelectorAll('svg.main-svg').forEach(note);
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""

# The run is over, nothing is loading, something is on the page and every chart has drawn.
_DONE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"], '
      + '[data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')
    && charts.every(c => c.querySelector('svg.main-svg'));
}"""


def measure(browser, url: str, timeout_s: float = 60, reach: bool = False) -> dict:
    """One load of url in a fresh context: lcp, charts, tbt (ms), bytes, and what was drawn.
    reach: then scroll to each chart that waits for the reader (sctdash.app.ui.in_turn), one after
    the other, and time each from the scroll to its SVG (reach_ms), after the load's figures
    are read."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(_INIT)
    page = ctx.new_page()
    received = {"http": 0, "ws": 0}
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__("http", received["http"] + e["encodedDataLength"]))

    def frame(e: dict) -> None:
        data = e["response"]["payloadData"]
        received["ws"] += len(data) * 3 // 4 if e["response"].get("opcode") == 2 else len(data.encode())

    cdp.on("Network.webSocketFrameReceived", frame)
    try:
        page.goto(url, wait_until="commit")
        deadline = time.monotonic() + timeout_s
        page.wait_for_function(_DONE, timeout=timeout_s * 1000)
        count = "() => document.querySelectorAll('[data-testid]').length"
        before = page.evaluate(count)
        while time.monotonic() < deadline:  # a loaded machine delivers a run in several messages
            page.wait_for_timeout(1000)
            now = page.evaluate(count)
            if now == before and page.evaluate(_DONE):
                break
            before = now
        else:
            raise TimeoutError(f"{url} did not settle in {timeout_s} s")
        perf = page.evaluate("() => window.__sctPaint")
        fcp = page.evaluate("() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime || 0")
        done = page.evaluate("() => performance.now()")
        charts = sorted(perf["charts"])
        lcp = perf["lcp"][-1] if perf["lcp"] else {"t": None, "what": ""}
        bytes_at_load = dict(received)
        return {
            "reach_ms": _reach(page, deadline) if reach else [],
            "lcp_ms": lcp["t"],
            "lcp_element": lcp["what"],
            "charts_ms": charts[-1] if charts else None,
            "first_chart_ms": charts[0] if charts else None,
            "n_charts": len(charts),
            "tbt_ms": sum(max(0.0, x["d"] - 50) for x in perf["long"] if fcp <= x["t"] <= done),
            "fcp_ms": fcp,
            "bytes_http": bytes_at_load["http"],
            "bytes_ws": bytes_at_load["ws"],
            "bytes": bytes_at_load["http"] + bytes_at_load["ws"],
        }
    finally:
        ctx.close()


_WAITING = '[class*="st-key-later_"]'


def _reach(page, deadline: float) -> list[float]:
    """Scroll to each waiting chart in turn; ms from the scroll to the chart's SVG."""
    out = []
    while page.locator(_WAITING).count() and time.monotonic() < deadline + 60:
        drawn = page.evaluate("() => window.__sctPaint.charts.length")
        began = page.evaluate(
            "sel => { const el = document.querySelector(sel); if (!el) return null;"
            " el.scrollIntoView({block: 'start'}); return performance.now(); }",
            _WAITING,
        )
        if began is None:  # drawn meanwhile: the page's script reached it on the last scroll
            page.wait_for_timeout(200)
            continue
        page.wait_for_function("n => window.__sctPaint.charts.length > n", arg=drawn, timeout=30_000)
        out.append(page.evaluate("() => window.__sctPaint.charts[window.__sctPaint.charts.length - 1]") - began)
        page.wait_for_function(_DONE, timeout=30_000)
    return out


def _median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def summary(pairs: list[tuple[dict, dict]]) -> dict:
    """Medians of ours, of the bare page and of the pair-by-pair ratios, per figure."""
    out: dict = {"n": len(pairs)}
    for key in ("lcp_ms", "charts_ms", "tbt_ms", "bytes", "bytes_http", "bytes_ws", "fcp_ms"):
        ours = [p[key] for p, _ in pairs]
        bare = [b[key] for _, b in pairs]
        ratios = [p / b for p, b in zip(ours, bare) if p is not None and b]
        out[key] = {
            "ours": _median(ours),
            "bare": _median(bare),
            "ratio": _median(ratios),
            "ratio_min": round(min(ratios), 3) if ratios else None,
            "ratio_max": round(max(ratios), 3) if ratios else None,
        }
    # a page with almost no blocking time against a bare page with almost none: the ratio of
    # two small numbers says little, so TBT also gets its difference
    out["tbt_ms"]["diff"] = _median([p["tbt_ms"] - b["tbt_ms"] for p, b in pairs])
    reach = [x for p, _ in pairs for x in p["reach_ms"]]
    out["reach_ms"] = {
        "n": len(reach),
        "median": _median(reach),
        "max": round(max(reach), 1) if reach else None,
        # the slowest chart drawn on reaching it against the bare page's one chart from navigation
        "ratio": round(max(reach) / _median([b["charts_ms"] for _, b in pairs]), 3) if reach else None,
    }
    out["n_charts"] = pairs[-1][0]["n_charts"] if pairs else None
    out["n_reached"] = len(pairs[-1][0]["reach_ms"]) if pairs else None
    out["lcp_element"] = sorted({p["lcp_element"] for p, _ in pairs})
    # every chart: those of the first screen from navigation, the others from being reached
    worst = [x for x in (out["charts_ms"]["ratio"], out["reach_ms"]["ratio"]) if x is not None]
    out["verdict"] = {
        "lcp": _met(out["lcp_ms"]["ratio"], TARGETS["lcp_ratio"]),
        "charts": _met(max(worst) if worst else None, TARGETS["charts_ratio"]),
        "tbt": _met(out["tbt_ms"]["ratio"], TARGETS["tbt_ratio"]),
        "bytes": _met(out["bytes"]["ratio"], TARGETS["bytes_ratio"]),
    }
    return out


def _met(ratio: float | None, target: float) -> str:
    if ratio is None:
        return "n/a"
    return "met" if ratio <= target else "MISSED"


def part(runs: int, pages, ours_url: str, bare_url: str, browser, log=print) -> dict:
    """Every page against the bare page: `runs` pairs per page, the bare page and the page
    loaded one after the other (which first alternates), after one load of each that is
    dropped (the servers' and the disk's first time)."""
    measure(browser, bare_url + "/")
    for entry in pages:
        measure(browser, ours_url + entry.url)
    pairs: dict[str, list[tuple[dict, dict]]] = {entry.name: [] for entry in pages}
    for n in range(runs):
        log(f"  paint: round {n + 1} of {runs}")
        for entry in pages:
            if n % 2 == 0:
                bare = measure(browser, bare_url + "/")
                ours = measure(browser, ours_url + entry.url, reach=True)
            else:
                ours = measure(browser, ours_url + entry.url, reach=True)
                bare = measure(browser, bare_url + "/")
            pairs[entry.name].append((ours, bare))
    return {
        "viewport": VIEWPORT,
        "targets": TARGETS,
        "runs": runs,
        "pages": {name: summary(p) for name, p in pairs.items()},
        "raw": {name: p for name, p in pairs.items()},
    }
