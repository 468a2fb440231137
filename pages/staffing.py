"""Staffing and administrative reform: headcount, qualifications, procedures, online services."""

import streamlit as st

from sctdash import map_ui, ui
from sctdash.i18n import t

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
docs = ui.query("legal_documents", **ui.filters().params())
with st.expander(t("extract.legal_documents", lang)):
    ui.table(
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
    )
ui.render_more("staffing")
