-- Every source, for source lines and the data page.
select
    source_id,
    kind,
    title,
    publisher,
    published_on,
    url
from sources
order by source_id
