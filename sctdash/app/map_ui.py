"""Streamlit glue of the district map and the district comparison (views: district_map.py).

A page's map offers its curated maps (maps.toml) and one per indicator of its topics with
district rows in the chosen years (the overview: every topic's); an indicator's map shows the
latest value or the change over the chosen years.

A click on a tile sets the district filter: the chart's on_select callback writes
st.session_state[state.DISTRICT] before the sidebar's multiselect renders on the next run. The
map's widget key carries the filter in force, so a new filter starts a fresh selection and
a second click on the chosen district clears the filter instead of keeping a stale one.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from sctdash.app import export_ui, state, ui
from sctdash.core import catalogue
from sctdash.core.i18n import t
from sctdash.drawing import figures, map_figures
from sctdash.exhibits import district_map
from sctdash.exhibits.district_map import MapView
from sctdash.exhibits.filters import Filters
from sctdash.exports import export

CONFIG = {"displayModeBar": False, "displaylogo": False}


def _picked_codes(event) -> list[str]:
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else event.selection.points
    codes = []
    for p in points:
        data = p.get("customdata")
        code = data[0] if isinstance(data, (list, tuple)) else data
        if isinstance(code, str):
            codes.append(code)
    return list(dict.fromkeys(codes))


def _on_click(key: str) -> None:
    codes = _picked_codes(st.session_state.get(key))
    if not codes:
        return
    current = list(ui.filters().districts)
    st.session_state[state.DISTRICT] = [] if sorted(codes) == sorted(current) else codes


@st.cache_resource(max_entries=512, show_spinner=False)
def _figure(
    data_dir: str, fingerprint: str, kind: str, map_spec: dict, filters: Filters, lang: str, canvas: figures.Canvas
):
    """A map or comparison figure on a canvas (figures are only read after this): the page's,
    or a meeting screen's, as tall as its place, its words and legend the screen's."""
    shown = ui._map_view(data_dir, fingerprint, map_spec, filters, lang)
    if kind == "map":
        return map_figures.figure(shown, canvas)
    return map_figures.compare_figure(shown, canvas)


def view(map_spec: dict) -> MapView:
    return ui.map_view(map_spec)


def options(page: str | None) -> list[dict]:
    """The maps a page offers (None: every map, for the comparison)."""
    selected = ui.filters()
    curated = [district_map.spec(i) for i in (district_map.maps_for(page) if page else district_map.all_maps())]
    topics = catalogue.topics(page) if page and page != "overview" else None
    return curated + district_map.indicator_maps(ui.query, selected, topics)


def warm(lang: str = "vi") -> None:
    """Every curated map, and the comparison as it opens, for the whole province (see ui.warm)."""
    data_dir, fingerprint = ui._pinned()
    selected = Filters.of((), *ui.years_of_data())
    for map_id in district_map.all_maps():
        _figure(data_dir, fingerprint, "map", district_map.spec(map_id), selected, lang, figures.SCREEN)
    _figure(
        data_dir, fingerprint, "compare", district_map.spec(district_map.all_maps()[0]), selected, lang, figures.SCREEN
    )


def draw_map(map_spec: dict, where: str, canvas: figures.Canvas = figures.SCREEN) -> MapView:
    """One map; `where` names the place (page or meeting slide) for the widget key; on the
    meeting canvas as tall as its place."""
    selected, language = ui.filters(), ui.lang()
    fig = _figure(*ui._pinned(), "map", map_spec, selected, language, canvas)
    key = f"map_{where}_{map_spec['id']}_{'-'.join(sorted(selected.districts)) or 'all'}"
    shown = ui.map_view(map_spec, selected, language)
    st.plotly_chart(
        fig,
        key=key,
        # a screen reader's words for the picture: its title and every tile's value
        alt=f"{shown.title}. " + "; ".join(f"{tile.name}: {tile.text}" for tile in shown.tiles),
        on_select=partial(_on_click, key),
        selection_mode="points",
        config={**CONFIG, "responsive": True},
        theme=None,
        height="stretch" if canvas.fill else "content",
    )
    return shown


def _choose(ids: list[dict], key: str, lang: str, label_key: str) -> dict:
    by_id = {spec["id"]: spec for spec in ids}
    names = {spec["id"]: spec["short"][lang] for spec in ids}
    if st.session_state.get(key) not in by_id:  # a map the data no longer has: back to the first
        st.session_state.pop(key, None)
    if len(ids) <= 4:
        chosen = st.segmented_control(
            t(label_key, lang), list(by_id), default=ids[0]["id"], format_func=names.__getitem__, key=key
        )
    else:
        chosen = st.selectbox(t(label_key, lang), list(by_id), format_func=names.__getitem__, key=key)
    return by_id.get(chosen) or ids[0]


def _mode(map_spec: dict, key: str, lang: str) -> dict:
    """An indicator's map: the latest value, or the change over the chosen years."""
    if map_spec.get("query") != "map_indicator":
        return map_spec
    selected = ui.filters()
    first, last = max(map_spec["first_year"], selected.year_from), min(map_spec["last_year"], selected.year_to)
    if last <= first:
        return map_spec
    modes = {"latest": t("map.mode_latest", lang), "change": t("map.mode_change", lang, y0=first, y1=last)}
    if st.session_state.get(key) not in modes:
        st.session_state.pop(key, None)
    mode = st.segmented_control(
        t("map.mode", lang), list(modes), default="latest", format_func=modes.__getitem__, key=key
    )
    return district_map.with_mode(map_spec, mode or "latest")


def render_map(page: str) -> None:
    """The page's district map; none where the page has no figure by district."""
    ids = options(page)
    if not ids:
        return
    language = ui.lang()
    st.header(t("map.heading_areas" if ui.filters().year_to >= 2025 else "map.heading", language))
    chosen = _mode(_choose(ids, state.map_figure(page), language, "map.figure"), state.map_mode(page), language)
    ui.first_screen()  # the map is the page's first chart: drawn at once, the charts under it in turn
    shown = draw_map(chosen, page)
    _pick(shown, page, language)
    selected = ui.filters()
    name = export.file_name(f"bản đồ {shown.short}", selected, shown.years, ui.district_names(selected.districts))
    export_ui.map_buttons(shown, page, name, language)


def _pick(shown: MapView, where: str, lang: str) -> None:
    """The tiles' choice as a row of buttons, one per district, pressed for each district in
    the filter (the tiles with a black border): what a click on a tile does, for the keyboard
    (Tab to it, Enter or Space) and for a screen reader, which names each button and says
    whether it is pressed. A plotted tile takes no focus."""
    key = state.map_pick(where)
    names = {tile.code: tile.name for tile in shown.tiles}
    st.session_state[key] = [code for code in ui.filters().districts if code in names]  # mirrors the filter
    if shown.points:  # 96 communes: a list to search (with or without diacritics), not a row of buttons
        plain = {r["area_code"]: r.get("name_ascii", "") for r in shown.rows.to_dict("records")}
        st.multiselect(
            t("map.pick_areas", lang),
            sorted(names, key=lambda c: names[c]),
            format_func=lambda c: f"{names[c]} · {plain[c]}" if plain.get(c) and plain[c] != names[c] else names[c],
            key=key,
            help=t("map.pick_help", lang),
            on_change=_on_pick,
            args=(key,),
        )
        return
    st.pills(
        t("map.pick", lang),
        list(names),
        selection_mode="multi",
        format_func=names.__getitem__,
        key=key,
        help=t("map.pick_help", lang),
        on_change=_on_pick,
        args=(key,),
    )


def _on_pick(key: str) -> None:
    st.session_state[state.DISTRICT] = list(st.session_state.get(key) or [])


def render_compare() -> None:
    """A chosen district figure side by side for the chosen districts (all when none)."""
    language, selected = ui.lang(), ui.filters()
    st.header(t("compare.heading", language))
    ids = options(None)
    compared = _mode(_choose(ids, state.COMPARE_FIGURE, language, "compare.figure"), state.COMPARE_MODE, language)
    if not selected.districts:
        st.caption(t("compare.hint", language))
    fig = _figure(*ui._pinned(), "compare", compared, selected, language, figures.SCREEN)
    shown = view(compared)
    # The camera button's file: named after the figure and the districts (and the years of an
    # indicator's map), at twice the drawn size, e.g. so-sanh-cong-suat-thuy-dien-mw_ba-to.png
    name = export.file_name(f"so sánh {shown.short}", selected, shown.years, ui.district_names(selected.districts))
    image = {"format": "png", "filename": name, "width": 960, "height": fig.layout.height or 540, "scale": 2}

    def draw() -> None:
        st.plotly_chart(
            fig,
            key="compare_chart",
            alt=f"{shown.short}. {shown.subtitle}",
            config={"displaylogo": False, "toImageButtonOptions": image},
            theme=None,
        )

    ui.in_turn("compare", shown.short, int(fig.layout.height or 540), language, draw)
