"""What the tests build the way the app does: exhibits and map views under filters."""

from __future__ import annotations

from sctdash.exhibits import district_map, pipeline
from sctdash.exhibits.filters import Filters, year_range

PROVINCE = ()


def filters(store, districts=(), years: tuple[int, int] | None = None) -> Filters:
    first, last = years or year_range(store.query)
    return Filters.of(districts, first, last)


def exhibit(store, chart_id: str, districts=(), years=None, lang: str = "vi"):
    return pipeline.chart(store.query, chart_id, filters(store, districts, years), lang)


def page(store, page_id: str, districts=(), years=None, lang: str = "vi"):
    """(curated exhibits, More) of a page, as the page shows them."""
    f = filters(store, districts, years)
    curated = [pipeline.chart(store.query, cid, f, lang) for cid in pipeline.catalogue.chart_ids(page_id)]
    return curated, pipeline.more(store.query, page_id, f, lang, curated)


def map_view(store, map_id: str | dict, districts=(), years=None, lang: str = "vi"):
    f = filters(store, districts, years)
    m = district_map.spec(map_id) if isinstance(map_id, str) else map_id
    return district_map.view(
        district_map.rows(store.query, m, f), m, pipeline.setting_for(store.query, f, lang), f.districts
    )
