-- Support budgets of industrial promotion and trade promotion, million VND.
select
    category as x,
    'total' as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id = 'promotion_budget'
order by value
