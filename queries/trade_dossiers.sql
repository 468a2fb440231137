-- Trade-promotion dossiers against 2019 (2019 = 1), all and online.
select
    category as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id = 'trade_dossiers_vs_2019'
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by year_to asc, category desc, area_code asc, indicator_id asc, year_from asc, variant asc
