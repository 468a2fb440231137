-- Every area of districts.csv with its names: what a "name — code" choice is read against.
select
    area_code,
    name_vi,
    name_ascii
from districts
order by area_code
