-- The district-level areas that have observation rows of their own, with the unit each was merged into.
select distinct
    o.area_code,
    d.merged_into
from observations as o
inner join districts as d on o.area_code = d.area_code
where d.level = 'district'
order by o.area_code
