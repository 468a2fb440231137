-- Every fact of the indicators of some topics in view: the province's, and the chosen
-- districts' (every district's when none is chosen). The page's "More figures" are the ones
-- its curated charts do not draw.
select
    category as item,
    *
from facts
where
    list_contains($topics, topic)
    and in_view(unit_id, $districts)
    and in_years(year_from, year_to, $year_from, $year_to)
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by indicator_id, category, variant, area_code, year_to, year_from
