-- Rural-industry products awarded at provincial, regional and national level, 2017–2020.
select
    category as x,
    'total' as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id = 'rural_product_awards'
order by value desc
