-- The province's district-level units of 2020 for the filter, with the units merged into them.
select
    area_code,
    name_vi,
    name_ascii,
    unit_type,
    center_lat,
    center_lon,
    merged_vi
from units_2020
order by area_code
