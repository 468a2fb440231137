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

create table districts (
    area_code varchar primary key check (regexp_full_match(area_code, '[0-9]{2,3}')),
    level varchar not null check (level in ('province', 'district')),
    name_vi varchar not null,
    name_ascii varchar not null,
    unit_type varchar not null check (unit_type in ('tinh', 'thanh_pho', 'thi_xa', 'huyen')),
    unit_type_2015 varchar not null check (unit_type_2015 in ('tinh', 'thanh_pho', 'thi_xa', 'huyen')),
    parent_code varchar,
    active_to date,
    merged_into varchar,
    changed_on date,
    center_lat double check (center_lat between 8 and 24),
    center_lon double check (center_lon between 102 and 110),
    source_id varchar not null references sources (source_id)
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
    max_value double
);

create table observations (
    indicator_id varchar not null references indicators (indicator_id),
    area_code varchar not null references districts (area_code),
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
    -- 'verbatim': `quote` is the source's own words; 'paraphrase': our summary of them (a
    -- report quote is always verbatim, tests/test_data.py checks it against the report)
    quote_kind varchar check (quote_kind in ('verbatim', 'paraphrase')),
    primary key (indicator_id, area_code, year_from, year_to, category, variant),
    check (year_from <= year_to),
    check (value_kind <> 'derived' or derivation is not null)
);

create table electrified_communes (
    commune_code varchar primary key check (regexp_full_match(commune_code, '[0-9]{5}')),
    commune_name varchar not null,
    district_code varchar not null references districts (area_code),
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
    district_code varchar not null references districts (area_code),
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
    district_code varchar references districts (area_code),
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
    d.name_vi as area_vi,
    d.level as area_level,
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
    o.quote_kind
from observations as o
inner join indicators as i on o.indicator_id = i.indicator_id
inner join districts as d on o.area_code = d.area_code
inner join sources as s on o.source_id = s.source_id;

-- The results only: what every chart and tile draws. A target (figure_type 'target', such as the
-- 20 % self-financing for 2021–2025) never reaches a chart through this view.
create view facts as
select * from facts_all
where figure_type = 'result';

-- The province's district-level units of 2020, with the units merged into them and when:
-- the district filter's list and the tiles of the district maps.
create view units_2020 as
select
    d.area_code,
    d.name_vi,
    d.name_ascii,
    d.unit_type,
    d.center_lat,
    d.center_lon,
    (
        select string_agg(m.name_vi, ', ') from districts as m
        where m.merged_into = d.area_code
    ) as merged_vi,
    (
        select min(m.changed_on) from districts as m
        where m.merged_into = d.area_code
    ) as merged_on
from districts as d
where d.level = 'district' and d.active_to is null and d.parent_code = '51';

-- The areas a district filter stands for: none chosen means the province; a 2020 unit
-- also stands for the units merged into it (Trà Bồng for Tây Trà).
-- noqa: disable=RF03,LT02
-- (sqlfluff reads the macro's parameter `chosen` as a column to qualify.)
create macro in_scope(area, chosen) as
    case
        when len(chosen) = 0 then area = '51'
        else area in (
            select scope.area_code
            from districts as scope
            where list_contains(chosen, scope.area_code) or list_contains(chosen, scope.merged_into)
        )
    end;
-- noqa: enable=all

-- The areas a chart draws under a district filter: the province always, and the chosen
-- districts (with the units merged into them), or every district of the province when none
-- is chosen (a chart of district rows then ranks them).
-- noqa: disable=RF03,LT02
create macro in_view(area, chosen) as
    area = '51'
    or area in (
        select scope.area_code
        from districts as scope
        where
            scope.parent_code = '51'
            and (
                len(chosen) = 0
                or list_contains(chosen, scope.area_code)
                or list_contains(chosen, scope.merged_into)
            )
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
