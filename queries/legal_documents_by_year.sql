-- Documents the report lists, counted by year of issue and kind (a count of named items).
with final as (
    select
        cast(year(issued_on) as varchar) as item,
        doc_kind as series,
        year(issued_on) as year_from,
        year(issued_on) as year_to,
        cast(count(*) as double) as value,
        'count' as unit,
        0 as decimals,
        'reported' as value_kind,
        'bc-sct-2021' as source_id,
        min(section) as section,
        max(note_id) as note_id
    from legal_documents
    where year(issued_on) between $year_from and $year_to
    group by all
)

select * from final
order by item, series
