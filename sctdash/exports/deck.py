"""PowerPoint decks of the dashboard: a page, or every page with a section slide each.

    page_deck(page, views)  -> .pptx bytes
    dashboard_deck(views)   -> .pptx bytes

    python -m sctdash.exports.deck [--page PAGE] [--district CODE ...] [--years FIRST LAST]
                           [--lang vi|en] [--out PATH]

A deck is a cover (title, filters, date, department), for the whole dashboard a section slide
per page, then the page's district maps, its charts in the order of charts.toml, and its
automatic charts ("Số liệu khác"), each as the page draws them under the filters: the page
views and map views of `views` (sctdash.exhibits.pipeline.Views), which the app takes from the
caches its screens drew from, so a deck builds no exhibit the page has built. A map is a slide
of native shapes, a chart a native chart or, for small multiples, a picture
(sctdash.exports.slides).
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import time

from pptx import Presentation

from sctdash.core import catalogue
from sctdash.core.i18n import t
from sctdash.drawing import figures
from sctdash.exhibits import district_map, pipeline, places, target_table
from sctdash.exhibits.exhibit import Exhibit
from sctdash.exhibits.filters import Filters
from sctdash.exhibits.pipeline import Views
from sctdash.exports import export, render, slides


def deck_maps(pages: list[str], query, filters: Filters) -> dict[str, list[dict]]:
    """The district maps on each page's slides, before its charts: a page's deck shows every
    map of that page (its curated maps, then one per indicator of its topics with district
    rows); the whole deck shows each map once, under the first page other than the overview
    that has it (the overview keeps the maps no other page has)."""

    def of(page: str) -> list[dict]:
        curated = [district_map.spec(m) for m in district_map.maps_for(page)]
        topics = catalogue.topics(page) if page != "overview" else None
        return curated + district_map.indicator_maps(query, filters, topics)

    if len(pages) == 1:
        return {pages[0]: of(pages[0])}
    home: dict[str, str] = {}
    for page in sorted(pages, key=lambda p: p == "overview"):  # the overview last
        for m in of(page):
            home.setdefault(m["id"], page)
    return {page: [m for m in of(page) if home[m["id"]] == page] for page in pages}


def _pictures(exhibits: list[Exhibit]) -> dict[str, bytes]:
    """Every picture the deck needs (small multiples), rendered in one batch."""
    wanted = [ex for ex in exhibits if not ex.native and not ex.no_rows]
    if not wanted or not render.chromium_available():
        return {}
    out = {}
    for ex in wanted:
        _, _, w, h = slides.body_box(slides.chart_footnote(ex, ""))
        w_pt, h_pt = int(slides.Emu(w).pt), int(slides.Emu(h).pt)
        fig = figures.figure(ex, figures.Canvas(width=w_pt, height=h_pt, words=False))
        # one layout pixel per point on the slide (fonts ≥ 14 px = 14 pt), ≥ 1920 px wide
        out[ex.id] = render.render([fig], "png", w_pt, h_pt, render.WIDTH * render.SCALE / w_pt)[0]
    return out


def build(pages: list[str], views: Views, sections: bool) -> bytes:
    date = export.today()
    lang, filters, q = views.lang, views.filters, views.query
    stamp = export.stamp(lang, date)
    exhibits = {page: views.page(page).exhibits() for page in pages}
    pictures = _pictures([ex for page in pages for ex in exhibits[page]])
    prs = Presentation()
    prs.slide_width, prs.slide_height = slides.SLIDE_W, slides.SLIDE_H
    heading = t(f"page.{pages[0]}", lang) if len(pages) == 1 else t("app.title", lang)
    filters_line = export.filters_words(q, filters, lang)
    slides.cover(prs, heading, filters_line, t("deck.exported_on", lang, date=date), lang, whole=len(pages) > 1)
    maps = deck_maps(pages, q, filters)
    for page in pages:
        if sections:
            slides.section(prs, t(f"page.{page}", lang), t(f"page_intro.{page}", lang))
        if page == "overview":  # the plans and results in view, first: what a meeting asks
            _target_slides(prs, q, filters, filters_line, stamp, lang)
        for m in maps[page]:
            shown = views.map(m)
            slides.map_slide(
                prs, shown, stamp, t("map.slide_notes_communes" if shown.points else "map.slide_notes", lang)
            )
        groups = places.named_places(q, list(filters.districts), lang, page) if page in places.PAGE_KINDS else []
        if groups:  # the places the report names in the chosen districts, in words
            slides.text_slides(prs, t("places.heading", lang), filters_line, groups, [stamp])
        for ex in exhibits[page]:
            slides.chart_slide(prs, ex, pictures.get(ex.id), stamp)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _target_slides(prs, q, filters: Filters, filters_line: str, stamp: str, lang: str) -> None:
    rows = q("target_standing", **filters.params())
    if rows.empty:
        return
    shown = target_table.frame(rows, pipeline.area_names(q, lang), lang)
    sources = sorted({str(x) for x in rows["source_publisher"] if isinstance(x, str)})
    foot = [t("targets.source", lang, sources="; ".join(sources)), stamp]
    heading = f"{t('targets.heading', lang)}: {target_table.summary(rows, lang)}"
    slides.table_slides(prs, heading, filters_line, shown, foot, t("column.standing", lang))


def page_deck(page: str, views: Views) -> bytes:
    """Cover, then the page's maps and charts under the views' filters."""
    return build([page], views, sections=False)


def dashboard_deck(views: Views) -> bytes:
    """Cover, then for every page a section slide, its maps and its charts."""
    return build(catalogue.pages(), views, sections=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sctdash.exports.deck", description="The dashboard as a slide deck.")
    ap.add_argument("--page", choices=catalogue.pages(), help="one page only (default: the whole dashboard)")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    store = export.open_store()
    try:
        args, f = export.parse_view(ap, argv, store)
    except SystemExit as exc:
        return int(exc.code or 0)
    began = time.perf_counter()
    pages = [args.page] if args.page else catalogue.pages()
    try:
        data = build(pages, pipeline.views(store.query, f, args.lang), sections=not args.page)
    except render.ChromiumMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    export.write(args.out or export.paths.ROOT / "build" / f"{args.page or 'dashboard'}.pptx", data, began)
    return 0


if __name__ == "__main__":
    sys.exit(main())
