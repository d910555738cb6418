-- leading_periods: the months a park has output summed from its enterprises, latest first
-- (the months the 主导产业 page can show per leading group).
-- Grain: one row per month. Parameters: $park (canonical park name). Returns: period.

with park_flows as (
    select * from int_enterprise_park_flows
),

parks as (
    select * from parks
),

final as (
    select distinct f.period
    from park_flows as f
    join parks as p using (park_id)
    where p.name = $park and f.indicator = 'output' and f.ytd_value is not null
    order by f.period desc
)

select * from final
