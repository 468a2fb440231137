-- The 2020 level implied by the reported average growth (2015 = 100), derived.
select
    indicator_id as x,
    cast(year_to as varchar) as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id in ('gocn_index', 'vacn_index')
order by indicator_id, year_to
