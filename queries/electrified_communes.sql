-- The communes the report names, with district and status, for a table.
select
    c.commune_name,
    d.name_vi as district_vi,
    c.status,
    c.commune_code,
    c.section,
    c.quote
from electrified_communes as c
inner join area_codes as d on c.district_code = d.area_code
where len($districts) = 0 or in_scope(c.district_code, $districts)
order by d.name_vi, c.status, c.commune_name
