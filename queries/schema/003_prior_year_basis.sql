-- Schema version 3: restated prior-year bases (input-formats.md rule 4).
--
-- A sheet's 上年同期 column is the same months one year earlier *as restated
-- now*. It is stored beside the period it was printed with, under its own
-- basis, so it never overwrites what was reported for that earlier year:
--   ytd_prior    上年同期累计: cumulative of the same months a year earlier (万元 …)
--   month_prior  上年同月:     the same month a year earlier
-- DuckDB cannot alter a check constraint, so observations is rebuilt with the
-- wider one; its rows are copied unchanged.

create table observations_003 (
    park_id   integer not null,
    indicator varchar not null,
    period    date not null,              -- first day of the month
    basis     varchar not null check (basis in ('month', 'ytd', 'stock', 'month_prior', 'ytd_prior')),
    value     double not null,
    upload_id integer not null
);

insert into observations_003 select park_id, indicator, period, basis, value, upload_id from observations;

drop table observations;

alter table observations_003 rename to observations;
