"""Overview: the headline tiles, the district map and comparison, the key shares of 2020, and
the plans and results in view."""

from sctdash.app import map_ui, ui

ui.page_header("overview")
ui.render_tiles("overview")
map_ui.render_map("overview")
map_ui.render_compare()
ui.render_chart("key_shares")
ui.render_targets()
