"""Rural electrification: the 2013–2020 project, the communes it names, power projects."""

import streamlit as st

from sctdash import map_ui, ui
from sctdash.i18n import t

ui.page_header("electricity")
ui.render_tiles("electricity")
map_ui.render_map("electricity")
ui.render_chart("electrified_communes_by_district")
lang, f = ui.lang(), ui.filters()
communes = ui.query("electrified_communes", **f.params())
with st.expander(t("chart.table", lang)):
    ui.table(
        communes,
        {
            "commune_name": "commune_name",
            "district_vi": "district_vi",
            "status": "status",
            "quote": "quote",
        },
        lang,
        {"status": "status"},
    )

ui.render_chart("power_projects")
projects = ui.query("power_projects", **f.params())
pending = projects[projects["value"].isna()]
if not pending.empty:
    st.subheader(t("notice.unknown_capacity", lang))
    pending = pending.assign(districts_vi=pending["districts_vi"].replace("", t("notice.unknown_district", lang)))
    ui.table(
        pending,
        {
            "item": "name",
            "series": "kind",
            "status": "status",
            "districts_vi": "districts_vi",
        },
        lang,
        {"series": "power_kind", "status": "status"},
    )
with st.expander(t("chart.table", lang)):
    shown = projects.assign(districts_vi=projects["districts_vi"].replace("", t("notice.unknown_district", lang)))
    ui.table(
        shown,
        {
            "item": "name",
            "series": "kind",
            "value": "capacity",
            "capacity_unit": "variant",
            "status": "status",
            "districts_vi": "districts_vi",
            "report_mentions": "report_mentions",
        },
        lang,
        {"series": "power_kind", "status": "status"},
    )
ui.render_more("electricity")
