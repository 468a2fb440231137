-- Commercial centres, supermarkets and markets by class: one panel per kind of facility.
select
    indicator_id as facet,
    category as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id in ('commercial_centres', 'supermarkets', 'markets')
    and category <> 'total'
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by indicator_id, category, area_code, year_to, year_from, variant
