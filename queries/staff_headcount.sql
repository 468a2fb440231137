-- Civil-servant and public-employee positions, every version the report gives.
select
    indicator_id as item,
    *
from facts
where
    in_view(area_code, $districts)
    and indicator_id in ('civil_servants', 'public_employees')
    and category = 'total'
    and in_years(year_from, year_to, $year_from, $year_to)
order by indicator_id, year_to, variant, area_code
