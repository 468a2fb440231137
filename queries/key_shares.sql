-- The headline shares of the overview, 2020: reported, or derived from a reported x/y.
with ratios as (
    select
        indicator_id,
        max(value) filter (where category = 'achieved') as achieved,
        max(value) filter (where category = 'total') as total
    from observations
    where
        in_scope(area_code, $districts)
        and indicator_id in ('communes_with_power', 'criterion4_communes', 'criterion7_communes')
    group by indicator_id
),

final as (
    select
        f.indicator_id as x,
        'reported' as series,
        f.value,
        f.value_kind,
        f.unit,
        f.decimals,
        f.source_id,
        f.section,
        f.note_id,
        cast(null as varchar) as derivation
    from facts as f
    where
        in_scope(f.area_code, $districts)
        and (
            f.indicator_id in ('households_with_power', 'procedures_on_time_pct')
            or (f.indicator_id = 'satisfaction_pct' and f.category = 'satisfied')
        )
    union all
    select
        r.indicator_id as x,
        'derived' as series,
        round(100 * r.achieved / r.total, 1) as value,
        'derived' as value_kind,
        'pct' as unit,
        1 as decimals,
        'bc-sct-2021' as source_id,
        'II.2.1.a1' as section,
        'mau-so-tieu-chi' as note_id,
        cast(r.achieved as integer) || '/' || cast(r.total as integer) as derivation
    from ratios as r
)

select * from final
order by value
