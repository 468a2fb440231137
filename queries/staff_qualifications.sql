-- Shares of staff with a master's degree and with political-theory training.
select
    indicator_id as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id in ('masters_share', 'political_training_share')
    and category = 'total'
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by indicator_id, year_to, variant, area_code, year_from, category
