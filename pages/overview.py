"""Overview: the headline tiles and the key shares of 2020."""

from sctdash import ui

ui.page_header("overview")
ui.render_tiles("overview")
ui.render_chart("key_shares")
