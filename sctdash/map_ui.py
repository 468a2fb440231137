"""Streamlit glue of the district map and the district comparison (figures: district_map.py).

A click on a tile sets the district filter: the chart's on_select callback writes
st.session_state["district"] before the sidebar's multiselect renders on the next run. The
map's widget key carries the filter in force, so a new filter starts a fresh selection and
a second click on the chosen district clears the filter instead of keeping a stale one.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from sctdash import charts, district_map, export_ui, ui, views
from sctdash.i18n import t

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
    current = ui.filters()["districts"]
    st.session_state[ui.DISTRICT_KEY] = [] if sorted(codes) == sorted(current) else codes


def map_context(df, lng: str, f: dict) -> charts.Context:
    return views.map_context(ui.query, ui.query("source_list"), df, f, lng)


@st.cache_resource(max_entries=512, show_spinner=False)
def _figure(fingerprint: str, kind: str, map_id: str, districts: tuple, lng: str, scale: float):
    """A map or comparison figure, built once per data, filter and language for every session
    (figures are only read after this)."""
    m = district_map.spec(map_id)
    df = district_map.rows(ui.query, map_id)
    f = {**ui.filters(), "districts": list(districts)}
    if kind == "map":
        return district_map.figure(df, m, lng, list(districts), map_context(df, lng, f), scale)
    return district_map.compare_figure(df, m, lng, list(districts), map_context(df, lng, f))


def warm(lng: str = "vi") -> None:
    """Every district map, and the comparison as it opens, for the whole province (see ui.warm)."""
    fingerprint = ui.store().fingerprint
    for map_id in district_map.all_maps():
        _figure(fingerprint, "map", map_id, (), lng, 1.0)
    _figure(fingerprint, "compare", district_map.all_maps()[0], (), lng, 1.0)


def draw_map(map_id: str, where: str, scale: float = 1.0) -> None:
    """One map; `where` names the place (page or meeting slide) for the widget key."""
    lng, f = ui.lang(), ui.filters()
    fig = _figure(ui.store().fingerprint, "map", map_id, tuple(f["districts"]), lng, scale)
    key = f"map_{where}_{map_id}_{'-'.join(sorted(f['districts'])) or 'all'}"
    st.plotly_chart(
        fig,
        key=key,
        on_select=partial(_on_click, key),
        selection_mode="points",
        config=CONFIG,
        theme=None,
    )


def render_map(page: str) -> None:
    """The page's district map (none on pages whose figures are all province-level)."""
    ids = district_map.maps_for(page)
    if not ids:
        return
    lng = ui.lang()
    st.subheader(t("map.heading", lng))
    chosen = ids[0]
    if len(ids) > 1:
        chosen = (
            st.segmented_control(
                t("map.figure", lng),
                ids,
                default=ids[0],
                format_func=lambda i: district_map.spec(i)["short"][lng],
                key=f"map_figure_{page}",
            )
            or ids[0]
        )
    draw_map(chosen, page)
    f = ui.filters()
    name = ui.export_name(f"bản đồ {district_map.spec(chosen)['short']['vi']}", f, years=False)
    export_ui.map_buttons(chosen, page, name, f, lng)


def render_compare() -> None:
    """A chosen district figure side by side for the chosen districts (all when none)."""
    lng, f = ui.lang(), ui.filters()
    st.subheader(t("compare.heading", lng))
    ids = district_map.all_maps()
    chosen = st.selectbox(
        t("compare.figure", lng),
        ids,
        format_func=lambda i: district_map.spec(i)["short"][lng],
        key="compare_figure",
    )
    if not f["districts"]:
        st.caption(t("compare.hint", lng))
    fig = _figure(ui.store().fingerprint, "compare", chosen, tuple(f["districts"]), lng, 1.0)
    # The camera button's file: named after the figure and the districts (the maps have no
    # years), at twice the drawn size, e.g. so-sanh-cong-suat-thuy-dien-mw_ba-to.png
    name = ui.export_name(f"so sánh {district_map.spec(chosen)['short']['vi']}", f, years=False)
    image = {"format": "png", "filename": name, "width": 960, "height": fig.layout.height or 540, "scale": 2}
    st.plotly_chart(fig, key="compare_chart", config={"displaylogo": False, "toImageButtonOptions": image}, theme=None)
