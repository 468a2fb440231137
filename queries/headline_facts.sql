-- The facts behind a page's headline tiles: the province's, and the chosen districts' own;
-- results and the targets set beside them (figure_type says which).
select *
from facts_all
where
    list_contains($indicators, indicator_id)
    and (area_code = '51' or (len($districts) > 0 and in_scope(unit_id, $districts)))
    and in_years(year_from, year_to, $year_from, $year_to)
order by indicator_id, area_code, year_to, category, variant
