-- cumulative_decrease: a cumulative (1月至本月) below the previous month's of the same year.
-- Grain: one row per park × flow indicator × month. Parameters: $upload_id, $parks (the park ids the upload touched: every
-- input is read for those parks only, and no check compares two parks).
-- Returns: park_id, indicator, period, value (this month's cumulative), previous (last month's), units canonical.

with flows as (
    select * from int_flow_values where list_contains($parks, park_id)
),

touched as (
    select distinct park_id, indicator, period from stg_observations where list_contains($parks, park_id) and upload_id = $upload_id
),

pairs as (
    select
        cur.park_id,
        cur.indicator,
        cur.period,
        prev.period as previous_period,
        cur.ytd_value as value,
        prev.ytd_value as previous
    from flows as cur
    join flows as prev
        on prev.park_id = cur.park_id
        and prev.indicator = cur.indicator
        and prev.year = cur.year
        and prev.month = cur.month - 1
    where cur.ytd_value < prev.ytd_value - 1e-9
),

final as (
    select p.park_id, p.indicator, p.period, p.value, p.previous
    from pairs as p
    where exists (select 1 from touched as t
                  where t.park_id = p.park_id and t.indicator = p.indicator
                    and t.period in (p.period, p.previous_period))
    order by p.park_id, p.indicator, p.period
)

select * from final
