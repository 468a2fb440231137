"""Download buttons for the exports (Streamlit side of sctdash.exports.export and sctdash.exports.deck).

Every button passes a callable as `data` with on_click="ignore": Streamlit runs it in a
worker thread only when the button is clicked (streamlit ≥ 1.50), so the bytes are built
only when asked for, the page does not rerun, and other sessions are not held up. The
callables close over plain values (the exhibit or map drawn, the views of the filters in force
bound to the run's version of the extracts), never st.session_state, because they run outside
the script thread.
"""

from __future__ import annotations

import streamlit as st

from sctdash.core.i18n import t
from sctdash.exhibits.district_map import MapView
from sctdash.exhibits.exhibit import Exhibit
from sctdash.exhibits.pipeline import Views
from sctdash.exports import deck, export, render, sheets

MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def chart_buttons(ex: Exhibit, name: str, lang: str) -> None:
    """PNG, SVG, CSV and XLSX of one chart, in a row under it."""
    builders = {
        "csv": lambda: sheets.csv_bytes(ex.rows),
        "xlsx": lambda: export.xlsx(ex),
    }
    if render.chromium_available():
        builders = {"png": lambda: export.png(ex), "svg": lambda: export.svg(ex), **builders}
    _buttons(builders, name, ex.id, lang)


def map_buttons(map_view: MapView, where: str, name: str, lang: str) -> None:
    """PNG, SVG, CSV and XLSX of one district map, in a row under it (`where`: the page)."""
    builders = {
        "csv": lambda: sheets.csv_bytes(map_view.rows),
        "xlsx": lambda: export.map_xlsx(map_view),
    }
    if render.chromium_available():
        builders = {"png": lambda: export.map_png(map_view), "svg": lambda: export.map_svg(map_view), **builders}
    _buttons(builders, name, f"map_{where}_{map_view.id}", lang)


def table_buttons(frame, title: str, where: str, name: str, lang: str) -> None:
    """CSV and XLSX of a table in words (the plans and results), as the page shows it."""
    builders = {
        "csv": lambda: sheets.csv_bytes(frame),
        "xlsx": lambda: sheets.xlsx_bytes(frame, name[:31], title, "", where, lang, export.today()),
    }
    _buttons(builders, name, f"table_{name}", lang, chromium_said=False)


def _buttons(builders: dict, name: str, key: str, lang: str, chromium_said: bool = True) -> None:
    cols = st.columns([3, 2, 2, 2, 5] if len(builders) == 4 else [2, 2, 8])
    for col, (kind, build) in zip(cols, builders.items()):
        with col:
            st.download_button(
                t(f"export.{kind}", lang),
                data=build,
                file_name=f"{name}.{kind}",
                mime=MIME[kind],
                key=f"export_{kind}_{key}",
                help=t(f"export.{kind}_help", lang),
                icon=":material/download:",
                on_click="ignore",
            )
    if len(builders) == 2 and chromium_said:
        st.caption(t("export.no_chromium", lang))


def deck_buttons(page: str, views: Views, where: str) -> None:
    """The page's deck; on the overview also the whole dashboard's, drawn from `views` (the
    exhibits the screen has cached). `where`: the districts and years part of the file names."""
    lang = views.lang
    cols = st.columns([1, 1, 1] if page == "overview" else [1, 2])
    with cols[0]:
        st.download_button(
            t("export.deck", lang),
            data=lambda: deck.page_deck(page, views),
            file_name=f"{page}_{where}.pptx",
            mime=MIME["pptx"],
            key=f"export_deck_{page}",
            help=t("export.deck_help", lang),
            icon=":material/slideshow:",
            on_click="ignore",
        )
    if page == "overview":
        with cols[1]:
            st.download_button(
                t("export.deck_all", lang),
                data=lambda: deck.dashboard_deck(views),
                file_name=f"dashboard_{where}.pptx",
                mime=MIME["pptx"],
                key="export_deck_all",
                help=t("export.deck_all_help", lang),
                icon=":material/slideshow:",
                on_click="ignore",
            )
