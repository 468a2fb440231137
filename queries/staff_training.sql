-- Staff sent for political-theory and master's training since 2015.
select
    category as x,
    'total' as series,
    *
from facts
where indicator_id = 'staff_trained'
order by value
