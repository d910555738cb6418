-- Schema version 8: what an evaluation scheme does with a park missing one of
-- its indicators (缺报) — issue 18.
--
-- missing_rule:
--   renormalise  (default) the park is scored on the indicators it has, their
--                weights scaled up to sum to 100, and is ranked and classed;
--                the missing ones are listed as 缺报. evaluation.md: "only the
--                indicators a park's sheets carry can be scored; a preset's
--                indicator that no uploaded sheet provides is listed as 缺报".
--   unclassed    the park is not scored, ranked or classed (不定等级) and is
--                listed with its 缺报 indicators.
-- Until now a missing indicator scored 0; no stored scheme keeps that rule.
-- DuckDB cannot add a column with a check constraint, so eval_schemes is
-- rebuilt with it (as 003 rebuilt observations); its rows are copied unchanged
-- and every scheme, the presets too, takes the default.

create table eval_schemes_008 (
    scheme_id    integer primary key default nextval('eval_scheme_id_seq'),
    name         varchar not null unique,
    class_a      double not null,
    class_b      double not null,
    class_c      double not null,
    is_preset    boolean not null default false,
    note         varchar,
    updated_at   timestamp not null default current_timestamp,
    missing_rule varchar not null default 'renormalise' check (missing_rule in ('renormalise', 'unclassed')),
    check (0 < class_a and class_a < class_b and class_b < class_c and class_c <= 100)
);

insert into eval_schemes_008 (scheme_id, name, class_a, class_b, class_c, is_preset, note, updated_at)
select scheme_id, name, class_a, class_b, class_c, is_preset, note, updated_at from eval_schemes;

drop table eval_schemes;

alter table eval_schemes_008 rename to eval_schemes;
