"""Every word on screen has Vietnamese and English: the text catalogues, the chart, tile and map
words, the meeting order, and a label for every code the data and the chart queries use."""

import tomllib

import pytest

from sctdash import charts, district_map, i18n
from sctdash.i18n import LANGS


def leaves(node, prefix=""):
    """(key, {lang: text}) of every entry of a catalogue file."""
    if isinstance(node, dict) and set(node) & set(LANGS) and all(isinstance(v, str) for v in node.values()):
        yield prefix, node
        return
    for key, value in node.items():
        yield from leaves(value, f"{prefix}.{key}" if prefix else key)


def missing_langs(entry) -> list[str]:
    return [lang for lang in LANGS if not (isinstance(entry, dict) and str(entry.get(lang, "")).strip())]


@pytest.mark.parametrize("path", i18n._FILES, ids=lambda p: p.name)
def test_every_catalogue_key_has_both_languages(path):
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    entries = list(leaves(data))
    assert entries, f"{path.name} holds no text"
    bad = {key: missing_langs(entry) for key, entry in entries if missing_langs(entry)}
    assert not bad, f"{path.name}: keys without a translation: {bad}"


@pytest.mark.parametrize("path", i18n._FILES, ids=lambda p: p.name)
def test_every_catalogue_entry_is_a_pair_of_strings(path):
    """A table mixing a string with sub-tables would be skipped by the catalogue walker."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)

    def walk(node, where):
        if isinstance(node, dict):
            langs = set(node) & set(LANGS)
            if langs:
                assert set(node) <= set(LANGS), f"{path.name}:{where} mixes languages with {set(node) - set(LANGS)}"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        else:
            assert where.split(".")[-1] in LANGS, f"{path.name}:{where} is a bare string, not a {{vi, en}} pair"

    walk(data, "")


def test_same_placeholders_in_both_languages():
    import string

    def names(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    bad = {k: e for k, e in i18n.catalogue().items() if names(e.get("vi", "")) != names(e.get("en", ""))}
    assert not bad, bad


def test_chart_and_tile_words_have_both_languages():
    cat = charts.catalogue()
    bad = []
    for chart_id, m in cat["charts"].items():
        for field in ("title", "subtitle"):
            if field in m and missing_langs(m[field]):
                bad.append(f"charts.{chart_id}.{field}")
        assert "title" in m, chart_id
    for page, tiles in cat.get("tiles", {}).items():
        for i, tile in enumerate(tiles):
            if missing_langs(tile.get("label")):
                bad.append(f"tiles.{page}[{i}].label")
    assert not bad, bad


def test_map_words_have_both_languages():
    bad = []
    for map_id in district_map.all_maps():
        m = district_map.spec(map_id)
        for field in ("short", "value_label", "title", "subtitle", "note"):
            if missing_langs(m.get(field)):
                bad.append(f"maps.{map_id}.{field}")
    assert not bad, bad
    for page in district_map.catalogue()["pages"]:
        assert i18n.has(f"page.{page}")


def test_meeting_order_names_known_slides():
    order = charts.catalogue()["meeting"]["order"]
    assert order and len(order) == len(set(order))
    for slide in order:
        kind, _, ident = slide.partition(".")
        if kind == "tiles":
            assert charts.tiles(ident), slide
        elif kind == "map":
            assert ident in district_map.all_maps(), slide
        else:
            assert slide in charts.catalogue()["charts"], slide


def has_both(group: str, code: str) -> bool:
    entry = i18n.catalogue().get(f"{group}.{code}")
    return entry is not None and not missing_langs(entry)


# Codes of the data, each with the label group that names it on screen.
DATA_CODES = [
    ("observations", "category", "category"),
    ("observations", "variant", "variant"),
    ("observations", "value_kind", "kind"),
    ("observations", "figure_type", "figure_type"),
    ("observations", "quote_kind", "quote_kind"),
    ("electrified_communes", "status", "status"),
    ("power_projects", "status", "status"),
    ("power_projects", "kind", "power_kind"),
    ("market_facilities", "kind", "facility_kind"),
    ("legal_documents", "doc_kind", "doc_kind"),
    ("indicators", "unit", "unit"),
    ("districts", "unit_type", "unit_type"),
    ("sources", "kind", "source_kind"),
]


@pytest.mark.parametrize(("table", "column", "group"), DATA_CODES, ids=[f"{t}.{c}" for t, c, _ in DATA_CODES])
def test_every_code_in_the_data_has_a_label(store, table, column, group):
    codes = {str(v) for v in store.table(table)[column].dropna() if str(v)}
    assert codes, f"{table}.{column} is empty"
    missing = sorted(c for c in codes if not has_both(group, c))
    assert not missing, f"{table}.{column}: no {group} label in both languages for {missing}"


def drawn_words(fig) -> set[str]:
    """The category labels, legend entries and facet titles a figure shows."""
    words = set()
    legend = fig.layout.showlegend is not False
    for tr in fig.data:
        if legend and tr.showlegend is not False and tr.name:
            words.add(str(tr.name))
        cats = tr.y if getattr(tr, "orientation", None) == "h" else tr.x
        words |= {str(c) for c in (cats if cats is not None else [])}
    return words


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", sorted(charts.catalogue()["charts"]))
def test_no_chart_draws_a_raw_code(store, chart_id, lang):
    """Every x, series and facet code a chart's query returns is drawn through a label: no
    code of the data (other than years and names) appears on the chart as it stands."""
    m = charts.meta(chart_id)
    df = store.query(m["query"], districts=[], year_from=1900, year_to=2100)
    if df.empty:
        pytest.skip("no rows in the bundled data")
    codes = {str(v) for col in ("x", "series") if col in df for v in df[col].dropna()}
    if m.get("x_labels") == "name":
        codes -= {str(v) for v in df["x"]}
    raw = {w for w in drawn_words(charts.figure(df, m, lang)) & codes if not w.replace(" ", "").isdigit()}
    assert not raw, f"{chart_id} ({lang}) draws codes without a label: {sorted(raw)}"


def test_units_of_every_chart_and_map_have_both_languages():
    units = {m.get("unit") for m in charts.catalogue()["charts"].values()} | {
        district_map.spec(i).get("unit") for i in district_map.all_maps()
    }
    assert all(has_both("unit", u) for u in units if u), units
