"""Start the dashboard: `python -m sctdash.serve` takes the arguments of `streamlit run`.

Streamlit treats a `pages/` folder beside the entry point as old-style automatic pages until
the entry point has called st.navigation once, so the very first visitor of a fresh server
who opens a deep link (/industry?district=535) would get the page without dashboard.py's
filters. Our pages/ holds st.Page scripts routed by dashboard.py, so we say so up front.
"""

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli


def warm_up() -> None:
    """Before the server says it is ready: import the heavy modules the pages use and build
    the extracts' DuckDB file if the CSVs changed, so the first visitor does not wait for
    either (their session then opens the file in milliseconds)."""
    import plotly.graph_objects  # noqa: F401

    from sctdash import persist, ui  # noqa: F401

    persist.open_store()


def main() -> None:
    PagesManager.uses_pages_directory = False
    warm_up()
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
