"""Start the dashboard: `python -m sctdash.serving.serve` takes the arguments of `streamlit run`.

Before the server starts, it says that pages/ holds st.Page scripts (site.py tells why),
checks the catalogues and warms the caches.
"""

import logging
import sys

from sctdash.app import site
from sctdash.serving import sdnotify

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

        from sctdash.app import map_ui, ui
        from sctdash.exhibits import catalogue_check
        from sctdash.store import persist

        problems = catalogue_check.check()
        if problems:  # a catalogue that names a missing query or word: refuse to start
            raise SystemExit("the catalogues (charts.toml, maps.toml, text*.toml):\n  " + "\n  ".join(problems))
        persist.open_store()
        ui.warm()
        map_ui.warm()
    finally:
        for logger, level in zip(noisy, levels):
            logger.setLevel(level)


def command(port: int, *extra: str, python: str = sys.executable) -> list[str]:
    """The command line of one dashboard process, as the systemd unit
    (sctdash/serving/systemd/sctdash@.service, with `port` %i), `make serve` and the browser
    tests start it: on 127.0.0.1:`port`, headless, no usage statistics, no file watcher (a new
    extract is found by its fingerprint, not by watching files)."""
    return [
        python,
        "-m",
        "sctdash.serving.serve",
        "dashboard.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *extra,
    ]


def port_in(args: list[str], default: int = 8501) -> int:
    """The --server.port of `streamlit run` arguments."""
    for i, arg in enumerate(args):
        if arg == "--server.port" and i + 1 < len(args):
            return int(args[i + 1])
        if arg.startswith("--server.port="):
            return int(arg.split("=", 1)[1])
    return default


def main() -> None:
    from streamlit.web import cli  # here, so make serve's launcher can read `command` without Streamlit

    site.pages_are_st_page_scripts()
    warm_up()
    port = port_in(sys.argv[1:])
    sdnotify.start(lambda: port)  # under a systemd unit only: ready and watchdog (docs/deploy.md)
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
