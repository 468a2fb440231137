"""Streamlit glue shared by the pages: the store, cached queries, filters, tiles and charts.

Pages stay thin: they call `page_header`, `render_tiles` and `render_chart` with ids from
charts.toml. Every function reads the shared filter state with a default, so a page also
runs alone (in a smoke test, say).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from sctdash import charts, db, export, export_ui, fmt, paths, persist, views
from sctdash.i18n import LANGS, label, t

log = logging.getLogger(__name__)

DISTRICT_KEY = "district"
YEARS_KEY = "years"
LANG_KEY = "lang"
FIRST_YEAR, LAST_YEAR = 2015, 2020


# ------------------------------------------------------------------ data access
@st.cache_resource(max_entries=2, show_spinner=False)
def _store(data_dir: str, fingerprint: str) -> db.Store:
    log.info("loading extracts from %s (%s)", data_dir, fingerprint)
    return persist.open_store(Path(data_dir))


_PIN = "_sct_store_of_this_run"
_RUN_STORE = "_sct_store_object_of_this_run"


def begin_run() -> None:
    """Pin the extracts as they are now for the whole of this run (dashboard.py calls it
    first), so a page stays consistent within itself while an import lands; the next run
    picks the new files up."""
    data_dir = paths.data_dir()
    st.session_state[_PIN] = (str(data_dir), db.fingerprint(data_dir))
    st.session_state.pop(_RUN_STORE, None)


def store() -> db.Store:
    """The store of this run's extracts (see begin_run); the current files when not pinned.
    The run keeps the Store object it first got, so that neither an eviction from the cache
    nor another process's import mid-run can hand it a second version."""
    data_dir = str(paths.data_dir())
    pin = st.session_state.get(_PIN)
    if pin and pin[0] == data_dir:
        s = st.session_state.get(_RUN_STORE)
        if s is None or str(s.data_dir) != data_dir:
            s = st.session_state[_RUN_STORE] = _store(*pin)
        return s
    return _store(data_dir, db.fingerprint(Path(data_dir)))


@st.cache_data(max_entries=512, show_spinner=False)
def _query(data_dir: str, fingerprint: str, name: str, params: tuple, _s: db.Store) -> pd.DataFrame:
    """Filed under the fingerprint of the Store `_s` that computes it (not hashed)."""
    return _s.query(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def query(name: str, **params) -> pd.DataFrame:
    """A named query's rows, cached by the data's fingerprint, the name and its parameters."""
    s = store()
    wanted = db.query_params(name)
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items() if k in wanted))
    return _query(str(s.data_dir), s.fingerprint, name, key, s)


# ------------------------------------------------------------------ shared state
def lang() -> str:
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGS else "vi"


def filters() -> dict:
    """The filters in force: district codes (empty = whole province) and the year range."""
    districts = [d for d in st.session_state.get(DISTRICT_KEY) or [] if isinstance(d, str)]
    years = st.session_state.get(YEARS_KEY) or (FIRST_YEAR, LAST_YEAR)
    first, last = (min(years), max(years)) if isinstance(years, (list, tuple)) else (years, years)
    return {"districts": districts, "year_from": int(first), "year_to": int(last)}


def district_names(codes: list[str]) -> list[str]:
    names = dict(query("district_list")[["area_code", "name_vi"]].itertuples(index=False))
    return [names.get(c, c) for c in codes]


def filters_text(f: dict, lng: str, with_years: bool = True) -> str:
    where = ", ".join(district_names(f["districts"])) if f["districts"] else t("filter.province", lng)
    years = t("filter.years_range", lng, first=f["year_from"], last=f["year_to"])
    return t("filter.active", lng, districts=where, years=years) if with_years else where


def sidebar_filters() -> None:
    """The filters every page shares. sctdash.links carries them in the URL by code
    (?district=535&district=529&lang=en): Streamlit's own bind="query-params" would write the
    formatted labels (?district=Ba+Tơ, ?lang=English) and drop codes without a word. The
    widgets keep their defaults; a link's values reach them through the session state."""
    lng = lang()
    with st.sidebar:
        st.segmented_control(
            t("filter.language", lng),
            options=list(LANGS),
            default="vi",
            format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
            key=LANG_KEY,
            required=True,
        )
        lng = lang()
        districts = query("district_list")
        names = dict(zip(districts["area_code"], districts["name_vi"]))
        merged = dict(zip(districts["area_code"], districts["merged_vi"]))

        def district_label(code: str) -> str:
            extra = f" (+ {merged[code]})" if isinstance(merged.get(code), str) else ""
            return f"{names.get(code, code)}{extra}"

        st.multiselect(
            t("filter.district", lng),
            options=list(districts["area_code"]),
            format_func=district_label,
            placeholder=t("filter.district_placeholder", lng),
            help=t("filter.district_help", lng),
            key=DISTRICT_KEY,
        )
        st.select_slider(
            t("filter.years", lng),
            options=list(range(FIRST_YEAR, LAST_YEAR + 1)),
            value=(FIRST_YEAR, LAST_YEAR),
            help=t("filter.years_help", lng),
            key=YEARS_KEY,
        )
        s = store()
        if s.problems:
            n = sum(len(p) for p in s.problems.values())
            st.warning(t("notice.load_problems", lng, n=n), icon="⚠️")


# ------------------------------------------------------------------ page parts
def page_header(page: str) -> None:
    lng = lang()
    st.title(t(f"page.{page}", lng))
    st.caption(t(f"page_intro.{page}", lng))
    export_ui.deck_buttons(page, filters(), lng)


def _tile_help(row: pd.Series, lng: str) -> str:
    text = t("tile.source_help", lng, section=row["section"], quote=row["quote"])
    if row["value_kind"] == "derived":
        text = t("tile.derived_help", lng, derivation=row["derivation"]) + "\n\n" + text
    return text


def tile_parts(spec: dict, rows: pd.DataFrame, lng: str) -> dict | None:
    """Value, caption and help text of one headline tile from its indicator's rows."""
    rows = rows[rows["indicator_id"] == spec["indicator"]]
    if "category" in spec:
        rows = rows[rows["category"] == spec["category"]]
    if rows.empty:
        return None
    if spec.get("ratio"):
        part = rows[rows["category"] == spec.get("ratio_part", "achieved")].iloc[0]
        whole = rows[rows["category"] == "total"].iloc[0]
        value = f"{fmt.number(part['value'], 0, lng)}/{fmt.number(whole['value'], 0, lng)}"
        return {"value": value, "caption": "", "help": _tile_help(part, lng)}
    rows = rows.sort_values(["year_to", "variant"])
    main_rows = rows[rows["value_kind"] != "external"]
    latest_year = main_rows["year_to"].max()
    latest = main_rows[main_rows["year_to"] == latest_year]
    main = latest[latest["variant"] == ""].iloc[0] if (latest["variant"] == "").any() else latest.iloc[0]
    unit, dec = main["unit"], int(main["decimals"])
    value = charts.value_label(main["value"], dec, unit, "reported", lng)
    captions = []
    if main["year_from"] != main["year_to"]:
        captions.append(t("tile.period", lng, period=fmt.period(main["year_from"], main["year_to"])))
    if main["value_kind"] == "derived":
        captions.append(t("tile.derived_help", lng, derivation=main["derivation"]).rstrip("."))
    earlier = main_rows[(main_rows["year_to"] < latest_year) & (main_rows["variant"] == "")]
    if not earlier.empty and main["year_from"] == main["year_to"]:
        first = earlier.iloc[0]
        captions.append(
            t(
                "tile.change",
                lng,
                first=fmt.number(first["value"], dec, lng),
                y0=first["year_to"],
                last=fmt.number(main["value"], dec, lng),
                y1=latest_year,
            )
        )
    others = rows.drop(index=main.name)
    others = others[others["year_to"] == latest_year]
    for key, part in (
        ("tile.also", others[others["value_kind"] != "external"]),
        ("tile.external", others[others["value_kind"] == "external"]),
    ):
        if not part.empty:
            shown = [
                f"{charts.value_label(r.value, dec, unit, 'reported', lng)} ({_where(r)})" for r in part.itertuples()
            ]
            captions.append(t(key, lng, values="; ".join(shown)))
    return {
        "value": value,
        "caption": " · ".join(captions),
        "help": _tile_help(main, lng),
    }


def _where(row) -> str:
    """The section of a report value, or the publisher of an external one."""
    return row.section if isinstance(row.section, str) and row.section else row.source_publisher


def render_tiles(page: str) -> None:
    lng = lang()
    specs = charts.tiles(page)
    if not specs:
        return
    rows = query("headline_facts", indicators=sorted({s["indicator"] for s in specs}))
    per_row = 4
    for start in range(0, len(specs), per_row):
        cols = st.columns(per_row)
        for col, spec in zip(cols, specs[start : start + per_row]):
            parts = tile_parts(spec, rows, lng)
            if parts is None:
                continue
            with col:
                st.metric(spec["label"][lng], parts["value"], help=parts["help"], border=True)
                if parts["caption"]:
                    st.caption(parts["caption"])


def _tables_of(query_name: str) -> list[str]:
    sql = db.query_text(query_name)
    names = [tbl for tbl in db.TABLES if f" {tbl} " in f" {sql} ".replace("\n", " ")]
    return names + (["observations"] if " facts" in sql and "observations" not in names else [])


def chart_rows(chart_id: str, f: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """The rows of a chart under the filters, and what the page should say about them.

    With districts chosen, a chart of named entities (district_rows in charts.toml) shows
    theirs or says there are none; a chart of observations shows the districts' own rows
    when the extracts have any, else the province's, and says so.
    """
    return views.chart_rows(query, chart_id, f or filters())  # shared with sctdash.export


def chart_context(chart_id: str, df: pd.DataFrame, f: dict, lng: str) -> charts.Context:
    return views.chart_context(query, query("source_list"), chart_id, df, f, lng)  # shared with sctdash.export


def note_rows(df: pd.DataFrame) -> pd.DataFrame:
    ids = sorted({n for n in df.get("note_id", pd.Series(dtype=str)).dropna() if n})
    notes = query("data_notes")
    return notes[notes["note_id"].isin(ids)]


@st.cache_resource(max_entries=2048, show_spinner=False)
def _chart_bundle(data_dir: str, fingerprint: str, chart_id: str, districts: tuple, years: tuple, lng: str) -> dict:
    """Everything a chart shows for one set of filters, built once and shared by every session:
    its rows, notices, figure and words. Keyed by the data's fingerprint, so new data rebuilds
    it; figures are never changed after this (st.plotly_chart only reads them)."""
    f = {"districts": list(districts), "year_from": years[0], "year_to": years[1]}
    df, info = chart_rows(chart_id, f)
    bundle = {"df": df, "info": info, "notes": note_rows(df)}
    if not info["no_rows"]:
        bundle["ctx"] = chart_context(chart_id, df, info["filters"], lng)
        bundle["figure"] = charts.figure(df, charts.meta(chart_id), lng, bundle["ctx"])
        bundle["file_name"] = export_name(chart_id, f)
    return bundle


def warm(lng: str = "vi") -> None:
    """Build every chart for the whole province into the cache all sessions share: what a
    first visitor opens (sctdash.serve calls it before the server reports ready)."""
    s = store()
    for chart_id in charts.catalogue()["charts"]:
        _chart_bundle(str(s.data_dir), s.fingerprint, chart_id, (), (FIRST_YEAR, LAST_YEAR), lng)


def render_chart(chart_id: str) -> None:
    """One chart with its notices, export buttons and data notes."""
    lng = lang()
    f = filters()
    m = charts.meta(chart_id)
    s = store()
    broken = [tbl for tbl in _tables_of(m["query"]) if tbl in s.problems]
    for tbl in broken:
        key = "notice.extract_failed" if tbl in s.fallbacks else "notice.extract_missing"
        st.error(t(key, lng, file=f"{tbl}.csv"), icon="⚠️")
    # Drawn under the filters its rows are for: a province-only chart shares the province's
    # figure whatever district is chosen, and only says that the filter does not apply.
    _, info = chart_rows(chart_id, f)
    shown = info["filters"]
    b = _chart_bundle(
        str(s.data_dir), s.fingerprint, chart_id, tuple(shown["districts"]), (f["year_from"], f["year_to"]), lng
    )
    if info["province_only"]:
        st.info(t("notice.province_only", lng), icon="ℹ️")
    if b["info"]["no_rows"]:
        where = ", ".join(district_names(f["districts"])) if f["districts"] else ""
        st.warning(t("notice.no_rows_district", lng, districts=where) if where else t("notice.no_rows", lng))
        return
    st.plotly_chart(
        b["figure"],
        key=f"chart_{chart_id}",
        config={
            "displaylogo": False,
            "toImageButtonOptions": {
                "format": "png",
                "filename": b["file_name"],
                "width": export.WIDTH,  # 960×540 at scale 2: 1920×1080 laid out as sctdash.export does
                "height": export.HEIGHT,
                "scale": export.SCALE,
            },
        },
    )
    export_ui.chart_buttons(chart_id, b["df"], b["ctx"], f, lng)
    render_notes(b["notes"], lng)


def render_notes(notes: pd.DataFrame, lng: str) -> None:
    if notes.empty:
        return
    with st.expander(f"{t('notice.data_notes', lng)} ({len(notes)})", expanded=False):
        for _, note in notes.iterrows():
            st.markdown(f"**{html.escape(note[f'title_{lng}'])}**  \n{html.escape(note[f'text_{lng}'])}")


def export_name(chart_id: str, f: dict, years: bool = True) -> str:
    """File names after the chart and the filters, e.g. dien-nong-thon_ba-to_2015-2020 (no
    years for a figure that has none, such as a district map)."""
    import unicodedata

    def slug(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
        text = "".join(c for c in text if not unicodedata.combining(c)).lower()
        return "-".join("".join(c if c.isalnum() else " " for c in text).split())

    parts = [slug(chart_id)]
    parts.append("-".join(slug(n) for n in district_names(f["districts"])) if f["districts"] else "toan-tinh")
    if years:
        parts.append(f"{f['year_from']}-{f['year_to']}" if f["year_from"] != f["year_to"] else str(f["year_to"]))
    return "_".join(parts)


def table(
    df: pd.DataFrame,
    columns: dict[str, str],
    lng: str,
    codes: dict[str, str] | None = None,
) -> None:
    """A data table: `columns` maps each shown column to its header key (column.<key>),
    `codes` maps a column of codes to the label group that names them."""
    shown = df[list(columns)].copy()
    for col, group in (codes or {}).items():
        shown[col] = [label(group, v, lng) if isinstance(v, str) else v for v in shown[col]]
    for col in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[col]) or col.endswith("_on"):
            shown[col] = [fmt.date(v) if pd.notna(v) else "" for v in shown[col]]
    shown.columns = [t(f"column.{key}", lng) for key in columns.values()]
    st.dataframe(shown, hide_index=True)


def quote_line(row, lng: str) -> str:
    """One value with where it came from, as a Markdown line for the data page."""
    dec = 2 if float(row.value) != int(row.value) else 0
    value = fmt.number(row.value, dec, lng)
    what = ", ".join(
        x
        for x in (
            fmt.period(row.year_from, row.year_to),
            row.area_vi,
            label("category", row.category, lng) if row.category != "total" else "",
            label("variant", row.variant, lng) if row.variant else "",
            label("kind", row.value_kind, lng),
        )
        if x
    )
    line = f"- **{value}** ({html.escape(what)})"
    if isinstance(row.derivation, str) and row.derivation:
        line += f" = {html.escape(row.derivation)}"
    where = (
        f"{t('column.section', lng)} {row.section}"
        if isinstance(row.section, str) and row.section
        else row.source_title
    )
    return line + f" — {html.escape(where)}: “{html.escape(row.quote)}”"


def today() -> str:
    return fmt.date(dt.date.today())
