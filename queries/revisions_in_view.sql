-- The revisions of the figures in view (the `revisions` table, read from the change log),
-- newest first: each with the figure's indicator, unit and decimals, its value now, whether it
-- is the figure's latest revision, and whether the figure still holds the value that revision
-- gave it (a later change made outside the importer would make the revision's words untrue).
-- The province's, and the chosen areas' (every area's when none is chosen), in the years.
with found as (
    select
        r.seq,
        r.revised_at,
        r.revised_on,
        r.action,
        r.via,
        r.editor,
        r.system_user,
        r.file_name,
        r.indicator_id,
        f.indicator_vi,
        f.indicator_en,
        f.unit,
        f.decimals,
        r.area_code,
        r.year_from,
        r.year_to,
        r.category,
        r.variant,
        r.figure_type,
        r.previous_value,
        r.value,
        r.previous_status,
        r.status,
        f.value as value_now,
        row_number() over (
            partition by r.indicator_id, r.area_code, r.year_from, r.year_to, r.category, r.variant, r.figure_type
            order by r.seq desc
        ) = 1 as latest
    from revisions as r
    inner join facts_all as f
        on
            r.indicator_id = f.indicator_id
            and r.area_code = f.area_code
            and r.year_from = f.year_from
            and r.year_to = f.year_to
            and r.category = f.category
            and r.variant = f.variant
            and r.figure_type = f.figure_type
    where
        in_view(f.unit_id, $districts)
        and in_years(r.year_from, r.year_to, $year_from, $year_to)
),

final as (
    select
        *,
        latest and value = value_now as shown
    from found
)

select * from final
order by seq desc, indicator_id asc, area_code asc, year_to asc, category asc, variant asc, figure_type asc
