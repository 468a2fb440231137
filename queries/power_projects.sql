-- Power projects the report names, with capacity, status and where a source places them.
with placed as (
    select
        l.project_id,
        string_agg(d.name_vi, ', ' order by d.name_vi) as districts_vi,
        string_agg(distinct l.source_id, ', ') as location_sources
    from power_project_locations as l
    inner join area_codes as d on l.district_code = d.area_code
    group by l.project_id
),

final as (
    select
        p.project_id,
        p.name_vi as item,
        p.kind as series,
        p.capacity as value,
        lower(p.capacity_unit) as unit,
        1 as decimals,
        'reported' as value_kind,
        'bc-sct-2021' as source_id,
        p.section,
        p.quote,
        p.note_id,
        p.status,
        p.report_mentions,
        p.capacity_unit,
        coalesce(pl.districts_vi, '') as districts_vi,
        pl.location_sources
    from power_projects as p
    left join placed as pl on p.project_id = pl.project_id
    where
        len($districts) = 0
        or exists (
            select 1 from power_project_locations as l2
            where l2.project_id = p.project_id and in_scope(l2.district_code, $districts)
        )
)

select * from final
order by status asc, value desc nulls last, item asc
