-- Staff sent for political-theory and master's training since 2015.
select
    category as x,
    'total' as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id = 'staff_trained'
order by value
