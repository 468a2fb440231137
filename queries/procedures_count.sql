-- Administrative procedures handled by the department, 2015 and 2020.
select
    cast(year_to as varchar) as x,
    'total' as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id = 'procedures' and in_years(year_to, $year_from, $year_to)
order by year_to
