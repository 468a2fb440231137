-- Commercial centres, supermarkets and markets in the province at the end of 2020, by class.
select
    indicator_id as x,
    category as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id in ('commercial_centres', 'supermarkets', 'markets')
    and category <> 'total'
    and in_years(year_to, $year_from, $year_to)
order by indicator_id, category
