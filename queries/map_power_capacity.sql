-- Capacity of completed power projects of one kind ($kind: 'hydro' or 'solar') per district-level
-- unit of 2020, where a source places them, in the kind's unit (MW of turbines, MWp of panels:
-- not one figure, so one kind per map; tests/test_data.py checks one unit per kind). A project
-- spanning two districts counts in both (`shared`); projects of unknown district are left out.
-- Null where none of the kind is placed.
with spans as (
    select
        project_id,
        count(*) as n_districts
    from power_project_locations
    group by project_id
),

kind_unit as (
    select lower(min(capacity_unit)) as unit
    from power_projects
    where kind = $kind
),

placed as (
    select
        coalesce(d.merged_into, d.area_code) as area_code,
        sum(p.capacity) as capacity,
        count(*) as projects,
        count(*) filter (where s.n_districts > 1) as shared,
        string_agg(distinct p.section, ', ' order by p.section) as section,
        string_agg(distinct l.source_id, ',' order by l.source_id) as location_source_ids
    from power_projects as p
    inner join power_project_locations as l on p.project_id = l.project_id
    inner join districts as d on l.district_code = d.area_code
    inner join spans as s on p.project_id = s.project_id
    where p.status = 'in_operation' and p.capacity is not null and p.kind = $kind
    group by coalesce(d.merged_into, d.area_code)
),

final as (
    select
        u.*,
        pl.capacity as value,
        pl.projects,
        pl.shared,
        pl.location_source_ids,
        ku.unit,
        1 as decimals,
        -- power_projects.csv holds the report's capacities only (data/README.md): its source
        case when pl.area_code is not null then 'bc-sct-2021' end as source_id,
        pl.section
    from units_2020 as u
    left join placed as pl on u.area_code = pl.area_code
    cross join kind_unit as ku
)

select * from final
order by area_code
