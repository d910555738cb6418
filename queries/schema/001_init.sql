-- Schema version 1: parks and their aliases, uploads, and the stored values.
--
-- observations keeps every version of a value: the current one is the row
-- of the latest upload for park × indicator × period × basis
-- (staging/stg_observations). Undoing an upload deletes its rows, so the
-- version it replaced becomes current again.
-- Units: money 万元, land 亩, firms 户, people 人; growth in percent.

create sequence if not exists park_id_seq start 1;
create sequence if not exists upload_id_seq start 1;

create table if not exists parks (
    park_id    integer primary key default nextval('park_id_seq'),
    name       varchar not null unique,   -- canonical, simplified
    province   varchar,
    county     varchar,
    created_at timestamp not null default current_timestamp
);

create table if not exists park_aliases (
    alias   varchar primary key,          -- folded: simplified, half-width, no spaces
    park_id integer not null
);

create table if not exists uploads (
    upload_id   integer primary key,
    file_name   varchar not null,
    sha256      varchar not null,
    family      varchar,
    uploaded_at timestamp not null default current_timestamp,
    row_count   integer not null,
    is_demo     boolean not null default false,
    undone_at   timestamp
);

create table if not exists indicators (
    indicator varchar primary key,
    name_zh   varchar not null,
    name_en   varchar not null,
    kind      varchar not null check (kind in ('flow', 'stock')),
    unit      varchar not null
);

create table if not exists observations (
    park_id   integer not null,
    indicator varchar not null,
    period    date not null,              -- first day of the month
    basis     varchar not null check (basis in ('month', 'ytd', 'stock')),
    value     double not null,
    upload_id integer not null
);

create table if not exists reported_growth (
    park_id   integer not null,
    indicator varchar not null,
    period    date not null,
    basis     varchar not null check (basis in ('month', 'ytd')),
    value     double not null,            -- percent, as the sheet published it
    upload_id integer not null
);

create table if not exists industries (
    park_id    integer not null,
    period     date not null,
    industry   varchar not null,
    is_leading boolean,
    output     double,                    -- 万元
    firms      integer,
    upload_id  integer not null
);

create table if not exists peer_groups (
    group_name varchar not null,
    park_id    integer not null,
    primary key (group_name, park_id)
);
