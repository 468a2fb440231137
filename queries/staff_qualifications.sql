-- Shares of staff with a master's degree and with political-theory training, 2015 and 2020.
select
    indicator_id as x,
    cast(year_to as varchar) || case when variant = '' then '' else ' · ' || variant end as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id in ('masters_share', 'political_training_share')
    and in_years(year_to, $year_from, $year_to)
order by indicator_id, year_to, variant
