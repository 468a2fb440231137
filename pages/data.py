"""Data and sources: the extracts, their problems, the data notes, the words behind each figure,
the change history, and (for editors) imports and restores."""

import pandas as pd
import streamlit as st

from sctdash.app import changelog_ui, import_ui, ui
from sctdash.core import paths
from sctdash.core.i18n import t
from sctdash.editing import templates
from sctdash.exhibits import pipeline, revisions
from sctdash.store import db

ui.page_header("data")
lang, s = ui.lang(), ui.store()

st.header(t("data.catalogue", lang))
counts = s.row_counts()
status = {
    tbl: "status_ok" if tbl not in s.problems else ("status_fallback" if tbl in s.fallbacks else "status_failed")
    for tbl in db.TABLES
}
catalogue = pd.DataFrame(
    {
        t("data.file", lang): [paths.shown(s.data_dir / f"{tbl}.csv") for tbl in db.TABLES],
        t("data.description", lang): [t(f"extract.{tbl}", lang) for tbl in db.TABLES],
        t("data.rows", lang): [counts[tbl] for tbl in db.TABLES],
        t("data.status", lang): [t(f"data.{status[tbl]}", lang) for tbl in db.TABLES],
    }
)
st.dataframe(catalogue, hide_index=True)

st.header(t("data.problems", lang))
if not s.problems:
    st.success(t("data.no_problems", lang))
for problems in s.problems.values():
    st.error("\n".join(f"- {p.message(lang)}" for p in problems))

st.header(t("data.notes", lang))
for _, note in ui.query("data_notes").iterrows():
    with st.expander(note[f"title_{lang}"]):
        st.write(note[f"text_{lang}"])
        where = [f"{t('data.attached_to', lang)}: {note['attached_to']}"] if note["attached_to"] else []
        if note["section"]:
            where.append(f"{t('column.section', lang)}: {note['section']}")
        st.caption(" · ".join(where))

st.header(t("data.quotes", lang))
indicators = ui.query("indicator_list")
names = dict(zip(indicators["indicator_id"], indicators[f"name_{lang}"]))
chosen = st.selectbox(t("data.indicator", lang), list(names), format_func=names.__getitem__, key="quote_indicator")
quotes = ui.query("quotes_for_indicator", indicator=chosen, **ui.filters().params())
changes = changelog_ui.figure_changes()
if changes:
    st.caption(t("changelog.figures_note", lang))
for row in quotes.itertuples():
    st.markdown(ui.quote_line(row, lang) + changelog_ui.figure_note(changes, chosen, row, lang))

st.header(t("revision.title", lang))
st.caption(t("revision.intro", lang))
revised = ui.query("revisions_in_view", **ui.filters().params())
if revised.empty:
    st.info(t("revision.none", lang))
else:
    ui.plain_table(revisions.listing(revised, pipeline.area_names(ui.query, lang), lang))

st.header(t("data.sources", lang))
ui.table(
    s.table("sources"),
    {
        "source_id": "source_id",
        "kind": "kind",
        "title": "title",
        "publisher": "publisher",
        "published_on": "published_on",
        "url": "url",
    },
    lang,
    {"kind": "source_kind"},
)

st.header(t("data.downloads", lang))
cols = st.columns(3)
for i, tbl in enumerate(db.TABLES):
    path = s.data_dir / f"{tbl}.csv"
    if path.exists():
        with cols[i % 3]:
            st.download_button(
                t("data.download", lang, file=path.name),
                data=path.read_bytes(),
                file_name=path.name,
                mime="text/csv",
                key=f"download_{tbl}",
                on_click="ignore",
            )

st.header(t("data.templates", lang))
st.caption(t("data.templates_help", lang))
cols = st.columns(3)
for i, tbl in enumerate(db.IMPORTED):  # areas.csv is written by `make areas`, not by planners
    with cols[i % 3]:
        st.download_button(
            t("data.template_download", lang, table=tbl),
            data=lambda tbl=tbl: templates.build(tbl, s),  # built when clicked, from the current data
            file_name=templates.file_name(tbl),
            mime=templates.MIME,
            key=f"template_{tbl}",
            on_click="ignore",
        )

import_ui.render_import(lang)

changelog_ui.render_history(lang)
