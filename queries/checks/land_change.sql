-- land_change: land area (用地面积) changing by more than $land_percent from the park's previous value.
-- Grain: one row per park × month with land reported. Parameters: $upload_id, $parks (the park ids the upload touched: every
-- input is read for those parks only, and no check compares two parks), $land_percent.
-- Returns: park_id, indicator, period, value (亩), previous (亩), change (percent).

with land as (
    select park_id, indicator, period, value, upload_id
    from stg_observations
    where list_contains($parks, park_id) and indicator = 'land_area' and basis = 'stock'
),

ordered as (
    select *, lag(value) over (partition by park_id order by period) as previous
    from land
),

final as (
    select park_id, indicator, period, value, previous, 100 * (value / previous - 1) as change
    from ordered
    where previous > 0 and abs(100 * (value / previous - 1)) > $land_percent + 1e-9
      and (upload_id = $upload_id
           or exists (select 1 from land as later where later.park_id = ordered.park_id
                      and later.upload_id = $upload_id
                      and later.period = (select min(period) from land as l2
                                          where l2.park_id = ordered.park_id and l2.period > ordered.period)))
    order by park_id, period
)

select * from final
