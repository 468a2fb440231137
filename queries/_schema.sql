-- Typed tables for the extracts in data/*.csv, created in dependency order.
-- The loader (sctdash/store/db.py) reads each CSV into the table of the same name,
-- so the database itself refuses a row that breaks a type, key or check.

create table sources (
    source_id varchar primary key,
    kind varchar not null check (kind in ('report', 'external', 'package', 'planner')),
    title varchar not null,
    publisher varchar not null,
    published_on date,
    url varchar
);

-- The official units of the province, of every level and date (data/areas.csv, written by
-- `make areas` from vietnamadminunits and the resolutions): one row per unit while its name,
-- type and land stay. A code is reused: `unit_id` is the code for its first unit and
-- <code>@<valid_from> for a later one. `new_territory`: the unit's land differs from the code's
-- unit before it (Trà Bồng from 01/02/2020, the province from 01/07/2025).
create table areas (
    unit_id varchar primary key check (regexp_full_match(unit_id, '[0-9]{2,5}(@[0-9]{4}-[0-9]{2}-[0-9]{2})?')),
    area_code varchar not null check (regexp_full_match(area_code, '[0-9]{2}|[0-9]{3}|[0-9]{5}')),
    -- the first and the last day of the unit; empty: before the years the dashboard covers
    -- (the package gives no start) / still in force
    valid_from date,
    valid_to date,
    level varchar not null check (level in ('province', 'district', 'commune')),
    name_vi varchar not null,
    name_ascii varchar not null,
    unit_type varchar not null check (
        unit_type in ('tinh', 'thanh_pho', 'thi_xa', 'huyen', 'xa', 'phuong', 'thi_tran', 'dac_khu')
    ),
    parent_code varchar,
    new_territory boolean not null,
    center_lat double check (center_lat between 8 and 24),
    center_lon double check (center_lon between 102 and 110),
    source_id varchar not null references sources (source_id),
    check (valid_from is null or valid_to is null or valid_from <= valid_to),
    check (unit_id = area_code or unit_id = area_code || '@' || strftime(valid_from, '%Y-%m-%d'))
);

-- Where each new unit's land came from: the former units, whole or in part (a divided commune
-- has a row for each part; `share_pct` only where a source gives the share of its land).
create table area_crosswalk (
    changed_on date not null,
    new_unit varchar not null references areas (unit_id),
    former_unit varchar not null references areas (unit_id),
    is_whole boolean not null,
    share_pct double check (share_pct > 0 and share_pct <= 100),
    source_id varchar not null references sources (source_id),
    primary key (new_unit, former_unit)
);

create table data_notes (
    note_id varchar primary key,
    title_vi varchar not null,
    title_en varchar not null,
    text_vi varchar not null,
    text_en varchar not null,
    -- the report's sections the note is about: required in practice only for a note that no
    -- figure row carries (document numbers, say); tests/test_data.py checks that
    section varchar
);

create table indicators (
    indicator_id varchar primary key check (regexp_full_match(indicator_id, '[a-z0-9_]+')),
    topic varchar not null check (topic in ('industry', 'electricity', 'market', 'staffing', 'reform')),
    name_vi varchar not null,
    name_en varchar not null,
    unit varchar not null check (
        unit in ('count', 'pct', 'pct_per_year', 'million_vnd', 'billion_vnd', 'times', 'index', 'mw', 'mwp')
    ),
    decimals integer not null check (decimals between 0 and 4),
    min_value double,
    max_value double,
    -- whether more is better ('up') or less ('down', the time a procedure takes, say): what a
    -- target's status (vượt, đạt, chưa đạt) reads; a target needs it (the importer checks)
    direction varchar check (direction in ('up', 'down'))
);

create table observations (
    indicator_id varchar not null references indicators (indicator_id),
    -- a unit's official code; the row's years say which unit (and land) it is about: the
    -- unit of that code in force at the end of `year_to` (tests and the importer check it)
    area_code varchar not null,
    year_from integer not null check (year_from between 2000 and 2100),
    year_to integer not null check (year_to between 2000 and 2100),
    category varchar not null,
    variant varchar not null default '',
    value double not null,
    value_kind varchar not null check (value_kind in ('reported', 'derived', 'external')),
    derivation varchar,
    source_id varchar not null references sources (source_id),
    section varchar,
    quote varchar not null,
    note_id varchar references data_notes (note_id),
    -- 'result': what the period achieved or counted; 'target': a target, plan or norm (for
    -- this or a later period), never drawn as a result: the `facts` view leaves it out
    figure_type varchar not null default 'result' check (figure_type in ('result', 'target')),
    -- how final the figure is: 'official' (chính thức, the default), 'preliminary' (sơ bộ) or
    -- 'estimate' (ước tính, as a year's figures arrive in December)
    status varchar not null default 'official' check (status in ('official', 'preliminary', 'estimate')),
    -- 'verbatim': `quote` is the source's own words; 'paraphrase': our summary of them (a
    -- report quote is always verbatim, tests/test_data.py checks it against the report)
    quote_kind varchar check (quote_kind in ('verbatim', 'paraphrase')),
    primary key (indicator_id, area_code, year_from, year_to, category, variant, figure_type),
    check (year_from <= year_to),
    check (value_kind <> 'derived' or derivation is not null)
);

-- The revisions of figures: each value of an observation that an import or a restore changed
-- after it was loaded, read from the change log (data/history/changelog.jsonl) by
-- sctdash/store/revisions.py, not from an extract; empty when there is no log. A change of
-- status alone (an estimate made official at the same value) is not a revision of the value.
create table revisions (
    seq integer not null,  -- the change log's entry
    revised_at varchar not null,  -- as the entry says it (ISO 8601, the server's offset)
    revised_on date not null,  -- its day in the department's time (Asia/Ho_Chi_Minh)
    action varchar not null,  -- 'import' or 'restore'
    via varchar,
    editor varchar,
    system_user varchar,
    file_name varchar,
    indicator_id varchar not null,
    area_code varchar not null,
    year_from integer not null,
    year_to integer not null,
    category varchar not null,
    variant varchar not null,
    figure_type varchar not null,
    previous_value double not null,
    value double not null,
    previous_status varchar,
    status varchar,
    primary key (seq, indicator_id, area_code, year_from, year_to, category, variant, figure_type)
);

create table electrified_communes (
    commune_code varchar primary key check (regexp_full_match(commune_code, '[0-9]{5}')),
    commune_name varchar not null,
    district_code varchar not null references areas (unit_id),
    status varchar not null check (status in ('completed', 'under_construction')),
    source_id varchar not null references sources (source_id),
    section varchar,
    quote varchar not null
);

create table power_projects (
    project_id varchar primary key,
    name_vi varchar not null,
    kind varchar not null check (kind in ('hydro', 'solar')),
    capacity double check (capacity > 0),
    -- hydropower in MW, solar in MWp (peak): the capacity map sums one kind in its own unit
    capacity_unit varchar not null check (
        capacity_unit = case kind when 'hydro' then 'MW' when 'solar' then 'MWp' else capacity_unit end
    ),
    status varchar not null check (status in ('in_operation', 'under_construction')),
    report_mentions integer not null check (report_mentions >= 1),
    section varchar not null,
    quote varchar not null,
    note_id varchar references data_notes (note_id)
);

create table power_project_locations (
    project_id varchar not null references power_projects (project_id),
    district_code varchar not null references areas (unit_id),
    commune_name varchar,
    -- the part of the project's capacity in this district, only where the source states the
    -- split; a project in several districts without it is drawn once, as shared
    capacity_here double check (capacity_here > 0),
    source_id varchar not null references sources (source_id),
    quote varchar not null,
    quote_kind varchar check (quote_kind in ('verbatim', 'paraphrase')),
    primary key (project_id, district_code)
);

create table market_facilities (
    facility_id varchar primary key,
    name_vi varchar not null,
    kind varchar not null check (kind in ('commercial_centre', 'supermarket', 'market')),
    district_code varchar references areas (unit_id),
    opened_from integer not null,
    opened_to integer not null,
    section varchar not null,
    quote varchar not null,
    note_id varchar references data_notes (note_id),
    check (opened_from <= opened_to)
);

create table legal_documents (
    doc_number varchar primary key,
    doc_kind varchar not null check (doc_kind in ('qppl', 'procedure_list')),
    issued_on date not null,
    title_vi varchar not null,
    replaces varchar,
    section varchar not null,
    quote varchar not null,
    note_id varchar references data_notes (note_id)
);

-- Every unit with its territory: the unit_id of the unit whose land it stands on (its own when
-- its land is new, else the code's earlier unit's: Đức Phổ became a town in 2020 on the same
-- land) and the first day of that land. A series never runs across a change of territory.
create view area_units as
with district_parents as (
    select distinct
        area_code,
        parent_code
    from areas
    where level = 'district'
)

select
    a.*,
    last_value(case when a.new_territory then a.unit_id end ignore nulls) over (
        partition by a.area_code order by coalesce(a.valid_from, date '0001-01-01')
        rows between unbounded preceding and current row
    ) as territory,
    last_value(case when a.new_territory then a.valid_from end ignore nulls) over (
        partition by a.area_code order by coalesce(a.valid_from, date '0001-01-01')
        rows between unbounded preceding and current row
    ) as territory_from,
    -- the province the unit is of: its own code, a district's parent, a commune's district's parent
    case a.level
        when 'province' then a.area_code
        when 'district' then a.parent_code
        else coalesce(d.parent_code, a.parent_code)
    end as province_code
from areas as a
left join district_parents as d on a.level = 'commune' and a.parent_code = d.area_code;

-- Which unit each observation is about: the unit of its code in force at the end of its last
-- year (51 in 2024 is the former province, 51 in 2025 the merged one), else the last one in
-- force during that year (a district of 2025, gone on 01/07/2025).
create view observation_units as
select
    o.rowid as observation,
    u.*
from observations as o
inner join area_units as u
    on
        o.area_code = u.area_code
        and coalesce(u.valid_from, date '0001-01-01') <= make_date(o.year_to, 12, 31)
        and coalesce(u.valid_to, date '9999-12-31') >= make_date(o.year_to, 1, 1)
qualify row_number() over (
    partition by o.rowid order by coalesce(u.valid_from, date '0001-01-01') desc
) = 1;

-- One row per code: the latest unit's names (the names of places a chart or list gives by code),
-- and `merged_into`: the code of the district its last unit was merged into whole (Tây Trà: Trà
-- Bồng), where its places count.
create view area_codes as
with latest as (
    select *
    from areas
    qualify row_number() over (
        partition by area_code order by coalesce(valid_from, date '0001-01-01') desc
    ) = 1
),

merged as (
    select
        c.former_unit,
        min(n.area_code) as merged_into
    from area_crosswalk as c
    inner join areas as n on c.new_unit = n.unit_id
    inner join areas as f on c.former_unit = f.unit_id
    where f.level = 'district' and n.level = 'district' and f.area_code <> n.area_code
    group by c.former_unit
)

select
    l.area_code,
    l.unit_id,
    l.level,
    l.name_vi,
    l.name_ascii,
    l.unit_type,
    l.parent_code,
    l.center_lat,
    l.center_lon,
    m.merged_into
from latest as l
left join merged as m on l.unit_id = m.former_unit;

-- Every observation with the words that explain it: indicator, area, source; targets too
-- (the data page's words behind each figure). Charts and tiles read `facts` below.
create view facts_all as
select
    o.indicator_id,
    i.topic,
    i.name_vi as indicator_vi,
    i.name_en as indicator_en,
    i.unit,
    i.decimals,
    o.area_code,
    u.name_vi as area_vi,
    u.level as area_level,
    u.unit_id,
    u.territory,
    u.territory_from,
    u.valid_from as unit_from,
    u.valid_to as unit_to,
    o.year_from,
    o.year_to,
    o.category,
    o.variant,
    o.value,
    o.value_kind,
    o.derivation,
    o.source_id,
    s.title as source_title,
    s.publisher as source_publisher,
    s.published_on as source_date,
    s.url as source_url,
    o.section,
    o.quote,
    o.note_id,
    o.figure_type,
    o.quote_kind,
    o.status,
    i.direction
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
inner join observation_units as u on o.rowid = u.observation
inner join sources as s on o.source_id = s.source_id;

-- The results only: what every chart and tile draws. A target (figure_type 'target', such as the
-- 20 % self-financing for 2021–2025) never reaches a chart through this view.
create view facts as
select * from facts_all
where figure_type = 'result';

-- The province's district-level units of 2020 (in force on 31/12/2020), with the units merged
-- into them and when: the district filter's list and the tiles of the district maps.
create view units_2020 as
with merged as (
    select
        c.new_unit,
        string_agg(f.name_vi, ', ' order by f.area_code) as merged_vi,
        min(c.changed_on) as merged_on
    from area_crosswalk as c
    inner join areas as n on c.new_unit = n.unit_id
    inner join areas as f on c.former_unit = f.unit_id
    where f.area_code <> n.area_code and f.level = n.level
    group by c.new_unit
)

select
    d.area_code,
    d.name_vi,
    d.name_ascii,
    d.unit_type,
    d.center_lat,
    d.center_lon,
    m.merged_vi,
    m.merged_on
from areas as d
left join merged as m on d.unit_id = m.new_unit
where
    d.level = 'district'
    and d.parent_code = '51'
    and coalesce(d.valid_from, date '0001-01-01') <= date '2020-12-31'
    and coalesce(d.valid_to, date '9999-12-31') >= date '2020-12-31';

-- What choosing a code stands for, unit by unit (`link`): the code's own units ('self'); the
-- units of another code merged into one of them ('merged': Tây Trà into Trà Bồng in 2020); for
-- a former district or commune, the communes of 01/07/2025 that took its land ('now_part_of');
-- for a commune of 01/07/2025, the former communes and districts its land came from
-- ('came_from'). Nothing is summed across these: each unit keeps its own rows.
create view area_links as
with moved as (
    select
        c.changed_on,
        n.unit_id as new_unit,
        n.area_code as new_code,
        n.level as new_level,
        f.unit_id as former_unit,
        f.area_code as former_code,
        f.level as former_level,
        d.unit_id as district_unit,
        d.area_code as district_code
    from area_crosswalk as c
    inner join areas as n on c.new_unit = n.unit_id
    inner join areas as f on c.former_unit = f.unit_id
    left join areas as d
        on
            f.level = 'commune'
            and f.parent_code = d.area_code
            and d.level = 'district'
            and f.valid_to = d.valid_to
),

links as (
    select
        area_code as code,
        unit_id,
        'self' as link
    from areas
    union all
    select
        new_code as code,
        former_unit as unit_id,
        'merged' as link
    from moved
    where new_level = 'district' and former_level = 'district' and former_code <> new_code
    union all
    select
        former_code as code,
        new_unit as unit_id,
        'now_part_of' as link
    from moved
    where new_level = 'commune' and former_code <> new_code
    union all
    select
        district_code as code,
        new_unit as unit_id,
        'now_part_of' as link
    from moved
    where new_level = 'commune' and district_code is not null
    union all
    select
        new_code as code,
        former_unit as unit_id,
        'came_from' as link
    from moved
    where new_level = 'commune' and former_code <> new_code
    union all
    select
        new_code as code,
        district_unit as unit_id,
        'came_from' as link
    from moved
    where new_level = 'commune' and district_unit is not null
)

select
    code,
    unit_id,
    min(link) as link
from links
group by code, unit_id;

-- The areas a district filter stands for: none chosen means the province; a chosen code stands
-- for its units and those linked to them (area_links). `unit`: a unit_id (facts have one), or the
-- code of a place's 2020 district (the code's first unit).
-- noqa: disable=RF03,LT02
-- (sqlfluff reads the macro's parameter `chosen` as a column to qualify.)
create macro in_scope(unit, chosen) as
    case
        when len(chosen) = 0 then unit in (select scope.unit_id from areas as scope
where scope.area_code = '51')
        else unit in (select scope.unit_id from area_links as scope
where list_contains(chosen, scope.code))
    end;
-- noqa: enable=all

-- The areas a chart draws under a district filter: the province always, and the units the
-- chosen codes stand for, or every district and commune of the two former provinces when none is
-- chosen (a chart of district or commune rows then ranks them).
-- noqa: disable=RF03,LT02
create macro in_view(unit, chosen) as
    unit in (
        select province.unit_id
        from areas as province
        where province.area_code = '51'
    )
    or (
        len(chosen) = 0
        and unit in (
            select scope.unit_id
            from area_units as scope
            where scope.province_code in ('51', '62') and scope.level <> 'province'
        )
    )
    or unit in (
        select scope.unit_id
        from area_links as scope
        where list_contains(chosen, scope.code)
    );
-- noqa: enable=all

-- Used in QUALIFY, after the WHERE of a chart's query. With no district chosen, a chart of
-- district rows ranks the districts for the latest year in view (sctdash.shapes._ranking) or
-- draws the province alone: of the districts' rows, each indicator's latest year in view is all
-- it can draw. The other years' (853 districts × 16 years on the largest bench set) would only be
-- handed to pandas and dropped. With districts chosen, or for the province, every row stays.
-- noqa: disable=RF03,LT02
create macro drawn_in_view(area, chosen, period_end, variant_of, indicator) as
    area = '51'
    or len(chosen) > 0
    or period_end = max(period_end) filter (where area <> '51' and variant_of = '') over (partition by indicator);
-- noqa: enable=all

-- A period is in view when it overlaps the chosen years: a single year within them, or a
-- span (an average over 2016–2020, say) that shares at least one year with them.
create macro in_years(period_start, period_end, first_year, last_year) as
period_start <= last_year and period_end >= first_year;
