"""One page view: every output of a page takes its exhibits from pipeline.page_view, so a deck
drawn from the app's views builds no exhibit the screen has built, and one lookup finds the
page of any chart."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from sctdash.core import catalogue
from sctdash.exhibits import builder, pipeline
from sctdash.exhibits.filters import Filters
from sctdash.exports import deck
from tests import helpers

YEARS = (2015, 2020)


def test_a_page_view_holds_the_curated_charts_in_order_then_the_automatic_ones(yearly_store):
    view = helpers.page(yearly_store, "market")
    ids = [ex.id for ex in view.exhibits()]
    curated = catalogue.chart_ids("market")
    assert ids[: len(curated)] == curated
    automatic = ids[len(curated) :]
    assert automatic and all(i.startswith("more.") for i in automatic)  # the yearly fixture's fuel stations
    assert view.exhibit(automatic[0]).id == automatic[0]
    with pytest.raises(KeyError, match="no chart 'nothing'"):
        view.exhibit("nothing")


def test_page_of_finds_a_curated_and_an_automatic_chart(yearly_store):
    q = yearly_store.query
    assert pipeline.page_of(q, "procedures_count") == "staffing"
    assert pipeline.page_of(q, "more.fuel_stations") == "market"  # an indicator the report never had
    with pytest.raises(KeyError):
        pipeline.page_of(q, "more.no_such_indicator")


@pytest.mark.slow  # the whole dashboard's deck: its pictures drawn by Chromium
def test_a_deck_from_views_builds_no_exhibit_again(store, monkeypatch):
    """The app hands a deck the page views its screens drew: the deck takes them as they are.
    Here the views are built first, then building an exhibit fails: the deck still comes whole."""
    f = Filters.of(("535",), *YEARS)
    views = pipeline.views(store.query, f, "vi")
    built = {page: views.page(page) for page in catalogue.pages()}

    def no_more_building(*args, **kwargs):
        raise AssertionError("an exhibit was built again for the deck")

    monkeypatch.setattr(builder, "build", no_more_building)
    monkeypatch.setattr(pipeline, "chart", no_more_building)
    prs = Presentation(io.BytesIO(deck.dashboard_deck(views)))
    titles = [s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title is not None]
    for page, view in built.items():
        for ex in view.exhibits():
            assert ex.title in titles, (page, ex.id)


def test_the_app_hands_a_deck_the_views_its_screen_cached(data_copy, monkeypatch):
    """ui.views serves the page views the screen's cache holds: after the page is built once, a
    deck of it builds nothing."""
    import streamlit as st

    from sctdash.app import ui

    st.cache_resource.clear()  # the screen's caches empty: nothing built before this test
    f = Filters.of((), *YEARS)
    shown = ui.page_view("industry", f, "vi")  # native charts alone: no picture for Chromium to draw
    monkeypatch.setattr(builder, "build", lambda *a, **k: pytest.fail("built again"))
    views = ui.views(f, "vi")
    assert [ex.id for ex in views.page("industry").exhibits()] == [ex.id for ex in shown.exhibits()]
    assert deck.page_deck("industry", views)[:2] == b"PK"
