-- Civil-servant and public-employee positions, 2015 and 2020, every version the report gives.
select
    indicator_id as x,
    cast(year_to as varchar) || case when variant = '' then '' else ' · ' || variant end as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id in ('civil_servants', 'public_employees')
    and in_years(year_to, $year_from, $year_to)
order by indicator_id, year_to, variant
