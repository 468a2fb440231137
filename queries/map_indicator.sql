-- One indicator's main values per district-level unit of 2020 in the chosen years: the
-- latest and the first, with their years and provenance; null where the unit has none.
with in_range as (
    select
        o.area_code,
        o.year_from,
        o.year_to,
        o.value,
        o.value_kind,
        o.source_id,
        o.section,
        o.note_id
    from observations as o
    where
        o.indicator_id = $indicator
        and o.category = $category
        and o.variant = ''
        and in_years(o.year_from, o.year_to, $year_from, $year_to)
),

ranked as (
    select
        *,
        row_number() over (partition by area_code order by year_to desc) as from_last,
        row_number() over (partition by area_code order by year_to asc) as from_first
    from in_range
),

latest as (
    select * from ranked
    where from_last = 1
),

earliest as (
    select * from ranked
    where from_first = 1
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
    from units_2020 as u
    left join latest as l on u.area_code = l.area_code
    left join earliest as e on u.area_code = e.area_code
    cross join indicator as i
)

select * from final
order by area_code
