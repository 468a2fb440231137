-- Indicators with how many values each has (counted before the join: one pass over the rows).
with counted as (
    select
        indicator_id,
        count(*) as n_values
    from observations
    group by indicator_id
),

final as (
    select
        i.indicator_id,
        i.topic,
        i.name_vi,
        i.name_en,
        i.unit,
        coalesce(c.n_values, 0) as n_values
    from indicators as i
    left join counted as c on i.indicator_id = c.indicator_id
)

select * from final
order by topic, indicator_id
