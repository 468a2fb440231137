"""What a chart shows under the filters, without Streamlit: its rows, notices and context.

The page (sctdash.ui) and the exports (sctdash.export) both call these, so a downloaded image
or deck shows exactly the rows the page shows. Each function takes `query`, a callable
`query(name, **params) -> DataFrame`: the page passes its cached `ui.query`, the exports
pass a `db.Store`'s `query`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from sctdash import charts
from sctdash.i18n import t

Query = Callable[..., pd.DataFrame]
ALL_YEARS = (1900, 2100)


def district_names(query: Query, codes: list[str]) -> list[str]:
    names = dict(query("district_list")[["area_code", "name_vi"]].itertuples(index=False))
    return [names.get(c, c) for c in codes]


def filters_text(query: Query, f: dict, lang: str, with_years: bool = True) -> str:
    where = ", ".join(district_names(query, f["districts"])) if f["districts"] else t("filter.province", lang)
    years = t("filter.years_range", lang, first=f["year_from"], last=f["year_to"])
    return t("filter.active", lang, districts=where, years=years) if with_years else where


def districts_with_observations(query: Query, codes: list[str]) -> bool:
    """Whether any observation row belongs to the chosen districts (or units merged into
    them): when none does, every observation chart is the province's, without asking each."""
    areas = query("observation_areas")
    chosen = set(codes)
    return bool(((areas["area_code"].isin(chosen)) | (areas["merged_into"].isin(chosen))).any())


def chart_rows(query: Query, chart_id: str, f: dict) -> tuple[pd.DataFrame, dict]:
    """The rows of a chart under the filters, and what the page should say about them.

    With districts chosen, a chart of named entities (district_rows in charts.toml) shows
    theirs or says there are none; a chart of observations shows the districts' own rows
    when the extracts have any, else the province's, and says so. `info["filters"]` are the
    filters the rows are drawn under (the province's in that case): the chart's subtitle
    names those, not the ones chosen.
    """
    m = charts.meta(chart_id)
    params = dict(f)
    if not m.get("years"):
        params["year_from"], params["year_to"] = ALL_YEARS
    province_only = False
    if f["districts"] and not m.get("district_rows"):
        province_only = not districts_with_observations(query, f["districts"])
        if not province_only:
            df = query(m["query"], **params)
            province_only = df.empty
    if province_only:
        params["districts"] = []
    df = query(m["query"], **params)
    shown = {**f, "districts": params["districts"]}
    return df, {"province_only": province_only, "no_rows": df.empty, "filters": shown}


def note_rows(query: Query, df: pd.DataFrame) -> pd.DataFrame:
    ids = sorted({n for n in df.get("note_id", pd.Series(dtype=str)).dropna() if n})
    notes = query("data_notes")
    return notes[notes["note_id"].isin(ids)]


def chart_context(
    query: Query,
    sources: pd.DataFrame,
    chart_id: str,
    df: pd.DataFrame,
    f: dict,
    lang: str,
    **extra,
) -> charts.Context:
    """The words around a chart: filters in force, source line, note titles; `extra` sets
    the export-only fields (department, stamp, wrap)."""
    m = charts.meta(chart_id)
    notes = note_rows(query, df)
    shows_filters = m.get("district_rows") or m.get("years")
    return charts.Context(
        filters=filters_text(query, f, lang, with_years=bool(m.get("years"))) if shows_filters else "",
        source=charts.source_line(df, sources, lang),
        notes=[r[f"title_{lang}"] for _, r in notes.iterrows()],
        **extra,
    )


def map_context(query: Query, sources: pd.DataFrame, df: pd.DataFrame, f: dict, lang: str, **extra) -> charts.Context:
    """The words around a district map: the districts chosen (the maps have no years) and the
    sources. Where a map places its rows by other sources than its figures' (power projects:
    capacity from the report, site from power_project_locations.csv), those are named too.
    `extra` sets the export-only fields (department, stamp, wrap)."""
    line = charts.source_line(df, sources, lang)
    if "location_source_ids" in df:
        ids = {i for v in df["location_source_ids"].dropna() for i in str(v).split(",")} - set(df["source_id"])
        names = charts.source_names(pd.DataFrame({"source_id": sorted(ids)}), sources, lang)
        if names:
            line += ". " + t("map.location_sources", lang, sources="; ".join(names))
    return charts.Context(filters=filters_text(query, f, lang, with_years=False), source=line, **extra)
