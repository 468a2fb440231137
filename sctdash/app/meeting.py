"""Meeting mode: the key charts one per screen, large, in the running order of charts.toml.

On with ?mode=meeting, the sidebar toggle, or the /meeting page itself; off with the
“Leave meeting mode” button. Sidebar, header and toolbars are hidden; each screen states the
filters in force and the date of the data, with Previous/Next at the top so they never
scroll away. Slides are `tiles.<page>` (a page's headline tiles), `map.<map id>` (a district
map), a chart id of charts.toml, or `targets.<k>` (the plans and results in view, TARGET_ROWS
a screen, after the first slide: what a meeting asks first).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from sctdash.app import map_ui, state, ui
from sctdash.core import catalogue, colours, fmt, measure, styles
from sctdash.core.i18n import t
from sctdash.core.typography import size
from sctdash.drawing import figures
from sctdash.exhibits import district_map, pipeline, target_table
from sctdash.exhibits.tile_grid import NO_DATA_BORDER, NO_DATA_FILL

TARGET_ROWS = 4  # at most, the plans and results a screen shows: names wrap to three lines at 1024×768
SCALE = figures.MEETING.scale  # the type scale × 1.3 for the back of a room, as the meeting canvas: 14 px → 18 px
NOTE_LINES = 1  # the data notes' titles at most on this many lines, else their number and a pointer

# One screen, never scrolled: the main block is the window's height, the controls, the filters
# and the slide's words take what they need, and the chart or map (.st-key-meeting_stage's
# chart) gets what is left, in a column of flex boxes; its figure takes that height (autosize).
CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stElementToolbar"],
[data-testid="stDecoration"], .modebar-container {{ display: none !important; }}
[data-testid="stMain"] {{ position: absolute; inset: 0; width: 100%; }}
[data-testid="stMainBlockContainer"] {{
  height: 100vh; box-sizing: border-box; display: flex; flex-direction: column;
  padding: 0.5rem 1.5rem 0.5rem 1.5rem !important; max-width: 100% !important;
}}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {{ flex: 1 1 0; min-height: 0; gap: 0.4rem; }}
[data-testid="stLayoutWrapper"]:has(> .st-key-meeting_stage) {{
  flex: 1 1 0; min-height: 0; display: flex; flex-direction: column;
}}
.st-key-meeting_stage {{ flex: 1 1 0; min-height: 0; gap: 0.3rem; }}
.st-key-meeting_stage [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) {{
  flex: 1 1 0; min-height: 0;
}}
.st-key-meeting_stage [data-testid="stFullScreenFrame"], .st-key-meeting_stage [data-testid="stPlotlyChart"],
.st-key-meeting_stage [data-testid="stPlotlyChart"] > div, .st-key-meeting_stage .js-plotly-plot {{ height: 100% !important; }}
[data-testid="stMetricValue"] {{ font-size: 3.2rem !important; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.45rem !important; }}
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}
[data-testid="stCaptionContainer"] p {{ font-size: 1.2rem !important; color: #333333 !important; }}
[data-testid="stButton"] button p, [data-testid="stPopover"] button p {{ font-size: 1.3rem !important; }}
.meeting-subtitle {{ font-size: 1.35rem; color: #1A1A1A; margin: 0; }}
.meeting-position {{ font-size: 1.35rem; line-height: 1.2; color: #1A1A1A; text-align: center; margin: 0; }}
.meeting-words {{ font-family: {figures.FONT}; color: {figures.TEXT_COLOUR}; margin: 0; }}
.meeting-words p {{ margin: 0; }}
.meeting-targets {{ width: 100%; border-collapse: collapse; font-family: {figures.FONT}; color: {figures.TEXT_COLOUR}; }}
.meeting-targets th {{ text-align: left; font-weight: 600; white-space: nowrap; border-bottom: 2px solid #1A1A1A; padding: 0.25em 0.5em; }}
.meeting-targets td {{ border-bottom: 1px solid #C8C8C8; padding: 0.3em 0.5em; vertical-align: top; }}
.meeting-targets td.num {{ text-align: right; white-space: nowrap; font-weight: 600; }}
.meeting-targets .reached {{ color: {colours.REACHED}; font-weight: 600; }}
.meeting-targets .missed {{ color: {colours.MISSED}; font-weight: 600; }}
</style>
"""


def order() -> list[str]:
    return catalogue.meeting_order()


def route(current: str, switch) -> None:
    """Keep the page and the mode together: meeting mode shows the meeting page (any page
    opened with the mode on switches there, "/?mode=meeting" too), and leaving it returns to
    the overview. `switch(name)` switches to that page and keeps the filters
    (links.switch_page), so a deep link with mode=meeting (/electricity?mode=meeting&district=535)
    opens the meeting for that district."""
    ss = st.session_state
    if ss.pop(state.MEETING_EXIT, False):
        if current == "meeting":
            switch("overview")
        return
    if current == "meeting":
        ss[state.MEETING] = True
    elif ss.get(state.MEETING):
        switch("meeting")


def _on_toggle() -> None:
    if not st.session_state.get(state.MEETING):
        st.session_state[state.MEETING_EXIT] = True


def toggle(lang: str) -> None:
    """The sidebar switch into meeting mode."""
    st.toggle(t("meeting.toggle", lang), key=state.MEETING, help=t("meeting.toggle_help", lang), on_change=_on_toggle)


def _exit() -> None:
    st.session_state[state.MEETING] = False
    st.session_state[state.MEETING_EXIT] = True


def _step(delta: int, count: int) -> None:
    st.session_state[state.SLIDE] = (int(st.session_state.get(state.SLIDE, 0)) + delta) % count


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
    out[1:1] = [f"targets.{k}" for k in range(-(-len(_targets()) // TARGET_ROWS))]
    return out


def _targets() -> pd.DataFrame:
    return ui.query("target_standing", **ui.filters().params())


def _words(text: str) -> str:
    """Text for the page, a per cent sign bound to its number (“97,3&nbsp;%”): the browser may
    break a line at any space, and a line that starts with “%” reads wrong from the back."""
    return html.escape(text).replace(" %", "&nbsp;%")


def _heading(title: str, subtitle: str, legend: str = "") -> None:
    """A slide's title, subtitle and legend, as text the browser breaks into lines for the
    window."""
    st.html(
        f"<div class='meeting-words'><p style='font-size:{size('title', SCALE)}px;font-weight:600;line-height:1.25'>"
        f"{_words(title)}</p><p style='font-size:{size('subtitle', SCALE)}px;color:{colours.GREY_TEXT};"
        f"line-height:1.3'>{_words(subtitle)}</p>{legend}</div>"
    )


def _legend(ex) -> str:
    """The chart's legend as text: a swatch in each series' colour and its name (hatched when
    all its figures are derived, pale when all are external; a line for a line chart, dashed
    for a period's value), the entries wrapping to the window as words do."""
    entries = []
    for series in ex.legend_entries:
        look = styles.single(p.kind for p in series.points if p.value is not None)  # sctdash.core.styles
        colour = series.colour
        if ex.shape == "line":
            style = (
                f"width:1.6em;height:0;border-top:{round(3 * SCALE)}px {'dashed' if series.span else 'solid'} {colour}"
            )
        elif look.pattern:
            style = (
                f"width:1em;height:1em;border:2px solid {colour};box-sizing:border-box;"
                f"background:repeating-linear-gradient(135deg,{colour} 0 2px,white 2px 6px)"
            )
        else:
            style = f"width:1em;height:1em;background:{colour}"
        if look.opacity < 1:
            style += f";opacity:{look.opacity}"
        swatch = f"<span style='display:inline-block;vertical-align:middle;margin-right:0.4em;{style}'></span>"
        entries.append(
            f"<span style='display:inline-block;max-width:100%;margin-right:1.4em'>{swatch}{html.escape(series.name)}</span>"
        )
    if not entries:
        return ""
    return f"<p style='font-size:{size('label', SCALE)}px;line-height:1.35;margin-top:0.2em'>{''.join(entries)}</p>"


def _footer(lines: Sequence[str], notes: pd.DataFrame, lang: str) -> None:
    """The source line and the other footnotes across the screen; the data notes by their
    titles when they take at most NOTE_LINES lines, else by their number and a pointer to the
    button above (_notes), which opens their full text."""
    small = size("small", SCALE)
    lines = list(lines)
    if not notes.empty:
        titles = t("chart.note_ref", lang, titles="; ".join(notes[f"title_{lang}"]))
        lines = [line for line in lines if line != titles]
        short = len(measure.lines(titles, small, figures.MEETING.page_width or figures.PAGE_WIDTH)) > NOTE_LINES
        lines.append(t("meeting.notes_short", lang, n=len(notes)) if short else titles)
    body = "".join(f"<p style='font-size:{small}px'>{html.escape(line)}</p>" for line in lines)
    st.html(f"<div class='meeting-words' style='color:#333333;line-height:1.3'>{body}</div>")


def _map_legend(shown) -> str:
    """A district map's colour classes as text: a swatch of each class and its words, the
    “no data” swatch white with a dotted border as on the tiles."""
    entries = []
    for colour, words in shown.legend:
        border = f"2px dotted {NO_DATA_BORDER}" if colour == NO_DATA_FILL else f"1px solid {colour}"
        swatch = (
            "<span style='display:inline-block;vertical-align:middle;margin-right:0.4em;width:1.4em;height:1em;"
            f"box-sizing:border-box;background:{colour};border:{border}'></span>"
        )
        entries.append(f"<span style='display:inline-block;margin-right:1.4em'>{swatch}{html.escape(words)}</span>")
    return f"<p style='font-size:{size('label', SCALE)}px;line-height:1.35;margin-top:0.2em'>{''.join(entries)}</p>"


def _notes(notes: pd.DataFrame, lang: str) -> None:
    """The button that opens the slide's data notes in full."""
    with st.popover(f"{t('notice.data_notes', lang)} ({len(notes)})", width="stretch"):
        for _, note in notes.iterrows():
            st.markdown(f"**{html.escape(note[f'title_{lang}'])}**  \n{html.escape(note[f'text_{lang}'])}")


def _exhibit(slide: str, lang: str):
    return ui.page_view(ui.page_of(slide), language=lang).exhibit(slide)


def _chart_slide(ex, lang: str) -> None:
    with st.container(key="meeting_stage", gap=None):
        _heading(ex.title, ex.subtitle, "" if ex.no_rows else _legend(ex))
        if ex.no_rows or ex.province_only:
            st.html(f"<p class='meeting-words' style='font-size:{size('small', SCALE)}px'>{html.escape(ex.notice)}</p>")
        if ex.no_rows:
            return
        ui.plot(ex, figures.MEETING)
        _footer(ex.footnotes, ex.notes, lang)


def _targets_slide(k: int, lang: str) -> None:
    """The plans and results in view, TARGET_ROWS of them: the count as the report gives it for
    a title, each target's result and standing large, ✔ reached in green, ✘ not in red."""
    rows = _targets()
    n = -(-len(rows) // TARGET_ROWS)
    per = -(-len(rows) // n)  # about as many on each screen: 13 are 5, 5 and 3
    part = rows.iloc[k * per : (k + 1) * per]
    shown = target_table.frame(part, pipeline.area_names(ui.query, lang), lang)
    shown = shown.loc[:, (shown != "").any()]  # no result on this screen: no columns for a standing
    with st.container(key="meeting_stage", gap=None):
        where = t("meeting.position", lang, i=k + 1, n=n) if n > 1 else ""
        _heading(target_table.summary(rows, lang), " · ".join(x for x in (t("targets.intro", lang), where) if x))
        label_px = size("label", SCALE)
        head = "".join(f"<th>{html.escape(c)}</th>" for c in shown.columns)
        body = []
        for row in shown.itertuples(index=False):
            cells = []
            for i, value in enumerate(row):
                text = _words(str(value))
                if shown.columns[i] == t("column.standing", lang) and text:
                    text = f"<span class='{'missed' if text.startswith('✘') else 'reached'}'>{text}</span>"
                figures_at = (t("column.target", lang), t("column.result", lang))
                figure = shown.columns[i] in figures_at and text[:1].isdigit()  # a figure, not "chưa có"
                cells.append(f"<td class='num'>{text}</td>" if figure else f"<td>{text}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        st.html(
            # the screen's width in type, never under the label size: large on a 1920×1080 projector
            f"<table class='meeting-targets' style='font-size:max({label_px}px, 1.6vw)'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )
        sources = sorted({str(x) for x in part["source_publisher"] if isinstance(x, str)})
        _footer([t("targets.source", lang, sources="; ".join(sources))] if sources else [], pd.DataFrame(), lang)


def _map_slide(map_id: str) -> None:
    with st.container(key="meeting_stage", gap=None):
        shown = map_ui.view(district_map.spec(map_id))
        _heading(shown.title, shown.subtitle, _map_legend(shown))
        map_ui.draw_map(district_map.spec(map_id), "meeting", figures.MEETING)
        _footer(shown.footnotes, pd.DataFrame(), shown.lang)


def _slide_title(slide: str, lang: str) -> str:
    kind, _, ident = slide.partition(".")
    if kind == "tiles":
        return t("meeting.tiles", lang, page=t(f"page.{ident}", lang))
    if kind == "map":
        return t("map.heading_areas" if ui.filters().year_to >= 2025 else "map.heading", lang)
    if kind == "more":
        return f"{t(f'page.{ui.page_of(slide)}', lang)} · {t('more.heading', lang)}"
    if kind == "targets":
        return t("targets.heading", lang)
    return t(f"page.{catalogue.chart(slide).page}", lang)


def render() -> None:
    """The meeting screen: controls, the filters and data date, then one slide."""
    lang = ui.lang()
    st.html(CSS)
    slides = screens(lang)
    n = len(slides)
    i = int(st.session_state.get(state.SLIDE, 0)) % n
    st.session_state[state.SLIDE] = i
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
    slide = slides[i]
    kind, _, ident = slide.partition(".")
    ex = _exhibit(slide, lang) if kind not in ("tiles", "map", "targets") else None
    where = f"<p class='meeting-subtitle'>{html.escape(ui.filters_text(lang))} · {html.escape(data_as_of(lang))}</p>"
    if ex is not None and not ex.notes.empty:  # the notes' button beside the filters in force
        where_col, notes_col = st.columns([3, 1], vertical_alignment="center")
        where_col.html(where)
        with notes_col:
            _notes(ex.notes, lang)
    else:
        st.html(where)
    if kind == "tiles":
        ui.render_tiles(ident)
    elif kind == "targets":
        _targets_slide(int(ident), lang)
    elif kind == "map":
        _map_slide(ident)
    else:
        _chart_slide(ex, lang)
