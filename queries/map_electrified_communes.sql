-- Communes the report names in the electrification project, per district-level unit of 2020
-- (a merged unit's communes count for the unit it joined); null where the report names none.
-- Source and section come from the communes' own rows.
with named as (
    select
        coalesce(d.merged_into, d.area_code) as area_code,
        count(*) as communes,
        count(*) filter (where c.status = 'completed') as completed,
        count(*) filter (where c.status = 'under_construction') as under_construction,
        string_agg(distinct c.source_id, ', ' order by c.source_id) as source_id,
        string_agg(distinct c.section, ', ' order by c.section) as section
    from electrified_communes as c
    inner join area_codes as d on c.district_code = d.area_code
    group by coalesce(d.merged_into, d.area_code)
),

final as (
    select
        u.*,
        cast(n.communes as double) as value,
        cast(n.completed as double) as value_a,
        cast(n.under_construction as double) as value_b,
        'count' as unit,
        0 as decimals,
        n.source_id,
        n.section
    from units_2020 as u
    left join named as n on u.area_code = n.area_code
)

select * from final
order by area_code
