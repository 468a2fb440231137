-- Online public services as each section of the report counts them: a series per section
-- (II.1 counts 37 procedures on the national portal, II.2.6.a 38; the note says which is main).
select
    category as x,
    section as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id = 'online_services'
order by section asc, value desc
