-- The figures a district map can colour: an indicator's total (or its only category) with
-- rows for the province's district-level units of 2020 in the chosen years, main values only.
with district_rows as (
    select
        o.indicator_id,
        o.category,
        o.area_code,
        o.year_to
    from observations as o
    inner join units_2020 as u on o.area_code = u.area_code
    where o.variant = '' and in_years(o.year_from, o.year_to, $year_from, $year_to)
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
