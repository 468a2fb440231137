-- Rural-industry products awarded at provincial, regional and national level.
select
    category as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id = 'rural_product_awards'
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by area_code asc, year_to asc, value desc, indicator_id asc, year_from asc, category asc, variant asc
