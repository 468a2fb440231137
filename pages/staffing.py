"""Staffing and administrative reform: headcount, qualifications, procedures, online services;
the report's other results and its targets as lists (sctdash.fact_list), never as charts."""

import streamlit as st

from sctdash import fact_list, places, ui
from sctdash.i18n import t

# The results of this page that no chart draws, listed as text in this order.
LISTED = [
    "staff_standards_pct",
    "staff_refresher_pct",
    "recruits_share",
    "staff_cut",
    "youth_dialogues",
    "deputies_per_department",
    "departments_inspected_pct",
    "units_inspected_pct",
    "legal_docs_as_required_pct",
    "procedure_list_decisions",
    "one_stop_services_2016",
    "procedures_time_cut",
    "resolution_reach_pct",
    "mttq_opinions",
    "spending_cut_pct",
]

ui.page_header("staffing")
ui.render_tiles("staffing")
ui.render_chart("staff_headcount")
ui.render_chart("staff_qualifications")
ui.render_chart("staff_training")
ui.render_chart("procedures_count")
ui.render_chart("online_services")
ui.render_chart("service_quality")
ui.render_chart("legal_documents_by_year")

lang = ui.lang()
st.subheader(t("figures.other", lang))
others = ui.query("figure_list", indicators=LISTED, figure_type="result")
st.markdown(fact_list.markdown(others.sort_values("indicator_id", key=lambda s: s.map(LISTED.index)), lang))
st.subheader(t("figures.targets", lang))
st.caption(t("figures.targets_intro", lang))
st.markdown(fact_list.markdown(ui.query("figure_list", indicators=[], figure_type="target"), lang))

st.subheader(t("extract.legal_documents", lang))
docs = ui.query("legal_documents", **ui.filters())
st.table(
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
    hide_index=True,
)
