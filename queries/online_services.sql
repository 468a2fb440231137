-- Online public services as each section of the report counts them.
select
    category as x,
    variant as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id = 'online_services'
order by variant asc, value desc
