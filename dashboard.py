"""Entry point: page registry and the filters every page shares. It only routes."""

import streamlit as st

from sctdash import links, meeting, ui
from sctdash.i18n import t

PAGES = [
    ("overview", "pages/overview.py", ":material/dashboard:"),
    ("industry", "pages/industry.py", ":material/factory:"),
    ("electricity", "pages/electricity.py", ":material/bolt:"),
    ("market", "pages/market.py", ":material/storefront:"),
    ("staffing", "pages/staffing.py", ":material/groups:"),
    ("data", "pages/data.py", ":material/dataset:"),
    ("meeting", "pages/meeting.py", ":material/co_present:"),  # hidden: entered by ?mode=meeting or the toggle
]

ui.begin_run()  # one version of the extracts for the whole run, even if an import lands meanwhile
links.read_url()  # a shared link's districts, years, language, mode: before any widget
st.set_page_config(page_title=t("app.title", ui.lang()), page_icon=":material/bolt:", layout="wide")
ui.sidebar_filters()
lang = ui.lang()
pages = {
    name: st.Page(
        path,
        title=t(f"page.{name}", lang),
        icon=icon,
        url_path=name,
        default=(name == ("meeting" if meeting.active() else "overview")),  # "/?mode=meeting" lands there
        visibility="hidden" if name == "meeting" else "visible",
    )
    for name, path, icon in PAGES
}
nav = st.navigation(list(pages.values()))
current = next((name for name, page in pages.items() if page is nav), "")
meeting.route(current, lambda name: links.switch_page(pages[name]))
with st.sidebar:
    meeting.toggle(lang)
    links.share_control(nav.url_path or (current if current != "overview" else ""), list(pages), lang)
    st.caption(f"{t('app.department', lang)} · {t('app.report', lang)}")
links.write_url()
links.notices(lang)
nav.run()
