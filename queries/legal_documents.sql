-- Legal documents and procedure-list decisions the department drafted, 2016–2020.
select
    doc_number,
    doc_kind,
    issued_on,
    title_vi,
    replaces,
    section,
    quote,
    note_id
from legal_documents
where year(issued_on) between $year_from and $year_to
order by issued_on
