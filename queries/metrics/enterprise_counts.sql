-- enterprise_counts: how many firms a park's figures built from enterprises rest on.
-- Grain: one row per park × month of int_park_months where the park has firms on its register.
-- Returns: enterprises_reporting (firms on the register with a month or cumulative
--          value, reported or derived, of output or tax at the month),
--          leading_enterprises (规上 firms whose industry code falls in a leading
--          group in force at the month).
-- Units: 户.

with park_months as (
    select * from int_park_months
),

members as (
    select * from int_enterprise_members
),

flows as (
    select * from int_enterprise_flow_values
    where indicator in ('output', 'tax') and (month_value is not null or ytd_value is not null)
),

counts as (
    select
        m.park_id,
        m.period,
        count(distinct m.enterprise_id) filter (where f.enterprise_id is not null) as enterprises_reporting,
        count(distinct m.enterprise_id) filter (where m.above_scale and m.in_leading) as leading_enterprises
    from members as m
    left join flows as f on f.enterprise_id = m.enterprise_id and f.period = m.period
    group by m.park_id, m.period
),

final as (
    select c.park_id, c.period, c.enterprises_reporting::double as enterprises_reporting,
           c.leading_enterprises::double as leading_enterprises
    from counts as c
    join park_months as pm using (park_id, period)
)

select * from final
