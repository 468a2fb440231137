-- Capacity of completed power projects of one kind ($kind: 'hydro' or 'solar') per district-level
-- unit of 2020, where a source places them, in the kind's unit (MW of turbines, MWp of panels:
-- not one figure, so one kind per map; tests/test_data.py checks one unit per kind). Projects of
-- unknown district are left out. Every placed project counts once:
--   * in one unit: in that unit's `value`;
--   * in several, with the split stated (`capacity_here` on each of its rows): each part in
--     its unit's `value`;
--   * in several, without it: in no unit's `value`, but as `shared_value` of each unit it
--     touches, naming the others (`shared_with_vi`).
-- So the values, plus each shared project once, add up to `placed_total`: the capacity placed.
-- `value` is null where no project of the kind lies in the unit alone.
with located as (
    select
        l.project_id,
        coalesce(d.merged_into, d.area_code) as area_code,
        sum(l.capacity_here) as capacity_here,
        count(*) as n_rows,
        count(l.capacity_here) as n_split,
        string_agg(distinct l.source_id, ',' order by l.source_id) as source_ids
    from power_project_locations as l
    inner join area_codes as d on l.district_code = d.area_code
    group by l.project_id, coalesce(d.merged_into, d.area_code)
),

spans as (
    select
        project_id,
        count(*) as n_units,
        bool_and(n_split = n_rows) as split_stated
    from located
    group by project_id
),

parts as (
    select
        p.project_id,
        p.section,
        lo.area_code,
        lo.source_ids,
        case
            when s.n_units = 1 then p.capacity
            when s.split_stated then lo.capacity_here
        end as own_capacity,
        case when s.n_units > 1 and not s.split_stated then p.capacity end as shared_capacity
    from power_projects as p
    inner join located as lo on p.project_id = lo.project_id
    inner join spans as s on p.project_id = s.project_id
    where p.status = 'in_operation' and p.capacity is not null and p.kind = $kind
),

per_unit as (
    select
        area_code,
        sum(own_capacity) as capacity,
        sum(shared_capacity) as shared_capacity,
        count(*) as projects,
        count(shared_capacity) as shared,
        string_agg(distinct section, ', ' order by section) as section,
        string_agg(distinct source_ids, ',' order by source_ids) as location_source_ids
    from parts
    group by area_code
),

shared_with as (
    select
        a.area_code,
        string_agg(distinct u.name_vi, ', ' order by u.name_vi) as shared_with_vi
    from parts as a
    inner join parts as b on a.project_id = b.project_id and a.area_code <> b.area_code
    inner join units_2020 as u on b.area_code = u.area_code
    where a.shared_capacity is not null
    group by a.area_code
),

placed as (
    select sum(p.capacity) as placed_total
    from power_projects as p
    where p.project_id in (select pa.project_id from parts as pa)
),

kind_unit as (
    select lower(min(capacity_unit)) as unit
    from power_projects
    where kind = $kind
),

final as (
    select
        u.*,
        pu.capacity as value,
        pu.shared_capacity as shared_value,
        sw.shared_with_vi,
        pu.projects,
        pu.shared,
        pl.placed_total,
        pu.location_source_ids,
        ku.unit,
        1 as decimals,
        -- power_projects.csv holds the report's capacities only (data/README.md): its source
        case when pu.area_code is not null then 'bc-sct-2021' end as source_id,
        pu.section
    from units_2020 as u
    left join per_unit as pu on u.area_code = pu.area_code
    left join shared_with as sw on u.area_code = sw.area_code
    cross join placed as pl
    cross join kind_unit as ku
)

select * from final
order by area_code
