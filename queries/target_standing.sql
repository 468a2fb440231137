-- Every target in view (a year's plan, a period's target) with the result of the same figure,
-- area and period beside it when there is one (of the target's own version, else the main
-- version's): the table of plans and results. The province's, and the chosen areas' (every
-- area's when none is chosen).
select
    g.topic,
    g.indicator_id,
    g.indicator_vi,
    g.indicator_en,
    g.unit,
    g.decimals,
    g.direction,
    g.area_code,
    g.unit_id,
    g.year_from,
    g.year_to,
    g.category,
    g.variant,
    g.value as target_value,
    g.value_kind as target_kind,
    g.section,
    g.source_publisher,
    g.quote,
    coalesce(r.value, m.value) as result_value,
    coalesce(r.status, m.status) as result_status,
    coalesce(r.value_kind, m.value_kind) as result_kind
from facts_all as g
left join facts_all as r
    on
        r.figure_type = 'result'
        and g.indicator_id = r.indicator_id
        and g.area_code = r.area_code
        and g.year_from = r.year_from
        and g.year_to = r.year_to
        and g.category = r.category
        and g.variant = r.variant
left join facts_all as m
    on
        m.figure_type = 'result'
        and g.indicator_id = m.indicator_id
        and g.area_code = m.area_code
        and g.year_from = m.year_from
        and g.year_to = m.year_to
        and g.category = m.category
        and m.variant = ''
where
    g.figure_type = 'target'
    and in_view(g.unit_id, $districts)
    and in_years(g.year_from, g.year_to, $year_from, $year_to)
order by g.topic, g.indicator_id, g.area_code, g.year_to, g.year_from, g.category
