"""The filters in force, typed: the chosen districts and the years, as every part takes them.

A `Filters` is frozen and hashable, so it keys caches as it is. Its years always lie within
the years the extracts hold (`year_range`), which come from the data, never from the code:
an import that adds 2023 widens the range at the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

Query = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Filters:
    """District codes of 2020 (none: the whole province) and the first and last year."""

    districts: tuple[str, ...]
    year_from: int
    year_to: int

    @classmethod
    def of(cls, districts: Iterable[str], year_from: int, year_to: int) -> Filters:
        first, last = sorted((int(year_from), int(year_to)))
        return cls(tuple(dict.fromkeys(str(d) for d in districts)), first, last)

    def params(self) -> dict:
        """The named parameters the queries take."""
        return {"districts": list(self.districts), "year_from": self.year_from, "year_to": self.year_to}

    def with_districts(self, districts: Iterable[str]) -> Filters:
        return Filters.of(districts, self.year_from, self.year_to)

    def clamp(self, first: int, last: int) -> Filters:
        """The same filters with the years moved inside first..last (after data changed)."""
        lo = min(max(self.year_from, first), last)
        hi = max(min(self.year_to, last), first)
        return Filters(self.districts, min(lo, hi), max(lo, hi))

    @property
    def years(self) -> tuple[int, int]:
        return self.year_from, self.year_to


def year_range(query: Query) -> tuple[int, int]:
    """The first and last year the extracts hold (queries/year_range.sql)."""
    df = query("year_range")
    if df.empty or pd.isna(df.iloc[0]["first_year"]):  # no dated row at all: the report's period
        return 2015, 2020
    return int(df.iloc[0]["first_year"]), int(df.iloc[0]["last_year"])


def whole(query: Query, districts: Iterable[str] = ()) -> Filters:
    """Every year the data holds, for `districts`."""
    first, last = year_range(query)
    return Filters.of(districts, first, last)
