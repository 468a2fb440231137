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


def page(store, page_id: str, districts=(), years=None, lang: str = "vi") -> pipeline.PageView:
    """A page's view (curated charts and "More figures"), as the page shows it."""
    return pipeline.page_view(store.query, page_id, filters(store, districts, years), lang)


def views(store, districts=(), years=None, lang: str = "vi") -> pipeline.Views:
    """The views an export draws from, built as the command line builds them."""
    return pipeline.views(store.query, filters(store, districts, years), lang)


def map_view(store, map_id: str | dict, districts=(), years=None, lang: str = "vi"):
    m = district_map.spec(map_id) if isinstance(map_id, str) else map_id
    return views(store, districts, years, lang).map(m)
