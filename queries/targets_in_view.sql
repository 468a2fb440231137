-- The targets of some indicators in view (figure_type 'target': a year's plan, or a period's
-- target such as an average growth for 2021–2025): what a chart marks beside its results, never
-- as one. The province's, and the chosen areas' (every area's when none is chosen).
select
    category as item,
    *
from facts_all
where
    figure_type = 'target'
    and list_contains($indicators, indicator_id)
    and in_view(unit_id, $districts)
    and in_years(year_from, year_to, $year_from, $year_to)
order by indicator_id, category, area_code, year_to, year_from
