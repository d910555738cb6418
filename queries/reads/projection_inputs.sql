-- projection_inputs: what 预计全年 (parkbench/models/projection.py) reads for one park,
-- one cumulative flow and one month N: this year's 1–N月 cumulative and last year's
-- 1–N月 and full-year (1–12月) cumulatives, as the park's values in force.
-- Grain: one row (nulls where a value is unknown or the park is not known).
-- Parameters: $park (canonical park name), $indicator (flow indicator id),
--             $period (first day of month N).
-- Returns: ytd_value (1–N月 this year), last_year_ytd (1–N月 a year earlier),
--          last_year_full (1–12月 of the year before). Units: canonical (万元 for money).
-- Last year's two cumulatives are its own stored values (not the 上年同期 restated with
-- this year's sheets), so that their ratio is one year's seasonal share on one basis.

with flows as (
    select f.period, f.ytd_value
    from int_flow_values as f
    join parks as p using (park_id)
    where p.name = $park and f.indicator = $indicator and f.ytd_value is not null
),

final as (
    select
        (select ytd_value from flows where period = $period) as ytd_value,
        (select ytd_value from flows where period = cast($period - interval 1 year as date)) as last_year_ytd,
        (select ytd_value from flows where period = make_date(year($period) - 1, 12, 1)) as last_year_full
)

select * from final
