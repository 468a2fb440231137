"""Meeting mode: the key charts one per screen, in the running order of charts.toml."""

from sctdash import meeting

meeting.render()
