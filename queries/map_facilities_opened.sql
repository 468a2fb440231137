-- Commercial facilities opened 2016–2020 per district-level unit of 2020, where the report
-- names the district; null where it names none. `unplaced` counts those without a district.
with opened as (
    select
        coalesce(d.merged_into, d.area_code) as area_code,
        count(*) as facilities,
        count(*) filter (where f.kind = 'market') as markets,
        string_agg(distinct f.section, ', ' order by f.section) as section
    from market_facilities as f
    inner join area_codes as d on f.district_code = d.area_code
    group by coalesce(d.merged_into, d.area_code)
),

final as (
    select
        u.*,
        cast(o.facilities as double) as value,
        cast(o.markets as double) as value_a,
        cast(null as double) as value_b,
        (
            select count(*) from market_facilities as f2
            where f2.district_code is null
        ) as unplaced,
        'count' as unit,
        0 as decimals,
        -- market_facilities.csv holds the report's figures only (data/README.md): its source
        case when o.area_code is not null then 'bc-sct-2021' end as source_id,
        o.section
    from units_2020 as u
    left join opened as o on u.area_code = o.area_code
)

select * from final
order by area_code
