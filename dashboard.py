"""Entry point: page registry and the filters every page shares. It only routes."""

import streamlit as st

from sctdash.app import layout, links, meeting, site, ui
from sctdash.core.i18n import t

ui.begin_run()  # one version of the extracts for the whole run, even if an import lands meanwhile
links.read_url()  # a shared link's districts, years, language, mode: before any widget
st.set_page_config(page_title=t("app.title", ui.lang()), page_icon=site.ICON, layout="wide")
ui.style()
layout.apply()  # the sidebar a drawer on narrow screens; tiles' words whole
ui.sidebar_filters()
lang = ui.lang()
pages = {
    entry.name: st.Page(
        entry.script,
        title=entry.title(lang),
        icon=entry.icon,
        url_path=entry.name,
        # always the overview: a meeting page made the default would lose its own path, and a
        # link to /meeting?mode=meeting would say "Page not found" (meeting.route switches)
        default=(entry.name == site.DEFAULT),
        visibility="hidden" if entry.hidden else "visible",
    )
    for entry in site.PAGES
}
nav = st.navigation(list(pages.values()))
current = next((name for name, page in pages.items() if page is nav), "")
meeting.route(current, lambda name: links.switch_page(pages[name]))
with st.sidebar:
    meeting.toggle(lang)
    links.share_control(nav.url_path or (current if current != site.DEFAULT else ""), list(pages), lang)
    st.caption(f"{t('app.department', lang)} · {t('app.report', lang)}")
links.write_url()
links.notices(lang)
nav.run()
