"""Market infrastructure: stock by class, facilities opened, criterion 7, trade promotion."""

import streamlit as st

from sctdash import map_ui, ui
from sctdash.i18n import t

ui.page_header("market")
ui.render_tiles("market")
map_ui.render_map("market")
ui.render_chart("market_stock_by_class")
ui.render_chart("trade_dossiers")

lang, f = ui.lang(), ui.filters()
st.subheader(t("extract.market_facilities", lang))
facilities = ui.query("facilities_opened", **f.params())
if facilities.empty:
    st.info(
        t(
            "notice.no_rows_district",
            lang,
            districts=", ".join(ui.district_names(f.districts)),
        )
    )
else:
    shown = facilities.assign(district_vi=facilities["district_vi"].replace("", t("notice.unknown_district", lang)))
    ui.table(
        shown,
        {
            "name_vi": "name",
            "kind": "kind",
            "district_vi": "district_vi",
            "quote": "quote",
        },
        lang,
        {"kind": "facility_kind"},
    )
ui.render_more("market")
