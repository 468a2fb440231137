-- The years the extracts hold: the ends of the observations' periods and the years of the
-- dated lists. The year filter, links and exports offer these and no others.
-- Results only: a target for a later period (2021–2025) is no year of figures to filter by.
with years as (
    select year_to as y from observations
    where figure_type = 'result'
    union all
    select year_from as y from observations
    where year_from = year_to and figure_type = 'result'
    union all
    select year(issued_on) as y from legal_documents
),

final as (
    select
        min(y) as first_year,
        max(y) as last_year
    from years
)

select * from final
