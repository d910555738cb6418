-- breakdown_sum: an industry breakdown (产业结构) whose outputs sum to more than $breakdown_percent
-- away from the park's cumulative output (规上工业总产值, 1月至本月) of the same month.
-- Grain: one row per park × month with a breakdown. Parameters: $upload_id, $parks (the park ids the upload touched: every
-- input is read for those parks only, and no check compares two parks), $breakdown_percent.
-- Returns: park_id, indicator ('output'), period, value (sum of the breakdown, 万元),
--          previous (park output, 万元), change (percent).

with industries as (
    select park_id, period, industry, arg_max(output, upload_id) as output, max(upload_id) as upload_id
    from industries
    where list_contains($parks, park_id)
    group by park_id, period, industry
),

sums as (
    select park_id, period, sum(output) as value, max(upload_id) as upload_id
    from industries
    where output is not null
    group by park_id, period
),

output as (
    select park_id, period, ytd_value from int_flow_values where list_contains($parks, park_id) and indicator = 'output' and ytd_value is not null
),

final as (
    select s.park_id, 'output' as indicator, s.period, s.value, o.ytd_value as previous,
           100 * (s.value / o.ytd_value - 1) as change
    from sums as s
    join output as o on o.park_id = s.park_id and o.period = s.period
    where o.ytd_value > 0 and abs(100 * (s.value / o.ytd_value - 1)) > $breakdown_percent + 1e-9
      and (s.upload_id = $upload_id
           or exists (select 1 from stg_observations as t where list_contains($parks, t.park_id) and t.upload_id = $upload_id
                      and t.park_id = s.park_id and t.indicator = 'output' and t.period = s.period))
    order by s.park_id, s.period
)

select * from final
