-- Each value of one indicator (the province's, and the chosen districts'), with its words:
-- results and targets alike (a target says so in `figure_type`), for the data page.
select
    year_from,
    year_to,
    area_code,
    area_vi,
    category,
    variant,
    value,
    value_kind,
    derivation,
    source_title,
    section,
    quote,
    note_id,
    figure_type,
    quote_kind
from facts_all
where indicator_id = $indicator and (area_code = '51' or in_scope(unit_id, $districts))
order by year_to, category, variant
