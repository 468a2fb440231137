-- The areas a planner's template offers in its drop-down lists, unit by unit: the province
-- first, then its districts and communes, each with its dates (a figure's year picks the
-- units in force then: sctdash/editing/templates.py), and whether it is one of the
-- district-level units of 2020 (the list of a column naming a place's district).
with units as (
    select
        a.area_code,
        a.unit_id,
        a.name_vi,
        a.name_ascii,
        a.unit_type,
        a.level as area_level,
        a.valid_from,
        a.valid_to,
        coalesce(u.area_code is not null and a.valid_to = date '2025-06-30', false) as unit_2020,
        case a.level when 'province' then 0 when 'district' then 1 else 2 end as sort_order
    from areas as a
    left join units_2020 as u on a.area_code = u.area_code
    where a.level <> 'commune' or a.valid_from = date '2025-07-01'
)

select
    area_code,
    unit_id,
    name_vi,
    name_ascii,
    unit_type,
    area_level,
    valid_from,
    valid_to,
    unit_2020
from units
order by sort_order, area_code, coalesce(valid_from, date '0001-01-01')
