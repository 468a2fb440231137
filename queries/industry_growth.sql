-- Average annual growth of GOCN and VACN, 2016–2020: the report's and an external source's.
select
    indicator_id as x,
    value_kind as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id in ('gocn_growth_avg', 'vacn_growth_avg')
order by indicator_id asc, value_kind desc
