"""Streamlit glue shared by the pages: the store, cached queries, filters, tiles and charts.

Pages stay thin: they call `page_header`, `render_tiles`, `render_chart` and `render_more`
with ids from charts.toml. Every function reads the shared filter state with a default, so a
page also runs alone (in a smoke test, say). The cached functions take everything they use
as arguments (the data's folder and fingerprint, the typed filters, the language): none reads
the session state, so one cache entry serves every session with the same view.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sctdash.app import export_ui, state
from sctdash.core import catalogue, fmt, paths
from sctdash.core.i18n import LANGS, label, t, unit_name
from sctdash.drawing import figures
from sctdash.exhibits import district_map, phrases, pipeline, target_table
from sctdash.exhibits.district_map import MapView
from sctdash.exhibits.exhibit import Exhibit
from sctdash.exhibits.filters import Filters, year_range
from sctdash.exhibits.tiles import TileView
from sctdash.exports import export
from sctdash.store import db, persist

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ data access
@st.cache_resource(max_entries=2, show_spinner=False)
def _store(data_dir: str, fingerprint: str) -> db.Store:
    """The Store of that version of the extracts: its own DuckDB file while it is kept (the
    last two versions: with several processes, another may have moved on meanwhile)."""
    log.info("loading extracts from %s (%s)", data_dir, fingerprint)
    return persist.open_store(Path(data_dir), version=fingerprint)


def begin_run() -> None:
    """Pin the extracts as they are now for the whole of this run (dashboard.py calls it
    first), so a page stays consistent within itself while an import lands; the next run
    picks the new files up."""
    data_dir = paths.data_dir()
    st.session_state[state.STORE_OF_RUN] = (str(data_dir), db.fingerprint(data_dir))
    st.session_state[state.FIRST_SCREEN_TAKEN] = False


def _pinned() -> tuple[str, str]:
    data_dir = str(paths.data_dir())
    pin = st.session_state.get(state.STORE_OF_RUN)
    if pin and pin[0] == data_dir:
        return pin
    return data_dir, db.fingerprint(Path(data_dir))


def store() -> db.Store:
    """The store of this run's extracts (see begin_run); the current files when not pinned."""
    return _store(*_pinned())


@st.cache_data(max_entries=1024, show_spinner=False)
def _query(data_dir: str, fingerprint: str, name: str, params: tuple) -> pd.DataFrame:
    opened = _store(data_dir, fingerprint)
    return opened.query(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


class _Query:
    """`query(name, **params)` over one version of the extracts, through the data cache."""

    def __init__(self, data_dir: str, fingerprint: str):
        self.data_dir, self.fingerprint = data_dir, fingerprint

    def __call__(self, name: str, **params) -> pd.DataFrame:
        wanted = db.query_params(name)
        key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items() if k in wanted))
        return _query(self.data_dir, self.fingerprint, name, key)


def query(name: str, **params) -> pd.DataFrame:
    """A named query's rows, cached by the data's fingerprint, the name and its parameters."""
    return _Query(*_pinned())(name, **params)


# ------------------------------------------------------------------ shared state
def lang() -> str:
    value = st.session_state.get(state.LANG)
    return value if value in LANGS else "vi"


def years_of_data() -> tuple[int, int]:
    """The first and last year the extracts hold: the year filter's whole range. Asked for
    a dozen times a run, so kept with the version of the extracts it was read from."""
    pin = _pinned()
    kept = st.session_state.get(state.YEARS_READ)
    if kept and kept[0] == pin:
        return kept[1]
    years = year_range(query)
    st.session_state[state.YEARS_READ] = (pin, years)
    return years


def filters() -> Filters:
    """The filters in force: district codes (empty = whole province) and the years, inside
    the years the data holds."""
    first, last = years_of_data()
    districts = [d for d in st.session_state.get(state.DISTRICT) or [] if isinstance(d, str)]
    years = st.session_state.get(state.YEARS) or (first, last)
    lo, hi = (min(years), max(years)) if isinstance(years, (list, tuple)) else (years, years)
    return Filters.of(districts, int(lo), int(hi)).clamp(first, last)


def filters_text(language: str) -> str:
    """“Đang xem: Ba Tơ; năm 2015–2020”: the filters in force, in words."""
    selected = filters()
    names = {code: name for code, name in pipeline.area_names(query, language).items() if len(code) == 5}
    names = dict(query("area_names")[["area_code", "name_vi"]].itertuples(index=False)) | names  # districts as before
    return phrases.filters_text(selected.districts, selected.years, names, language)


def district_names(codes) -> list[str]:
    names = _district_names(*_pinned())
    return [names.get(c, c) for c in codes]


@st.cache_resource(max_entries=8, show_spinner=False)
def _district_names(data_dir: str, fingerprint: str) -> Mapping[str, str]:
    """Area code → Vietnamese name, per version of the extracts: asked for by every chart's file
    names in a run, where each cached query hands back a fresh copy of its rows."""
    rows = _Query(data_dir, fingerprint)("district_list")
    return MappingProxyType(dict(rows[["area_code", "name_vi"]].itertuples(index=False)))


def area_labels(year_from: int, year_to: int, language: str) -> dict[str, str]:
    """The area filter's choices for the years in view, by code: grouped by level (districts,
    then communes), each named as in its years with its dates where the years pass a change
    ("huyện Ba Tơ (đến 30/06/2025)", "xã Ba Tơ (từ 01/07/2025)"), and in plain letters too, so
    that a search typed without diacritics finds it ("Ba Tơ · Ba To")."""
    rows = query("area_options", year_from=year_from, year_to=year_to)
    dated = year_to >= 2025  # the years reach the units of 01/07/2025
    out = {}
    for r in rows.to_dict("records"):
        merged = f" (+ {r['merged_vi']})" if isinstance(r["merged_vi"], str) and r["merged_vi"] else ""
        if dated or r["level"] == "commune":
            end = r["valid_to"] if pd.notna(r["valid_to"]) and dated else None
            start = r["valid_from"] if pd.notna(r["valid_from"]) and r["valid_from"].year >= 2025 else None
            name = unit_name(r["unit_type"], r["name_vi"], start, end, language) + merged
        else:
            name = r["name_vi"] + merged
        plain = r["name_ascii"] if r["name_ascii"] != r["name_vi"] else ""
        out[str(r["area_code"])] = f"{name} · {plain}" if plain else name
    return out


def _follow_the_data_years() -> tuple[int, int]:
    """Before the year slider: a view of every year keeps every year when an import adds one;
    a narrower view stays, moved inside the data's years if they shrank."""
    ss = st.session_state
    first, last = years_of_data()
    current = ss.get(state.YEARS)
    before = ss.get(state.YEARS_OF_DATA)
    if current is None or (before is not None and tuple(current) == tuple(before)):
        ss[state.YEARS] = (first, last)
    else:
        selected = Filters.of((), *current).clamp(first, last)
        if (selected.year_from, selected.year_to) != tuple(current):
            ss[state.YEARS] = (selected.year_from, selected.year_to)
    ss[state.YEARS_OF_DATA] = (first, last)
    return first, last


def sidebar_filters() -> None:
    """The filters every page shares. sctdash.app.links carries them in the URL by code
    (?district=535&district=529&lang=en): Streamlit's own bind="query-params" would write the
    formatted labels (?district=Ba+Tơ, ?lang=English) and drop codes without a word. The
    widgets keep their defaults; a link's values reach them through the session state."""
    language = lang()
    first, last = _follow_the_data_years()
    with st.sidebar:
        st.segmented_control(
            t("filter.language", language),
            options=list(LANGS),
            default="vi",
            format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
            key=state.LANG,
            required=True,
        )
        language = lang()
        labels = area_labels(*filters().years, language)
        chosen = [c for c in st.session_state.get(state.DISTRICT) or [] if isinstance(c, str)]
        options = list(labels) + [c for c in chosen if c not in labels]  # a choice out of these years stays

        def district_label(code: str) -> str:
            return labels.get(code, code)

        st.multiselect(
            t("filter.district", language),
            options=options,
            format_func=district_label,
            placeholder=t("filter.district_placeholder", language),
            help=t("filter.district_help", language),
            key=state.DISTRICT,
        )
        if last > first:
            st.select_slider(
                t("filter.years", language),
                options=list(range(first, last + 1)),
                value=(first, last),  # a range; the session state holds the years in force
                help=t("filter.years_help", language),
                key=state.YEARS,
            )
        else:
            st.caption(t("filter.one_year", language, year=first))
        loaded = store()
        if loaded.problems:
            n = sum(len(p) for p in loaded.problems.values())
            st.warning(t("notice.load_problems", language, n=n), icon="⚠️")


# ------------------------------------------------------------------ page parts
@st.cache_resource(max_entries=256, show_spinner=False)
def _page(data_dir: str, fingerprint: str, page: str, selected: Filters, language: str) -> pipeline.PageView:
    """A page's exhibits (pipeline.page_view), built once per data, filters and language for
    every session; with districts chosen, the province's page lends the charts they have no
    rows of."""
    q = _Query(data_dir, fingerprint)
    setting = _setting(data_dir, fingerprint, selected, language)
    province = _page(data_dir, fingerprint, page, selected.with_districts(()), language) if selected.districts else None
    return pipeline.page_view(q, page, selected, language, setting, province)


@st.cache_resource(max_entries=512, show_spinner=False)
def _map_view(data_dir: str, fingerprint: str, map_spec: dict, selected: Filters, language: str) -> MapView:
    """A map's view, built once per data, map, filters and language for every session."""
    q = _Query(data_dir, fingerprint)
    setting = _setting(data_dir, fingerprint, selected, language)
    return district_map.view(district_map.rows(q, map_spec, selected), map_spec, setting, selected.districts)


@st.cache_resource(max_entries=256, show_spinner=False)
def _tiles(data_dir: str, fingerprint: str, page: str, selected: Filters, language: str) -> list[TileView]:
    """A page's tiles, built once per data, filters and language for every session."""
    setting = _setting(data_dir, fingerprint, selected, language)
    return pipeline.page_tiles(_Query(data_dir, fingerprint), page, selected, language, setting)


@st.cache_resource(max_entries=256, show_spinner=False)
def _setting(data_dir: str, fingerprint: str, selected: Filters, language: str) -> pipeline.Setting:
    """What every chart and tile of one set of filters shares (names, notes, sources); read only."""
    return pipeline.setting_for(_Query(data_dir, fingerprint), selected, language)


@st.cache_resource(max_entries=2048, show_spinner=False)
def _figure(
    data_dir: str, fingerprint: str, page: str, chart_id: str, selected: Filters, language: str, canvas: figures.Canvas
):
    """One chart's figure on a canvas; figures are never changed after this (st.plotly_chart
    only reads them)."""
    return figures.figure(_page(data_dir, fingerprint, page, selected, language).exhibit(chart_id), canvas)


def page_view(page: str, selected: Filters | None = None, language: str | None = None) -> pipeline.PageView:
    return _page(*_pinned(), page, selected or filters(), language or lang())


def map_view(map_spec: dict, selected: Filters | None = None, language: str | None = None) -> MapView:
    return _map_view(*_pinned(), map_spec, selected or filters(), language or lang())


def page_of(chart_id: str) -> str:
    return pipeline.page_of(query, chart_id)


def views(selected: Filters | None = None, language: str | None = None) -> pipeline.Views:
    """The page and map views of these filters from the caches every session shares, for an
    export: a deck draws what the screen has built. Bound to this run's version of the
    extracts, so a deck asked for later (a download runs outside the script) is of the data the
    page showed."""
    data_dir, fingerprint = _pinned()
    selected, language = selected or filters(), language or lang()
    return pipeline.Views(
        _Query(data_dir, fingerprint),
        selected,
        language,
        lambda page: _page(data_dir, fingerprint, page, selected, language),
        lambda map_spec: _map_view(data_dir, fingerprint, dict(map_spec), selected, language),
    )


def page_tiles(page: str) -> list[TileView]:
    return _tiles(*_pinned(), page, filters(), lang())


def figure(ex: Exhibit, canvas: figures.Canvas = figures.SCREEN) -> go.Figure:
    """The exhibit's figure from the cache every session shares. A chart that shows the
    province's rows (no district in view) is the same figure whatever district is chosen:
    it is keyed by the province's filters, so a new district does not draw it again."""
    key = ex.filters if ex.districts else ex.filters.with_districts(())
    return _figure(*_pinned(), ex.page, ex.id, key, ex.lang, canvas)


def warm(language: str = "vi") -> None:
    """Draw every page's charts for the whole province and every year into the caches all
    sessions share: what a first visitor opens (sctdash.serving.serve calls it before the server
    reports ready)."""
    data_dir, fingerprint = _pinned()
    selected = Filters.of((), *year_range(_Query(data_dir, fingerprint)))
    for page in catalogue.pages():
        pv = _page(data_dir, fingerprint, page, selected, language)
        _tiles(data_dir, fingerprint, page, selected, language)
        for ex in pv.exhibits():
            if not ex.no_rows:
                _figure(data_dir, fingerprint, page, ex.id, selected, language, figures.SCREEN)


# Styles of our own, once per run (dashboard.py). Captions: Streamlit draws them at 60 % opacity
# of the text colour, 3.9:1 on white and less on the sidebar's grey, where WCAG 2.1 AA asks
# 4.5:1; here they are opaque, grey enough to stay secondary (8.9:1 on white, 8.3:1 on the sidebar). Plain tables:
# see plain_table. The map's district buttons (map_ui._pick): a focus ring that shows on a projector.
STYLE = """<style>
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #4A4A4A; }
.sct-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; line-height: 1.4; margin: 0 0 0.5rem 0; }
.sct-table th, .sct-table td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem;
  border-bottom: 1px solid #D0D0D0; overflow-wrap: break-word; }
.sct-table th { font-weight: 600; border-bottom: 2px solid #6B6B6B; }
[class*="st-key-map_pick_"] button:focus-visible { outline: 3px solid #0A5C8F; outline-offset: 2px; }
</style>"""


# Presses a chart placeholder's button (see in_turn) when the reader scrolls within a quarter of
# a window of it: one at a time, between runs. A press can be lost (a run that replaces the one it
# asked for, a process that dies and hands the viewer to another: the button stays on the page,
# the same element): a placeholder still there ASK_AGAIN_MS after its press is pressed again, and
# a slow timer looks again when nothing on the page moves. Before printing, every one of them.
LATER_SCRIPT = """<script>
(() => {
  if (window.sctLater) return;
  window.sctLater = true;
  const BUTTONS = '[class*="st-key-draw_"] [data-testid^="stBaseButton"]';
  const ASK_AGAIN_MS = 4000;
  let queued = false;
  const look = () => {
    queued = false;
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning') return;
    const ahead = window.innerHeight / 4;
    const now = Date.now();
    for (const b of document.querySelectorAll(BUTTONS)) {
      const box = b.getBoundingClientRect();
      const asked = Number(b.dataset.sctAsked || 0);
      if (now - asked > ASK_AGAIN_MS && box.height && box.top < window.innerHeight + ahead && box.bottom > -ahead) {
        b.dataset.sctAsked = String(now);
        b.click();
        return;
      }
    }
  };
  const soon = () => { if (!queued) { queued = true; requestAnimationFrame(look); } };
  document.addEventListener('scroll', soon, {capture: true, passive: true});
  window.addEventListener('resize', soon);
  window.addEventListener('beforeprint', () => document.querySelectorAll(BUTTONS).forEach(b => b.click()));
  new MutationObserver(soon).observe(document.body,
    {childList: true, subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  setInterval(soon, ASK_AGAIN_MS / 2);
  soon();
})();
</script>"""


def style() -> None:
    st.html(STYLE + LATER_SCRIPT, unsafe_allow_javascript=True)  # our own fixed script


# ------------------------------------------------------------------ charts in turn
# The first screen is the title, the tiles and the page's first chart (its district map where it
# has one): drawn at once. Every later chart of the page comes as a placeholder of its height
# with its title and a "Draw the chart" button, which LATER_SCRIPT presses when the reader
# scrolls near; the press reruns that placeholder alone (st.fragment) and draws the chart. A
# chart once reached is drawn at once in every later run of the session. The figures, the
# exports, the decks and meeting mode are untouched: only when a page's chart is sent waits.


def first_screen() -> bool:
    """True once per run, for the page's first chart, which is drawn at once."""
    if st.session_state.get(state.FIRST_SCREEN_TAKEN):
        return False
    st.session_state[state.FIRST_SCREEN_TAKEN] = True
    return True


def reached(key: str) -> bool:
    return bool(st.session_state.get(state.DRAW_ALL)) or key in st.session_state.get(state.REACHED, ())


def _reach(key: str) -> None:
    st.session_state[state.REACHED] = st.session_state.get(state.REACHED, frozenset()) | {key}


def in_turn(key: str, title: str, height: int, language: str, draw_it: Callable[[], None]) -> None:
    """draw_it() now if it is the page's first chart or the reader has reached it; else its
    placeholder (see above)."""
    if first_screen() or reached(key):
        draw_it()
    else:
        _later(key, title, height, language, draw_it)


@st.fragment
def _later(key: str, title: str, height: int, language: str, draw_it: Callable[[], None]) -> None:
    if reached(key):
        draw_it()
        return
    with st.container(height=height, border=True, key=f"later_{key}"):
        st.markdown(f"**{html.escape(title)}**")
        st.button(
            t("chart.draw", language),
            key=f"draw_{key}",
            help=t("chart.draw_help", language),
            on_click=_reach,
            args=(key,),
        )


def plain_table(frame: pd.DataFrame) -> None:
    """A table of text (places.table_frame's) as a plain HTML table: what st.table shows, read
    the same by a browser's find and a screen reader, without the 0.9 MB of Arrow script that
    st.table makes every visitor load."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    st.html(f'<table class="sct-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def page_header(page: str) -> None:
    language = lang()
    st.title(t(f"page.{page}", language))
    st.caption(t(f"page_intro.{page}", language))
    st.caption(f":material/filter_alt: {filters_text(language)}")  # stays in view when the sidebar is closed
    if page in catalogue.pages():
        selected = filters()
        where = export.file_name("x", selected, selected.years, district_names(selected.districts)).split("_", 1)[1]
        export_ui.deck_buttons(page, views(selected, language), where)


def render_tiles(page: str) -> None:
    views = page_tiles(page)
    per_row = 4
    for start in range(0, len(views), per_row):
        cols = st.columns(per_row)
        for col, tv in zip(cols, views[start : start + per_row]):
            with col:
                st.metric(
                    tv.label,
                    tv.value,
                    delta=tv.delta or None,
                    delta_color=tv.delta_color,
                    delta_description=tv.delta_words or None,
                    help=tv.help or None,
                    border=True,
                )
                if tv.caption:
                    st.caption(tv.caption)


def _tables_of(query_name: str) -> list[str]:
    sql = db.query_text(query_name)
    names = [tbl for tbl in db.TABLES if f" {tbl} " in f" {sql} ".replace("\n", " ")]
    return names + (["observations"] if " facts" in sql and "observations" not in names else [])


def render_chart(chart_id: str) -> None:
    """One curated chart with its notices, export buttons and data notes."""
    spec = catalogue.chart(chart_id)
    language, loaded = lang(), store()
    for tbl in [tbl for tbl in (_tables_of(spec.query) if spec.query else []) if tbl in loaded.problems]:
        key = "notice.extract_failed" if tbl in loaded.fallbacks else "notice.extract_missing"
        st.error(t(key, language, file=f"{tbl}.csv"), icon="⚠️")
    ex = page_view(spec.page).exhibit(chart_id)
    in_turn(ex.id, ex.title, _height(ex), language, lambda: draw(ex))


def _height(ex: Exhibit) -> int:
    """The height its figure takes on the page (a placeholder's)."""
    return 120 if ex.no_rows else int(figure(ex).layout.height or 450)


def draw(ex: Exhibit, canvas: figures.Canvas = figures.SCREEN, buttons: bool = True) -> None:
    """An exhibit on the page: its notice, the figure, its downloads and data notes."""
    language = ex.lang
    if ex.province_only:
        st.info(ex.notice, icon="ℹ️")
    if ex.no_rows:
        st.warning(ex.notice)
        return
    name = plot(ex, canvas)
    if buttons:
        export_ui.chart_buttons(ex, name, language)
    render_notes(ex.notes, language)


def plot(ex: Exhibit, canvas: figures.Canvas = figures.SCREEN) -> str:
    """The exhibit's figure on the page (as tall as its place when the canvas fills it); its
    export files' name."""
    name = export.file_name(ex.id, ex.filters.with_districts(ex.districts), ex.years, district_names(ex.districts))
    st.plotly_chart(
        figure(ex, canvas),
        key=f"chart_{ex.id}",
        alt=f"{ex.title}. {ex.subtitle}",  # what a screen reader says of the picture
        theme=None,  # drawn as the exports draw it: our fonts, colours and sizes
        height="stretch" if canvas.fill else "content",
        config={
            "displaylogo": False,
            "responsive": True,
            "toImageButtonOptions": {
                "format": "png",
                "filename": name,
                "width": export.WIDTH,  # 960×540 at scale 2: 1920×1080 laid out as sctdash.exports.export does
                "height": export.HEIGHT,
                "scale": export.SCALE,
            },
        },
    )
    return name


def render_targets() -> None:
    """“Kế hoạch và kết quả”: every target in view with the result of its figure and period
    beside it and how it stands (sctdash.exhibits.target_table), its CSV and XLSX."""
    language, selected = lang(), filters()
    rows = query("target_standing", **selected.params())
    st.header(t("targets.heading", language))
    st.caption(t("targets.intro", language))
    if rows.empty:
        st.info(t("targets.none_in_view", language), icon="ℹ️")
        return
    st.markdown(f"**{html.escape(target_table.summary(rows, language))}**")
    order = st.segmented_control(
        t("targets.order", language),
        list(target_table.ORDERS),
        default=target_table.ORDERS[0],
        format_func=lambda o: t(f"targets.order_{o}", language),
        key=state.TARGETS_ORDER,
    )
    rows = target_table.ordered(rows, order or target_table.ORDERS[0])
    shown = target_table.frame(rows, pipeline.area_names(query, language), language)
    plain_table(shown)
    where = export.file_name("x", selected, selected.years, district_names(selected.districts)).split("_", 1)[1]
    name = f"{t('targets.file', language)}_{where}"
    export_ui.table_buttons(shown, t("targets.heading", language), filters_text(language), name, language)


def render_more(page: str) -> None:
    """“Số liệu khác”: the page's figures its curated charts leave out, drawn automatically."""
    language = lang()
    more = page_view(page).more
    if not more:
        return
    st.header(t("more.heading", language))
    if more.charts:
        st.caption(t("more.intro", language))
    for ex in more.charts:
        in_turn(ex.id, ex.title, _height(ex), language, lambda ex=ex: draw(ex))
    if more.figures:
        with st.expander(t("more.figures", language, n=len(more.figures))):
            for line in more.figures:
                st.markdown(
                    f"- **{html.escape(line.text)}**  \n  {html.escape(line.source)}: “{html.escape(line.quote)}”"
                )


def render_notes(notes: pd.DataFrame, language: str) -> None:
    if notes.empty:
        return
    with st.expander(f"{t('notice.data_notes', language)} ({len(notes)})", expanded=False):
        for _, note in notes.iterrows():
            st.markdown(f"**{html.escape(note[f'title_{language}'])}**  \n{html.escape(note[f'text_{language}'])}")


def table(
    df: pd.DataFrame,
    columns: dict[str, str],
    language: str,
    codes: dict[str, str] | None = None,
) -> None:
    """A data table: `columns` maps each shown column to its header key (column.<key>),
    `codes` maps a column of codes to the label group that names them."""
    shown = df[list(columns)].copy()
    for col, group in (codes or {}).items():
        shown[col] = [label(group, v, language) if isinstance(v, str) else v for v in shown[col]]
    for col in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[col]) or col.endswith("_on"):
            shown[col] = [fmt.date(v) if pd.notna(v) else "" for v in shown[col]]
    shown.columns = [t(f"column.{key}", language) for key in columns.values()]
    st.dataframe(shown, hide_index=True)


def quote_line(row, language: str) -> str:
    """One value with where it came from, as a Markdown line for the data page."""
    dec = 2 if float(row.value) != int(row.value) else 0
    value = fmt.number(row.value, dec, language)
    what = ", ".join(
        x
        for x in (
            fmt.period(row.year_from, row.year_to),
            row.area_vi,
            label("category", row.category, language) if row.category != "total" else "",
            label("variant", row.variant, language) if row.variant else "",
            label("kind", row.value_kind, language),
            label("figure_type", row.figure_type, language) if getattr(row, "figure_type", "") == "target" else "",
        )
        if x
    )
    line = f"- **{value}** ({html.escape(what)})"
    if isinstance(row.derivation, str) and row.derivation:
        line += f" = {html.escape(row.derivation)}"
    where = (
        f"{t('column.section', language)} {row.section}"
        if isinstance(row.section, str) and row.section
        else row.source_title
    )
    if getattr(row, "quote_kind", None) == "paraphrase":  # our summary: never inside quotation marks
        return (
            line + f" — {html.escape(where)} ({label('quote_kind', 'paraphrase', language)}): {html.escape(row.quote)}"
        )
    return line + f" — {html.escape(where)}: “{html.escape(row.quote)}”"
