-- derived_negative: a month's value derived (not reported) from cumulatives that comes out below zero.
-- Grain: one row per park × flow indicator × month. Parameters: $upload_id, $parks (the park ids the upload touched: every
-- input is read for those parks only, and no check compares two parks).
-- Returns: park_id, indicator, period, value (the derived month), previous (null). Units canonical.

with flows as (
    select * from int_flow_values where list_contains($parks, park_id)
),

touched as (
    select distinct park_id, indicator, year(period) as year from stg_observations where list_contains($parks, park_id) and upload_id = $upload_id
),

final as (
    select f.park_id, f.indicator, f.period, f.month_value as value, cast(null as double) as previous
    from flows as f
    join touched as t on t.park_id = f.park_id and t.indicator = f.indicator and t.year = f.year
    where f.month_value < 0 and not f.month_is_reported
    order by f.park_id, f.indicator, f.period
)

select * from final
