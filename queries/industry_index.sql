-- The level implied by the reported average growth (2015 = 100), derived.
select
    indicator_id as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id in ('gocn_index', 'vacn_index')
    and category = 'total'
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by indicator_id, area_code, year_to, year_from, category, variant
