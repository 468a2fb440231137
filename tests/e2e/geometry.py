"""Geometry facts of a page as drawn in the browser, for the projector checks
(tests/e2e/test_projector.py): what scrolls, what is cut and what runs into what.

One call, `facts(page, meeting)`, measures everything on the page as it stands:

- `scroll`: how far the main area (Streamlit's stMain) scrolls across and, on a meeting
  screen, down: a meeting screen is one screen;
- `cut`: chart texts (titles, ticks, axis titles, legends, value labels, annotations, map
  tiles' words) whose box reaches outside their chart's box, the chart's box being its
  figure's box within its place on the page;
- `outside_tile`: a district map's words that reach outside the tile they are written on;
- `overlaps`: pairs of a chart's texts whose boxes overlap each other;
- `wide`: tile labels and values, and buttons' labels, whose content is wider than their box
  (scrollWidth > clientWidth: wrapped text never is, text cut with an ellipsis always is);
- `small`: on a meeting screen, visible text under 17.5 px.

Boxes are the browser's own (getBoundingClientRect); a tolerance of one pixel absorbs
rounding. Nothing here compares pictures.
"""

from __future__ import annotations

TOLERANCE = 1.0
MIN_MEETING_PX = 17.5  # "about 18 px" at the back of a room: 14 px × 1.3 = 18.2 px and up

_JS = """
([meeting, tol, minPx]) => {
  const rect = (el) => el.getBoundingClientRect();
  const shown = (el) => {
    const r = rect(el);
    if (r.width < 0.5 || r.height < 0.5) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || parseFloat(s.opacity) === 0) return false;
    }
    return true;
  };
  const words = (el) => {
    const lines = el.querySelectorAll ? el.querySelectorAll("tspan.line") : [];
    const text = lines.length ? [...lines].map((l) => l.textContent).join(" ") : el.textContent || "";
    return text.replace(/\\s+/g, " ").trim();
  };
  const inter = (a, b) => ({
    left: Math.max(a.left, b.left), right: Math.min(a.right, b.right),
    top: Math.max(a.top, b.top), bottom: Math.min(a.bottom, b.bottom),
  });
  const out = { scroll: {}, cut: [], overlaps: [], outside_tile: [], wide: [], small: [], charts: 0, texts: 0 };
  const main = document.querySelector('[data-testid="stMain"]');
  out.scroll = { across: main.scrollWidth - main.clientWidth, down: main.scrollHeight - main.clientHeight };

  document.querySelectorAll(".js-plotly-plot").forEach((plot, index) => {
    if (!shown(plot)) return;
    out.charts += 1;
    const holder = plot.closest('[data-testid="stElementContainer"]') || plot;
    const name = (holder.className.match(/st-key-[\\w-]+/) || ["chart " + index])[0].replace("st-key-", "");
    const box = inter(rect(plot.querySelector(".main-svg") || plot), rect(holder));
    const texts = [...plot.querySelectorAll("text")].filter(
      (t) => words(t) && !t.closest(".hoverlayer") && !t.closest(".modebar") && shown(t)
    );
    out.texts += texts.length;
    const boxes = texts.map((t) => [words(t), rect(t)]);
    for (const [text, r] of boxes) {
      const by = Math.max(box.left - r.left, r.right - box.right, box.top - r.top, r.bottom - box.bottom);
      if (by > tol) out.cut.push({ chart: name, text, by: Math.round(by) });
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const o = inter(boxes[i][1], boxes[j][1]);
        if (o.right - o.left > tol && o.bottom - o.top > tol) {
          out.overlaps.push({ chart: name, a: boxes[i][0], b: boxes[j][0],
                              area: Math.round((o.right - o.left) * (o.bottom - o.top)) });
        }
      }
    }
    // a map's tiles: the shapes under the plot; words centred on a tile stay inside it
    const tiles = [...plot.querySelectorAll(".shapelayer path")].map(rect)
      .filter((r) => r.width > 20 && r.height > 20);
    for (const ann of plot.querySelectorAll(".annotation-text")) {
      if (!words(ann) || !shown(ann)) continue;
      const r = rect(ann);
      const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
      const tile = tiles.find((t) => cx > t.left && cx < t.right && cy > t.top && cy < t.bottom);
      if (!tile) continue;
      const by = Math.max(tile.left - r.left, r.right - tile.right, tile.top - r.top, r.bottom - tile.bottom);
      if (by > tol) out.outside_tile.push({ chart: name, text: words(ann), by: Math.round(by) });
    }
  });

  const boxed = document.querySelectorAll(
    '[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricValue"], ' +
    '[data-testid="stMetricValue"] *, [data-testid="stMain"] button, [data-testid="stMain"] button *'
  );
  for (const el of boxed) {
    if (!shown(el) || !words(el) || el.closest('[data-testid="stTooltipIcon"]')) continue;
    if (el.scrollWidth > el.clientWidth + tol && el.clientWidth > 0) {
      out.wide.push({ text: words(el), content: el.scrollWidth, box: el.clientWidth });
    }
  }

  if (meeting) {
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || seen.has(el) || el.closest('[data-testid="stIconMaterial"], .hoverlayer')) continue;
      seen.add(el);
      if (!shown(el)) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < minPx) out.small.push({ text: words(el).slice(0, 60), px });
    }
  }
  return out;
}
"""


def facts(page, meeting: bool = False) -> dict:
    """The geometry facts of the page as it stands (see the module's docstring)."""
    return page.evaluate(_JS, [meeting, TOLERANCE, MIN_MEETING_PX])


def problems(found: dict, meeting: bool = False) -> list[str]:
    """Each fact that breaks a rule, in words (empty: the page passes)."""
    out = []
    scroll = found["scroll"]
    if scroll["across"] > TOLERANCE:
        out.append(f"the main area scrolls {scroll['across']} px across")
    if meeting and scroll["down"] > TOLERANCE:
        out.append(f"the meeting screen scrolls {scroll['down']} px down")
    out += [f"cut by {c['by']} px in {c['chart']}: {c['text']!r}" for c in found["cut"]]
    out += [f"outside its tile by {c['by']} px in {c['chart']}: {c['text']!r}" for c in found["outside_tile"]]
    out += [f"overlap in {o['chart']}: {o['a']!r} and {o['b']!r} ({o['area']} px²)" for o in found["overlaps"]]
    out += [f"wider than its box ({w['content']} > {w['box']} px): {w['text']!r}" for w in found["wide"]]
    out += [f"text of {s['px']} px on a meeting screen: {s['text']!r}" for s in found["small"]]
    return out
