-- The province's figures of some indicators ($indicators; every indicator when empty) of one
-- type ($figure_type: 'result' or 'target'), with their words: the text lists of a page
-- (the targets it must never draw as results, the results it has no chart for).
select *
from facts_all
where
    area_code = '51'
    and figure_type = $figure_type
    and (len($indicators) = 0 or list_contains($indicators, indicator_id))
order by topic, indicator_id, year_to, category, variant
