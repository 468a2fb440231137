"""The dashboard's pages, in the menu's order: the one list the app, the tests and the bench
read; and how Streamlit is told that pages/ holds st.Page scripts.

Streamlit treats a `pages/` folder beside the entry point as old-style automatic pages until
the entry point has called st.navigation once, so the very first visitor of a fresh server
who opens a deep link (/industry?district=535) would get the page without dashboard.py's
filters. AppTest detects the folder again before every run, so the flag is set after each
detection rather than once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sctdash.core.i18n import t

# The tab's icon, a file of ours: Streamlit sends an SVG file to the browser as a data: URL,
# where a ":material/…:" favicon is fetched from a public font server (no request leaves).
ICON = str(Path(__file__).resolve().parent / "assets" / "icon.svg")


@dataclass(frozen=True)
class Page:
    name: str  # its url path and its words' key (page.<name>)
    icon: str
    hidden: bool = False  # entered by a link or a control, not from the menu

    @property
    def script(self) -> str:
        """Its script, relative to the project's root: what st.Page and AppTest take."""
        return f"pages/{self.name}.py"

    @property
    def url(self) -> str:
        """Its path on the server: the default page at the root."""
        return "/" if self.name == DEFAULT else f"/{self.name}"

    def title(self, lang: str) -> str:
        return t(f"page.{self.name}", lang)


DEFAULT = "overview"
PAGES = (
    Page("overview", ":material/dashboard:"),
    Page("industry", ":material/factory:"),
    Page("electricity", ":material/bolt:"),
    Page("market", ":material/storefront:"),
    Page("staffing", ":material/groups:"),
    Page("data", ":material/dataset:"),
    Page("meeting", ":material/co_present:", hidden=True),  # ?mode=meeting or the sidebar's toggle
)
MENU = tuple(page for page in PAGES if not page.hidden)


def page(name: str) -> Page:
    return next(p for p in PAGES if p.name == name)


_OUR_INITS: set[Callable] = set()  # the PagesManager.__init__ put in place below: patched once


def pages_are_st_page_scripts() -> Callable[[], None]:
    """Say that pages/ holds st.Page scripts routed by dashboard.py, for every PagesManager
    made from now on in this process (the server's, or AppTest's before each run). Returns
    the undo; calling it twice patches once."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    current = PagesManager.__init__
    if current in _OUR_INITS:
        return lambda: None

    def init(self, *args, **kwargs):
        current(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    _OUR_INITS.add(init)

    def undo() -> None:
        PagesManager.__init__ = current

    PagesManager.__init__ = init
    return undo
