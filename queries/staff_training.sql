-- Staff sent for political-theory and master's training.
select
    category as item,
    *
from facts
where
    in_view(area_code, $districts)
    and indicator_id = 'staff_trained'
    and in_years(year_from, year_to, $year_from, $year_to)
order by area_code, year_to, value
