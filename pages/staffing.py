"""Staffing and administrative reform: headcount, qualifications, procedures, online services;
the report's targets as a list (sctdash.exhibits.fact_list), never as charts."""

import streamlit as st

from sctdash.app import map_ui, ui
from sctdash.core.i18n import t
from sctdash.exhibits import fact_list, places

ui.page_header("staffing")
ui.render_tiles("staffing")
map_ui.render_map("staffing")  # only when the page has figures by district
ui.render_chart("staff_headcount")
ui.render_chart("staff_qualifications")
ui.render_chart("staff_training")
ui.render_chart("procedures_count")
ui.render_chart("online_services")
ui.render_chart("service_quality")
ui.render_chart("legal_documents_by_year")

lang = ui.lang()
st.header(t("extract.legal_documents", lang))
docs = ui.query("legal_documents", **ui.filters().params())
ui.plain_table(
    places.table_frame(
        docs,
        {
            "doc_number": "doc_number",
            "doc_kind": "kind",
            "issued_on": "issued_on",
            "title_vi": "title",
            "replaces": "replaces",
        },
        lang,
        {"doc_kind": "doc_kind"},
    ),
)
ui.render_more("staffing")

st.header(t("figures.targets", lang))
st.caption(t("figures.targets_intro", lang))
st.markdown(fact_list.markdown(ui.query("figure_list", indicators=[], figure_type="target"), lang))
