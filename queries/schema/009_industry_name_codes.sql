-- Schema version 9: the name → code table (docs/enterprises.md rule 4) for firms
-- whose sheets give an industry name (行业名称) but no code.
--
-- name_key: the name with every space removed (half- and full-width), the key the
--   models match an enterprise's industry_name on (intermediate/int_enterprise_members).
-- name:     as the user typed it (display form).
-- code:     a GB/T 4754-2017 code, digits only (2–4), as enterprise codes are stored.
-- updated_by / updated_at: who saved the row and when (an account name, '本机', or
--   '命令行（<system user>）', as uploads.uploaded_by).
-- A name equal to a 大类 name of industry_codes needs no row: the models map it to
-- that 大类 (a row here overrides it).

create table if not exists industry_name_codes (
    name_key   varchar primary key,
    name       varchar not null,
    code       varchar not null,
    updated_by varchar,
    updated_at timestamp not null default current_timestamp
);
