"""Start the dashboard: `python -m sctdash.serve` takes the arguments of `streamlit run`.

Streamlit treats a `pages/` folder beside the entry point as old-style automatic pages until
the entry point has called st.navigation once, so the very first visitor of a fresh server
who opens a deep link (/industry?district=535) would get the page without dashboard.py's
filters. Our pages/ holds st.Page scripts routed by dashboard.py, so we say so up front.
"""

import logging
import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from sctdash import sdnotify

_BARE_MODE_WARNINGS = (
    "caching.cache_data_api",
    "caching.cache_resource_api",
    "state.session_state_proxy",
    "scriptrunner_utils.script_run_context",
)


def warm_up() -> None:
    """Before the server says it is ready: import the heavy modules the pages use, build the
    extracts' DuckDB file if the CSVs changed, and draw every chart and map of the whole
    province into the caches all sessions share, so the first visitor waits for none of it.

    Outside a script run Streamlit warns that session state and the data cache's storage
    are not those of a server; neither matters here (the figures are built from arguments
    and cached by st.cache_resource, which is process-wide), so the warnings are hushed."""
    noisy = [logging.getLogger(f"streamlit.runtime.{name}") for name in _BARE_MODE_WARNINGS]
    levels = [logger.level for logger in noisy]
    try:
        for logger in noisy:
            logger.setLevel(logging.ERROR)
        import plotly.graph_objects  # noqa: F401

        from sctdash import catalogue_check, map_ui, persist, ui

        problems = catalogue_check.check()
        if problems:  # a catalogue that names a missing query or word: refuse to start
            raise SystemExit("the catalogues (charts.toml, maps.toml, text*.toml):\n  " + "\n  ".join(problems))
        persist.open_store()
        ui.warm()
        map_ui.warm()
    finally:
        for logger, level in zip(noisy, levels):
            logger.setLevel(level)


def port_in(args: list[str], default: int = 8501) -> int:
    """The --server.port of `streamlit run` arguments."""
    for i, arg in enumerate(args):
        if arg == "--server.port" and i + 1 < len(args):
            return int(args[i + 1])
        if arg.startswith("--server.port="):
            return int(arg.split("=", 1)[1])
    return default


def main() -> None:
    PagesManager.uses_pages_directory = False
    warm_up()
    port = port_in(sys.argv[1:])
    sdnotify.start(lambda: port)  # under a systemd unit only: ready and watchdog (docs/deploy.md)
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
