-- Staff sent for political-theory and master's training.
select
    category as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id = 'staff_trained'
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by area_code, year_to, value, indicator_id, year_from, category, variant
