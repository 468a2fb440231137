-- Every data note with the indicators and entities it is attached to, and the report's
-- sections it is about (a note no row carries, on document numbers say, has only those).
with attached as (
    select
        note_id,
        indicator_id as item
    from observations
    where note_id is not null
    union
    select
        note_id,
        project_id as item
    from power_projects
    where note_id is not null
    union
    select
        note_id,
        facility_id as item
    from market_facilities
    where note_id is not null
    union
    select
        note_id,
        doc_number as item
    from legal_documents
    where note_id is not null
)

select
    n.note_id,
    n.title_vi,
    n.title_en,
    n.text_vi,
    n.text_en,
    coalesce(n.section, '') as section,
    coalesce(string_agg(distinct a.item, ', ' order by a.item), '') as attached_to
from data_notes as n
left join attached as a on n.note_id = a.note_id
group by all
order by n.note_id
