-- Average annual growth of GOCN and VACN: the report's and an external source's, for the
-- province and the districts in view.
select
    indicator_id as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id in ('gocn_growth_avg', 'vacn_growth_avg')
    and category = 'total'
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by indicator_id asc, variant asc, area_code asc, year_to asc, year_from asc, category asc
