-- Support budgets of industrial promotion and trade promotion, million VND.
select
    category as item,
    *
from facts
where
    in_view(area_code, $districts)
    and indicator_id = 'promotion_budget'
    and in_years(year_from, year_to, $year_from, $year_to)
order by area_code, year_to, value
