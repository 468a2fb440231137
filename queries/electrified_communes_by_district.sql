-- Communes the report names in the rural-electrification project, per district and status.
with named as (
    select
        c.district_code,
        c.status,
        count(*) as communes,
        string_agg(distinct c.source_id, ', ') as source_id,
        string_agg(distinct c.section, ', ') as section
    from electrified_communes as c
    where len($districts) = 0 or in_scope(c.district_code, $districts)
    group by c.district_code, c.status
),

final as (
    select
        d.name_vi as item,
        n.status as series,
        cast(n.communes as double) as value,
        'count' as unit,
        0 as decimals,
        'reported' as value_kind,
        n.source_id,
        n.section,
        'chuong-trinh-dien' as note_id,
        n.district_code as area_code
    from named as n
    inner join area_codes as d on n.district_code = d.area_code
)

select * from final
order by item, series
