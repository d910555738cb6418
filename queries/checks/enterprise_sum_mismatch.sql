-- enterprise_sum_mismatch: 企业合计与园区报送不一致 — a park's own cumulative and
-- the sum over its enterprises for the same month differ by more than $sum_percent.
-- Grain: one row per park × indicator × month where both are known and differ.
-- Parameters: $upload_id (unused: the comparison is of the store with the upload in it),
--             $parks (park ids to check), $sum_percent (1: docs/enterprises.md rule 3).
-- Returns: park_id, indicator, period, value (the enterprises' sum), previous (the
--          park's own figure), change (percent: sum ÷ own − 1), basis ('ytd').
-- Units: as the indicator (万元 …). The park's own figure stays in force
-- (int_flow_values); the sum is shown beside it.

with own as (
    -- the park's cumulative in force: its own where it has one (a sum filling a gap
    -- equals itself, so it is never warned about)
    select park_id, indicator, period, ytd_value
    from int_flow_values
    where list_contains($parks, park_id) and ytd_value is not null
),

summed as (
    select park_id, indicator, period, ytd_value
    from int_enterprise_park_flows
    where list_contains($parks, park_id) and ytd_value is not null
),

final as (
    select
        o.park_id,
        o.indicator,
        o.period,
        s.ytd_value as value,
        o.ytd_value as previous,
        100 * (s.ytd_value / o.ytd_value - 1) as change,
        'ytd' as basis
    from own as o
    join summed as s using (park_id, indicator, period)
    where $upload_id is not null
      and abs(s.ytd_value - o.ytd_value) > $sum_percent / 100 * abs(o.ytd_value) + 1e-9
    order by o.park_id, o.indicator, o.period
)

select * from final
