"""Market infrastructure: stock by class, facilities opened, criterion 7, trade promotion.

The facilities the report names are text: the chosen districts' as a list (sctdash.exhibits.places),
all of them as a table a browser's find and a screen reader can read.
"""

import streamlit as st

from sctdash.app import map_ui, ui
from sctdash.core.i18n import t
from sctdash.exhibits import places

ui.page_header("market")
ui.render_tiles("market")
map_ui.render_map("market")
lang, f = ui.lang(), ui.filters()
named = places.named_places(ui.query, list(f.districts), lang, "market")
if named:
    st.header(t("places.heading", lang))
    st.markdown(places.markdown(named))

ui.render_chart("market_stock_by_class")
ui.render_chart("trade_dossiers")

st.header(t("places.facilities_table", lang))
facilities = ui.query("facilities_opened", districts=[])
shown = facilities.assign(district_vi=facilities["district_vi"].replace("", t("notice.unknown_district", lang)))
ui.plain_table(
    places.table_frame(
        shown,
        {"name_vi": "name", "kind": "kind", "district_vi": "district_vi", "quote": "quote"},
        lang,
        {"kind": "facility_kind"},
    ),
)
ui.render_more("market")
