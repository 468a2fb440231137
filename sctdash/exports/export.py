"""Slide-ready exports, without Streamlit: 16:9 images, the data behind a chart, and decks.

    png(exhibit) / svg(exhibit)        -> 1920×1080 PNG / 960×540 SVG (kaleido + the system Chromium)
    map_png(view) / map_svg(view)      -> the same for a district map
    sheets.csv_bytes / xlsx(exhibit)   -> the chart's rows as CSV / XLSX, first rows naming chart and source
    deck.page_deck / deck.dashboard_deck -> .pptx (sctdash.exports.deck)

Every export draws an exhibit of a page view (sctdash.exhibits.pipeline.Views: the app's cached
views, or views built here for the command line).

    python -m sctdash.exports.export png CHART_ID [--district CODE ...] [--years FIRST LAST] [--out PATH]
    python -m sctdash.exports.deck [--page PAGE] [--district CODE ...] [--years FIRST LAST] [--out PATH]

An export draws the exhibit the page draws (sctdash.exhibits.pipeline → sctdash.exhibits.exhibit): the image is
the same figure on a 960×540 canvas rendered at scale 2, so one layout pixel is one point on a
13.33-inch slide and the smallest text (14 px) is 14 pt when projected. File names and
footnotes name the districts and the years in view.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from pathlib import Path

from sctdash.core import fmt, fold, paths
from sctdash.core.i18n import LANGS, t
from sctdash.drawing import figures, map_figures
from sctdash.exhibits import phrases, pipeline
from sctdash.exhibits.district_map import MapView
from sctdash.exhibits.exhibit import Exhibit
from sctdash.exhibits.filters import Filters, year_range
from sctdash.exports import render, sheets
from sctdash.exports.render import HEIGHT, SCALE, WIDTH, ChromiumMissing, chromium_available  # noqa: F401 (re-exported)
from sctdash.store import db, persist

log = logging.getLogger(__name__)


class NoRows(ValueError):
    """The chart has no rows under these filters, so there is no image to make."""


# ------------------------------------------------------------------ stores and names
def open_store() -> db.Store:
    """The extracts of paths.data_dir() for a command: the database file the dashboard keeps
    for this version of them (built if none is), as the app opens it."""
    return persist.open_store(paths.data_dir())


def today() -> str:
    return fmt.date(dt.date.today())


def stamp(lang: str, date: str | None = None) -> str:
    """“Sở Công Thương tỉnh Quảng Ngãi · 29/11/2026”: who made an export, and when."""
    return f"{t('app.department', lang)} · {date or today()}"


def slug(text: str) -> str:
    text = fold.unmarked(text).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def file_name(stem: str, filters: Filters, years: tuple[int, int] | None, district_names: list[str]) -> str:
    """File names after the chart, the districts and the years in view, e.g.
    cho_ba-to_2015-2023 (no years for a figure that has none, such as a map of named things)."""
    parts = [slug(stem.removeprefix("more."))]
    parts.append("-".join(slug(n) for n in district_names) if filters.districts else "toan-tinh")
    if years:
        parts.append(f"{years[0]}-{years[1]}" if years[0] != years[1] else str(years[1]))
    return "_".join(parts)


def filters_words(store_query, filters: Filters, lang: str) -> str:
    names = dict(store_query("area_names")[["area_code", "name_vi"]].itertuples(index=False))
    return phrases.filters_text(filters.districts, filters.years, names, lang)


# ------------------------------------------------------------------ images
def image_canvas(lang: str, date: str | None = None) -> figures.Canvas:
    return figures.Canvas(width=WIDTH, height=HEIGHT, stamp=stamp(lang, date))


def image_figure(ex: Exhibit, date: str | None = None):
    """The self-explaining 16:9 figure: title, filters, units, labels, legend, source,
    department and date."""
    if ex.no_rows:
        raise NoRows(ex.notice)
    return figures.figure(ex, image_canvas(ex.lang, date))


def png(ex: Exhibit, date: str | None = None) -> bytes:
    """A 1920×1080 PNG of the exhibit."""
    return render.render([image_figure(ex, date)], "png")[0]


def svg(ex: Exhibit, date: str | None = None) -> bytes:
    """The same image as SVG, 960×540 user units."""
    return render.render([image_figure(ex, date)], "svg", scale=1)[0]


def map_image_figure(map_view: MapView, date: str | None = None):
    """The district map on the charts' 16:9 image canvas."""
    return map_figures.figure(map_view, image_canvas(map_view.lang, date))


def map_png(map_view: MapView, date: str | None = None) -> bytes:
    return render.render([map_image_figure(map_view, date)], "png")[0]


def map_svg(map_view: MapView, date: str | None = None) -> bytes:
    return render.render([map_image_figure(map_view, date)], "svg", scale=1)[0]


# ------------------------------------------------------------------ data files
def xlsx(ex: Exhibit, date: str | None = None) -> bytes:
    source = ex.footnotes[0] if ex.footnotes else ""
    return sheets.xlsx_bytes(ex.rows, ex.id, ex.title, source, ex.subtitle, ex.lang, date or today())


def map_xlsx(map_view: MapView, date: str | None = None) -> bytes:
    source = map_view.footnotes[-1] if map_view.footnotes else ""
    return sheets.xlsx_bytes(
        map_view.rows, map_view.id, map_view.title, source, map_view.subtitle, map_view.lang, date or today()
    )


# ------------------------------------------------------------------ command line
def parse_view(ap: argparse.ArgumentParser, argv: list[str] | None, store: db.Store):
    """The arguments every export command takes: districts, years, language, output."""
    ap.add_argument("--district", nargs="+", action="extend", default=[], metavar="CODE")
    ap.add_argument("--years", nargs=2, type=int, metavar=("FIRST", "LAST"))
    ap.add_argument("--lang", choices=LANGS, default="vi")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    first, last = year_range(store.query)
    years = sorted(args.years) if args.years else (first, last)
    if not (first <= years[0] and years[1] <= last):
        ap.exit(2, f"years {years[0]}–{years[1]} are outside the data's {first}–{last}\n")
    # the areas the filter offers for these years: 2020's districts, and every district or
    # commune with figures in them (a commune of 2025, a former Kon Tum district)
    known = set(store.query("area_options", year_from=years[0], year_to=years[1])["area_code"])
    codes = [c for part in args.district for c in part.replace(",", " ").split()]
    unknown = [c for c in codes if c not in known]
    if unknown:
        ap.exit(
            2,
            f"unknown area code(s) for {years[0]}–{years[1]}: {', '.join(unknown)}; known: {', '.join(sorted(known))}\n",
        )
    return args, Filters.of(codes, *years)


def write(out: Path, data: bytes, began: float) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"{out} ({len(data) / 1024:.0f} KB, {time.perf_counter() - began:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    """python -m sctdash.exports.export png|svg CHART_ID [--district CODE ...] [--years FIRST LAST]
    [--lang vi|en] [--out PATH]"""
    ap = argparse.ArgumentParser(prog="python -m sctdash.exports.export", description="A chart as a 16:9 image.")
    ap.add_argument("format", choices=("png", "svg"))
    ap.add_argument("chart", help="a chart id of charts.toml, or more.<indicator>")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    store = open_store()
    try:
        args, f = parse_view(ap, argv, store)
    except SystemExit as exc:
        return int(exc.code or 0)
    began = time.perf_counter()
    try:
        ex = pipeline.views(store.query, f, args.lang).exhibit(args.chart)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    try:
        data = (png if args.format == "png" else svg)(ex)
    except (ChromiumMissing, NoRows) as exc:
        print(exc, file=sys.stderr)
        return 1
    write(args.out or paths.ROOT / "build" / f"{args.chart}.{args.format}", data, began)
    return 0


if __name__ == "__main__":
    sys.exit(main())
