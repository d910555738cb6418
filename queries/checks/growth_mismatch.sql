-- growth_mismatch: a growth rate the sheet reported more than $points percentage points
-- from the one computed from the stored values (累计同比 from cumulatives, 本月同比 from months).
-- Grain: one row per park × indicator × month × basis. Parameters: $upload_id, $parks (the park ids the upload touched: every
-- input is read for those parks only, and no check compares two parks), $points.
-- Returns: park_id, indicator, period, basis, value (reported, %), previous (computed, %).

with reported as (
    select park_id, indicator, period, basis, arg_max(value, upload_id) as value, max(upload_id) as upload_id
    from reported_growth
    where list_contains($parks, park_id)
    group by park_id, indicator, period, basis
),

flows as (
    select * from int_flow_values where list_contains($parks, park_id)
),

touched as (
    select distinct park_id, indicator, period from stg_observations where list_contains($parks, park_id) and upload_id = $upload_id
),

computed as (
    select
        cur.park_id, cur.indicator, cur.period,
        case when prev.ytd_value > 0 then 100 * (cur.ytd_value / prev.ytd_value - 1) end as ytd_growth,
        case when prev.month_value > 0 then 100 * (cur.month_value / prev.month_value - 1) end as month_growth
    from flows as cur
    join flows as prev
        on prev.park_id = cur.park_id and prev.indicator = cur.indicator
        and prev.period = cast(cur.period - interval 1 year as date)
),

final as (
    select r.park_id, r.indicator, r.period, r.basis, r.value,
           case r.basis when 'ytd' then c.ytd_growth else c.month_growth end as previous
    from reported as r
    join computed as c on c.park_id = r.park_id and c.indicator = r.indicator and c.period = r.period
    where abs(r.value - case r.basis when 'ytd' then c.ytd_growth else c.month_growth end) > $points + 1e-9
      and (r.upload_id = $upload_id
           or exists (select 1 from touched as t where t.park_id = r.park_id and t.indicator = r.indicator
                      and t.period in (r.period, cast(r.period - interval 1 year as date))))
    order by r.park_id, r.indicator, r.period, r.basis
)

select * from final
