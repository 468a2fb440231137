"""Rural electrification: the 2013–2020 project, the communes it names, power projects.

The places the report names are text a browser's find and a screen reader can read: the
chosen districts' communes and projects as lists (sctdash.exhibits.places), the full lists as tables.
"""

import streamlit as st

from sctdash.app import map_ui, ui
from sctdash.core.i18n import t
from sctdash.exhibits import places

ui.page_header("electricity")
ui.render_tiles("electricity")
map_ui.render_map("electricity")
lang, f = ui.lang(), ui.filters()
named = places.named_places(ui.query, list(f.districts), lang, "electricity")
if named:
    st.header(t("places.heading", lang))
    st.markdown(places.markdown(named))

ui.render_chart("electrified_communes_by_district")
st.header(t("places.communes_table", lang))
communes = ui.query("electrified_communes", districts=[])
ui.plain_table(
    places.table_frame(
        communes,
        {"commune_name": "commune_name", "district_vi": "district_vi", "status": "status", "quote": "quote"},
        lang,
        {"status": "status"},
    ),
)

ui.render_chart("power_projects")
st.header(t("places.projects_table", lang))
projects = ui.query("power_projects", districts=[])
shown = projects.assign(districts_vi=projects["districts_vi"].replace("", t("notice.unknown_district", lang)))
ui.plain_table(
    places.table_frame(
        shown,
        {
            "item": "name",
            "series": "kind",
            "value": "capacity",
            "capacity_unit": "unit",
            "status": "status",
            "districts_vi": "districts_vi",
            "report_mentions": "report_mentions",
        },
        lang,
        {"series": "power_kind", "status": "status"},
    ),
)
ui.render_more("electricity")
