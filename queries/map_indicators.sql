-- The figures a map can colour: an indicator's total (or its only category) with rows for
-- districts or communes in the chosen years (the districts of both former provinces, the
-- communes of 2025; queries/map_indicator.sql), main values only.
with district_rows as (
    select
        f.indicator_id,
        f.category,
        f.area_code,
        f.year_to
    from facts as f
    where
        f.variant = ''
        and f.area_level in ('district', 'commune')
        and in_years(f.year_from, f.year_to, $year_from, $year_to)
),

categories as (
    select
        indicator_id,
        count(distinct category) as n_categories
    from observations
    group by indicator_id
),

final as (
    select
        r.indicator_id,
        r.category,
        i.topic,
        i.name_vi,
        i.name_en,
        i.unit,
        i.decimals,
        count(distinct r.area_code) as n_units,
        min(r.year_to) as first_year,
        max(r.year_to) as last_year
    from district_rows as r
    inner join indicators as i on r.indicator_id = i.indicator_id
    inner join categories as c on r.indicator_id = c.indicator_id
    where r.category = 'total' or c.n_categories = 1
    group by all
)

select * from final
order by topic, indicator_id, category
