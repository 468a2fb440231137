-- Every area's name, and whether it is one of the province's district-level units of 2020.
select
    d.area_code,
    d.name_vi,
    d.level,
    d.unit_type,
    coalesce(u.area_code is not null, false) as unit_2020
from districts as d
left join units_2020 as u on d.area_code = u.area_code
order by d.area_code
