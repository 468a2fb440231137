-- How many observations the chosen districts (with the units merged into them) have in the
-- years, of any indicator and kind: none, and every chart of observations under this filter is
-- the province's, drawn without its own query (sctdash.pipeline).
select count(*) as n
from facts_all
where
    area_code <> '51'
    and in_view(unit_id, $districts)
    and in_years(year_from, year_to, $year_from, $year_to)
