-- Each value of one indicator with the section and the words it came from.
select
    year_from,
    year_to,
    area_vi,
    category,
    variant,
    value,
    value_kind,
    derivation,
    source_title,
    section,
    quote,
    note_id
from facts
where indicator_id = $indicator
order by year_to, category, variant
