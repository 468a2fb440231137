-- Commercial facilities built and opened 2016–2020, with the district where the report gives it.
select
    f.facility_id,
    f.name_vi,
    f.kind,
    f.district_code,
    coalesce(d.name_vi, '') as district_vi,
    f.opened_from,
    f.opened_to,
    f.section,
    f.quote
from market_facilities as f
left join area_codes as d on f.district_code = d.area_code
where len($districts) = 0 or (f.district_code is not null and in_scope(f.district_code, $districts))
order by f.kind, f.name_vi
