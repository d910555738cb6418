-- month_change: a month's value changing by more than the thresholds, month on month
-- ($mom_percent) or against the same month a year earlier ($yoy_percent).
-- Grain: one row per park × flow indicator × month × comparison. Parameters: $upload_id, $parks (the park ids the upload touched: every
-- input is read for those parks only, and no check compares two parks),
-- $mom_percent, $yoy_percent (both in percent, e.g. 50 and 100).
-- A negative month is left to cumulative_decrease / derived_negative (a change from it means nothing).
-- Returns: park_id, indicator, period, comparison ('mom' | 'yoy'), value, previous (万元 etc.),
--          change (percent), month_is_reported.

with flows as (
    select * from int_flow_values where list_contains($parks, park_id) and month_value is not null
),

touched as (
    select distinct park_id, indicator, period from stg_observations where list_contains($parks, park_id) and upload_id = $upload_id
),

compared as (
    select cur.park_id, cur.indicator, cur.period, 'mom' as comparison,
           cur.month_value as value, prev.month_value as previous, cur.month_is_reported
    from flows as cur
    join flows as prev
        on prev.park_id = cur.park_id and prev.indicator = cur.indicator
        and prev.period = cast(cur.period - interval 1 month as date)
    union all
    select cur.park_id, cur.indicator, cur.period, 'yoy' as comparison,
           cur.month_value as value, prev.month_value as previous, cur.month_is_reported
    from flows as cur
    join flows as prev
        on prev.park_id = cur.park_id and prev.indicator = cur.indicator
        and prev.period = cast(cur.period - interval 1 year as date)
),

final as (
    select c.*, 100 * (c.value / c.previous - 1) as change
    from compared as c
    join touched as t on t.park_id = c.park_id and t.indicator = c.indicator and t.period = c.period
    where c.previous > 0 and c.value >= 0
      and abs(100 * (c.value / c.previous - 1)) > case c.comparison when 'mom' then $mom_percent else $yoy_percent end + 1e-9
    order by c.park_id, c.indicator, c.period, c.comparison
)

select * from final
