-- Online public services as each section of the report counts them: the main value and, for
-- the count on the national portal, the other section's version (II.1: 37; II.2.6.a: 38, main).
select
    category as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id = 'online_services'
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by variant asc, value desc, area_code asc, indicator_id asc, year_from asc, year_to asc, category asc
