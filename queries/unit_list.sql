-- Every unit of areas.csv with its territory (the unit whose land it stands on) and dates: the
-- names a chart gives a unit, with its dates where a code stood for more than one in view.
select
    unit_id,
    area_code,
    level,
    name_vi,
    name_ascii,
    unit_type,
    parent_code,
    valid_from,
    valid_to,
    territory,
    territory_from,
    center_lat,
    center_lon
from area_units
order by area_code, coalesce(valid_from, date '0001-01-01')
