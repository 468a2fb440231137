"""Every named query again in plain pandas: read the CSVs, filter, join, group, sort.

The baseline a developer would write without a database: one function per queries/*.sql,
same parameters, same rows (the driver checks the row counts agree). It filters before it
joins, as a careful pandas user would; it does not try to be clever beyond that.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sctdash.core.province import PROVINCE
from sctdash.store.db import TABLES

# Columns that are not text, per table; everything else is read as text.
NUMERIC = {
    "areas": {"center_lat": "float64", "center_lon": "float64"},
    "indicators": {"decimals": "int64", "min_value": "float64", "max_value": "float64"},
    "observations": {"year_from": "int64", "year_to": "int64", "value": "float64"},
    "power_projects": {"capacity": "float64", "report_mentions": "int64"},
    "market_facilities": {"opened_from": "int64", "opened_to": "int64"},
}
DATES = {"sources": ["published_on"], "legal_documents": ["issued_on"]}


def load(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Every extract of a folder as typed DataFrames (text, numbers, dates)."""
    frames = {}
    for table in TABLES:
        df = pd.read_csv(data_dir / f"{table}.csv", dtype=str, keep_default_na=False, na_values=[""])
        for col, dtype in NUMERIC.get(table, {}).items():
            df[col] = pd.to_numeric(df[col]).astype(dtype)
        for col in DATES.get(table, []):
            df[col] = pd.to_datetime(df[col])
        frames[table] = df
    frames["observations"]["variant"] = frames["observations"]["variant"].fillna("")
    obs = frames["observations"]  # columns with a default in the schema may be left out of a file
    obs["figure_type"] = obs["figure_type"].fillna("result") if "figure_type" in obs else "result"
    if "quote_kind" not in obs:
        obs["quote_kind"] = None
    for table, col in (("data_notes", "section"), ("market_facilities", "note_id")):
        if col not in frames[table]:
            frames[table][col] = None
    frames["districts"] = _districts(frames["areas"], frames["area_crosswalk"])
    return frames


def _districts(areas: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """One row per code, as the queries' 2020 districts read: the code's latest unit, a unit
    gone before 31/12/2020 with the day it ended (active_to) and the code it was merged into."""
    latest = areas.sort_values("valid_from", na_position="first").drop_duplicates("area_code", keep="last")
    gone = latest["valid_to"].notna() & (latest["valid_to"] < "2020-12-31")
    code = areas.set_index("unit_id")["area_code"]
    moved = crosswalk.assign(new=crosswalk["new_unit"].map(code), old=crosswalk["former_unit"].map(code))
    merged = moved[(moved["changed_on"] == "2020-02-01") & (moved["new"] != moved["old"])]
    out = latest.assign(
        active_to=latest["valid_to"].where(gone),
        merged_into=latest["area_code"].map(merged.set_index("old")["new"]),
        changed_on=latest["area_code"].map(merged.set_index("old")["changed_on"]),
    )
    return out.reset_index(drop=True)


# ------------------------------------------------------------------ helpers
def facts(t: dict, obs: pd.DataFrame) -> pd.DataFrame:
    """The `facts` view for some observations: indicator, area and source words joined."""
    ind = t["indicators"][["indicator_id", "topic", "name_vi", "name_en", "unit", "decimals"]].rename(
        columns={"name_vi": "indicator_vi", "name_en": "indicator_en"}
    )
    dis = t["districts"][["area_code", "name_vi", "level"]].rename(
        columns={"name_vi": "area_vi", "level": "area_level"}
    )
    src = t["sources"][["source_id", "title", "publisher", "published_on", "url"]].rename(
        columns={
            "title": "source_title",
            "publisher": "source_publisher",
            "published_on": "source_date",
            "url": "source_url",
        }
    )
    df = obs.merge(ind, on="indicator_id").merge(dis, on="area_code").merge(src, on="source_id")
    cols = [
        "indicator_id",
        "topic",
        "indicator_vi",
        "indicator_en",
        "unit",
        "decimals",
        "area_code",
        "area_vi",
        "area_level",
        "year_from",
        "year_to",
        "category",
        "variant",
        "value",
        "value_kind",
        "derivation",
        "source_id",
        "source_title",
        "source_publisher",
        "source_date",
        "source_url",
        "section",
        "quote",
        "note_id",
        "figure_type",
        "quote_kind",
    ]
    return df[cols]


def obs_of(
    t: dict, *indicators: str, p: dict | None = None, category: str | None = None, drawn: bool = True
) -> pd.DataFrame:
    """Observations of some indicators; in view of the filters `p` when given (the province
    and the chosen districts, or every district; periods that overlap the years), and of those
    the ones a chart draws (drawn_in_view) unless `drawn` is False."""
    o = t["observations"]
    o = o[o["indicator_id"].isin(indicators) & (o["figure_type"] == "result")]  # the `facts` view: results
    if category is not None:
        o = o[o["category"] == category]
    if p is not None:
        o = o[in_view(t, o["area_code"], p["districts"]) & overlaps(o, p)]
        o = drawn_in_view(o, p) if drawn else o
    return o


def drawn_in_view(df: pd.DataFrame, p: dict) -> pd.DataFrame:
    """The macro of queries/_schema.sql: with no district chosen, of the districts' rows, each
    indicator's latest year in view alone."""
    if p["districts"]:
        return df
    district = df["area_code"] != PROVINCE
    latest = df["year_to"].where(district & (df["variant"] == "")).groupby(df["indicator_id"]).transform("max")
    return df[~district | (df["year_to"] == latest)]


def in_years(s: pd.Series, p: dict) -> pd.Series:
    return s.between(p["year_from"], p["year_to"])


def overlaps(o: pd.DataFrame, p: dict) -> pd.Series:
    return (o["year_from"] <= p["year_to"]) & (o["year_to"] >= p["year_from"])


def in_view(t: dict, area: pd.Series, districts: list[str]) -> pd.Series:
    d = t["districts"]
    scope = d[d["parent_code"] == PROVINCE]
    if districts:
        scope = scope[scope["area_code"].isin(districts) | scope["merged_into"].isin(districts)]
    return (area == PROVINCE) | area.isin(scope["area_code"])


def in_scope(t: dict, area: pd.Series, districts: list[str]) -> pd.Series:
    if not districts:
        return area == PROVINCE
    merged = area.map(t["districts"].set_index("area_code")["merged_into"])
    return area.isin(districts) | merged.isin(districts)


def xy(df: pd.DataFrame, x, series) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"x": x, "series": series}, index=df.index), df], axis=1)


def with_item(df: pd.DataFrame, item, facet=None) -> pd.DataFrame:
    cols = {"item": item} if facet is None else {"facet": facet, "item": item}
    return pd.concat([pd.DataFrame(cols, index=df.index), df], axis=1)


def sort(df: pd.DataFrame, by: list[str], ascending=True) -> pd.DataFrame:
    return df.sort_values(by, ascending=ascending, kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ the queries
def district_rows(t, p):
    o = t["observations"]
    o = o[(o["area_code"] != PROVINCE) & in_view(t, o["area_code"], p["districts"]) & overlaps(o, p)]
    return pd.DataFrame({"n": [len(o)]})


def data_notes(t, p):
    pairs = [
        t["observations"][["note_id", "indicator_id"]].rename(columns={"indicator_id": "item"}),
        t["power_projects"][["note_id", "project_id"]].rename(columns={"project_id": "item"}),
        t["market_facilities"][["note_id", "facility_id"]].rename(columns={"facility_id": "item"}),
        t["legal_documents"][["note_id", "doc_number"]].rename(columns={"doc_number": "item"}),
    ]
    attached = pd.concat(pairs).dropna(subset=["note_id"]).drop_duplicates()
    items = attached.groupby("note_id")["item"].agg(lambda s: ", ".join(sorted(set(s))))
    df = t["data_notes"].copy()
    df["section"] = df["section"].fillna("")
    df["attached_to"] = df["note_id"].map(items).fillna("")
    return sort(df, ["note_id"])


def year_range(t, p):
    o = t["observations"]
    o = o[o["figure_type"] == "result"]  # a target's later years are no years of figures
    years = pd.concat(
        [o["year_to"], o.loc[o["year_from"] == o["year_to"], "year_from"], t["legal_documents"]["issued_on"].dt.year]
    )
    return pd.DataFrame({"first_year": [years.min()], "last_year": [years.max()]})


def area_names(t, p):
    d = t["districts"]
    units = set(_units(t)["area_code"])
    df = d[["area_code", "name_vi", "name_ascii", "level", "unit_type"]].assign(unit_2020=d["area_code"].isin(units))
    return sort(df, ["area_code"])


def template_areas(t, p):
    a = t["areas"]
    units = a[(a["level"] != "commune") | (a["valid_from"] == "2025-07-01")].copy()
    units["sort_order"] = units["level"].map({"province": 0, "district": 1, "commune": 2})
    units["area_level"] = units["level"]
    units["start"] = units["valid_from"].fillna("0001-01-01")
    return sort(units, ["sort_order", "area_code", "start"])[
        ["area_code", "unit_id", "name_vi", "name_ascii", "unit_type", "area_level", "valid_from", "valid_to"]
    ]


def source_list(t, p):
    return sort(t["sources"][["source_id", "kind", "title", "publisher", "published_on", "url"]], ["source_id"])


def district_list(t, p):
    d = t["districts"]
    merged = d.dropna(subset=["merged_into"]).groupby("merged_into")["name_vi"].agg(", ".join)
    df = d[(d["level"] == "district") & d["active_to"].isna() & (d["parent_code"] == PROVINCE)].copy()
    df["merged_vi"] = df["area_code"].map(merged)
    cols = [
        "area_code",
        "name_vi",
        "name_ascii",
        "unit_type",
        "center_lat",
        "center_lon",
        "merged_vi",
    ]
    return sort(df[cols], ["area_code"])


def electrified_communes(t, p):
    c = t["electrified_communes"]
    if p["districts"]:
        c = c[in_scope(t, c["district_code"], p["districts"])]
    d = t["districts"][["area_code", "name_vi"]].rename(columns={"name_vi": "district_vi"})
    df = c.merge(d, left_on="district_code", right_on="area_code")
    cols = ["commune_name", "district_vi", "status", "commune_code", "section", "quote"]
    return sort(df[cols], ["district_vi", "status", "commune_name"])


def electrified_communes_by_district(t, p):
    c = t["electrified_communes"]
    if p["districts"]:
        c = c[in_scope(t, c["district_code"], p["districts"])]
    n = c.groupby(["district_code", "status"]).size().rename("communes").reset_index()
    df = n.merge(
        t["districts"][["area_code", "name_vi"]],
        left_on="district_code",
        right_on="area_code",
    )
    out = pd.DataFrame(
        {
            "item": df["name_vi"],
            "series": df["status"],
            "value": df["communes"].astype("float64"),
            "unit": "count",
            "decimals": 0,
            "value_kind": "reported",
            "source_id": "bc-sct-2021",
            "section": "II.2.1.a1",
            "note_id": "chuong-trinh-dien",
            "area_code": df["district_code"],
        }
    )
    return sort(out, ["item", "series"])


def facilities_opened(t, p):
    f = t["market_facilities"]
    if p["districts"]:
        f = f[f["district_code"].notna() & in_scope(t, f["district_code"], p["districts"])]
    d = t["districts"][["area_code", "name_vi"]].rename(columns={"name_vi": "district_vi"})
    df = f.merge(d, left_on="district_code", right_on="area_code", how="left")
    df["district_vi"] = df["district_vi"].fillna("")
    cols = [
        "facility_id",
        "name_vi",
        "kind",
        "district_code",
        "district_vi",
        "opened_from",
        "opened_to",
        "section",
        "quote",
    ]
    return sort(df[cols], ["kind", "name_vi"])


def headline_facts(t, p):
    o = t["observations"]
    o = o[o["indicator_id"].isin(p["indicators"])]  # results and targets (facts_all)
    chosen = in_scope(t, o["area_code"], p["districts"]) if p["districts"] else False
    o = o[((o["area_code"] == PROVINCE) | chosen) & overlaps(o, p)]
    return sort(facts(t, o), ["indicator_id", "area_code", "year_to", "category", "variant"])


def indicator_list(t, p):
    counts = t["observations"]["indicator_id"].value_counts()
    df = t["indicators"][["indicator_id", "topic", "name_vi", "name_en", "unit"]].copy()
    df["n_values"] = df["indicator_id"].map(counts).fillna(0).astype("int64")
    return sort(df, ["topic", "indicator_id"])


def industry_growth(t, p):
    df = facts(t, obs_of(t, "gocn_growth_avg", "vacn_growth_avg", p=p, category="total"))
    return sort(with_item(df, df["indicator_id"]), ["indicator_id", "variant", "area_code", "year_to"])


def industry_index(t, p):
    df = facts(t, obs_of(t, "gocn_index", "vacn_index", p=p, category="total"))
    return sort(with_item(df, df["indicator_id"]), ["indicator_id", "area_code", "year_to"])


def key_shares(t, p):
    o = obs_of(t, "communes_with_power", "criterion4_communes", "criterion7_communes", p=p, drawn=False)
    o = o[o["variant"] == ""]
    keys = ["indicator_id", "area_code", "year_from", "year_to"]
    ratios = (
        o.assign(
            achieved=o["value"].where(o["category"] == "achieved"),
            whole=o["value"].where(o["category"] == "total"),
        )
        .groupby(keys)
        .agg(
            achieved=("achieved", "max"),
            whole=("whole", "max"),
            source_id=("source_id", "min"),
            section=("section", "min"),
            note_id=("note_id", "max"),
            quote=("quote", "max"),
        )
        .reset_index()
    )
    ratios = ratios[ratios["achieved"].notna() & (ratios["whole"] > 0)]
    o2 = obs_of(t, "households_with_power", "procedures_on_time_pct", "satisfaction_pct", p=p, drawn=False)
    o2 = o2[o2["category"] == o2["indicator_id"].map({"satisfaction_pct": "satisfied"}).fillna("total")]
    f = facts(t, o2)
    cols = ["indicator_id", "area_code", "year_from", "year_to", "variant", "value", "value_kind", "unit", "decimals"]
    cols += ["source_id", "section", "quote", "note_id", "derivation"]
    reported = f[cols]
    derived = ratios.assign(
        variant="",
        value=(100 * ratios["achieved"] / ratios["whole"]).round(1),
        value_kind="derived",
        unit="pct",
        decimals=1,
        derivation=[f"{int(a)}/{int(b)}" for a, b in zip(ratios["achieved"], ratios["whole"])],
    )[cols]
    df = pd.concat([reported, derived], ignore_index=True)
    df = with_item(df, df["indicator_id"]).merge(
        t["districts"][["area_code", "name_vi", "level"]].rename(columns={"name_vi": "area_vi", "level": "area_level"}),
        on="area_code",
    )
    return sort(drawn_in_view(df.assign(category="total"), p), ["area_code", "value"])


def legal_documents(t, p):
    d = t["legal_documents"]
    df = d[in_years(d["issued_on"].dt.year, p)]
    cols = [
        "doc_number",
        "doc_kind",
        "issued_on",
        "title_vi",
        "replaces",
        "section",
        "quote",
        "note_id",
    ]
    return sort(df[cols], ["issued_on"])


def legal_documents_by_year(t, p):
    d = t["legal_documents"]
    d = d[in_years(d["issued_on"].dt.year, p)]
    g = d.groupby([d["issued_on"].dt.year.astype(str).rename("item"), d["doc_kind"].rename("series")])
    df = g.agg(
        value=("doc_number", "size"),
        section=("section", "min"),
        note_id=("note_id", "max"),
    ).reset_index()
    df["value"] = df["value"].astype("float64")
    df = df.assign(unit="count", decimals=0, value_kind="reported", source_id="bc-sct-2021")
    df["year_from"] = df["year_to"] = df["item"].astype(int)
    cols = [
        "item",
        "series",
        "year_from",
        "year_to",
        "value",
        "unit",
        "decimals",
        "value_kind",
        "source_id",
        "section",
        "note_id",
    ]
    return sort(df[cols], ["item", "series"])


def market_stock_by_class(t, p):
    o = obs_of(t, "commercial_centres", "supermarkets", "markets", p=p, drawn=False)
    df = facts(t, drawn_in_view(o[o["category"] != "total"], p))
    return sort(with_item(df, df["category"], df["indicator_id"]), ["indicator_id", "category", "area_code", "year_to"])


def online_services(t, p):
    df = facts(t, obs_of(t, "online_services", p=p))
    return sort(with_item(df, df["category"]), ["variant", "value", "area_code"], [True, False, True])


def power_projects(t, p):
    loc = t["power_project_locations"].merge(
        t["districts"][["area_code", "name_vi"]],
        left_on="district_code",
        right_on="area_code",
    )
    placed = loc.groupby("project_id").agg(
        districts_vi=("name_vi", lambda s: ", ".join(sorted(s))),
        location_sources=("source_id", lambda s: ", ".join(dict.fromkeys(s))),
    )
    pr = t["power_projects"]
    if p["districts"]:
        scoped = loc.loc[in_scope(t, loc["district_code"], p["districts"]).to_numpy(), "project_id"]
        pr = pr[pr["project_id"].isin(scoped)]
    df = pr.merge(placed, left_on="project_id", right_index=True, how="left")
    out = pd.DataFrame(
        {
            "project_id": df["project_id"],
            "item": df["name_vi"],
            "series": df["kind"],
            "value": df["capacity"],
            "unit": df["capacity_unit"].str.lower(),
            "decimals": 1,
            "value_kind": "reported",
            "source_id": "bc-sct-2021",
            "section": df["section"],
            "quote": df["quote"],
            "note_id": df["note_id"],
            "status": df["status"],
            "report_mentions": df["report_mentions"],
            "capacity_unit": df["capacity_unit"],
            "districts_vi": df["districts_vi"].fillna(""),
            "location_sources": df["location_sources"],
        }
    )
    return out.sort_values(
        ["status", "value", "item"],
        ascending=[True, False, True],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)


def procedures_count(t, p):
    df = facts(t, obs_of(t, "procedures", p=p, category="total"))
    return sort(with_item(df, df["indicator_id"]), ["year_to", "area_code"])


def _by_value(t, p, indicator: str, ascending: bool):
    df = facts(t, obs_of(t, indicator, p=p))
    return sort(with_item(df, df["category"]), ["area_code", "year_to", "value"], [True, True, ascending])


def promotion_budget(t, p):
    return _by_value(t, p, "promotion_budget", True)


def rural_product_awards(t, p):
    return _by_value(t, p, "rural_product_awards", False)


def staff_training(t, p):
    return _by_value(t, p, "staff_trained", True)


def quotes_for_indicator(t, p):
    o = obs_of(t, p["indicator"])
    o = o[(o["area_code"] == PROVINCE) | in_scope(t, o["area_code"], p["districts"])]
    df = facts(t, o)
    cols = [
        "year_from",
        "year_to",
        "area_code",
        "area_vi",
        "category",
        "variant",
        "value",
        "value_kind",
        "derivation",
        "source_title",
        "section",
        "quote",
        "note_id",
    ]
    return sort(df[cols], ["year_to", "category", "variant"])


def service_quality(t, p):
    o = obs_of(
        t,
        "procedures_on_time_pct",
        "satisfaction_pct",
        "four_on_spot_pct",
        "one_stop_centre_pct",
        "procedures_time_cut_pct",
        "online_services_pct",
        p=p,
    )
    df = facts(t, o)
    item = df["indicator_id"].where(df["category"] == "total", df["indicator_id"] + "." + df["category"])
    return sort(with_item(df, item), ["value", "area_code", "year_to"])


def _staff(t, p, *indicators):
    df = facts(t, obs_of(t, *indicators, p=p, category="total"))
    return sort(with_item(df, df["indicator_id"]), ["indicator_id", "year_to", "variant", "area_code"])


def staff_headcount(t, p):
    return _staff(t, p, "civil_servants", "public_employees")


def staff_qualifications(t, p):
    return _staff(t, p, "masters_share", "political_training_share")


def trade_dossiers(t, p):
    df = facts(t, obs_of(t, "trade_dossiers_vs_2019", p=p))
    return sort(with_item(df, df["category"]), ["year_to", "category", "area_code"], [True, False, True])


def _units(t):
    """District-level units of 2020 with the names and dates of the units merged into them."""
    d = t["districts"]
    merged = (
        d.dropna(subset=["merged_into"])
        .groupby("merged_into")
        .agg(merged_vi=("name_vi", ", ".join), merged_on=("changed_on", "min"))
    )
    u = d[(d["level"] == "district") & d["active_to"].isna() & (d["parent_code"] == PROVINCE)]
    u = u[["area_code", "name_vi", "name_ascii", "unit_type", "center_lat", "center_lon"]].merge(
        merged, left_on="area_code", right_index=True, how="left"
    )
    return u[["area_code", "name_vi", "name_ascii", "unit_type", "center_lat", "center_lon", "merged_vi", "merged_on"]]


def _unit_of(t, df: pd.DataFrame, col: str) -> pd.DataFrame:
    """Rows joined to their district; `unit` is the 2020 unit a merged district went into."""
    d = t["districts"][["area_code", "merged_into"]]
    df = df.merge(d, left_on=col, right_on="area_code", suffixes=("", "_d"))
    return df.assign(unit=df["merged_into"].fillna(df["area_code"]))


def _on_map(t, per_unit: pd.DataFrame, extra: dict) -> pd.DataFrame:
    df = _units(t).merge(per_unit, left_on="area_code", right_index=True, how="left")
    return sort(df.assign(**extra), ["area_code"])


def _joined(s: pd.Series) -> str:
    return ", ".join(sorted(set(s.dropna())))


def map_electrified_communes(t, p):
    c = _unit_of(t, t["electrified_communes"], "district_code")
    g = (
        c.groupby("unit")
        .agg(
            value=("status", "size"),
            value_a=("status", lambda s: (s == "completed").sum()),
            value_b=("status", lambda s: (s == "under_construction").sum()),
        )
        .astype("float64")
    )
    g = g.join(c.groupby("unit").agg(source_id=("source_id", _joined), section=("section", _joined)))
    return _on_map(t, g, {"unit": "count", "decimals": 0})


def map_facilities_opened(t, p):
    f = t["market_facilities"]
    placed = _unit_of(t, f.dropna(subset=["district_code"]), "district_code")
    g = placed.groupby("unit").agg(value=("kind", "size"), value_a=("kind", lambda s: (s == "market").sum()))
    g = g.astype("float64").assign(value_b=float("nan"), source_id="bc-sct-2021")
    g = g.join(placed.groupby("unit").agg(section=("section", _joined)))
    extra = {
        "unplaced": int(f["district_code"].isna().sum()),
        "unit": "count",
        "decimals": 0,
    }
    return _on_map(t, g, extra)


def map_power_capacity(t, p):
    """Each placed project once: in its unit's value, split as its source states, or shared."""
    loc = _unit_of(t, t["power_project_locations"], "district_code")
    loc["capacity_here"] = pd.to_numeric(loc["capacity_here"])
    per = loc.groupby(["project_id", "unit"]).agg(
        capacity_here=("capacity_here", "sum"),
        n_rows=("district_code", "size"),
        n_split=("capacity_here", "count"),
        source_ids=("source_id", lambda s: ",".join(sorted(set(s)))),
    )
    per = per.reset_index()
    spans = per.groupby("project_id").agg(n_units=("unit", "size"))
    spans["split_stated"] = per.assign(ok=per["n_split"] == per["n_rows"]).groupby("project_id")["ok"].all()
    pr = t["power_projects"]
    unit = pr.loc[pr["kind"] == p["kind"], "capacity_unit"].min()
    pr = pr[(pr["status"] == "in_operation") & pr["capacity"].notna() & (pr["kind"] == p["kind"])]
    df = pr.merge(per, on="project_id").merge(spans, left_on="project_id", right_index=True)
    one = df["n_units"] == 1
    df["own"] = df["capacity"].where(one, df["capacity_here"].where(df["split_stated"]))
    df["shared_cap"] = df["capacity"].where(~one & ~df["split_stated"])
    g = df.groupby("unit").agg(
        value=("own", lambda s: s.sum(min_count=1)),
        shared_value=("shared_cap", lambda s: s.sum(min_count=1)),
        projects=("project_id", "size"),
        shared=("shared_cap", "count"),
        section=("section", _joined),
        location_source_ids=("source_ids", lambda s: ",".join(sorted(set(s)))),
    )
    names = _units(t).set_index("area_code")["name_vi"]
    sh = df[df["shared_cap"].notna()]
    pairs = sh.merge(sh[["project_id", "unit"]], on="project_id", suffixes=("", "_other"))
    pairs = pairs[pairs["unit"] != pairs["unit_other"]]
    g["shared_with_vi"] = pairs.groupby("unit")["unit_other"].agg(lambda s: ", ".join(sorted(set(names[s]))))
    g = g.assign(source_id="bc-sct-2021")
    extra = {
        "unit": unit.lower(),
        "decimals": 1,
        "placed_total": pr.loc[pr["project_id"].isin(df["project_id"]), "capacity"].sum(),
    }
    return _on_map(t, g, extra)


QUERIES = {
    name: fn
    for name, fn in list(globals().items())
    if callable(fn)
    and getattr(fn, "__module__", None) == __name__
    and not name.startswith("_")
    and name
    not in {"load", "facts", "obs_of", "in_years", "in_scope", "in_view", "overlaps", "xy", "with_item", "sort"}
}
