-- Online public services as each section of the report counts them.
select
    category as x,
    variant as series,
    *
from facts
where indicator_id = 'online_services'
order by variant, value desc
