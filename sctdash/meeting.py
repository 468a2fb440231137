"""Meeting mode: the key charts one per screen, large, in the running order of charts.toml.

On with ?mode=meeting, the sidebar toggle, or the /meeting page itself; off with the
“Leave meeting mode” button. Sidebar, header and toolbars are hidden; each screen states the
filters in force and the date of the data, with Previous/Next at the top so they never
scroll away. Slides are `tiles.<page>` (a page's headline tiles), `map.<map id>` (a district
map) or a chart id of charts.toml.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from sctdash import catalogue, district_map, figures, fmt, links, map_ui, ui, words
from sctdash.i18n import t

SCALE = 1.3  # text size against the page charts, for the back of a room
HEIGHT = 560  # px of a chart screen: fits 1280×720 under the controls and subtitle
_EXIT = "_meeting_exit"

CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stElementToolbar"], [data-testid="stDecoration"],
.modebar-container { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.5rem 0.5rem 1.5rem !important; max-width: 100% !important; }
[data-testid="stMetricValue"] { font-size: 3.2rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.45rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.2rem !important; color: #333333 !important; }
[data-testid="stMetricLabel"] * { white-space: normal !important; overflow: visible !important; }
[data-testid="stButton"] button p { font-size: 1.3rem !important; }
.meeting-subtitle { font-size: 1.35rem; color: #1A1A1A; margin: 0 0 1.2rem 0; }
.meeting-position { font-size: 1.35rem; color: #1A1A1A; text-align: center; margin: 0.35rem 0 0 0; }
</style>
"""


def active() -> bool:
    return bool(st.session_state.get(links.MODE_KEY))


def order() -> list[str]:
    return catalogue.meeting_order()


def _filters_text(lang: str) -> str:
    f = ui.filters()
    names = dict(ui.query("area_names")[["area_code", "name_vi"]].itertuples(index=False))
    return words.filters_text(f.districts, f.years, names, lang)


def route(current: str, switch) -> None:
    """Keep the page and the mode together: meeting mode shows the meeting page (the default
    page while the mode is on, so "/?mode=meeting" lands there), and leaving it returns to the
    overview. `switch(name)` switches to that page and keeps the filters (links.switch_page),
    so a deep link with mode=meeting (/electricity?mode=meeting&district=535) opens the
    meeting for that district."""
    ss = st.session_state
    if ss.pop(_EXIT, False):
        if current == "meeting":
            switch("overview")
        return
    if current == "meeting":
        ss[links.MODE_KEY] = True
    elif ss.get(links.MODE_KEY):
        switch("meeting")


def _on_toggle() -> None:
    if not st.session_state.get(links.MODE_KEY):
        st.session_state[_EXIT] = True


def toggle(lang: str) -> None:
    """The sidebar switch into meeting mode."""
    st.toggle(t("meeting.toggle", lang), key=links.MODE_KEY, help=t("meeting.toggle_help", lang), on_change=_on_toggle)


def _exit() -> None:
    st.session_state[links.MODE_KEY] = False
    st.session_state[_EXIT] = True


def _step(delta: int, count: int) -> None:
    st.session_state[links.SLIDE_KEY] = (int(st.session_state.get(links.SLIDE_KEY, 0)) + delta) % count


def data_as_of(lang: str) -> str:
    """“Số liệu đến: 20/01/2021”: the latest date of the department's own sources (the report,
    and the department's extracts imported since), from sources.csv."""
    sources = ui.store().table("sources")
    report = sources[sources["kind"].isin(["report", "planner"]) & sources["published_on"].notna()]
    if report.empty:
        return ""
    return t("app.data_as_of", lang, date=fmt.date(pd.Timestamp(report["published_on"].max()).date()))


def screens(lang: str) -> list[str]:
    """The running order of charts.toml, with each page's automatic charts ("Số liệu khác")
    after that page's last chart in the order."""
    base = order()
    pages = {}
    for i, slide in enumerate(base):
        if slide in catalogue.charts():
            pages[catalogue.chart(slide).page] = i
    out = list(base)
    for page, last in sorted(pages.items(), key=lambda kv: -kv[1]):
        extra = [ex.id for ex in ui.page_view(page, language=lang).more.charts]
        out[last + 1 : last + 1] = extra
    return out


def _chart_slide(chart_id: str, lang: str) -> None:
    page = catalogue.chart(chart_id).page if chart_id in catalogue.charts() else _page_of(chart_id)
    ex = ui.page_view(page, language=lang).exhibit(chart_id)
    ui.draw(ex, figures.Canvas(scale=SCALE, height=HEIGHT, page_width=figures.MEETING.page_width), buttons=False)


def _page_of(chart_id: str) -> str:
    """The page of an automatic chart: its indicator's topic's page."""
    topics = catalogue.topic_pages()
    topic = ui.query("indicator_list").set_index("indicator_id").loc[chart_id.removeprefix("more."), "topic"]
    return topics[topic]


def _slide_title(slide: str, lang: str) -> str:
    kind, _, ident = slide.partition(".")
    if kind == "tiles":
        return t("meeting.tiles", lang, page=t(f"page.{ident}", lang))
    if kind == "map":
        return t("map.heading", lang)
    if kind == "more":
        return f"{t(f'page.{_page_of(slide)}', lang)} · {t('more.heading', lang)}"
    return t(f"page.{catalogue.chart(slide).page}", lang)


def render() -> None:
    """The meeting screen: controls, the filters and data date, then one slide."""
    lang = ui.lang()
    st.html(CSS)
    slides = screens(lang)
    n = len(slides)
    i = int(st.session_state.get(links.SLIDE_KEY, 0)) % n
    st.session_state[links.SLIDE_KEY] = i
    prev_col, pos_col, next_col, exit_col = st.columns([1.2, 3, 1.2, 1.6], vertical_alignment="center")
    prev_col.button(t("meeting.previous", lang), key="meeting_prev", on_click=_step, args=(-1, n), width="stretch")
    pos_col.html(
        f"<p class='meeting-position'><b>{html.escape(_slide_title(slides[i], lang))}</b> · "
        f"{html.escape(t('meeting.position', lang, i=i + 1, n=n))}</p>"
    )
    next_col.button(
        t("meeting.next", lang), key="meeting_next", on_click=_step, args=(1, n), type="primary", width="stretch"
    )
    exit_col.button(t("meeting.exit", lang), key="meeting_exit", on_click=_exit, width="stretch")
    stamp = data_as_of(lang)
    st.html(f"<p class='meeting-subtitle'>{html.escape(_filters_text(lang))} · {html.escape(stamp)}</p>")
    slide = slides[i]
    kind, _, ident = slide.partition(".")
    if kind == "tiles":
        ui.render_tiles(ident)
    elif kind == "map":
        map_ui.draw_map(district_map.spec(ident), "meeting", scale=SCALE)
    else:
        _chart_slide(slide, lang)
