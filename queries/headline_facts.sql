-- Province-level facts for the headline tiles of a page.
select *
from facts
where list_contains($indicators, indicator_id) and area_code = '51'
order by indicator_id, year_to, category, variant
