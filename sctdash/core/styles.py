"""How each kind of value looks: one record per kind, that every medium draws in its own way.

A value's kind is what the reader must not mistake it for: a figure the report states, one
computed from reported ones, one from an outside source, an estimate, a target. The records
say what the look means; the media read them and draw it with what they have:

    medium                         pattern (bars)              hollow (markers)     opacity (pale)
    Plotly (sctdash.drawing)       marker.pattern "/"          white marker, ring   marker opacity
    slides (sctdash.exports)       PowerPoint pattern fill     white marker fill    blended over white
    meeting legend (sctdash.app)   striped CSS swatch          —                    CSS opacity

and each kind's words (its name, the words after a figure, the footnote that explains its look
on bars and on lines) are text keys, in both languages (tests/test_rules.py checks).

Only reported, derived and external values exist in the data today (the schema's check on
observations.value_kind). The estimate and target records are the look intended for the
figures to come, unused until then:

* estimate (a preliminary figure, a status that may change): a dotted bar and a dotted line
  into a hollow marker, so it reads as not final next to the reported years;
* target (a plan, never a result): never a bar — a marked level, a short dashed rule at its
  value over its year, so it cannot be read as something achieved.
"""

from __future__ import annotations

from dataclasses import dataclass

PALE = 0.55  # the opacity of a pale value (external): still readable, clearly secondary


@dataclass(frozen=True)
class KindStyle:
    kind: str
    meaning: str
    pattern: str = ""  # a bar's fill pattern in its colour on white: "" solid, "/" hatched, "." dotted
    hollow: bool = False  # a marker white inside, ringed in its colour
    opacity: float = 1.0  # below 1: pale (drawn at this opacity, or blended over white)
    dash: str = "solid"  # the line drawn into the point, or the level's rule: "solid", "dot", "dash"
    bar: bool = True  # False: never a bar, but a marked level (a short rule at its value)
    suffix: str = ""  # text key: the words after its figure, “39 (suy ra)”
    legend: str = ""  # text key: the footnote that explains its look on bars
    legend_line: str = ""  # text key: the same on lines

    @property
    def label(self) -> str:
        """Text key: the kind's name (a hover's or a data table's key)."""
        return f"kind.{self.kind}"

    @property
    def plain(self) -> bool:
        """Drawn as a reported value is: nothing to explain."""
        return not (self.pattern or self.hollow or self.opacity < 1 or self.dash != "solid" or not self.bar)


REPORTED = KindStyle("reported", "a figure the report states")
DERIVED = KindStyle(
    "derived",
    "computed from reported figures (a sum, a share, an index)",
    pattern="/",
    hollow=True,
    suffix="chart.derived_suffix",
    legend="chart.derived_legend",
    legend_line="chart.derived_legend_line",
)
EXTERNAL = KindStyle(
    "external",
    "from a cited source outside the report",
    opacity=PALE,
    suffix="chart.external_suffix",
    legend="chart.external_legend",
    legend_line="chart.external_legend",
)
ESTIMATE = KindStyle(
    "estimate",
    "an estimate or a preliminary figure, not final",
    pattern=".",
    hollow=True,
    dash="dot",
    suffix="chart.estimate_suffix",
    legend="chart.estimate_legend",
    legend_line="chart.estimate_legend_line",
)
TARGET = KindStyle(
    "target",
    "a target or a plan, never a result",
    dash="dash",
    bar=False,
    suffix="chart.target_suffix",
    legend="chart.target_legend",
    legend_line="chart.target_legend",
)
KINDS = {s.kind: s for s in (REPORTED, DERIVED, EXTERNAL, ESTIMATE, TARGET)}  # in the order footnotes name them


def style(kind: str) -> KindStyle:
    """The record of a kind; an unknown kind is drawn as reported."""
    return KINDS.get(kind, REPORTED)


def single(kinds) -> KindStyle:
    """The style a series (or a legend swatch) takes when all its values are of one kind;
    reported when they are of several."""
    kinds = set(kinds)
    return style(next(iter(kinds))) if len(kinds) == 1 else REPORTED
