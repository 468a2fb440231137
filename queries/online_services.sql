-- Online public services as each section of the report counts them.
select
    category as item,
    *
from facts
where
    in_view(area_code, $districts)
    and indicator_id = 'online_services'
    and in_years(year_from, year_to, $year_from, $year_to)
order by variant asc, value desc, area_code asc
