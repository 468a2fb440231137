"""Industrial growth: GOCN/VACN growth, promotion budgets, rural-industry awards."""

import streamlit as st

from sctdash import ui

ui.page_header("industry")
ui.render_tiles("industry")
ui.render_chart("industry_growth")
left, right = st.columns(2)
with left:
    ui.render_chart("industry_index")
with right:
    ui.render_chart("promotion_budget")
ui.render_chart("rural_product_awards")
