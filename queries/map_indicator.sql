-- One indicator's main values per unit of the map in the chosen years: the latest and the first
-- on the same land, with their years and provenance; null where a unit has none. The map's
-- units: the 96 communes of 2025 when the indicator has commune rows in the years, else the
-- province's district-level units of 2020, with the former Kon Tum's 10 districts when any of
-- them has rows.
with in_range as (
    select
        f.area_code,
        f.unit_id,
        f.territory,
        f.area_level,
        f.year_from,
        f.year_to,
        f.value,
        f.value_kind,
        f.source_id,
        f.section,
        f.note_id
    from facts as f
    where
        f.indicator_id = $indicator
        and f.category = $category
        and f.variant = ''
        and f.area_code <> '51'
        and in_years(f.year_from, f.year_to, $year_from, $year_to)
),

map_level as (
    select coalesce(bool_or(area_level = 'commune'), false) as communes
    from in_range
),

kon_tum as (
    select count(*) > 0 as has_rows
    from in_range as r
    inner join areas as a on r.unit_id = a.unit_id
    where a.level = 'district' and a.parent_code = '62'
),

units as (
    select
        a.area_code,
        a.name_vi,
        a.name_ascii,
        a.unit_type,
        a.center_lat,
        a.center_lon,
        null as merged_vi,
        cast(null as date) as merged_on
    from areas as a
    cross join map_level as m
    where m.communes and a.level = 'commune' and a.valid_from = date '2025-07-01'
    union all
    select
        u.area_code,
        u.name_vi,
        u.name_ascii,
        u.unit_type,
        u.center_lat,
        u.center_lon,
        u.merged_vi,
        u.merged_on
    from units_2020 as u
    cross join map_level as m
    where not m.communes
    union all
    select
        a.area_code,
        a.name_vi,
        a.name_ascii,
        a.unit_type,
        a.center_lat,
        a.center_lon,
        null as merged_vi,
        cast(null as date) as merged_on
    from areas as a
    cross join map_level as m
    cross join kon_tum as k
    where not m.communes and k.has_rows and a.level = 'district' and a.parent_code = '62'
),

on_map as (
    select r.*
    from in_range as r
    cross join map_level as m
    where (r.area_level = 'commune') = m.communes
),

latest as (
    select *
    from on_map
    qualify row_number() over (partition by area_code order by year_to desc) = 1
),

earliest as (
    select o.*
    from on_map as o
    inner join latest as l on o.area_code = l.area_code and o.territory = l.territory
    qualify row_number() over (partition by o.area_code order by o.year_to asc) = 1
),

indicator as (
    select
        unit,
        decimals
    from indicators
    where indicator_id = $indicator
),

final as (
    select
        u.*,
        l.value,
        l.year_to as value_year,
        l.value_kind,
        e.value as first_value,
        e.year_to as first_year,
        i.unit,
        i.decimals,
        l.source_id,
        l.section,
        l.note_id
    from units as u
    left join latest as l on u.area_code = l.area_code
    left join earliest as e on u.area_code = e.area_code
    cross join indicator as i
)

select * from final
order by area_code
