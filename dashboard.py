"""Entry point: page registry and the filters every page shares. It only routes."""

import streamlit as st

from sctdash import ui
from sctdash.i18n import t

PAGES = [
    ("overview", "pages/overview.py", ":material/dashboard:"),
    ("industry", "pages/industry.py", ":material/factory:"),
    ("electricity", "pages/electricity.py", ":material/bolt:"),
    ("market", "pages/market.py", ":material/storefront:"),
    ("staffing", "pages/staffing.py", ":material/groups:"),
    ("data", "pages/data.py", ":material/dataset:"),
]

st.set_page_config(page_title=t("app.title", ui.lang()), page_icon=":material/bolt:", layout="wide")
ui.sidebar_filters()
lang = ui.lang()
nav = st.navigation(
    [
        st.Page(
            path,
            title=t(f"page.{name}", lang),
            icon=icon,
            url_path=name,
            default=(name == "overview"),
        )
        for name, path, icon in PAGES
    ]
)
with st.sidebar:
    st.caption(f"{t('app.department', lang)} · {t('app.report', lang)}")
nav.run()
