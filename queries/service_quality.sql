-- Shares that describe the one-stop service (at the public service centre from 01/2019), every
-- version the report gives.
select
    indicator_id || case when category = 'total' then '' else '.' || category end as item,
    *
from facts
where
    in_view(unit_id, $districts)
    and indicator_id in (
        'procedures_on_time_pct', 'satisfaction_pct', 'four_on_spot_pct', 'one_stop_centre_pct',
        'procedures_time_cut_pct', 'online_services_pct'
    )
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by value, area_code, year_to, indicator_id, year_from, category, variant
