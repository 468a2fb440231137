-- The province's district-level units of 2020 for the filter, with the units merged into them.
select
    d.area_code,
    d.name_vi,
    d.name_ascii,
    d.unit_type,
    d.center_lat,
    d.center_lon,
    (
        select string_agg(m.name_vi, ', ') from districts as m
        where m.merged_into = d.area_code
    ) as merged_vi
from districts as d
where d.level = 'district' and d.active_to is null and d.parent_code = '51'
order by d.area_code
