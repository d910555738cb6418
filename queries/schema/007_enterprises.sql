-- Schema version 7: enterprise rows (docs/enterprises.md, shapes N1–N6).
--
-- enterprises is the identity (rule 1): the 统一社会信用代码 (credit_code, 18
-- characters); else the 组织机构代码 (org_code, its characters 9–17), which
-- links older rows; else the folded name within a park (enterprise_aliases).
-- Every other table keeps each upload's rows (upload_id), as observations
-- does: the latest upload per key is in force (staging/stg_enterprise_*), and
-- undoing an upload deletes its rows so that what it replaced is in force again.
-- Units: money 万元, land 亩, electricity 万千瓦时, people 人; growth in percent.

create table if not exists enterprises (
    enterprise_id integer primary key,   -- given by parkbench/store/firms.py (largest + 1, under the writer lock)
    credit_code   varchar,               -- 18 characters, upper case; null when no sheet gave one
    org_code      varchar,               -- 9 characters (credit_code[9:17]), or an older sheet's
    created_at    timestamp not null default current_timestamp
);

create table if not exists enterprise_aliases (
    name_key      varchar not null,      -- folded name (as park names are folded)
    park_id       integer not null,      -- the name identifies a firm within its park only
    enterprise_id integer not null,
    primary key (name_key, park_id)
);

create table if not exists enterprise_identities (
    enterprise_id integer not null,      -- the name history: each name a sheet gave, at its month
    period        date,                  -- the month a sheet gave this name for (null: undated)
    name          varchar not null,      -- as written (display form)
    industry_code varchar,               -- GB/T 4754-2017 code the sheet gave (null: none)
    industry_name varchar,
    upload_id     integer not null
);

create table if not exists enterprise_registers (
    enterprise_id     integer not null,
    park_id           integer not null,
    valid_from        date not null,     -- the register's month: it lists all of the park's firms from then on
    above_scale       boolean,           -- 规上 (null: not said)
    above_scale_since date,              -- 入规年月: 规下 before it
    industry_code     varchar,           -- GB/T 4754-2017 code as text
    industry_name     varchar,
    upload_id         integer not null
);

create table if not exists enterprise_observations (
    enterprise_id integer not null,
    park_id       integer,               -- the park the file (or --park) named; null: from the register
    indicator     varchar not null,
    period        date not null,         -- first day of the month
    basis         varchar not null check (basis in ('month', 'ytd', 'stock', 'month_prior', 'ytd_prior')),
    value         double not null,
    upload_id     integer not null
);

create table if not exists enterprise_growth (
    enterprise_id integer not null,
    park_id       integer,
    indicator     varchar not null,
    period        date not null,
    basis         varchar not null check (basis in ('month', 'ytd')),
    value         double not null,       -- percent, as the sheet published it
    upload_id     integer not null
);

create table if not exists enterprise_parcels (
    enterprise_id integer not null,
    park_id       integer,
    parcel        varchar not null,      -- 宗地编号
    area          double not null,       -- 亩
    tenure        varchar not null check (tenure in ('own', 'rent_in', 'rent_out')),
    registered    date not null,         -- first day of the registration month: counts from then on
    upload_id     integer not null
);

create table if not exists leading_groups (
    park_id    integer not null,
    group_name varchar not null,         -- 主导产业 name
    prefix     varchar not null,         -- one GB/T 4754-2017 code prefix
    valid_from date not null,            -- a later valid_from restates the park's whole list
    upload_id  integer not null
);

create table if not exists industry_codes (
    code    varchar primary key,         -- 门类 letter (A … T) or 大类 two digits (01 … 97)
    level   varchar not null check (level in ('门类', '大类')),
    section varchar not null,            -- the 门类 letter a 大类 belongs to
    name    varchar not null
);
