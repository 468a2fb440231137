"""Download buttons for the exports (Streamlit side of sctdash.export).

Every button passes a callable as `data` with on_click="ignore": Streamlit runs it in a
worker thread only when the button is clicked (streamlit ≥ 1.50), so the bytes are built
only when asked for, the page does not rerun, and other sessions are not held up. The
callables close over plain values (store, filters, language), never st.session_state,
because they run outside the script thread.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sctdash import charts, export
from sctdash.i18n import t

MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def chart_buttons(chart_id: str, df: pd.DataFrame, ctx: charts.Context, f: dict, lang: str) -> None:
    """PNG, SVG, CSV and XLSX of one chart, in a row under it."""
    from sctdash import ui

    store, name, m = ui.store(), ui.export_name(chart_id, f), charts.meta(chart_id)
    f = dict(f)
    builders = {
        "csv": lambda: export.csv_bytes(df, m, lang),
        "xlsx": lambda: export.xlsx_bytes(df, m, lang, ctx),
    }
    if export.chromium_available():
        builders = {
            "png": lambda: export.png(chart_id, f, lang, store=store),
            "svg": lambda: export.svg(chart_id, f, lang, store=store),
            **builders,
        }
    _buttons(builders, name, chart_id, lang)


def _buttons(builders: dict, name: str, key: str, lang: str) -> None:
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
    if len(builders) == 2:
        st.caption(t("export.no_chromium", lang))


def map_buttons(map_id: str, where: str, name: str, f: dict, lang: str) -> None:
    """PNG, SVG, CSV and XLSX of one district map, in a row under it (`where`: the page)."""
    from sctdash import ui

    store, f = ui.store(), dict(f)
    builders = {
        "csv": lambda: export.csv_bytes(export.map_rows(store, map_id)),
        "xlsx": lambda: export.map_xlsx(map_id, f, lang, store=store),
    }
    if export.chromium_available():
        builders = {
            "png": lambda: export.map_png(map_id, f, lang, store=store),
            "svg": lambda: export.map_svg(map_id, f, lang, store=store),
            **builders,
        }
    _buttons(builders, name, f"map_{where}_{map_id}", lang)


def deck_buttons(page: str, f: dict, lang: str) -> None:
    """The page's deck; on the overview also the whole dashboard's."""
    from sctdash import ui

    if page not in export.pages():
        return
    store, f = ui.store(), dict(f)
    where = ui.export_name("x", f).split("_", 1)[1]  # the filters part of the chart file names
    cols = st.columns([1, 1, 1] if page == "overview" else [1, 2])
    with cols[0]:
        st.download_button(
            t("export.deck", lang),
            data=lambda: export.page_deck(page, f, lang, store=store),
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
                data=lambda: export.dashboard_deck(f, lang, store=store),
                file_name=f"dashboard_{where}.pptx",
                mime=MIME["pptx"],
                key="export_deck_all",
                help=t("export.deck_all_help", lang),
                icon=":material/slideshow:",
                on_click="ignore",
            )
