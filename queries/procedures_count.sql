-- Administrative procedures handled by the department.
select
    indicator_id as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id = 'procedures'
    and category = 'total'
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by year_to, area_code, indicator_id, year_from, category, variant
