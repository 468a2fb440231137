-- Capacity of completed power projects per district-level unit of 2020, where a source places
-- them: hydropower in MW, solar in MWp, kept apart. A project spanning two districts counts in
-- both (`shared`); projects of unknown district are left out. Null where none is placed.
with spans as (
    select
        project_id,
        count(*) as n_districts
    from power_project_locations
    group by project_id
),

placed as (
    select
        coalesce(d.merged_into, d.area_code) as area_code,
        sum(p.capacity) filter (where p.capacity_unit = 'MW') as capacity_mw,
        sum(p.capacity) filter (where p.capacity_unit = 'MWp') as capacity_mwp,
        count(*) as projects,
        count(*) filter (where s.n_districts > 1) as shared
    from power_projects as p
    inner join power_project_locations as l on p.project_id = l.project_id
    inner join districts as d on l.district_code = d.area_code
    inner join spans as s on p.project_id = s.project_id
    where p.status = 'in_operation' and p.capacity is not null
    group by coalesce(d.merged_into, d.area_code)
),

final as (
    select
        u.*,
        case when pl.area_code is not null then coalesce(pl.capacity_mw, 0) + coalesce(pl.capacity_mwp, 0) end as value,
        pl.capacity_mw as value_a,
        pl.capacity_mwp as value_b,
        pl.projects,
        pl.shared,
        'mw' as unit,
        1 as decimals,
        'bc-sct-2021' as source_id,
        'II.2.1.a1' as section
    from units_2020 as u
    left join placed as pl on u.area_code = pl.area_code
)

select * from final
order by area_code
