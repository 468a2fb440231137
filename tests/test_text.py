"""Every word on screen has Vietnamese and English: the text catalogues, the chart, tile and map
words, the meeting order, and a label for every code the data and the chart queries use."""

import logging

import pytest

from sctdash.core import catalogue
from sctdash.core.i18n import LANGS
from sctdash.drawing import figures
from sctdash.exhibits import catalogue_check
from tests import helpers


def missing_langs(entry) -> list[str]:
    return [lang for lang in LANGS if not (isinstance(entry, dict) and str(entry.get(lang, "")).strip())]


def test_the_catalogues_are_sound():
    """charts.toml, maps.toml and the text catalogues as the server checks them at start-up:
    every word in both languages, no unknown key, every query and placeholder known, the
    meeting order whole. What the check catches is tested below, with broken catalogues."""
    assert catalogue_check.check() == []
    assert catalogue.meeting_order() and catalogue.texts()  # there was something to check


@pytest.mark.parametrize(
    ("where", "change", "expected"),
    [
        ("charts", lambda c: c["charts"]["procedures_count"].update(colour="red"), "unknown key 'colour'"),
        ("charts", lambda c: c["charts"]["procedures_count"]["title"].pop("en"), "title: no en words"),
        ("charts", lambda c: c["charts"]["procedures_count"].update(query="procedure_count"), "no query named"),
        ("charts", lambda c: c["charts"]["procedures_count"]["title"].update(vi="{trend} {nope}"), "{nope}"),
        ("charts", lambda c: c["meeting"]["order"].append("no_such_chart"), "'no_such_chart' is no chart"),
        ("charts", lambda c: c["meeting"]["order"].append(c["meeting"]["order"][0]), "twice"),
        ("charts", lambda c: c["tiles"]["market"][0]["label"].pop("vi"), "label: no vi words"),
        ("maps", lambda c: c["maps"]["hydro_capacity"].update(query="map_nothing"), "no query named 'map_nothing'"),
        ("maps", lambda c: c["pages"]["market"].append("no_map"), "no map named 'no_map'"),
    ],
)
def test_the_catalogue_check_names_what_is_wrong(monkeypatch, where, change, expected):
    import copy

    broken = copy.deepcopy(catalogue.charts_file() if where == "charts" else catalogue.maps_file())
    change(broken)
    monkeypatch.setattr(catalogue, "charts_file" if where == "charts" else "maps_file", lambda: broken)
    problems = catalogue_check.check()
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"a": {"vi": "Chợ", "en": ""}}, "a: no en words"),
        ({"a": {"vi": "{n} chợ", "en": "{count} markets"}}, "a: the languages name different placeholders"),
        ({"a": {"vi": "Chợ", "en": "Markets", "fr": "Marchés"}}, "a: mixes languages with ['fr']"),
        ({"a": "Chợ"}, "a: a bare value"),
        ({"a": {"vi": "Chợ"}}, "a: no en words"),
        ({"a": {"b": {"vi": "   ", "en": "Markets"}}}, "a.b: no vi words"),
        ({"a": {"vi": "{n chợ", "en": "{n} markets"}}, "a: "),
        ({"a": {"vi": 3, "en": "three"}}, "a: no vi words"),
    ],
)
def test_the_text_check_names_what_is_wrong(entry, expected):
    problems = catalogue_check.check_texts("text_x.toml", entry)
    assert any(p.startswith(f"text_x.toml {expected}") for p in problems), problems
    assert catalogue_check.check_texts("text_x.toml", {"a": {"b": {"vi": "{n} chợ", "en": "{n} markets"}}}) == []


@pytest.mark.parametrize("path", catalogue.TEXT_FILES, ids=lambda p: p.name)
def test_the_check_reads_every_text_catalogue(monkeypatch, path):
    """check() goes through each text*.toml: one of them broken is named."""
    real = catalogue.text_file
    monkeypatch.setattr(catalogue, "text_file", lambda p: {"broken": {"vi": "x"}} if p == path else real(p))
    assert f"{path.name} broken: no en words" in catalogue_check.check()


def has_both(group: str, code: str) -> bool:
    entry = catalogue.texts().get(f"{group}.{code}")
    return entry is not None and not missing_langs(entry)


# Codes of the data, each with the label group that names it on screen.
DATA_CODES = [
    ("observations", "category", "category"),
    ("observations", "variant", "variant"),
    ("observations", "value_kind", "kind"),
    ("observations", "figure_type", "figure_type"),
    ("observations", "quote_kind", "quote_kind"),
    ("observations", "status", "status_word"),
    ("indicators", "direction", "direction"),
    ("electrified_communes", "status", "status"),
    ("power_projects", "status", "status"),
    ("power_projects", "kind", "power_kind"),
    ("market_facilities", "kind", "facility_kind"),
    ("legal_documents", "doc_kind", "doc_kind"),
    ("indicators", "unit", "unit"),
    ("areas", "unit_type", "unit_type"),
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
        if tr.type == "bar":
            cats = tr.y if getattr(tr, "orientation", None) == "h" else tr.x
            words |= {str(c).replace("<br>", " ") for c in (cats if cats is not None else []) if isinstance(c, str)}
    for axis in (fig.layout.xaxis, fig.layout.yaxis):  # bars side by side: their categories' words are ticks
        words |= {str(c).replace("<br>", " ") for c in (axis.ticktext or [])}
    words |= {str(a.text) for a in fig.layout.annotations}
    return words


def _codes(ex) -> set[str]:
    df = ex.rows
    return {
        str(v)
        for col in ("item", "series", "facet", "category", "variant", "indicator_id")
        if col in df
        for v in df[col].dropna()
        if str(v)
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("data", ["bundled", "yearly"])
def test_no_chart_draws_a_raw_code(store, yearly_store, data, lang):
    """Every item, series and facet code a chart's rows hold is drawn through a label: no code
    of the data (other than years and names) appears on any chart, curated or automatic."""
    s = store if data == "bundled" else yearly_store
    drawn = 0
    for page in catalogue.pages():
        for ex in helpers.page(s, page, lang=lang).exhibits():
            if ex.no_rows:
                continue
            codes = _codes(ex)
            if ex.id in ("electrified_communes_by_district", "power_projects"):
                codes -= set(ex.rows["item"])  # names, not codes
            raw = {w for w in drawn_words(figures.figure(ex)) & codes if not w.replace(" ", "").isdigit()}
            assert not raw, f"{ex.id} ({lang}) draws codes without a label: {sorted(raw)}"
            drawn += bool(codes)
    assert drawn >= len(catalogue.charts()) // 2  # charts with codes to draw were looked at


def test_units_of_every_chart_and_map_have_both_languages(store):
    units = {spec.unit for spec in catalogue.charts().values()} | {m.get("unit") for m in catalogue.maps().values()}
    units |= set(store.table("indicators")["unit"])
    assert all(has_both("unit", u) for u in units if u), units


def test_a_missing_text_is_loud_in_tests_and_shown_as_its_key_on_a_running_dashboard(monkeypatch, caplog):
    """t() of a key no catalogue holds: KeyError under the tests (and with SCT_STRICT_TEXT=1); on
    a running dashboard (no pytest, SCT_STRICT_TEXT unset or 0) a warning in the log, and the key
    on screen. A code without a label is no mistake: label() gives the code, quietly."""
    from sctdash.core import i18n

    with pytest.raises(KeyError, match="no_such.text"):
        i18n.t("no_such.text", "vi")
    monkeypatch.delenv(i18n.STRICT_ENV, raising=False)
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)  # as on a server
    assert not i18n.strict()
    with caplog.at_level(logging.WARNING, logger="sctdash.core.i18n"):
        assert i18n.t("no_such.text_on_a_server", "en") == "no_such.text_on_a_server"
    assert "no_such.text_on_a_server" in caplog.text
    monkeypatch.setenv(i18n.STRICT_ENV, "1")  # a developer's make run
    with pytest.raises(KeyError):
        i18n.t("no_such.text", "en")
    assert i18n.label("unit", "no_such_unit", "vi") == "no_such_unit"
    assert i18n.t("page.market", "en") == "Market infrastructure"
