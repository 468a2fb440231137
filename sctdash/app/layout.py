"""The pages' layout for the window they are shown in: 1024×768 and 1280×720 projectors,
1366×768 laptops, 1920×1080 screens.

- Below 1200 px the sidebar is a drawer, as on a tablet: it starts closed (unless the viewer
  opened or closed it before: Streamlit remembers that) and opens over the page instead of
  squeezing it, so a chart keeps the width it was laid out for (figures.PAGE_WIDTH).
- The filters in force are said under each page's title (ui.page_header), so a closed
  sidebar hides nothing a presenter needs to say.
- Tile labels and values wrap and are never cut with an ellipsis.
- Below 1400 px the page's side margins shrink from 5 rem to 1.5 rem.

Streamlit decides the sidebar's first state in the browser (closed only at 768 px and below),
so the drawer's closing is a few lines of script run in the browser when a page loads: it
clicks the sidebar's own close button, then forgets that it did, so that a wider window later
still opens with the sidebar; a viewer's own opening or closing is remembered by Streamlit
and left alone.
"""

from __future__ import annotations

import streamlit as st

DRAWER_BELOW = 1200  # px of the window below which the sidebar opens over the page

CSS = f"""
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
[data-testid="stMetricValue"] > div {{ overflow-wrap: break-word; }}
@media (max-width: 1400px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 1.5rem !important; padding-right: 1.5rem !important; }}
}}
@media (min-width: 769px) and (max-width: {DRAWER_BELOW - 0.02}px) {{
  [data-testid="stMain"] {{ position: fixed; inset: 0; width: 100%; }}
  section[data-testid="stSidebar"] {{ box-shadow: 0 0 24px rgba(0, 0, 0, 0.25); }}
}}
</style>
"""

SCRIPT = f"""
<script>
(() => {{
  if (window.innerWidth >= {DRAWER_BELOW}) return;
  const chosen = Object.keys(localStorage).filter((k) => k.startsWith("stSidebarCollapsed-"));
  if (chosen.length) return;  // the viewer opened or closed it before: Streamlit's choice stands
  const close = () => {{
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (!sidebar || !button) return false;
    if (sidebar.getBoundingClientRect().width > 0) button.click();
    Object.keys(localStorage)
      .filter((k) => k.startsWith("stSidebarCollapsed-"))
      .forEach((k) => localStorage.removeItem(k));  // not the viewer's choice: not remembered
    return true;
  }};
  if (!close()) {{
    const timer = setInterval(() => close() && clearInterval(timer), 50);
    setTimeout(() => clearInterval(timer), 5000);
  }}
}})();
</script>
"""


def apply() -> None:
    """The layout's style, and the drawer's first closing (in the sidebar, where its empty
    element takes no room from the page)."""
    st.html(CSS)
    with st.sidebar:
        st.html(SCRIPT, unsafe_allow_javascript=True)
