"""Meeting mode: the key charts one per screen, in the running order of charts.toml."""

from sctdash.app import meeting

meeting.render()
