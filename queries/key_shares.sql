-- The headline shares of the overview: reported, or derived from a reported x/y, for the
-- province and the districts in view, with each share's own period and provenance.
with ratios as (
    select
        indicator_id,
        area_code,
        year_from,
        year_to,
        max(value) filter (where category = 'achieved') as achieved,
        max(value) filter (where category = 'total') as whole,
        min(source_id) as source_id,
        min(section) as section,
        max(note_id) as note_id,
        max(quote) as quote
    from facts_all
    where
        in_view(unit_id, $districts)
        and indicator_id in ('communes_with_power', 'criterion4_communes', 'criterion7_communes')
        and variant = ''
        and in_years(year_from, year_to, $year_from, $year_to)
    group by all
),

reported as (
    select
        f.indicator_id as item,
        f.indicator_id,
        f.area_code,
        f.year_from,
        f.year_to,
        f.variant,
        f.value,
        f.value_kind,
        f.unit,
        f.decimals,
        f.source_id,
        f.section,
        f.quote,
        f.note_id,
        f.derivation
    from facts as f
    where
        in_view(f.unit_id, $districts)
        and in_years(f.year_from, f.year_to, $year_from, $year_to)
        and (
            (f.indicator_id in ('households_with_power', 'procedures_on_time_pct') and f.category = 'total')
            or (f.indicator_id = 'satisfaction_pct' and f.category = 'satisfied')
        )
),

derived as (
    select
        r.indicator_id as item,
        r.indicator_id,
        r.area_code,
        r.year_from,
        r.year_to,
        '' as variant,
        round(100 * r.achieved / r.whole, 1) as value,
        'derived' as value_kind,
        'pct' as unit,
        1 as decimals,
        r.source_id,
        r.section,
        r.quote,
        r.note_id,
        cast(r.achieved as integer) || '/' || cast(r.whole as integer) as derivation
    from ratios as r
    where r.achieved is not null and r.whole > 0
),

both_kinds as (
    select * from reported
    union all
    select * from derived
),

final as (
    select
        b.*,
        d.name_vi as area_vi,
        d.level as area_level,
        'total' as category
    from both_kinds as b
    inner join area_codes as d on b.area_code = d.area_code
)

select * from final
qualify drawn_in_view(area_code, $districts, year_to, variant, indicator_id)
order by area_code, value, item, year_to, year_from, variant
