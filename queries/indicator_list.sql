-- Indicators with how many values each has.
select
    i.indicator_id,
    i.topic,
    i.name_vi,
    i.name_en,
    i.unit,
    count(o.indicator_id) as n_values
from indicators as i
left join observations as o on i.indicator_id = o.indicator_id
group by all
order by i.topic, i.indicator_id
