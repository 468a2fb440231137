-- Commercial facilities opened 2016–2020 per district-level unit of 2020, where the report
-- names the district; null where it names none. `unplaced` counts those without a district.
with units as (
    select
        d.area_code,
        d.name_vi,
        d.center_lat,
        d.center_lon,
        (
            select string_agg(m.name_vi, ', ') from districts as m
            where m.merged_into = d.area_code
        ) as merged_vi,
        (
            select min(m.changed_on) from districts as m
            where m.merged_into = d.area_code
        ) as merged_on
    from districts as d
    where d.level = 'district' and d.active_to is null and d.parent_code = '51'
),

opened as (
    select
        coalesce(d.merged_into, d.area_code) as area_code,
        count(*) as facilities,
        count(*) filter (where f.kind = 'market') as markets
    from market_facilities as f
    inner join districts as d on f.district_code = d.area_code
    group by coalesce(d.merged_into, d.area_code)
),

final as (
    select
        u.area_code,
        u.name_vi,
        u.merged_vi,
        u.merged_on,
        u.center_lat,
        u.center_lon,
        cast(o.facilities as double) as value,
        cast(o.markets as double) as value_a,
        cast(null as double) as value_b,
        (
            select count(*) from market_facilities as f2
            where f2.district_code is null
        ) as unplaced,
        'count' as unit,
        0 as decimals,
        'bc-sct-2021' as source_id,
        'II.2.1.a1' as section
    from units as u
    left join opened as o on u.area_code = o.area_code
)

select * from final
order by area_code
