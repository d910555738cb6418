-- Schema version 10: 调档 of enterprises in the 亩均效益综合评价 (issue 20), as
-- eval_adjustments (006_evaluation.sql) holds those of parks.
--
-- enterprise_eval_adjustments: every 调档 of a firm's class, never updated or deleted;
--   the latest row per scheme × period × enterprise is in force (初评 → 调整后); the
--   初评 stays in the evaluation itself. A firm not classed (T, 不定等级) may be given a
--   class by hand (some schemes put them at B); no firm is moved to T by hand.
--   population: the population options the 初评 was made under, as text, for the record.

create sequence if not exists enterprise_eval_adjustment_id_seq start 1;

create table if not exists enterprise_eval_adjustments (
    adjustment_id integer primary key default nextval('enterprise_eval_adjustment_id_seq'),
    scheme_id     integer not null,
    scheme_name   varchar not null,       -- as it was named when adjusted
    period        date not null,
    enterprise_id integer not null,
    enterprise    varchar not null,       -- its name when adjusted
    park          varchar not null,
    population    varchar not null,
    from_class    varchar not null check (from_class in ('A', 'B', 'C', 'D', 'T')),
    to_class      varchar not null check (to_class in ('A', 'B', 'C', 'D')),
    reason        varchar not null check (length(trim(reason)) > 0),
    adjusted_by   varchar not null check (length(trim(adjusted_by)) > 0),
    adjusted_at   timestamp not null default current_timestamp
);
