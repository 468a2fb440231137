-- How each unit in view stands for the chosen codes (area_links): their own, merged into them,
-- the communes of 2025 that took a chosen former unit's land, or the former units a chosen
-- commune of 2025 came from.
select
    l.code as chosen_code,
    l.unit_id,
    a.area_code,
    l.link
from area_links as l
inner join areas as a on l.unit_id = a.unit_id
where list_contains($districts, l.code)
order by l.code, a.area_code, l.unit_id
