-- Administrative procedures handled by the department.
select
    indicator_id as item,
    *
from facts
where
    in_view(area_code, $districts)
    and indicator_id = 'procedures'
    and category = 'total'
    and in_years(year_from, year_to, $year_from, $year_to)
order by year_to, area_code
