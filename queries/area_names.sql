-- Every area of districts.csv with its names, and whether it is one of the province's
-- district-level units of 2020: the names on charts, and what a planner's "name — code"
-- choice in a template is read against (former units too).
select
    d.area_code,
    d.name_vi,
    d.name_ascii,
    d.level,
    d.unit_type,
    coalesce(u.area_code is not null, false) as unit_2020
from area_codes as d
left join units_2020 as u on d.area_code = u.area_code
order by d.area_code
