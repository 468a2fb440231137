-- The areas a planner's template offers in its drop-down lists: the province first, then
-- the district-level units of 2020 (the units_2020 view), with their type of 2020.
with province as (
    select
        d.area_code,
        d.name_vi,
        d.name_ascii,
        d.unit_type,
        d.level as area_level,
        0 as sort_order
    from districts as d
    where d.level = 'province'
),

units as (
    select
        u.area_code,
        u.name_vi,
        u.name_ascii,
        u.unit_type,
        'district' as area_level,
        1 as sort_order
    from units_2020 as u
),

final as (
    select * from province
    union all
    select * from units
)

select
    area_code,
    name_vi,
    name_ascii,
    unit_type,
    area_level
from final
order by sort_order, area_code
