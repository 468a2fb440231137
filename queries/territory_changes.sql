-- Each unit whose land is new on a day the dashboard covers (Trà Bồng with Tây Trà from
-- 01/02/2020, the province with Kon Tum from 01/07/2025, the communes of 2025), with the former
-- units its land came from: what a chart says where one code's figures are of two territories.
select
    n.unit_id,
    n.area_code,
    n.valid_from as changed_on,
    list(f.unit_id order by f.area_code, f.unit_id) as former_units,
    list(f.area_code order by f.area_code, f.unit_id) as former_codes
from areas as n
inner join area_crosswalk as c on n.unit_id = c.new_unit
inner join areas as f on c.former_unit = f.unit_id
where n.new_territory and n.valid_from is not null
group by n.unit_id, n.area_code, n.valid_from
order by n.unit_id
