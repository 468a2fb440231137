-- The areas the area filter offers for the years in view, one per code: the province's
-- district-level units of 2020 while the years reach before 2025 (the report's districts), and
-- every unit with a figure in the years (the districts of both former provinces, the communes
-- of 2025); each with its level, names, type and dates (its latest unit in the years), grouped
-- by level.
with in_data as (
    select distinct unit_id
    from facts_all
    where area_code <> '51' and in_years(year_from, year_to, $year_from, $year_to)
),

units as (
    select a.*
    from areas as a
    where a.unit_id in (select in_data.unit_id from in_data)
    union all
    select a.*
    from areas as a
    inner join units_2020 as u on a.area_code = u.area_code
    where
        $year_from <= 2024
        and a.level = 'district'
        and coalesce(a.valid_from, date '0001-01-01') <= date '2020-12-31'
        and a.valid_to >= date '2020-12-31'
),

latest as (
    select *
    from units
    qualify row_number() over (
        partition by area_code order by coalesce(valid_from, date '0001-01-01') desc
    ) = 1
),

final as (
    select
        l.area_code,
        l.level,
        l.name_vi,
        l.name_ascii,
        l.unit_type,
        l.valid_from,
        l.valid_to,
        u.merged_vi,
        case l.level when 'district' then 1 else 2 end as level_order
    from latest as l
    left join units_2020 as u on l.area_code = u.area_code
)

select
    area_code,
    level,
    name_vi,
    name_ascii,
    unit_type,
    valid_from,
    valid_to,
    merged_vi
from final
order by level_order, area_code
