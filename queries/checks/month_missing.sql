-- month_missing: a month inside a flow series with no value at all (neither 本月 nor 累计,
-- reported or derived) and no cumulative later in the same year that would cover it.
-- "Inside": after the series' first reported month and before its last. A restated
-- prior-year value (上年同期) stands in for its year but does not start a series:
-- a 2025 report with 上年同期累计 for January–June never makes July–December 2024 "missing".
-- Grain: one row per park × flow indicator × month. Parameters: $upload_id, $parks (the park ids the upload touched: every
-- input is read for those parks only, and no check compares two parks).
-- Returns: park_id, indicator, period, value (null), previous (null).

with flows as (
    select * from int_flow_values where list_contains($parks, park_id)
),

touched as (
    select distinct park_id, indicator from stg_observations where list_contains($parks, park_id) and upload_id = $upload_id
),

reported as (
    select park_id, indicator, period
    from stg_observations
    where list_contains($parks, park_id) and basis in ('month', 'ytd')
),

spans as (
    select r.park_id, r.indicator, min(r.period) as first_period, max(r.period) as last_period
    from reported as r
    join touched as t on t.park_id = r.park_id and t.indicator = r.indicator
    group by r.park_id, r.indicator
),

months as (
    select s.park_id, s.indicator, cast(m.period as date) as period
    from spans as s,
         lateral (select unnest(generate_series(s.first_period, s.last_period, interval 1 month)) as period) as m
),

final as (
    select m.park_id, m.indicator, m.period, cast(null as double) as value, cast(null as double) as previous
    from months as m
    where not exists (
            select 1 from flows as f
            where f.park_id = m.park_id and f.indicator = m.indicator and f.period = m.period
              and (f.month_value is not null or f.ytd_value is not null))
      and not exists (
            select 1 from flows as later
            where later.park_id = m.park_id and later.indicator = m.indicator
              and later.year = year(m.period) and later.period > m.period and later.ytd_value is not null)
    order by m.park_id, m.indicator, m.period
)

select * from final
