"""Slide-ready exports, without Streamlit: 16:9 images, the data behind a chart, and decks.

    png(chart_or_figure, filters, lang)  -> 1920×1080 PNG bytes (kaleido + the system Chromium)
    svg(chart_or_figure, filters, lang)  -> SVG bytes
    csv_bytes(df, meta, lang)            -> the chart's query rows as CSV (UTF-8 with BOM)
    xlsx_bytes(df, meta, lang, ctx)      -> the same as XLSX, first rows naming chart and source
    page_deck(page, filters, lang)       -> a .pptx of one page: cover + one slide per chart
    dashboard_deck(filters, lang)        -> a .pptx of every page, with a section slide each

    python -m sctdash.export deck [--page PAGE] [--district CODE ...] [--years FIRST LAST]
                                  [--lang vi|en] [--out PATH]
    python -m sctdash.export png CHART_ID [--district CODE ...] [--out PATH]

The rows come from the same named queries and the same rules as the page (sctdash.views).
Sizes: a figure is laid out at 960×540 and rendered at scale 2, so one layout pixel is one
point on a 13.33-inch slide: the charts' smallest text (14 px) is 14 pt when projected.

Images are made by one Chromium per process (started on first use, reused for every image,
closed at exit), never a downloaded browser: the path is $SCT_CHROMIUM, $BROWSER_PATH, or
`chromium` on PATH (Debian's package, installed by `make system`).
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import datetime as dt
import io
import logging
import math
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from sctdash import charts, db, district_map, fmt, paths, views
from sctdash.i18n import LANGS, t
from sctdash.importer import neutralise_cell

log = logging.getLogger(__name__)

WIDTH, HEIGHT, SCALE = 960, 540, 2  # layout px (= pt on a 13.33 × 7.5 in slide); × 2 = 1920×1080
WRAP = 125  # characters per footer line at 14 px in 960 px (titles wrap at 0.6 of it)
FIRST_YEAR, LAST_YEAR = 2015, 2020
TITLE_PAD = 36
XLSX_HEADER_ROW = 6  # row of the column names in an exported sheet; rows 1–4 name chart and source
NATIVE_KINDS = ("bar", "hbar", "stacked_bar", "stacked_hbar")
# facet_bar goes in as a picture: its panels have scales of their own (146 markets beside
# 2 commercial centres), and one PowerPoint chart has a single value axis.
SLIDE_FONT = "Arial"  # on every Office machine; LibreOffice maps it to Liberation Sans (Vietnamese glyphs)


class ChromiumMissing(RuntimeError):
    """No Chromium to render images with; the message says how to install one."""


class NoRows(ValueError):
    """The chart has no rows under these filters, so there is no image to make."""


# ------------------------------------------------------------------ renderer
def chromium_path() -> str | None:
    """The system's Chromium; never the copy kaleido/choreographer could download."""
    for var in ("SCT_CHROMIUM", "BROWSER_PATH"):
        value = os.environ.get(var)
        if value:
            return value if Path(value).is_file() and os.access(value, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_available() -> bool:
    return chromium_path() is not None


class _Renderer:
    """One kaleido browser (two tabs: two cores) on an event loop in a thread of its own.

    kaleido's own start_sync_server matches answers to callers through one shared queue, so
    two sessions asking at once could swap images; here every call gets its own future.
    """

    TABS = 2

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self.started_in: float | None = None

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def start(self) -> None:
        with self._lock:
            if self._kaleido is not None:
                return
            path = chromium_path()
            if path is None:
                raise ChromiumMissing(t("export.no_chromium", "vi"))
            import kaleido

            began = time.perf_counter()
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="kaleido", daemon=True).start()

            async def open_browser():
                # mathjax=False: the page would otherwise load MathJax from a CDN.
                k = kaleido.Kaleido(n=self.TABS, timeout=90, mathjax=False, path=path)
                await k.open()
                return k

            try:
                self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(120)
            except Exception:
                loop.call_soon_threadsafe(loop.stop)
                raise
            self._loop = loop
            self.started_in = time.perf_counter() - began
            # Registered after the browser's own temp-dir finalizers, so it runs before them
            # (atexit is last-in, first-out): the browser closes before its profile is removed.
            atexit.register(self.stop)
            log.info("kaleido renderer started in %.1f s with %s", self.started_in, path)

    def stop(self) -> None:
        with self._lock:
            k, loop, self._kaleido, self._loop = self._kaleido, self._loop, None, None
        if k is None or loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(k.close(), loop).result(20)
        except Exception as exc:  # at exit: nothing left to tell
            log.warning("closing the renderer: %s", exc)
        loop.call_soon_threadsafe(loop.stop)

    def render(self, figs: list[dict], opts: dict) -> list[bytes]:
        """Each figure dict as an image with `opts` (format, width, height, scale), in parallel."""
        for attempt in (1, 2):
            self.start()
            k, loop = self._kaleido, self._loop
            futures = [asyncio.run_coroutine_threadsafe(k.calc_fig(f, opts=opts), loop) for f in figs]
            try:
                return [fut.result(180) for fut in futures]
            except Exception as exc:
                if attempt == 2:
                    raise
                log.warning("renderer failed (%s); restarting it once", exc)
                self.stop()
        raise AssertionError("unreachable")


RENDERER = _Renderer()


def start_renderer() -> float:
    """Start the renderer now (it starts on first use otherwise); seconds it took, 0 if running."""
    if RENDERER.running:
        return 0.0
    RENDERER.start()
    return RENDERER.started_in or 0.0


def render(figs: list[go.Figure], fmt_: str = "png", width: int = WIDTH, height: int = HEIGHT, scale: float = SCALE):
    return RENDERER.render(
        [f.to_plotly_json() for f in figs],
        {"format": fmt_, "width": width, "height": height, "scale": scale},
    )


# ------------------------------------------------------------------ a chart under the filters
_STORES: dict[tuple[str, str], db.Store] = {}


def default_store() -> db.Store:
    """The extracts of paths.data_dir(), loaded once per process and version of the files."""
    data_dir = paths.data_dir()
    key = (str(data_dir), db.fingerprint(data_dir))
    if key not in _STORES:
        _STORES.clear()
        _STORES[key] = db.Store(data_dir)
    return _STORES[key]


def normal_filters(f: dict | None = None) -> dict:
    f = dict(f or {})
    return {
        "districts": [str(d) for d in f.get("districts") or []],
        "year_from": int(f.get("year_from") or FIRST_YEAR),
        "year_to": int(f.get("year_to") or LAST_YEAR),
    }


def today() -> str:
    return fmt.date(dt.date.today())


@dataclass
class Exhibit:
    """One chart as it stands under the filters: its rows, notices, words and notes."""

    chart_id: str
    meta: dict
    df: pd.DataFrame
    info: dict
    ctx: charts.Context
    notes: pd.DataFrame
    lang: str
    filters: dict
    district_names: list[str] = field(default_factory=list)

    @property
    def shown(self) -> pd.DataFrame:
        """The rows the figure draws (charts.figure drops unknown values where skip_null)."""
        return self.df[self.df["value"].notna()] if self.meta.get("skip_null") else self.df

    @property
    def title(self) -> str:
        if self.info["no_rows"]:
            return self.meta.get("subtitle", {}).get(self.lang) or self.chart_id
        return charts.title_text(self.meta, self.shown, self.lang)

    @property
    def subtitle(self) -> str:
        parts = [self.meta.get("subtitle", {}).get(self.lang, "")]
        if self.ctx.filters:
            parts.append(self.ctx.filters)
        if self.info["province_only"]:
            parts.append(t("deck.province_only", self.lang))
        return " · ".join(p for p in parts if p)

    @property
    def native(self) -> bool:
        return self.meta["kind"] in NATIVE_KINDS

    def notice(self) -> str:
        if self.district_names:
            return t("deck.no_rows", self.lang, districts=", ".join(self.district_names))
        return t("deck.no_rows_years", self.lang)

    def figure(self) -> go.Figure:
        """The self-explaining 16:9 figure: title, filters, units, labels, legend, source,
        department and date."""
        if self.info["no_rows"]:
            raise NoRows(self.notice())
        return fit(charts.figure(self.df, self.meta, self.lang, self.ctx))

    def bare_figure(self, width: int, height: int) -> go.Figure:
        """The figure for a slide picture: the slide carries title, subtitle and source."""
        m = {**self.meta, "title": {lang: "" for lang in LANGS}, "subtitle": {}}
        fig = charts.figure(self.df, m, self.lang, charts.Context(wrap=int(WRAP * width / WIDTH)))
        footer = [a for a in fig.layout.annotations if a.yshift == -62]  # charts._base_layout's footer
        lines = sum(str(a.text).count("<br>") + 1 for a in footer)
        for ann in footer:
            ann.yshift = -48
        fig.update_layout(
            title=None,
            width=width,
            height=height,
            autosize=False,
            margin={"t": 56 if self.meta["kind"] == "facet_bar" else 40, "b": 52 + 21 * lines},
        )
        return fig


def exhibit(store: db.Store, chart_id: str, f: dict, lang: str, stamp: str | None = None) -> Exhibit:
    f = normal_filters(f)
    query = store.query
    df, info = views.chart_rows(query, chart_id, f)
    ctx = views.chart_context(
        query,
        store.table("sources"),
        chart_id,
        df,
        info["filters"],
        lang,
        department=t("app.department", lang),
        stamp=stamp or today(),
        wrap=WRAP,
    )
    return Exhibit(
        chart_id=chart_id,
        meta=charts.meta(chart_id),
        df=df,
        info=info,
        ctx=ctx,
        notes=views.note_rows(query, df),
        lang=lang,
        filters=f,
        district_names=views.district_names(query, f["districts"]),
    )


def fit(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> go.Figure:
    """A copy of a dashboard figure re-laid out for a 16:9 slide of `width`×`height` points."""
    fig = go.Figure(fig)
    fig.update_layout(width=width, height=height, autosize=False)
    text = fig.layout.title.text or ""
    if text:
        # Plotly anchors a title of several lines by its first line: with the dashboard's
        # 16 px pad the first line is cut off at the top of the image. The dashboard's top
        # margin also keeps room a slide cannot spare: here it is the title block plus the
        # legend (or the panels' titles), measured in lines of 29 px.
        head, _, sub = text.partition("<span")
        lines = head.count("<br>") + (sub.count("<br>") + 1 if sub else 1)
        above_plot = any(tr.showlegend is not False and tr.name for tr in fig.data) and fig.layout.showlegend
        above_plot = above_plot or "xaxis2" in fig.layout
        fig.update_layout(title_pad_t=TITLE_PAD, margin_t=24 + 29 * lines + (38 if above_plot else 14))
    horizontal = [tr for tr in fig.data if getattr(tr, "orientation", None) == "h"]
    if len(horizontal) > 1 and fig.layout.barmode == "group":
        # Two series side by side in a band of ~40 px: thinner gaps keep their labels apart.
        fig.update_layout(bargap=0.15, bargroupgap=0.0)
    if horizontal:
        fig.update_yaxes(ticklabelstandoff=6)
    # Thousands grouped the way the language writes them (layout.separators): 5.000, not 5000.
    fig.update_xaxes(tickformat=",~r") if horizontal else fig.update_yaxes(tickformat=",~r")
    return fig


def _figure_of(fig_or_chart, filters, lang, store) -> go.Figure:
    if isinstance(fig_or_chart, go.Figure):
        return fit(fig_or_chart)
    return exhibit(store or default_store(), fig_or_chart, filters, lang).figure()


def png(fig_or_chart: go.Figure | str, filters: dict | None = None, lang: str = "vi", *, store=None) -> bytes:
    """A 1920×1080 PNG of a chart id under `filters` (or of a figure, re-laid out to 16:9)."""
    return render([_figure_of(fig_or_chart, filters, lang, store)], "png")[0]


def svg(fig_or_chart: go.Figure | str, filters: dict | None = None, lang: str = "vi", *, store=None) -> bytes:
    """The same image as SVG, 960×540 user units."""
    return render([_figure_of(fig_or_chart, filters, lang, store)], "svg", scale=1)[0]


# ------------------------------------------------------------------ the data behind a chart
def _plain(value):
    """A cell as a spreadsheet should hold it: no NaN/NaT, no pandas types, no formulas."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return neutralise_cell(value)


def csv_bytes(df: pd.DataFrame, meta: dict | None = None, lang: str = "vi") -> bytes:
    """The query's rows, every column, as CSV: UTF-8 with a BOM (Excel reads the diacritics),
    decimal point, formula-like text neutralised."""
    out = df.astype(object).map(_plain)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(
    df: pd.DataFrame,
    meta: dict,
    lang: str = "vi",
    ctx: charts.Context | None = None,
    filters: dict | None = None,
    title: str | None = None,
) -> bytes:
    """The query's rows as a sheet; rows 1–4 give the chart title (or `title`), source,
    filters, department and date, row XLSX_HEADER_ROW the column names."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    if ctx is None:
        ctx = charts.Context(source=charts.source_line(df, default_store().table("sources"), lang))
    wb = Workbook()
    ws = wb.active
    ws.title = meta.get("id", "data")[:31]
    shown = df[df["value"].notna()] if meta.get("skip_null") and "value" in df else df
    department = ctx.department or t("app.department", lang)
    heading = [
        t("sheet.title", lang, title=title or charts.title_text(meta, shown, lang)),
        ctx.source,
        t("sheet.filters", lang, filters=ctx.filters) if ctx.filters else "",
        t("sheet.exported", lang, department=department, date=ctx.stamp or today()),
    ]
    for r, text in enumerate(heading, start=1):
        ws.cell(row=r, column=1, value=neutralise_cell(text) or None)
    ws["A1"].font = Font(bold=True, size=13)
    for c, col in enumerate(df.columns, start=1):
        cell = ws.cell(row=XLSX_HEADER_ROW, column=c, value=neutralise_cell(str(col)))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
    for r, row in enumerate(df.itertuples(index=False), start=XLSX_HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=_plain(value))
    ws.freeze_panes = ws.cell(row=XLSX_HEADER_ROW + 1, column=1)
    for i, col in enumerate(df.columns, start=1):
        longest = max([len(str(col))] + [len(str(v)) for v in df[col].head(200) if v is not None])
        ws.column_dimensions[ws.cell(row=XLSX_HEADER_ROW, column=i).column_letter].width = min(60, 2 + longest)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ district maps
def map_rows(store: db.Store, map_id: str) -> pd.DataFrame:
    return district_map.rows(store.query, map_id)


def map_context(store: db.Store, df: pd.DataFrame, f: dict, lang: str, stamp: str | None = None) -> charts.Context:
    return views.map_context(
        store.query,
        store.table("sources"),
        df,
        normal_filters(f),
        lang,
        department=t("app.department", lang),
        stamp=stamp or today(),
        wrap=WRAP,
    )


def map_title(map_id: str, df: pd.DataFrame, lang: str) -> str:
    return district_map.spec(map_id)["title"][lang].format_map(district_map.summary(df))


def map_figure(map_id: str, f: dict | None = None, lang: str = "vi", *, store=None) -> go.Figure:
    """A district map as a self-explaining 16:9 image (district_map.slide_figure), the chosen
    districts outlined."""
    store, f = store or default_store(), normal_filters(f)
    df = map_rows(store, map_id)
    ctx = map_context(store, df, f, lang)
    return district_map.slide_figure(df, district_map.spec(map_id), lang, f["districts"], ctx, WIDTH, HEIGHT)


def deck_maps(pages: list[str]) -> dict[str, list[str]]:
    """The district maps on each page's slides, before its charts: a page's deck shows every
    map of that page; the whole deck shows each map once, under the first page other than the
    overview that has it (the overview keeps the maps no other page has)."""
    if len(pages) == 1:
        return {pages[0]: district_map.maps_for(pages[0])}
    home: dict[str, str] = {}
    for page in sorted(pages, key=lambda p: p == "overview"):  # the overview last
        for map_id in district_map.maps_for(page):
            home.setdefault(map_id, page)
    return {page: [m for m in district_map.maps_for(page) if home[m] == page] for page in pages}


def map_png(map_id: str, f: dict | None = None, lang: str = "vi", *, store=None) -> bytes:
    return render([map_figure(map_id, f, lang, store=store)], "png")[0]


def map_svg(map_id: str, f: dict | None = None, lang: str = "vi", *, store=None) -> bytes:
    return render([map_figure(map_id, f, lang, store=store)], "svg", scale=1)[0]


def map_xlsx(map_id: str, f: dict | None = None, lang: str = "vi", *, store=None) -> bytes:
    store = store or default_store()
    df = map_rows(store, map_id)
    meta = {"id": map_id}
    return xlsx_bytes(df, meta, lang, map_context(store, df, f, lang), title=map_title(map_id, df, lang))


# ------------------------------------------------------------------ decks
def pages() -> list[str]:
    """The pages that have charts, in the order of charts.toml (the menu's order)."""
    return list(dict.fromkeys(m["page"] for m in charts.catalogue()["charts"].values()))


def page_deck(page: str, filters: dict | None = None, lang: str = "vi", *, store=None) -> bytes:
    """Cover, then one 16:9 slide per chart of `page` under `filters`."""
    from sctdash import slides

    return slides.build([page], normal_filters(filters), lang, store or default_store(), sections=False)


def dashboard_deck(filters: dict | None = None, lang: str = "vi", *, store=None) -> bytes:
    """Cover, then for every page a section slide and its charts' slides."""
    from sctdash import slides

    return slides.build(pages(), normal_filters(filters), lang, store or default_store(), sections=True)


# ------------------------------------------------------------------ command line
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sctdash.export", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("deck", "png", "svg"):
        p = sub.add_parser(name)
        if name == "deck":
            p.add_argument("--page", choices=pages(), help="one page only (default: the whole dashboard)")
        else:
            p.add_argument("chart", choices=list(charts.catalogue()["charts"]))
        p.add_argument("--district", nargs="+", action="extend", default=[], metavar="CODE")
        p.add_argument("--years", nargs=2, type=int, metavar=("FIRST", "LAST"))
        p.add_argument("--lang", choices=LANGS, default="vi")
        p.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    store = default_store()
    known = set(store.query("district_list")["area_code"])
    codes = [c for part in args.district for c in part.replace(",", " ").split()]
    unknown = [c for c in codes if c not in known]
    if unknown:
        print(f"unknown district code(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}", file=sys.stderr)
        return 2
    first, last = sorted(args.years) if args.years else (FIRST_YEAR, LAST_YEAR)
    f = {"districts": codes, "year_from": first, "year_to": last}

    began = time.perf_counter()
    try:
        if args.command == "deck":
            data = (
                page_deck(args.page, f, args.lang, store=store)
                if args.page
                else dashboard_deck(f, args.lang, store=store)
            )
            out = args.out or paths.ROOT / "build" / f"{args.page or 'dashboard'}.pptx"
        else:
            maker = png if args.command == "png" else svg
            data = maker(args.chart, f, args.lang, store=store)
            out = args.out or paths.ROOT / "build" / f"{args.chart}.{args.command}"
    except (ChromiumMissing, NoRows) as exc:
        print(exc, file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"{out} ({len(data) / 1024:.0f} KB, {time.perf_counter() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
