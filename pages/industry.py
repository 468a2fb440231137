"""Industrial growth: GOCN/VACN growth, promotion budgets, rural-industry awards."""

from sctdash.app import map_ui, ui

ui.page_header("industry")
ui.render_tiles("industry")
map_ui.render_map("industry")  # only when the page has figures by district
ui.render_chart("industry_growth")
ui.render_chart("industry_index")
ui.render_chart("promotion_budget")
ui.render_chart("rural_product_awards")
ui.render_more("industry")
