"""The units a figure may be in (the check on indicators.unit in queries/_schema.sql), and what
each one allows, for every medium alike.

An additive unit counts or sums something (a number of things, money, capacity in MW or MWp):
its value axis starts at zero, on screen and on a slide, and the values of several districts
may be added up (a tile's "sum of 3 districts"). A share, a growth rate, an index or a ratio
is none of these.

    additive("mw") -> True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    code: str
    additive: bool = False


UNITS = {
    u.code: u
    for u in (
        Unit("count", additive=True),
        Unit("pct"),
        Unit("pct_per_year"),
        Unit("million_vnd", additive=True),
        Unit("billion_vnd", additive=True),
        Unit("times"),
        Unit("index"),
        Unit("mw", additive=True),
        Unit("mwp", additive=True),
    )
}


def additive(unit: str) -> bool:
    """Whether values in `unit` start their axis at zero and may be summed (an unknown unit: no)."""
    found = UNITS.get(unit)
    return found is not None and found.additive
