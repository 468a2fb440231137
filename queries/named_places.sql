-- The places the report names, one row per place and district where a source puts it, for
-- the text lists: communes of the electrification project, power projects, commercial
-- facilities opened 2016–2020. A project or facility no source places has one row with no
-- district (`district_code` null); a project in two districts has a row in each, naming the
-- other (`shared_with_vi`). `unit_code` is the district-level unit of 2020 the place lies in
-- (Trà Bồng for a place in the former Tây Trà). Within the district filter; every place when
-- none is chosen.
with project_spans as (
    select
        l.project_id,
        l.district_code,
        l.commune_name,
        l.capacity_here,
        l.source_id,
        l.quote,
        l.quote_kind,
        (
            select string_agg(d2.name_vi, ', ' order by d2.name_vi)
            from power_project_locations as l2
            inner join area_codes as d2 on l2.district_code = d2.area_code
            where l2.project_id = l.project_id and l2.district_code <> l.district_code
        ) as shared_with_vi
    from power_project_locations as l
),

places as (
    select
        'commune' as place_kind,
        c.commune_code as place_id,
        c.commune_name as place_name,
        c.district_code,
        c.status,
        cast(null as varchar) as kind,
        cast(null as double) as capacity,
        cast(null as varchar) as capacity_unit,
        cast(null as varchar) as commune_name,
        cast(null as varchar) as shared_with_vi,
        c.source_id,
        c.section,
        c.quote as place_quote,
        cast(null as varchar) as quote_kind
    from electrified_communes as c
    union all
    select
        'project' as place_kind,
        p.project_id as place_id,
        p.name_vi as place_name,
        s.district_code,
        p.status,
        p.kind,
        coalesce(s.capacity_here, p.capacity) as capacity,
        p.capacity_unit,
        s.commune_name,
        case when s.capacity_here is null then s.shared_with_vi end as shared_with_vi,
        coalesce(s.source_id, 'bc-sct-2021') as source_id,
        p.section,
        coalesce(s.quote, p.quote) as place_quote,
        s.quote_kind
    from power_projects as p
    left join project_spans as s on p.project_id = s.project_id
    union all
    select
        'facility' as place_kind,
        f.facility_id as place_id,
        f.name_vi as place_name,
        f.district_code,
        cast(null as varchar) as status,
        f.kind,
        cast(null as double) as capacity,
        cast(null as varchar) as capacity_unit,
        cast(null as varchar) as commune_name,
        cast(null as varchar) as shared_with_vi,
        'bc-sct-2021' as source_id,
        f.section,
        f.quote as place_quote,
        cast(null as varchar) as quote_kind
    from market_facilities as f
),

final as (
    select
        pl.*,
        coalesce(d.merged_into, pl.district_code) as unit_code,
        d.name_vi as district_vi,
        s.publisher as source_publisher,
        s.kind as source_kind
    from places as pl
    left join area_codes as d on pl.district_code = d.area_code
    left join sources as s on pl.source_id = s.source_id
    where len($districts) = 0 or pl.district_code is null or in_scope(pl.district_code, $districts)
)

select * from final
order by place_kind, district_vi nulls last, status, place_name
