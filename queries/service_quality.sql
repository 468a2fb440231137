-- Shares that describe the one-stop service (2019–2020 at the public service centre, or 2020),
-- every version the report gives.
select
    indicator_id || case when category = 'total' then '' else '.' || category end as x,
    case when variant = '' then 'main' else 'alt' end as series,
    *
from facts
where
    in_scope(area_code, $districts)
    and indicator_id in (
        'procedures_on_time_pct', 'satisfaction_pct', 'four_on_spot_pct', 'one_stop_centre_pct',
        'procedures_time_cut_pct', 'online_services_pct'
    )
    and in_years(year_to, $year_from, $year_to)
order by value
