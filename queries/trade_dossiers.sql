-- Trade-promotion dossiers in 2020 against 2019 (2019 = 1), all and online.
select
    case when year_to = 2019 then 'base_2019' else category end as x,
    cast(year_to as varchar) as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id = 'trade_dossiers_vs_2019'
order by year_to, value
